import type { HttpsOptions } from '@nestjs/common/interfaces/external/https-options.interface.js';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../config/configuration-error';
import type { TlsConfig } from '../config/service-config';

/**
 * Key-exchange groups offered by the listener. Node's default has no brainpool; smart-meter gateways and their
 * operators (BSI TR-03116-3) use brainpoolP256r1/P384r1 keys, which in TLS 1.2 need the group on both sides.
 */
export const SERVER_TLS_GROUPS = 'X25519:P-256:P-384:brainpoolP256r1:brainpoolP384r1';

function parseCertificate(variable: string, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ConfigurationError(variable, 'does not hold a PEM certificate');
  }
}

function parsePrivateKey(pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    // Unencrypted keys only: a passphrase would be one more secret to deliver, and the HSM holds the keys that matter.
    throw new ConfigurationError('SMPKI_TLS_KEY_FILE', 'does not hold an unencrypted PEM private key');
  }
}

/**
 * Reads and checks the TLS files now, so a wrong file stops the start with its variable named instead of an
 * OpenSSL error at the first handshake.
 *
 * With a client CA the listener requests a certificate but does not reject the handshake without a valid one
 * (`rejectUnauthorized: false`). Rejecting in TLS would answer with a bare alert: no problem document telling the
 * caller what is wrong, no log line or audit record of the refusal, and probes and /openapi.json would need client
 * certificates. Instead the TLS layer verifies the chain against the CA and records the result on the socket
 * (`authorized`, `authorizationError`); @smpki/auth's deny-by-default guard reads it (readClientCertificate) and
 * refuses with a 401 problem, which the RefusalRecorder writes to the audit trail.
 */
export function buildHttpsOptions(tls: TlsConfig): HttpsOptions {
  const cert = readFileSync(tls.certFile);
  const key = readFileSync(tls.keyFile);
  const certificate = parseCertificate('SMPKI_TLS_CERT_FILE', cert);
  if (!certificate.checkPrivateKey(parsePrivateKey(key))) {
    throw new ConfigurationError('SMPKI_TLS_KEY_FILE', 'does not hold the private key of SMPKI_TLS_CERT_FILE');
  }
  const options: HttpsOptions & { minVersion: string; ecdhCurve: string } = { cert, key, minVersion: 'TLSv1.2', ecdhCurve: SERVER_TLS_GROUPS };
  if (!tls.clientCaFile) return options;
  const ca = readFileSync(tls.clientCaFile);
  parseCertificate('SMPKI_TLS_CLIENT_CA_FILE', ca);
  return { ...options, ca, requestCert: true, rejectUnauthorized: false };
}
