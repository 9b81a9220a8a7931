/**
 * The CA instances of a sub-CA service, from the JSON file named by SMPKI_CA_CONFIG:
 *
 *   { "cas": [ { "name": "calibration", "keyUri": "pkcs11:token=ca;object=cal-2026", "certificateFile": "/etc/smpki/cal.pem",
 *                "chainFile": "/etc/smpki/root.pem", "profiles": ["meter-calibration"],
 *                "crlDistributionPoints": { "ldap": "ldap://...?certificateRevocationList", "http": "http://.../cal.crl" },
 *                "aiaUrl": "http://.../cal.cer", "crlValidityHours": 168, "deltaCrlValidityHours": 1,
 *                "crlReissueMarginMinutes": 60, "crlOnRevocation": true,
 *                "crlIssuerCertificateFile": "/etc/smpki/crl-signer.pem" } ] }
 *
 * `crlIssuerCertificateFile` (optional): the CA's certificates name the subject of that certificate as cRLIssuer
 * in their CRL distribution point, because their CRL is an indirect CRL signed by that CRL signer (SM-PKI root).
 *
 * Every problem is a ConfigurationError naming SMPKI_CA_CONFIG, so the service stops at start with one clear line.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { derFromInput, parseCertificate, type ParsedCertificate } from '@smpki/crypto';
import { ConfigurationError, type Environment } from '@smpki/platform';
import { SM_PKI_PROFILE_NAMES } from '@smpki/policy';
import { z } from 'zod';

export const CA_CONFIG_VARIABLE = 'SMPKI_CA_CONFIG';

/** One CA instance as configured, its certificates read and parsed. */
export interface CaInstanceConfig {
  /** URL-safe name: `/v1/cas/{name}`. */
  name: string;
  keyUri: string;
  certificate: ParsedCertificate;
  /** Certificates above this CA up to the root (may be empty), returned with every issued certificate. */
  chain: ParsedCertificate[];
  profiles: string[];
  crlDistributionPoints: { ldap?: string; http?: string };
  aiaUrl?: string;
  crlValidityHours: number;
  /** Hours between thisUpdate and nextUpdate of delta CRLs (default 1, at most crlValidityHours). */
  deltaCrlValidityHours: number;
  /** The scheduler signs a new full CRL this many minutes before the current one's nextUpdate (default 60). */
  crlReissueMarginMinutes: number;
  /** Sign a new full CRL at once after every revocation (default false). */
  crlOnRevocation: boolean;
  /**
   * DER Name of the CRL signer when this CA's revocations are published in an indirect CRL (RFC 5280 5.2.5):
   * every certificate the CA issues names it as cRLIssuer in its CRL distribution point. Absent: the CA signs
   * its own CRLs.
   */
  crlIssuer?: Buffer;
}

const url = (schemes: RegExp) => z.string().max(1024).regex(schemes, 'must be a URL of the right scheme');

