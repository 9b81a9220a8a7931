import { chunksOf } from './chunks-of';
import { ndjsonLines, type NdjsonLine } from './ndjson-lines';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of source) values.push(value);
  return values;
}

async function* parts(...values: string[]): AsyncGenerator<Buffer> {
  for (const value of values) yield Buffer.from(value);
}

describe('ndjsonLines', () => {
  it('splits lines across and within chunks, skips blank ones and keeps a last line without newline', async () => {
    const lines = await collect(ndjsonLines(parts('{"a":1}\n{"b"', ':2}\r\n\n  \n{"c":', '"ü"}'), 100));
    expect(lines).toEqual([{ text: '{"a":1}' }, { text: '{"b":2}\r' }, { text: '{"c":"ü"}' }]);
  });

  it('reports a line over the limit once, skips it to its newline and goes on', async () => {
    const lines = await collect(ndjsonLines(parts('12345', '6789', '0123\nok\n', 'x'.repeat(11)), 10));
    expect(lines).toEqual<NdjsonLine[]>([{ tooLong: true }, { text: 'ok' }, { tooLong: true }]);
  });
});

describe('chunksOf', () => {
  it('cuts full chunks and hands over the rest at the end', async () => {
    async function* numbers() {
      for (let value = 0; value < 7; value++) yield value;
    }
    expect(await collect(chunksOf(numbers(), 3, 10_000))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('hands over a partial chunk when the next value takes longer than the wait', async () => {
    async function* slow() {
      yield 1;
      yield 2;
      await new Promise((resolve) => setTimeout(resolve, 100));
      yield 3;
    }
    expect(await collect(chunksOf(slow(), 10, 20))).toEqual([[1, 2], [3]]);
  });
});
