import pkcs11js from 'pkcs11js';
import { ckrName, ckrSentence, describeCkr } from './ckr-codes';

describe('PKCS#11 return values in words', () => {
  it('names codes from the constants of pkcs11js', () => {
    expect(ckrName(pkcs11js.CKR_SESSION_HANDLE_INVALID)).toBe('CKR_SESSION_HANDLE_INVALID');
    expect(ckrName(0xa0)).toBe('CKR_PIN_INCORRECT');
  });

  it('names vendor codes by number', () => {
    expect(ckrName(0x80000001)).toBe('CKR_0x80000001');
    expect(ckrSentence('CKR_0x80000001')).toBe('the module returned a vendor-specific error');
  });

  it('builds a sentence that says what failed and why', () => {
    expect(describeCkr('signing with pkcs11:token=smpki;object=x', 'CKR_SESSION_HANDLE_INVALID')).toBe(
      'signing with pkcs11:token=smpki;object=x failed: the session handle is invalid (CKR_SESSION_HANDLE_INVALID)',
    );
  });

  it('falls back to the name for values without a sentence', () => {
    expect(ckrSentence('CKR_NEED_TO_CREATE_THREADS')).toBe('the module returned CKR_NEED_TO_CREATE_THREADS');
  });
});
