/**
 * The SM-PKI certificate profiles (BSI TR-03109-4 / TR-03116-3 as seen in real certificates, see
 * shared/spec/domain.md section 2), as data. Values the sources confirm are fixed here; values domain.md marks
 * *unconfirmed* come from {@link SmPkiProfileOptions} with a documented default.
 *
 * What the real certificates show (testdata/sm-pki-real): keyUsage, basicConstraints and extendedKeyUsage
 * critical, everything else non-critical; issuerAltName on every certificate; end-user certificatePolicies carry
 * the issuing sub-CA's own policy OID (not the SM-PKI one); sub-CA CRL distribution points may name a cRLIssuer;
 * notAfter 23:59:59 UTC; end users: CN `<name>.EMT.<...>`, OU the 13-digit market-participant number.
 */
import { SmPkiOids } from '@smpki/crypto';
import type { CertificateProfile, NamingRules, ProfileSet } from './certificate-profile';
import type { Duration } from './duration';
import type { PathLenRule, SmPkiProfileOptions } from './sm-pki-profile-options';
import type { CurveName, GeneralNameType, HashName, KeyUsageName } from './vocabulary';

export const SM_PKI_PROFILE_NAMES = [
  'sm-root-ca',
  'sm-sub-ca',
  'sm-crl-signer',
  'sm-link',
  'sm-user-tls',
  'sm-user-sig',
  'sm-user-enc',
  'sm-gateway-tls',
  'sm-gateway-sig',
  'sm-gateway-enc',
  'meter-calibration',
] as const;
export type SmPkiProfileName = (typeof SM_PKI_PROFILE_NAMES)[number];

const DEFAULTS = {
  organizations: ['SM-PKI-DE', 'SM-Test-PKI-DE'],
  rootCurves: ['brainpoolP384r1', 'brainpoolP512r1'] as CurveName[],
  rootValidity: { years: 10 } as Duration,
  rootPathLen: 1 as PathLenRule,
  subCaCurves: ['brainpoolP256r1', 'brainpoolP384r1'] as CurveName[],
  subCaValidity: { years: 5 } as Duration,
  crlSignerSuffix: '.CRL-S',
  endUserCurves: ['brainpoolP256r1'] as CurveName[],
  endUserValidity: { years: 2 } as Duration,
  gatewayValidity: { years: 7 } as Duration,
  meterCurves: ['brainpoolP256r1', 'brainpoolP384r1', 'P-256', 'P-384'] as CurveName[],
  // DIN 43863-5 meter ID: division (1 = electricity), 3-letter manufacturer FLAG id, 2-character
  // fabrication block, 8-digit fabrication number, e.g. 1EMH0012345678.
  meterIdPattern: '^[0-9A-F][A-Z]{3}[0-9A-Z]{2}[0-9]{8}$',
  meterValidity: { years: 8 } as Duration,
};

/** Hashes a root (brainpoolP384r1/P512r1) signs with; the issuer's curve decides which one. */
const ROOT_HASHES: HashName[] = ['SHA-384', 'SHA-512'];
/** Sub-CA keys are brainpoolP256r1/P384r1 (and their issuers sign accordingly). */
const ALL_HASHES: HashName[] = ['SHA-256', 'SHA-384', 'SHA-512'];
/** SM-PKI end-user name types: email and URI on every key pair, dNSName on TLS. */
const USER_NAME_TYPES: GeneralNameType[] = ['rfc822Name', 'uniformResourceIdentifier'];

