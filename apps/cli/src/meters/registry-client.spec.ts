import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RegistryClient, RequestRefusedError, TransientError, interpretAnswer } from './registry-client';

const ANSWER = { issued: 1, existing: 0, refused: 0, failed: 0, chain: [], items: [{ index: 0, meterId: '1EMH0012345678', status: 'issued' }] };

describe('RegistryClient', () => {
  let server: Server;
  let statuses: number[];
  let received: Array<{ authorization?: string; body: string }>;
  let url: string;

  beforeEach(async () => {
    statuses = [];
    received = [];
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (part: Buffer) => (body += part.toString()));
      request.on('end', () => {
        received.push({ ...(request.headers.authorization && { authorization: request.headers.authorization }), body });
        const status = statuses.shift() ?? 200;
        response.writeHead(status, { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' });
        response.end(JSON.stringify(status === 200 ? ANSWER : { title: 'Unavailable', status }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => new Promise<void>((done) => server.close(() => done())));

  const client = (retries: number, onRetry?: (attempt: number) => void) =>
    new RegistryClient({ url, token: 'tok', maxSockets: 1, timeoutMs: 10_000, retries, backoffMs: 1, ...(onRetry && { onRetry }) });

  it('posts the items with the bearer token to /v1/meters/batch', async () => {
    const registry = client(0);
    await expect(registry.registerBatch([{ meterId: '1EMH0012345678', request: 'abc' }])).resolves.toMatchObject({ issued: 1 });
    registry.close();
    expect(received).toEqual([{ authorization: 'Bearer tok', body: '{"items":[{"meterId":"1EMH0012345678","request":"abc"}]}' }]);
  });

  it('sends a batch again after a 5xx or 429, the same body each time', async () => {
    statuses = [503, 429];
    const attempts: number[] = [];
    const registry = client(3, (attempt) => attempts.push(attempt));
    await expect(registry.registerBatch([{ meterId: '1EMH0012345678', request: 'abc' }])).resolves.toMatchObject({ issued: 1 });
    registry.close();
    expect(attempts).toEqual([1, 2]);
    expect(new Set(received.map((call) => call.body)).size).toBe(1);
  });

  it('gives up after the retries with the last transient error', async () => {
    statuses = [500, 500, 500];
    const registry = client(1);
    await expect(registry.registerBatch([])).rejects.toThrow(TransientError);
    registry.close();
    expect(received).toHaveLength(2);
  });

  it('does not send again what the server refused as a whole (4xx)', async () => {
    statuses = [413];
    const registry = client(5);
    await expect(registry.registerBatch([])).rejects.toThrow(RequestRefusedError);
    registry.close();
    expect(received).toHaveLength(1);
  });

  it('retries when nothing listens (connection refused)', async () => {
    await new Promise<void>((done) => server.close(() => done()));
    const registry = client(1);
    await expect(registry.registerBatch([])).rejects.toThrow(/ECONNREFUSED/);
    registry.close();
    server = createServer().listen(0); // for afterEach
  });

  it('names the problem of a refused batch', () => {
    const body = JSON.stringify({ title: 'Bad Request', errors: [{ field: 'items', rule: 'batch.too-large', message: 'at most 2000 items' }] });
    expect(() => interpretAnswer(400, body)).toThrow('the server refused the batch with 400: Bad Request; items batch.too-large: at most 2000 items');
  });
});
