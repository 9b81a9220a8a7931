/**
 * The one-time fix for stock @peculiar/x509 (2.2.0): its ECDSA signature formatter knows the sizes of P-256/384/521
 * only and falls back to 32 bytes, so it cuts the r and s of brainpoolP384r1 (48 bytes) and brainpoolP512r1
 * (64 bytes) signatures when it converts between WebCrypto's r||s and DER. The certificates it produces then fail
 * verification (`openssl verify`: certificate signature failure). Call this once before @peculiar/x509 signs or
 * verifies with those curves; smpki's own builders do not need it.
 *
 * @peculiar/x509 is loaded only here (it needs the reflect-metadata polyfill and ~90 ms to load), so code that
 * does not use it does not pay for it.
 */
export const PECULIAR_BRAINPOOL_CURVE_SIZES: Readonly<Record<string, number>> = {
  brainpoolP256r1: 32,
  brainpoolP384r1: 48,
  brainpoolP512r1: 64,
};

export function fixPeculiarBrainpoolSignatureSizes(): void {
  require('reflect-metadata');
  const { AsnEcSignatureFormatter } = require('@peculiar/x509') as typeof import('@peculiar/x509');
  for (const [curve, size] of Object.entries(PECULIAR_BRAINPOOL_CURVE_SIZES)) AsnEcSignatureFormatter.namedCurveSize.set(curve, size);
}
