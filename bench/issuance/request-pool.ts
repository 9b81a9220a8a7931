/**
 * The PKCS#10 requests the benchmark sends, made before the clock starts: brainpoolP256r1 keys from node:crypto,
 * requests built with @smpki/crypto and self-signed in software, each base64 of the DER as the API takes it.
 */
import { createCertificationRequest, subjectAltName, type DistinguishedName } from '@smpki/crypto';
import { SoftwareSigner } from '../../test/support/software-signer';

function subject(index: number): DistinguishedName {
  return [
    { type: 'CN', value: `Bench-${index}.EMT.MAK` },
    { type: 'O', value: 'SM-Test-PKI-DE' },
    { type: 'OU', value: '1234567890120' },
    { type: 'C', value: 'DE' },
    { type: 'serialNumber', value: '1' },
  ];
}

/** `count` distinct requests (distinct keys and subjects), base64 DER. */
export async function createRequestPool(count: number): Promise<string[]> {
  const requests: string[] = [];
  for (let index = 0; index < count; index++) {
    const signer = SoftwareSigner.generate('brainpoolP256r1');
    const host = `bench-${index}.company.invalid`;
    const der = await createCertificationRequest(
      { subject: subject(index), extensions: [subjectAltName([{ email: `maco@${host}` }, { uri: `https://${host}:11111/maco` }, { dns: host }])] },
      signer,
    );
    requests.push(der.toString('base64'));
  }
  return requests;
}
