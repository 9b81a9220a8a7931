import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ConfigurationError, formatConfigurationError } from './configuration-error';
import type { Environment } from './env-setting';
import { loadServiceConfig } from './load-service-config';

const PIN = 'pin-5738-secret';

describe('loadServiceConfig', () => {
  let dir: string;
  let moduleFile: string;
  let certFile: string;
  let keyFile: string;
  let caFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-config-'));
    moduleFile = join(dir, 'libpkcs11.so');
    certFile = join(dir, 'server.pem');
    keyFile = join(dir, 'server.key');
    caFile = join(dir, 'clients.pem');
    for (const file of [moduleFile, certFile, keyFile, caFile]) writeFileSync(file, 'x');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const hsmEnv = (extra: Environment = {}): Environment => ({
    SMPKI_HSM_MODULE: moduleFile,
    SMPKI_HSM_TOKEN: 'smpki',
    SMPKI_HSM_PIN: PIN,
    ...extra,
  });

  /** The message of the ConfigurationError that loading `env` throws. */
  function failure(env: Environment, requires?: Parameters<typeof loadServiceConfig>[2]): ConfigurationError {
    try {
      loadServiceConfig('sub-ca', env, { cwd: dir, ...requires });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  }

  describe('defaults', () => {
    it('gives each service its own port, loopback, sqlite in the data directory, info logs', () => {
      const config = loadServiceConfig('skm', {}, { cwd: dir });
      expect(config.service).toBe('skm');
      expect(config.displayName).toBe('smpki-skm');
      expect(config.http).toEqual({ host: '127.0.0.1', port: 8430, shutdownGraceMs: 10_000 });
      expect(config.dataDir).toBe(join(dir, 'data', 'skm'));
      expect(config.database).toEqual({ type: 'better-sqlite3', path: join(dir, 'data', 'skm', 'skm.sqlite') });
      expect(config.logLevel).toBe('info');
      expect(config.tls).toBeUndefined();
      expect(config.hsm).toBeUndefined();
      expect(config.auth).toBeUndefined();
    });

    it.each([
      ['root-ca', 8410],
      ['sub-ca', 8420],
      ['skm', 8430],
      ['directory', 8440],
    ] as const)('%s listens on %d by default', (service, port) => {
      expect(loadServiceConfig(service, {}, { cwd: dir }).http.port).toBe(port);
    });

    it('treats an empty variable as unset', () => {
      expect(loadServiceConfig('sub-ca', { SMPKI_HTTP_PORT: '', SMPKI_LOG_LEVEL: ' ' }, { cwd: dir }).http.port).toBe(8420);
    });
  });

  describe('HTTP', () => {
    it('reads host and port', () => {
      const config = loadServiceConfig('sub-ca', { SMPKI_HTTP_HOST: '0.0.0.0', SMPKI_HTTP_PORT: '9000' }, { cwd: dir });
      expect(config.http.host).toBe('0.0.0.0');
      expect(config.http.port).toBe(9000);
    });

    it.each(['abc', '0', '65536', '80.5', '1e3', ' 80', '-1'])('refuses port %j naming the variable and the value', (port) => {
      const error = failure({ SMPKI_HTTP_PORT: port });
      expect(error.variable).toBe('SMPKI_HTTP_PORT');
      expect(error.message).toBe(`SMPKI_HTTP_PORT must be an integer between 1 and 65535 (got ${JSON.stringify(port)})`);
    });

    it('prints the one line main.ts shows', () => {
      expect(formatConfigurationError('smpki-sub-ca', failure({ SMPKI_HTTP_PORT: 'abc' }))).toBe(
        'smpki-sub-ca: configuration error: SMPKI_HTTP_PORT must be an integer between 1 and 65535 (got "abc")',
      );
    });

    it('refuses a host that is neither an IP address nor a host name', () => {
      expect(failure({ SMPKI_HTTP_HOST: 'bad host!' }).message).toBe('SMPKI_HTTP_HOST must be an IP address or a host name (got "bad host!")');
    });

    it('accepts IPv6 and host names', () => {
      expect(loadServiceConfig('sub-ca', { SMPKI_HTTP_HOST: '::1' }, { cwd: dir }).http.host).toBe('::1');
      expect(loadServiceConfig('sub-ca', { SMPKI_HTTP_HOST: 'ca.example.net' }, { cwd: dir }).http.host).toBe('ca.example.net');
    });

    it('refuses a shutdown grace period out of range', () => {
      expect(failure({ SMPKI_SHUTDOWN_GRACE_MS: '-5' }).variable).toBe('SMPKI_SHUTDOWN_GRACE_MS');
    });
  });

  describe('TLS', () => {
    it('reads certificate, key and client CA', () => {
      const config = loadServiceConfig(
        'sub-ca',
        { SMPKI_TLS_CERT_FILE: certFile, SMPKI_TLS_KEY_FILE: keyFile, SMPKI_TLS_CLIENT_CA_FILE: caFile },
        { cwd: dir },
      );
      expect(config.tls).toEqual({ certFile, keyFile, clientCaFile: caFile });
    });

    it('refuses a certificate without a key, and a key without a certificate', () => {
      expect(failure({ SMPKI_TLS_CERT_FILE: certFile }).message).toBe('SMPKI_TLS_KEY_FILE is required when SMPKI_TLS_CERT_FILE is set');
      expect(failure({ SMPKI_TLS_KEY_FILE: keyFile }).message).toBe('SMPKI_TLS_CERT_FILE is required when SMPKI_TLS_KEY_FILE is set');
    });

    it('refuses a client CA without a server certificate', () => {
      expect(failure({ SMPKI_TLS_CLIENT_CA_FILE: caFile }).variable).toBe('SMPKI_TLS_CERT_FILE');
    });

    it('refuses a missing file, saying which and why', () => {
      const missing = join(dir, 'nope.pem');
      expect(failure({ SMPKI_TLS_CERT_FILE: missing, SMPKI_TLS_KEY_FILE: keyFile }).message).toBe(
        `SMPKI_TLS_CERT_FILE must name a readable file (got "${missing}": no such file)`,
      );
    });

    it('refuses a directory where a file is expected', () => {
      expect(failure({ SMPKI_TLS_CERT_FILE: certFile, SMPKI_TLS_KEY_FILE: dir }).message).toContain('not a regular file');
    });
  });

  describe('database', () => {
    it('maps sqlite: to a better-sqlite3 file resolved against the working directory', () => {
      const config = loadServiceConfig('sub-ca', { SMPKI_DB_URL: 'sqlite:/var/lib/smpki/ca.db' }, { cwd: dir });
      expect(config.database).toEqual({ type: 'better-sqlite3', path: '/var/lib/smpki/ca.db' });
      expect(loadServiceConfig('sub-ca', { SMPKI_DB_URL: 'sqlite::memory:' }, { cwd: dir }).database).toEqual({
        type: 'better-sqlite3',
        path: ':memory:',
      });
    });

    it('maps postgres:// and postgresql:// to postgres', () => {
      const url = 'postgres://smpki:pw@127.0.0.1:5432/smpki';
      expect(loadServiceConfig('sub-ca', { SMPKI_DB_URL: url }, { cwd: dir }).database).toEqual({ type: 'postgres', url });
      expect(loadServiceConfig('sub-ca', { SMPKI_DB_URL: 'postgresql://db/smpki' }, { cwd: dir }).database.type).toBe('postgres');
    });

    it('refuses an unknown scheme without repeating the URL (it may hold a password)', () => {
      const error = failure({ SMPKI_DB_URL: 'mysql://root:hunter2@db/smpki' });
      expect(error.message).toBe('SMPKI_DB_URL must start with sqlite: or postgres:// (got scheme "mysql:")');
      expect(error.message).not.toContain('hunter2');
    });

    it('refuses sqlite: without a path and postgres:// without a host', () => {
      expect(failure({ SMPKI_DB_URL: 'sqlite:' }).message).toBe('SMPKI_DB_URL must name a file after "sqlite:"');
      expect(failure({ SMPKI_DB_URL: 'postgres:///smpki' }).variable).toBe('SMPKI_DB_URL');
    });
  });

  describe('HSM', () => {
    it('reads module, token, PIN, workers and call timeout', () => {
      const config = loadServiceConfig('sub-ca', hsmEnv({ SMPKI_HSM_WORKERS: '4', SMPKI_HSM_CALL_TIMEOUT_MS: '2500' }), { cwd: dir });
      expect({ ...config.hsm }).toEqual({ modulePath: moduleFile, tokenLabel: 'smpki', pin: PIN, workers: 4, callTimeoutMs: 2500 });
    });

    it('defaults to one worker per core and a 10 s call timeout', () => {
      const hsm = loadServiceConfig('sub-ca', hsmEnv(), { cwd: dir }).hsm;
      expect(hsm?.workers).toBe(availableParallelism());
      expect(hsm?.callTimeoutMs).toBe(10_000);
    });

    it('reads the PIN from a file, trimmed', () => {
      const pinFile = join(dir, 'pin');
      writeFileSync(pinFile, `${PIN}\n`);
      const env = hsmEnv({ SMPKI_HSM_PIN: undefined, SMPKI_HSM_PIN_FILE: pinFile });
      expect(loadServiceConfig('sub-ca', env, { cwd: dir }).hsm?.pin).toBe(PIN);
    });

    it('refuses both PIN sources', () => {
      const pinFile = join(dir, 'pin');
      writeFileSync(pinFile, PIN);
      const error = failure(hsmEnv({ SMPKI_HSM_PIN_FILE: pinFile }));
      expect(error.message).toBe('SMPKI_HSM_PIN and SMPKI_HSM_PIN_FILE are both set: set exactly one of them');
      expect(error.message).not.toContain(PIN);
    });

    it('refuses no PIN source', () => {
      expect(failure(hsmEnv({ SMPKI_HSM_PIN: undefined })).variable).toBe('SMPKI_HSM_PIN');
    });

    it('refuses a missing or empty PIN file', () => {
      expect(failure(hsmEnv({ SMPKI_HSM_PIN: undefined, SMPKI_HSM_PIN_FILE: join(dir, 'nope') })).message).toContain(
        'SMPKI_HSM_PIN_FILE must name a readable file',
      );
      const empty = join(dir, 'empty-pin');
      writeFileSync(empty, '\n');
      expect(failure(hsmEnv({ SMPKI_HSM_PIN: undefined, SMPKI_HSM_PIN_FILE: empty })).message).toBe(
        `SMPKI_HSM_PIN_FILE names an empty file (${empty})`,
      );
    });

    it('refuses a module file that does not exist', () => {
      const error = failure(hsmEnv({ SMPKI_HSM_MODULE: '/nonexistent/libpkcs11.so' }));
      expect(error.message).toBe('SMPKI_HSM_MODULE must name a readable file (got "/nonexistent/libpkcs11.so": no such file)');
    });

    it('refuses a partial HSM section, naming what is missing', () => {
      expect(failure({ SMPKI_HSM_PIN: PIN, SMPKI_HSM_TOKEN: 'smpki' }).message).toBe(
        'SMPKI_HSM_MODULE is required when the HSM is configured (any SMPKI_HSM_* variable is set)',
      );
      expect(failure({ SMPKI_HSM_MODULE: moduleFile, SMPKI_HSM_PIN: PIN }).variable).toBe('SMPKI_HSM_TOKEN');
    });

    it('refuses a token label longer than PKCS#11 allows', () => {
      expect(failure(hsmEnv({ SMPKI_HSM_TOKEN: 'x'.repeat(33) })).variable).toBe('SMPKI_HSM_TOKEN');
    });

    it.each([
      ['SMPKI_HSM_WORKERS', '0'],
      ['SMPKI_HSM_WORKERS', 'many'],
      ['SMPKI_HSM_CALL_TIMEOUT_MS', '10'],
    ])('refuses %s=%j', (name, value) => {
      expect(failure(hsmEnv({ [name]: value })).variable).toBe(name);
    });
  });

  describe('auth', () => {
    const key = 'pkcs11:token=smpki;object=auth-token-key';

    it('reads the token key, issuer and lifetime; the issuer defaults to the one platform-wide issuer', () => {
      const config = loadServiceConfig('sub-ca', { SMPKI_AUTH_TOKEN_KEY: key, SMPKI_AUTH_TOKEN_TTL_SECONDS: '600' }, { cwd: dir });
      expect(config.auth).toEqual({ tokenKeyUri: key, issuer: 'smpki', audience: 'smpki', tokenTtlSeconds: 600, verificationKeyFiles: [] });
      // Every service expects the issuer that sub-ca signs with, or its tokens would be refused everywhere else.
      expect(loadServiceConfig('skm', { SMPKI_AUTH_TOKEN_KEY: key }, { cwd: dir }).auth?.issuer).toBe(config.auth?.issuer);
      expect(loadServiceConfig('sub-ca', { SMPKI_AUTH_TOKEN_KEY: key, SMPKI_AUTH_ISSUER: 'https://ca' }, { cwd: dir }).auth?.issuer).toBe(
        'https://ca',
      );
    });

    it('refuses a token lifetime above one hour', () => {
      expect(failure({ SMPKI_AUTH_TOKEN_KEY: key, SMPKI_AUTH_TOKEN_TTL_SECONDS: '3601' }).message).toBe(
        'SMPKI_AUTH_TOKEN_TTL_SECONDS must be an integer between 1 and 3600 (got "3601")',
      );
    });

    it('refuses a token key that is not a PKCS#11 object URI', () => {
      expect(failure({ SMPKI_AUTH_TOKEN_KEY: 'auth-token-key' }).variable).toBe('SMPKI_AUTH_TOKEN_KEY');
      expect(failure({ SMPKI_AUTH_TOKEN_KEY: 'pkcs11:token=smpki' }).variable).toBe('SMPKI_AUTH_TOKEN_KEY');
    });

    it('refuses an issuer without a token key', () => {
      expect(failure({ SMPKI_AUTH_ISSUER: 'smpki' }).variable).toBe('SMPKI_AUTH_TOKEN_KEY');
    });

    it('reads the audience and the extra verification keys, each of which must be a readable file', () => {
      const config = loadServiceConfig('skm', { SMPKI_AUTH_TOKEN_KEY: key, SMPKI_AUTH_AUDIENCE: 'msp-7', SMPKI_AUTH_VERIFY_KEY_FILES: `${certFile}, ${certFile}` }, { cwd: dir });
      expect(config.auth).toMatchObject({ audience: 'msp-7', verificationKeyFiles: [certFile, certFile] });
      expect(failure({ SMPKI_AUTH_TOKEN_KEY: key, SMPKI_AUTH_VERIFY_KEY_FILES: `${certFile},${join(dir, 'missing.pem')}` }).variable).toBe(
        'SMPKI_AUTH_VERIFY_KEY_FILES',
      );
    });
  });

  describe('access rules and audit', () => {
    it('defaults to the built-in rules and a checkpoint every 100 events without a signing key', () => {
      const config = loadServiceConfig('sub-ca', {}, { cwd: dir });
      expect(config.access).toEqual({});
      expect(config.audit).toEqual({ checkpointEvery: 100 });
    });

    it('reads the rules files and the checkpoint key', () => {
      const config = loadServiceConfig(
        'sub-ca',
        { SMPKI_ACCESS_RULES_FILE: certFile, SMPKI_CLIENT_CERT_ROLES_FILE: certFile, SMPKI_AUDIT_CHECKPOINT_KEY: 'pkcs11:token=smpki;object=audit', SMPKI_AUDIT_CHECKPOINT_EVERY: '7' },
        { cwd: dir },
      );
      expect(config.access).toEqual({ rulesFile: certFile, clientCertificateRolesFile: certFile });
      expect(config.audit).toEqual({ checkpointKeyUri: 'pkcs11:token=smpki;object=audit', checkpointEvery: 7 });
    });

    it('refuses a missing rules file, a bad checkpoint key URI and a zero checkpoint interval', () => {
      expect(failure({ SMPKI_ACCESS_RULES_FILE: join(dir, 'missing.json') }).variable).toBe('SMPKI_ACCESS_RULES_FILE');
      expect(failure({ SMPKI_AUDIT_CHECKPOINT_KEY: 'audit' }).variable).toBe('SMPKI_AUDIT_CHECKPOINT_KEY');
      expect(failure({ SMPKI_AUDIT_CHECKPOINT_EVERY: '0' }).variable).toBe('SMPKI_AUDIT_CHECKPOINT_EVERY');
    });
  });

  describe('data directory and log level', () => {
    it('reads the data directory, which may not exist yet', () => {
      expect(loadServiceConfig('sub-ca', { SMPKI_DATA_DIR: join(dir, 'later') }, { cwd: dir }).dataDir).toBe(join(dir, 'later'));
    });

    it('refuses a data directory that is a file', () => {
      expect(failure({ SMPKI_DATA_DIR: certFile }).message).toBe(`SMPKI_DATA_DIR must name a directory (got "${certFile}": not a directory)`);
    });

    it('puts the default database in the configured data directory', () => {
      const data = join(dir, 'var');
      mkdirSync(data, { recursive: true });
      expect(loadServiceConfig('sub-ca', { SMPKI_DATA_DIR: data }, { cwd: dir }).database).toEqual({
        type: 'better-sqlite3',
        path: join(data, 'sub-ca.sqlite'),
      });
    });

    it('refuses an unknown log level', () => {
      expect(failure({ SMPKI_LOG_LEVEL: 'loud' }).message).toBe(
        'SMPKI_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace (got "loud")',
      );
    });
  });

  describe('required sections', () => {
    it('stops a service that requires the HSM when none is configured', () => {
      expect(failure({}, { requires: ['hsm'] }).message).toBe('SMPKI_HSM_MODULE is required by smpki-sub-ca');
    });

    it('stops a service that requires mutual TLS when only TLS is configured', () => {
      const env = { SMPKI_TLS_CERT_FILE: certFile, SMPKI_TLS_KEY_FILE: keyFile };
      expect(failure(env, { requires: ['mutual-tls'] }).variable).toBe('SMPKI_TLS_CLIENT_CA_FILE');
    });

    it('passes when the required sections are there', () => {
      expect(loadServiceConfig('sub-ca', hsmEnv(), { cwd: dir, requires: ['hsm'] }).hsm).toBeDefined();
    });
  });

  describe('redaction', () => {
    const env = (): Environment => hsmEnv({ SMPKI_DB_URL: 'postgres://smpki:db-password-1@127.0.0.1/smpki' });

    it('never shows the PIN or the database password in JSON, String() or util.inspect', () => {
      const config = loadServiceConfig('sub-ca', env(), { cwd: dir });
      for (const printed of [JSON.stringify(config), String(config), inspect(config, { depth: 10 }), JSON.stringify(config.hsm), inspect(config.hsm), JSON.stringify(config.database)]) {
        expect(printed).not.toContain(PIN);
        expect(printed).not.toContain('db-password-1');
      }
      expect(JSON.parse(JSON.stringify(config)).hsm.pin).toBe('[REDACTED]');
      expect(JSON.parse(String(config)).database.url).toBe('postgres://smpki:REDACTED@127.0.0.1/smpki');
    });

    it('keeps the real values for the code that uses them, also in a spread copy', () => {
      const config = loadServiceConfig('sub-ca', env(), { cwd: dir });
      expect(config.hsm?.pin).toBe(PIN);
      expect({ ...config.hsm }.pin).toBe(PIN);
      expect(config.database).toMatchObject({ url: 'postgres://smpki:db-password-1@127.0.0.1/smpki' });
      expect(structuredClone({ ...config.hsm }).pin).toBe(PIN);
    });
  });
});
