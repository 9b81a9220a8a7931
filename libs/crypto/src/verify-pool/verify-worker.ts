/**
 * Worker thread of the signature verifier pool: verifies batches of ECDSA signatures with node:crypto.
 * Written in erasable TypeScript with node: imports only, so that it also runs from the sources (see verify-worker-loader).
 */
import { createPublicKey, verify } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { KeyObject } from 'node:crypto';
import type { VerifyBatch, VerifyBatchResult, VerifyJob, VerifyOutcome } from './verify-protocol';

function outcome(job: VerifyJob): VerifyOutcome {
  let key: KeyObject;
  try {
    // Decoding the key also checks that its point is on the curve, so the caller need not build a key itself.
    key = createPublicKey({ key: Buffer.from(job.spki.buffer, job.spki.byteOffset, job.spki.byteLength), format: 'der', type: 'spki' });
  } catch {
    return 'key-invalid';
  }
  try {
    return verify(job.hash, job.data, { key, dsaEncoding: 'der' }, job.signature) ? 'valid' : 'signature-invalid';
  } catch {
    return 'signature-invalid'; // not even a DER signature
  }
}

parentPort!.on('message', (batch: VerifyBatch) => {
  const result: VerifyBatchResult = { id: batch.id, outcomes: batch.jobs.map(outcome) };
  parentPort!.postMessage(result);
});
