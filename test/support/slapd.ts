/**
 * Debian's OpenLDAP `slapd` for tests that write to or compare with a real LDAP server: a temporary slapd.conf
 * (stock core + cosine schema, one mdb database, a root DN with a password), listening on 127.0.0.1 on a free
 * port, in the foreground so the test owns the process. stop() keeps the data (restart() brings the same server
 * back on the same port); dispose() stops it and deletes everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../platform/support/spawned-service';

export const SLAPD_BINARY = '/usr/sbin/slapd';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

export interface SlapdOptions {
  /** The database suffix (default `c=DE`). */
  suffix?: string;
  /** Also listen for LDAPS with this PEM server certificate and key. */
  tls?: { certificateFile: string; keyFile: string };
}

export class Slapd {
  readonly rootDn: string;
  readonly rootPassword = 'slapd-test-secret';
  private child: ChildProcess | undefined;

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly suffix: string,
    /** 0 without TLS. */
    readonly ldapsPort: number,
    private readonly tls: SlapdOptions['tls'],
  ) {
    this.rootDn = `cn=admin,${suffix}`;
  }

  /** Starts a fresh, empty slapd (the suffix entry itself does not exist yet). */
  static async start(options: SlapdOptions = {}): Promise<Slapd> {
    const dir = mkdtempSync(join(tmpdir(), 'smpki-slapd-'));
    const slapd = new Slapd(dir, await freePort(), options.suffix ?? 'c=DE', options.tls ? await freePort() : 0, options.tls);
    try {
      slapd.writeConfig();
      await slapd.restart();
      return slapd;
    } catch (error) {
      await slapd.dispose();
      throw error;
    }
  }

  get url(): string {
    return `ldap://127.0.0.1:${this.port}`;
  }

  get ldapsUrl(): string {
    return `ldaps://127.0.0.1:${this.ldapsPort}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** Starts the server again on the same port with the same data; resolves once it accepts connections. */
  async restart(): Promise<void> {
    if (this.child) return;
    // `-d 0`: stay in the foreground (no fork), log nothing.
    const child = spawn(SLAPD_BINARY, ['-f', join(this.dir, 'slapd.conf'), '-h', this.tls ? `${this.url} ${this.ldapsUrl}` : this.url, '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.child = child;
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`slapd exited with ${code}: ${stderr.trim()}`))));
    await Promise.race([this.waitForPort(), exited]);
    exited.catch(() => undefined);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s); the data stays for restart(). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private writeConfig(): void {
    mkdirSync(join(this.dir, 'db'));
    writeFileSync(
      join(this.dir, 'slapd.conf'),
      [
        `include ${SCHEMA_DIR}/core.schema`,
        `include ${SCHEMA_DIR}/cosine.schema`,
        `pidfile ${join(this.dir, 'slapd.pid')}`,
        `argsfile ${join(this.dir, 'slapd.args')}`,
        ...(this.tls ? [`TLSCertificateFile ${this.tls.certificateFile}`, `TLSCertificateKeyFile ${this.tls.keyFile}`] : []),
        `modulepath ${MODULE_DIR}`,
        'moduleload back_mdb',
        'database mdb',
        `suffix "${this.suffix}"`,
        `rootdn "${this.rootDn}"`,
        `rootpw ${this.rootPassword}`,
        `directory ${join(this.dir, 'db')}`,
        'maxsize 104857600',
        'index objectClass eq',
        '',
      ].join('\n'),
    );
  }

  private async waitForPort(limitMs = 10_000): Promise<void> {
    const deadline = Date.now() + limitMs;
    for (;;) {
      if (await this.accepts()) return;
      if (Date.now() > deadline) throw new Error(`slapd did not listen on ${this.url} within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  private accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
