import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CsvFile } from '../../src/sources/csv.js';

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
