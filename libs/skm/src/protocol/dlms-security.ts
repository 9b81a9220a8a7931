/**
 * DLMS/COSEM security suite 0 (IEC 62056-5-3 §5.3.4): AES-GCM-128 with the IV = system title || invocation
 * counter, a 12-byte tag, and the AAD = SC || AK (authenticated encryption) or SC || AK || APDU (authentication
 * only). The AK is part of the AAD, which PKCS#11 cannot take from a key object: the key manager reads it inside
 * its worker for the one operation (KeyManager.aesGcmEncryptWithKeyedAad), the only place a working key is in clear.
 * Here every key is a KeyInput: the EK and AK stay wrapped (or in the token) throughout.
 */
import { HsmError, type KeyInput, type KeyManager } from '@smpki/hsm';
import type { InvocationCounterStore } from './invocation-counter';
import { AuthenticationFailedError, malformed, ProtocolError } from './protocol-error';

/** Security control byte bits (IEC 62056-5-3 Table 37). */
export const SecurityControl = {
  suiteMask: 0x0f,
  authentication: 0x10,
  encryption: 0x20,
  broadcastKey: 0x40,
  compression: 0x80,
} as const;

export const DLMS_TAG_BYTES = 12;
export const SYSTEM_TITLE_BYTES = 8;
const HEADER_BYTES = 5; // SC || IC

export interface DlmsSuite0Keys {
  /** The block cipher key: GUEK (or GBEK for broadcast). */
  encryptionKey: KeyInput;
  /** The authentication key, part of the AAD. */
  authenticationKey: KeyInput;
}

/** The security header and what follows it: SC || IC || (ciphertext or clear APDU) || tag. */
export interface ProtectedApdu {
  securityControl: number;
  invocationCounter: number;
  /** Ciphertext (encryption bit set) or the clear APDU (authentication only). */
  information: Buffer;
  /** Empty when the authentication bit is clear. */
  tag: Buffer;
}

function checkSecurityControl(sc: number): void {
  if (!Number.isInteger(sc) || sc < 0 || sc > 0xff) malformed(`a security control byte is 0..255, got ${sc}`);
  if ((sc & SecurityControl.suiteMask) !== 0) throw new ProtocolError('unsupported', `security suite ${sc & SecurityControl.suiteMask} is not implemented (suite 0 only)`);
  if ((sc & SecurityControl.compression) !== 0) throw new ProtocolError('unsupported', 'compressed APDUs (security control bit 7) are not implemented');
  if ((sc & (SecurityControl.authentication | SecurityControl.encryption)) === 0) malformed('security control 0x' + sc.toString(16) + ' asks for neither authentication nor encryption');
}

function checkCounter(counter: number): void {
  if (!Number.isInteger(counter) || counter < 0 || counter > 0xffffffff) malformed(`an invocation counter is a 32-bit unsigned integer, got ${counter}`);
}

/** IV = system title (8 bytes) || invocation counter (4 bytes, big-endian). */
export function dlmsIv(systemTitle: Uint8Array, invocationCounter: number): Buffer {
  if (systemTitle.length !== SYSTEM_TITLE_BYTES) malformed(`a system title has 8 bytes, got ${systemTitle.length}`);
  checkCounter(invocationCounter);
  const iv = Buffer.alloc(12);
  Buffer.from(systemTitle).copy(iv);
  iv.writeUInt32BE(invocationCounter, 8);
  return iv;
}

/** SC || IC || information || tag, the octets inside the ciphered APDU. */
export function encodeProtected(apdu: ProtectedApdu): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = apdu.securityControl;
  header.writeUInt32BE(apdu.invocationCounter, 1);
  return Buffer.concat([header, apdu.information, apdu.tag]);
}

export function decodeProtected(bytes: Uint8Array): ProtectedApdu {
  const buffer = Buffer.from(bytes);
  if (buffer.length < HEADER_BYTES) malformed(`a protected APDU has at least 5 bytes (SC || IC), got ${buffer.length}`);
  const securityControl = buffer[0]!;
  checkSecurityControl(securityControl);
  const tagBytes = securityControl & SecurityControl.authentication ? DLMS_TAG_BYTES : 0;
  if (buffer.length < HEADER_BYTES + tagBytes) malformed(`the protected APDU is too short for its ${tagBytes}-byte tag`);
  return {
    securityControl,
    invocationCounter: buffer.readUInt32BE(1),
    information: buffer.subarray(HEADER_BYTES, buffer.length - tagBytes),
    tag: buffer.subarray(buffer.length - tagBytes),
  };
}

