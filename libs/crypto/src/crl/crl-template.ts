/** The fields of a CRL other than its entries, which are streamed separately. */
import type { CertificateExtension } from '../x509/certificate-extension';
import type { NameInput } from '../x509/name';
import type { IssuingDistributionPointInput } from './crl-extensions';

export interface CrlTemplate {
  /** The CRL signer's subject (the CA, or its CRL signer for an indirect CRL); best as DER from its certificate. */
  issuer: NameInput;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Monotonic per CA and scope (cRLNumber extension). */
  crlNumber: bigint | number;
  /** Default: the key identifier (RFC 5280 method 1) of the signer's public key. */
  authorityKeyIdentifier?: Uint8Array;
  /** Makes this a delta CRL of the full CRL with this number (deltaCRLIndicator extension). */
  deltaCrlIndicator?: bigint | number;
  /** Scope of the CRL; `indirectCrl: true` allows entries for other issuers (certificateIssuer entry extension). */
  issuingDistributionPoint?: IssuingDistributionPointInput;
  /** Further CRL extensions (e.g. freshestCRL), after the ones above. */
  extensions?: readonly CertificateExtension[];
}
