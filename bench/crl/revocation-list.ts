/**
 * The revocation list of the benchmark, the same for both producers: a deterministic function of the entry index
 * and a seed, so smpki can stream it (as from a database cursor, in pages) while openssl reads it from an
 * index.txt written from the same function. Entries ascend by serial, the order `openssl ca` sorts its CRL in,
 * so the two CRLs can be compared entry by entry.
 *
 * Entry i: a 16-byte serial (4 bytes of index, 12 pseudo-random bytes), a revocation date 30 s after the previous
 * one, and in turn no reason, keyCompromise with an invalidity date a day earlier, superseded, cessationOfOperation.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CrlReason, RevokedCertificate } from '@smpki/crypto';

const FIRST_REVOCATION = Date.UTC(2025, 0, 1);
const REASONS: readonly (CrlReason | undefined)[] = [undefined, 'keyCompromise', 'superseded', 'cessationOfOperation'];
const DAY_MS = 86_400_000;

/** xorshift32: a fast deterministic byte source (not for keys, only for test data). */
class Xorshift32 {
  constructor(private state: number) {
    if (state === 0) this.state = 0x9e3779b9;
  }
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }
}

export interface BenchEntry {
  serial: Buffer;
  revocationDate: Date;
  reason?: CrlReason;
  invalidityDate?: Date;
}

/** The entries in order, one object at a time (nothing is kept). */
export function* benchEntries(count: number, seed: number): Generator<BenchEntry> {
  const random = new Xorshift32(seed);
  for (let i = 0; i < count; i++) {
    const serial = Buffer.allocUnsafe(16);
    serial.writeUInt32BE(i + 1, 0);
    serial.writeUInt32BE(random.next(), 4);
    serial.writeUInt32BE(random.next(), 8);
    serial.writeUInt32BE(random.next(), 12);
    const revocationDate = new Date(FIRST_REVOCATION + i * 30_000);
    const reason = REASONS[i % REASONS.length];
    yield { serial, revocationDate, ...(reason && { reason }), ...(reason === 'keyCompromise' && { invalidityDate: new Date(revocationDate.getTime() - DAY_MS) }) };
  }
}

/** The entries as the CA service would stream them: pages of `pageSize`, each after a turn of the event loop. */
export async function* benchEntryPages(count: number, seed: number, pageSize = 10_000): AsyncGenerator<RevokedCertificate[]> {
  let page: RevokedCertificate[] = [];
  for (const entry of benchEntries(count, seed)) {
    page.push({ serialNumber: entry.serial, revocationDate: entry.revocationDate, reason: entry.reason, invalidityDate: entry.invalidityDate });
    if (page.length === pageSize) {
      yield page;
      page = [];
      await new Promise((resolve) => setImmediate(resolve)); // a database round trip would be here
    }
  }
  if (page.length > 0) yield page;
}

const HEX_DIGITS = Buffer.from('0123456789ABCDEF', 'latin1');
const LINE_START = Buffer.from('R\t301231235959Z\t', 'latin1');
const LINE_END = Buffer.from('\tunknown\t/CN=revoked\n', 'latin1');
const BLOCK_BYTES = 4 * 1024 * 1024;

function writeDigits(buffer: Buffer, offset: number, value: number, count: number): number {
  for (let i = count - 1; i >= 0; i--, value = Math.floor(value / 10)) buffer[offset + i] = 0x30 + (value % 10);
  return offset + count;
}

/** YYMMDDHHMMSSZ, or YYYYMMDDHHMMSSZ with `fullYear`. */
function writeTimeText(buffer: Buffer, offset: number, date: Date, fullYear: boolean): number {
  offset = fullYear ? writeDigits(buffer, offset, date.getUTCFullYear(), 4) : writeDigits(buffer, offset, date.getUTCFullYear() % 100, 2);
  for (const part of [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]) offset = writeDigits(buffer, offset, part, 2);
  buffer[offset] = 0x5a; // Z
  return offset + 1;
}

function writeIndexLine(buffer: Buffer, offset: number, entry: BenchEntry): number {
  offset += LINE_START.copy(buffer, offset);
  offset = writeTimeText(buffer, offset, entry.revocationDate, false);
  if (entry.invalidityDate) {
    // openssl ca spells "keyCompromise with an invalidity date" as keyTime,<GeneralizedTime>.
    offset += buffer.write(',keyTime,', offset, 'latin1');
    offset = writeTimeText(buffer, offset, entry.invalidityDate, true);
  } else if (entry.reason) {
    offset += buffer.write(`,${entry.reason}`, offset, 'latin1');
  }
  buffer[offset++] = 0x09;
  for (const byte of entry.serial) {
    buffer[offset++] = HEX_DIGITS[byte >> 4]!;
    buffer[offset++] = HEX_DIGITS[byte & 15]!;
  }
  return offset + LINE_END.copy(buffer, offset);
}

/**
 * Writes the list as an `openssl ca` database (index.txt): `R`, expiry, `revocationDate[,reason]` (keyCompromise
 * with an invalidity date is `keyTime,<GeneralizedTime>` in openssl's spelling), serial, file, subject;
 * tab-separated. Written byte by byte into large blocks, so a million lines take about a second.
 */
export async function writeOpensslIndex(path: string, count: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  let block = Buffer.allocUnsafe(BLOCK_BYTES);
  let offset = 0;
  for (const entry of benchEntries(count, seed)) {
    offset = writeIndexLine(block, offset, entry);
    if (offset > BLOCK_BYTES - 256) {
      if (!out.write(block.subarray(0, offset))) await once(out, 'drain');
      block = Buffer.allocUnsafe(BLOCK_BYTES);
      offset = 0;
    }
  }
  out.end(block.subarray(0, offset));
  await once(out, 'finish');
}
