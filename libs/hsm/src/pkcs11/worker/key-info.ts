/** Reads what the key manager reports about a token object (KeyInfo) from its attributes. */
import pkcs11js from 'pkcs11js';
import type { KeyInfo } from '../../key-manager';
import { formatPkcs11Uri } from '../../pkcs11-uri';
import { curveFromEcParams } from '../curves';
import type { TokenSession } from './token-session';

/** CK_ULONG attributes come back as native-endian bytes (little-endian on the platforms we run on). */
export function attributeNumber(value: Buffer): number {
  return value.length >= 8 ? Number(value.readBigUInt64LE(0)) : value.readUIntLE(0, value.length);
}

export function attributeBoolean(value: Buffer): boolean {
  return value.length > 0 && value[0] !== 0;
}

function readAttributes(session: TokenSession, handle: Buffer, types: number[]): Map<number, Buffer> {
  const result = session.pkcs11.C_GetAttributeValue(session.session, handle, types.map((type) => ({ type })));
  return new Map(result.map((attribute) => [attribute.type, attribute.value]));
}

/** KeyInfo of an EC or AES key object; undefined for objects the key manager does not handle (RSA, certificates). */
export function readKeyInfo(session: TokenSession, handle: Buffer, tokenLabel: string): KeyInfo | undefined {
  const head = readAttributes(session, handle, [pkcs11js.CKA_CLASS, pkcs11js.CKA_KEY_TYPE, pkcs11js.CKA_LABEL, pkcs11js.CKA_ID]);
  const objectClass = attributeNumber(head.get(pkcs11js.CKA_CLASS)!);
  const keyType = attributeNumber(head.get(pkcs11js.CKA_KEY_TYPE)!);
  const label = head.get(pkcs11js.CKA_LABEL)!.toString('utf8');
  const base = { uri: formatPkcs11Uri({ token: tokenLabel, object: label }), label, id: head.get(pkcs11js.CKA_ID)!.toString('hex') };

  if (keyType === pkcs11js.CKK_EC && objectClass === pkcs11js.CKO_PUBLIC_KEY) {
    const curve = curveFromEcParams(readAttributes(session, handle, [pkcs11js.CKA_EC_PARAMS]).get(pkcs11js.CKA_EC_PARAMS)!);
    return { ...base, kind: 'ec-public', ...(curve && { curve: curve.name }), sensitive: false, extractable: true };
  }
  if (keyType === pkcs11js.CKK_EC && objectClass === pkcs11js.CKO_PRIVATE_KEY) {
    const attributes = readAttributes(session, handle, [pkcs11js.CKA_EC_PARAMS, pkcs11js.CKA_SENSITIVE, pkcs11js.CKA_EXTRACTABLE]);
    const curve = curveFromEcParams(attributes.get(pkcs11js.CKA_EC_PARAMS)!);
    return {
      ...base,
      kind: 'ec-private',
      ...(curve && { curve: curve.name }),
      sensitive: attributeBoolean(attributes.get(pkcs11js.CKA_SENSITIVE)!),
      extractable: attributeBoolean(attributes.get(pkcs11js.CKA_EXTRACTABLE)!),
    };
  }
  if (keyType === pkcs11js.CKK_AES && objectClass === pkcs11js.CKO_SECRET_KEY) {
    const attributes = readAttributes(session, handle, [pkcs11js.CKA_VALUE_LEN, pkcs11js.CKA_SENSITIVE, pkcs11js.CKA_EXTRACTABLE]);
    // SoftHSM leaves CKA_VALUE_LEN 0 on unwrapped keys: then the size is not known from the attributes.
    const bytes = attributeNumber(attributes.get(pkcs11js.CKA_VALUE_LEN)!);
    return {
      ...base,
      kind: 'aes',
      ...(bytes > 0 && { bits: bytes * 8 }),
      sensitive: attributeBoolean(attributes.get(pkcs11js.CKA_SENSITIVE)!),
      extractable: attributeBoolean(attributes.get(pkcs11js.CKA_EXTRACTABLE)!),
    };
  }
  return undefined;
}
