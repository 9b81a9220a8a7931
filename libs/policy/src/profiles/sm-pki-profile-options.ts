/**
 * The knobs of the SM-PKI profiles: every value domain.md marks *unconfirmed* (root validity, link-certificate
 * profile, gateway validity, CRL signer) and the choices a deployment makes (test or production PKI names, the
 * meter identification). JSON-shaped, so an operator sets them in a file; `parseSmPkiProfileOptions` checks one.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Duration } from './duration';
import { CURVE_NAMES, KEY_USAGE_NAMES, type CurveName, type KeyUsageName } from './vocabulary';

export type PathLenRule = number | 'absent' | 'any';

export interface SmPkiProfileOptions {
  /** Allowed O values (default `SM-PKI-DE` and the test PKI's `SM-Test-PKI-DE`). */
  organizations?: string[];
  /** Policy OID sub-CA certificates must assert (default 0.4.0.127.0.7.3.4.1.1.1). */
  policyOid?: string;
  /** Root CA. *Unconfirmed*: validity (default 10 years), pathLen (default 1: root -> sub-CA -> end entity). */
  root?: { curves?: CurveName[]; maxValidity?: Duration; pathLen?: PathLenRule; notAfterEndOfDay?: boolean };
  /** Sub-CAs (seen: brainpoolP384r1 keys, 5 years, pathLen 0). */
  subCa?: { curves?: CurveName[]; maxValidity?: Duration };
  /** CRL signer of the root's indirect CRL. *Unconfirmed* (defaults: CN suffix `.CRL-S`, cRLSign only, root validity). */
  crlSigner?: { cnSuffix?: string; keyUsage?: KeyUsageName[]; maxValidity?: Duration };
  /** Link certificates of a root rollover. *Unconfirmed* (defaults: the root's key usage, pathLen and validity). */
  link?: { maxValidity?: Duration; pathLen?: PathLenRule };
  /** GWA / GWH / EMT certificates (seen: brainpoolP256r1, 2 years). */
  endUser?: { curves?: CurveName[]; maxValidity?: Duration };
  /** SMGW certificates. *Unconfirmed*: validity (default 7 years). */
  gateway?: { curves?: CurveName[]; maxValidity?: Duration };
  /** Meter certificates from the calibration authority. */
  meter?: {
    /** Where the meter identification is (default serialNumber). */
    idAttribute?: 'serialNumber' | 'CN';
    /** Regular expression the identification must match (default: DIN 43863-5 meter ID, e.g. 1EMH0012345678). */
    idPattern?: string;
    curves?: CurveName[];
    /** Default 8 years: the calibration validity of electronic electricity meters. */
    maxValidity?: Duration;
    notAfterEndOfDay?: boolean;
  };
}

const duration = z.strictObject({
  years: z.number().int().min(0).optional(),
  months: z.number().int().min(0).optional(),
  days: z.number().int().min(0).optional(),
});
const curves = z.array(z.enum(CURVE_NAMES as [CurveName, ...CurveName[]])).min(1);
const pathLen = z.union([z.number().int().min(0), z.literal('absent'), z.literal('any')]);
const regex = z.string().refine((value) => isRegExp(value), { message: 'not a valid regular expression' });

const schema = z.strictObject({
  organizations: z.array(z.string().min(1)).min(1).optional(),
  policyOid: z.string().regex(/^\d+(\.\d+)+$/, 'a dotted OID').optional(),
  root: z.strictObject({ curves: curves.optional(), maxValidity: duration.optional(), pathLen: pathLen.optional(), notAfterEndOfDay: z.boolean().optional() }).optional(),
  subCa: z.strictObject({ curves: curves.optional(), maxValidity: duration.optional() }).optional(),
  crlSigner: z
    .strictObject({
      cnSuffix: z.string().min(1).optional(),
      keyUsage: z.array(z.enum(KEY_USAGE_NAMES)).min(1).optional(),
      maxValidity: duration.optional(),
    })
    .optional(),
  link: z.strictObject({ maxValidity: duration.optional(), pathLen: pathLen.optional() }).optional(),
  endUser: z.strictObject({ curves: curves.optional(), maxValidity: duration.optional() }).optional(),
  gateway: z.strictObject({ curves: curves.optional(), maxValidity: duration.optional() }).optional(),
  meter: z
    .strictObject({
      idAttribute: z.enum(['serialNumber', 'CN']).optional(),
      idPattern: regex.optional(),
      curves: curves.optional(),
      maxValidity: duration.optional(),
      notAfterEndOfDay: z.boolean().optional(),
    })
    .optional(),
});

/** Refused profile options; the message names the source and every problem, one per line. */
export class ProfileOptionsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid certificate profile options (${source}):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ProfileOptionsError';
  }
}

export function parseSmPkiProfileOptions(input: unknown, source = 'profile options'): SmPkiProfileOptions {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ProfileOptionsError(
      source,
      result.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Reads and checks a JSON options file (at start-up: synchronous on purpose). */
export function loadSmPkiProfileOptionsFile(path: string): SmPkiProfileOptions {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProfileOptionsError(path, [`cannot read it as JSON: ${(error as Error).message}`]);
  }
  return parseSmPkiProfileOptions(data, path);
}

function isRegExp(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}
