/**
 * A sub-CA's SM-PKI CRMF initial request (one CertReqMsg), built with libs/crypto's encoder from a fresh software
 * key, as a sub-CA operator's tooling would send it. `tamperPop` signs other bytes than the CertRequest, so the
 * proof of possession is a valid signature that does not verify.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { encodeInitialRequest, nameDer, type DistinguishedName } from '@smpki/crypto';

export interface SubCaCrmfOptions {
  subject?: DistinguishedName;
  /** Node curve name (default brainpoolP256r1). */
  curve?: string;
  tamperPop?: boolean;
  /** How many CertReqMsgs (default 1). */
  requests?: number;
}

export const CRMF_SUB_CA_SUBJECT: DistinguishedName = [
  { type: 'CN', value: 'Test-Crmf.CA' },
  { type: 'O', value: 'SM-Test-PKI-DE' },
  { type: 'C', value: 'DE' },
  { type: 'serialNumber', value: '1' },
];

export async function subCaCrmfRequest(options: SubCaCrmfOptions = {}): Promise<Buffer> {
  const entries = Array.from({ length: options.requests ?? 1 }, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: options.curve ?? 'brainpoolP256r1' });
    return {
      subject: nameDer(options.subject ?? CRMF_SUB_CA_SUBJECT),
      publicKey: publicKey.export({ format: 'der', type: 'spki' }),
      sign: async (data: Uint8Array) => sign('sha256', options.tamperPop ? Buffer.concat([data, Buffer.from([0])]) : data, { key: privateKey, dsaEncoding: 'der' }),
    };
  });
  return encodeInitialRequest(entries);
}
