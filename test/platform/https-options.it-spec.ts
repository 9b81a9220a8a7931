import { buildHttpsOptions, ConfigurationError, SERVER_TLS_GROUPS } from '@smpki/platform';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TlsFixtures, type Credential } from '../auth/tls-fixtures';

describe('buildHttpsOptions', () => {
  let tls: TlsFixtures;
  let ca: Credential;
  let server: Credential;
  let other: Credential;
  let notPem: string;

  beforeAll(() => {
    tls = new TlsFixtures();
    ca = tls.ca('ca', '/CN=smpki https test CA');
    server = tls.server('server', 'ca');
    other = tls.client('other', 'ca', '/CN=other');
    notPem = join(tls.dir, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
  });
  afterAll(() => tls.remove());

  function refusal(build: () => unknown): ConfigurationError {
    try {
      build();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigurationError);
      return error as ConfigurationError;
    }
    throw new Error('expected a ConfigurationError');
  }

  it('serves TLS 1.2+ with the brainpool groups smart-metering clients need', () => {
    const options = buildHttpsOptions({ certFile: server.certFile, keyFile: server.keyFile });
    expect(options).toMatchObject({ cert: server.cert, key: server.key, minVersion: 'TLSv1.2', ecdhCurve: SERVER_TLS_GROUPS });
    expect(options.requestCert).toBeUndefined();
  });

  it('asks for client certificates with a client CA, and leaves the refusal to the guard', () => {
    const options = buildHttpsOptions({ certFile: server.certFile, keyFile: server.keyFile, clientCaFile: ca.certFile });
    expect(options).toMatchObject({ ca: ca.cert, requestCert: true, rejectUnauthorized: false });
  });

  it('names the variable of a file that is not what it should be', () => {
    expect(refusal(() => buildHttpsOptions({ certFile: notPem, keyFile: server.keyFile })).message).toBe(
      'SMPKI_TLS_CERT_FILE does not hold a PEM certificate',
    );
    expect(refusal(() => buildHttpsOptions({ certFile: server.certFile, keyFile: notPem })).message).toBe(
      'SMPKI_TLS_KEY_FILE does not hold an unencrypted PEM private key',
    );
    expect(refusal(() => buildHttpsOptions({ certFile: server.certFile, keyFile: other.keyFile })).message).toBe(
      'SMPKI_TLS_KEY_FILE does not hold the private key of SMPKI_TLS_CERT_FILE',
    );
    expect(refusal(() => buildHttpsOptions({ certFile: server.certFile, keyFile: server.keyFile, clientCaFile: notPem })).variable).toBe(
      'SMPKI_TLS_CLIENT_CA_FILE',
    );
  });
});
