/**
 * The directory service as production runs it: `node dist/apps/directory/src/main.js` in its own process (HTTP
 * ingest and distribution, LDAP), configured only through SMPKI_* variables, beside a sub-CA process whose outbox
 * publisher pushes to it (SMPKI_DIRECTORY_URL = `baseUrl`). Like the sub-CA process it can be stopped, killed and
 * started again on the same database and ports (the publication-outage tests).
 */
import { spawn } from 'node:child_process';
import { join, resolve, sep } from 'node:path';
import { freePort, keepOutput, processCpuSeconds, signal, waitUntilReady, type SubCaPki } from './sub-ca-process';

const ROOT = resolve(__dirname, __dirname.split(sep).includes('dist') ? '../../..' : '../..');
const MAIN = process.env.SMPKI_DIRECTORY_MAIN ?? join(ROOT, 'dist/apps/directory/src/main.js');

export interface DirectoryProcessOptions {
  /** The HSM token and the token-signing key the publishers' bearer tokens are verified with (the sub-CA's). */
  pki: Pick<SubCaPki, 'token' | 'tokenKeyUri'>;
  dataDir: string;
  /** SMPKI_DB_URL of the directory's own database: postgres://... or sqlite:<file>. */
  databaseUrl: string;
  /** Keep the ports of an earlier start (a restart). */
  port?: number;
  ldapPort?: number;
  /** More SMPKI_* settings (e.g. SMPKI_DIRECTORY_REVOKED, SMPKI_LDAPS_*); they win over the ones derived here. */
  env?: NodeJS.ProcessEnv;
}

export interface DirectoryProcess {
  pid: number;
  /** HTTP port: ingest (`POST /v1/directory/entries`) and distribution (`/crl/<ca>.crl`, `/ca/<ca>.cer`). */
  port: number;
  ldapPort: number;
  /** http://127.0.0.1:<port>, what the sub-CA's SMPKI_DIRECTORY_URL names. */
  baseUrl: string;
  /** ldap://127.0.0.1:<ldapPort> */
  ldapUrl: string;
  cpuSeconds(): number;
  output(): string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export async function startDirectoryProcess(options: DirectoryProcessOptions): Promise<DirectoryProcess> {
  const port = options.port ?? (await freePort());
  const ldapPort = options.ldapPort ?? (await freePort());
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: directoryEnv(options, port, ldapPort), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepOutput(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(baseUrl, undefined, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the directory service did not become ready: ${(error as Error).message}\n--- service output ---\n${output()}`);
  }
  return {
    pid: child.pid!,
    port,
    ldapPort,
    baseUrl,
    ldapUrl: `ldap://127.0.0.1:${ldapPort}`,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    output,
    stop: () => signal(child, exited, 'SIGTERM'),
    kill: () => signal(child, exited, 'SIGKILL'),
  };
}

function directoryEnv(options: DirectoryProcessOptions, port: number, ldapPort: number): NodeJS.ProcessEnv {
  const { token, tokenKeyUri } = options.pki;
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SOFTHSM2_CONF: token.configPath,
    SMPKI_DATA_DIR: options.dataDir,
    SMPKI_DB_URL: options.databaseUrl,
    SMPKI_HTTP_HOST: '127.0.0.1',
    SMPKI_HTTP_PORT: String(port),
    SMPKI_LDAP_HOST: '127.0.0.1',
    SMPKI_LDAP_PORT: String(ldapPort),
    SMPKI_LOG_LEVEL: 'warn',
    SMPKI_HSM_MODULE: token.modulePath,
    SMPKI_HSM_TOKEN: token.label,
    SMPKI_HSM_PIN: token.userPin,
    SMPKI_HSM_WORKERS: '1',
    SMPKI_AUTH_TOKEN_KEY: tokenKeyUri,
    ...options.env,
  };
}
