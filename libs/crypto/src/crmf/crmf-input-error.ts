/**
 * Why a certificate request (SM-PKI CRMF, or the CMS SignedData around a renewal) was refused. `rule` is stable:
 * the CA service puts it into the 4xx problem document and the audit record, so callers branch on it, not on the
 * message. Messages name what was wrong and never carry key material.
 *
 * A {@link CryptoInputError}, so services map one error type. Key refusals (`key.algorithm-not-allowed`,
 * `key.curve-not-allowed`, `key.explicit-parameters`, `key.point-invalid`) come from the shared SPKI parser as
 * plain CryptoInputErrors; the rules below are the request-specific ones.
 */
import { CryptoInputError, type CryptoInputRule } from '../crypto-input-error';

export type CrmfRule =
  // structure
  | 'crmf.malformed'
  | 'crmf.unknown-content-type'
  | 'crmf.template-field'
  | 'crmf.template-incomplete'
  | 'crmf.duplicate-request-id'
  // proof of possession
  | 'crmf.pop-missing'
  | 'crmf.pop-unsupported'
  | 'crmf.pop-invalid'
  // renewal: the SignedData and its signer
  | 'crmf.signer-not-found'
  | 'crmf.signature-invalid'
  | 'crmf.signed-attributes'
  | 'crmf.signer-issuer-not-found'
  | 'crmf.signer-certificate-invalid'
  | 'crmf.signer-untrusted'
  | 'crmf.signer-key-usage'
  | 'crmf.signer-expired'
  | 'crmf.signer-not-yet-valid'
  | 'crmf.signer-revoked'
  | 'crmf.signer-unknown'
  | 'crmf.subject-mismatch'
  // generic CMS SignedData verification (../cms); a renewal reports them as the crmf.* rules above
  | 'cms.malformed'
  | 'cms.signer-not-found'
  | 'cms.signature-invalid'
  | 'cms.signed-attributes'
  | 'cms.unsupported-algorithm';

export class CrmfInputError extends CryptoInputError {
  constructor(rule: CrmfRule, message: string, options: { cause?: unknown } = {}) {
    // CryptoInputRule does not list the request rules (yet): the value is a CrmfRule, typed through the base.
    super(rule as unknown as CryptoInputRule, message);
    if (options.cause !== undefined) this.cause = options.cause;
  }

  /** The rule as a request rule (the inherited `rule` is typed as the base union). */
  get crmfRule(): CrmfRule {
    return this.rule as unknown as CrmfRule;
  }
}

/** True for any request refusal: the CRMF/CMS rules and the shared key rules alike; optionally one `rule`. */
export function isRequestRefusal(error: unknown, rule?: CrmfRule | CryptoInputRule): error is CryptoInputError {
  return error instanceof CryptoInputError && (rule === undefined || (error.rule as string) === rule);
}
