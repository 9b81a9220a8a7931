import { Controller, Get, Inject } from '@nestjs/common';
import { DATA_SOURCE, installGracefulShutdown, type GracefulShutdown } from '@smpki/platform';
import { Agent, get } from 'node:http';
import { DataSource } from 'typeorm';
import { startTestService, type TestService } from './support/test-service';

/**
 * Resolves when the next request reaches its handler: in flight from then on, not merely sent. A fixed wait is not
 * enough on a busy machine: a request still being parsed when the drain begins is answered with Connection: close.
 */
let handlerEntered: () => void = () => undefined;
function nextHandlerEntry(): Promise<void> {
  return new Promise((resolve) => (handlerEntered = resolve));
}

@Controller('test')
class SlowController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Works for a while, then needs the database: it must still be open when the work is done. */
  @Get('slow')
  async slow(): Promise<{ value: number }> {
    handlerEntered();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [row] = (await this.dataSource.query('SELECT 41 + 1 AS value')) as Array<{ value: number }>;
    return { value: row.value };
  }

  @Get('endless')
  async endless(): Promise<never> {
    handlerEntered();
    return new Promise<never>(() => undefined);
  }
}

function fetch(port: number, path: string, agent?: Agent): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    }).on('error', reject);
  });
}

describe('graceful shutdown', () => {
  let service: TestService;
  let dataSource: DataSource;
  let shutdown: GracefulShutdown;
  let port: number;
  const exits: number[] = [];

  beforeEach(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    service = await startTestService({
      controllers: [SlowController],
      providers: [{ provide: DATA_SOURCE, useValue: dataSource }],
      env: { SMPKI_SHUTDOWN_GRACE_MS: '1000' },
      listen: true,
    });
    port = (service.app.getHttpServer().address() as { port: number }).port;
    shutdown = installGracefulShutdown(service.app, { graceMs: service.config.http.shutdownGraceMs, signals: [], exit: (code) => exits.push(code) });
    exits.length = 0;
  });

  afterEach(async () => {
    shutdown.dispose();
    await service.close(); // already stopped: removes its data directory
    if (dataSource.isInitialized) await dataSource.destroy();
  });

  it('finishes in-flight requests on keep-alive connections, refuses new connections, then closes the database', async () => {
    const agent = new Agent({ keepAlive: true });
    const entered = nextHandlerEntry();
    const inFlight = fetch(port, '/test/slow', agent);
    await entered;
    const started = Date.now();
    const stopping = shutdown.shutdown('SIGTERM');

    await expect(fetch(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    expect(await inFlight).toEqual({ status: 200, body: '{"value":42}', connection: 'keep-alive' });
    expect(await stopping).toBe(0);
    // The keep-alive connection did not hold the stop until its idle timeout (5 s).
    expect(Date.now() - started).toBeLessThan(1000);
    expect(exits).toEqual([0]);
    expect(dataSource.isInitialized).toBe(false);
    const messages = service.logs().filter((line) => line.context === 'Shutdown').map((line) => line.msg);
    expect(messages).toEqual(['stopping', 'closed', 'stopped']);
    agent.destroy();
  });

  it('cuts requests still running after the grace period and stops anyway', async () => {
    const entered = nextHandlerEntry();
    const endless = fetch(port, '/test/endless');
    await entered;
    const started = Date.now();
    expect(await shutdown.shutdown('SIGTERM')).toBe(0);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(3000);
    await expect(endless).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect(service.logs().some((line) => line.msg === 'in-flight requests did not finish within the grace period; closing their connections')).toBe(true);
    expect(dataSource.isInitialized).toBe(false);
  });
});
