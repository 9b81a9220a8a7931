/**
 * Key identifiers (RFC 5280 4.2.1.2, method 1): the SHA-1 of the subjectPublicKey BIT STRING value (the point,
 * without tag, length and unused-bits octet). The subjectKeyIdentifier of a CA is the authorityKeyIdentifier of
 * everything it signs.
 */
import { createHash } from 'node:crypto';
import { asBuffer, DerSequenceReader, readWhole } from '../der/der-reader';
import { DerTag } from '../der/der-tags';
import { decodeBitString } from '../der/der-values';

export function keyIdentifierFromSpki(spki: Uint8Array): Buffer {
  const bytes = asBuffer(spki);
  const reader = new DerSequenceReader(bytes, readWhole(bytes, DerTag.SEQUENCE, 'SubjectPublicKeyInfo'), 'SubjectPublicKeyInfo');
  reader.next(DerTag.SEQUENCE, 'algorithm');
  const bitString = reader.next(DerTag.BIT_STRING, 'subjectPublicKey');
  const { bytes: key } = decodeBitString(bytes.subarray(bitString.valueOffset, bitString.end), 'subjectPublicKey');
  return createHash('sha1').update(key).digest();
}
