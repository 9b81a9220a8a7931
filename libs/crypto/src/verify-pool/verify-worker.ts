/**
 * Worker thread of the signature verifier pool: verifies batches of ECDSA signatures with node:crypto.
 * Written in erasable TypeScript with node: imports only, so that it also runs from the sources (see verify-worker-loader).
 */
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { VerifyBatch, VerifyBatchResult, VerifyJob } from './verify-protocol';

function verifies(job: VerifyJob): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(job.spki.buffer, job.spki.byteOffset, job.spki.byteLength), format: 'der', type: 'spki' });
    return verify(job.hash, job.data, { key, dsaEncoding: 'der' }, job.signature);
  } catch {
    // Not a key or not a signature: it does not verify.
    return false;
  }
}

parentPort!.on('message', (batch: VerifyBatch) => {
  const result: VerifyBatchResult = { id: batch.id, valid: batch.jobs.map(verifies) };
  parentPort!.postMessage(result);
});
