import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@smpki/auth';
import { DATA_SOURCE } from '@smpki/platform';
import { manufacturerOfCredential, notAManufacturer, type MeterScope, type RegistrationCaller } from '@smpki/registry';
import type { DataSource } from 'typeorm';

/** Who a request's principal is to the registry: the manufacturer of its client certificate, or an operator. */
@Injectable()
export class ManufacturerCallers {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** The manufacturer whose credential the principal's client certificate is; 403 otherwise. */
  async caller(principal: Principal): Promise<RegistrationCaller> {
    const fingerprint = principal.certificate?.fingerprint256;
    const manufacturer = fingerprint ? await manufacturerOfCredential(this.dataSource, fingerprint) : undefined;
    if (!manufacturer) throw notAManufacturer();
    return { manufacturer, requester: principal.subject };
  }

  /** Whose meters the principal reads: a manufacturer its own; another role the access rules let read, all of them. */
  async readScope(principal: Principal): Promise<MeterScope> {
    if (principal.roles.includes('manufacturer')) return (await this.caller(principal)).manufacturer.id;
    return undefined;
  }
}
