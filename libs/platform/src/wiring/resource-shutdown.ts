import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { JsonLogger } from '../logging/json-logger';
import { DATA_SOURCE, type DataSourcePort } from './data-source.token';
import { KEY_MANAGER, type KeyManagerPort } from './key-manager.token';

/**
 * Closes the shared resources when the application shuts down: the HTTP server has stopped and in-flight requests
 * have finished by then (onApplicationShutdown runs after Nest closed the server). The database goes first, since
 * its last writes (audit records) may still use HSM signatures, then the key manager logs out of the token.
 */
@Injectable()
export class ResourceShutdown implements OnApplicationShutdown {
  private readonly logger: JsonLogger;

  constructor(
    private readonly moduleRef: ModuleRef,
    logger: JsonLogger,
  ) {
    this.logger = logger.child('Shutdown');
  }

  async onApplicationShutdown(): Promise<void> {
    const dataSource = this.find<DataSourcePort>(DATA_SOURCE);
    if (dataSource?.isInitialized) await this.close('database', () => dataSource.destroy());
    const keyManager = this.find<KeyManagerPort>(KEY_MANAGER);
    if (keyManager) await this.close('hsm', () => keyManager.close());
  }

  private find<T>(token: symbol): T | undefined {
    try {
      return this.moduleRef.get<T>(token, { strict: false });
    } catch {
      return undefined; // not bound in this service
    }
  }

  private async close(name: string, close: () => Promise<void>): Promise<void> {
    try {
      await close();
      this.logger.info('closed', { resource: name });
    } catch (error) {
      this.logger.error('could not close', { resource: name, err: error });
    }
  }
}
