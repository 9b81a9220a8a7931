/**
 * Attribute templates of the objects the key manager creates. Private and secret keys are always CKA_PRIVATE and
 * CKA_SENSITIVE; only working keys meant to leave the token wrapped are CKA_EXTRACTABLE.
 */
import pkcs11js from 'pkcs11js';
import type { Template } from 'pkcs11js';
import type { CreateAesKeyOptions, SecretKeyUsage } from '../../key-manager';
import type { CurveInfo } from '../curves';

const USAGE_ATTRIBUTES: Record<SecretKeyUsage, number> = {
  wrap: pkcs11js.CKA_WRAP,
  unwrap: pkcs11js.CKA_UNWRAP,
  encrypt: pkcs11js.CKA_ENCRYPT,
  decrypt: pkcs11js.CKA_DECRYPT,
  sign: pkcs11js.CKA_SIGN,
  verify: pkcs11js.CKA_VERIFY,
  derive: pkcs11js.CKA_DERIVE,
};

/** Every usage attribute set explicitly, true for the usages asked for (modules differ in their defaults). */
export function usageAttributes(usages: readonly SecretKeyUsage[]): Template {
  return (Object.keys(USAGE_ATTRIBUTES) as SecretKeyUsage[]).map((usage) => ({ type: USAGE_ATTRIBUTES[usage], value: usages.includes(usage) }));
}

export function ecKeyPairTemplates(
  label: string,
  id: Buffer,
  curve: CurveInfo,
  usages: ReadonlyArray<'sign' | 'derive'>,
): { publicKey: Template; privateKey: Template } {
  return {
    publicKey: [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PUBLIC_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: false },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_EC_PARAMS, value: curve.ecParams },
      { type: pkcs11js.CKA_VERIFY, value: usages.includes('sign') },
      // SoftHSM defaults these to true; an EC key neither encrypts nor wraps.
      { type: pkcs11js.CKA_ENCRYPT, value: false },
      { type: pkcs11js.CKA_WRAP, value: false },
    ],
    privateKey: [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_SIGN, value: usages.includes('sign') },
      { type: pkcs11js.CKA_DERIVE, value: usages.includes('derive') },
      { type: pkcs11js.CKA_DECRYPT, value: false },
      { type: pkcs11js.CKA_UNWRAP, value: false },
    ],
  };
}

/** A persistent AES key: a master key (never extractable) or a wrappable working key. */
export function aesTokenKeyTemplate(label: string, id: Buffer, options: CreateAesKeyOptions, purpose: 'generate' | 'unwrap' | 'import'): Template {
  const template: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: options.wrappable === true },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: id },
    ...usageAttributes(options.usages),
  ];
  // C_GenerateKey needs the length; C_UnwrapKey and C_CreateObject take it from the value (SoftHSM refuses it).
  if (purpose === 'generate') template.push({ type: pkcs11js.CKA_VALUE_LEN, value: options.bits / 8 });
  return template;
}

/**
 * A short-lived AES session object (an unwrapped or freshly generated working key): sensitive, destroyed by the
 * caller right after use. `extractable` only when it is to be wrapped again.
 */
export function aesSessionKeyTemplate(usages: readonly SecretKeyUsage[], extractable: boolean, bits?: number): Template {
  const template: Template = [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: extractable },
    ...usageAttributes(usages),
  ];
  if (bits !== undefined) template.push({ type: pkcs11js.CKA_VALUE_LEN, value: bits / 8 });
  return template;
}

/**
 * A session AES key whose value may be read (CKA_SENSITIVE false): only for a value PKCS#11 cannot consume as a
 * key object (the DLMS AK in the GCM AAD). It permits no operation and is destroyed as soon as it is read.
 */
export function readableSessionKeyTemplate(): Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: false },
    { type: pkcs11js.CKA_EXTRACTABLE, value: true },
    ...usageAttributes([]),
  ];
}

/** The ECDH output as a readable session secret: on modules without an in-token KDF it must leave for the KDF. */
export function sharedSecretTemplate(length: number): Template {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_GENERIC_SECRET },
    { type: pkcs11js.CKA_TOKEN, value: false },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: false },
    { type: pkcs11js.CKA_EXTRACTABLE, value: true },
    { type: pkcs11js.CKA_VALUE_LEN, value: length },
  ];
}
