/** Publication lag: what the directory does not show yet (docs/DIRECTORY.md, `GET /v1/publication/status`). */
import { IsNull, type DataSource } from 'typeorm';
import { PublicationOutbox } from '../entities';

export interface PublicationStatus {
  /** Outbox rows not yet acknowledged by the directory. */
  pending: number;
  /** Age of the oldest of them; 0 when nothing is pending. */
  oldestPendingAgeSeconds: number;
  /** Why the last attempt failed, while the publisher is failing. */
  lastError?: string;
}

export async function outboxLag(dataSource: DataSource, now: Date = new Date()): Promise<PublicationStatus> {
  const repository = dataSource.getRepository(PublicationOutbox);
  const pending = await repository.count({ where: { publishedAt: IsNull() } });
  if (pending === 0) return { pending, oldestPendingAgeSeconds: 0 };
  const [oldest] = await repository.find({ where: { publishedAt: IsNull() }, order: { createdAt: 'ASC' }, take: 1 });
  const ageMs = oldest ? now.getTime() - oldest.createdAt.getTime() : 0;
  return { pending, oldestPendingAgeSeconds: Math.max(0, Math.floor(ageMs / 1000)) };
}
