/**
 * The platform as a user runs it from a checkout: `bash scripts/start.sh --detach` on a data directory of its own
 * and free ports, the operator CLI (`npm run smpki -- ...`), `bash scripts/stop.sh`. Knows the embedded layout of
 * the data directory (db/<service>.sqlite, logs/<service>.log, secrets/, softhsm/).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@smpki/platform';
import { freePorts } from './free-ports';
import { runCommand, type CommandResult } from './run-command';
import { REPOSITORY_ROOT, userEnvironment } from './user-environment';

/** The variables scripts/lib/embedded.sh reads the ports from. */
const PORT_VARIABLES: Record<ServiceName, string> = {
  'root-ca': 'SMPKI_ROOT_CA_PORT',
  'sub-ca': 'SMPKI_SUB_CA_PORT',
  skm: 'SMPKI_SKM_PORT',
  directory: 'SMPKI_DIRECTORY_PORT',
};

/** start.sh builds dist/ first (~20 s on two busy cores), then waits up to 60 s per service. */
const START_TIMEOUT_MS = 170_000;
const COMMAND_TIMEOUT_MS = 60_000;
/** A service gets this long to stop on SIGTERM before it is killed (its shutdown grace is 10 s). */
const STOP_GRACE_MS = 12_000;

export interface ServiceProcessId {
  service: ServiceName;
  pid: number;
}

export class EmbeddedPlatform {
  private constructor(
    readonly dataDir: string,
    private readonly ports: Record<ServiceName, number>,
    /** The directory's LDAP port: free too, so that two platforms of parallel test files never share 1389. */
    readonly ldapPort: number,
  ) {}

  static async create(): Promise<EmbeddedPlatform> {
    const dataDir = mkdtempSync(join(tmpdir(), 'smpki-quick-start-'));
    const ports = await freePorts(SERVICE_NAMES.length + 1);
    const byService = Object.fromEntries(SERVICE_NAMES.map((service, i) => [service, ports[i]])) as Record<ServiceName, number>;
    return new EmbeddedPlatform(dataDir, byService, ports[SERVICE_NAMES.length]!);
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports[service]}`;
  }

  path(...parts: string[]): string {
    return join(this.dataDir, ...parts);
  }

  databaseFile(service: ServiceName): string {
    return this.path('db', `${service}.sqlite`);
  }

  /** The user PIN start.sh generated for the platform's SoftHSM2 token. */
  userPin(): string {
    return readFileSync(this.path('secrets', 'hsm-user-pin'), 'utf8').trim();
  }

  soPin(): string {
    return readFileSync(this.path('secrets', 'hsm-so-pin'), 'utf8').trim();
  }

  /** `bash scripts/start.sh --detach`, with further settings (e.g. a changed SMPKI_AUDIT_CHECKPOINT_EVERY). */
  start(settings: Record<string, string> = {}): Promise<CommandResult> {
    return this.run('bash', ['scripts/start.sh', '--detach'], settings, START_TIMEOUT_MS);
  }

  stop(): Promise<CommandResult> {
    return this.run('bash', ['scripts/stop.sh'], {}, COMMAND_TIMEOUT_MS);
  }

  /** `npm run smpki -- <args>`: the operator CLI on this data directory. */
  smpki(args: string[]): Promise<CommandResult> {
    return this.run('npm', ['run', 'smpki', '--', ...args], {}, COMMAND_TIMEOUT_MS);
  }

  /**
   * The Node process of each service that last started, from the `listening` line it logged (which carries its
   * pid): the process that serves, whatever start.sh recorded in its pid files.
   */
  lastStartedProcesses(): ServiceProcessId[] {
    return SERVICE_NAMES.flatMap((service) => {
      const pid = this.loggedPids(service).at(-1);
      return pid === undefined ? [] : [{ service, pid }];
    });
  }

  /** Those of `processes` that still run their service's main. */
  stillRunning(processes: ServiceProcessId[]): ServiceProcessId[] {
    return processes.filter(({ service, pid }) => isServiceProcess(pid, service));
  }

  /** Services whose port still accepts connections. */
  async listening(): Promise<ServiceName[]> {
    const open = await Promise.all(SERVICE_NAMES.map((service) => acceptsConnections(this.ports[service])));
    return SERVICE_NAMES.filter((_, i) => open[i]);
  }

  /**
   * Leaves nothing running: stop.sh, then SIGTERM (and after the grace, SIGKILL) to every service process this
   * data directory's logs name that is still alive. Returns what had to be stopped that way.
   */
  async shutDown(): Promise<ServiceProcessId[]> {
    await this.stop().catch(() => undefined);
    const leftovers = this.stillRunning(SERVICE_NAMES.flatMap((service) => this.loggedPids(service).map((pid) => ({ service, pid }))));
    for (const { pid } of leftovers) signal(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (this.stillRunning(leftovers).length > 0 && Date.now() < deadline) await sleep(100);
    for (const { pid } of this.stillRunning(leftovers)) signal(pid, 'SIGKILL');
    return leftovers;
  }

  /** Every log file, for checks across all of them. */
  logFiles(): string[] {
    return filesIn(this.path('logs'));
  }

  /** Every database file, with SQLite's -wal and -shm companions. */
  databaseFiles(): string[] {
    return filesIn(this.path('db'));
  }

  remove(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private loggedPids(service: ServiceName): number[] {
    const log = this.path('logs', `${service}.log`);
    if (!existsSync(log)) return [];
    return readFileSync(log, 'utf8')
      .split('\n')
      .flatMap((line) => {
        const record = parseJsonLine(line);
        return record?.msg === 'listening' && typeof record.pid === 'number' ? [record.pid] : [];
      });
  }

  private run(executable: string, args: string[], settings: Record<string, string>, timeoutMs: number): Promise<CommandResult> {
    const ports = Object.fromEntries(SERVICE_NAMES.map((service) => [PORT_VARIABLES[service], String(this.ports[service])]));
    const env = userEnvironment({ SMPKI_DATA_DIR: this.dataDir, ...ports, SMPKI_LDAP_PORT: String(this.ldapPort), ...settings });
    return runCommand(executable, args, { cwd: REPOSITORY_ROOT, env, timeoutMs });
  }
}

/** Alive, and still our service's main (not a later process that reused the pid). */
function isServiceProcess(pid: number, service: ServiceName): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`dist/apps/${service}/src/main.js`);
  } catch {
    return false;
  }
}

/** A process that ended in between is no error. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : [];
}

function parseJsonLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
