/**
 * The workbook's final pass (sanitise.ts) and the cell helpers: what Excel would refuse never
 * reaches the file, and a non-finite number stops the run with a message naming where it was.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { CellValueError } from '../../src/report/cells.js';
import { sanitiseSheetName, uniqueSheetNames } from '../../src/report/reimbursement/index.js';
import { formulaTooLong, sanitiseWorkbook } from '../../src/report/sanitise.js';
import { writeTable } from '../../src/report/table.js';
import { workbookBytes } from '../../src/report/workbook.js';

const KEY = 'sk-proj-Q7fLm2ZxR9tB4wKc8VnH3pYs6JdA1gUe5oTi0';
const SECRET = KEY.slice(15, 27);

async function sheetXml(buf: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(buf);
  const parts = await Promise.all(
    Object.values(zip.files)
      .filter((f) => !f.dir)
      .map((f) => f.async('string')),
  );
  return parts.join('\n');
}

describe('the final pass over a workbook', () => {
  it('redacts every kind of text: cells, rich text, formulas, hyperlinks, notes, headers/footers, sheet names', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet(`x ${KEY.slice(0, 28)}`);
    ws.getCell('A1').value = `plain ${KEY}`;
    ws.getCell('A2').value = { richText: [{ text: 'run ' }, { text: KEY, font: { bold: true } }] };
    ws.getCell('A3').value = { formula: `IF(1,"${KEY}","")`, result: `${KEY}` };
    ws.getCell('A4').value = { text: KEY, hyperlink: `https://example.com/?k=${KEY}` };
    ws.getCell('A5').value = 'noted';
    ws.getCell('A5').note = `note ${KEY}`;
    ws.headerFooter.oddHeader = `&L${KEY}`;
    const xml = await sheetXml(await workbookBytes(wb));
    expect(xml).not.toContain(SECRET);
    expect(xml).not.toContain(KEY.slice(8, 28));
    expect(xml).toContain('sk-proj-…oTi0');
  });

  it('shows control characters instead of writing them, and cuts a cell to 32,767 characters', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = 'a\u001b[31mred\u0007';
    ws.getCell('A2').value = 'y'.repeat(40000);
    sanitiseWorkbook(wb);
    expect(ws.getCell('A1').value).toBe('a\u241b[31mred\u2407');
    const long = ws.getCell('A2').value as string;
    expect(long.length).toBe(32767);
    expect(long).toMatch(/… \[cut: 40,000 characters; the full text is in --json\]$/);
  });

  it('turns a formula Excel would refuse into its cached value, keeps the others', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = { formula: `SUMPRODUCT((B1:B9="${'p'.repeat(300)}")*1,C1:C9)`, result: 12.5 };
    ws.getCell('A2').value = { formula: Array.from({ length: 2000 }, (_, i) => `C${i + 1}`).join('+'), result: 7 };
    ws.getCell('A3').value = { formula: 'B1-B2', result: 0 };
    sanitiseWorkbook(wb);
    expect(ws.getCell('A1').value).toBe(12.5);
    expect(ws.getCell('A2').value).toBe(7);
    expect(ws.getCell('A3').formula).toBe('B1-B2');
    expect(ws.getCell('A3').result).toBe(0);
    expect(formulaTooLong(`"${'a'.repeat(255)}"`)).toBe(false);
    expect(formulaTooLong(`"${'a'.repeat(256)}"`)).toBe(true);
    expect(formulaTooLong(`"${'""'.repeat(200)}"`)).toBe(false); // 200 quote characters
  });

  it('caps a row taller than Excel allows', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = 'tall';
    ws.getRow(1).height = 15 * 2000;
    sanitiseWorkbook(wb);
    expect(ws.getRow(1).height).toBe(409);
  });

  it('stops on a non-finite number, naming the sheet and cell, and writes nothing', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Ledger').getCell('C5').value = Number.POSITIVE_INFINITY;
    await expect(workbookBytes(wb)).rejects.toThrow(CellValueError);
    await expect(workbookBytes(wb)).rejects.toThrow(/sheet "Ledger", column C \(cell C5\)/);
    const wb2 = new ExcelJS.Workbook();
    wb2.addWorksheet('S').getCell('B2').value = { formula: 'A1', result: Number.NaN };
    expect(() => sanitiseWorkbook(wb2)).toThrow(/sheet "S".*NaN/);
  });
});

describe('cell helpers', () => {
  it('writeTable refuses Infinity and NaN, naming the sheet and the column', () => {
    const ws = new ExcelJS.Workbook().addWorksheet('By model');
    const cols = [
      { header: 'Model', type: 'text' as const, value: (r: { m: string; n: number }) => r.m },
      { header: 'Input tokens', type: 'integer' as const, value: (r: { m: string; n: number }) => r.n },
    ];
    expect(() =>
      writeTable(
        ws,
        cols,
        [
          { m: 'a', n: 1 },
          { m: 'b', n: Number.POSITIVE_INFINITY },
        ],
        { currency: 'USD' },
      ),
    ).toThrow(/sheet "By model", column "Input tokens", row 3/);
    expect(() => writeTable(ws, cols, [{ m: 'a', n: Number.NaN }], { currency: 'USD' })).toThrow(CellValueError);
  });

  it('a number is never cut by its column cap (it would show as ###); text still is', () => {
    // the Inputs sheet of a 1M-row run: a 254 MB file's bytes and a bold total under 9-wide caps
    const ws = new ExcelJS.Workbook().addWorksheet('Inputs');
    type R = { f: string; b: number };
    const cols = [
      { header: 'File', type: 'text' as const, value: (r: R) => r.f, maxWidth: 10 },
      { header: 'Bytes', type: 'integer' as const, value: (r: R) => r.b, maxWidth: 9, sum: true },
      { header: 'Small', type: 'integer' as const, value: () => 12, maxWidth: 9 },
    ];
    writeTable(ws, cols, [{ f: 'bench/data/1m/completions_usage.csv', b: 254_484_647 }], { currency: 'USD' });
    expect(ws.getColumn(1).width).toBe(10);
    // "254,484,647" in bold: 11 digits and separators, wider than the cap
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(13);
    expect(ws.getColumn(3).width).toBeLessThanOrEqual(9);
  });
});

describe('sheet names from the config', () => {
  it('are legal, redacted before they are cut, and unique after cutting', () => {
    expect(sanitiseSheetName('CC-1 [EU]: a/b\\c*d?e')).toBe('CC-1 -EU-- a-b-c-d-e');
    const long = 'Cost centre with a very long name indeed';
    const names = uniqueSheetNames([long, `${long} two`, 'summary', KEY, `${KEY} ops`]);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(31);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names[1]).toMatch(/ \(2\)$/);
    expect(names[2]).toBe('summary (2)');
    expect(names.join(' ')).not.toContain(KEY.slice(8, 20));
    expect(names[3]).toBe('sk-proj-…oTi0');
    expect(names[4]).toBe('sk-proj-…oTi0 ops');
  });
});

describe('the openpyxl checker', () => {
  it('fails on a workbook that skipped the final pass (so its passes mean something)', async (ctx) => {
    if (spawnSync('/usr/bin/python3', ['-c', 'import openpyxl'], { encoding: 'utf8' }).status !== 0) {
      console.log('skipped: /usr/bin/python3 cannot import openpyxl (apt-get install -y python3-openpyxl)');
      ctx.skip();
    }
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = 'z'.repeat(40000);
    ws.getCell('A2').value = { formula: `IF(1,"${'q'.repeat(300)}","")`, result: '' };
    const path = join(mkdtempSync(join(tmpdir(), 'spendrecon-raw-')), 'raw.xlsx');
    writeFileSync(path, Buffer.from(await wb.xlsx.writeBuffer())); // exceljs directly: no final pass
    const r = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'openpyxl_load.py'), path], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/S!A1: 40000 characters/);
    expect(r.stdout).toMatch(/S!A2: text literal/);
  });
});
