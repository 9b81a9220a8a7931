/**
 * A certificate profile as data (modelled on step-ca's provisioner policy: what a certificate of one kind must,
 * may and must not contain). Small check functions (./checks) read it; the same checks run before issuing and
 * as a linter over any certificate, so a rule has one name and one meaning everywhere.
 */
import type { Duration } from './duration';
import type { CurveName, ExtensionName, GeneralNameType, HashName, KeyPurposeName, KeyUsageName } from './vocabulary';

export type Presence = 'required' | 'optional' | 'forbidden';

export interface CertificateProfile {
  /** Stable identifier, e.g. `sm-sub-ca`. */
  name: string;
  description: string;
  key: {
    curves: CurveName[];
  };
  signature: {
    hashes: HashName[];
    /** The hash must be the one matching the issuer key's curve (SHA-384 for brainpoolP384r1 ...). */
    hashMatchesIssuerCurve: boolean;
  };
  keyUsage: {
    /** Bits that must be set. */
    required: KeyUsageName[];
    /** Further bits that may be set; any other bit is a finding. */
    optional: KeyUsageName[];
    critical: boolean;
  };
  extendedKeyUsage: {
    presence: Presence;
    /** Purposes that must be listed. */
    required: KeyPurposeName[];
    /** Further purposes that may be listed. */
    optional: KeyPurposeName[];
    critical: boolean;
  };
  basicConstraints: {
    presence: Presence;
    cA: boolean;
    /** A number: pathLenConstraint must be exactly that; `'absent'`: must not be set; `'any'`: not checked. */
    pathLen: number | 'absent' | 'any';
    critical: boolean;
  };
  subjectAltName: {
    presence: Presence;
    /** Name types that must each occur at least once. */
    requiredTypes: GeneralNameType[];
    /** Name types that may occur; undefined: any type. */
    allowedTypes?: GeneralNameType[];
  };
  extensions: {
    /** Must be present (the extensions with their own section above are not listed here). */
    required: ExtensionName[];
    /** May be present; an extension in no list of the profile is reported as unknown (a warning). */
    optional: ExtensionName[];
    forbidden: ExtensionName[];
  };
  certificatePolicies: {
    presence: Presence;
    /** Policy OIDs that must be asserted. */
    required: string[];
  };
  naming: NamingRules;
  validity: {
    /** Longest validity, from notBefore (calendar arithmetic, see duration.ts). */
    max: Duration;
    /** notAfter must not be later than the issuer's notAfter (SM-PKI shell model). */
    withinIssuer: boolean;
    /** notAfter at 23:59:59 UTC; the maximum then extends to the end of its last day. */
    notAfterEndOfDay: boolean;
  };
  /** The certificate is its own issuer (a root). */
  selfSigned: boolean;
  serialNumber: {
    /** Fewest octets of the serial number's magnitude: 8 octets carry the 64 random bits CA/B-style policies ask. */
    minBytes: number;
  };
}

export interface NamingRules {
  commonName: {
    presence: Presence;
    /** CN must end in one of these (e.g. `.CA`). */
    suffixes?: string[];
    /** CN must contain one of these as a dot-separated segment (e.g. `EMT` in `TEN.EMT.MAKLIEF`). */
    roleSegments?: string[];
  };
  /** Allowed values of O; undefined: not checked. */
  organizations?: string[];
  /** Allowed values of C; undefined: not checked. */
  countries?: string[];
  /** OU as a 13-digit market-participant number (GLN / BDEW code); undefined: OU not checked. */
  organizationalUnitGln?: Presence;
  /** The serialNumber attribute (SM-PKI: generation counter, digits); undefined: not checked. */
  serialNumber?: { presence: Presence; pattern?: string };
  /** The meter's identification in the subject, for meter certificates. */
  meterId?: { attribute: 'serialNumber' | 'CN'; pattern: string };
}

/** Profiles by name. */
export type ProfileSet = Readonly<Record<string, CertificateProfile>>;
