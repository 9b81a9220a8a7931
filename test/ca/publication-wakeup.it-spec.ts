/**
 * The publisher wakes promptly when a row is enqueued, although its idle poll is set to 30 s: on PostgreSQL by
 * the NOTIFY the enqueuing transaction sends at commit (LISTEN in the publisher), on SQLite by its short poll.
 * "Promptly" is asserted as well within 2 s, far below the 30 s poll: a hang guard, not a timing benchmark.
 */
import { OutboxPublisher, HttpDirectoryClient } from '@smpki/ca';
import { describePostgres } from '../persistence/support/describe-postgres';
import { postgresTestDatabase, sqliteTestDatabase, type TestDatabaseFactory } from '../persistence/support/test-databases';
import { openPublicationFixture, type PublicationFixture } from './publication-fixture';
import { eventually, RecordingDirectory } from './publication-recording-directory';

const IDLE_POLL_MS = 30_000;
const PROMPT_MS = 2_000;

function wakeSuite(openDatabase: TestDatabaseFactory, enqueue: (fixture: PublicationFixture) => Promise<void>) {
  return () => {
    jest.setTimeout(120_000);
    let fixture: PublicationFixture;
    let directory: RecordingDirectory;
    let publisher: OutboxPublisher;

    beforeAll(async () => {
      fixture = await openPublicationFixture(openDatabase);
      directory = await RecordingDirectory.start();
      publisher = new OutboxPublisher(fixture.db.dataSource, new HttpDirectoryClient({ url: directory.url, token: async () => 'token' }), { idlePollMs: IDLE_POLL_MS });
      publisher.start();
      // The first attempt (the CAs' entries, an empty outbox) is over: the publisher is in its idle wait.
      await eventually(() => directory.entries().some((entry) => entry.kind === 'ca'), 'the CAs published');
    }, 60_000);
    afterAll(async () => {
      await publisher?.stop();
      await directory?.stop();
      await fixture?.dispose();
    });

    it(`publishes a row enqueued while idle within ${PROMPT_MS} ms although the idle poll is ${IDLE_POLL_MS} ms`, async () => {
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const before = directory.entries().length;
        await enqueue(fixture);
        await eventually(() => directory.entries().length > before, 'the new row published', PROMPT_MS);
        await eventually(async () => (await publisher.status()).pending === 0, 'nothing pending', PROMPT_MS);
      }
    });
  };
}

describe('publisher wake-up on SQLite (short poll)', wakeSuite(sqliteTestDatabase, async (fixture) => void (await fixture.issueUserCertificate('wake-sqlite'))));

describePostgres('publisher wake-up on PostgreSQL after a CRL (NOTIFY at commit, LISTEN in the publisher)', wakeSuite(postgresTestDatabase, (fixture) => fixture.signCrl()));

// Issuance stores its outbox rows through the group-commit batcher, not enqueuePublication: it must notify as well.
describePostgres('publisher wake-up on PostgreSQL after an issuance', wakeSuite(postgresTestDatabase, async (fixture) => void (await fixture.issueUserCertificate('wake-postgres'))));
