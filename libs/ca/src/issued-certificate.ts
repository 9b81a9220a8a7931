/** A certificate as the CA answers it: the stored facts plus PEM and the chain above it. */
export interface IssuedCertificate {
  ca: string;
  /** Lowercase hex of the serial number. */
  serial: string;
  profile: string;
  /** RFC 4514. */
  subject: string;
  notBefore: Date;
  notAfter: Date;
  /** Lowercase hex SHA-256 of the DER. */
  fingerprint: string;
  status: 'good' | 'revoked';
  der: Buffer;
  pem: string;
  /** The issuing CA's certificate and those above it, PEM, nearest first. */
  chain: string[];
}
