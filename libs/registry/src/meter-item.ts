/** The vocabulary of meter registration: what a production line sends per meter and what it gets back. */
import type { IssuedCertificate } from '@smpki/ca';
import type { CrlReason } from '@smpki/crypto';
import type { ProblemException } from '@smpki/platform';
import type { Manufacturer, MeterType } from './entities';

export interface MeterItem {
  /** DIN 43863-5 meter id, e.g. `1EMH0012345678`. */
  meterId: string;
  /** Default `electricity`. */
  type?: MeterType;
  model?: string;
  firmwareVersion?: string;
  /** `YYYY-MM-DD`. */
  calibrationDate?: string;
  calibrationStation?: string;
  /** PKCS#10 or SM-PKI CRMF (one CertReqMsg): PEM, or base64 of the DER, or DER. */
  request: string | Uint8Array;
  /** Re-enrolment after erasure or repair: a meter certified with another key gets a new certificate, the old one is revoked. */
  replacement?: boolean;
}

/** An item of a stream with its position in it (0-based). */
export interface IndexedMeterItem {
  index: number;
  item: MeterItem;
}

/**
 * The meter ids a stream has carried so far (id -> index of its first item): what refuses a repeat across chunks.
 * It grows with the stream, about 100 bytes per meter.
 */
export type StreamMeterIds = Map<string, number>;

/** Who registers: the manufacturer the client certificate belongs to, and the principal for the audit trail. */
export interface RegistrationCaller {
  manufacturer: Manufacturer;
  requester: string;
}

/**
 * `issued`: a new certificate; `existing`: the meter was already certified with this very key, the stored
 * certificate is returned and nothing issued; `refused`: the item is wrong (4xx); `failed`: not stored (5xx),
 * send it again.
 */
export type MeterItemResult =
  | { status: 'issued' | 'existing'; meterId: string; certificate: IssuedCertificate }
  | { status: 'refused' | 'failed'; meterId: string; problem: ProblemException };

/** The reason the old certificate of a replaced meter is revoked with: `superseded` for a batch item. */
export type ReplacementReason = CrlReason;
