/**
 * An unambiguous byte encoding for hashing and signing: a domain tag, then each field as a 4-byte big-endian
 * length and its bytes (strings as UTF-8). An optional field is one byte, 0 when absent or 1 followed by the
 * field, so null and "" differ. No two different field lists encode to the same bytes.
 */
export class LengthPrefixedEncoder {
  private readonly parts: Buffer[] = [];

  constructor(domainTag: string) {
    this.text(domainTag);
  }

  bytes(value: Uint8Array): this {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(value.length);
    this.parts.push(length, Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    return this;
  }

  text(value: string): this {
    return this.bytes(Buffer.from(value, 'utf8'));
  }

  optionalText(value: string | null): this {
    if (value === null) {
      this.parts.push(Buffer.of(0));
      return this;
    }
    this.parts.push(Buffer.of(1));
    return this.text(value);
  }

  encode(): Buffer {
    return Buffer.concat(this.parts);
  }
}
