/**
 * The root's CRL signer (SM-PKI: the root CRL is an indirect CRL). Its key and certificate are kept as a
 * ca_authority row named `<root>/crl-signer` (a name no CA instance can have), so no new table is needed; it
 * issues nothing (no profiles). While it exists, everything the root issues names it as cRLIssuer in the CRL
 * distribution point (`crlIssuer` of the root's CaInstanceConfig, see root-authority.ts), which is what makes
 * relying parties accept the indirect CRL for the root's certificates. Each root generation has its own signer.
 */
import { parseCertificate, type ParsedCertificate } from '@smpki/crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { CaAuthority } from '../entities';

export function crlSignerAuthorityName(root: string): string {
  return `${root}/crl-signer`;
}

export async function findCrlSigner(source: DataSource | EntityManager, root: string): Promise<CaAuthority | undefined> {
  return (await source.getRepository(CaAuthority).findOne({ where: { name: crlSignerAuthorityName(root) } })) ?? undefined;
}

export function crlSignerCertificate(row: CaAuthority): ParsedCertificate {
  return parseCertificate(row.certificate);
}
