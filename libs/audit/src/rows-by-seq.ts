import { type EntityManager, type EntityTarget, type FindOptionsOrder, type FindOptionsWhere, MoreThan } from 'typeorm';

/** Reads a table in seq order, a page at a time, so verification memory stays flat however long the log is. */
export async function* rowsBySeq<T extends { seq: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  pageSize: number,
): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const page = await manager.find(entity, {
      where: { seq: MoreThan(after) } as FindOptionsWhere<T>,
      order: { seq: 'ASC' } as FindOptionsOrder<T>,
      take: pageSize,
    });
    yield* page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].seq;
  }
}

/** An async iterator whose next value can be looked at without taking it. */
export class Lookahead<T> {
  private buffered?: IteratorResult<T>;

  constructor(private readonly iterator: AsyncIterator<T>) {}

  async peek(): Promise<T | undefined> {
    this.buffered ??= await this.iterator.next();
    return this.buffered.done ? undefined : this.buffered.value;
  }

  async take(): Promise<T | undefined> {
    const value = await this.peek();
    this.buffered = undefined;
    return value;
  }
}
