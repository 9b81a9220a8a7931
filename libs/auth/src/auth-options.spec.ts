import { DEFAULT_ACCESS_RULES } from '@smpki/policy';
import { generateKeyPairSync } from 'node:crypto';
import type { Signer } from '@smpki/hsm';
import { AuthSettings, type AuthModuleOptions } from './auth-options';

function spki(namedCurve: string): Buffer {
  return generateKeyPairSync('ec', { namedCurve }).publicKey.export({ format: 'der', type: 'spki' });
}

const base: AuthModuleOptions = {
  issuer: 'https://pki.example',
  audience: 'smpki',
  tokenTtlSeconds: 900,
  verificationKeys: [spki('P-256')],
  accessRules: DEFAULT_ACCESS_RULES,
  eventSink: { record: () => undefined },
};

describe('AuthSettings', () => {
  it('resolves valid options, adding the signer key to the verification keys', () => {
    const signerSpki = spki('P-256');
    const signer = { keyUri: 'pkcs11:token=t;object=auth', curve: 'P-256', publicKey: { spki: signerSpki } } as unknown as Signer;
    const settings = new AuthSettings({ ...base, tokenSigner: signer });
    expect(settings.verificationKeys.size).toBe(2);
    expect(settings.verificationKeys.has(settings.signingKeyId!)).toBe(true);
    expect(settings.clockSkewSeconds).toBe(30);
  });

  it.each([
    [{ tokenTtlSeconds: 3601 }, 'tokenTtlSeconds must be an integer from 1 to 3600, got 3601'],
    [{ tokenTtlSeconds: 0 }, 'tokenTtlSeconds must be an integer from 1 to 3600, got 0'],
    [{ clockSkewSeconds: 600 }, 'clockSkewSeconds must be an integer from 0 to 300, got 600'],
    [{ issuer: ' ' }, 'issuer must be a non-empty string'],
    [{ verificationKeys: [] }, 'no token verification key configured'],
    [{ verificationKeys: [spki('brainpoolP256r1')] }, 'ES256 needs a P-256 key, got ec on brainpoolP256r1'],
    [{ eventSink: undefined }, 'eventSink is required'],
  ])('refuses %j', (overrides, message) => {
    expect(() => new AuthSettings({ ...base, ...overrides } as AuthModuleOptions)).toThrow(message);
  });

  it('refuses a token signer that is not on P-256, naming its key', () => {
    const signer = { keyUri: 'pkcs11:token=t;object=bp', curve: 'brainpoolP256r1', publicKey: { spki: spki('brainpoolP256r1') } } as unknown as Signer;
    expect(() => new AuthSettings({ ...base, tokenSigner: signer })).toThrow('the token signer pkcs11:token=t;object=bp is on brainpoolP256r1; ES256 tokens need a P-256 key');
  });
});
