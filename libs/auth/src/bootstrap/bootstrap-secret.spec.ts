import { bootstrapSecretMatches, generateBootstrapSecret, hashBootstrapSecret } from './bootstrap-secret';

describe('bootstrap secret', () => {
  it('is 256 random bits behind a recognisable prefix', () => {
    const secret = generateBootstrapSecret();
    expect(secret).toMatch(/^smpki-bootstrap-[A-Za-z0-9_-]{43}$/);
    expect(generateBootstrapSecret()).not.toBe(secret);
  });

  it('matches only its own hash', () => {
    const secret = generateBootstrapSecret();
    const hash = hashBootstrapSecret(secret);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(secret);
    expect(bootstrapSecretMatches(secret, hash)).toBe(true);
    expect(bootstrapSecretMatches(`${secret}x`, hash)).toBe(false);
    expect(bootstrapSecretMatches(secret, 'abcd')).toBe(false);
  });
});
