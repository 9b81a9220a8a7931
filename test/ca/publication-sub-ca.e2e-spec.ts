/**
 * The publisher inside the sub-CA service: with SMPKI_DIRECTORY_URL set it starts with the application, pushes
 * the CAs and every certificate issued through the API to the directory with a bearer token the service issued
 * itself (role `publisher`), and `GET /v1/publication/status` shows the lag. A malformed URL stops the start with
 * an error naming the variable.
 */
import { ConfigurationError } from '@smpki/platform';
import request from 'supertest';
import { loadDirectorySettings } from '../../apps/sub-ca/src/publication/directory-settings';
import { eventually, type RecordingDirectory } from './publication-recording-directory';
import { opensslRequest, type CaTestPki } from './support/ca-test-pki';
import { startPublishingSubCa, type PublishingSubCa } from './support/publishing-sub-ca';
import type { RunningSubCa } from './support/start-sub-ca';

describe('sub-CA directory publication', () => {
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

  it('publishes the CAs and an issued certificate with a publisher token, and reports no lag afterwards', async () => {
    const issued = await http().post('/v1/cas/market/certificates').set(auth).send({ profile: 'sm-user-tls', request: opensslRequest(pki.workspace, 'e2e-pub').toString('base64') }).expect(201);
    await eventually(() => directory.entries().some((entry) => entry.kind === 'certificate' && entry.serial === issued.body.serial), 'the certificate in the directory');

    expect(directory.entries().filter((entry) => entry.kind === 'ca').map((entry) => entry.ca)).toEqual(['calibration', 'market']);
    const bearer = directory.acknowledged[0]!.authorization!.replace(/^Bearer /, '');
    const claims = JSON.parse(Buffer.from(bearer.split('.')[1]!, 'base64url').toString('utf8')) as { roles: string[]; sub: string };
    expect(claims.roles).toEqual(['publisher']);

    await eventually(async () => (await http().get('/v1/publication/status').set(auth)).body.pending === 0, 'nothing pending');
    const status = await http().get('/v1/publication/status').set(auth).expect(200);
    expect(status.body).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
  });

  it('refuses the status to callers without a token', async () => {
    await http().get('/v1/publication/status').expect(401);
  });

  it('names SMPKI_DIRECTORY_URL when it is not an http(s) URL without credentials', () => {
    for (const value of ['not a url', 'ldap://directory:389', 'http://user:secret@directory:8440']) {
      expect(() => loadDirectorySettings({ SMPKI_DIRECTORY_URL: value })).toThrow(ConfigurationError);
      expect(() => loadDirectorySettings({ SMPKI_DIRECTORY_URL: value })).toThrow(/^SMPKI_DIRECTORY_URL /);
    }
    expect(() => loadDirectorySettings({ SMPKI_DIRECTORY_URL: 'http://user:secret@directory:8440' })).not.toThrow(/secret/);
    expect(loadDirectorySettings({})).toBeUndefined();
    expect(loadDirectorySettings({ SMPKI_DIRECTORY_URL: 'http://127.0.0.1:8440' })).toEqual({ url: 'http://127.0.0.1:8440/' });
  });
});
