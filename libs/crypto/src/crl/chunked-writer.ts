/**
 * Append-only output in fixed-size chunks: each CRL entry is written in place at its exact size, no chunk is ever
 * copied or grown, so memory is the encoding plus at most one partly filled chunk, and time is linear.
 */
export class ChunkedWriter {
  /** The chunk being filled; write into it from {@link offset} after {@link reserve}. */
  buffer: Buffer;
  offset = 0;
  private readonly sealed: Buffer[] = [];
  private sealedBytes = 0;

  constructor(private readonly chunkSize = 1 << 20) {
    this.buffer = Buffer.allocUnsafeSlow(chunkSize);
  }

  /** Makes room for `length` contiguous bytes at `buffer[offset]`. */
  reserve(length: number): void {
    if (this.offset + length <= this.buffer.length) return;
    this.seal();
    this.buffer = Buffer.allocUnsafeSlow(Math.max(this.chunkSize, length));
    this.offset = 0;
  }

  /** Appends bytes. */
  write(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.offset);
    this.offset += bytes.length;
  }

  get length(): number {
    return this.sealedBytes + this.offset;
  }

  /** The written bytes as views of the chunks, in order. The writer must not be used afterwards. */
  finish(): Buffer[] {
    this.seal();
    return this.sealed;
  }

  private seal(): void {
    if (this.offset === 0) return;
    this.sealed.push(this.buffer.subarray(0, this.offset));
    this.sealedBytes += this.offset;
  }
}
