/**
 * Test hooks (a call that hangs, parking the workers) exist only under NODE_ENV=test, which jest sets. This is
 * the one place @smpki/hsm reads the environment: the hooks must not be switchable on by configuration.
 */
export function debugHooksEnabled(): boolean {
  return process.env.NODE_ENV === 'test';
}