/** Builds the profile set; call once at start-up with the deployment's options. */
export function smPkiProfiles(options: SmPkiProfileOptions = {}): Readonly<Record<SmPkiProfileName, CertificateProfile>> {
  const organizations = options.organizations ?? DEFAULTS.organizations;
  const rootValidity = options.root?.maxValidity ?? DEFAULTS.rootValidity;
  const rootPathLen = options.root?.pathLen ?? DEFAULTS.rootPathLen;
  const rootCurves = options.root?.curves ?? DEFAULTS.rootCurves;
  const pkiNaming = (cn: NamingRules['commonName'], serialNumber: 'required' | 'optional' = 'required'): NamingRules => ({
    commonName: cn,
    organizations,
    countries: ['DE'],
    serialNumber: { presence: serialNumber, pattern: '^[0-9]+$' },
  });
  const root: CertificateProfile = {
    ...caProfile('sm-root-ca', 'SM-PKI root CA: self-signed, certifies sub-CAs', rootCurves, rootPathLen),
    naming: pkiNaming({ presence: 'required', suffixes: ['.CA'] }),
    validity: { max: rootValidity, withinIssuer: false, notAfterEndOfDay: options.root?.notAfterEndOfDay ?? true },
    extensions: { required: ['subjectKeyIdentifier'], optional: ['authorityKeyIdentifier', 'issuerAltName', 'cRLDistributionPoints'], forbidden: [] },
    selfSigned: true,
  };
  const subCa: CertificateProfile = {
    ...caProfile('sm-sub-ca', 'SM-PKI sub-CA, certified by the root', options.subCa?.curves ?? DEFAULTS.subCaCurves, 0),
    signature: { hashes: ROOT_HASHES, hashMatchesIssuerCurve: true },
    naming: pkiNaming({ presence: 'required', suffixes: ['.CA'] }),
    certificatePolicies: { presence: 'required', required: [options.policyOid ?? SmPkiOids.certificatePolicy] },
    validity: { max: options.subCa?.maxValidity ?? DEFAULTS.subCaValidity, withinIssuer: true, notAfterEndOfDay: true },
  };
  const link: CertificateProfile = {
    ...root,
    name: 'sm-link',
    description: 'SM-PKI link certificate of a root rollover (new root key certified by the old, or the reverse)',
    basicConstraints: { ...root.basicConstraints, pathLen: options.link?.pathLen ?? rootPathLen },
    extensions: { ...root.extensions, required: ['authorityKeyIdentifier', 'subjectKeyIdentifier'] },
    validity: { max: options.link?.maxValidity ?? rootValidity, withinIssuer: true, notAfterEndOfDay: root.validity.notAfterEndOfDay },
    selfSigned: false,
  };
  const crlSigner: CertificateProfile = {
    ...endEntityBase('sm-crl-signer', "SM-PKI CRL signer of the root's indirect CRL", rootCurves, ROOT_HASHES),
    keyUsage: { required: options.crlSigner?.keyUsage ?? ['cRLSign'], optional: [], critical: true },
    basicConstraints: { presence: 'optional', cA: false, pathLen: 'absent', critical: true },
    subjectAltName: { presence: 'optional', requiredTypes: [], allowedTypes: USER_NAME_TYPES },
    certificatePolicies: { presence: 'optional', required: [] },
    extensions: { required: ['authorityKeyIdentifier', 'subjectKeyIdentifier'], optional: ['issuerAltName', 'cRLDistributionPoints'], forbidden: [] },
    naming: pkiNaming({ presence: 'required', suffixes: [options.crlSigner?.cnSuffix ?? DEFAULTS.crlSignerSuffix] }, 'optional'),
    validity: { max: options.crlSigner?.maxValidity ?? rootValidity, withinIssuer: true, notAfterEndOfDay: true },
  };
  const user = (purpose: UserPurpose): CertificateProfile =>
    userProfile(purpose, {
      prefix: 'sm-user',
      who: 'market participant (GWA, GWH, EMT)',
      curves: options.endUser?.curves ?? DEFAULTS.endUserCurves,
      naming: { ...pkiNaming({ presence: 'required', roleSegments: ['EMT', 'GWA', 'GWH'] }), organizationalUnitGln: 'required' },
      subjectAltName: 'required',
      maxValidity: options.endUser?.maxValidity ?? DEFAULTS.endUserValidity,
    });
  const gateway = (purpose: UserPurpose): CertificateProfile =>
    userProfile(purpose, {
      prefix: 'sm-gateway',
      who: 'smart-meter gateway (SMGW)',
      curves: options.gateway?.curves ?? options.endUser?.curves ?? DEFAULTS.endUserCurves,
      // OU and serialNumber of gateway certificates are not confirmed: not checked beyond their presence rules.
      naming: pkiNaming({ presence: 'required', roleSegments: ['SMGW'] }, 'optional'),
      subjectAltName: 'forbidden',
      maxValidity: options.gateway?.maxValidity ?? DEFAULTS.gatewayValidity,
    });
  return {
    'sm-root-ca': root,
    'sm-sub-ca': subCa,
    'sm-crl-signer': crlSigner,
    'sm-link': link,
    'sm-user-tls': user('tls'),
    'sm-user-sig': user('sig'),
    'sm-user-enc': user('enc'),
    'sm-gateway-tls': gateway('tls'),
    'sm-gateway-sig': gateway('sig'),
    'sm-gateway-enc': gateway('enc'),
    'meter-calibration': meterProfile(options.meter),
  };
}

