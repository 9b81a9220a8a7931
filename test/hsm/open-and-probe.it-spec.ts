/**
 * Opening the key manager: the mechanism probe refuses a module that lacks what the configuration requires, and
 * bad configuration (PIN, token, module) gives errors that say what is wrong, without the PIN.
 */
import { DEFAULT_REQUIRED_MECHANISMS, HsmError, Pkcs11KeyManager } from '@smpki/hsm';
import { createTestToken, type TestToken } from '../support/softhsm';
import { RecordingLogger, testHsmConfig } from './support/test-key-manager';

let token: TestToken;

beforeAll(() => {
  token = createTestToken();
});

afterAll(() => {
  token?.remove();
});

async function openFailure(overrides: Parameters<typeof testHsmConfig>[1], logger?: RecordingLogger): Promise<HsmError> {
  const error = await Pkcs11KeyManager.open(testHsmConfig(token, overrides), logger).then(
    async (km) => {
      await km.close();
      throw new Error('open() succeeded');
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(HsmError);
  return error as HsmError;
}

describe('mechanism probe', () => {
  it('refuses a module that lacks a required mechanism, naming the mechanisms and the module', async () => {
    const error = await openFailure({ requiredMechanisms: [...DEFAULT_REQUIRED_MECHANISMS, 'CKM_ECDSA_SHA256', '0x80001234'] });
    expect(error.code).toBe('mechanism-missing');
    expect(error.message).toMatch(/^PKCS#11 module \/usr\/lib\/softhsm\/libsofthsm2\.so \(.*, token 'smpki-test'\) lacks CKM_ECDSA_SHA256, 0x80001234$/);
  });

  it('refuses an unknown mechanism name in the configuration', async () => {
    const error = await openFailure({ requiredMechanisms: ['CKM_AES_WRAP_KEY'] });
    expect(error).toMatchObject({ code: 'invalid-config', message: expect.stringContaining("unknown PKCS#11 mechanism 'CKM_AES_WRAP_KEY'") });
  });

  it('opens with the default set and reports what the module can do', async () => {
    const logger = new RecordingLogger();
    const km = await Pkcs11KeyManager.open(testHsmConfig(token), logger);
    try {
      expect(km.capabilities.mechanisms).toEqual(expect.arrayContaining([...DEFAULT_REQUIRED_MECHANISMS]));
      expect(km.capabilities).toMatchObject({ ecdhKdfInToken: false, ecdsaWithHashInToken: false, aesKeyWrapPad: true, workers: 2 });
      expect(km.capabilities.tokenModel).toMatch(/SoftHSM/);
      expect(logger.text()).toContain('no X9.63 KDF for ECDH');
      expect(logger.text()).not.toContain(token.userPin);
      expect(await km.health()).toMatchObject({ ok: true });
    } finally {
      await km.close();
    }
    await expect(km.health()).resolves.toMatchObject({ ok: false, detail: expect.stringContaining('the key manager is closed') });
  });
});

describe('configuration errors', () => {
  it('a wrong PIN gives a clear error without the PIN in it', async () => {
    const logger = new RecordingLogger();
    const wrongPin = '98765-not-the-pin';
    const error = await openFailure({ pin: wrongPin }, logger);
    expect(error).toMatchObject({ code: 'login', ckr: 'CKR_PIN_INCORRECT' });
    expect(error.message).toBe(`logging in to token 'smpki-test' of ${token.modulePath} failed: the PIN is incorrect (CKR_PIN_INCORRECT)`);
    expect(`${error.message} ${error.stack}`).not.toContain(wrongPin);
    expect(logger.text()).not.toContain(wrongPin);
  });

  it('names the token it did not find and the tokens it did', async () => {
    const error = await openFailure({ tokenLabel: 'no-such-token' });
    expect(error).toMatchObject({ code: 'token-not-found', message: expect.stringContaining("no token labelled 'no-such-token'") });
    expect(error.message).toContain("tokens present: 'smpki-test'");
  });

  it('names a module that cannot be loaded', async () => {
    const error = await openFailure({ modulePath: '/nonexistent/libpkcs11.so' });
    expect(error).toMatchObject({ code: 'invalid-config', message: expect.stringContaining('cannot load PKCS#11 module /nonexistent/libpkcs11.so') });
  });

  it.each([
    [{ workers: 0 }, 'workers must be an integer from 1 to 256 (got 0)'],
    [{ callTimeoutMs: 1 }, 'callTimeoutMs must be at least 10'],
    [{ pin: '' }, 'pin must be a non-empty string'],
  ])('refuses %j', async (overrides, message) => {
    await expect(Pkcs11KeyManager.open(testHsmConfig(token, overrides))).rejects.toMatchObject({ code: 'invalid-config', message: expect.stringContaining(message) });
  });

  it('after all those failures the module still opens in this process', async () => {
    const km = await Pkcs11KeyManager.open(testHsmConfig(token));
    await km.createEcKeyPair(`pkcs11:token=${token.label};object=after-failures`, 'P-256');
    await km.close();
  });
});
