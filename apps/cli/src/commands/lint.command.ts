import { readFileSync } from 'node:fs';
import { lintCertificate, loadSmPkiProfileOptionsFile, smPkiProfiles, type LintResult } from '@smpki/policy';

export interface LintCommandOptions {
  profile?: string;
  issuer?: string;
  profileOptions?: string;
  json?: boolean;
}

/** DER or PEM, as the linter reads both: a PEM file is passed as text. */
function readCertificate(file: string): Uint8Array | string {
  const bytes = readFileSync(file);
  return bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN') ? bytes.toString('latin1') : bytes;
}

function describe(file: string, result: LintResult): string[] {
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const lines = [`${file}: ${result.profile ?? 'no profile'}: ${result.ok ? 'ok' : `${errors} error(s)`}`];
  for (const finding of result.findings) lines.push(`  ${finding.severity} ${finding.rule}: ${finding.message}`);
  return lines;
}

/**
 * Lints certificates against the SM-PKI profiles (the same checks the CA runs before issuing). Exit status 0 when
 * every certificate passes, 1 when one breaks a rule (each finding names its rule).
 */
export function lintCertificates(files: string[], options: LintCommandOptions, out: (line: string) => void): number {
  const profiles = smPkiProfiles(options.profileOptions ? loadSmPkiProfileOptionsFile(options.profileOptions) : {});
  const issuer = options.issuer ? readCertificate(options.issuer) : undefined;
  let failed = false;
  const results = files.map((file) => {
    const result = lintCertificate(readCertificate(file), {
      profiles,
      ...(options.profile ? { profile: options.profile } : {}),
      ...(issuer ? { issuer } : {}),
    });
    failed ||= !result.ok;
    return { file, ...result };
  });
  if (options.json) out(JSON.stringify(results, null, 2));
  else for (const result of results) describe(result.file, result).forEach((line) => out(line));
  return failed ? 1 : 0;
}
