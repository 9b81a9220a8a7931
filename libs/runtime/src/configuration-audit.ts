import { createHash } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditEvent, AuditTrail, canonicalJson, isSecretLikeKey } from '@smpki/audit';
import { AUDIT_TRAIL, DATA_SOURCE, JsonLogger, SERVICE_CONFIG, type ServiceConfig } from '@smpki/platform';
import type { DataSource } from 'typeorm';

/** Flattened settings (`http.port` -> 8420) without any secret-like entry; what the audit trail may hold. */
export type AuditableSettings = Record<string, string | number | boolean>;

export function auditableSettings(config: ServiceConfig): AuditableSettings {
  const flat: AuditableSettings = {};
  const visit = (value: unknown, path: string[]): void => {
    if (path.length > 0 && isSecretLikeKey(path[path.length - 1] as string)) return;
    if (Array.isArray(value)) {
      flat[path.join('.')] = value.join(',');
    } else if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) visit(inner, [...path, key]);
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      flat[path.join('.')] = value;
    }
  };
  // JSON round trip: the config redacts its PIN and database password in toJSON.
  visit(JSON.parse(JSON.stringify(config)), []);
  return flat;
}

function changedSettings(previous: AuditableSettings, current: AuditableSettings): string[] {
  const names = new Set([...Object.keys(previous), ...Object.keys(current)]);
  return [...names].filter((name) => previous[name] !== current[name]).sort();
}

const STARTED = 'service.started';

/**
 * Records every start of the service with a digest of its configuration, and a `config.changed` event naming
 * the settings that differ from the previous start: a configuration change is security-relevant (another HSM
 * module, another client CA, relaxed access rules) even though it happens outside the API.
 */
@Injectable()
export class ConfigurationAudit implements OnApplicationBootstrap {
  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(AUDIT_TRAIL) private readonly audit: AuditTrail,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly logger: JsonLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const settings = auditableSettings(this.config);
    const digest = createHash('sha256').update(canonicalJson(settings)).digest('hex');
    const previous = await this.dataSource.getRepository(AuditEvent).findOne({
      where: { service: this.config.service, action: STARTED },
      order: { seq: 'DESC' },
    });
    const previousSettings = previous ? (JSON.parse(previous.details) as { settings?: AuditableSettings }).settings : undefined;
    if (previousSettings) {
      const changed = changedSettings(previousSettings, settings);
      if (changed.length > 0) {
        await this.audit.append({ action: 'config.changed', outcome: 'success', target: this.config.service, details: { changed } });
        this.logger.child('Configuration').warn('configuration changed since the last start', { changed });
      }
    }
    await this.audit.append({ action: STARTED, outcome: 'success', target: this.config.service, details: { digest, settings } });
  }
}
