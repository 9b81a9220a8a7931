/**
 * Access tokens signed in a real token (SoftHSM2): a P-256 key of the PKCS#11 key manager signs them, `jose`
 * verifies them with the key's public half, and the access guard of an application lets them in. A token signed by
 * another P-256 key of the same token is refused, whichever key id it claims.
 */
import type { INestApplication } from '@nestjs/common';
import { signCompactJws, TokenService } from '@smpki/auth';
import type { Signer } from '@smpki/hsm';
import { createPublicKey, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import request from 'supertest';
import { openTestKeyManager, type TestKeyManager } from '../hsm/support/test-key-manager';
import { AUDIENCE, createAuthTestApp, ISSUER, type AuthTestApp } from './auth-test-app';

/** Enough tokens that some signatures have an r or s with leading zero bytes, which raw r||s must keep. */
const TOKENS = 40;

describe('access tokens signed by an HSM key', () => {
  let hsm: TestKeyManager;
  let signer: Signer;
  /** Another P-256 key in the same token, unknown to the application. */
  let stranger: Signer;
  let ctx: AuthTestApp;
  let app: INestApplication;
  let tokens: TokenService;

  beforeAll(async () => {
    hsm = await openTestKeyManager();
    for (const name of ['auth-token-signer', 'stranger']) await hsm.km.createEcKeyPair(hsm.uri(name), 'P-256');
    [signer, stranger] = await Promise.all(['auth-token-signer', 'stranger'].map((name) => hsm.km.createSigner(hsm.uri(name))));
    ctx = await createAuthTestApp({ signer });
    app = ctx.app;
    tokens = app.get(TokenService);
  });

  afterAll(async () => {
    await app?.close();
    await hsm?.dispose();
  });

  const get = (path: string, token: string): request.Test => request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${token}`);

  it('issues ES256 tokens that jose verifies with the public key read from the token', async () => {
    const publicKey = createPublicKey({ key: (await hsm.km.getPublicKey(hsm.uri('auth-token-signer'))).spki, format: 'der', type: 'spki' });
    const issued = await Promise.all(Array.from({ length: TOKENS }, (_, i) => tokens.issue({ subject: `operator-${i}`, roles: ['ca-operator'] })));
    const verified = await Promise.all(
      issued.map(({ accessToken }) => jwtVerify(accessToken, publicKey, { algorithms: ['ES256'], typ: 'at+jwt', issuer: ISSUER, audience: AUDIENCE })),
    );
    expect(verified.map(({ payload }) => payload.sub)).toEqual(issued.map((_, i) => `operator-${i}`));
    expect(verified[0].payload.roles).toEqual(['ca-operator']);

    const jwks = await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toEqual([decodeProtectedHeader(issued[0].accessToken).kid]);
  });

  it('lets a token the HSM signed through the access guard', async () => {
    const { accessToken } = await tokens.issue({ subject: 'operator-1', roles: ['ca-operator'] });
    const response = await get('/probe/issue', accessToken).expect(200);
    expect(response.body).toEqual({ subject: 'operator-1', roles: ['ca-operator'], via: 'bearer-token' });
  });

  it('refuses a token signed by another P-256 key of the token, with the signing key id or its own', async () => {
    const { accessToken } = await tokens.issue({ subject: 'operator-1', roles: ['ca-operator'] });
    const kid = decodeProtectedHeader(accessToken).kid;
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'operator-1', iat: now, nbf: now, exp: now + 300, jti: randomUUID(), roles: ['ca-operator'] };
    const forged = await signCompactJws({ alg: 'ES256', typ: 'at+jwt', kid }, claims, stranger);

    const publicKey = createPublicKey({ key: signer.publicKey.spki, format: 'der', type: 'spki' });
    await expect(jwtVerify(forged, publicKey, { algorithms: ['ES256'] })).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);

    const refused = await get('/probe/issue', forged).expect(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'urn:smpki:problem:unauthenticated', reason: 'invalid-token' });
    expect(ctx.sink.events.at(-1)).toMatchObject({ action: 'auth.request.refused', outcome: 'failure', details: { reason: 'invalid-token', cause: 'signature verification failed' } });

    const ownKid = await signCompactJws({ alg: 'ES256', typ: 'at+jwt', kid: 'stranger-key' }, { ...claims, jti: randomUUID() }, stranger);
    await get('/probe/issue', ownKid).expect(401);
    expect(ctx.sink.events.at(-1)).toMatchObject({ details: { reason: 'invalid-token', cause: 'token signed with unknown key "stranger-key"' } });
  });
});
