/**
 * Mutual TLS: the service listens on HTTPS with the platform's options (client certificate requested, verified
 * against the client CA bundle, handshake not refused) and the guard turns the verified certificate into a
 * principal through the role table, or refuses with a 401/403 problem.
 */
import type { INestApplication } from '@nestjs/common';
import { ClientCertificateRoleTable } from '@smpki/auth';
import { buildHttpsOptions } from '@smpki/platform';
import { X509Certificate } from 'node:crypto';
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAuthTestApp, createTokenSigner, type AuthTestApp } from './auth-test-app';
import { TlsFixtures, type Credential } from './tls-fixtures';

const POLICY_OPERATOR = '1.3.6.1.4.1.99999.2.1';
const TLS_GROUPS = 'X25519:P-256:P-384:brainpoolP256r1:brainpoolP384r1';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

describe('mutual TLS', () => {
  const fixtures = new TlsFixtures();
  let clientCa: Credential;
  let operator: Credential;
  let auditor: Credential;
  let stranger: Credential;
  let policyHolder: Credential;
  let intruder: Credential;
  let brainpoolClient: Credential;
  let ctx: AuthTestApp;
  let app: INestApplication;
  let port: number;

  beforeAll(async () => {
    clientCa = fixtures.ca('client-ca', '/C=DE/O=smpki test/CN=smpki client CA');
    const server = fixtures.server('server', 'client-ca');
    const brainpoolCa = fixtures.ca('bp-ca', '/C=DE/O=SM-Test-PKI-DE/CN=SM-Test.CA', 'brainpoolP256r1');
    fixtures.ca('other-ca', '/C=DE/O=smpki test/CN=smpki client CA');
    operator = fixtures.client('operator', 'client-ca', '/C=DE/O=ACME/CN=ca-operator-1');
    auditor = fixtures.client('auditor', 'client-ca', '/C=DE/O=ACME/OU=Audit/CN=auditor-1');
    stranger = fixtures.client('stranger', 'client-ca', '/C=DE/O=ACME/CN=stranger');
    policyHolder = fixtures.client('policy', 'client-ca', '/C=DE/O=MSP/CN=om-7', { policies: [POLICY_OPERATOR] });
    // Same subject as the operator, from a CA the server does not trust.
    intruder = fixtures.client('intruder', 'other-ca', '/C=DE/O=ACME/CN=ca-operator-1');
    brainpoolClient = fixtures.client('bp-client', 'bp-ca', '/C=DE/O=SM-Test-PKI-DE/OU=9900000000001/CN=gwa-1.GWA', { curve: 'brainpoolP256r1' });

    const roles = ClientCertificateRoleTable.parse({
      clientCertificates: [
        { fingerprint256: new X509Certificate(operator.cert).fingerprint256, roles: ['ca-operator'] },
        { subject: 'CN=auditor-1,OU=Audit,O=ACME,C=DE', roles: ['auditor'] },
        { certificatePolicy: POLICY_OPERATOR, issuer: 'CN=smpki client CA,O=smpki test,C=DE', roles: ['ca-operator'] },
        { subject: 'CN=gwa-1.GWA,OU=9900000000001,O=SM-Test-PKI-DE,C=DE', roles: ['ca-operator'] },
      ],
    });
    const httpsOptions = {
      ...buildHttpsOptions({ certFile: server.certFile, keyFile: server.keyFile, clientCaFile: fixtures.bundle('client-cas.pem', clientCa, brainpoolCa) }),
      // TLS 1.2 with a brainpool client certificate needs the curve among the groups of both sides (TR-03116-3
      // lists P-256, brainpoolP256r1 and brainpoolP384r1); Node's default list has no brainpool.
      ecdhCurve: TLS_GROUPS,
    };
    ctx = await createAuthTestApp({ signer: await createTokenSigner('token-signer'), clientCertificateRoles: roles, httpsOptions });
    app = ctx.app;
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    fixtures.remove();
  });

  function call(path: string, client?: Credential, options: RequestOptions = {}): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        { host: '127.0.0.1', port, path, servername: 'localhost', ca: clientCa.cert, ...(client ? { cert: client.cert, key: client.key } : {}), ...options },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  function expectProblem(answer: Answer, status: number, type: string, reason?: string): void {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ type: `urn:smpki:problem:${type}`, ...(reason ? { reason } : {}) });
  }

  it('lets a client in whose certificate is mapped to a role allowed the command', async () => {
    const answer = await call('/probe/issue', operator);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ subject: 'CN=ca-operator-1,O=ACME,C=DE', roles: ['ca-operator'], via: 'client-certificate' });
  });

  it('refuses a request without a client certificate with 401', async () => {
    expectProblem(await call('/probe/issue'), 401, 'unauthenticated', 'missing-credentials');
    expect((await call('/probe/public')).status).toBe(200);
  });

  it('refuses a certificate from another CA with 401, even with a registered subject, and reports why', async () => {
    expectProblem(await call('/probe/issue', intruder), 401, 'unauthenticated', 'untrusted-client-certificate');
    expect(ctx.sink.events.at(-1)).toMatchObject({
      action: 'auth.request.refused',
      outcome: 'failure',
      details: { reason: 'untrusted-client-certificate', subject: 'CN=ca-operator-1,O=ACME,C=DE', tlsError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' },
    });
  });

  it('refuses a trusted but unregistered certificate with 401, reporting what to register', async () => {
    expectProblem(await call('/probe/issue', stranger), 401, 'unauthenticated', 'unregistered-client-certificate');
    expect(ctx.sink.events.at(-1)?.details).toMatchObject({
      subject: 'CN=stranger,O=ACME,C=DE',
      fingerprint256: new X509Certificate(stranger.cert).fingerprint256.replace(/:/g, '').toLowerCase(),
    });
  });

  it('answers 403 to a registered client whose role lacks the command', async () => {
    const answer = await call('/probe/issue', auditor);
    expectProblem(answer, 403, 'forbidden');
    expect(answer.body.command).toBe('ca.certificate.issue');
  });

  it('maps roles by certificate policy', async () => {
    expect((await call('/probe/issue', policyHolder)).body).toMatchObject({ subject: 'CN=om-7,O=MSP,C=DE', roles: ['ca-operator'] });
  });

  it('judges a request with a bearer token by its token, not by its certificate', async () => {
    const answer = await call('/probe/issue', operator, { headers: { Authorization: 'Bearer not.a.token' } });
    expectProblem(answer, 401, 'unauthenticated', 'invalid-token');
  });

  it('reports one login per TLS connection, not one per request', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = ctx.sink.ofAction('auth.login').length;
      for (let i = 0; i < 3; i++) expect((await call('/probe/issue', operator, { agent })).status).toBe(200);
      const logins = ctx.sink.ofAction('auth.login').slice(before);
      expect(logins).toHaveLength(1);
      expect(logins[0]).toMatchObject({ outcome: 'success', actor: 'CN=ca-operator-1,O=ACME,C=DE', details: { method: 'client-certificate', roles: ['ca-operator'] } });
    } finally {
      agent.destroy();
    }
  });

  it('accepts a brainpoolP256r1 client certificate over TLS 1.3', async () => {
    const answer = await call('/probe/issue', brainpoolClient, { maxVersion: 'TLSv1.3' });
    expect(answer.status).toBe(200);
    expect(answer.body.subject).toBe('CN=gwa-1.GWA,OU=9900000000001,O=SM-Test-PKI-DE,C=DE');
  });

  it('accepts it over TLS 1.2 when both sides offer the brainpool group', async () => {
    const answer = await call('/probe/issue', brainpoolClient, { maxVersion: 'TLSv1.2', ecdhCurve: 'P-256:brainpoolP256r1' });
    expect(answer.status).toBe(200);
    // A client without brainpool among its groups cannot prove possession of a brainpool key in TLS 1.2.
    await expect(call('/probe/issue', brainpoolClient, { maxVersion: 'TLSv1.2' })).rejects.toThrow(/illegal parameter|alert number 47/);
  });
});
