/**
 * Starts a worker thread on worker/worker-entry. Compiled (dist/), the entry is a .js file next to this one.
 * From the TypeScript sources (jest, ts-aware runners) it is a .ts file: the worker then loads it with Node's own
 * type stripping, resolving the extension-less relative imports of our sources to .ts files. The worker modules
 * are written in erasable TypeScript (no enums, namespaces or parameter properties; `import type` for types) so
 * that this works.
 */
import { extname, join } from 'node:path';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import type { WorkerSetup } from './worker-protocol';

const TYPESCRIPT_BOOTSTRAP = `
const { registerHooks } = require('node:module');
const { workerData } = require('node:worker_threads');
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      const relative = specifier.startsWith('./') || specifier.startsWith('../');
      if (!relative || (error.code !== 'ERR_MODULE_NOT_FOUND' && error.code !== 'MODULE_NOT_FOUND')) throw error;
      return next(specifier + '.ts', context);
    }
  },
  // Our sources are ES modules in TypeScript: saying so spares Node the CommonJS attempt (and its warning).
  load(url, context, next) {
    return next(url, url.endsWith('.ts') && !url.includes('/node_modules/') ? { ...context, format: 'module-typescript' } : context);
  },
});
require(workerData.entry);
`;

export function startWorkerThread(setup: WorkerSetup): Worker {
  const extension = extname(__filename);
  const entry = join(__dirname, 'worker', `worker-entry${extension}`);
  // The real process environment, so that what a worker sets for the module (moduleEnvironment) reaches getenv().
  if (extension !== '.ts') return new Worker(entry, { workerData: setup, env: SHARE_ENV });
  return new Worker(TYPESCRIPT_BOOTSTRAP, { eval: true, workerData: { ...setup, entry }, env: SHARE_ENV });
}
