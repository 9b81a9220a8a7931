/**
 * The sub-CA over mutual TLS with SoftHSM2 (startTlsSubCa), an administrator token and manufacturers onboarded
 * through the API with the TLS client credential the platform issues them: what the registry e2e tests start from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TokenService } from '@smpki/auth';
import { DATA_SOURCE } from '@smpki/platform';
import type { DataSource } from 'typeorm';
import { TlsFixtures, type Credential } from '../../auth/tls-fixtures';
import { createCaTestPki, opensslRequest, type CaTestPki } from '../../ca/support/ca-test-pki';
import { httpsJson, type HttpsClient } from './https-json';
import { startTlsSubCa, type RunningTlsSubCa } from './start-tls-sub-ca';

export interface ManufacturerClient extends HttpsClient {
  /** PEM files of the same credential, for clients that read files (the CLI). */
  certFile: string;
  keyFile: string;
  caFile: string;
}

export class TlsRegistry {
  private readonly fixtures = new TlsFixtures();
  private readonly previousCaConfig = process.env.SMPKI_CA_CONFIG;
  pki!: CaTestPki;
  service!: RunningTlsSubCa;
  dataSource!: DataSource;
  serverCa!: Credential;
  admin!: HttpsClient;

  async start(): Promise<this> {
    this.pki = await createCaTestPki();
    await this.pki.hsm.km.createEcKeyPair(this.pki.hsm.uri('auth-token'), 'P-256');
    process.env.SMPKI_CA_CONFIG = join(this.pki.workspace.dir, 'cas.json');
    this.serverCa = this.fixtures.ca('server-ca', '/C=DE/O=smpki test/CN=smpki server CA');
    const server = this.fixtures.server('server', 'server-ca');
    const clientCaFile = join(this.pki.workspace.dir, 'client-cas.pem');
    writeFileSync(clientCaFile, this.pki.sub.pem + this.pki.root.pem);
    this.service = await startTlsSubCa(this.pki, this.pki.hsm.uri('auth-token'), { certFile: server.certFile, keyFile: server.keyFile, clientCaFile });
    this.dataSource = this.service.app.get(DATA_SOURCE);
    const token = (await this.service.app.get(TokenService).issue({ subject: 'admin-1', roles: ['administrator'] })).accessToken;
    this.admin = { ca: this.serverCa.cert, token };
    return this;
  }

  get port(): number {
    return this.service.port;
  }

  /** Creates a manufacturer and returns the mutual-TLS client with the credential the platform issued it. */
  async onboard(name: string, gln: string, flagId: string): Promise<ManufacturerClient> {
    const created = await httpsJson(this.port, 'POST', '/v1/manufacturers', this.admin, { name, gln, flagId });
    if (created.status !== 201) throw new Error(`onboarding ${flagId}: ${created.status}`);
    const csr = opensslRequest(this.pki.workspace, `${flagId}-tls`);
    const credential = await httpsJson(this.port, 'POST', `/v1/manufacturers/${created.body.id}/credentials`, this.admin, { request: csr.toString('base64') });
    if (credential.status !== 201) throw new Error(`credential of ${flagId}: ${credential.status}`);
    const certFile = this.pki.workspace.write(`${flagId}-tls-cert.pem`, credential.body.certificate);
    const keyFile = join(this.pki.workspace.dir, `${flagId}-tls.key`);
    return { ca: this.serverCa.cert, cert: credential.body.certificate, key: readFileSync(keyFile), certFile, keyFile, caFile: this.serverCa.certFile };
  }

  async stop(): Promise<void> {
    if (this.previousCaConfig === undefined) delete process.env.SMPKI_CA_CONFIG;
    else process.env.SMPKI_CA_CONFIG = this.previousCaConfig;
    await this.service?.close();
    await this.pki?.dispose();
    this.fixtures.remove();
  }
}
