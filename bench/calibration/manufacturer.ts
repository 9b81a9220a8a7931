/**
 * Onboarding a manufacturer as an administrator does it (docs/METER-REGISTRATION.md): POST /v1/manufacturers, then
 * the manufacturer's key and PKCS#10 request made with openssl (brainpoolP256r1, an sm-user-tls subject) and its TLS
 * client certificate from POST /v1/manufacturers/{id}/credentials. Leaves client.pem / client.key for mutual TLS.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

export interface Manufacturer {
  id: string;
  flagId: string;
  certFile: string;
  keyFile: string;
}

export interface OnboardingOptions {
  baseUrl: string;
  /** Verifies the sub-CA's server certificate. */
  caFile: string;
  adminToken: string;
  dir: string;
  name: string;
  gln: string;
  flagId: string;
}

/** POST with a JSON body over HTTPS; resolves the status and parsed body. */
export function postJson(url: string, body: unknown, options: { caFile: string; token?: string }): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise((resolve, reject) => {
    const call = request(url, { method: 'POST', headers, ca: readFileSync(options.caFile) }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: kept as text for the error message.
        }
        resolve({ status: response.statusCode ?? 0, body: parsed });
      });
    });
    call.on('error', reject);
    call.end(payload);
  });
}

function expectStatus(what: string, answer: { status: number; body: unknown }, status: number): void {
  if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
}

export async function onboardManufacturer(options: OnboardingOptions): Promise<Manufacturer> {
  const auth = { caFile: options.caFile, token: options.adminToken };
  const created = await postJson(`${options.baseUrl}/v1/manufacturers`, { name: options.name, gln: options.gln, flagId: options.flagId }, auth);
  expectStatus('POST /v1/manufacturers', created, 201);
  const id = (created.body as { id: string }).id;
  const keyFile = join(options.dir, 'client.key');
  const csrFile = join(options.dir, 'client.csr');
  execFileSync('openssl', ['ecparam', '-name', 'brainpoolP256r1', '-genkey', '-noout', '-out', keyFile]);
  execFileSync('openssl', [
    'req', '-new', '-key', keyFile, '-out', csrFile,
    '-subj', `/CN=${options.flagId}-Line.EMT.MAK/O=SM-Test-PKI-DE/OU=${options.gln}/C=DE/serialNumber=1`,
    '-addext', `subjectAltName=email:line@${options.flagId.toLowerCase()}.invalid,URI:https://line.${options.flagId.toLowerCase()}.invalid/,DNS:line.${options.flagId.toLowerCase()}.invalid`,
  ]);
  const credential = await postJson(`${options.baseUrl}/v1/manufacturers/${id}/credentials`, { request: readFileSync(csrFile, 'utf8') }, auth);
  expectStatus(`POST /v1/manufacturers/${id}/credentials`, credential, 201);
  const certFile = join(options.dir, 'client.pem');
  writeFileSync(certFile, (credential.body as { certificate: string }).certificate);
  return { id, flagId: options.flagId, certFile, keyFile };
}
