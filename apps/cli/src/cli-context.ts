import { AuditTrail } from '@smpki/audit';
import { Pkcs11KeyManager, type KeyManager } from '@smpki/hsm';
import { openDatabase } from '@smpki/persistence';
import { isServiceName, JsonLogger, loadServiceConfig, type ServiceConfig } from '@smpki/platform';
import type { DataSource } from 'typeorm';

/**
 * The CLI works on one service's resources (its database, its HSM token), read from the same SMPKI_* variables
 * the service reads, so an operator on the service's host needs nothing else. Resources open on first use.
 */
export class CliContext {
  private keyManager?: KeyManager;
  private dataSource?: DataSource;
  private auditTrail?: AuditTrail;
  readonly logger: JsonLogger;

  private constructor(readonly config: ServiceConfig) {
    // Library logs go to stderr as JSON; stdout stays for the command's own output.
    this.logger = new JsonLogger({ service: 'smpki-cli', level: 'warn', sink: (line) => process.stderr.write(`${line}\n`) });
  }

  static fromEnvironment(service: string): CliContext {
    if (!isServiceName(service)) throw new Error(`unknown service "${service}" (root-ca, sub-ca, skm or directory)`);
    return new CliContext(loadServiceConfig(service, process.env));
  }

  async keys(): Promise<KeyManager> {
    if (!this.config.hsm) throw new Error('no HSM configured: set SMPKI_HSM_MODULE, SMPKI_HSM_TOKEN and SMPKI_HSM_PIN_FILE');
    this.keyManager ??= await Pkcs11KeyManager.open(this.config.hsm, this.logger.child('Hsm'));
    return this.keyManager;
  }

  async database(): Promise<DataSource> {
    this.dataSource ??= await openDatabase(this.config.database, { logger: this.logger.child('Database') });
    return this.dataSource;
  }

  /** The service's audit trail, sealed with its checkpoint key when one is configured. */
  async audit(): Promise<AuditTrail> {
    if (!this.auditTrail) {
      const uri = this.config.audit.checkpointKeyUri;
      const signer = uri && (await (await this.keys()).findKey(uri)) ? await (await this.keys()).createSigner(uri) : undefined;
      this.auditTrail = new AuditTrail(await this.database(), {
        service: this.config.service,
        checkpointEvery: this.config.audit.checkpointEvery,
        ...(signer ? { checkpointSigner: signer } : {}),
      });
    }
    return this.auditTrail;
  }

  async close(): Promise<void> {
    if (this.auditTrail) await this.auditTrail.checkpoint().catch(() => undefined);
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    if (this.keyManager) await this.keyManager.close();
  }
}
