import { DirectoryModule } from '../../apps/directory/src/directory.module';
import { RootCaModule } from '../../apps/root-ca/src/root-ca.module';
import { SkmModule } from '../../apps/skm/src/skm.module';
import { SubCaModule } from '../../apps/sub-ca/src/sub-ca.module';
import request from 'supertest';
import { createPlatformToken, type PlatformToken } from './support/platform-token';
import { startTestService } from './support/test-service';

/**
 * Each app shell as its main composes it (PlatformModule + RuntimeModule) on what it runs on after `smpki init`:
 * a SoftHSM2 token with the access-token and audit-checkpoint keys, a SQLite file migrated at start.
 */
describe('the app shells', () => {
  let platform: PlatformToken;

  // The directory also listens for LDAP: on a free port, so that it never meets another test's directory.
  const previousLdap = { port: process.env.SMPKI_LDAP_PORT, host: process.env.SMPKI_LDAP_HOST };
  beforeAll(async () => {
    process.env.SMPKI_LDAP_PORT = '0';
    process.env.SMPKI_LDAP_HOST = '127.0.0.1';
    platform = await createPlatformToken('smpki-apps-e2e');
  });
  afterAll(() => {
    for (const [name, value] of [['SMPKI_LDAP_PORT', previousLdap.port], ['SMPKI_LDAP_HOST', previousLdap.host]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    platform?.remove();
  });

  describe.each([
    ['root-ca', RootCaModule],
    ['sub-ca', SubCaModule],
    ['skm', SkmModule],
    ['directory', DirectoryModule],
  ] as const)('%s', (service, rootModule) => {
    it('boots with its module and answers /v1/info, /healthz, /readyz and /openapi.json', async () => {
      const before = Date.now();
      const app = await startTestService({ service, rootModule, platform });
      try {
        const http = request(app.app.getHttpServer());
        const info = await http.get('/v1/info').expect(200);
        expect(info.body).toEqual({ service, name: `smpki-${service}`, version: '0.1.0', startedAt: expect.any(String) });
        expect(Date.parse(info.body.startedAt)).toBeGreaterThanOrEqual(before - 1000);
        await request(app.app.getHttpServer()).get('/healthz').expect(200);
        const ready = await request(app.app.getHttpServer()).get('/readyz').expect(200);
        expect(ready.body.checks.map((check: { name: string; status: string }) => [check.name, check.status])).toEqual(
          expect.arrayContaining([
            ['database', 'ok'],
            ['hsm', 'ok'],
          ]),
        );
        const openapi = await request(app.app.getHttpServer()).get('/openapi.json').expect(200);
        expect(openapi.body.info.title).toBe(`smpki-${service}`);
        expect(openapi.body.paths['/v1/info']).toBeDefined();
      } finally {
        await app.close();
      }
    });

    it('refuses a caller without credentials on a route that needs one: 401 problem+json', async () => {
      const app = await startTestService({ service, rootModule, platform });
      try {
        const res = await request(app.app.getHttpServer()).get('/v1/configuration').expect(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(res.body).toMatchObject({ type: 'urn:smpki:problem:unauthenticated', status: 401, instance: '/v1/configuration' });
        expect(JSON.stringify(res.body)).not.toContain(platform.token.userPin);
      } finally {
        await app.close();
      }
    });
  });
});
