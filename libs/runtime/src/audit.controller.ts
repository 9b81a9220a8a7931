import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditEvent, verifyAuditChain, type AuditVerificationReport } from '@smpki/audit';
import { Command } from '@smpki/auth';
import type { KeyManager } from '@smpki/hsm';
import { DATA_SOURCE, KEY_MANAGER, SERVICE_CONFIG, type ServiceConfig } from '@smpki/platform';
import { MoreThan, type DataSource } from 'typeorm';
import { AuditEventsQuery } from './audit-events.query';

interface AuditEventView {
  seq: number;
  time: string;
  service: string;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: string;
  details: unknown;
  hash: string;
}

function view(event: AuditEvent): AuditEventView {
  return {
    seq: event.seq,
    time: event.time.toISOString(),
    service: event.service,
    actor: event.actor,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    details: JSON.parse(event.details),
    hash: event.hash.toString('hex'),
  };
}

/** The auditor's view of the service's audit trail: the entries, and a verification of chain and checkpoints. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(KEY_MANAGER) private readonly keys: KeyManager,
  ) {}

  @Get('events')
  @Command('audit.read')
  @ApiOperation({ summary: 'Audit entries after a sequence number, oldest first' })
  @ApiOkResponse({ description: 'A page of audit entries' })
  async events(@Query() query: AuditEventsQuery): Promise<{ events: AuditEventView[]; nextAfterSeq: number }> {
    const events = await this.dataSource.getRepository(AuditEvent).find({
      where: { seq: MoreThan(query.afterSeq), ...(query.action ? { action: query.action } : {}) },
      order: { seq: 'ASC' },
      take: query.limit,
    });
    return { events: events.map(view), nextAfterSeq: events.at(-1)?.seq ?? query.afterSeq };
  }

  @Get('verification')
  @Command('audit.read')
  @ApiOperation({ summary: 'Verify the hash chain and the signed checkpoints; names the first broken entry' })
  @ApiOkResponse({ description: 'The verification report' })
  async verification(): Promise<AuditVerificationReport> {
    // Trust the checkpoint key in the HSM, never the public keys embedded in the rows being checked.
    const uri = this.config.audit.checkpointKeyUri;
    const trusted = uri ? [(await this.keys.getPublicKey(uri)).spki] : [];
    return verifyAuditChain(this.dataSource, {
      trustedCheckpointKeys: trusted,
      ...(uri ? { maxUnsealedEntries: this.config.audit.checkpointEvery } : {}),
    });
  }
}
