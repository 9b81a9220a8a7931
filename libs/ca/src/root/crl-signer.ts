/**
 * The root's CRL signer (SM-PKI: the root CRL is an indirect CRL). Its key and certificate are kept as a
 * ca_authority row named `<root>/crl-signer` (a name no CA instance can have), so no new table is needed; it
 * issues nothing (no profiles). While it exists, everything the root issues names it as cRLIssuer in the CRL
 * distribution point, which is what makes relying parties accept the indirect CRL for the root's certificates.
 */
import { crlDistributionPoints, parseCertificate, type ParsedCertificate } from '@smpki/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { CertificateAuthority } from '../certificate-authority';
import { CaAuthority } from '../entities';

export function crlSignerAuthorityName(root: string): string {
  return `${root}/crl-signer`;
}

export async function findCrlSigner(source: DataSource | EntityManager, root: string): Promise<CaAuthority | undefined> {
  return (await source.getRepository(CaAuthority).findOne({ where: { name: crlSignerAuthorityName(root) } })) ?? undefined;
}

/**
 * Makes the root's certificates point to the indirect CRL: same URLs, cRLIssuer = the CRL signer. The issuer
 * extensions are built once per CertificateAuthority from its configuration, which has no cRLIssuer field, so the
 * distribution point is replaced on the instance the root's registry holds.
 */
export function pointToIndirectCrl(root: CertificateAuthority, crlSigner: ParsedCertificate): void {
  const { ldap, http } = root.config.crlDistributionPoints;
  root.issuerExtensions.crlDistributionPoints = crlDistributionPoints([
    { fullName: [ldap, http].filter((uri): uri is string => uri !== undefined), crlIssuer: [{ directoryName: crlSigner.subject.der }] },
  ]);
}

export function crlSignerCertificate(row: CaAuthority): ParsedCertificate {
  return parseCertificate(row.certificate);
}
