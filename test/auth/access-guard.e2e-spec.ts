/**
 * The deny-by-default guard with bearer tokens: who gets in, who gets a 401 or a 403 problem, and what is
 * reported. Tokens are signed through the Signer interface (software P-256 here; the lead runs the same file
 * with a SoftHSM signer).
 */
import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthModule, Command, signCompactJws, TokenService } from '@smpki/auth';
import { createHmac, createPublicKey, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Signer } from '@smpki/hsm';
import { AUDIENCE, authOptions, createAuthTestApp, createTokenSigner, ISSUER, RecordingEventSink, type AuthTestApp } from './auth-test-app';

const now = (): number => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = now();
  return { iss: ISSUER, aud: AUDIENCE, sub: 'operator-1', iat, nbf: iat, exp: iat + 300, jti: randomUUID(), roles: ['ca-operator'], ...overrides };
}

function b64(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('access guard with bearer tokens', () => {
  let signer: Signer;
  /** A former signing key, still accepted during rotation. */
  let previousSigner: Signer;
  /** A P-256 key no verifier knows. */
  let strangerSigner: Signer;
  let ctx: AuthTestApp;
  let app: INestApplication;
  let tokens: TokenService;
  let kid: string;

  beforeAll(async () => {
    [signer, previousSigner, strangerSigner] = await Promise.all(['token-signer', 'previous', 'stranger'].map(createTokenSigner));
    ctx = await createAuthTestApp({ signer, verificationKeys: [previousSigner.publicKey.spki] });
    app = ctx.app;
    tokens = app.get(TokenService);
    const jwks = await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200);
    kid = JSON.parse(Buffer.from((await tokens.issue({ subject: 'x', roles: [] })).accessToken.split('.')[0]!, 'base64url').toString()).kid;
    expect(jwks.body.keys.map((key: { kid: string }) => key.kid)).toContain(kid);
  });

  afterAll(async () => {
    await app.close();
  });

  const header = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ alg: 'ES256', typ: 'at+jwt', kid, ...overrides });
  const craft = (overrides: Record<string, unknown> = {}, headerOverrides: Record<string, unknown> = {}, by?: Signer): Promise<string> =>
    signCompactJws(header(headerOverrides), claims(overrides), by ?? signer);
  const get = (path: string, token?: string): request.Test => {
    const call = request(app.getHttpServer()).get(path);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  function expectProblem(response: request.Response, status: number, type: string): void {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ type: `urn:smpki:problem:${type}`, status });
  }

  it('lets anyone call a public route', async () => {
    const response = await get('/probe/public').expect(200);
    expect(response.body).toEqual({ open: true, principal: false });
  });

  it('answers 401 problem without credentials, and reports it', async () => {
    const response = await get('/probe/issue');
    expectProblem(response, 401, 'unauthenticated');
    expect(response.body.reason).toBe('missing-credentials');
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}"`);
    expect(ctx.sink.events.at(-1)).toMatchObject({
      action: 'auth.request.refused',
      outcome: 'failure',
      details: { reason: 'missing-credentials', command: 'ca.certificate.issue', method: 'GET', path: '/probe/issue' },
    });
  });

  it('lets a role allowed the command through, with the principal', async () => {
    const { accessToken } = await tokens.issue({ subject: 'operator-1', roles: ['ca-operator'] });
    const response = await get('/probe/issue', accessToken).expect(200);
    expect(response.body).toEqual({ subject: 'operator-1', roles: ['ca-operator'], via: 'bearer-token' });
  });

  it('answers 403 problem naming the command to a role lacking it, and reports it', async () => {
    const { accessToken } = await tokens.issue({ subject: 'auditor-1', roles: ['auditor'] });
    const response = await get('/probe/issue', accessToken);
    expectProblem(response, 403, 'forbidden');
    expect(response.body.command).toBe('ca.certificate.issue');
    expect(response.body.detail).toBe('role(s) auditor may not run the command "ca.certificate.issue"');
    expect(ctx.sink.events.at(-1)).toMatchObject({ action: 'auth.request.refused', outcome: 'denied', actor: 'auditor-1', details: { reason: 'command-not-allowed', command: 'ca.certificate.issue' } });
  });

  it('refuses a handler that declares neither @Command nor @Public, even to an administrator, and logs the programming error', async () => {
    const startupError = ctx.logLines.find((line) => String(line.msg).includes('ProbeController.undeclared declares neither'));
    expect(startupError).toMatchObject({ level: 'error' });
    const { accessToken } = await tokens.issue({ subject: 'admin', roles: ['administrator', 'ca-operator', 'auditor'] });
    const response = await get('/probe/undeclared', accessToken);
    expectProblem(response, 403, 'forbidden');
    expect(response.body).not.toHaveProperty('leaked');
    expect(ctx.sink.events.at(-1)).toMatchObject({ outcome: 'denied', details: { reason: 'undeclared-handler', handler: 'ProbeController.undeclared' } });
  });

  it('accepts a token of the previous signing key during rotation, and publishes both keys', async () => {
    const jwks = await get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys).toHaveLength(2);
    const previousKid = jwks.body.keys.find((key: { kid: string }) => key.kid !== kid).kid;
    await get('/probe/issue', await craft({}, { kid: previousKid }, previousSigner)).expect(200);
  });

  describe('refuses with 401', () => {
    /** `cause`: why the verifier refused it (audited, never sent), so each case fails for the reason it tests. */
    async function expectInvalid(token: string, cause: string, reason = 'invalid-token'): Promise<void> {
      const response = await get('/probe/issue', token);
      expectProblem(response, 401, 'unauthenticated');
      expect(response.body.reason).toBe(reason);
      expect(response.body.detail).not.toContain(cause);
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}", error="invalid_token"`);
      expect(ctx.sink.events.at(-1)).toMatchObject({ action: 'auth.request.refused', outcome: 'failure', details: { reason } });
      expect(ctx.sink.events.at(-1)?.details.cause).toContain(cause);
    }

    it('an expired token', async () => {
      await expectInvalid(await craft({ iat: now() - 400, nbf: now() - 400, exp: now() - 100 }), '"exp" claim timestamp check failed', 'expired-token');
    });

    it('a token from another issuer or for another audience', async () => {
      await expectInvalid(await craft({ iss: 'https://evil.example' }), 'unexpected "iss" claim value');
      await expectInvalid(await craft({ aud: 'another-service' }), 'unexpected "aud" claim value');
    });

    it('alg none', async () => {
      await expectInvalid(`${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(claims())}.`, '"alg" (Algorithm) Header Parameter value not allowed');
    });

    it('HS256 with the public key as the HMAC secret', async () => {
      const input = `${b64(header({ alg: 'HS256' }))}.${b64(claims())}`;
      for (const secret of [signer.publicKey.spki, createPublicKey({ key: signer.publicKey.spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' })]) {
        await expectInvalid(`${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`, '"alg" (Algorithm) Header Parameter value not allowed');
      }
    });

    it('a tampered payload (roles raised after signing)', async () => {
      const [head, , signature] = (await tokens.issue({ subject: 'auditor-1', roles: ['auditor'] })).accessToken.split('.');
      await expectInvalid(`${head}.${b64(claims({ sub: 'auditor-1', roles: ['ca-operator'] }))}.${signature}`, 'signature verification failed');
    });

    it('a token signed by a key not configured, or claiming a configured kid', async () => {
      await expectInvalid(await craft({}, {}, strangerSigner), 'signature verification failed');
      await expectInvalid(await craft({}, { kid: 'unknown' }), 'token signed with unknown key "unknown"');
      await expectInvalid(await craft({}, { kid: undefined }), 'token header has no "kid"');
    });

    it('a token of another type, without a required claim, too long-lived or not yet valid', async () => {
      await expectInvalid(await craft({}, { typ: 'JWT' }), 'unexpected "typ" JWT header value');
      await expectInvalid(await craft({ roles: undefined }), 'missing required "roles" claim');
      await expectInvalid(await craft({ jti: undefined }), 'missing required "jti" claim');
      await expectInvalid(await craft({ roles: 'ca-operator' }), '"roles" must be an array of strings');
      await expectInvalid(await craft({ exp: now() + 3600 }), 'lifetime 3600 s exceeds the allowed 300 s');
      await expectInvalid(await craft({ nbf: now() + 120 }), '"nbf" claim timestamp check failed');
    });

    it('a malformed Authorization header', async () => {
      await expectInvalid('not-a-jwt', 'Invalid Compact JWS');
      const response = await request(app.getHttpServer()).get('/probe/issue').set('Authorization', 'Basic YWRtaW46YWRtaW4=');
      expectProblem(response, 401, 'unauthenticated');
    });
  });

  it('accepts a token within the clock skew', async () => {
    await get('/probe/issue', await craft({ iat: now() + 10, nbf: now() + 10, exp: now() + 200 })).expect(200);
  });

  it('refuses to issue what it would not accept', async () => {
    await expect(tokens.issue({ subject: 'x', roles: ['root'] })).rejects.toThrow('unknown role(s) root');
    await expect(tokens.issue({ subject: 'x', roles: [] }, 301)).rejects.toThrow('from 1 to 300 seconds');
  });
});

describe('handler declarations at start-up', () => {
  it('refuses to start when a handler declares a command the catalogue does not list', async () => {
    @Controller('typo')
    class TypoController {
      @Command('ca.certificate.isue')
      @Get()
      typo(): string {
        return 'never';
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [AuthModule.forRoot(authOptions({ signer: await createTokenSigner('typo') }, new RecordingEventSink()))],
      controllers: [TypoController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow("handler commands missing from the command catalogue (libs/policy/src/access/command-catalogue.ts): TypoController.typo (@Command('ca.certificate.isue'))");
    await app.close();
  });

  it('refuses a malformed command name when the controller is declared', () => {
    expect(() => Command('CA.Issue')).toThrow('@Command("CA.Issue"): malformed command name');
  });
});
