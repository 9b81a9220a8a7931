import { dirname, join, resolve } from 'node:path';

export const REPOSITORY_ROOT = resolve(__dirname, '../../..');

/** Set by jest or by a developer's shell; a user who runs `npm start` has none of them. */
const NOT_INHERITED = new Set(['NODE_OPTIONS', 'NODE_ENV', 'SOFTHSM2_CONF']);

/**
 * The environment of a user's terminal: the parent's, without any SMPKI_* setting (a developer's shell must not
 * change what the test sees) and without what jest adds, with Node 24 first on PATH, plus `settings`.
 */
export function userEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('SMPKI_') && !NOT_INHERITED.has(name));
  const path = [dirname(process.execPath), join(REPOSITORY_ROOT, '.tools/node/bin'), process.env.PATH ?? '/usr/bin:/bin'].join(':');
  return { ...Object.fromEntries(inherited), PATH: path, ...settings };
}
