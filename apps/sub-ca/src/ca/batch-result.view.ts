import type { BatchItemResult } from '@smpki/ca';
import type { ProblemDocument } from '@smpki/platform';
import { certificateView, type CertificateView } from './certificate.view';

/** One item of a batch answer: the certificate (without the chain, which the batch answer carries once) or the problem. */
export type BatchItemView =
  | { index: number; status: 'issued'; certificate: Omit<CertificateView, 'chain'> }
  | { index: number; status: 'refused' | 'failed'; problem: ProblemDocument };

export interface BatchView {
  issued: number;
  refused: number;
  failed: number;
  /** PEM, the issuing CA first: the chain of every issued certificate. */
  chain: string[];
  items: BatchItemView[];
}

export function batchView(results: readonly BatchItemResult[], chain: string[]): BatchView {
  const items = results.map((result, index): BatchItemView => {
    if (result.status !== 'issued') return { index, status: result.status, problem: result.problem };
    const { chain: _chain, ...certificate } = certificateView(result.certificate);
    return { index, status: 'issued', certificate };
  });
  const count = (status: BatchItemView['status']) => items.filter((item) => item.status === status).length;
  return { issued: count('issued'), refused: count('refused'), failed: count('failed'), chain, items };
}
