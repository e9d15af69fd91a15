import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFile, type CsvRow } from '../../src/sources/csv.js';

async function allRows(path: string) {
  const csv = await CsvFile.open(path);
  const rows: { line: number; fields: string[] }[] = [];
  for await (const b of csv.batches()) rows.push(...b);
  return { rows, csv };
}

describe('streaming CSV', () => {
  it('keeps multi-byte characters cut by a chunk boundary, after ASCII-only chunks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-csv-'));
    const lines = ['id,name,amount'];
    // ~600 KB of ASCII, then rows whose 2- and 3-byte characters fall on every offset
    for (let i = 0; i < 20_000; i++) lines.push(`${i},plain row number ${i},1.00`);
    for (let i = 0; i < 30_000; i++) lines.push(`${i},Müller – 招商 ${'x'.repeat(i % 7)},2.00`);
    const path = join(dir, 'big.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { rows, csv } = await allRows(path);
    expect(rows).toHaveLength(50_001);
    expect(rows[rows.length - 1]!.line).toBe(50_001);
    for (const r of rows.slice(20_001)) expect(r.fields[1]!.startsWith('Müller – 招商 ')).toBe(true);
    expect(csv.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('cuts out only the columns asked for, keeps every row full width, handles CRLF', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-csv-'));
    const path = join(dir, 'p.csv');
    writeFileSync(path, 'a,b,c,d\r\n1,2,3,4\r\n\r\n5,,7,8\r\n9,10\r\n');
    const csv = await CsvFile.open(path);
    const rows: { line: number; fields: string[] }[] = [];
    for await (const b of csv.batches({ columns: [0, 2] })) rows.push(...b);
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', '', 'c', '']],
      [2, ['1', '', '3', '']],
      [4, ['5', '', '7', '']],
      [5, ['9', '']], // a short row stays short, so the reader can report it
    ]);
  });

  it('parses quoted fields with delimiters and newlines, and counts physical lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-csv-'));
    const path = join(dir, 'q.csv');
    writeFileSync(path, 'a,b\r\n1,"x, y"\r\n2,"line one\nline two"\r\n\r\n3,z\r\n');
    const { rows } = await allRows(path);
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', 'x, y']],
      [3, ['2', 'line one\nline two']],
      [6, ['3', 'z']],
    ]);
  });
});

function tmpFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spendrecon-csv-')), name);
  writeFileSync(path, content);
  return path;
}

async function rowsOf(content: string | Buffer, opts: { width?: number; columns?: number[] } = {}, quote?: string) {
  const csv = await CsvFile.open(tmpFile('f.csv', content), quote ? { quote } : {});
  const rows: CsvRow[] = [];
  for await (const b of csv.batches(opts)) rows.push(...b);
  return { rows, csv };
}

describe("another quote character (ASN Bank's ')", () => {
  const text = "d,amount,memo\n1,2.00,'Etentje, bedankt'\n2,3.00,'it''s \"plain\"'\n3,4.00,'two\nlines'\n";
  it("reads ' as the quote, doubled '' as itself and \" as data, in the head and the stream alike", async () => {
    const { rows, csv } = await rowsOf(text, { width: 3 }, "'");
    const expected = [
      [1, ['d', 'amount', 'memo']],
      [2, ['1', '2.00', 'Etentje, bedankt']],
      [3, ['2', '3.00', 'it\'s "plain"']],
      [4, ['3', '4.00', 'two\nlines']],
    ];
    expect(rows.map((r) => [r.line, r.fields, r.fault])).toEqual(expected.map((e) => [...e, undefined]));
    expect(csv.head.map((r) => [r.line, r.fields])).toEqual(expected);
  });

  it("the default quote leaves ' as data, so the comma splits the cell", async () => {
    const { rows } = await rowsOf(text);
    expect(rows[1]!.fields).toEqual(['1', '2.00', "'Etentje", " bedankt'"]);
  });

  it('an unclosed \' is an unbalanced quote, as " would be', async () => {
    const { rows } = await rowsOf("d,amount,memo\n1,2.00,'open\n2,3.00,x\n", { width: 3 }, "'");
    expect(rows.map((r) => [r.line, r.fault?.kind ?? 'row'])).toEqual([
      [1, 'row'],
      [2, 'quote'],
      [3, 'swallowed'],
    ]);
  });
});

