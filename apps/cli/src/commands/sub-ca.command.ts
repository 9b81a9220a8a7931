/**
 * `smpki sub-ca request`: the sub-CA's half of being certified by the offline root. Generates the sub-CA key in the
 * HSM (sensitive, never extractable; its creation is audited) and writes a PKCS#10 request signed with it, which
 * the root certifies with `smpki root-ca certify`. The private key never leaves the token.
 */
import { writeFileSync } from 'node:fs';
import { createCertificationRequest, toPem } from '@smpki/crypto';
import type { Curve } from '@smpki/hsm';
import { AuditedKeyManager } from '@smpki/runtime';
import type { CliContext } from '../cli-context';
import { parseDistinguishedNameArgument } from '../distinguished-name-argument';

/** The curves the SM-PKI sub-CA profile allows. */
export const SUB_CA_CURVES = ['brainpoolP256r1', 'brainpoolP384r1'] as const satisfies readonly Curve[];
export type SubCaCurve = (typeof SUB_CA_CURVES)[number];

export interface SubCaRequestOptions {
  /** PKCS#11 URI of the new sub-CA key. */
  keyUri: string;
  /** `CN=...,O=...,C=DE,serialNumber=1`. */
  subject: string;
  curve?: string;
  /** Where the request goes: PEM, or DER when the name ends in `.der`. */
  out: string;
  /** Sign with the key already at `keyUri` instead of refusing it (e.g. a new request for the same key). */
  reuseKey?: boolean;
}

export async function subCaRequest(context: CliContext, options: SubCaRequestOptions, out: (line: string) => void): Promise<void> {
  const curve = (options.curve ?? 'brainpoolP256r1') as SubCaCurve;
  if (!SUB_CA_CURVES.includes(curve)) throw new Error(`--curve must be one of ${SUB_CA_CURVES.join(', ')} (got "${options.curve}")`);
  if (!options.keyUri.startsWith('pkcs11:')) throw new Error(`--key-uri must be a PKCS#11 URI (pkcs11:token=...;object=...), got "${options.keyUri}"`);
  const subject = parseDistinguishedNameArgument(options.subject);

  const keys = await context.keys();
  const existing = await keys.findKey(options.keyUri);
  if (existing && !options.reuseKey) {
    throw new Error(`a key already exists at ${options.keyUri}; pass --reuse-key to sign the request with it, or choose another --key-uri`);
  }
  if (existing) {
    if (existing.kind === 'aes') throw new Error(`${options.keyUri} is an AES key, not an EC key pair`);
    out(`reusing ${options.keyUri}${existing.curve ? ` (${existing.curve})` : ''}`);
  } else {
    // Through the audited key manager: the creation (or a failed attempt) is recorded in this service's trail.
    await new AuditedKeyManager(keys, await context.audit()).createEcKeyPair(options.keyUri, curve, { usages: ['sign'] });
    out(`created ${options.keyUri} (${curve}, sensitive, never extractable)`);
  }

  const der = await createCertificationRequest({ subject }, await keys.createSigner(options.keyUri));
  writeFileSync(options.out, options.out.endsWith('.der') ? der : toPem(der, 'CERTIFICATE REQUEST'));
  out(`PKCS#10 request for ${options.subject} -> ${options.out}`);
}
