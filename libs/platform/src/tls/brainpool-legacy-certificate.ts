/**
 * Node 24.21 (OpenSSL 3.5) ends the process with SIGSEGV when it turns a certificate with a brainpool key into the
 * legacy certificate object: `X509Certificate#toLegacyObject()` and `TLSSocket#getPeerCertificate()`. Every Node TLS
 * client calls `getPeerCertificate()` for the hostname check right after a successful handshake, so without this
 * a Node client (the CLI, a publisher pushing to an HTTPS directory) crashes on the first connection to a server with
 * a brainpool certificate (BSI TR-03116-3 allows brainpoolP256r1 server certificates).
 *
 * `installBrainpoolLegacyCertificateFix()` replaces both methods, for brainpool keys only, by a legacy object built
 * from `X509Certificate`'s own accessors (which do not crash); other keys keep Node's implementation. The fields are
 * the ones tls.checkServerIdentity and common callers read (subject, subjectaltname, validity, fingerprints, raw).
 */
import { X509Certificate } from 'node:crypto';
import { TLSSocket, type PeerCertificate, type DetailedPeerCertificate } from 'node:tls';

const INSTALLED = Symbol.for('smpki.brainpoolLegacyCertificateFix');

type LegacyObject = PeerCertificate & Partial<Pick<DetailedPeerCertificate, 'issuerCertificate'>>;

export function isBrainpoolCertificate(certificate: X509Certificate): boolean {
  const curve = certificate.publicKey.asymmetricKeyDetails?.namedCurve ?? '';
  return curve.startsWith('brainpool');
}

/** `C=DE\nO=SM-PKI\nCN=x` (X509Certificate#subject) as the legacy `{ C: 'DE', O: 'SM-PKI', CN: 'x' }`. */
export function legacyName(name: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const line of name.split('\n')) {
    const separator = line.indexOf('=');
    if (separator <= 0) continue;
    const key = line.slice(0, separator);
    const value = line.slice(separator + 1);
    const existing = fields[key];
    fields[key] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return fields;
}

/** The legacy certificate object of a brainpool certificate, without Node's crashing conversion. */
export function brainpoolLegacyObject(certificate: X509Certificate): LegacyObject {
  const details = certificate.publicKey.asymmetricKeyDetails;
  const spki = certificate.publicKey.export({ type: 'spki', format: 'der' });
  const legacy = {
    subject: legacyName(certificate.subject),
    issuer: legacyName(certificate.issuer),
    subjectaltname: certificate.subjectAltName,
    infoAccess: undefined,
    ca: certificate.ca,
    asn1Curve: details?.namedCurve,
    // The uncompressed point: the tail of the SPKI's BIT STRING (65 bytes for 256-bit curves, 97 for 384-bit).
    pubkey: spki.subarray(spki.length - (1 + 2 * Math.ceil(bitsOf(details?.namedCurve) / 8))),
    bits: bitsOf(details?.namedCurve),
    valid_from: certificate.validFrom,
    valid_to: certificate.validTo,
    fingerprint: certificate.fingerprint,
    fingerprint256: certificate.fingerprint256,
    fingerprint512: certificate.fingerprint512,
    serialNumber: certificate.serialNumber,
    raw: certificate.raw,
  };
  return legacy as unknown as LegacyObject;
}

function bitsOf(curve: string | undefined): number {
  const match = /P(\d+)[rt]1$/.exec(curve ?? '');
  return match ? Number(match[1]) : 0;
}

const PEER = Symbol('smpki.peerX509Certificate');
type CachingSocket = TLSSocket & { [PEER]?: X509Certificate | null };

/** Installs the replacements once per process (idempotent). */
export function installBrainpoolLegacyCertificateFix(): void {
  const registry = globalThis as Record<symbol, unknown>;
  if (registry[INSTALLED]) return;
  registry[INSTALLED] = true;

  const toLegacyObject = X509Certificate.prototype.toLegacyObject;
  X509Certificate.prototype.toLegacyObject = function (this: X509Certificate) {
    return isBrainpoolCertificate(this) ? brainpoolLegacyObject(this) : toLegacyObject.call(this);
  };

  // Node 24.21 hands the peer certificate out once: a second getPeerX509Certificate() returns undefined and a
  // native getPeerCertificate() after it returns {}. The first answer is kept on the socket and used for both.
  const getPeerX509Certificate = TLSSocket.prototype.getPeerX509Certificate;
  const peerOf = (socket: CachingSocket): X509Certificate | undefined => {
    if (socket[PEER] === undefined) socket[PEER] = getPeerX509Certificate.call(socket) ?? null;
    return socket[PEER] ?? undefined;
  };
  TLSSocket.prototype.getPeerX509Certificate = function (this: CachingSocket) {
    return peerOf(this);
  };

  const getPeerCertificate = TLSSocket.prototype.getPeerCertificate as (this: TLSSocket, detailed?: boolean) => LegacyObject;
  TLSSocket.prototype.getPeerCertificate = function (this: CachingSocket, detailed?: boolean) {
    const peer = peerOf(this);
    if (!peer) return getPeerCertificate.call(this, detailed);
    const legacy = (isBrainpoolCertificate(peer) ? brainpoolLegacyObject(peer) : toLegacyObject.call(peer)) as LegacyObject;
    // The detailed form chains issuers; from the one X509Certificate the socket gives, the chain ends here.
    if (detailed) legacy.issuerCertificate = legacy as DetailedPeerCertificate;
    return legacy;
  } as typeof TLSSocket.prototype.getPeerCertificate;
}
