/** What every operation in a worker works with. */
import type { KeyHandles } from './key-handles';
import type { TokenSession } from './token-session';

export interface WorkerContext {
  session: TokenSession;
  handles: KeyHandles;
  tokenLabel: string;
}

/** A byte array that arrived by structured clone (a Uint8Array) as a Buffer over the same memory. */
export function bytes(value: Uint8Array): Buffer {
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}
