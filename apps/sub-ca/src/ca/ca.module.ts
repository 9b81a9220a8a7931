import { Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import { CaRegistry, CertificateIssuer, CertificateLookup, CertificateRevoker, CrlPublisher, type CaInstanceConfig } from '@smpki/ca';
import { SignatureVerifierPool } from '@smpki/crypto';
import type { KeyManager } from '@smpki/hsm';
import { AUDIT_TRAIL, DATA_SOURCE, KEY_MANAGER } from '@smpki/platform';
import { SM_PKI_PROFILES } from '@smpki/policy';
import type { DataSource } from 'typeorm';
import { CertificatesController } from './certificates.controller';
import { CrlController } from './crl.controller';
import { CrlSchedulerService } from './crl-scheduler.service';
import { LintController } from './lint.controller';
import { loadDirectorySettings } from '../publication/directory-settings';
import { PublicationController } from '../publication/publication.controller';
import { DIRECTORY_SETTINGS, PublicationService } from '../publication/publication.service';

/** Stops the verifier's worker threads with the application. */
@Injectable()
class VerifierPoolShutdown implements OnApplicationShutdown {
  constructor(private readonly pool: SignatureVerifierPool) {}
  onApplicationShutdown(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * The CA instances of the sub-CA service (SMPKI_CA_CONFIG), their API under /v1/cas/{ca}, the linter, and the
 * directory publisher draining their publication outbox (SMPKI_DIRECTORY_URL).
 */
@Module({})
export class CaModule {
  static forRoot(configs: readonly CaInstanceConfig[]): DynamicModule {
    // Read with the CA configuration, at module creation: a malformed URL stops the start naming the variable.
    const directory = loadDirectorySettings(process.env);
    return {
      module: CaModule,
      controllers: [CertificatesController, CrlController, LintController, PublicationController],
      providers: [
        { provide: DIRECTORY_SETTINGS, useValue: directory ?? null },
        PublicationService,
        {
          provide: CaRegistry,
          inject: [KEY_MANAGER, DATA_SOURCE],
          useFactory: (keys: KeyManager, dataSource: DataSource) => CaRegistry.open(configs, keys, dataSource),
        },
        // Proofs of possession are verified on worker threads: on the event loop they would cost it half a
        // millisecond per request.
        { provide: SignatureVerifierPool, useFactory: () => SignatureVerifierPool.start() },
        {
          provide: CertificateIssuer,
          inject: [CaRegistry, DATA_SOURCE, AUDIT_TRAIL, SignatureVerifierPool],
          useFactory: (registry: CaRegistry, dataSource: DataSource, audit: AuditTrail, verifier: SignatureVerifierPool) =>
            new CertificateIssuer(registry, dataSource, audit, SM_PKI_PROFILES, undefined, verifier),
        },
        {
          provide: CertificateRevoker,
          inject: [CaRegistry, DATA_SOURCE, AUDIT_TRAIL, CrlPublisher],
          // crlOnRevocation: the answer waits for the new CRL. The revocation is committed by then, so a CRL that
          // cannot be signed is logged (the scheduler and the next GET sign one) rather than failing the request.
          useFactory: (registry: CaRegistry, dataSource: DataSource, audit: AuditTrail, crls: CrlPublisher) =>
            new CertificateRevoker(registry, dataSource, audit, (ca) =>
              crls.issueCrl(ca, 'system').catch((error: unknown) => new Logger('CrlOnRevocation').error(`CA ${ca}: no CRL after the revocation (${(error as Error).message})`)),
            ),
        },
        {
          provide: CertificateLookup,
          inject: [CaRegistry, DATA_SOURCE],
          useFactory: (registry: CaRegistry, dataSource: DataSource) => new CertificateLookup(registry, dataSource),
        },
        {
          provide: CrlPublisher,
          inject: [CaRegistry, DATA_SOURCE, AUDIT_TRAIL],
          useFactory: (registry: CaRegistry, dataSource: DataSource, audit: AuditTrail) => new CrlPublisher(registry, dataSource, audit),
        },
        CrlSchedulerService,
        VerifierPoolShutdown,
      ],
      // The meter registry (manufacturing module) issues through the same issuer and its group commit.
      exports: [CaRegistry, CertificateIssuer, CrlPublisher],
    };
  }
}