function caProfile(name: string, description: string, curves: CurveName[], pathLen: PathLenRule): CertificateProfile {
  return {
    name,
    description,
    key: { curves },
    signature: { hashes: ROOT_HASHES, hashMatchesIssuerCurve: true },
    keyUsage: { required: ['keyCertSign', 'cRLSign'], optional: [], critical: true },
    extendedKeyUsage: { presence: 'forbidden', required: [], optional: [], critical: true },
    basicConstraints: { presence: 'required', cA: true, pathLen, critical: true },
    subjectAltName: { presence: 'optional', requiredTypes: [], allowedTypes: USER_NAME_TYPES },
    extensions: { required: ['authorityKeyIdentifier', 'subjectKeyIdentifier', 'cRLDistributionPoints'], optional: ['issuerAltName', 'authorityInfoAccess'], forbidden: [] },
    certificatePolicies: { presence: 'optional', required: [] },
    naming: { commonName: { presence: 'required' } },
    validity: { max: { years: 5 }, withinIssuer: true, notAfterEndOfDay: true },
    selfSigned: false,
    serialNumber: { minBytes: 8 },
  };
}

function endEntityBase(name: string, description: string, curves: CurveName[], hashes: HashName[]): CertificateProfile {
  return {
    ...caProfile(name, description, curves, 'absent'),
    signature: { hashes, hashMatchesIssuerCurve: true },
    basicConstraints: { presence: 'required', cA: false, pathLen: 'absent', critical: true },
  };
}

type UserPurpose = 'tls' | 'sig' | 'enc';

const PURPOSES: Readonly<Record<UserPurpose, { title: string; keyUsage: KeyUsageName[] }>> = {
  tls: { title: 'TLS', keyUsage: ['digitalSignature'] },
  sig: { title: 'signature', keyUsage: ['digitalSignature'] },
  enc: { title: 'encryption', keyUsage: ['keyEncipherment', 'keyAgreement'] },
};

interface UserProfileInput {
  prefix: string;
  who: string;
  curves: CurveName[];
  naming: NamingRules;
  subjectAltName: 'required' | 'forbidden';
  maxValidity: Duration;
}

function userProfile(purpose: UserPurpose, input: UserProfileInput): CertificateProfile {
  const base = endEntityBase(`${input.prefix}-${purpose}`, `${PURPOSES[purpose].title} certificate of a ${input.who}`, input.curves, ALL_HASHES);
  const tls = purpose === 'tls';
  return {
    ...base,
    keyUsage: { required: PURPOSES[purpose].keyUsage, optional: [], critical: true },
    extendedKeyUsage: tls
      ? { presence: 'required', required: ['clientAuth', 'serverAuth'], optional: [], critical: true }
      : { presence: 'forbidden', required: [], optional: [], critical: true },
    subjectAltName:
      input.subjectAltName === 'forbidden'
        ? { presence: 'forbidden', requiredTypes: [], allowedTypes: [] }
        : {
            presence: 'required',
            requiredTypes: tls ? [...USER_NAME_TYPES, 'dNSName'] : USER_NAME_TYPES,
            allowedTypes: tls ? [...USER_NAME_TYPES, 'dNSName'] : USER_NAME_TYPES,
          },
    certificatePolicies: { presence: 'required', required: [] },
    naming: input.naming,
    validity: { max: input.maxValidity, withinIssuer: true, notAfterEndOfDay: true },
  };
}

function meterProfile(options: SmPkiProfileOptions['meter'] = {}): CertificateProfile {
  const base = endEntityBase(
    'meter-calibration',
    "meter key certified at calibration (long-term signatures on metering data)",
    options.curves ?? DEFAULTS.meterCurves,
    ALL_HASHES,
  );
  const idAttribute = options.idAttribute ?? 'serialNumber';
  return {
    ...base,
    keyUsage: { required: ['digitalSignature'], optional: ['contentCommitment'], critical: true },
    extendedKeyUsage: { presence: 'forbidden', required: [], optional: [], critical: true },
    basicConstraints: { presence: 'optional', cA: false, pathLen: 'absent', critical: true },
    subjectAltName: { presence: 'optional', requiredTypes: [] },
    extensions: {
      required: ['authorityKeyIdentifier', 'subjectKeyIdentifier'],
      optional: ['cRLDistributionPoints', 'authorityInfoAccess', 'issuerAltName'],
      forbidden: [],
    },
    naming: {
      commonName: { presence: idAttribute === 'CN' ? 'required' : 'optional' },
      meterId: { attribute: idAttribute, pattern: options.idPattern ?? DEFAULTS.meterIdPattern },
    },
    validity: { max: options.maxValidity ?? DEFAULTS.meterValidity, withinIssuer: true, notAfterEndOfDay: options.notAfterEndOfDay ?? false },
  };
}

/** The default SM-PKI profiles (no deployment options); declared last, after the tables it is built from. */
export const SM_PKI_PROFILES: ProfileSet = smPkiProfiles();
