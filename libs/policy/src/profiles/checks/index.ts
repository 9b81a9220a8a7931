/** The checks every profile runs, in report order. Each is small and keyed by the rules it reports. */
import type { CertificateCheck } from './certificate-check';
import { checkCriticality, checkExtensionList } from './extension-checks';
import { checkIssuerLink } from './issuer-checks';
import { checkSubjectKey } from './key-checks';
import { checkCommonName, checkMarketParticipantNumber, checkMeterId, checkOrganizationAndCountry, checkSerialNumberAttribute } from './name-checks';
import { checkCertificatePolicies } from './policy-checks';
import { checkSignatureAlgorithm, checkSignatureValue } from './signature-checks';
import { checkSerialNumber, checkVersion } from './structure-checks';
import { checkSubjectAltName } from './subject-alt-name-checks';
import { checkBasicConstraints, checkExtendedKeyUsage, checkKeyUsage } from './usage-checks';
import { checkValidity } from './validity-checks';

export type { CertificateCheck, CheckContext } from './certificate-check';

export const PROFILE_CHECKS: readonly CertificateCheck[] = [
  checkVersion,
  checkSerialNumber,
  checkSubjectKey,
  checkSignatureAlgorithm,
  checkSignatureValue,
  checkIssuerLink,
  checkCommonName,
  checkOrganizationAndCountry,
  checkMarketParticipantNumber,
  checkSerialNumberAttribute,
  checkMeterId,
  checkExtensionList,
  checkCriticality,
  checkKeyUsage,
  checkExtendedKeyUsage,
  checkBasicConstraints,
  checkSubjectAltName,
  checkCertificatePolicies,
  checkValidity,
];
