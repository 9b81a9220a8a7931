/**
 * The transcript of a key ceremony (or rollover): who ran it, when, which key, which certificate, from which
 * ceremony file. It is signed with the new root key itself, so the transcript proves the key existed in the HSM
 * at the ceremony, and it is written to the hash-chained audit trail (sealed by the audit checkpoint key).
 */
import { signatureAlgorithmForCurve, verifyEcdsaSignature, type ParsedCertificate } from '@smpki/crypto';
import type { HashAlgorithm, Signer } from '@smpki/hsm';

export interface CeremonyTranscript {
  kind: 'root-ca.ceremony' | 'root-ca.rollover';
  ceremony: string;
  operator: string;
  /** ISO 8601. */
  at: string;
  keyUri: string;
  curve: string;
  subject: string;
  /** Lowercase hex SHA-256 of the root certificate DER. */
  certificateSha256: string;
  /** Lowercase hex SHA-256 of the ceremony file, when the ceremony was driven by one. */
  ceremonyFileSha256?: string;
  /** Link certificates of a rollover, `new-with-old` and `old-with-new`, as SHA-256 fingerprints. */
  linkCertificates?: { newWithOld: string; oldWithNew: string };
  /** The generation this rollover replaces. */
  previousRoot?: string;
}

export interface SignedCeremonyTranscript {
  transcript: CeremonyTranscript;
  /** The exact bytes signed (UTF-8 JSON), base64, so anyone can verify without re-serialising. */
  signedData: string;
  /** DER ECDSA signature by the root key, base64; the hash follows the curve (SHA-384 on bp384, SHA-512 on bp512). */
  signature: string;
  hash: HashAlgorithm;
}

export async function signCeremonyTranscript(transcript: CeremonyTranscript, signer: Signer): Promise<SignedCeremonyTranscript> {
  const data = Buffer.from(JSON.stringify(transcript), 'utf8');
  const hash = signatureAlgorithmForCurve(signer.curve).hash;
  const signature = await signer.sign(data, { hash });
  return { transcript, signedData: data.toString('base64'), signature: signature.toString('base64'), hash };
}

/** true when the root certificate's key signed the transcript and the signed bytes are the transcript shown. */
export function verifyCeremonyTranscript(signed: SignedCeremonyTranscript, root: ParsedCertificate): boolean {
  const data = Buffer.from(signed.signedData, 'base64');
  if (JSON.stringify(JSON.parse(data.toString('utf8'))) !== JSON.stringify(signed.transcript)) return false;
  if (signed.transcript.certificateSha256 !== root.fingerprint()) return false;
  return verifyEcdsaSignature({ publicKey: root.subjectPublicKeyInfo, data, signature: Buffer.from(signed.signature, 'base64'), hash: signed.hash });
}
