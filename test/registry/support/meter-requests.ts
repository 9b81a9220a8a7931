/** Meter key requests as a calibration station makes them: `openssl` keys and PKCS#10 (base64 DER), one per meter. */
import type { OpensslWorkspace } from '../../crypto/support/openssl';
import { opensslRequest } from '../../ca/support/ca-test-pki';

/** Meter ids of the FLAG id `flag`: 1<flag>00<8-digit number>. */
export function meterIds(flag: string, from: number, count: number): string[] {
  return Array.from({ length: count }, (_, offset) => `1${flag}00${String(from + offset).padStart(8, '0')}`);
}

/** A brainpoolP256r1 PKCS#10 request made by openssl for `meterId` (its subject is whatever the station writes). */
export function meterRequest(workspace: OpensslWorkspace, name: string, options: { curve?: string } = {}): string {
  return opensslRequest(workspace, name, { subject: '/CN=calibration-station-request', extensions: [], ...options }).toString('base64');
}
