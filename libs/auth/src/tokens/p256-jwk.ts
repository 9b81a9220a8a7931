import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** A public P-256 key as a JWK, with the members RFC 7638 hashes and the ones a JWKS publishes. */
export interface P256PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
}

/**
 * Imports a DER SubjectPublicKeyInfo that must hold a P-256 key (ES256 is P-256 only; JOSE has no brainpool),
 * and names it by its RFC 7638 thumbprint.
 */
export function p256PublicJwk(spki: Buffer): { key: KeyObject; jwk: P256PublicJwk } {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(`token verification key: not a DER SubjectPublicKeyInfo (${(error as Error).message})`);
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new Error(`token verification key: ES256 needs a P-256 key, got ${key.asymmetricKeyType}${curve ? ` on ${curve}` : ''}`);
  }
  const { x, y } = key.export({ format: 'jwk' });
  return { key, jwk: { kty: 'EC', crv: 'P-256', x: x!, y: y!, kid: jwkThumbprint(x!, y!), alg: 'ES256', use: 'sig' } };
}

/** RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace, base64url. */
export function jwkThumbprint(x: string, y: string): string {
  const canonical = JSON.stringify({ crv: 'P-256', kty: 'EC', x, y });
  return createHash('sha256').update(canonical).digest('base64url');
}

/** PEM `PUBLIC KEY` (as operators configure it for verify-only services) to DER SPKI. */
export function spkiFromPem(pem: string): Buffer {
  try {
    return createPublicKey(pem).export({ format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(`token verification key: not a PEM public key (${(error as Error).message})`);
  }
}
