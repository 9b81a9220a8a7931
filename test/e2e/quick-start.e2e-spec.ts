/**
 * The quick start, run the way a user runs it: `bash scripts/start.sh --detach` on a fresh data directory (SoftHSM2
 * token + SQLite, four services on free ports), the one-time bootstrap credential, tokens across services, the audit
 * trail through the API and the operator CLI, `bash scripts/stop.sh`, tampering found by `audit verify`, a restart
 * with a changed setting, and a service refusing a wrong HSM setting.
 *
 * The tests run in order and build on the state the previous ones left (one platform start costs ~40 s).
 */
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { SERVICE_NAMES, type ServiceName } from '@smpki/platform';
import { createTestToken, SOFTHSM_MODULE, type TestToken } from '../support/softhsm';
import { EmbeddedPlatform } from './support/embedded-platform';
import { freePorts } from './support/free-ports';
import { PlatformTokenIssuer, type IssuerSettings } from './support/platform-token-issuer';
import { RecordingHttpClient, type HttpAnswer } from './support/recording-http-client';
import { runCommand, type CommandResult } from './support/run-command';
import { withSqliteFile } from './support/sqlite-file';
import { REPOSITORY_ROOT, userEnvironment } from './support/user-environment';

const START_TIMEOUT_MS = 180_000;
const CLI_TIMEOUT_MS = 60_000;
const OTHER_SERVICES: ServiceName[] = ['root-ca', 'skm', 'directory'];

function expectProblem(answer: HttpAnswer, status: number, type: string): void {
  expect({ status: answer.status, contentType: answer.contentType, body: answer.body }).toMatchObject({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
    body: { type: `urn:smpki:problem:${type}`, status },
  });
}

/** Asserts the exit status; on a mismatch the failure shows the command's whole output, so it says why. */
function expectExit(result: CommandResult, code: number): void {
  if (result.code === code) return;
  const status = result.code === null ? `was killed by ${result.signal}` : `exited ${result.code}`;
  throw new Error(`${result.command} ${status}, expected exit ${code}; its output:\n${result.stdout}\n${result.stderr}`);
}

interface AuditEventView {
  seq: number;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: string;
  details: Record<string, unknown>;
}

interface AuditRow {
  seq: number;
  [column: string]: unknown;
}

