/**
 * The ceremony file: everything a root key ceremony needs, so the ceremony is repeatable and reviewable before
 * it runs. Its SHA-256 goes into the signed transcript, tying the root certificate to the exact file used.
 *
 *   { "name": "sm-test-root", "keyUri": "pkcs11:token=root;object=root-1",
 *     "subject": [{ "type": "CN", "value": "SM-Test-Root.CA" }, { "type": "O", "value": "SM-Test-PKI-DE" },
 *                 { "type": "C", "value": "DE" }, { "type": "serialNumber", "value": "1" }],
 *     "curve": "brainpoolP384r1", "validityYears": 10, "policyOids": ["0.4.0.127.0.7.3.4.1.1.1"],
 *     "crl": { "ldap": "ldap://...?certificateRevocationList", "http": "http://.../root.crl", "validityHours": 720 } }
 */
import { createHash } from 'node:crypto';
import { SmPkiOids, type DistinguishedName } from '@smpki/crypto';
import { z } from 'zod';
import { rootCaRefused } from './root-ca-problems';

export type RootCurve = 'brainpoolP384r1' | 'brainpoolP512r1';

export interface CeremonyDefinition {
  /** ca_authority name of this root generation (`/v1/cas/{name}`, `smpki root-ca certify --root <name>`). */
  name: string;
  keyUri: string;
  subject: DistinguishedName;
  curve: RootCurve;
  validityYears: number;
  policyOids: string[];
  /** `signer`: the root CRL is an indirect CRL signed by a CRL-signer certificate (profile sm-crl-signer) the root issues. */
  crl: { ldap?: string; http?: string; validityHours: number; signer?: { keyUri: string; subject: DistinguishedName } };
  aiaUrl?: string;
  /** Lowercase hex SHA-256 of the ceremony file as read. */
  fileSha256: string;
}

const url = (schemes: RegExp) => z.string().max(1024).regex(schemes, 'must be a URL of the right scheme');

const SUBJECT = z.array(z.object({ type: z.string().min(1), value: z.string().min(1) }).strict()).min(1);

const CEREMONY = z
  .object({
    // At most 48: the CRL signer's ca_authority row is named `<name>/crl-signer` (64 characters at most).
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be 1-48 lower-case letters, digits or dashes'),
    keyUri: z.string().startsWith('pkcs11:', 'must be a PKCS#11 URI').max(512),
    subject: SUBJECT,
    curve: z.enum(['brainpoolP384r1', 'brainpoolP512r1']).default('brainpoolP384r1'),
    validityYears: z.number().int().min(1).max(30).default(10),
    policyOids: z.array(z.string().regex(/^[0-2](\.\d+)+$/, 'must be a dotted OID')).min(1).default([SmPkiOids.certificatePolicy]),
    crl: z
      .object({ ldap: url(/^ldaps?:\/\//).optional(), http: url(/^https?:\/\//).optional(), validityHours: z.number().int().min(1).max(24 * 366).default(720),
        signer: z.object({ keyUri: z.string().startsWith('pkcs11:', 'must be a PKCS#11 URI').max(512), subject: SUBJECT }).strict().optional(),
      })
      .strict()
      .refine((crl) => crl.ldap !== undefined || crl.http !== undefined, 'needs an ldap or http URL'),
    aiaUrl: url(/^https?:\/\//).optional(),
  })
  .strict();

/** Parses and checks a ceremony file's content; every problem is refused as `ceremony.file-invalid` naming the field. */
export function parseCeremonyFile(content: string | Buffer): CeremonyDefinition {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw rootCaRefused(400, 'ceremony.file-invalid', 'file', `the ceremony file is not valid JSON (${(error as Error).message})`);
  }
  const parsed = CEREMONY.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'file';
    throw rootCaRefused(400, 'ceremony.file-invalid', field, `${field} ${issue.message}`);
  }
  const { aiaUrl, ...definition } = parsed.data;
  const generation = definition.subject.find((attribute) => attribute.type === 'serialNumber')?.value;
  // The serialNumber RDN is the root generation counter the rollover increments.
  if (generation === undefined || !/^[1-9][0-9]{0,8}$/.test(generation)) {
    throw rootCaRefused(400, 'ceremony.file-invalid', 'subject', 'subject needs a serialNumber attribute holding the generation counter (1, 2, ...)');
  }
  if (definition.crl.signer?.keyUri === definition.keyUri) {
    throw rootCaRefused(400, 'ceremony.file-invalid', 'crl.signer.keyUri', 'crl.signer.keyUri must name another key than the root key');
  }
  return { ...definition, ...(aiaUrl ? { aiaUrl } : {}), fileSha256: createHash('sha256').update(bytes).digest('hex') };
}
