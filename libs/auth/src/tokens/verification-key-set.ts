import type { KeyObject } from 'node:crypto';
import { p256PublicJwk, type P256PublicJwk } from './p256-jwk';

/**
 * The public keys tokens are accepted from, by `kid`. Key rotation: the new signing key's SPKI is added to every
 * verifier before the issuer switches to it, and the old one stays until its last token has expired.
 */
export class VerificationKeySet {
  private readonly keys = new Map<string, { key: KeyObject; jwk: P256PublicJwk }>();

  constructor(spkis: readonly Buffer[]) {
    for (const spki of spkis) {
      const entry = p256PublicJwk(spki);
      this.keys.set(entry.jwk.kid, entry);
    }
  }

  get size(): number {
    return this.keys.size;
  }

  has(kid: string): boolean {
    return this.keys.has(kid);
  }

  key(kid: string): KeyObject | undefined {
    return this.keys.get(kid)?.key;
  }

  /** RFC 7517 JWK Set, as served at `/.well-known/jwks.json`. */
  jwks(): { keys: P256PublicJwk[] } {
    return { keys: [...this.keys.values()].map((entry) => entry.jwk) };
  }
}