describe('line ends', () => {
  it.each([
    ['LF first, then CRLF', 'a,b\n1,2\r\n3,4\n5,6\r\n'],
    ['CRLF first, then LF', 'a,b\r\n1,2\n3,4\r\n5,6\n'],
    ['mixed, with quoted cells', 'a,b\r\n"1",2\n3,"4"\r\n"5","6"\n'],
  ])('%s: every row read, no stray \\r', async (_name, text) => {
    const { rows } = await rowsOf(text);
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
      [3, ['3', '4']],
      [4, ['5', '6']],
    ]);
  });

  it('a lone \\r inside a line is data, not a line end', async () => {
    const { rows } = await rowsOf('a,b\nx\ry,2\r\n"p\rq",3\n');
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x\ry', '2'],
      ['p\rq', '3'],
    ]);
  });
});

describe('unbalanced quotes', () => {
  const header = 'id,amount,memo';
  it('a quote never closed: the row and every line it swallowed are faults, each with its cells', async () => {
    const text = `${header}\n1,2.00,ok\n2,3.00,"broken\n3,4.00,fine\n4,5.00,fine\n`;
    const { rows } = await rowsOf(text, { width: 3 });
    expect(rows.slice(0, 2).every((r) => !r.fault)).toBe(true);
    const faults = rows.filter((r) => r.fault);
    expect(faults.map((r) => [r.line, r.fault!.kind, r.fields[1]])).toEqual([
      [3, 'quote', '3.00'],
      [4, 'swallowed', '4.00'],
      [5, 'swallowed', '5.00'],
    ]);
    expect(faults[0]!.fault!.message).toMatch(/begins on line 3 \(field 3\).*not closed before the end of the file/);
    expect(rows).toHaveLength(5);
  });

  it('resynchronises at the line that holds the closing quote', async () => {
    const text = `${header}\n1,2.00,"stray\n2,3.00,plain\n3,"1,234.00",quoted\n4,5.00,after\n`;
    const { rows } = await rowsOf(text, { width: 3 });
    expect(rows.map((r) => [r.line, r.fault?.kind ?? 'row', r.fields])).toEqual([
      [1, 'row', ['id', 'amount', 'memo']],
      [2, 'quote', ['1', '2.00', '"stray']],
      [3, 'swallowed', ['2', '3.00', 'plain']],
      [4, 'row', ['3', '1,234.00', 'quoted']],
      [5, 'row', ['4', '5.00', 'after']],
    ]);
    expect(rows[1]!.fault!.message).toMatch(/reading resumes at line 4/);
  });

  it('a multi-line quoted field that fits the header width is real CSV', async () => {
    const { rows } = await rowsOf(`${header}\n1,2.00,"two\nlines"\n2,3.00,x\n`, { width: 3 });
    expect(rows.map((r) => [r.line, r.fields, r.fault])).toEqual([
      [1, ['id', 'amount', 'memo'], undefined],
      [2, ['1', '2.00', 'two\nlines'], undefined],
      [4, ['2', '3.00', 'x'], undefined],
    ]);
  });

  it('a multi-line quoted field that leaves the row the wrong width is an unbalanced quote', async () => {
    const { rows } = await rowsOf(`${header}\n1,"2.00\n2,3.00",y,z\n3,4.00,z\n`, { width: 3 });
    expect(rows.map((r) => [r.line, r.fault?.kind ?? 'row'])).toEqual([
      [1, 'row'],
      [2, 'quote'],
      [3, 'row'], // resumes at the closing quote's line, read as a row of its own
      [4, 'row'],
    ]);
    expect(rows[1]!.fault!.message).toMatch(/4 fields wide where the header has 3/);
  });

  it('a quote closed and followed by text on the same line rejects that line only', async () => {
    const { rows } = await rowsOf(`${header}\n1,"2.00"x,m\n2,3.00,n\n`, { width: 3 });
    expect(rows.map((r) => [r.line, r.fault?.kind ?? 'row'])).toEqual([
      [1, 'row'],
      [2, 'quote'],
      [3, 'row'],
    ]);
  });

  it('a quote left open over more than the line bound is cut there and reading goes on', async () => {
    const filler = Array.from({ length: 30_000 }, (_, i) => `${i},1.00,row number ${i} with some text`).join('\n');
    const { rows } = await rowsOf(`${header}\n0,9.99,"open\n${filler}\n`, { width: 3 });
    const faults = rows.filter((r) => r.fault);
    expect(faults[0]!.fault!.kind).toBe('quote');
    expect(faults.length).toBeGreaterThan(1000);
    expect(rows.filter((r) => !r.fault).length).toBeGreaterThan(1000); // lines after the bound are rows again
    expect(rows.length).toBe(30_002);
  });
});

