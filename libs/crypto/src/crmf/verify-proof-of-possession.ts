/**
 * Proof of possession (RFC 4211 section 4.1): the requester signs the DER of its CertRequest with the private key
 * of the requested certificate. The signature is checked over the bytes as received: they are what the client
 * signed, and re-encoding could only make a valid proof fail.
 *
 * SM-PKI clients send a signature POP for every key, the encryption (keyAgreement) key included: an EC key can
 * sign, and TR-03109-4 asks for it. The other RFC 4211 methods (raVerified, keyEncipherment, keyAgreement) are
 * refused: raVerified would let a requester claim an RA checked it, the other two need a CA-side challenge round.
 */
import type { KeyObject } from 'node:crypto';
import type { HashAlgorithm } from '@smpki/hsm';
import { ecdsaHashOf } from '../cms/ecdsa-algorithms';
import { verifyEcdsaSignature } from '../verify-signature';
import type { ProofOfPossession } from './asn1';
import { CrmfInputError } from './crmf-input-error';

/** Returns the hash of the verified POP signature; throws `crmf.pop-*` otherwise. */
export function verifyProofOfPossession(popo: ProofOfPossession | undefined, certRequestDer: Uint8Array, key: KeyObject, where: string): HashAlgorithm {
  if (!popo) throw new CrmfInputError('crmf.pop-missing', `${where} carries no proof of possession`);
  const pop = popo.signature;
  if (!pop) {
    const method = popo.raVerified !== undefined ? 'raVerified' : popo.keyEncipherment ? 'keyEncipherment' : 'keyAgreement';
    throw new CrmfInputError('crmf.pop-unsupported', `${where} proves possession by ${method}: only a signature proof is accepted`);
  }
  if (pop.poposkInput) {
    throw new CrmfInputError('crmf.pop-unsupported', `${where} signs a POPOSigningKeyInput: the signature must cover the certReq (subject and key are in the template)`);
  }
  const hash = ecdsaHashOf(pop.algorithmIdentifier.algorithm);
  if (!hash) {
    throw new CrmfInputError('crmf.pop-invalid', `${where}: proof-of-possession algorithm ${pop.algorithmIdentifier.algorithm} is not ecdsa-with-SHA256/384/512`);
  }
  if (!verifyEcdsaSignature({ publicKey: key, hash, data: certRequestDer, signature: new Uint8Array(pop.signature) })) {
    throw new CrmfInputError('crmf.pop-invalid', `${where}: the proof-of-possession signature does not verify with the requested public key`);
  }
  return hash;
}