const CA_ENTRY = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be 1-64 lower-case letters, digits or dashes'),
    keyUri: z.string().startsWith('pkcs11:', 'must be a PKCS#11 URI').max(512),
    certificateFile: z.string().min(1),
    chainFile: z.string().min(1).optional(),
    profiles: z.array(z.enum(SM_PKI_PROFILE_NAMES as unknown as [string, ...string[]])).min(1),
    crlDistributionPoints: z
      .object({ ldap: url(/^ldaps?:\/\//).optional(), http: url(/^https?:\/\//).optional() })
      .strict()
      .refine((points) => points.ldap !== undefined || points.http !== undefined, 'needs an ldap or http URL'),
    aiaUrl: url(/^https?:\/\//).optional(),
    crlValidityHours: z.number().int().min(1).max(24 * 366),
    deltaCrlValidityHours: z.number().int().min(1).max(24 * 366).optional(),
    crlReissueMarginMinutes: z.number().int().min(0).max(60 * 24 * 365).optional(),
    crlOnRevocation: z.boolean().optional(),
    crlIssuerCertificateFile: z.string().min(1).optional(),
  })
  .strict()
  .refine((entry) => (entry.deltaCrlValidityHours ?? 1) <= entry.crlValidityHours, {
    message: 'must not exceed crlValidityHours',
    path: ['deltaCrlValidityHours'],
  })
  // A margin as long as the validity would re-sign the CRL at every scheduler run.
  .refine((entry) => (entry.crlReissueMarginMinutes ?? 60) < entry.crlValidityHours * 60, {
    message: 'must be shorter than crlValidityHours',
    path: ['crlReissueMarginMinutes'],
  });

const CA_FILE = z.object({ cas: z.array(CA_ENTRY).min(1) }).strict();

function fail(problem: string): never {
  throw new ConfigurationError(CA_CONFIG_VARIABLE, problem);
}

function readPemCertificates(file: string, what: string): ParsedCertificate[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`${what}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) fail(`${what}: ${file} holds no PEM certificate`);
  try {
    return blocks.map((block) => parseCertificate(derFromInput(block, ['CERTIFICATE'])));
  } catch (error) {
    fail(`${what}: ${file} holds a certificate that does not parse (${(error as Error).message})`);
  }
}

/** The subject of the CRL signer's certificate; it must be allowed to sign CRLs, or relying parties reject the CRL. */
function crlIssuerName(file: string, caName: string): Buffer {
  const what = `CA "${caName}" crlIssuerCertificateFile`;
  const [certificate] = readPemCertificates(file, what);
  const usage = certificate!.keyUsage();
  if (usage && !usage.includes('cRLSign')) fail(`${what}: ${file} holds a certificate without the key usage cRLSign`);
  return certificate!.subject.der;
}

/** Parses the content of a CA configuration file; relative certificate paths are taken from `baseDir`. */
export function parseCaConfig(json: string, baseDir: string): CaInstanceConfig[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    fail(`is not valid JSON (${(error as Error).message})`);
  }
  const parsed = CA_FILE.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${issue.path.join('.') || 'file'} ${issue.message}`);
  }
  const names = new Set<string>();
  return parsed.data.cas.map((entry) => {
    if (names.has(entry.name)) fail(`lists the CA "${entry.name}" twice`);
    names.add(entry.name);
    const [certificate] = readPemCertificates(resolve(baseDir, entry.certificateFile), `CA "${entry.name}" certificateFile`);
    const chain = entry.chainFile ? readPemCertificates(resolve(baseDir, entry.chainFile), `CA "${entry.name}" chainFile`) : [];
    const crlIssuer = entry.crlIssuerCertificateFile ? crlIssuerName(resolve(baseDir, entry.crlIssuerCertificateFile), entry.name) : undefined;
    return {
      name: entry.name,
      keyUri: entry.keyUri,
      certificate: certificate!,
      chain,
      profiles: entry.profiles,
      crlDistributionPoints: entry.crlDistributionPoints,
      ...(entry.aiaUrl ? { aiaUrl: entry.aiaUrl } : {}),
      crlValidityHours: entry.crlValidityHours,
      deltaCrlValidityHours: entry.deltaCrlValidityHours ?? 1,
      crlReissueMarginMinutes: entry.crlReissueMarginMinutes ?? 60,
      crlOnRevocation: entry.crlOnRevocation ?? false,
      ...(crlIssuer ? { crlIssuer } : {}),
    };
  });
}

/**
 * Reads the file SMPKI_CA_CONFIG names. Unset: no CA instances (the service runs, every `/v1/cas/{ca}` answers
 * 404 `ca.unknown`), so a sub-CA can be started and its platform checked before its CA keys exist.
 */
export function loadCaConfig(env: Environment): CaInstanceConfig[] {
  const file = env[CA_CONFIG_VARIABLE]?.trim();
  if (!file) return [];
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot be read (got ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseCaConfig(json, dirname(resolve(file)));
}
