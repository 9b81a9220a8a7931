/**
 * The 4xx answers of the CA. Each names the rule that refused the request (the same rule names as @smpki/crypto,
 * the CRMF parser and the profile checks), and each is handed to the refusal recorder, so a refused request is
 * in the audit trail even though nothing was issued.
 */
import { CryptoInputError } from '@smpki/crypto';
import { ProblemException, type FieldError } from '@smpki/platform';
import type { Finding } from '@smpki/policy';

export const CA_PROBLEM_TYPES = {
  requestInvalid: 'certificate-request-invalid',
  profileViolation: 'certificate-profile-violation',
  profileNotAllowed: 'certificate-profile-not-allowed',
  unknownCa: 'certificate-authority-unknown',
  unknownCertificate: 'certificate-unknown',
  alreadyRevoked: 'certificate-already-revoked',
} as const;

/** A request that does not parse, has an unacceptable key or a proof of possession that fails. */
export function requestRefused(error: CryptoInputError, field = 'request'): ProblemException {
  return new ProblemException({
    status: 400,
    type: CA_PROBLEM_TYPES.requestInvalid,
    title: 'Certificate request refused',
    detail: `The certificate request was refused (${error.rule}): ${error.message}`,
    errors: [{ field, rule: error.rule, message: error.message }],
    recordRefusal: true,
  });
}

/** The certificate the request would give breaks the profile: one entry per error finding. */
export function profileViolated(profile: string, findings: readonly Finding[], field = 'request'): ProblemException {
  const errors: FieldError[] = findings.map((finding) => ({ field, rule: finding.rule, message: finding.message }));
  return new ProblemException({
    status: 422,
    type: CA_PROBLEM_TYPES.profileViolation,
    title: 'Certificate profile violated',
    detail: `The requested certificate breaks the profile ${profile}: ${[...new Set(errors.map((e) => e.rule))].join(', ')}`,
    errors,
    recordRefusal: true,
  });
}

export function profileNotAllowed(ca: string, profile: string, allowed: readonly string[]): ProblemException {
  const message = `the CA ${ca} does not issue under the profile "${profile}" (it issues: ${allowed.join(', ')})`;
  return new ProblemException({
    status: 422,
    type: CA_PROBLEM_TYPES.profileNotAllowed,
    title: 'Profile not allowed for this CA',
    detail: message,
    errors: [{ field: 'profile', rule: 'profile.not-allowed', message }],
    recordRefusal: true,
  });
}

export function unknownCa(name: string): ProblemException {
  return new ProblemException({
    status: 404,
    type: CA_PROBLEM_TYPES.unknownCa,
    title: 'Unknown certificate authority',
    detail: `This service has no CA named "${name}"`,
    errors: [{ field: 'ca', rule: 'ca.unknown', message: `no CA named "${name}"` }],
    recordRefusal: true,
  });
}

export function unknownCertificate(ca: string, serial: string): ProblemException {
  return new ProblemException({
    status: 404,
    type: CA_PROBLEM_TYPES.unknownCertificate,
    title: 'Unknown certificate',
    detail: `The CA ${ca} has issued no certificate with the serial number ${serial}`,
    errors: [{ field: 'serial', rule: 'certificate.unknown', message: `no certificate with serial ${serial}` }],
  });
}

export function alreadyRevoked(ca: string, serial: string): ProblemException {
  return new ProblemException({
    status: 409,
    type: CA_PROBLEM_TYPES.alreadyRevoked,
    title: 'Certificate already revoked',
    detail: `The certificate ${serial} of the CA ${ca} is already revoked`,
    errors: [{ field: 'serial', rule: 'certificate.already-revoked', message: `certificate ${serial} is already revoked` }],
    recordRefusal: true,
  });
}

/** Runs `parse`; a CryptoInputError (or CrmfInputError) becomes the 400 naming its rule. */
export function parseOrRefuse<T>(parse: () => T, field = 'request'): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CryptoInputError) throw requestRefused(error, field);
    throw error;
  }
}

/** `parseOrRefuse` for the asynchronous parsers (the renewal request asks the database about its signer). */
export async function parseOrRefuseAsync<T>(parse: () => Promise<T>, field = 'request'): Promise<T> {
  try {
    return await parse();
  } catch (error) {
    if (error instanceof CryptoInputError) throw requestRefused(error, field);
    throw error;
  }
}
