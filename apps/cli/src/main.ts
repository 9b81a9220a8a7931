#!/usr/bin/env node
/**
 * smpki: the operator's command line. Works on one service's database and HSM token, configured by the same
 * SMPKI_* environment variables as the service (`--service` picks which service's defaults apply).
 *
 *   smpki init                      create the platform keys (token signing, audit checkpoints) if missing
 *   smpki auth bootstrap            one-time credential of the first administrator
 *   smpki auth token                an access token for a role (e.g. ca-operator), signed by the platform token key
 *   smpki audit verify              verify the hash chain and checkpoint signatures; names the first broken entry
 *   smpki hsm status | keys | public-key <uri>
 *   smpki lint <certificate...>     check certificates against the SM-PKI profiles, naming each broken rule
 *   smpki root-ca ceremony | certify | revoke | crl | rollover   the offline root CA, from and to files
 *   smpki sub-ca request            a sub-CA key in the HSM and its PKCS#10 request for the root
 *   smpki meters register           a production batch of meters over mutual TLS (POST /v1/meters/batch or, --stream, /stream), resumable
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { formatConfigurationError, ConfigurationError, installBrainpoolLegacyCertificateFix } from '@smpki/platform';
import { CliContext } from './cli-context';
import { verifyAudit } from './commands/audit-verify.command';
import { bootstrapCredential } from './commands/auth-bootstrap.command';
import { issueAccessToken, type AuthTokenOptions } from './commands/auth-token.command';
import { hsmListKeys, hsmPublicKey, hsmStatus } from './commands/hsm.command';
import { initPlatformKeys } from './commands/init.command';
import { lintCertificates, type LintCommandOptions } from './commands/lint.command';
import { metersRegister, type MetersRegisterOptions } from './commands/meters.command';
import { rootCaCeremony, rootCaCertify, rootCaCrl, rootCaRevoke, rootCaRollover } from './commands/root-ca.command';
import { subCaRequest, type SubCaRequestOptions } from './commands/sub-ca.command';
import { skmImport, skmShipmentPack, type ShipmentPackOptions, type SkmImportOptions } from './skm/shipment-commands';
import { skmImportWrapped, type SkmImportWrappedOptions } from './skm/wrapped-import-command';

// `meters register` is a TLS client: a sub-CA with a brainpool server certificate would crash Node without it.
installBrainpoolLegacyCertificateFix();

const out = (line: string): void => void process.stdout.write(`${line}\n`);

/** Runs one command with a context for the chosen service; closes resources; maps errors to one stderr line. */
function action<A extends unknown[]>(run: (context: CliContext, ...args: A) => Promise<number | void>) {
  return async (...args: A): Promise<void> => {
    let context: CliContext | undefined;
    try {
      context = CliContext.fromEnvironment(program.opts<{ service: string }>().service);
      process.exitCode = (await run(context, ...args)) ?? 0;
    } catch (error) {
      const message = error instanceof ConfigurationError ? formatConfigurationError('smpki', error) : `smpki: ${(error as Error).message}`;
      process.stderr.write(`${message}\n`);
      process.exitCode = 2;
    } finally {
      await context?.close().catch(() => undefined);
    }
  };
}

const program = new Command('smpki')
  .description('smpki operator command line (settings from the SMPKI_* environment of the service)')
  .option('--service <name>', 'whose configuration defaults apply: root-ca, sub-ca, skm, directory', process.env.SMPKI_SERVICE ?? 'sub-ca');

program.command('init').description('create the platform keys in the HSM token when missing').action(action((context) => initPlatformKeys(context, out)));

const auth = program.command('auth').description('operator authentication');
auth
  .command('bootstrap')
  .description("create the first administrator's one-time bootstrap credential and print it once")
  .option('--quiet', 'print only the secret, or nothing')
  .option('--renew', 'replace an unused credential whose secret was lost')
  .action(action((context, options: { quiet?: boolean; renew?: boolean }) => bootstrapCredential(context, options, out)));
auth
  .command('token')
  .description('issue an access token signed by the platform token key in the HSM (audited as auth.token.issue); prints only the token')
  .requiredOption('--role <role...>', 'the role(s) the token carries, e.g. ca-operator')
  .requiredOption('--subject <name>', 'who the token is for (the actor in the audit trail)')
  .option('--ttl <seconds>', 'lifetime in seconds (default: the configured token lifetime, at most 3600)')
  .action(action((context, options: AuthTokenOptions) => issueAccessToken(context, options, out)));

const audit = program.command('audit').description('the hash-chained audit trail');
audit
  .command('verify')
  .description('verify the chain and the signed checkpoints; exit 1 naming the first broken entry')
  .option('--trusted-key <pem...>', 'checkpoint public keys to trust (default: the configured checkpoint key in the HSM)')
  .action(action((context, options: { trustedKey?: string[] }) => verifyAudit(context, options.trustedKey ?? [], out)));

