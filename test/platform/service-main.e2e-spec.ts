import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceName } from '@smpki/platform';
import { TlsFixtures, type Credential } from '../auth/tls-fixtures';
import { SOFTHSM_MODULE } from '../support/softhsm';
import { compileApps, type CompiledApps } from './support/compiled-apps';
import { createPlatformToken, type PlatformToken } from './support/platform-token';
import { freePort, startServiceProcess } from './support/spawned-service';

const PIN = 'pin-8812-e2e';
/** A valid HSM section (the module file exists): the mains require one before anything else is looked at. */
/** The sections every main requires (HSM and token authentication), so a test can reach the check it is about. */
const HSM_SETTINGS = {
  SMPKI_HSM_MODULE: SOFTHSM_MODULE,
  SMPKI_HSM_TOKEN: 'smpki',
  SMPKI_HSM_PIN: PIN,
  SMPKI_AUTH_TOKEN_KEY: 'pkcs11:token=smpki;object=auth-token-signer',
};
/** tsc of the mains and the libraries they pull in: ~10-20 s on two busy cores. */
const COMPILE_TIMEOUT_MS = 120_000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsGet(url: string, options: RequestOptions): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ...options, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a service main, compiled and run as a process', () => {
  let apps: CompiledApps;
  let work: string;
  let tls: TlsFixtures;
  let clientCa: Credential;
  let server: Credential;
  let client: Credential;

  beforeAll(() => {
    apps = compileApps();
    work = mkdtempSync(join(tmpdir(), 'smpki-main-'));
    tls = new TlsFixtures();
    clientCa = tls.ca('client-ca', '/CN=smpki e2e client CA');
    server = tls.server('server', 'client-ca');
    client = tls.client('operator', 'client-ca', '/CN=operator-1');
  }, COMPILE_TIMEOUT_MS);

  afterAll(() => {
    apps?.remove();
    tls?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  async function expectConfigurationFailure(app: ServiceName, env: Record<string, string>, line: string): Promise<void> {
    const service = startServiceProcess(apps.mainOf(app), env, work);
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.stderr()).toBe(`${line}\n`);
    expect(service.stdoutLines()).toEqual([]);
  }

  it.each(['root-ca', 'sub-ca', 'skm', 'directory'] as const)('%s stops on a bad port with one line naming the variable, exit 1', async (app) => {
    await expectConfigurationFailure(
      app,
      { SMPKI_HTTP_PORT: 'abc' },
      `smpki-${app}: configuration error: SMPKI_HTTP_PORT must be an integer between 1 and 65535 (got "abc")`,
    );
  });

  it.each(['root-ca', 'sub-ca', 'skm', 'directory'] as const)('%s stops without an HSM with one line naming SMPKI_HSM_MODULE, exit 1', async (app) => {
    await expectConfigurationFailure(app, {}, `smpki-${app}: configuration error: SMPKI_HSM_MODULE is required by smpki-${app}`);
  });

  it('stops on a missing HSM module without printing the PIN', async () => {
    await expectConfigurationFailure(
      'sub-ca',
      { SMPKI_HSM_MODULE: '/opt/none/libpkcs11.so', SMPKI_HSM_TOKEN: 'smpki', SMPKI_HSM_PIN: PIN },
      'smpki-sub-ca: configuration error: SMPKI_HSM_MODULE must name a readable file (got "/opt/none/libpkcs11.so": no such file)',
    );
  });

  it('stops on both PIN sources', async () => {
    const pinFile = join(work, 'pin');
    writeFileSync(pinFile, PIN);
    await expectConfigurationFailure(
      'skm',
      { ...HSM_SETTINGS, SMPKI_HSM_PIN_FILE: pinFile },
      'smpki-skm: configuration error: SMPKI_HSM_PIN and SMPKI_HSM_PIN_FILE are both set: set exactly one of them',
    );
  });

  it('stops with one line naming SMPKI_AUTH_TOKEN_KEY when the HSM is set but token authentication is not', async () => {
    const { SMPKI_AUTH_TOKEN_KEY: _unset, ...hsmOnly } = HSM_SETTINGS;
    await expectConfigurationFailure('skm', hsmOnly, 'smpki-skm: configuration error: SMPKI_AUTH_TOKEN_KEY is required by smpki-skm');
  });

  it('stops on a TLS key that does not belong to the certificate', async () => {
    await expectConfigurationFailure(
      'directory',
      { ...HSM_SETTINGS, SMPKI_TLS_CERT_FILE: server.certFile, SMPKI_TLS_KEY_FILE: client.keyFile },
      'smpki-directory: configuration error: SMPKI_TLS_KEY_FILE does not hold the private key of SMPKI_TLS_CERT_FILE',
    );
  });

  it('stops on an unknown database scheme without echoing the URL', async () => {
    await expectConfigurationFailure(
      'root-ca',
      { SMPKI_DB_URL: 'mysql://root:hunter2@db/ca' },
      'smpki-root-ca: configuration error: SMPKI_DB_URL must start with sqlite: or postgres:// (got scheme "mysql:")',
    );
  });

  describe('running over mutual TLS', () => {
    let platform: PlatformToken;
    let service: ReturnType<typeof startServiceProcess>;
    let url: string;
    let startupMs: number;

    beforeAll(async () => {
      platform = await createPlatformToken('smpki-main-e2e', PIN);
      const port = await freePort();
      const started = Date.now();
      service = startServiceProcess(
        apps.mainOf('sub-ca'),
        {
          SMPKI_HTTP_PORT: String(port),
          SMPKI_DATA_DIR: join(work, 'data'),
          SMPKI_LOG_LEVEL: 'debug',
          SMPKI_TLS_CERT_FILE: server.certFile,
          SMPKI_TLS_KEY_FILE: server.keyFile,
          SMPKI_TLS_CLIENT_CA_FILE: clientCa.certFile,
          // The HSM, access-token and audit-checkpoint settings, and SOFTHSM2_CONF: the child reads its real environment.
          ...platform.environment(),
        },
        work,
      );
      const listening = await service.waitForLog((line) => line.msg === 'listening');
      startupMs = Date.now() - started;
      url = String(listening.url);
    });

    afterAll(async () => {
      if (service && service.child.exitCode === null) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
      platform?.remove();
    });

    it('prints one JSON line with its URL when listening', async () => {
      const listening = await service.waitForLog((line) => line.msg === 'listening');
      expect(listening).toMatchObject({ level: 'info', service: 'smpki-sub-ca', context: 'Bootstrap', tls: true, mutualTls: true });
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(startupMs).toBeLessThan(10_000);
    });

    it('completes the handshake without a client certificate, so refusals can be problem documents', async () => {
      const answer = await httpsGet(`${url}/healthz`, { ca: clientCa.cert });
      expect(answer.status).toBe(200);
    });

    it('serves callers that present a certificate', async () => {
      const answer = await httpsGet(`${url}/v1/info`, { ca: clientCa.cert, cert: client.cert, key: client.key });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ service: 'sub-ca', name: 'smpki-sub-ca' });
    });

    it('answers unknown routes with a problem document', async () => {
      const answer = await httpsGet(`${url}/v1/unknown`, { ca: clientCa.cert });
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:smpki:problem:not-found', status: 404 });
    });

    it('stops on SIGTERM with exit 0; every line it wrote is JSON, none holds the PIN', async () => {
      service.child.kill('SIGTERM');
      const { code } = await service.exited;
      expect(code).toBe(0);
      const lines = service.stdoutLines();
      expect(lines.length).toBeGreaterThan(5);
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      for (const record of records) {
        expect(record).toEqual(expect.objectContaining({ time: expect.any(String), level: expect.any(String), service: 'smpki-sub-ca', msg: expect.any(String) }));
      }
      expect(records.map((record) => record.msg)).toEqual(expect.arrayContaining(['listening', 'request completed', 'stopping', 'stopped']));
      expect(service.stdoutLines().join('\n')).not.toContain(PIN);
      expect(service.stderr()).toBe('');
    });
  });
});
