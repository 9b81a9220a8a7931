/**
 * SM-PKI renewal requests for the test/ca suites: new SIG and TLS keys (software), the requests signed for their
 * proofs of possession, and the whole signed with the old signature key, as an SM-PKI client does it.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeRenewalRequest, parseCertificate, smPkiRequestExtensions } from '@smpki/crypto';
import { generateTestKey, signWith } from '../../policy/support/test-certificates';
import type { OpensslWorkspace } from '../../crypto/support/openssl';

const SAN = { email: ['maco@company.invalid'], uri: ['https://maco.company.invalid/'] };

/** The private key `opensslRequest(workspace, name)` generated. */
export function opensslKey(workspace: OpensslWorkspace, name: string): KeyObject {
  return createPrivateKey(readFileSync(join(workspace.dir, `${name}.key`)));
}

/**
 * A renewal of `oldCertificate`'s subject (new SIG and TLS keys), signed with `oldKey`; `chain` is included after it.
 * `subject` replaces the subject asked for (a renewal that must be refused).
 */
export async function renewalRequest(oldCertificate: Buffer, oldKey: KeyObject, chain: Buffer[], subject: Buffer = parseCertificate(oldCertificate).subject.der): Promise<Buffer> {
  const requests = (['sig', 'tls'] as const).map((purpose) => {
    const key = generateTestKey();
    const subjectAltName = purpose === 'tls' ? { ...SAN, dns: ['maco.company.invalid'] } : SAN;
    return { subject, publicKey: key.spki, extensions: smPkiRequestExtensions({ purpose, publicKey: key.spki, subjectAltName }), sign: signWith(key) };
  });
  return encodeRenewalRequest(requests, { certificate: oldCertificate, chain, sign: signWith({ privateKey: oldKey, spki: Buffer.alloc(0) }) });
}
