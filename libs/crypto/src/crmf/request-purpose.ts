/**
 * Which of a market participant's three key pairs a request is for. SM-PKI clients do not label the requests of
 * an initial request (the real example sends ENC, SIG, TLS in that order); the requested keyUsage and extended
 * key usage say it.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { ExtendedKeyUsage, Extension, id_ce_extKeyUsage, id_ce_keyUsage, id_kp_clientAuth, id_kp_serverAuth, KeyUsage, KeyUsageFlags } from '@peculiar/asn1-x509';

/** `tls`: TLS client/server; `sig`: signatures; `enc`: encryption (key agreement / key transport). */
export type SmPkiKeyPurpose = 'tls' | 'sig' | 'enc';

/** The purpose the requested extensions describe, or undefined when they describe none of the three. */
export function requestPurpose(extensions: readonly Extension[]): SmPkiKeyPurpose | undefined {
  const keyUsage = extensions.find((extension) => extension.extnID === id_ce_keyUsage);
  const eku = extensions.find((extension) => extension.extnID === id_ce_extKeyUsage);
  if (eku) {
    const purposes = AsnConvert.parse(eku.extnValue, ExtendedKeyUsage);
    if (purposes.includes(id_kp_serverAuth) || purposes.includes(id_kp_clientAuth)) return 'tls';
  }
  if (!keyUsage) return undefined;
  const flags = AsnConvert.parse(keyUsage.extnValue, KeyUsage).toNumber();
  if (flags & (KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyAgreement)) return 'enc';
  if (flags & KeyUsageFlags.digitalSignature) return 'sig';
  return undefined;
}
