/**
 * Publishes every batch to several targets (the platform directory and an external LDAP server): it resolves
 * only when every target acknowledged, so the outbox marks a row published only then. A target that failed gets
 * the chunk again on the retry, and so do the ones that had succeeded: every target applies entries idempotently.
 */
import { DirectoryUnavailableError, type DirectoryClient } from './directory-client';
import type { DirectoryEntry } from './directory-entry';

export interface NamedDirectoryClient {
  /** Names the target in errors and logs (`directory`, `external-ldap`). */
  name: string;
  client: DirectoryClient;
}

export class FanOutDirectoryClient implements DirectoryClient {
  constructor(private readonly targets: readonly NamedDirectoryClient[]) {
    if (targets.length === 0) throw new Error('FanOutDirectoryClient needs at least one target');
  }

  /** The single target itself when there is only one (nothing to fan out). */
  static of(targets: readonly NamedDirectoryClient[]): DirectoryClient {
    return targets.length === 1 ? targets[0]!.client : new FanOutDirectoryClient(targets);
  }

  async publish(entries: readonly DirectoryEntry[]): Promise<void> {
    // In parallel: one slow target should not add its latency to the others'.
    const results = await Promise.allSettled(this.targets.map((target) => target.client.publish(entries)));
    const failed = results.flatMap((result, index) => (result.status === 'rejected' ? [`${this.targets[index]!.name}: ${(result.reason as Error).message}`] : []));
    if (failed.length > 0) throw new DirectoryUnavailableError(`not acknowledged by every target (${failed.join('; ')})`);
  }
}
