/**
 * Debian's OpenLDAP `slapd` as a benchmark baseline: a temporary slapd.conf (mdb backend, core + cosine schema,
 * equality indexes), a bulk load with `slapadd -q` from LDIF streamed on its stdin, then the server on a free port
 * in the foreground (its own process, stopped by the benchmark).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, keepOutput, signal } from './sub-ca-process';

const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';
const SLAPD = process.env.SMPKI_BENCH_SLAPD ?? '/usr/sbin/slapd';
const SLAPADD = process.env.SMPKI_BENCH_SLAPADD ?? '/usr/sbin/slapadd';

export interface SlapdOptions {
  dir: string;
  /** The database suffix, e.g. `c=DE`. */
  suffix: string;
  /** Attributes with an equality index (objectClass is always indexed). */
  equalityIndexes: string[];
  /** The mdb map size in bytes (large enough for the load). */
  mapSizeBytes?: number;
  /** slapd worker threads (its default is 16). */
  threads?: number;
}

export interface Slapd {
  pid: number;
  port: number;
  url: string;
  output(): string;
  stop(): Promise<void>;
}

function configFile(options: SlapdOptions): string {
  const database = join(options.dir, 'mdb');
  mkdirSync(database, { recursive: true });
  const file = join(options.dir, 'slapd.conf');
  writeFileSync(
    file,
    [
      `include ${SCHEMA_DIR}/core.schema`,
      `include ${SCHEMA_DIR}/cosine.schema`,
      `pidfile ${join(options.dir, 'slapd.pid')}`,
      `modulepath ${MODULE_DIR}`,
      'moduleload back_mdb',
      `threads ${options.threads ?? 16}`,
      'sizelimit unlimited',
      'database mdb',
      `suffix "${options.suffix}"`,
      `rootdn "cn=admin,${options.suffix}"`,
      `directory ${database}`,
      `maxsize ${options.mapSizeBytes ?? 8 * 1024 ** 3}`,
      'index objectClass eq',
      `index ${options.equalityIndexes.join(',')} eq`,
      'access to * by * read',
      '',
    ].join('\n'),
  );
  return file;
}

function exitOf(child: ChildProcess, output: () => string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}\n${output()}`))));
  });
}

/** Writes the config and bulk-loads the LDIF chunks (`slapadd -q`: no consistency checks, the fast path for a fresh database). */
export async function loadSlapd(options: SlapdOptions, ldif: AsyncIterable<string> | Iterable<string>): Promise<void> {
  const config = configFile(options);
  const child = spawn(SLAPADD, ['-q', '-f', config], { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = keepOutput(child);
  const exited = exitOf(child, output, 'slapadd');
  exited.catch(() => undefined);
  for await (const chunk of ldif) {
    if (!child.stdin!.write(chunk)) await new Promise<void>((resolve, reject) => {
      child.stdin!.once('drain', resolve);
      exited.then(() => reject(new Error('slapadd ended before its input')), reject);
    });
  }
  child.stdin!.end();
  await exited;
}

/** Starts slapd on the loaded database, listening on 127.0.0.1 only; resolves once it accepts connections. */
export async function startSlapd(options: SlapdOptions): Promise<Slapd> {
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}/`;
  // -d 0: stay in the foreground (the benchmark owns the process) without debug output.
  const child = spawn(SLAPD, ['-f', join(options.dir, 'slapd.conf'), '-h', url, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = keepOutput(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await waitForPort(port, child, output);
  return { pid: child.pid!, port, url, output, stop: () => signal(child, exited, 'SIGTERM') };
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const { connect } = await import('node:net');
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`slapd did not listen on ${port}\n${output()}`);
}
