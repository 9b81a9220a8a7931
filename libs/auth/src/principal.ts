/** Who is calling, as established by the access guard for one request. */
export interface Principal {
  /** Token `sub`, or the client certificate's subject DN (RFC 4514). */
  readonly subject: string;
  /** Role names; only roles known to the access rules grant anything. */
  readonly roles: readonly string[];
  readonly authenticatedBy: 'bearer-token' | 'client-certificate';
  /** Token `jti` (bearer tokens). */
  readonly tokenId?: string;
  /** Token expiry (bearer tokens). */
  readonly expiresAt?: Date;
  /** The verified client certificate (mutual TLS). */
  readonly certificate?: ClientCertificateIdentity;
}

export interface ClientCertificateIdentity {
  /** RFC 4514 form, most specific RDN first: `CN=gw-admin-1,O=ACME,C=DE`. */
  readonly subject: string;
  readonly issuer: string;
  /** Hex, uppercase, as Node reports it. */
  readonly serialNumber: string;
  /** SHA-256 of the DER certificate, lowercase hex without separators. */
  readonly fingerprint256: string;
}

/** What a token is issued to. */
export interface TokenSubject {
  readonly subject: string;
  readonly roles: readonly string[];
}
