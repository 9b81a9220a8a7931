/**
 * The publication lag as Prometheus metrics: `GET /metrics` of the sub-CA (public, like /readyz) answers in the
 * text format 0.0.4 with the outbox's pending rows and oldest age and the publisher's counters, and they move as
 * the directory accepts and refuses.
 */
import { PROMETHEUS_CONTENT_TYPE } from '@smpki/platform';
import request from 'supertest';
import { eventually, type RecordingDirectory } from './publication-recording-directory';
import { opensslRequest, type CaTestPki } from './support/ca-test-pki';
import { startPublishingSubCa, type PublishingSubCa } from './support/publishing-sub-ca';
import type { RunningSubCa } from './support/start-sub-ca';

/** The value of one sample line (`name value`) of the exposition text. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  if (!line) throw new Error(`no sample ${name} in:\n${text}`);
  return Number(line.slice(name.length + 1));
}

describe('publication metrics (GET /metrics)', () => {
  let fixture: PublishingSubCa;
  let pki: CaTestPki;
  let service: RunningSubCa;
  let directory: RecordingDirectory;
  let auth: { Authorization: string };

  beforeAll(async () => {
    fixture = await startPublishingSubCa();
    ({ pki, service, directory, auth } = fixture);
  }, 60_000);
  afterAll(() => fixture?.close());

  const http = () => request(service.app.getHttpServer());
  const metrics = async () => {
    const response = await http().get('/metrics').expect(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    return response.text;
  };
  const issue = (name: string) =>
    http().post('/v1/cas/market/certificates').set(auth).send({ profile: 'sm-user-tls', request: opensslRequest(pki.workspace, name).toString('base64') }).expect(201);

  it('answers without credentials in the Prometheus text format, with HELP and TYPE for each metric', async () => {
    const text = await metrics();
    for (const [name, type] of [
      ['smpki_publication_pending_rows', 'gauge'],
      ['smpki_publication_oldest_pending_age_seconds', 'gauge'],
      ['smpki_publication_failures_total', 'counter'],
      ['smpki_publication_published_rows_total', 'counter'],
    ]) {
      expect(text).toMatch(new RegExp(`^# HELP ${name} .+$`, 'm'));
      expect(text).toMatch(new RegExp(`^# TYPE ${name} ${type}$`, 'm'));
      expect(Number.isFinite(sample(text, name))).toBe(true);
    }
  });

  it('counts published rows, and shows pending rows and failures while the directory refuses', async () => {
    const publishedBefore = sample(await metrics(), 'smpki_publication_published_rows_total');
    await issue('metrics-1');
    await eventually(async () => sample(await metrics(), 'smpki_publication_published_rows_total') >= publishedBefore + 1, 'the row counted');
    // The CRL scheduler may enqueue a CRL meanwhile: pending comes back to 0 once that is published too.
    await eventually(async () => sample(await metrics(), 'smpki_publication_pending_rows') === 0, 'nothing pending');

    directory.failWith = 503;
    await issue('metrics-2');
    await eventually(async () => sample(await metrics(), 'smpki_publication_failures_total') >= 1, 'a failure counted');
    const failing = await metrics();
    expect(sample(failing, 'smpki_publication_pending_rows')).toBeGreaterThanOrEqual(1);
    expect(sample(failing, 'smpki_publication_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);

    directory.failWith = undefined;
    await eventually(async () => sample(await metrics(), 'smpki_publication_pending_rows') === 0, 'caught up', 40_000);
  }, 60_000);
});
