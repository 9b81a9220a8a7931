/**
 * Groups the values of an async source into chunks of at most `size`, and hands over a smaller chunk when
 * `waitMs` have passed since its first value without it filling up: a fast upload goes in full chunks, a slow
 * one (a production line sending meters as they are calibrated) is answered within `waitMs`. The source is pulled
 * one value ahead at most, so its backpressure holds.
 */
export async function* chunksOf<T>(source: AsyncIterable<T>, size: number, waitMs: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let chunk: T[] = [];
  let deadline = 0;
  let pending: Promise<IteratorResult<T>> | undefined;
  for (;;) {
    if (!pending) {
      pending = iterator.next();
      // Awaited later; this only keeps a rejection during a yield from counting as unhandled.
      pending.catch(() => undefined);
    }
    const next = chunk.length === 0 ? await pending : await within(pending, deadline - Date.now());
    if (next === TIMED_OUT) {
      yield chunk;
      chunk = [];
      continue;
    }
    pending = undefined;
    if (next.done) break;
    if (chunk.length === 0) deadline = Date.now() + waitMs;
    chunk.push(next.value);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

const TIMED_OUT = Symbol('timed out');

async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  if (ms <= 0) return TIMED_OUT;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
