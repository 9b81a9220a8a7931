import { createPublicKey } from 'node:crypto';
import type { CliContext } from '../cli-context';

export async function hsmStatus(context: CliContext, out: (line: string) => void): Promise<void> {
  const keys = await context.keys();
  const health = await keys.health();
  out(`token ${health.token}: ${health.ok ? 'ready' : `not usable${health.detail ? ` (${health.detail})` : ''}`}`);
  const capabilities = (keys as { capabilities?: unknown }).capabilities;
  if (capabilities) out(JSON.stringify(capabilities, null, 2));
}

export async function hsmListKeys(context: CliContext, out: (line: string) => void): Promise<void> {
  const keys = await (await context.keys()).listKeys();
  for (const key of keys) {
    const shape = key.kind === 'aes' ? `aes-${key.bits}` : `${key.kind} ${key.curve}`;
    const protection = key.kind === 'ec-public' ? 'public' : `${key.sensitive ? 'sensitive' : 'NOT SENSITIVE'}, ${key.extractable ? 'extractable only wrapped' : 'never extractable'}`;
    out(`${key.uri}  ${shape}  ${protection}`);
  }
}

/** PEM of a key's public half: what `audit verify --trusted-key` and token verifiers in other services need. */
export async function hsmPublicKey(context: CliContext, uri: string, out: (line: string) => void): Promise<void> {
  const key = await (await context.keys()).getPublicKey(uri);
  out(createPublicKey({ key: key.spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString().trimEnd());
}
