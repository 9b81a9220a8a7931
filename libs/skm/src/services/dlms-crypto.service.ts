/**
 * DLMS/COSEM suite 0 for head-end systems that hold no keys (issue 6 item 6): they send the APDU, the SKM protects
 * or unprotects it with the meter's active keys inside the HSM. Counters are kept in the database per key version:
 * the SKM's own sending counter (a GCM IV is never used twice) and the last counter accepted from the meter (a
 * replayed or stale frame is refused with 409 `dlms.counter-replayed`).
 */
import type { KeyManager } from '@smpki/hsm';
import type { MeterKeyKind, SkmTenant } from '../entities';
import { normaliseMeterId } from '../keys/meter-key-input';
import {
  decodeGeneralGloCiphering,
  decodeGloApdu,
  decodeProtected,
  dlmsProtect,
  dlmsUnprotect,
  encodeGeneralGloCiphering,
  encodeGloApdu,
  encodeProtected,
  GloTag,
  SecurityControl,
} from '../protocol';
import { counterKeyId, type ActiveMeterKeys } from './active-meter-keys';
import { asProblems } from './crypto-problems';
import type { InvocationCounters } from './invocation-counters';

export interface DlmsProtectRequest {
  /** Security control byte (suite 0: 0x10 authenticated, 0x20 encrypted, 0x30 both; 0x40 = broadcast key). */
  securityControl: number;
  /** The clear xDLMS APDU. */
  apdu: Buffer;
  /** The sender's system title (the head-end's), part of the GCM IV. */
  systemTitle: Buffer;
  /** Absent: the SKM's next sending counter. Present: must be above the last one the SKM used with this key. */
  invocationCounter?: number;
}

export interface DlmsProtectResult {
  /** The ciphered APDU: service-specific glo-ciphering (e.g. C8 for a get-request) or general-glo-ciphering (DB). */
  apdu: Buffer;
  invocationCounter: number;
}

export interface DlmsUnprotectRequest {
  /** A glo-ciphering APDU (C8..CF) or general-glo-ciphering (DB, carries the sender's system title). */
  apdu: Buffer;
  /** The sender's system title for a service-specific APDU; default: the meter's (its id). */
  systemTitle?: Buffer;
}

export interface DlmsUnprotectResult {
  apdu: Buffer;
  securityControl: number;
  invocationCounter: number;
}

/** xDLMS request/response tags and their global-ciphering tags (IEC 62056-5-3 Table 9: the glo tag is plain + 8). */
const GLO_TAG_OF_PLAIN = new Map<number, number>([
  [0xc0, GloTag.getRequest],
  [0xc1, GloTag.setRequest],
  [0xc2, GloTag.eventNotificationRequest],
  [0xc3, GloTag.actionRequest],
  [0xc4, GloTag.getResponse],
  [0xc5, GloTag.setResponse],
  [0xc7, GloTag.actionResponse],
]);

function encryptionKind(securityControl: number): MeterKeyKind {
  return securityControl & SecurityControl.broadcastKey ? 'dlms-gbek' : 'dlms-guek';
}

export class DlmsCryptoService {
  constructor(
    private readonly keys: KeyManager,
    private readonly active: ActiveMeterKeys,
    private readonly counters: InvocationCounters,
  ) {}

  async protect(tenant: SkmTenant, meterIdInput: string, request: DlmsProtectRequest): Promise<DlmsProtectResult> {
    const meterId = normaliseMeterId(meterIdInput);
    const rows = await this.active.rows(tenant, meterId, [encryptionKind(request.securityControl), 'dlms-ak']);
    return asProblems('dlms', 'apdu', async () => {
      const slot = { tenantId: tenant.id, meterId, keyId: counterKeyId(rows[0]!), direction: 'sent' as const };
      // Reserved before the HSM call: even if the call fails, the counter is never handed out again.
      const invocationCounter = request.invocationCounter ?? (await this.counters.reserveNext(slot));
      if (request.invocationCounter !== undefined) await this.counters.advance(slot, invocationCounter);
      const input = { securityControl: request.securityControl, systemTitle: request.systemTitle, invocationCounter, apdu: request.apdu };
      const result = await this.active.use(tenant, rows, ([encryptionKey, authenticationKey]) => dlmsProtect(this.keys, { encryptionKey: encryptionKey!, authenticationKey: authenticationKey! }, input));
      const protectedBytes = encodeProtected(result);
      const gloTag = GLO_TAG_OF_PLAIN.get(request.apdu[0] ?? -1);
      const apdu = gloTag === undefined ? encodeGeneralGloCiphering(request.systemTitle, protectedBytes) : encodeGloApdu(gloTag, protectedBytes);
      return { apdu, invocationCounter };
    });
  }

  async unprotect(tenant: SkmTenant, meterIdInput: string, request: DlmsUnprotectRequest): Promise<DlmsUnprotectResult> {
    const meterId = normaliseMeterId(meterIdInput);
    const { systemTitle, protectedBytes } = await asProblems('dlms', 'apdu', async () => this.framing(meterId, request));
    const header = await asProblems('dlms', 'apdu', async () => decodeProtected(protectedBytes));
    const rows = await this.active.rows(tenant, meterId, [encryptionKind(header.securityControl), 'dlms-ak']);
    const guard = { store: this.counters.storeFor(tenant.id, 'received'), meter: meterId, keyId: counterKeyId(rows[0]!) };
    const apdu = await asProblems('dlms', 'apdu', () =>
      this.active.use(tenant, rows, ([encryptionKey, authenticationKey]) =>
        dlmsUnprotect(this.keys, { encryptionKey: encryptionKey!, authenticationKey: authenticationKey! }, systemTitle, protectedBytes, guard),
      ),
    );
    return { apdu, securityControl: header.securityControl, invocationCounter: header.invocationCounter };
  }

  private framing(meterId: string, request: DlmsUnprotectRequest): { systemTitle: Buffer; protectedBytes: Buffer } {
    if (request.apdu[0] === GloTag.generalGloCiphering) return decodeGeneralGloCiphering(request.apdu);
    return { systemTitle: request.systemTitle ?? Buffer.from(meterId, 'hex'), protectedBytes: decodeGloApdu(request.apdu).protectedBytes };
  }
}
