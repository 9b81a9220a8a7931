/**
 * Certificates for the mutual-TLS tests, made with the openssl CLI in a temporary directory: a client CA (which
 * also signs the server certificate), client certificates under it, a second CA the server does not trust, and a
 * brainpoolP256r1 CA with a client, as smart-metering parties have.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Credential {
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
}

export class TlsFixtures {
  readonly dir = mkdtempSync(join(tmpdir(), 'smpki-mtls-'));

  private path(name: string): string {
    return join(this.dir, name);
  }

  private openssl(...args: string[]): void {
    execFileSync('openssl', args, { cwd: this.dir, stdio: 'pipe' });
  }

  private key(name: string, curve: string): string {
    this.openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', `${name}.key`);
    return `${name}.key`;
  }

  private credential(name: string): Credential {
    const certFile = this.path(`${name}.pem`);
    const keyFile = this.path(`${name}.key`);
    return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
  }

  ca(name: string, subject: string, curve = 'P-256'): Credential {
    const key = this.key(name, curve);
    this.openssl('req', '-x509', '-new', '-key', key, '-subj', subject, '-days', '2', '-out', `${name}.pem`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
    return this.credential(name);
  }

  /** An end-entity certificate for `name`, signed by the CA named `issuer`. */
  issue(name: string, issuer: string, subject: string, extensions: string[], curve = 'P-256'): Credential {
    const key = this.key(name, curve);
    this.openssl('req', '-new', '-key', key, '-subj', subject, '-out', `${name}.csr`);
    writeFileSync(this.path(`${name}.ext`), `${extensions.join('\n')}\n`);
    this.openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-CAcreateserial',
      '-days', '1', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
    return this.credential(name);
  }

  client(name: string, issuer: string, subject: string, options: { curve?: string; policies?: string[] } = {}): Credential {
    const extensions = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];
    if (options.policies) extensions.push(`certificatePolicies=${options.policies.join(',')}`);
    return this.issue(name, issuer, subject, extensions, options.curve);
  }

  server(name: string, issuer: string): Credential {
    return this.issue(name, issuer, '/CN=localhost', ['subjectAltName=DNS:localhost,IP:127.0.0.1', 'extendedKeyUsage=serverAuth']);
  }

  /** A PEM bundle of several CA certificates. */
  bundle(name: string, ...certificates: Credential[]): string {
    const file = this.path(name);
    writeFileSync(file, Buffer.concat(certificates.map((certificate) => certificate.cert)));
    return file;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
