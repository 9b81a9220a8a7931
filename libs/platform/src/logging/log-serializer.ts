import { isSensitiveKey, REDACTED_VALUE } from './sensitive-keys';

export interface SerializedError {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  cause?: unknown;
}

export function serializeError(error: Error): SerializedError {
  const code = (error as { code?: unknown }).code;
  return {
    type: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined ? { cause: error.cause } : {}),
  };
}

/**
 * JSON.stringify replacer for log records: redacts sensitive keys at any depth, prints key material and other bytes
 * only as their length (a Buffer would otherwise print every byte), expands errors, and survives cycles and bigints.
 */
function createReplacer(): (this: unknown, key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return function replace(this: unknown, key: string, value: unknown): unknown {
    if (key !== '' && isSensitiveKey(key)) return value === undefined ? undefined : REDACTED_VALUE;
    // JSON.stringify has already called toJSON (Buffer -> {type,data}); the holder still has the original value.
    const original = (this as Record<string, unknown>)[key];
    if (original instanceof Uint8Array || original instanceof ArrayBuffer) return `[${original.byteLength} bytes]`;
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return serializeError(value);
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}

/** One log record as one line of JSON, newline included. */
export function serializeLogRecord(record: Record<string, unknown>): string {
  return `${JSON.stringify(record, createReplacer())}\n`;
}
