/**
 * Waits for an eventually consistent state (the directory catching up with a CA's outbox) with a deadline instead
 * of a fixed sleep: fast when the publisher is fast, and a failure naming what never happened when it is not.
 */
const POLL_MS = 200;

/**
 * Resolves with the first value `accept` takes; rejects past `timeoutMs` with the last value seen, or at once when
 * `broken` names a reason to stop waiting (e.g. the load that should make progress has failed).
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs: number,
  broken: () => Error | undefined = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const reason = broken();
    if (reason) throw new Error(`${what}: gave up waiting: ${reason.message}`);
    try {
      last = await probe();
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
  const seen = last !== undefined ? JSON.stringify(last) : `nothing (${(lastError as Error | undefined)?.message ?? 'no answer'})`;
  throw new Error(`${what}: not within ${timeoutMs / 1000} s; last seen ${seen.slice(0, 500)}`);
}
