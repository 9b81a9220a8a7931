import { Module } from '@nestjs/common';
import { provideReadinessCheck, type ReadinessCheck } from '@smpki/platform';
import request from 'supertest';
import { startTestService, type TestService } from './support/test-service';

const passing = (name: string): ReadinessCheck => ({ name, check: async () => undefined });

describe('health endpoints', () => {
  describe('with passing checks', () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService({
        providers: [provideReadinessCheck({ useValue: passing('database') }), provideReadinessCheck({ useValue: passing('hsm') })],
      });
    });
    afterAll(() => service.close());

    it('GET /healthz answers 200 while the process is up', async () => {
      const res = await request(service.app.getHttpServer()).get('/healthz').expect(200);
      expect(res.body).toEqual({ status: 'ok', uptimeSeconds: expect.any(Number) });
    });

    it('GET /readyz answers 200 listing every check', async () => {
      const res = await request(service.app.getHttpServer()).get('/readyz').expect(200);
      expect(res.body.status).toBe('ready');
      expect(res.body.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
        ['database', 'ok'],
        ['hsm', 'ok'],
      ]);
    });
  });

  describe('with a failing check', () => {
    let service: TestService;
    let databaseUp = true;

    // A check registered by a feature module, not by the root: checks are found in every module.
    @Module({
      providers: [
        provideReadinessCheck({
          useFactory: () => ({
            name: 'database',
            check: async () => {
              if (!databaseUp) throw new Error('connect ECONNREFUSED 10.1.2.3:5432 (password authentication for smpki_owner)');
            },
          }),
        }),
      ],
    })
    class DatabaseModule {}

    beforeAll(async () => {
      service = await startTestService({ imports: [DatabaseModule], providers: [provideReadinessCheck({ useValue: passing('hsm') })] });
    });
    afterAll(() => service.close());

    it('GET /readyz answers 503 problem+json naming the failed check, without its error', async () => {
      databaseUp = false;
      const res = await request(service.app.getHttpServer()).get('/readyz').expect(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        type: 'urn:smpki:problem:not-ready',
        title: 'Service Not Ready',
        status: 503,
        detail: 'Not ready: database (failed)',
        instance: '/readyz',
        failedChecks: ['database'],
      });
      expect(res.body.checks).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'database', status: 'failed' }), expect.objectContaining({ name: 'hsm', status: 'ok' })]),
      );
      expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED');
      // The cause is in the log, with the request id of the probe.
      const line = service.logs().find((l) => l.msg === 'readiness check failed');
      expect(line).toMatchObject({ level: 'warn', check: 'database', requestId: res.body.requestId });
      expect(JSON.stringify(line)).toContain('ECONNREFUSED');
    });

    it('recovers as soon as the check passes again', async () => {
      databaseUp = true;
      await request(service.app.getHttpServer()).get('/readyz').expect(200);
    });
  });

  describe('with a check that hangs', () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService({
        providers: [provideReadinessCheck({ useValue: { name: 'hsm', timeoutMs: 100, check: () => new Promise<void>(() => undefined) } })],
      });
    });
    afterAll(() => service.close());

    it('answers 503 with the check timed out, within its timeout', async () => {
      const started = Date.now();
      const res = await request(service.app.getHttpServer()).get('/readyz').expect(503);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.body.failedChecks).toEqual(['hsm']);
      expect(res.body.detail).toBe('Not ready: hsm (timeout)');
    });
  });

  describe('while draining', () => {
    let service: TestService;
    beforeAll(async () => {
      service = await startTestService();
    });
    afterAll(() => service.close());

    it('answers 503 on /readyz and keeps /healthz at 200', async () => {
      const { ServiceLifecycle } = await import('@smpki/platform');
      service.app.get(ServiceLifecycle).beginDrain();
      const res = await request(service.app.getHttpServer()).get('/readyz').expect(503);
      expect(res.body.detail).toBe('Not ready: the service is shutting down');
      await request(service.app.getHttpServer()).get('/healthz').expect(200);
    });
  });
});
