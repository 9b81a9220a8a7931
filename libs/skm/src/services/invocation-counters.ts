/**
 * DLMS invocation counters and OMS mode 7 message counters in the database (table skm_invocation_counter), shared by
 * every SKM replica. A counter is accepted by one conditional UPDATE (`... WHERE last_counter < :counter`): of two
 * replicas offered the same counter, the database lets exactly one UPDATE match, the other is refused as a replay.
 */
import { randomUUID } from 'node:crypto';
import { isUniqueViolation } from '@smpki/ca';
import type { DataSource } from 'typeorm';
import { SkmInvocationCounter, type CounterDirection } from '../entities';
import { ReplayedCounterError, type InvocationCounterStore } from '../protocol';

/** Whose counter: a tenant's meter key (`<kind>/v<version>`) in one direction. */
export interface CounterSlot {
  tenantId: string;
  meterId: string;
  keyId: string;
  direction: CounterDirection;
}

const MAX_COUNTER = 0xffffffff;

export class InvocationCounters {
  constructor(private readonly dataSource: DataSource) {}

  /** Records `counter` as the last accepted; {@link ReplayedCounterError} (nothing recorded) if it is not above it. */
  async advance(slot: CounterSlot, counter: number): Promise<void> {
    // Two rounds: a first counter for the slot races another replica's insert at most once.
    for (let round = 0; round < 2; round++) {
      if (await this.raise(slot, counter)) return;
      const last = await this.last(slot);
      if (last !== undefined) throw replayed(slot, counter, last);
      if (await this.insertFirst(slot, counter)) return;
    }
    throw replayed(slot, counter, (await this.last(slot)) ?? counter);
  }

  /** The next sending counter (last + 1, from 1), reserved before it is used so that no GCM IV is ever used twice. */
  async reserveNext(slot: CounterSlot): Promise<number> {
    for (;;) {
      const next = ((await this.last(slot)) ?? 0) + 1;
      if (next > MAX_COUNTER) throw replayed(slot, next, MAX_COUNTER);
      try {
        await this.advance(slot, next);
        return next;
      } catch (error) {
        // Another replica took `next` meanwhile: read again and take the one after.
        if (!(error instanceof ReplayedCounterError)) throw error;
      }
    }
  }

  async last(slot: CounterSlot): Promise<number | undefined> {
    const row = await this.dataSource.getRepository(SkmInvocationCounter).findOne({ where: { ...slot } });
    return row?.lastCounter;
  }

  /** The {@link InvocationCounterStore} the protocol functions take, for one tenant and direction. */
  storeFor(tenantId: string, direction: CounterDirection): InvocationCounterStore {
    return { advance: (meterId, keyId, counter) => this.advance({ tenantId, meterId, keyId, direction }, counter) };
  }

  private async raise(slot: CounterSlot, counter: number): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SkmInvocationCounter)
      .set({ lastCounter: counter, updatedAt: new Date() })
      .where('tenant_id = :tenantId AND meter_id = :meterId AND key_id = :keyId AND direction = :direction', slot)
      .andWhere('last_counter < :counter', { counter })
      .execute();
    return result.affected === 1;
  }

  private async insertFirst(slot: CounterSlot, counter: number): Promise<boolean> {
    try {
      await this.dataSource.getRepository(SkmInvocationCounter).insert({ id: randomUUID(), ...slot, lastCounter: counter, updatedAt: new Date() });
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}

function replayed(slot: CounterSlot, counter: number, last: number): ReplayedCounterError {
  return new ReplayedCounterError(`counter ${counter} of meter ${slot.meterId} (key ${slot.keyId}, ${slot.direction}) is not above the last accepted ${last}`, last, counter);
}
