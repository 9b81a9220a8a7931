/**
 * What a check reports. Rule names are stable: the CA puts them into problem documents and audit records, the
 * linter prints them, operators grep for them.
 */

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: ProfileRule;
  severity: Severity;
  message: string;
}

/** Every rule, with what it checks (the linter's `--rules` listing and the README come from this table). */
export const PROFILE_RULES = {
  'certificate.malformed': 'the input is not a parseable X.509 certificate (or candidate)',
  'certificate.version': 'the certificate is X.509 v3',
  'profile.unknown': 'a profile applies: named, or recognised from the certificate',
  'serial.number': 'the serial number is positive, at most 20 octets and at least the profile minimum (entropy)',
  'key.algorithm': 'the subject key is an EC key (id-ecPublicKey)',
  'key.explicit-parameters': 'the subject key names its curve (no explicit parameters)',
  'key.curve': 'the subject key is on a curve the profile allows',
  'signature.algorithm': 'the certificate is signed with ECDSA and SHA-2 (tbs and outer algorithm agree)',
  'signature.hash': 'the signature hash is allowed by the profile and matches the issuer curve when it must',
  'signature.valid': 'the signature verifies with the issuer key (when the issuer is known)',
  'name.issuer-match': "the issuer name equals the issuer certificate's subject (when the issuer is known)",
  'name.self-issued': 'a root certificate names itself as issuer',
  'name.cn.present': 'the subject has a common name when the profile requires it (and none when it forbids it)',
  'name.cn.suffix': 'the common name ends in a suffix the profile allows (e.g. .CA)',
  'name.cn.role': 'the common name contains a role segment the profile allows (e.g. .EMT, .SMGW)',
  'name.o': 'the organisation is one the profile allows',
  'name.c': 'the country is one the profile allows',
  'name.ou.gln': 'the organisational unit is a 13-digit market-participant number',
  'name.serialNumber': 'the serialNumber attribute is present/absent as the profile says and matches its pattern',
  'name.meter-id': 'the meter identification attribute is present and well-formed',
  'ext.duplicate': 'no extension occurs twice',
  'ext.malformed': 'every extension the profile checks decodes',
  'ext.required': 'every extension the profile requires is present',
  'ext.forbidden': 'no extension the profile forbids is present',
  'ext.unknown': 'every extension is one the profile knows (warning)',
  'ext.criticality.noncritical': 'extensions other than keyUsage, basicConstraints and extendedKeyUsage are not critical',
  'ext.keyUsage.value': 'keyUsage is present with exactly the bits the profile requires (plus optional ones)',
  'ext.keyUsage.critical': 'keyUsage is marked critical as the profile requires',
  'ext.eku.value': 'extendedKeyUsage is present/absent as required and lists the required purposes only',
  'ext.eku.critical': 'extendedKeyUsage is marked critical as the profile requires',
  'ext.basicConstraints': 'basicConstraints is present, critical as required, with the cA flag and pathLen of the profile',
  'ext.san.required': 'subjectAltName is present where mandatory (GWA/GWH/EMT)',
  'ext.san.forbidden': 'subjectAltName is absent where forbidden (SMGW)',
  'ext.san.types': 'subjectAltName holds the name types the profile requires and no others',
  'ext.policies': 'certificatePolicies is present as required and asserts the required policy OIDs',
  'ext.aki.matches-issuer': "the authorityKeyIdentifier equals the issuer's subjectKeyIdentifier (when the issuer is known)",
  'validity.order': 'notBefore is before notAfter',
  'validity.max': 'the validity is no longer than the profile maximum',
  'validity.within-issuer': "notAfter is not after the issuer's notAfter (when the issuer is known)",
  'validity.not-after-end-of-day': 'notAfter is at 23:59:59 UTC where the profile says so',
} as const;

export type ProfileRule = keyof typeof PROFILE_RULES;

export function error(rule: ProfileRule, message: string): Finding {
  return { rule, severity: 'error', message };
}

export function warning(rule: ProfileRule, message: string): Finding {
  return { rule, severity: 'warning', message };
}