const hsm = program.command('hsm').description('the PKCS#11 token');
hsm.command('status').description('token state and module capabilities').action(action((context) => hsmStatus(context, out)));
hsm.command('keys').description('list the keys in the token').action(action((context) => hsmListKeys(context, out)));
hsm
  .command('public-key <uri>')
  .description('print the PEM public key of an EC key (e.g. to trust it elsewhere)')
  .action(action((context, uri: string) => hsmPublicKey(context, uri, out)));

program
  .command('lint <certificates...>')
  .description('check certificates (PEM or DER) against the SM-PKI profiles; exit 1 naming each broken rule')
  .option('--profile <name>', 'the profile to check against (default: recognised from the certificate)')
  .option('--issuer <certificate>', 'the issuing CA certificate (validity and key identifier checks)')
  .option('--profile-options <json>', 'values the SM-PKI leaves open (validities, meter id attribute, ...)')
  .option('--json', 'print the findings as JSON')
  .action((files: string[], options: LintCommandOptions) => {
    // Needs no service configuration: it reads only the files it is given.
    try {
      process.exitCode = lintCertificates(files, options, out);
    } catch (error) {
      process.stderr.write(`smpki: ${(error as Error).message}\n`);
      process.exitCode = 2;
    }
  });

const err = (line: string): void => void process.stderr.write(`${line}\n`);
const rootCa = program.command('root-ca').description('the offline root CA (use with --service root-ca): files in, files out');
rootCa
  .command('ceremony')
  .description('key ceremony: root key in the HSM, self-signed root certificate, signed transcript in the audit trail')
  .requiredOption('--file <ceremony.json>', 'the ceremony file (name, keyUri, subject, curve, validityYears, policyOids, crl)')
  .requiredOption('--out <dir>', 'where the root certificate (PEM, DER) and the transcript are written')
  .option('--operator <name>', 'who runs the ceremony (default: cli:<OS user>)')
  .action(action((context, options: { file: string; out: string; operator?: string }) => rootCaCeremony(context, options, out, err)));
rootCa
  .command('certify')
  .description('certify a sub-CA (or CRL signer) from a PKCS#10 or SM-PKI CRMF request with the root key')
  .requiredOption('--root <name>', 'the root generation (ceremony name)')
  .requiredOption('--request <file>', 'PKCS#10 or SM-PKI CRMF initial request: PEM, DER or base64')
  .option('--profile <name>', 'sm-sub-ca or sm-crl-signer', 'sm-sub-ca')
  .requiredOption('--out <sub.pem>', 'the certificate (DER when the name ends in .der)')
  .option('--operator <name>', 'who certifies (default: cli:<OS user>)')
  .action(action((context, options: { root: string; request: string; profile: string; out: string; operator?: string }) => rootCaCertify(context, options, out, err)));
rootCa
  .command('revoke')
  .description('revoke a certificate the root issued')
  .requiredOption('--root <name>', 'the root generation')
  .requiredOption('--serial <hex>', 'serial number')
  .option('--reason <reason>', 'CRL reason', 'cACompromise')
  .option('--operator <name>', 'who revokes (default: cli:<OS user>)')
  .action(action((context, options: { root: string; serial: string; reason: string; operator?: string }) => rootCaRevoke(context, options, out, err)));
rootCa
  .command('crl')
  .description("sign the root's next CRL (ARL) with the root key")
  .requiredOption('--root <name>', 'the root generation')
  .requiredOption('--out <file>', 'PEM, or DER when the name ends in .der or .crl')
  .option('--operator <name>', 'who signs (default: cli:<OS user>)')
  .action(action((context, options: { root: string; out: string; operator?: string }) => rootCaCrl(context, options, out, err)));
rootCa
  .command('rollover')
  .description('new root generation (serialNumber + 1) with link certificates new-with-old and old-with-new')
  .requiredOption('--from <name>', 'the current root generation')
  .requiredOption('--name <name>', 'the new generation')
  .requiredOption('--key-uri <uri>', 'PKCS#11 URI of the new root key (must not exist)')
  .option('--curve <curve>', 'brainpoolP384r1 or brainpoolP512r1 (default: the current root\'s)')
  .option('--validity-years <n>', 'validity of the new root (default 10)')
  .option('--crl-signer-key-uri <uri>', "the new generation's CRL-signer key when the old root has one (default: the root key's object name + -crl)")
  .requiredOption('--out <dir>', 'where the new root, the link certificates and the transcript are written')
  .option('--operator <name>', 'who runs the rollover (default: cli:<OS user>)')
  .action(action((context, options: Parameters<typeof rootCaRollover>[1]) => rootCaRollover(context, options, out, err)));

