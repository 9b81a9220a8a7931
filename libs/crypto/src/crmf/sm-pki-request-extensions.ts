/**
 * The extensions an SM-PKI client requests for each of the three key pairs, in the order real clients write them
 * (testdata/sm-pki-real/init.crmf): subjectKeyIdentifier, subjectAltName, keyUsage, and for TLS the extended key
 * usage clientAuth + serverAuth. The CA sets criticality and everything else by its profile.
 */
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  ExtendedKeyUsage,
  Extension,
  GeneralName,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
  KeyUsage,
  KeyUsageFlags,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { keyIdentifierFromSpki } from '../keys/key-identifier';
import type { SmPkiKeyPurpose } from './request-purpose';

export interface SubjectAltNames {
  email?: readonly string[];
  uri?: readonly string[];
  dns?: readonly string[];
}

export interface SmPkiRequestExtensionsInput {
  purpose: SmPkiKeyPurpose;
  /** DER SubjectPublicKeyInfo of the requested key (for the key identifier). */
  publicKey: Uint8Array;
  /** Mandatory for GWA/GWH/EMT, forbidden for SMGW: leave it out for a gateway. */
  subjectAltName?: SubjectAltNames;
}

const KEY_USAGE: Readonly<Record<SmPkiKeyPurpose, number>> = {
  tls: KeyUsageFlags.digitalSignature,
  sig: KeyUsageFlags.digitalSignature,
  enc: KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyAgreement,
};

export function smPkiRequestExtensions(input: SmPkiRequestExtensionsInput): Extension[] {
  const keyId = keyIdentifierFromSpki(input.publicKey);
  const extensions = [extension(id_ce_subjectKeyIdentifier, new SubjectKeyIdentifier(keyId))];
  const names = generalNames(input.subjectAltName);
  if (names.length > 0) extensions.push(extension(id_ce_subjectAltName, new SubjectAlternativeName(names)));
  extensions.push(extension(id_ce_keyUsage, new KeyUsage(KEY_USAGE[input.purpose])));
  if (input.purpose === 'tls') extensions.push(extension(id_ce_extKeyUsage, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])));
  return extensions;
}

function generalNames(names: SubjectAltNames | undefined): GeneralName[] {
  return [
    ...(names?.dns ?? []).map((dNSName) => new GeneralName({ dNSName })),
    ...(names?.email ?? []).map((rfc822Name) => new GeneralName({ rfc822Name })),
    ...(names?.uri ?? []).map((uniformResourceIdentifier) => new GeneralName({ uniformResourceIdentifier })),
  ];
}

function extension(extnID: string, value: object): Extension {
  return new Extension({ extnID, critical: false, extnValue: new OctetString(AsnConvert.serialize(value)) });
}
