/** One revoked certificate as the CA hands it to the CRL encoder (typically streamed from the database). */
import type { NameInput } from '../x509/name';
import type { SerialNumberInput } from '../x509/serial-number';
import type { CrlReason } from './crl-reason';

export interface RevokedCertificate {
  serialNumber: SerialNumberInput;
  revocationDate: Date;
  /** Written as the reasonCode entry extension; `unspecified` is left out, as RFC 5280 recommends. */
  reason?: CrlReason;
  /** When the key is known or suspected to have been compromised (invalidityDate entry extension). */
  invalidityDate?: Date;
  /**
   * Indirect CRLs only: the issuer of the revoked certificate when it is not the CRL issuer. The encoder writes the
   * certificateIssuer entry extension where the issuer changes from one entry to the next (RFC 5280 5.3.3).
   */
  certificateIssuer?: NameInput;
}
