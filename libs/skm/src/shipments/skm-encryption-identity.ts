/**
 * The SKM's encryption identity: a brainpoolP256r1 key pair in the HSM (derive only: it never signs) to which
 * manufacturers encrypt key shipments, and its certificate. The certificate is issued by a second SKM key (sign
 * only, "SKM certificate signer"), because a key-agreement key cannot sign its own certificate; an operator who wants
 * a CA-issued one lets the SM-PKI CA certify the same public key. The serial number is derived from the public key
 * and the validity is fixed, so issuer and serial (which envelopes name the recipient by) stay the same across
 * restarts although the certificate is re-signed at each start.
 */
import { createHash } from 'node:crypto';
import { issueCertificate, keyUsage, toPem } from '@smpki/crypto';
import type { EcPublicKey, KeyManager } from '@smpki/hsm';

export interface EncryptionIdentity {
  privateKeyUri: string;
  publicKey: EcPublicKey;
  certificate: Buffer;
  pem: string;
}

const VALIDITY = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2045-01-01T00:00:00Z') };

export class SkmEncryptionIdentity {
  private identity?: Promise<EncryptionIdentity>;

  constructor(
    private readonly keys: KeyManager,
    private readonly token: string,
  ) {}

  get(): Promise<EncryptionIdentity> {
    this.identity ??= this.load().catch((error: unknown) => {
      this.identity = undefined;
      throw error;
    });
    return this.identity;
  }

  private async keyPair(uri: string, usage: 'sign' | 'derive'): Promise<EcPublicKey> {
    if (await this.keys.findKey(uri)) return this.keys.getPublicKey(uri);
    return this.keys.createEcKeyPair(uri, 'brainpoolP256r1', { usages: [usage] });
  }

  private async load(): Promise<EncryptionIdentity> {
    const privateKeyUri = `pkcs11:token=${this.token};object=skm-shipment-encryption`;
    const signerUri = `pkcs11:token=${this.token};object=skm-certificate-signer`;
    const publicKey = await this.keyPair(privateKeyUri, 'derive');
    await this.keyPair(signerUri, 'sign');
    const serialNumber = Buffer.concat([Buffer.from([0x01]), createHash('sha256').update(publicKey.spki).digest().subarray(0, 15)]);
    const certificate = await issueCertificate(
      {
        serialNumber,
        issuer: [{ type: 'O', value: 'smpki' }, { type: 'CN', value: 'SKM certificate signer' }],
        subject: [{ type: 'O', value: 'smpki' }, { type: 'CN', value: 'SKM key shipments' }],
        validity: VALIDITY,
        subjectPublicKeyInfo: publicKey.spki,
        extensions: [keyUsage(['keyAgreement'], { critical: true })],
      },
      await this.keys.createSigner(signerUri),
    );
    return { privateKeyUri, publicKey, certificate, pem: toPem(certificate, 'CERTIFICATE') };
  }
}
