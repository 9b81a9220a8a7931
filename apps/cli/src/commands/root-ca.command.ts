/**
 * `smpki root-ca ...`: the offline root CA from files. Ceremony files and requests come in as files; certificates,
 * CRLs and the signed ceremony transcript go out as files (PEM and DER). A refusal is one stderr line naming the
 * rule, exit 1.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { parseCeremonyFile, RootCa, type RootCurve, type SignedCeremonyTranscript } from '@smpki/ca';
import { CRL_REASON_CODES, toPem, type CrlReason, type ParsedCertificate } from '@smpki/crypto';
import { ProblemException } from '@smpki/platform';
import type { CliContext } from '../cli-context';

type Out = (line: string) => void;

export interface RootCaCommonOptions {
  /** Who runs the command, for the audit trail and the transcript (default: `cli:<OS user>`). */
  operator?: string;
}

function operatorOf(options: RootCaCommonOptions): string {
  return options.operator ?? `cli:${userInfo().username}`;
}

async function rootCa(context: CliContext): Promise<RootCa> {
  return new RootCa(await context.keys(), await context.database(), await context.audit());
}

/**
 * Runs a root CA operation; a refusal becomes `smpki: <rule>: <message>` on stderr and exit status 1, and is
 * written to the root's audit trail (`request.refused`, as the service records a refused API request).
 */
async function refusalsAsExit1(context: CliContext, command: string, options: RootCaCommonOptions, err: Out, run: () => Promise<void>): Promise<number> {
  try {
    await run();
    return 0;
  } catch (error) {
    if (!(error instanceof ProblemException)) throw error;
    const document = error.asProblemDocument();
    const first = document.errors?.[0];
    err(first ? `smpki: ${first.rule}: ${first.message}` : `smpki: ${document.detail ?? document.title}`);
    if (error.recordRefusal) await auditRefusal(context, command, options, document);
    return 1;
  }
}

async function auditRefusal(context: CliContext, command: string, options: RootCaCommonOptions, document: ReturnType<ProblemException['asProblemDocument']>): Promise<void> {
  await (await context.audit()).append({
    action: 'request.refused',
    outcome: 'failure',
    actor: operatorOf(options),
    target: `smpki root-ca ${command}`,
    details: { status: document.status, type: document.type, title: document.title, ...(document.errors ? { errors: document.errors.map(({ field, rule }) => ({ field, rule })) } : {}) },
  });
}

function writeCertificate(dir: string, name: string, certificate: ParsedCertificate, out: Out): void {
  writeFileSync(join(dir, `${name}.pem`), certificate.toPem());
  writeFileSync(join(dir, `${name}.der`), certificate.der);
  out(`${name}: ${certificate.subject.toString()} sha256=${certificate.fingerprint()} -> ${join(dir, `${name}.pem`)}, .der`);
}

function writeTranscript(dir: string, name: string, transcript: SignedCeremonyTranscript, out: Out): void {
  const file = join(dir, `${name}.transcript.json`);
  writeFileSync(file, `${JSON.stringify(transcript, null, 2)}\n`);
  out(`transcript (signed by the root key, also in the audit trail) -> ${file}`);
}

export async function rootCaCeremony(context: CliContext, options: RootCaCommonOptions & { file: string; out: string }, out: Out, err: Out): Promise<number> {
  return refusalsAsExit1(context, 'ceremony', options, err, async () => {
    const definition = parseCeremonyFile(readFileSync(options.file));
    const result = await (await rootCa(context)).ceremony(definition, operatorOf(options));
    mkdirSync(options.out, { recursive: true });
    writeCertificate(options.out, definition.name, result.certificate, out);
    if (result.crlSigner) writeCertificate(options.out, `${definition.name}-crl-signer`, result.crlSigner, out);
    writeTranscript(options.out, definition.name, result.transcript, out);
  });
}

export interface RootCaCertifyOptions extends RootCaCommonOptions {
  root: string;
  request: string;
  profile: string;
  out: string;
}

