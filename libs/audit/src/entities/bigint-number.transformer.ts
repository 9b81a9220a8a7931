import type { ValueTransformer } from 'typeorm';

/**
 * Sequence numbers are `bigint` columns (an audit log outlives 2^31 entries) but JavaScript numbers in the API:
 * PostgreSQL returns int8 as a string, SQLite as a number. Exact up to 2^53, far beyond any audit log.
 */
export const BIGINT_AS_NUMBER: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null): number | null => {
    if (value === null || value === undefined) return null;
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new RangeError(`sequence number ${String(value)} is beyond 2^53`);
    return number;
  },
};