/** Protects an APDU with suite 0 as the security control byte says (authenticated and/or encrypted). */
export async function dlmsProtect(
  km: KeyManager,
  keys: DlmsSuite0Keys,
  input: { securityControl: number; systemTitle: Uint8Array; invocationCounter: number; apdu: Uint8Array },
): Promise<ProtectedApdu> {
  const sc = input.securityControl;
  checkSecurityControl(sc);
  const iv = dlmsIv(input.systemTitle, input.invocationCounter);
  const header = { securityControl: sc, invocationCounter: input.invocationCounter };
  const prefix = Buffer.from([sc]);
  if (!(sc & SecurityControl.authentication)) {
    // Encryption only: GCM's ciphertext without the tag (no AAD is defined for this case).
    const { ciphertext } = await km.aesGcmEncrypt(keys.encryptionKey, iv, Buffer.alloc(0), input.apdu, DLMS_TAG_BYTES);
    return { ...header, information: ciphertext, tag: Buffer.alloc(0) };
  }
  if (!(sc & SecurityControl.encryption)) {
    const aad = { prefix, key: keys.authenticationKey, suffix: input.apdu };
    const { tag } = await km.aesGcmEncryptWithKeyedAad(keys.encryptionKey, iv, aad, Buffer.alloc(0), DLMS_TAG_BYTES);
    return { ...header, information: Buffer.from(input.apdu), tag };
  }
  const { ciphertext, tag } = await km.aesGcmEncryptWithKeyedAad(keys.encryptionKey, iv, { prefix, key: keys.authenticationKey }, input.apdu, DLMS_TAG_BYTES);
  return { ...header, information: ciphertext, tag };
}

export interface CounterGuard {
  store: InvocationCounterStore;
  /** The meter (e.g. its system title in hex) and the key the counter belongs to. */
  meter: string;
  keyId: string;
}

async function verifyTag(operation: () => Promise<Buffer>, what: string): Promise<Buffer> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof HsmError && error.code === 'integrity') throw new AuthenticationFailedError(`the GCM tag of ${what} does not verify`);
    throw error;
  }
}

/**
 * Verifies and decrypts a protected APDU from `systemTitle` (the sender's). With a counter guard, the invocation
 * counter is recorded only after the tag verified (a forged frame must not advance it); a counter not above the
 * last accepted one is refused as a replay ({@link ReplayedCounterError}).
 */
export async function dlmsUnprotect(km: KeyManager, keys: DlmsSuite0Keys, systemTitle: Uint8Array, bytes: Uint8Array, guard?: CounterGuard): Promise<Buffer> {
  const apdu = decodeProtected(bytes);
  const sc = apdu.securityControl;
  const iv = dlmsIv(systemTitle, apdu.invocationCounter);
  const what = `the APDU with invocation counter ${apdu.invocationCounter}`;
  const prefix = Buffer.from([sc]);
  let plaintext: Buffer;
  if (!(sc & SecurityControl.authentication)) {
    // Encryption only: no integrity to check; GCM decryption is CTR, obtained from encrypting the ciphertext.
    plaintext = (await km.aesGcmEncrypt(keys.encryptionKey, iv, Buffer.alloc(0), apdu.information, DLMS_TAG_BYTES)).ciphertext;
  } else if (!(sc & SecurityControl.encryption)) {
    const aad = { prefix, key: keys.authenticationKey, suffix: apdu.information };
    await verifyTag(() => km.aesGcmDecryptWithKeyedAad(keys.encryptionKey, iv, aad, Buffer.alloc(0), apdu.tag), what);
    plaintext = Buffer.from(apdu.information);
  } else {
    const aad = { prefix, key: keys.authenticationKey };
    plaintext = await verifyTag(() => km.aesGcmDecryptWithKeyedAad(keys.encryptionKey, iv, aad, apdu.information, apdu.tag), what);
  }
  if (guard) await guard.store.advance(guard.meter, guard.keyId, apdu.invocationCounter);
  return plaintext;
}
