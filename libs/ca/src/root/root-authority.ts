/**
 * A root generation is a ca_authority row like any CA instance (its key URI, certificate, CRL settings), so the
 * sub-CA issuance core (CertificateIssuer, CertificateRevoker, CrlPublisher) certifies, revokes and publishes
 * CRLs for the root unchanged. This module turns rows into CaInstanceConfigs and opens the CaRegistry.
 */
import { parseCertificate } from '@smpki/crypto';
import type { KeyManager } from '@smpki/hsm';
import type { DataSource, EntityManager } from 'typeorm';
import type { CaInstanceConfig } from '../ca-config';
import { CaRegistry } from '../ca-registry';
import { CaAuthority } from '../entities';
import { crlSignerCertificate, findCrlSigner } from './crl-signer';
import { rootCaRefused } from './root-ca-problems';

/** What a root certifies: sub-CAs, its CRL signer and (as the old or new generation) link certificates. */
export const ROOT_PROFILES = ['sm-sub-ca', 'sm-crl-signer', 'sm-link'] as const;

/** The root generation as a CA instance; with its CRL signer's row, its certificates point to the indirect CRL. */
export function rootInstanceConfig(row: CaAuthority, crlSigner?: CaAuthority): CaInstanceConfig {
  const urls = row.crlUrls.split(' ').filter(Boolean);
  const ldap = urls.find((uri) => uri.startsWith('ldap'));
  const http = urls.find((uri) => uri.startsWith('http'));
  return {
    name: row.name,
    keyUri: row.keyUri,
    certificate: parseCertificate(row.certificate),
    chain: [],
    profiles: row.profiles.split(','),
    crlDistributionPoints: { ...(ldap ? { ldap } : {}), ...(http ? { http } : {}) },
    ...(row.aiaUrl ? { aiaUrl: row.aiaUrl } : {}),
    crlValidityHours: row.crlValidityHours,
    // An offline root signs its CRLs when the operator runs `smpki root-ca crl`: no scheduler, no delta CRLs.
    deltaCrlValidityHours: Math.min(1, row.crlValidityHours),
    crlReissueMarginMinutes: 0,
    crlOnRevocation: false,
    ...(crlSigner ? { crlIssuer: crlSignerCertificate(crlSigner).subject.der } : {}),
  };
}

/** The ca_authority row of a root generation; 404 `rootca.unknown` when there is none of that name. */
export async function findRootAuthority(source: DataSource | EntityManager, name: string): Promise<CaAuthority> {
  const row = await source.getRepository(CaAuthority).findOne({ where: { name } });
  if (!row || !parseCertificate(row.certificate).isSelfIssued()) throw rootCaRefused(404, 'rootca.unknown', 'root', `there is no root CA named "${name}"`);
  return row;
}

/** A registry holding the named root generations, their HSM keys checked against their certificates. */
export async function openRootRegistry(dataSource: DataSource, keys: KeyManager, names: readonly string[]): Promise<CaRegistry> {
  const configs: CaInstanceConfig[] = [];
  for (const name of names) configs.push(rootInstanceConfig(await findRootAuthority(dataSource, name), await findCrlSigner(dataSource, name)));
  return CaRegistry.open(configs, keys, dataSource);
}
