/** The JSON answers of the registry API (docs/METER-REGISTRATION.md). */
import { forItem, type IssuedCertificate } from '@smpki/ca';
import type { ProblemDocument } from '@smpki/platform';
import type { Manufacturer, MeterItemResult, MeterRecord } from '@smpki/registry';
import type { Meter } from '@smpki/registry';

export interface MeterCertificateView {
  serial: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
  status: 'good' | 'revoked';
  /** PEM. */
  certificate: string;
}

export type MeterItemView =
  | { index: number; meterId: string; status: 'issued' | 'existing'; certificate: MeterCertificateView }
  | { index: number; meterId: string; status: 'refused' | 'failed'; problem: ProblemDocument };

export interface MeterBatchView {
  issued: number;
  existing: number;
  refused: number;
  failed: number;
  /** PEM, the calibration CA first: the chain of every certificate of the batch. */
  chain: string[];
  items: MeterItemView[];
}

export function meterCertificateView(certificate: IssuedCertificate): MeterCertificateView {
  return {
    serial: certificate.serial,
    fingerprint: certificate.fingerprint,
    notBefore: certificate.notBefore.toISOString(),
    notAfter: certificate.notAfter.toISOString(),
    status: certificate.status,
    certificate: certificate.pem,
  };
}

export function meterItemView(result: MeterItemResult, index: number): MeterItemView {
  if ('certificate' in result) {
    return { index, meterId: result.meterId, status: result.status, certificate: meterCertificateView(result.certificate) };
  }
  return { index, meterId: result.meterId, status: result.status, problem: forItem(result.problem.asProblemDocument(), index) };
}

export function meterBatchView(results: readonly MeterItemResult[], chain: string[]): MeterBatchView {
  const items = results.map(meterItemView);
  const count = (status: MeterItemView['status']) => items.filter((item) => item.status === status).length;
  return { issued: count('issued'), existing: count('existing'), refused: count('refused'), failed: count('failed'), chain, items };
}

/** A single registration's answer: the item with the chain of its certificate. */
export function singleItemView(result: Extract<MeterItemResult, { status: 'issued' | 'existing' }>) {
  return { meterId: result.meterId, status: result.status, certificate: meterCertificateView(result.certificate), chain: result.certificate.chain };
}

export function meterView(meter: Meter, certificate?: IssuedCertificate) {
  return {
    meterId: meter.meterId,
    type: meter.type,
    model: meter.model,
    firmwareVersion: meter.firmwareVersion,
    calibrationDate: meter.calibrationDate,
    calibrationStation: meter.calibrationStation,
    status: meter.status,
    certificateSerial: meter.certificateSerial,
    keyFingerprint: meter.keyFingerprint,
    createdAt: meter.createdAt.toISOString(),
    updatedAt: meter.updatedAt.toISOString(),
    ...(certificate ? { certificate: { ...meterCertificateView(certificate), chain: certificate.chain } } : {}),
  };
}

export function meterRecordView(record: MeterRecord) {
  return meterView(record.meter, record.certificate);
}

export function manufacturerView(manufacturer: Manufacturer) {
  return { id: manufacturer.id, name: manufacturer.name, gln: manufacturer.gln, flagId: manufacturer.flagId, status: manufacturer.status, createdAt: manufacturer.createdAt.toISOString() };
}

export function credentialView(issued: IssuedCertificate) {
  return { fingerprint: issued.fingerprint, serial: issued.serial, subject: issued.subject, notAfter: issued.notAfter.toISOString(), certificate: issued.pem, chain: issued.chain };
}
