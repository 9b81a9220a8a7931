import type { Signer } from '@smpki/hsm';

/** ES256 signature size: r and s, 32 bytes each (RFC 7518 §3.4). */
const ES256_SIGNATURE_BYTES = 64;

/**
 * Signs a compact JWS (RFC 7515 §7.1) with an HSM key. `jose` signs only with keys it holds, so the signing input
 * is assembled here and the signer hashes it with SHA-256 and returns the raw r||s that JOSE expects.
 */
export async function signCompactJws(header: Record<string, unknown>, payload: Record<string, unknown>, signer: Signer): Promise<string> {
  const signingInput = `${base64url(header)}.${base64url(payload)}`;
  const signature = await signer.sign(Buffer.from(signingInput, 'ascii'), { hash: 'SHA-256', format: 'raw' });
  if (signature.length !== ES256_SIGNATURE_BYTES) {
    throw new Error(`token signer ${signer.keyUri} returned a ${signature.length}-byte signature; ES256 needs ${ES256_SIGNATURE_BYTES} (raw r||s)`);
  }
  return `${signingInput}.${signature.toString('base64url')}`;
}

function base64url(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
