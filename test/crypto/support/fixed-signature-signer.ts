/**
 * A Signer that signs nothing: it returns one fixed DER signature. For measuring everything but the signature,
 * and for comparing two encodings of the same content byte for byte (real ECDSA signatures differ every time).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { Curve, Signer } from '@smpki/hsm';

export function fixedSignatureSigner(curve: Curve = 'brainpoolP256r1', nodeCurve = 'brainpoolP256r1'): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: nodeCurve });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const signature = sign('sha256', Buffer.from('fixed'), { key: privateKey, dsaEncoding: 'der' });
  const keyUri = 'pkcs11:token=none;object=fixed-signature';
  return {
    keyUri,
    curve,
    publicKey: { keyUri, curve, spki, point: Buffer.alloc(0) },
    sign: async () => signature,
    signDigest: async () => signature,
  };
}
