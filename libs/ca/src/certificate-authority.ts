/**
 * One CA instance at run time: its certificate, its HSM signer, and the extensions every certificate it issues
 * carries (authority key identifier, CRL distribution points, authority information access, policy), built once.
 */
import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  certificatePolicies,
  crlDistributionPoints,
  keyIdentifierFromSpki,
  SmPkiOids,
  type CertificateExtension,
  type ParsedCertificate,
} from '@smpki/crypto';
import type { Signer } from '@smpki/hsm';
import { readCertificateFacts, type CertificateFacts } from '@smpki/policy';
import type { CaInstanceConfig } from './ca-config';

export class CertificateAuthority {
  /** The issuer's certificate facts, read once for the pre-issuance check. */
  readonly facts: CertificateFacts;
  /** The extensions every certificate of this CA carries. */
  readonly issuerExtensions: IssuerExtensions;

  constructor(
    /** ca_authority.id */
    readonly id: string,
    readonly config: CaInstanceConfig,
    readonly signer: Signer,
  ) {
    this.facts = readCertificateFacts(config.certificate.der);
    // The CA's own SKI when it has one, so the AKI chains exactly as relying parties look it up.
    this.issuerExtensions = buildIssuerExtensions(config, this.keyIdentifier);
  }

  /** The CA key's identifier: its certificate's SKI, or RFC 5280 method 1 when the certificate has none. */
  get keyIdentifier(): Buffer {
    return this.certificate.subjectKeyIdentifier() ?? keyIdentifierFromSpki(this.certificate.subjectPublicKeyInfo);
  }

  get name(): string {
    return this.config.name;
  }

  get certificate(): ParsedCertificate {
    return this.config.certificate;
  }

  /** The CA certificate and those above it, PEM, nearest first. */
  chainPem(): string[] {
    return [this.certificate.toPem(), ...this.config.chain.map((certificate) => certificate.toPem())];
  }

  allowsProfile(profile: string): boolean {
    return this.config.profiles.includes(profile);
  }
}

export interface IssuerExtensions {
  authorityKeyIdentifier: CertificateExtension;
  /** LDAP URL first, then HTTP; with the CRL signer as cRLIssuer when the CA's CRL is an indirect CRL. */
  crlDistributionPoints: CertificateExtension;
  authorityInfoAccess?: CertificateExtension;
  /** The SM-PKI certificate policy. */
  certificatePolicies: CertificateExtension;
}

function buildIssuerExtensions(config: CaInstanceConfig, keyId: Buffer): IssuerExtensions {
  const { ldap, http } = config.crlDistributionPoints;
  const fullName = [ldap, http].filter((uri): uri is string => uri !== undefined);
  // Naming the CRL signer is what makes relying parties accept its indirect CRL for this CA's certificates.
  const crlIssuer = config.crlIssuer ? { crlIssuer: [{ directoryName: config.crlIssuer }] } : {};
  return {
    authorityKeyIdentifier: authorityKeyIdentifier(keyId),
    crlDistributionPoints: crlDistributionPoints([{ fullName, ...crlIssuer }]),
    ...(config.aiaUrl ? { authorityInfoAccess: authorityInfoAccess({ caIssuers: [config.aiaUrl] }) } : {}),
    certificatePolicies: certificatePolicies([{ policy: SmPkiOids.certificatePolicy }]),
  };
}