/** `--request`: a PKCS#10 request or an SM-PKI CRMF initial request, PEM, DER or base64 text (told apart by content). */
export async function rootCaCertify(context: CliContext, options: RootCaCertifyOptions, out: Out, err: Out): Promise<number> {
  return refusalsAsExit1(context, 'certify', options, err, async () => {
    const bytes = readFileSync(options.request);
    const request = bytes.subarray(0, 64).toString('latin1').includes('-----BEGIN') ? bytes.toString('latin1') : bytes;
    const issued = await (await rootCa(context)).certify(options.root, request, operatorOf(options), options.profile);
    writeFileSync(options.out, options.out.endsWith('.der') ? issued.der : issued.pem);
    out(`${issued.profile} ${issued.subject} serial=${issued.serial} notAfter=${issued.notAfter.toISOString()} -> ${options.out}`);
  });
}

export async function rootCaRevoke(context: CliContext, options: RootCaCommonOptions & { root: string; serial: string; reason: string }, out: Out, err: Out): Promise<number> {
  return refusalsAsExit1(context, 'revoke', options, err, async () => {
    if (!(options.reason in CRL_REASON_CODES)) throw new Error(`--reason must be one of ${Object.keys(CRL_REASON_CODES).join(', ')}`);
    const revoked = await (await rootCa(context)).revoke(options.root, options.serial, options.reason as CrlReason, operatorOf(options));
    out(`revoked ${revoked.serial} (${revoked.subject}); sign a new root CRL with \`smpki root-ca crl\``);
  });
}

export async function rootCaCrl(context: CliContext, options: RootCaCommonOptions & { root: string; out: string }, out: Out, err: Out): Promise<number> {
  return refusalsAsExit1(context, 'crl', options, err, async () => {
    const crl = await (await rootCa(context)).crl(options.root, operatorOf(options));
    writeFileSync(options.out, options.out.endsWith('.der') || options.out.endsWith('.crl') ? crl.der : toPem(crl.der, 'X509 CRL'));
    out(`CRL ${crl.crlNumber} nextUpdate=${crl.nextUpdate.toISOString()} -> ${options.out}`);
  });
}

export interface RootCaRolloverOptions extends RootCaCommonOptions {
  from: string;
  name: string;
  keyUri: string;
  curve?: RootCurve;
  validityYears?: string;
  /** The new CRL signer's key, when the old generation has one (default: the root key's object name + `-crl`). */
  crlSignerKeyUri?: string;
  out: string;
}

export async function rootCaRollover(context: CliContext, options: RootCaRolloverOptions, out: Out, err: Out): Promise<number> {
  return refusalsAsExit1(context, 'rollover', options, err, async () => {
    const years = options.validityYears === undefined ? undefined : Number(options.validityYears);
    if (options.curve !== undefined && !['brainpoolP384r1', 'brainpoolP512r1'].includes(options.curve)) throw new Error('--curve must be brainpoolP384r1 or brainpoolP512r1');
    if (years !== undefined && (!Number.isInteger(years) || years < 1 || years > 30)) throw new Error('--validity-years must be a whole number from 1 to 30');
    const result = await (await rootCa(context)).rollover(
      {
        from: options.from,
        name: options.name,
        keyUri: options.keyUri,
        ...(options.curve ? { curve: options.curve } : {}),
        ...(years ? { validityYears: years } : {}),
        ...(options.crlSignerKeyUri ? { crlSignerKeyUri: options.crlSignerKeyUri } : {}),
      },
      operatorOf(options),
    );
    mkdirSync(options.out, { recursive: true });
    writeCertificate(options.out, options.name, result.root, out);
    writeCertificate(options.out, `${options.name}-new-with-old`, result.newWithOld, out);
    writeCertificate(options.out, `${options.name}-old-with-new`, result.oldWithNew, out);
    if (result.crlSigner) writeCertificate(options.out, `${options.name}-crl-signer`, result.crlSigner, out);
    writeTranscript(options.out, options.name, result.transcript, out);
  });
}