describe('quick start: the embedded platform as a user runs it', () => {
  const http = new RecordingHttpClient();
  const commands: CommandResult[] = [];
  let platform: EmbeddedPlatform;
  let firstStart: CommandResult;
  let credential: string | undefined;
  let adminToken: string;
  /** GET /v1/configuration of sub-ca, the token-issuing service. */
  let issuerSettings: IssuerSettings & Record<string, unknown>;
  let issuer: PlatformTokenIssuer | undefined;
  let auditorToken: string;
  /** Every token PIN start.sh wrote, after each start. */
  const pins = new Set<string>();
  /** User and SO PIN after the first start. */
  let firstPins: string[] = [];
  const rememberPins = (): void => {
    for (const read of [() => platform.userPin(), () => platform.soPin()]) {
      try {
        pins.add(read());
      } catch {
        // no PIN file: the start failed before creating the token, which its own test reports
      }
    }
  };

  const url = (service: ServiceName, path: string): string => `${platform.url(service)}${path}`;
  const smpki = async (args: string[]): Promise<CommandResult> => {
    const result = await platform.smpki(args);
    commands.push(result);
    return result;
  };
  const auditEvents = async (service: ServiceName, query = ''): Promise<AuditEventView[]> => {
    const answer = await http.send(url(service, `/v1/audit/events?limit=1000${query}`), { token: auditorToken });
    expect(answer.status).toBe(200);
    return answer.body.events as AuditEventView[];
  };

  beforeAll(async () => {
    platform = await EmbeddedPlatform.create();
    firstStart = await platform.start();
    commands.push(firstStart);
    credential = /^\s+(smpki-bootstrap-[A-Za-z0-9_-]+)\s*$/m.exec(firstStart.stdout)?.[1];
    rememberPins();
    firstPins = [...pins];
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await issuer?.close();
    await platform?.shutDown();
    platform?.remove();
  }, 60_000);

  describe('first start', () => {
    it('exits 0 and prints the URL of every service and a one-time bootstrap credential', () => {
      expectExit(firstStart, 0);
      for (const service of SERVICE_NAMES) {
        const line = new RegExp(`^\\s+${service}\\s+${platform.url(service).replace(/\./g, '\\.')}\\s`, 'm');
        expect(firstStart.stdout).toMatch(line);
      }
      expect(credential).toBeDefined();
    });

    it('serves every service: ready with database and HSM checks, alive, documented, problem documents for unknown routes', async () => {
      await Promise.all(
        SERVICE_NAMES.map(async (service) => {
          const [ready, health, openapi, unknown] = await Promise.all(
            ['/readyz', '/healthz', '/openapi.json', '/v1/no-such-route'].map((path) => http.send(url(service, path))),
          );
          expect({ service, status: ready.status, body: ready.body }).toMatchObject({
            service,
            status: 200,
            body: {
              status: 'ready',
              checks: expect.arrayContaining([expect.objectContaining({ name: 'database', status: 'ok' }), expect.objectContaining({ name: 'hsm', status: 'ok' })]),
            },
          });
          expect({ service, status: health.status, body: health.body }).toMatchObject({ service, status: 200, body: { status: 'ok' } });
          expect(openapi.status).toBe(200);
          expect(openapi.contentType).toMatch(/^application\/json/);
          expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/v1/audit/events', '/v1/configuration']));
          expectProblem(unknown, 404, 'not-found');
        }),
      );
    });
  });

  describe('the first administrator', () => {
    it('exchanges the bootstrap credential exactly once for an administrator token', async () => {
      const exchange = await http.send(url('sub-ca', '/v1/auth/bootstrap'), { method: 'POST', json: { secret: credential } });
      expect({ status: exchange.status, body: exchange.body }).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: expect.any(Number) } });
      expect(exchange.headers['cache-control']).toBe('no-store');
      adminToken = exchange.body.access_token;
      expect(decodeJwt(adminToken)).toMatchObject({ roles: ['administrator'] });

      const again = await http.send(url('sub-ca', '/v1/auth/bootstrap'), { method: 'POST', json: { secret: credential } });
      expectProblem(again, 401, 'unauthenticated');
      expect(again.body.reason).toBe('invalid-bootstrap-credential');
    });

    it('reads the configuration of the issuing service, without any PIN', async () => {
      const answer = await http.send(url('sub-ca', '/v1/configuration'), { token: adminToken });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).filter((name) => /pin/i.test(name))).toEqual([]);
      expect(answer.text).not.toContain(platform.userPin());
      expect(answer.body).toMatchObject({ service: 'sub-ca', 'hsm.tokenLabel': expect.any(String), 'auth.tokenKeyUri': expect.stringMatching(/^pkcs11:/) });
      issuerSettings = answer.body;
    });

    it('is accepted by the other services, which verify it with the token key they read from the shared HSM token', async () => {
      const kid = decodeProtectedHeader(adminToken).kid;
      const answers = await Promise.all(OTHER_SERVICES.map((service) => http.send(url(service, '/v1/configuration'), { token: adminToken })));
      const statuses = Object.fromEntries(OTHER_SERVICES.map((service, i) => [service, answers[i].status]));
      expect(statuses).toEqual({ 'root-ca': 200, skm: 200, directory: 200 });
      for (const [i, service] of OTHER_SERVICES.entries()) {
        expect(answers[i].body).toMatchObject({ service });
        expect(answers[i].text).not.toContain(platform.userPin());
      }
      const keySets = await Promise.all(OTHER_SERVICES.map((service) => http.send(url(service, '/.well-known/jwks.json'))));
      for (const keySet of keySets) expect(keySet.body.keys.map((key: { kid: string }) => key.kid)).toContain(kid);
    });

    it('may not read the audit trail (403 naming the command); without a token nothing is served (401)', async () => {
      const forbidden = await http.send(url('sub-ca', '/v1/audit/events'), { token: adminToken });
      expectProblem(forbidden, 403, 'forbidden');
      expect(forbidden.body.command).toBe('audit.read');

      const anonymous = await Promise.all([http.send(url('sub-ca', '/v1/audit/events')), http.send(url('skm', '/v1/configuration'))]);
      for (const answer of anonymous) {
        expectProblem(answer, 401, 'unauthenticated');
        expect(answer.body.reason).toBe('missing-credentials');
      }
    });
  });

  describe('the audit trail, read by an auditor', () => {
    it('has tokens signed by the platform key in the HSM: the administrator token verifies with its public key; an auditor token is issued with it', async () => {
      issuer = await PlatformTokenIssuer.open(issuerSettings, {
        softhsmConfig: platform.path('softhsm', 'softhsm2.conf'),
        pin: platform.userPin(),
      });
      const key = createPublicKey({ key: issuer.publicKey.spki, format: 'der', type: 'spki' });
      const { payload } = await jwtVerify(adminToken, key, {
        algorithms: ['ES256'],
        typ: 'at+jwt',
        issuer: issuerSettings['auth.issuer'],
        audience: issuerSettings['auth.audience'],
      });
      expect(payload.roles).toEqual(['administrator']);
      auditorToken = await issuer.issue('auditor-e2e', ['auditor']);
    });

    it('shows an auditor the start, the key creation, the bootstrap exchange and the refused requests', async () => {
      const events = await auditEvents('sub-ca');
      const find = (action: string, outcome?: string): AuditEventView[] =>
        events.filter((event) => event.action === action && (outcome === undefined || event.outcome === outcome));
      expect(find('service.started')).toHaveLength(1);
      // The platform keys, and the keys of the two sub-CAs the first start creates (calibration, market).
      expect(find('hsm.key.create', 'success').map((event) => event.target).sort()).toEqual(
        [
          issuerSettings['auth.tokenKeyUri'],
          issuerSettings['audit.checkpointKeyUri'],
          'pkcs11:token=smpki;object=calibration-ca-1',
          'pkcs11:token=smpki;object=market-ca-1',
        ].sort(),
      );
      expect(find('auth.bootstrap.exchange', 'success')).toEqual([expect.objectContaining({ details: expect.objectContaining({ roles: ['administrator'] }) })]);
      expect(find('auth.bootstrap.exchange', 'failure')).toEqual([expect.objectContaining({ details: expect.objectContaining({ reason: 'invalid-bootstrap-credential' }) })]);
      const adminSubject = decodeJwt(adminToken).sub;
      expect(find('auth.request.refused', 'denied')).toEqual([
        expect.objectContaining({ actor: adminSubject, details: expect.objectContaining({ command: 'audit.read', path: '/v1/audit/events' }) }),
      ]);
      expect(find('auth.request.refused', 'failure')).toEqual(
        expect.arrayContaining([expect.objectContaining({ details: expect.objectContaining({ reason: 'missing-credentials', path: '/v1/audit/events' }) })]),
      );
    });

    it('verifies through the API, in the issuing service and in another one', async () => {
      for (const service of ['sub-ca', 'skm'] as const) {
        const answer = await http.send(url(service, '/v1/audit/verification'), { token: auditorToken });
        expect({ service, status: answer.status, body: answer.body }).toMatchObject({ service, status: 200, body: { ok: true } });
      }
    });

    it('verifies with the operator CLI: npm run smpki -- audit verify', async () => {
      const result = await smpki(['audit', 'verify']);
      expectExit(result, 0);
      expect(result.stdout).toMatch(/^audit chain intact: \d+ entries/m);
    }, CLI_TIMEOUT_MS);
  });

  describe('stopping and tampering', () => {
    let editedSeq: number;
    let editedActor: unknown;
    let deletedRow: AuditRow;

    it('stops all four services with scripts/stop.sh', async () => {
      const running = platform.lastStartedProcesses();
      expect(running.map((entry) => entry.service)).toEqual([...SERVICE_NAMES]);
      expect(platform.stillRunning(running)).toEqual(running);

      const stop = await platform.stop();
      expectExit(stop, 0);
      const survivors = platform.stillRunning(running);
      const stillListening = await platform.listening();
      // Whatever stop.sh left running is stopped here, so the tests after this one see a stopped platform.
      await platform.shutDown();
      expect({ survivors, stillListening }).toEqual({ survivors: [], stillListening: [] });
    }, 60_000);

    it('leaves every audit trail sealed: the last entry is service.stopped, covered by a signed checkpoint', () => {
      for (const service of SERVICE_NAMES) {
        const { last, head } = withSqliteFile(platform.databaseFile(service), (db) => ({
          last: db.prepare('SELECT action FROM audit_event ORDER BY seq DESC LIMIT 1').get() as { action: string },
          head: db.prepare('SELECT last_seq, checkpoint_seq FROM audit_head').get() as { last_seq: number; checkpoint_seq: number },
        }));
        expect({ service, last: last.action, sealed: head.checkpoint_seq === head.last_seq }).toEqual({ service, last: 'service.stopped', sealed: true });
      }
    });

    it('audit verify names an edited row, and in another service a deleted one', async () => {
      withSqliteFile(platform.databaseFile('sub-ca'), (db) => {
        const row = db.prepare(`SELECT seq, actor FROM audit_event WHERE action = 'auth.bootstrap.exchange' AND outcome = 'success'`).get() as AuditRow;
        editedSeq = row.seq;
        editedActor = row.actor;
        db.prepare('UPDATE audit_event SET actor = ? WHERE seq = ?').run('someone-else', editedSeq);
      });
      withSqliteFile(platform.databaseFile('skm'), (db) => {
        deletedRow = db.prepare(`SELECT * FROM audit_event WHERE action = 'auth.request.refused' ORDER BY seq LIMIT 1`).get() as AuditRow;
        db.prepare('DELETE FROM audit_event WHERE seq = ?').run(deletedRow.seq);
      });

      const [subCa, skm] = await Promise.all([smpki(['audit', 'verify']), smpki(['audit', 'verify', '--service', 'skm'])]);
      expectExit(subCa, 1);
      expect(subCa.stdout).toContain(`audit chain broken at seq ${editedSeq}: hash mismatch (row edited)`);
      expectExit(skm, 1);
      expect(skm.stdout).toContain(`audit chain broken at seq ${deletedRow.seq}: entry missing (row deleted; the next entry is seq ${deletedRow.seq + 1})`);
    }, CLI_TIMEOUT_MS);

    afterAll(() => {
      // Put the rows back as they were, so the restart below continues an intact trail (verified through the API).
      if (editedSeq !== undefined) {
        withSqliteFile(platform.databaseFile('sub-ca'), (db) => db.prepare('UPDATE audit_event SET actor = ? WHERE seq = ?').run(editedActor, editedSeq));
      }
      if (deletedRow !== undefined) {
        const columns = Object.keys(deletedRow);
        withSqliteFile(platform.databaseFile('skm'), (db) =>
          db.prepare(`INSERT INTO audit_event (${columns.join(', ')}) VALUES (${columns.map((name) => `@${name}`).join(', ')})`).run(deletedRow),
        );
      }
    });
  });

  describe('restart with a changed setting', () => {
    let restart: CommandResult;

    beforeAll(async () => {
      restart = await platform.start({ SMPKI_AUDIT_CHECKPOINT_EVERY: '7' });
      commands.push(restart);
      rememberPins();
    }, START_TIMEOUT_MS);

    it('starts again on the same token, without a new bootstrap credential since an administrator exists', () => {
      expectExit(restart, 0);
      for (const service of SERVICE_NAMES) expect(restart.stdout).toContain(platform.url(service));
      expect(`${restart.stdout}${restart.stderr}`).not.toMatch(/smpki-bootstrap-|bootstrap credential|initialising SoftHSM2 token/);
      expect([platform.userPin(), platform.soPin()]).toEqual(firstPins);
    });

    it('records the change in every service audit trail as config.changed naming the setting; the trail verifies', async () => {
      for (const service of ['sub-ca', 'skm'] as const) {
        const changes = await auditEvents(service, '&action=config.changed');
        expect({ service, changes }).toMatchObject({ service, changes: [{ target: service, details: { changed: expect.arrayContaining(['audit.checkpointEvery']) } }] });
        const verification = await http.send(url(service, '/v1/audit/verification'), { token: auditorToken });
        expect({ service, body: verification.body }).toMatchObject({ service, body: { ok: true } });
      }
    });

    it('keeps accepting the administrator token issued before the restart, and runs with the new setting', async () => {
      const answer = await http.send(url('sub-ca', '/v1/configuration'), { token: adminToken });
      expect({ status: answer.status, checkpointEvery: answer.body['audit.checkpointEvery'] }).toEqual({ status: 200, checkpointEvery: 7 });
    });
  });

  describe('secrets', () => {
    it('never shows the token PINs: in no answer, command output, log file or database file', () => {
      expect(pins.size).toBeGreaterThanOrEqual(2);
      const places: Array<[string, Buffer]> = [
        ...http.bodies.map((body, i): [string, Buffer] => [`HTTP answer ${i}`, Buffer.from(body)]),
        ...commands.map((result): [string, Buffer] => [result.command, Buffer.from(`${result.stdout}${result.stderr}`)]),
        ...[...platform.logFiles(), ...platform.databaseFiles()].map((file): [string, Buffer] => [file, readFileSync(file)]),
      ];
      expect(places.length).toBeGreaterThan(20);
      const leaks = places.filter(([, content]) => [...pins].some((pin) => content.includes(pin))).map(([place]) => place);
      expect(leaks).toEqual([]);
    });
  });
});

