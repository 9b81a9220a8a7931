/** Reads the registry: one meter with its current certificate, or a caller's meters page by page. */
import type { CaRegistry, IssuedCertificate } from '@smpki/ca';
import { MoreThan, type DataSource, type FindOptionsWhere } from 'typeorm';
import { Meter, type MeterStatus } from './entities';
import { certificatesBySerial } from './meter-certificates';
import { DEFAULT_METER_CERTIFICATE_OPTIONS, type MeterCertificateOptions } from './meter-registration.service';
import { unknownMeter } from './registry-problems';

/** A manufacturer's id: it sees its own meters only. `undefined`: an operator or auditor, who sees all. */
export type MeterScope = string | undefined;

export interface MeterRecord {
  meter: Meter;
  /** The current certificate (PEM with chain), when the meter has one. */
  certificate?: IssuedCertificate;
}

export interface MeterPageRequest {
  status?: MeterStatus;
  /** 1..1000, default 100. */
  limit?: number;
  /** Meter id after which the page starts (the `next` of the previous page). */
  after?: string;
}

export interface MeterPage {
  meters: Meter[];
  /** Give as `after` for the next page; absent on the last page. */
  next?: string;
}

export const MAX_METER_PAGE = 1000;

export class MeterQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: CaRegistry,
    private readonly options: MeterCertificateOptions = DEFAULT_METER_CERTIFICATE_OPTIONS,
  ) {}

  /** 404 `meter.unknown` also for another manufacturer's meter: whether it exists is not told. */
  async find(scope: MeterScope, meterId: string): Promise<MeterRecord> {
    const meter = await this.dataSource.getRepository(Meter).findOne({ where: { meterId, ...(scope ? { manufacturerId: scope } : {}) } });
    if (!meter) throw unknownMeter(meterId);
    if (!meter.certificateSerial) return { meter };
    const certificate = (await certificatesBySerial(this.dataSource, this.registry, this.options.ca, [meter.certificateSerial])).get(meter.certificateSerial);
    return certificate ? { meter, certificate } : { meter };
  }

  /** Keyset paging in meter id order. */
  async list(scope: MeterScope, request: MeterPageRequest = {}): Promise<MeterPage> {
    const limit = Math.min(Math.max(request.limit ?? 100, 1), MAX_METER_PAGE);
    const where: FindOptionsWhere<Meter> = {
      ...(scope ? { manufacturerId: scope } : {}),
      ...(request.status ? { status: request.status } : {}),
      ...(request.after ? { meterId: MoreThan(request.after) } : {}),
    };
    const rows = await this.dataSource.getRepository(Meter).find({ where, order: { meterId: 'ASC' }, take: limit + 1 });
    const meters = rows.slice(0, limit);
    return rows.length > limit ? { meters, next: meters.at(-1)!.meterId } : { meters };
  }
}
