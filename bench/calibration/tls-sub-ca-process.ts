/**
 * The sub-CA service as a production line reaches it: bench/lib/sub-ca-process.ts serving HTTPS with
 * client-certificate authentication, with the listener files of the calibration hierarchy.
 */
import { startSubCaProcess, type SubCaProcess, type SubCaProcessOptions } from '../lib/sub-ca-process';
import type { CalibrationPki } from './calibration-pki';

export interface TlsSubCaOptions extends Omit<SubCaProcessOptions, 'pki' | 'tls'> {
  pki: CalibrationPki;
}

export type TlsSubCaProcess = SubCaProcess;

export function startTlsSubCa(options: TlsSubCaOptions): Promise<TlsSubCaProcess> {
  return startSubCaProcess({ ...options, tls: options.pki.tls });
}