describe('a service with a wrong HSM setting', () => {
  const MAIN = join(REPOSITORY_ROOT, 'dist/apps/sub-ca/src/main.js');
  let work: string;
  let token: TestToken;
  let port: number;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'smpki-wrong-setting-'));
    token = createTestToken('smpki-wrong-pin', '4711-right');
    [port] = await freePorts(1);
  });

  afterAll(() => {
    token?.remove();
    rmSync(work, { recursive: true, force: true });
  });

  /** The compiled sub-ca main (built by start.sh above) with a user's environment plus the HSM settings given. */
  function runSubCa(hsm: Record<string, string>): Promise<CommandResult> {
    const env = userEnvironment({
      SMPKI_HTTP_PORT: String(port),
      SMPKI_HTTP_HOST: '127.0.0.1',
      SMPKI_DATA_DIR: work,
      SMPKI_DB_URL: `sqlite:${join(work, 'sub-ca.sqlite')}`,
      SOFTHSM2_CONF: token.configPath,
      SMPKI_HSM_MODULE: SOFTHSM_MODULE,
      SMPKI_HSM_TOKEN: token.label,
      // Every service requires token authentication; the key is looked up only after the HSM login this tests.
      SMPKI_AUTH_TOKEN_KEY: `pkcs11:token=${token.label};object=auth-token-signer`,
      ...hsm,
    });
    return runCommand(process.execPath, [MAIN], { cwd: work, env, timeoutMs: 30_000 });
  }

  it('stops on a missing PIN file with one line naming SMPKI_HSM_PIN_FILE, exit 1', async () => {
    const missing = join(work, 'no-such-pin');
    const result = await runSubCa({ SMPKI_HSM_PIN_FILE: missing });
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr: `smpki-sub-ca: configuration error: SMPKI_HSM_PIN_FILE must name a readable file (got "${missing}": no such file)\n`,
    });
  });

  it('stops on a wrong PIN, saying so without printing it, exit 1', async () => {
    const wrongPin = 'wrong-8d1f27';
    const pinFile = join(work, 'pin');
    writeFileSync(pinFile, `${wrongPin}\n`, { mode: 0o600 });
    const result = await runSubCa({ SMPKI_HSM_PIN_FILE: pinFile });
    expect(result.code).toBe(1);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).toContain(`logging in to token '${token.label}'`);
    expect(output).toContain('the PIN is incorrect');
    expect(output).not.toContain(wrongPin);
    expect(output).not.toContain(token.userPin);
  });
});
