/**
 * The sub-CA app over HTTPS with mutual TLS (test/ca/support/start-sub-ca.ts with its TLS files); the server
 * certificate comes from test/auth's TLS fixtures.
 */
import type { CaTestPki } from '../../ca/support/ca-test-pki';
import { startSubCa, type RunningSubCa, type TlsFiles } from '../../ca/support/start-sub-ca';

export type { TlsFiles };
export type RunningTlsSubCa = RunningSubCa;

export function startTlsSubCa(pki: CaTestPki, tokenKeyUri: string, tls: TlsFiles): Promise<RunningTlsSubCa> {
  return startSubCa(pki, tokenKeyUri, tls);
}