describe('a line with no end', () => {
  it('is one fault naming its line; the rest is not read but the file is hashed whole', async () => {
    const huge = `a,b\n1,2\n${'x,'.repeat(2 * 1024 * 1024)}\n3,4\n`;
    const { rows, csv } = await rowsOf(huge);
    expect(rows.map((r) => [r.line, r.fault?.kind ?? 'row'])).toEqual([
      [1, 'row'],
      [2, 'row'],
      [3, 'too-long'],
    ]);
    expect(rows[2]!.fault!.message).toMatch(/line 3 is longer than 1 MiB .*the rest of the file is not read/);
    expect(csv.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(csv.bytesRead).toBe(Buffer.byteLength(huge));
  });

  it('with quotes in it, too', async () => {
    const { rows } = await rowsOf(`a,b\n${'"x",'.repeat(600_000)}`);
    expect(rows.map((r) => r.fault?.kind ?? 'row')).toEqual(['row', 'too-long']);
  });
});

describe('control characters', () => {
  it('in header names and cells do not break rows or columns', async () => {
    const nasty = ['\u001b[31mred\u001b[0m', 'nul\u0000byte', 'bell\u0007', 'del\u007f', 'nel\u0085', 'ls\u2028ps\u2029', 'vt\u000bff\u000c', 'osc\u001b]0;title\u0007'];
    const text = `id,${nasty.join(',')}\n1,${nasty.join(',')}\n2,${nasty.map((n) => `"${n}"`).join(',')}\r\n`;
    const { rows } = await rowsOf(text, { width: nasty.length + 1 });
    expect(rows.map((r) => [r.line, r.fields.length, r.fault])).toEqual([
      [1, nasty.length + 1, undefined],
      [2, nasty.length + 1, undefined],
      [3, nasty.length + 1, undefined],
    ]);
    expect(rows[2]!.fields.slice(1)).toEqual(nasty);
  });
});

describe('byte-order marks that contradict the content', () => {
  it('a UTF-8 BOM before GB18030 text: read as GB18030, with a warning', async () => {
    const gbk = Buffer.from(new Uint8Array([0xbd, 0xbb, 0xd2, 0xd7, 0xc8, 0xd5, 0xc6, 0xda])); // 交易日期
    const body = Buffer.concat([gbk, Buffer.from(',amount\n2026-10-01,1.00\n')]);
    const { rows, csv } = await rowsOf(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]));
    expect(csv.encoding.encoding).toBe('gb18030');
    expect(csv.encoding.warning).toMatch(/UTF-8 byte-order mark.*read as gb18030/);
    expect(rows[0]!.fields).toEqual(['交易日期', 'amount']);
  });

  it('a UTF-16 BOM before 8-bit text: read as that text, with a warning', async () => {
    const { rows, csv } = await rowsOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Date,Amount\n2026-10-01,1.00\n', 'latin1')]));
    expect(csv.encoding.encoding).toBe('utf-8');
    expect(csv.encoding.warning).toMatch(/UTF-16 LE byte-order mark/);
    expect(rows.map((r) => r.fields)).toEqual([
      ['Date', 'Amount'],
      ['2026-10-01', '1.00'],
    ]);
  });

  it('a BOM that agrees with the content gives no warning', async () => {
    const { csv } = await rowsOf(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Date,Amount\n', 'utf16le')]));
    expect(csv.encoding.encoding).toBe('utf-16le');
    expect(csv.encoding.warning).toBeUndefined();
  });
});
