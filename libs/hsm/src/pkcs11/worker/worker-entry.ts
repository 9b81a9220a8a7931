/**
 * A PKCS#11 worker thread: one session, logged in, serving batches of requests from the key manager in order.
 * Calls are synchronous, so a hung module call blocks this thread only; the pool's watchdog replaces it.
 * Results of a batch go back together (fewer messages), except those of operations that change the token,
 * which go back at once so that a replaced worker never leaves a creation unreported.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HsmError, toHsmErrorData } from '../../hsm-error';
import { ControlSlot, MUTATING_OPS, type MainToWorker, type WorkerCall, type WorkerRequest, type WorkerResult, type WorkerSetup, type WorkerToMain } from '../worker-protocol';
import { aesOperation, createAesKey, generateWrappedAesKey, importAesKey, rewrapKey, unwrapKey, wrapKey, wrapKeyUnder } from './aes-operations';
import { deriveAesKeysByCmac } from './cmac-derivation';
import { createEcKeyPair, deriveSharedSecret, getPublicKey, sign } from './ec-operations';
import { unwrapWithKeyAgreement, wrapWithKeyAgreement } from './key-agreement';
import { cbcDecryptKeyBlocks, cbcEncryptKeyBlocks } from './key-blocks';
import { KeyHandles } from './key-handles';
import { destroyKey, findKey, health, listKeys } from './object-operations';
import { probeModule } from './probe';
import { toHsmError } from './pkcs11-failure';
import { TokenSession, type WorkerLog } from './token-session';
import type { WorkerContext } from './worker-context';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const control = new Int32Array(setup.control);

function post(message: WorkerToMain): void {
  port.postMessage(message);
}

const log: WorkerLog = (level, msg, fields) => post({ type: 'log', level, msg, fields });

function run(ctx: WorkerContext, call: WorkerCall, retry: boolean): unknown {
  switch (call.op) {
    case 'createEcKeyPair':
      return createEcKeyPair(ctx, call, retry);
    case 'getPublicKey':
      return getPublicKey(ctx, call);
    case 'sign':
      return sign(ctx, call);
    case 'deriveSharedSecret':
      return deriveSharedSecret(ctx, call);
    case 'createAesKey':
      return createAesKey(ctx, call, retry);
    case 'importAesKey':
      return importAesKey(ctx, call, retry);
    case 'wrapKeyUnder':
      return wrapKeyUnder(ctx, call);
    case 'deriveAesKeysByCmac':
      return deriveAesKeysByCmac(ctx, call);
    case 'unwrapWithKeyAgreement':
      return unwrapWithKeyAgreement(ctx, call);
    case 'wrapWithKeyAgreement':
      return wrapWithKeyAgreement(ctx, call);
    case 'cbcDecryptKeyBlocks':
      return cbcDecryptKeyBlocks(ctx, call);
    case 'cbcEncryptKeyBlocks':
      return cbcEncryptKeyBlocks(ctx, call);
    case 'generateWrappedAesKey':
      return generateWrappedAesKey(ctx, call);
    case 'wrapKey':
      return wrapKey(ctx, call);
    case 'unwrapKey':
      return unwrapKey(ctx, call, retry);
    case 'rewrapKey':
      return rewrapKey(ctx, call);
    case 'aes':
      return aesOperation(ctx, call);
    case 'findKey':
      return findKey(ctx, call);
    case 'listKeys':
      return listKeys(ctx, call);
    case 'destroyKey':
      return destroyKey(ctx, call);
    case 'health':
      return health(ctx);
    case '__debugHang':
      if (!setup.debugHooks) throw new HsmError('invalid-input', 'debug hooks are disabled');
      // Blocks the thread the way a module call that never returns would.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, call.ms);
      return true;
  }
}

function runRequest(ctx: WorkerContext, request: WorkerRequest): WorkerResult {
  try {
    return { id: request.id, ok: true, value: run(ctx, request.call, request.retry) };
  } catch (error) {
    return { id: request.id, ok: false, error: toHsmErrorData(toHsmError(`${request.call.op}`, error)) };
  }
}

/** Test hook: waits here, between two calls, while the pool holds the park flag. */
function parkIfAsked(): void {
  if (Atomics.load(control, ControlSlot.park) === 0) return;
  Atomics.add(control, ControlSlot.parked, 1);
  while (Atomics.load(control, ControlSlot.park) !== 0) Atomics.wait(control, ControlSlot.park, 1, 1000);
  Atomics.sub(control, ControlSlot.parked, 1);
}

function serve(ctx: WorkerContext, requests: WorkerRequest[]): void {
  let results: WorkerResult[] = [];
  for (const request of requests) {
    parkIfAsked();
    results.push(runRequest(ctx, request));
    if (MUTATING_OPS.has(request.call.op)) {
      post({ type: 'results', results });
      results = [];
    }
  }
  if (results.length > 0) post({ type: 'results', results });
}

function start(): void {
  // The module reads these at C_Initialize from the process environment, which this thread shares (SHARE_ENV).
  for (const [name, value] of Object.entries(setup.moduleEnvironment)) process.env[name] = value;
  const session = new TokenSession(setup, control, log);
  const ctx: WorkerContext = { session, handles: new KeyHandles(session, setup.sessionKeyCopies, log), tokenLabel: setup.tokenLabel };
  try {
    session.open();
    post({ type: 'ready', ...(setup.probe && { probe: probeModule(ctx) }) });
  } catch (error) {
    session.close(setup.finalizeOnFailure);
    post({ type: 'fatal', error: toHsmErrorData(toHsmError(`opening token '${setup.tokenLabel}' of ${setup.modulePath}`, error)) });
    return;
  }
  port.on('message', (message: MainToWorker) => {
    switch (message.type) {
      case 'requests':
        serve(ctx, message.requests);
        return;
      case 'invalidate':
        ctx.handles.invalidate(message.labels);
        return;
      case 'park':
        parkIfAsked();
        return;
      case 'close':
        session.close(message.finalize);
        post({ type: 'closed' });
        port.close();
        return;
    }
  });
}

start();