const subCa = program.command('sub-ca').description('sub-CA keys and their certification by the root');
subCa
  .command('request')
  .description('generate the sub-CA key in the HSM (audited) and write its PKCS#10 request, for `root-ca certify`')
  .requiredOption('--key-uri <uri>', 'PKCS#11 URI of the new key (refused when it exists, unless --reuse-key)')
  .requiredOption('--subject <dn>', 'e.g. "CN=SM-Test-Market.CA,O=SM-Test-PKI-DE,C=DE,serialNumber=1"')
  .option('--curve <curve>', 'brainpoolP256r1 or brainpoolP384r1', 'brainpoolP256r1')
  .option('--reuse-key', 'sign with the existing key at --key-uri instead of refusing it')
  .requiredOption('--out <req.pem>', 'the request (DER when the name ends in .der)')
  .action(action((context, options: SubCaRequestOptions) => subCaRequest(context, options, out)));

const meters = program.command('meters').description('meter certificates at calibration (the production line)');
meters
  .command('register')
  .description('register a batch file of meters (CSV or NDJSON) and write <meterId>.pem and results.ndjson; resumes; exit 1 when an item is refused')
  .requiredOption('--url <url>', 'the sub-CA, e.g. https://127.0.0.1:8420 (http:// for development)')
  .requiredOption('--file <batch>', 'CSV (meterId,request[,type,model,firmwareVersion,calibrationDate,calibrationStation]) or .ndjson')
  .requiredOption('--out <dir>', 'where the certificates and results.ndjson go (also the resume state)')
  .option('--cert <pem>', "the manufacturer's TLS client certificate (mutual TLS)")
  .option('--key <pem>', 'its private key')
  .option('--ca <pem>', 'CA certificates that verify the server')
  .option('--servername <name>', 'the name the server certificate must carry, when not the URL host')
  .option('--token <token>', 'a bearer token instead of a client certificate')
  .option('--batch-size <n>', 'meters per request (at most 2000)', '500')
  .option('--concurrency <n>', 'requests in flight', '2')
  .option('--retries <n>', 'attempts after a network error, timeout or 5xx (safe: the API is idempotent)', '8')
  .option('--timeout <seconds>', 'per request (with --stream: the longest silence)', '300')
  .option('--stream', 'send the whole file as one NDJSON stream (POST /v1/meters/stream), results written as they arrive')
  .action(async (options: MetersRegisterOptions) => {
    // Needs no service configuration: it talks to the sub-CA over HTTP only.
    try {
      process.exitCode = await metersRegister(options, out, err);
    } catch (error) {
      process.stderr.write(`smpki: ${(error as Error).message}\n`);
      process.exitCode = 2;
    }
  });

const skm = program.command('skm').description('the secure key manager (SKM) over HTTP');
/** SKM commands need no service configuration: files and HTTP only. */
function plain<O>(run: (options: O) => number | Promise<number>) {
  return async (options: O): Promise<void> => {
    try {
      process.exitCode = await run(options);
    } catch (error) {
      process.stderr.write(`smpki: ${(error as Error).message}\n`);
      process.exitCode = 2;
    }
  };
}
skm
  .command('import')
  .description('import a key shipment (CMS envelope, DER) into the SKM, in slices with a progress bar; safe to re-run')
  .requiredOption('--url <url>', 'the SKM, e.g. https://skm.example:3443')
  .requiredOption('--file <p7m>', 'the envelope made with openssl cms -encrypt to GET /v1/encryption-certificate')
  .requiredOption('--token <token>', 'bearer token of a msp-security-manager')
  .option('--slice <n>', 'keys per request (at most 5000)', '1000')
  .action(plain((options: SkmImportOptions) => skmImport(options, out)));
skm
  .command('import-wrapped')
  .description('import keys wrapped under a transport key (CSV meterId,kind,wrappedHex,kcv), in slices with a progress bar; safe to re-run')
  .requiredOption('--url <url>', 'the SKM, e.g. https://skm.example:3443')
  .requiredOption('--file <csv>', 'the keys, one a line: meterId,kind,wrappedHex,kcv')
  .requiredOption('--token <token>', 'bearer token of a msp-security-manager')
  .requiredOption('--transport-key <name>', 'your transport key the keys are wrapped under')
  .option('--slice <n>', 'keys per request (at most 5000)', '1000')
  .action(plain((options: SkmImportWrappedOptions) => skmImportWrapped(options, out)));
skm
  .command('shipment')
  .description('key shipments for manufacturers')
  .command('pack')
  .description('clear keys (CSV meterId,kind,key[,kcv]) into the SKM shipment format, to be encrypted with openssl cms')
  .requiredOption('--in <csv>', 'the clear keys')
  .requiredOption('--out <file>', 'the shipment (binary)')
  .action(plain((options: ShipmentPackOptions) => skmShipmentPack(options, out)));

void program.parseAsync(process.argv);
