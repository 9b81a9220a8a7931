/**
 * The sub-CA app in the test process with its outbox publisher pushing to a RecordingDirectory
 * (SMPKI_DIRECTORY_URL), and a ca-operator bearer token: what the publication e2e tests start from.
 */
import { join } from 'node:path';
import { TokenService } from '@smpki/auth';
import { RecordingDirectory } from '../publication-recording-directory';
import { createCaTestPki, type CaTestPki } from './ca-test-pki';
import { startSubCa, type RunningSubCa } from './start-sub-ca';

export interface PublishingSubCa {
  pki: CaTestPki;
  service: RunningSubCa;
  directory: RecordingDirectory;
  auth: { Authorization: string };
  close(): Promise<void>;
}

export async function startPublishingSubCa(): Promise<PublishingSubCa> {
  const saved = { SMPKI_CA_CONFIG: process.env.SMPKI_CA_CONFIG, SMPKI_DIRECTORY_URL: process.env.SMPKI_DIRECTORY_URL };
  const pki = await createCaTestPki();
  await pki.hsm.km.createEcKeyPair(pki.hsm.uri('auth-token'), 'P-256');
  const directory = await RecordingDirectory.start();
  process.env.SMPKI_CA_CONFIG = join(pki.workspace.dir, 'cas.json');
  process.env.SMPKI_DIRECTORY_URL = directory.url;
  const service = await startSubCa(pki, pki.hsm.uri('auth-token'));
  const token = await service.app.get(TokenService).issue({ subject: 'operator-1', roles: ['ca-operator'] });
  return {
    pki,
    service,
    directory,
    auth: { Authorization: `Bearer ${token.accessToken}` },
    close: async () => {
      for (const [variable, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[variable];
        else process.env[variable] = value;
      }
      await service.close();
      await directory.stop();
      await pki.dispose();
    },
  };
}
