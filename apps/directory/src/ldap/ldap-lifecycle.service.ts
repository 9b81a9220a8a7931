import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DirectoryLdapServer, DirectoryStore } from '@smpki/directory';
import { readFileSync } from 'node:fs';
import { DIRECTORY_SETTINGS } from './directory-settings.token';
import type { DirectorySettings } from './ldap-settings';

/** Runs the LDAP (and, when configured, LDAPS) listeners with the Nest application: up with it, closed when it stops. */
@Injectable()
export class LdapLifecycleService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DirectoryLdap');
  private readonly servers: DirectoryLdapServer[] = [];
  /** The bound ports (they differ from the settings with port 0, as in tests). */
  port?: number;
  ldapsPort?: number;

  constructor(
    private readonly store: DirectoryStore,
    @Inject(DIRECTORY_SETTINGS) private readonly settings: DirectorySettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ldapHost, ldapPort, ldaps } = this.settings;
    this.port = await this.start(ldapPort);
    if (ldaps) {
      const tls = { certificate: readFileSync(ldaps.certFile, 'utf8'), key: readFileSync(ldaps.keyFile, 'utf8') };
      this.ldapsPort = await this.start(ldaps.port, tls);
    }
    this.logger.log(`LDAP listening on ${ldapHost}:${this.port}${this.ldapsPort !== undefined ? `, LDAPS on ${ldapHost}:${this.ldapsPort}` : ''}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.close()));
  }

  private async start(port: number, tls?: { certificate: string; key: string }): Promise<number> {
    const server = new DirectoryLdapServer(this.store, {
      port,
      host: this.settings.ldapHost,
      tls,
      onError: (error) => this.logger.warn(`LDAP request or connection failed: ${error.message}`),
    });
    const bound = await server.listen();
    this.servers.push(server);
    return bound;
  }
}
