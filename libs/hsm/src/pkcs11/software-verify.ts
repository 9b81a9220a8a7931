/**
 * ECDSA verification in software with node:crypto (which knows the brainpool curves; WebCrypto does not).
 * The asynchronous form runs on libuv's thread pool, so verifying does not block the event loop and uses all cores.
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '../key-manager';
import { HsmError } from '../hsm-error';
import { curveFromNodeName, nodeHashName } from './curves';
import { derSignatureToRaw } from './ecdsa-signature';

function publicKeyFromSpki(spki: Buffer): KeyObject {
  try {
    return createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch (error) {
    throw new HsmError('invalid-input', `the public key is not a valid SubjectPublicKeyInfo: ${(error as Error).message}`);
  }
}

/** Verifies a DER or raw (r||s) ECDSA signature; the hash defaults to the one matching the curve size. */
export async function verifyEcdsa(spki: Buffer, data: Uint8Array, signature: Buffer, hash?: HashAlgorithm): Promise<boolean> {
  const key = publicKeyFromSpki(spki);
  const curve = curveFromNodeName(key.asymmetricKeyDetails?.namedCurve);
  if (key.asymmetricKeyType !== 'ec' || !curve) {
    throw new HsmError('invalid-input', `the public key is not on a supported curve (${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''})`);
  }
  // A strict DER parse decides the form; raw r||s has exactly twice the curve size and is not a DER SEQUENCE.
  const isDer = derSignatureToRaw(signature, curve.size) !== undefined;
  if (!isDer && signature.length !== 2 * curve.size) return false;
  const algorithm = nodeHashName(hash ?? curve.defaultHash);
  return new Promise<boolean>((resolve, reject) => {
    nodeVerify(algorithm, data, { key, dsaEncoding: isDer ? 'der' : 'ieee-p1363' }, signature, (error, valid) => (error ? reject(error) : resolve(valid)));
  });
}
