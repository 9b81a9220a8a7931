/**
 * OMS / wireless M-Bus telegram decryption for head-end systems that hold no keys (issue 6 item 6), with the meter's
 * active `wmbus` key inside the HSM. Mode 7 telegrams carry a message counter (AFL.MCR): it is checked against the
 * last accepted one in the database after the MAC verified, so a replayed telegram is refused (409
 * `oms.counter-replayed`). Mode 5 has no counter the SKM could check (only the 8-bit access number).
 */
import type { KeyManager } from '@smpki/hsm';
import type { SkmTenant } from '../entities';
import { normaliseMeterId } from '../keys/meter-key-input';
import { omsDecryptMode5, omsDecryptMode7, parseWmbusTelegram, securityMode, type OmsDirection } from '../protocol';
import { counterKeyId, type ActiveMeterKeys } from './active-meter-keys';
import { asProblems } from './crypto-problems';
import type { InvocationCounters } from './invocation-counters';

export interface OmsDecryptResult {
  mode: 5 | 7;
  /** Decrypted blocks (starting 2F2F) followed by any unencrypted remainder. */
  plaintext: Buffer;
  /** Mode 7: the message counter, now the last accepted one. */
  counter?: number;
}

export class OmsCryptoService {
  constructor(
    private readonly keys: KeyManager,
    private readonly active: ActiveMeterKeys,
    private readonly counters: InvocationCounters,
  ) {}

  async decrypt(tenant: SkmTenant, meterIdInput: string, telegram: Buffer, direction: OmsDirection = 'from-meter'): Promise<OmsDecryptResult> {
    const meterId = normaliseMeterId(meterIdInput);
    const mode = await asProblems('oms', 'telegram', async () => securityMode(parseWmbusTelegram(telegram).configuration));
    const rows = await this.active.rows(tenant, meterId, ['wmbus']);
    return asProblems('oms', 'telegram', async () => {
      const result = await this.active.use(tenant, rows, ([key]) => (mode === 7 ? omsDecryptMode7(this.keys, key!, telegram, { direction }) : omsDecryptMode5(this.keys, key!, telegram)));
      if (result.counter !== undefined) {
        const slot = { tenantId: tenant.id, meterId, keyId: counterKeyId(rows[0]!), direction: direction === 'from-meter' ? ('received' as const) : ('sent' as const) };
        await this.counters.advance(slot, result.counter);
      }
      return result;
    });
  }
}
