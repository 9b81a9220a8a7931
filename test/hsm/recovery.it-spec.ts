/**
 * The workers recover from a module that loses its sessions (closed, finalised, re-initialised, logged out) while
 * requests are in flight: every request is answered exactly once, with a valid signature. A hung call fails with
 * 'timeout', its worker is replaced, and the service goes on.
 */
import pkcs11js from 'pkcs11js';
import { Pkcs11KeyManager, type Signer } from '@smpki/hsm';
import { createTestToken, type TestToken } from '../support/softhsm';
import { withDirectSession, type DirectSession } from './support/direct-session';
import { RecordingLogger, testHsmConfig } from './support/test-key-manager';

let token: TestToken;
let km: Pkcs11KeyManager;
let signer: Signer;
const logger = new RecordingLogger();

beforeAll(async () => {
  token = createTestToken();
  km = await Pkcs11KeyManager.open(testHsmConfig(token, { callTimeoutMs: 2000 }), logger);
  await km.createEcKeyPair(`pkcs11:token=${token.label};object=recovery`, 'brainpoolP256r1');
  signer = await km.createSigner(`pkcs11:token=${token.label};object=recovery`);
});

afterAll(async () => {
  await km?.close();
  token?.remove();
});

/**
 * Sends `count` signatures, and while most are still unanswered parks the workers between two calls, breaks the
 * module with `disrupt`, and lets the workers go on. Returns the answers and how many were unanswered at the break.
 */
async function signThrough(count: number, disrupt: (direct: DirectSession) => void) {
  const messages = Array.from({ length: count }, (_, i) => Buffer.from(`reading ${i}`));
  const answers = new Map<number, number>();
  const settled: Array<Promise<PromiseSettledResult<Buffer>>> = messages.map((message, i) =>
    signer.sign(message).then(
      (value) => {
        answers.set(i, (answers.get(i) ?? 0) + 1);
        return { status: 'fulfilled', value } as const;
      },
      (reason: unknown) => {
        answers.set(i, (answers.get(i) ?? 0) + 1);
        return { status: 'rejected', reason } as const;
      },
    ),
  );
  await new Promise((resolve) => setTimeout(resolve, 5));
  const resume = await km.__debugPauseWorkers();
  const unansweredAtBreak = count - answers.size;
  try {
    await withDirectSession(token, disrupt);
  } finally {
    resume();
  }
  const results = await Promise.all(settled);
  return { messages, results, answers, unansweredAtBreak };
}

async function expectAllSignedOnce(count: number, disrupt: (direct: DirectSession) => void, ckr: string): Promise<void> {
  const before = km.stats();
  logger.lines.length = 0;
  const { messages, results, answers, unansweredAtBreak } = await signThrough(count, disrupt);

  // The break happened with requests in flight, or the test would prove nothing.
  expect(unansweredAtBreak).toBeGreaterThan(count / 4);
  const failures = results.filter((result) => result.status === 'rejected').map((result) => String((result as PromiseRejectedResult).reason));
  expect(failures).toEqual([]);
  expect([...answers.values()].every((times) => times === 1)).toBe(true);
  expect(answers.size).toBe(count);
  const valid = await Promise.all(results.map((result, i) => km.verify(signer.publicKey.spki, messages[i]!, (result as PromiseFulfilledResult<Buffer>).value)));
  expect(valid.every(Boolean)).toBe(true);

  const after = km.stats();
  expect(after.succeeded - before.succeeded).toBe(count);
  expect(after.failed - before.failed).toBe(0);
  expect(after.duplicateAnswersDropped).toBe(before.duplicateAnswersDropped);
  expect(after.unanswered).toBe(0);
  expect(logger.lines.some((line) => line.msg.startsWith('PKCS#11 session lost') && JSON.stringify(line.fields).includes(ckr))).toBe(true);
}

describe('session recovery', () => {
  it('C_CloseAllSessions under the workers: every request answered once, all signatures valid', async () => {
    await expectAllSignedOnce(300, ({ pkcs11, slot }) => pkcs11.C_CloseAllSessions(slot), 'CKR_SESSION_HANDLE_INVALID');
  });

  it('module restart (C_Finalize + C_Initialize by another user in the process)', async () => {
    await expectAllSignedOnce(
      300,
      ({ pkcs11 }) => {
        pkcs11.C_Finalize();
        pkcs11.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
      },
      'CKR_SESSION_HANDLE_INVALID',
    );
  });

  it('module finalised (C_Finalize alone): a worker initialises it again', async () => {
    await expectAllSignedOnce(300, ({ pkcs11 }) => pkcs11.C_Finalize(), 'CKR_CRYPTOKI_NOT_INITIALIZED');
  });

  it('application logged out (C_Logout): the workers log in again', async () => {
    const before = km.stats();
    const { results } = await signThrough(200, ({ pkcs11, session }) => pkcs11.C_Logout(session));
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(km.stats().succeeded - before.succeeded).toBe(200);
    expect(await km.health()).toMatchObject({ ok: true });
  });

  it('key creation retried after a lost session does not create the key twice', async () => {
    const uri = `pkcs11:token=${token.label};object=created-across-a-restart`;
    const resume = await km.__debugPauseWorkers();
    const creation = km.createAesKey(uri, { bits: 128, usages: ['encrypt'] });
    try {
      await withDirectSession(token, ({ pkcs11, slot }) => pkcs11.C_CloseAllSessions(slot));
    } finally {
      resume();
    }
    await expect(creation).resolves.toMatchObject({ kind: 'aes', bits: 128 });
    expect((await km.listKeys({ kind: 'aes' })).filter((key) => key.label === 'created-across-a-restart')).toHaveLength(1);
  });
});

describe('watchdog', () => {
  it('a hung call fails with timeout naming the operation; the worker is replaced and later requests succeed', async () => {
    const before = km.stats();
    const started = Date.now();
    const hang = km.__debugHang(30_000);
    // Requests queued behind the hung one on the same worker are sent again to a live worker, not lost.
    const meanwhile = Promise.all(Array.from({ length: 40 }, (_, i) => signer.sign(Buffer.from(`during ${i}`))));
    await expect(hang).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/^the debug hang of 30000 ms did not finish within 2000 ms \(the PKCS#11 call hung\); worker \d was replaced$/),
    });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await meanwhile).toHaveLength(40);

    const later = await signer.sign(Buffer.from('after the hang'));
    expect(await km.verify(signer.publicKey.spki, Buffer.from('after the hang'), later)).toBe(true);
    const after = km.stats();
    expect(after.timedOut - before.timedOut).toBe(1);
    expect(after.workerReplacements - before.workerReplacements).toBe(1);
    await waitFor(() => km.stats().workers === 2);
    expect(logger.lines.some((line) => line.level === 'error' && line.msg === 'PKCS#11 call hung; replacing its worker')).toBe(true);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
