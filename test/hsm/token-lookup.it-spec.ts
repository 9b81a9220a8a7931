/**
 * A token that is not readable at the moment the key manager opens (another process is initialising or rewriting
 * it, as when several services start at once on one SoftHSM2 token) is looked up again before the open fails.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HsmError, Pkcs11KeyManager } from '@smpki/hsm';
import { SOFTHSM_MODULE } from '../support/softhsm';

const run = promisify(execFile);

describe('token lookup at open', () => {
  let dir: string;
  let configPath: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-token-lookup-'));
    mkdirSync(join(dir, 'tokens'));
    configPath = join(dir, 'softhsm2.conf');
    writeFileSync(configPath, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = (label: string) => ({
    modulePath: SOFTHSM_MODULE,
    tokenLabel: label,
    pin: '1234',
    workers: 1,
    callTimeoutMs: 10_000,
    moduleEnvironment: { SOFTHSM2_CONF: configPath },
  });

  it('finds a token that another process initialises while the manager is opening', async () => {
    const opening = Pkcs11KeyManager.open(config('late-token'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await run('softhsm2-util', ['--init-token', '--free', '--label', 'late-token', '--pin', '1234', '--so-pin', '123456'], {
      env: { ...process.env, SOFTHSM2_CONF: configPath },
    });
    const keys = await opening;
    try {
      expect(await keys.health()).toMatchObject({ ok: true });
    } finally {
      await keys.close();
    }
  });

  it('waits for the user PIN of a token that is labelled but not yet fully initialised', async () => {
    // softhsm2-util --init-token does C_InitToken, then C_InitPIN: a service opening in between found the label
    // and failed its login with CKR_USER_PIN_NOT_INITIALIZED (seen in CI). pkcs11-tool splits the two steps.
    const env = { ...process.env, SOFTHSM2_CONF: configPath };
    await run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--init-token', '--label', 'half-token', '--so-pin', '123456'], { env });
    const opening = Pkcs11KeyManager.open(config('half-token'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    await run('pkcs11-tool', ['--module', SOFTHSM_MODULE, '--token-label', 'half-token', '--login', '--login-type', 'so', '--so-pin', '123456', '--init-pin', '--pin', '1234'], { env });
    const keys = await opening;
    try {
      expect(await keys.health()).toMatchObject({ ok: true });
    } finally {
      await keys.close();
    }
  });

  it('still refuses a token that never appears, naming it', async () => {
    await expect(Pkcs11KeyManager.open(config('no-such-token'))).rejects.toMatchObject({
      code: 'token-not-found',
      message: expect.stringContaining("no token labelled 'no-such-token'"),
    } satisfies Partial<HsmError>);
  });
});
