import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { AuditTrail } from '@smpki/audit';
import { AUDIT_TRAIL, JsonLogger } from '@smpki/platform';

/** Seals the audit chain with a signed checkpoint when the service stops, so no entry is left unsealed by a restart. */
@Injectable()
export class AuditSealOnShutdown implements BeforeApplicationShutdown {
  constructor(
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
    private readonly logger: JsonLogger,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    try {
      await this.audit.append({ action: 'service.stopped', outcome: 'success' });
      await this.audit.checkpoint();
    } catch (error) {
      this.logger.child('Audit').error('could not seal the audit chain at shutdown', { err: error });
    }
  }
}
