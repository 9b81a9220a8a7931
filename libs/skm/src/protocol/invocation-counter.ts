/**
 * The replay guard of DLMS invocation counters (and OMS mode 7 message counters): a counter is accepted only if it
 * is above the last one accepted for the same meter and key. Storage-agnostic; the SKM core persists it.
 */
import { ReplayedCounterError } from './protocol-error';

export interface InvocationCounterStore {
  /**
   * Records `counter` as the last accepted for (meter, keyId); throws {@link ReplayedCounterError} and records
   * nothing if it is not above the last one. Must be atomic per (meter, keyId).
   */
  advance(meter: string, keyId: string, counter: number): Promise<void>;
}

/** For tests and single-process tools: the counters live in memory. */
export class InMemoryInvocationCounterStore implements InvocationCounterStore {
  private readonly last = new Map<string, number>();

  async advance(meter: string, keyId: string, counter: number): Promise<void> {
    const slot = JSON.stringify([meter, keyId]);
    const last = this.last.get(slot);
    if (last !== undefined && counter <= last) {
      throw new ReplayedCounterError(`invocation counter ${counter} of meter ${meter} (key ${keyId}) is not above the last accepted ${last}`, last, counter);
    }
    this.last.set(slot, counter);
  }
}
