/**
 * What the module can do, asked once at open(): its mechanism list, and capabilities that a list cannot show
 * (SoftHSM lists CKM_ECDH1_DERIVE but supports only CKD_NULL, so the X9.63 KDF is tried for real).
 */
import pkcs11js from 'pkcs11js';
import type { ECDH1 } from 'pkcs11js';
import { curveInfo } from '../curves';
import { ecPointFromAttribute } from '../ec-public-key';
import type { ProbeResult } from '../worker-protocol';
import type { WorkerContext } from './worker-context';

export function probeModule(ctx: WorkerContext): ProbeResult {
  const { pkcs11 } = ctx.session;
  const library = pkcs11.C_GetInfo();
  const token = pkcs11.C_GetTokenInfo(ctx.session.slot);
  const mechanisms = pkcs11.C_GetMechanismList(ctx.session.slot);
  const canTryKdf = mechanisms.includes(pkcs11js.CKM_EC_KEY_PAIR_GEN) && mechanisms.includes(pkcs11js.CKM_ECDH1_DERIVE);
  return {
    libraryDescription: library.libraryDescription.trimEnd(),
    libraryManufacturer: library.manufacturerID.trimEnd(),
    tokenModel: token.model.trimEnd(),
    tokenManufacturer: token.manufacturerID.trimEnd(),
    tokenSerial: token.serialNumber.trimEnd(),
    mechanisms,
    ecdhKdfInToken: canTryKdf && ecdhWithSha256KdfWorks(ctx),
  };
}

/** ECDH of a throw-away P-256 session key pair with itself, asking the token to apply the SHA-256 X9.63 KDF. */
function ecdhWithSha256KdfWorks(ctx: WorkerContext): boolean {
  const { pkcs11 } = ctx.session;
  const session = ctx.session.session;
  const curve = curveInfo('P-256');
  const pair = pkcs11.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_EC_KEY_PAIR_GEN },
    [
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_EC_PARAMS, value: curve.ecParams },
    ],
    [
      { type: pkcs11js.CKA_TOKEN, value: false },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_DERIVE, value: true },
    ],
  );
  try {
    const point = ecPointFromAttribute(pkcs11.C_GetAttributeValue(session, pair.publicKey, [{ type: pkcs11js.CKA_EC_POINT }])[0]!.value, curve);
    const parameter: ECDH1 = { type: pkcs11js.CK_PARAMS_EC_DH, kdf: pkcs11js.CKD_SHA256_KDF, publicData: point };
    const derived = pkcs11.C_DeriveKey(
      session,
      { mechanism: pkcs11js.CKM_ECDH1_DERIVE, parameter },
      pair.privateKey,
      [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
        { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
        { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      ],
    );
    ctx.handles.destroyQuietly(derived);
    return true;
  } catch {
    // CKR_MECHANISM_PARAM_INVALID on SoftHSM: the KDF must run in software.
    return false;
  } finally {
    ctx.handles.destroyQuietly(pair.privateKey);
    ctx.handles.destroyQuietly(pair.publicKey);
  }
}
