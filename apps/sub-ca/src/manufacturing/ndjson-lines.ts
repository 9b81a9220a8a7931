/**
 * The lines of an NDJSON body as they arrive, never more than one line in memory: pulled one request chunk at a
 * time, so a slow consumer slows the upload (backpressure) instead of buffering it. A line longer than `maxBytes`
 * is not kept: it is reported once as too long and skipped up to its newline, and the stream goes on.
 */

export type NdjsonLine = { text: string } | { tooLong: true };

const NEWLINE = 0x0a;

export async function* ndjsonLines(source: AsyncIterable<Buffer | string>, maxBytes: number): AsyncGenerator<NdjsonLine> {
  let parts: Buffer[] = [];
  let length = 0;
  let skipping = false;
  for await (const data of source) {
    const buffer = typeof data === 'string' ? Buffer.from(data) : data;
    for (let start = 0; start <= buffer.length; ) {
      const newline = buffer.indexOf(NEWLINE, start);
      const end = newline === -1 ? buffer.length : newline;
      if (!skipping && length + end - start > maxBytes) {
        skipping = true;
        parts = [];
        yield { tooLong: true };
      } else if (!skipping) {
        parts.push(buffer.subarray(start, end));
        length += end - start;
      }
      if (newline === -1) break;
      if (!skipping) yield* nonBlank(Buffer.concat(parts, length));
      parts = [];
      length = 0;
      skipping = false;
      start = newline + 1;
    }
  }
  if (!skipping) yield* nonBlank(Buffer.concat(parts, length));
}

/** Blank lines (a trailing newline, an empty line between records) carry no item. */
function* nonBlank(line: Buffer): Generator<NdjsonLine> {
  const text = line.toString('utf8');
  if (text.trim() !== '') yield { text };
}
