import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import { CaRegistry, CertificateIssuer, CrlPublisher } from '@smpki/ca';
import { AUDIT_TRAIL, DATA_SOURCE } from '@smpki/platform';
import { ManufacturerService, MeterQueryService, MeterRegistrationService, MeterRetirementService } from '@smpki/registry';
import type { DataSource } from 'typeorm';
import { ManufacturerCallers } from './manufacturer-callers';
import { ManufacturersController } from './manufacturers.controller';
import { MeterStreamRegistration } from './meter-stream-registration';
import { MetersController } from './meters.controller';

/** After a revocation on a CA configured with crlOnRevocation: a new CRL, logged rather than failing the answer. */
function crlAfterRevocation(crls: CrlPublisher) {
  return (ca: string) => crls.issueCrl(ca, 'system').catch((error: unknown) => new Logger('CrlOnRevocation').error(`CA ${ca}: no CRL after the revocation (${(error as Error).message})`));
}

/**
 * Manufacturers and meter registration at calibration (docs/METER-REGISTRATION.md), on the CA instances of
 * `caModule` (it must export CaRegistry, CertificateIssuer and CrlPublisher): the meter rows commit with their
 * certificates through the same issuer, so they share its group commit.
 */
@Module({})
export class ManufacturingModule {
  static forRoot(caModule: DynamicModule): DynamicModule {
    return {
      module: ManufacturingModule,
      imports: [caModule],
      controllers: [ManufacturersController, MetersController],
      providers: [
        ManufacturerCallers,
        MeterStreamRegistration,
        {
          provide: ManufacturerService,
          inject: [DATA_SOURCE, CertificateIssuer, AUDIT_TRAIL],
          useFactory: (dataSource: DataSource, issuer: CertificateIssuer, audit: AuditTrail) => new ManufacturerService(dataSource, issuer, audit),
        },
        {
          provide: MeterRegistrationService,
          inject: [DATA_SOURCE, CaRegistry, CertificateIssuer, AUDIT_TRAIL, CrlPublisher],
          useFactory: (dataSource: DataSource, registry: CaRegistry, issuer: CertificateIssuer, audit: AuditTrail, crls: CrlPublisher) =>
            new MeterRegistrationService(dataSource, registry, issuer, audit, undefined, crlAfterRevocation(crls)),
        },
        {
          provide: MeterRetirementService,
          inject: [DATA_SOURCE, CaRegistry, AUDIT_TRAIL, CrlPublisher],
          useFactory: (dataSource: DataSource, registry: CaRegistry, audit: AuditTrail, crls: CrlPublisher) =>
            new MeterRetirementService(dataSource, registry, audit, undefined, crlAfterRevocation(crls)),
        },
        {
          provide: MeterQueryService,
          inject: [DATA_SOURCE, CaRegistry],
          useFactory: (dataSource: DataSource, registry: CaRegistry) => new MeterQueryService(dataSource, registry),
        },
      ],
    };
  }
}
