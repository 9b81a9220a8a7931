import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv, parseNdjson, readBatchFile } from './batch-file';
import { splitCsvLine } from './csv-line';

const BASE64 = 'MIIB'.repeat(30);

describe('batch file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smpki-batch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads CSV rows with optional columns, numbering the lines of the file', () => {
    const csv = `meterId,request,type,calibrationDate,replacement\r\n\r\n1EMH0012345678,${BASE64},gas,2026-11-21,true\n1EMH0012345679,${BASE64},,,\n`;
    expect(parseCsv(csv, join(dir, 'b.csv'))).toEqual([
      { line: 3, item: { meterId: '1EMH0012345678', request: BASE64, type: 'gas', calibrationDate: '2026-11-21', replacement: true } },
      { line: 4, item: { meterId: '1EMH0012345679', request: BASE64 } },
    ]);
  });

  it('reads a CSR file named in the request column: PEM as text, DER as base64, relative to the batch file', () => {
    writeFileSync(join(dir, 'a.csr'), '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
    writeFileSync(join(dir, 'b.der'), Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]));
    const file = join(dir, 'batch.csv');
    writeFileSync(file, 'meterId,request\n1EMH0000000001,a.csr\n1EMH0000000002,b.der\n');
    const [pem, der] = readBatchFile(file);
    expect(pem!.item.request).toBe('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----');
    expect(der!.item.request).toBe('MAMCAQE=');
  });

  it('reads NDJSON items, chosen by the file extension', () => {
    const file = join(dir, 'batch.ndjson');
    writeFileSync(file, `${JSON.stringify({ meterId: '1EMH0012345678', request: BASE64, model: 'eHZ-B', replacement: false })}\n\n`);
    expect(readBatchFile(file)).toEqual([{ line: 1, item: { meterId: '1EMH0012345678', request: BASE64, model: 'eHZ-B', replacement: false } }]);
  });

  it.each([
    ['an unknown column', 'meterId,request,colour\n', /unknown column\(s\) colour/],
    ['a missing request column', 'meterId,type\n', /needs a "request" column/],
    ['a row with too many fields', `meterId,request\n1EMH0012345678,${BASE64},x\n`, /b\.csv:2: 3 fields, the header has 2/],
    ['a meter id that is not a file name', `meterId,request\n../../etc/passwd,${BASE64}\n`, /b\.csv:2: meterId must be/],
    ['a request that is no file', 'meterId,request\n1EMH0012345678,missing.csr\n', /b\.csv:2: request "missing.csr" is neither/],
    ['a replacement that is not a boolean', `meterId,request,replacement\n1EMH0012345678,${BASE64},yes\n`, /replacement must be true or false/],
  ])('refuses %s, naming the line', (_name, csv, message) => {
    expect(() => parseCsv(csv, join(dir, 'b.csv'))).toThrow(message);
  });

  it('refuses an NDJSON line that is not an object', () => {
    expect(() => parseNdjson(`${JSON.stringify({ meterId: '1EMH0012345678', request: BASE64 })}\n[1]\n`, 'b.ndjson')).toThrow('b.ndjson:2: not a JSON object');
  });

  it('splits quoted CSV fields', () => {
    expect(splitCsvLine('a,"b,c","d ""e""",')).toEqual(['a', 'b,c', 'd "e"', '']);
  });
});
