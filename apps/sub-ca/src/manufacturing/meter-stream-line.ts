/**
 * One line of POST /v1/meters/stream made a meter item, under the very DTO and validation options of a batch item
 * (createValidationPipe: whitelist, unknown properties refused). A line that is not an item is refused on its own
 * with a rule naming why; the stream goes on.
 */
import { fieldErrorsFrom, ProblemException, type FieldError } from '@smpki/platform';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { MeterItemDto } from './meter-item.dto';
import type { NdjsonLine } from './ndjson-lines';

export type ParsedStreamLine = { item: MeterItemDto } | { meterId: string; problem: ProblemException };

export async function parseStreamLine(line: NdjsonLine, maxBytes: number): Promise<ParsedStreamLine> {
  if ('tooLong' in line) return refused('', 'stream.line-too-long', `a line carries at most ${maxBytes} bytes`);
  let value: unknown;
  try {
    value = JSON.parse(line.text);
  } catch (error) {
    return refused('', 'stream.not-json', `the line is not JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refused('', 'stream.not-an-object', 'the line is not a JSON object (one meter item per line)');
  const meterId = typeof (value as { meterId?: unknown }).meterId === 'string' ? (value as { meterId: string }).meterId : '';
  const item = plainToInstance(MeterItemDto, value);
  const errors = await validate(item, { whitelist: true, forbidNonWhitelisted: true });
  return errors.length === 0 ? { item } : { meterId, problem: ProblemException.validation(fieldErrorsFrom(errors)) };
}

function refused(meterId: string, rule: string, message: string): ParsedStreamLine {
  const error: FieldError = { field: 'line', rule, message };
  return { meterId, problem: ProblemException.validation([error], message) };
}
