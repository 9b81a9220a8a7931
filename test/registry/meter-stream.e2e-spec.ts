/**
 * POST /v1/meters/stream end to end over mutual TLS (SoftHSM2, the real SubCaModule on HTTPS): 1,200 meters as one
 * NDJSON stream with a malformed line and a meter repeated in a later chunk; answers arrive while the body is still
 * being sent, one line per input line in order, then the summary; the repeated stream issues nothing; the content
 * type and the caller are checked as for a batch.
 */
import { CaCertificate } from '@smpki/ca';
import { Meter } from '@smpki/registry';
import { createRequestPool } from '../../bench/issuance/request-pool';
import { answerLines, openNdjsonStream, postNdjson } from './support/https-ndjson';
import { meterIds } from './support/meter-requests';
import { TlsRegistry, type ManufacturerClient } from './support/tls-registry';

const METERS = 1200;
const MALFORMED_AT = 300;

describe('meter registration as an NDJSON stream over mutual TLS', () => {
  jest.setTimeout(60_000);
  const registry = new TlsRegistry();
  let emh: ManufacturerClient;
  let lines: string[];
  const ids = meterIds('EMH', 1, METERS);

  beforeAll(async () => {
    await registry.start();
    emh = await registry.onboard('EMH metering', '4012345000016', 'EMH');
    const requests = await createRequestPool(METERS);
    const items = ids.map((meterId, index) => JSON.stringify({ meterId, model: 'eHZ-B', calibrationStation: 'line-7', request: requests[index] }));
    // The malformed line in the first chunk, the repeat of meter 10 at the very end (another chunk).
    lines = [...items.slice(0, MALFORMED_AT), '{"meterId": "1EMH', ...items.slice(MALFORMED_AT), items[10]!];
  }, 120_000);
  afterAll(() => registry.stop());

  /** What the answer line of input line `line` must be. */
  function expected(line: number): object {
    if (line === MALFORMED_AT) return { index: line, status: 'refused', problem: { status: 400, errors: [{ rule: 'stream.not-json' }] } };
    if (line === lines.length - 1) return { index: line, meterId: ids[10], status: 'refused', problem: { status: 400, errors: [{ field: `items[${line}].meterId`, rule: 'batch.duplicate-meter' }] } };
    return { index: line, meterId: ids[line < MALFORMED_AT ? line : line - 1], status: 'issued' };
  }

  it('answers each line in order while the body is still coming, then the summary; one certificate per meter', async () => {
    const { request, response } = openNdjsonStream(registry.port, '/v1/meters/stream', emh);
    request.write(lines.slice(0, 5).map((line) => `${line}\n`).join(''));
    const answer = await response;
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const received: any[] = [];
    const reading = answerLines(answer);
    // The first five are answered before the rest of the body is sent: read incrementally, flushed per chunk.
    for (let next = await reading.next(); !next.done; next = received.length < 5 ? await reading.next() : { done: true, value: undefined }) received.push(next.value);
    expect(received.map((line) => line.status)).toEqual(Array(5).fill('issued'));
    request.end(lines.slice(5).map((line) => `${line}\n`).join(''));
    for await (const line of reading) received.push(line);

    const summary = received.pop();
    expect(summary).toMatchObject({ summary: { issued: METERS, existing: 0, refused: 2, failed: 0 }, chain: [expect.any(String), expect.any(String)] });
    expect(received).toHaveLength(lines.length);
    received.forEach((line, index) => expect(line).toMatchObject(expected(index)));
    expect(await registry.dataSource.getRepository(Meter).count()).toBe(METERS);
    const serials = new Set(received.filter((line) => line.status === 'issued').map((line) => line.certificate.serial));
    expect(serials.size).toBe(METERS);
  });

  it('answers the repeated stream with the stored certificates, all existing, issuing nothing', async () => {
    const certificates = await registry.dataSource.getRepository(CaCertificate).count();
    const answer = await postNdjson(registry.port, '/v1/meters/stream', emh, lines);
    expect(answer.status).toBe(200);
    expect(answer.lines.at(-1)).toMatchObject({ summary: { issued: 0, existing: METERS, refused: 2, failed: 0 } });
    answer.lines.slice(0, -1).forEach((line, index) => expect(line).toMatchObject({ ...expected(index), ...(line.status === 'refused' ? {} : { status: 'existing' }) }));
    expect(await registry.dataSource.getRepository(CaCertificate).count()).toBe(certificates);
  });

  it('refuses another content type with 415 and callers without a manufacturer credential with 403', async () => {
    const json = await postNdjson(registry.port, '/v1/meters/stream', emh, lines.slice(0, 1), 'application/json');
    expect(json.status).toBe(415);
    expect(json.contentType).toMatch(/^application\/problem\+json/);
    expect(json.lines[0]).toMatchObject({ status: 415, errors: [{ field: 'content-type', rule: 'stream.content-type' }] });
    expect((await postNdjson(registry.port, '/v1/meters/stream', registry.admin, lines.slice(0, 1))).status).toBe(403);
  });

  it('refuses a line that is not an object, one that fails the item DTO and an oversized one, and goes on', async () => {
    const oversized = JSON.stringify({ meterId: ids[0], request: 'A'.repeat(200_000) });
    const answer = await postNdjson(registry.port, '/v1/meters/stream', emh, ['[1,2]', JSON.stringify({ meterId: ids[1], colour: 'red' }), oversized, lines[0]!]);
    expect(answer.lines).toMatchObject([
      { index: 0, status: 'refused', problem: { errors: [{ rule: 'stream.not-an-object' }] } },
      { index: 1, meterId: ids[1], status: 'refused', problem: { errors: expect.arrayContaining([{ field: 'items[1].colour', rule: 'unknownProperty', message: expect.any(String) }]) } },
      { index: 2, status: 'refused', problem: { errors: [{ rule: 'stream.line-too-long' }] } },
      { index: 3, meterId: ids[0], status: 'existing' },
      { summary: { issued: 0, existing: 1, refused: 3, failed: 0 } },
    ]);
  });
});
