/**
 * POST /v1/meters/stream: an NDJSON body of meter items answered with one NDJSON result line per item, in order.
 * Lines are grouped into chunks (STREAM_CHUNK_ITEMS, or what arrived within STREAM_CHUNK_WAIT_MS) and every chunk
 * goes through the batch's registration path (MeterRegistrationService.registerStreamChunk): same rules, same
 * idempotency, same audit; one memory of meter ids per stream refuses a repeat across chunks. A chunk's results are
 * written (and flushed) before the next chunk is read, so the server holds one chunk and its answer at most.
 * Each item commits on its own (meter row with its certificate), so a client gone mid-stream leaves committed
 * items committed and nothing half written; sending the stream again answers them `existing`.
 */
import { Injectable, Logger } from '@nestjs/common';
import { CaRegistry } from '@smpki/ca';
import { ProblemException } from '@smpki/platform';
import {
  DEFAULT_METER_CERTIFICATE_OPTIONS,
  meterNotStored,
  MeterRegistrationService,
  type IndexedMeterItem,
  type MeterItemResult,
  type RegistrationCaller,
  type StreamMeterIds,
} from '@smpki/registry';
import { chunksOf } from './chunks-of';
import { meterItemView, type MeterItemView } from './meter.views';
import { parseStreamLine, type ParsedStreamLine } from './meter-stream-line';
import { ndjsonLines } from './ndjson-lines';

/** Items per chunk: a quarter of a batch keeps the answer flowing while the issuer still signs in groups. */
export const STREAM_CHUNK_ITEMS = 500;
/** A chunk that has not filled up within this time goes as it is (a slow production line gets its answers). */
export const STREAM_CHUNK_WAIT_MS = 200;
/** The longest line: the largest item the DTO admits (a 64 KiB request plus its other fields) fits. */
export const MAX_STREAM_LINE_BYTES = 128 * 1024;

export interface StreamSummary {
  issued: number;
  existing: number;
  refused: number;
  failed: number;
}

/** Where the result lines go; `write` resolves once the text may be written again (backpressure). */
export interface StreamAnswer {
  write(text: string): Promise<void>;
}

@Injectable()
export class MeterStreamRegistration {
  private readonly logger = new Logger(MeterStreamRegistration.name);

  constructor(
    private readonly registration: MeterRegistrationService,
    private readonly registry: CaRegistry,
  ) {}

  /** Reads `body` to its end, writing each chunk's result lines, then the summary line (with the chain). */
  async run(caller: RegistrationCaller, body: AsyncIterable<Buffer | string>, answer: StreamAnswer): Promise<StreamSummary> {
    const summary: StreamSummary = { issued: 0, existing: 0, refused: 0, failed: 0 };
    const seen: StreamMeterIds = new Map();
    let next = 0;
    for await (const lines of chunksOf(ndjsonLines(body, MAX_STREAM_LINE_BYTES), STREAM_CHUNK_ITEMS, STREAM_CHUNK_WAIT_MS)) {
      const parsed = await Promise.all(lines.map((line) => parseStreamLine(line, MAX_STREAM_LINE_BYTES)));
      const views = await this.registerChunk(caller, parsed, next, seen);
      next += lines.length;
      for (const view of views) summary[view.status]++;
      await answer.write(views.map((view) => `${JSON.stringify(view)}\n`).join(''));
    }
    const chain = this.registry.get(DEFAULT_METER_CERTIFICATE_OPTIONS.ca).chainPem();
    await answer.write(`${JSON.stringify({ summary, chain })}\n`);
    return summary;
  }

  /** The result views of one chunk whose first line is item `first` of the stream, in line order. */
  private async registerChunk(caller: RegistrationCaller, parsed: readonly ParsedStreamLine[], first: number, seen: StreamMeterIds): Promise<MeterItemView[]> {
    const items: IndexedMeterItem[] = [];
    parsed.forEach((line, offset) => 'item' in line && items.push({ index: first + offset, item: line.item }));
    const registered = new Map<number, MeterItemResult>();
    const results = await this.registration.registerStreamChunk(caller, items, seen).catch((error: unknown) => this.notStored(items, error));
    results.forEach((result, position) => registered.set(items[position]!.index, result));
    return parsed.map((line, offset) => {
      const index = first + offset;
      const result: MeterItemResult = 'item' in line ? registered.get(index)! : { status: 'refused', meterId: line.meterId, problem: line.problem };
      return meterItemView(result, index);
    });
  }

  /**
   * A chunk the registry could not take at all (database or HSM gone): each of its items gets the problem, as
   * `failed` (send it again) unless the problem is the item's fault; the stream goes on.
   */
  private notStored(items: readonly IndexedMeterItem[], error: unknown): MeterItemResult[] {
    const problem = error instanceof ProblemException ? error : meterNotStored(error);
    this.logger.error(`stream chunk of ${items.length} items not registered: ${(error as Error)?.message ?? String(error)}`);
    const status = problem.getStatus() < 500 ? 'refused' : 'failed';
    return items.map(({ item }) => ({ status, meterId: item.meterId, problem }));
  }
}
