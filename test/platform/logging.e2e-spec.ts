import { Body, Controller, Logger, Post } from '@nestjs/common';
import { JsonLogger } from '@smpki/platform';
import { IsString } from 'class-validator';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { startTestService, type TestService } from './support/test-service';

class OpenSession {
  @IsString()
  token!: string;

  @IsString()
  pin!: string;
}

@Controller('test')
class SessionController {
  private readonly nestLogger = new Logger('SessionController');

  constructor(private readonly logger: JsonLogger) {}

  /** Logs after the body was parsed: the request id must survive the body parser's async hop. */
  @Post('sessions')
  async open(@Body() body: OpenSession): Promise<{ ok: true }> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    this.nestLogger.log('opening session');
    this.logger.child('Sessions').info('session opened', { token: body.token, pin: body.pin, request: { headers: { authorization: 'Bearer eyJ-secret' } } });
    return { ok: true };
  }
}

describe('structured logs of a running service', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ controllers: [SessionController], listen: true });
  });
  afterAll(() => service.close());

  it('gives every line of a request its request id, also after body parsing', async () => {
    await request(service.app.getHttpServer())
      .post('/test/sessions')
      .set('X-Request-Id', 'trace-me-1')
      .send({ token: 'smpki', pin: '987654' })
      .expect(201);
    const lines = service.logs().filter((line) => line.requestId === 'trace-me-1');
    expect(lines.map((line) => line.msg)).toEqual(['opening session', 'session opened', 'request completed']);
    expect(lines[0]).toMatchObject({ level: 'info', context: 'SessionController', service: 'smpki-sub-ca' });
  });

  it('keeps the request id when the body arrives in pieces', async () => {
    const { port } = service.app.getHttpServer().address() as { port: number };
    const body = JSON.stringify({ token: 'smpki', pin: '987654' });
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/test/sessions', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': 'slow-body-1' } },
        (res) => res.resume().on('end', resolve),
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => req.end(body.slice(10)), 100);
    });
    expect(service.logs().filter((line) => line.requestId === 'slow-body-1').map((line) => line.msg)).toEqual([
      'opening session',
      'session opened',
      'request completed',
    ]);
  });

  it('writes one access-log line per request with method, path, status and duration, never the query', async () => {
    await request(service.app.getHttpServer()).get('/v1/info?token=abc').set('X-Request-Id', 'access-1').expect(200);
    await request(service.app.getHttpServer()).get('/nowhere').set('X-Request-Id', 'access-2').expect(404);
    const access = service.logs().filter((line) => line.context === 'HttpAccess' && String(line.requestId).startsWith('access-'));
    expect(access).toEqual([
      expect.objectContaining({ level: 'info', msg: 'request completed', method: 'GET', path: '/v1/info', status: 200, durationMs: expect.any(Number), requestId: 'access-1' }),
      expect.objectContaining({ level: 'info', method: 'GET', path: '/nowhere', status: 404, requestId: 'access-2' }),
    ]);
    expect(JSON.stringify(access)).not.toContain('token=abc');
  });

  it('logs health probes at debug, so they can be filtered out', async () => {
    await request(service.app.getHttpServer()).get('/healthz').set('X-Request-Id', 'probe-1').expect(200);
    expect(service.logs().find((line) => line.requestId === 'probe-1')).toMatchObject({ level: 'debug', path: '/healthz' });
  });

  it('writes only parseable JSON lines and never a PIN, token value or authorization', () => {
    expect(service.lines.length).toBeGreaterThan(5);
    for (const line of service.lines) {
      expect(() => JSON.parse(line)).not.toThrow();
      expect(line).not.toMatch(/987654|eyJ-secret/);
    }
    const opened = service.logs().find((line) => line.msg === 'session opened');
    expect(opened).toMatchObject({ token: '[REDACTED]', pin: '[REDACTED]', request: { headers: { authorization: '[REDACTED]' } } });
  });
});
