import { ConfigurationError } from './configuration-error';
import { readSetting, type Environment } from './env-setting';
import type { TlsConfig } from './service-config';
import { readableFile } from './setting-rules';

/** TLS for the listener: certificate and key together or not at all; a client CA only on top of them. */
export function readTlsConfig(env: Environment): TlsConfig | undefined {
  const certFile = readSetting(env, 'SMPKI_TLS_CERT_FILE', readableFile);
  const keyFile = readSetting(env, 'SMPKI_TLS_KEY_FILE', readableFile);
  const clientCaFile = readSetting(env, 'SMPKI_TLS_CLIENT_CA_FILE', readableFile);
  if (certFile && !keyFile) throw new ConfigurationError('SMPKI_TLS_KEY_FILE', 'is required when SMPKI_TLS_CERT_FILE is set');
  if (keyFile && !certFile) throw new ConfigurationError('SMPKI_TLS_CERT_FILE', 'is required when SMPKI_TLS_KEY_FILE is set');
  if (clientCaFile && !certFile) {
    throw new ConfigurationError('SMPKI_TLS_CERT_FILE', 'is required when SMPKI_TLS_CLIENT_CA_FILE is set (mutual TLS needs a server certificate)');
  }
  if (!certFile || !keyFile) return undefined;
  return clientCaFile ? { certFile, keyFile, clientCaFile } : { certFile, keyFile };
}
