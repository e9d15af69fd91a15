/**
 * The .xlsx sheet grid (src/sources/xlsx-grid.ts, xlsx-values.ts) on workbooks built part by
 * part in the test with jszip — constructed, not real exports (the real Fineco sample is
 * read in real-statements-xlsx.test.ts): strings, numbers, typed dates, gaps, sheet order,
 * and the messages for a broken zip, a zip bomb and an Excel 97–2003 .xls.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { InputError, openInput } from '../../src/sources/index.js';
import { statementProfileSchema } from '../../src/sources/statement-profile.js';
import { parseStatementRows } from '../../src/sources/statement-rows.js';
import { openSheet, SheetError } from '../../src/sources/xlsx-grid.js';
import { excelNumberText, isDateFormat, serialToIso } from '../../src/sources/xlsx-values.js';

const DIR = mkdtempSync(join(tmpdir(), 'xlsx-grid-'));
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

interface Book {
  /** Sheets in workbook (tab) order: name, part file name, sheetData XML. */
  sheets: { name: string; part: string; data: string }[];
  strings?: string[];
  /** numFmtId of each cellXfs entry (the `s` index), and custom formats. */
  xfs?: number[];
  numFmts?: Record<number, string>;
  date1904?: boolean;
}

let n = 0;
async function writeBook(b: Book): Promise<string> {
  const zip = new JSZip();
  const sheets = b.sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 10}"/>`).join('');
  zip.file('xl/workbook.xml', `<?xml version="1.0"?><workbook ${NS}><workbookPr date1904="${b.date1904 ? 1 : 0}"/><sheets>${sheets}</sheets></workbook>`);
  const rels = b.sheets.map((s, i) => `<Relationship Id="rId${i + 10}" Type="worksheet" Target="worksheets/${s.part}"/>`).join('');
  zip.file('xl/_rels/workbook.xml.rels', `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`);
  // written in reverse so the archive's member order is not the workbook's order
  for (const s of [...b.sheets].reverse()) zip.file(`xl/worksheets/${s.part}`, `<?xml version="1.0"?><worksheet ${NS}><sheetData>${s.data}</sheetData></worksheet>`);
  if (b.strings) zip.file('xl/sharedStrings.xml', `<sst ${NS}>${b.strings.map((t) => `<si>${t}</si>`).join('')}</sst>`);
  const fmts = Object.entries(b.numFmts ?? {}).map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`);
  const xfs = (b.xfs ?? [0]).map((id) => `<xf numFmtId="${id}" fontId="0"/>`).join('');
  // a cellStyleXfs entry with a date format: only cellXfs indexes are `s`
  zip.file('xl/styles.xml', `<styleSheet ${NS}><numFmts>${fmts.join('')}</numFmts><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs>${xfs}</cellXfs></styleSheet>`);
  const path = join(DIR, `book${++n}.xlsx`);
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}

const one = (data: string, more: Omit<Book, 'sheets'> = {}) => writeBook({ sheets: [{ name: 'Sheet1', part: 'sheet1.xml', data }], ...more });
const rowsOf = async (path: string) => (await openSheet(path))!.rows;

describe('cells as text', () => {
  it('shared strings by index, inline strings, rich-text runs joined, phonetic guides left out', async () => {
    const strings = ['<t>Fecha</t>', '<r><t>Imp</t></r><r><t xml:space="preserve">orte </t></r>', '<t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh>'];
    const path = await one(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Saldo</t></is></c><c r="D1" t="s"><v>2</v></c></row>',
      { strings },
    );
    expect((await rowsOf(path))[0]).toEqual({ line: 1, fields: ['Fecha', 'Importe ', 'Saldo', '東京'] });
  });

  it('decodes XML entities, numeric references and _xHHHH_ escapes', async () => {
    const strings = ['<t>AT&amp;T &lt;card&gt; &quot;x&quot; &apos;y&apos;</t>', '<t>Caf&#233; &#x20AC;5</t>', '<t>a_x000D_b _x005F_x000D_</t>'];
    const path = await one('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>', { strings });
    expect((await rowsOf(path))[0]!.fields).toEqual([`AT&T <card> "x" 'y'`, 'Café €5', 'a\rb _x000D_']);
  });

  it('booleans, errors and formula text as written', async () => {
    const path = await one(
      '<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="b"><v>0</v></c><c r="C1" t="e"><v>#N/A</v></c><c r="D1" t="str"><f>A1&amp;"x"</f><v>TRUEx</v></c></row>',
    );
    expect((await rowsOf(path))[0]!.fields).toEqual(['TRUE', 'FALSE', '#N/A', 'TRUEx']);
  });

  it('numbers from the <v> text rounded to 15 significant digits on the decimal string', async () => {
    const raw = ['0.30000000000000004', '1234567.8900000001', '-12.300000000000001', '1E-3', '-9.99', '45', '2.5E+20', '0.99999999999999994'];
    const cells = raw.map((v, i) => `<c r="${String.fromCharCode(65 + i)}1"><v>${v}</v></c>`).join('');
    const path = await one(`<row r="1">${cells}</row>`);
    const row = (await rowsOf(path))[0]!;
    expect(row.fields).toEqual(['0.3', '1234567.89', '-12.3', '0.001', '-9.99', '45', '250000000000000000000', '1']);
    expect([...row.typedNumbers!]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('excelNumberText rounds half away from zero and keeps what is not a number', () => {
    expect(excelNumberText('1.000000000000005')).toBe('1.00000000000001');
    expect(excelNumberText('-1.000000000000005')).toBe('-1.00000000000001');
    expect(excelNumberText('123456789012345678')).toBe('123456789012346000');
    expect(excelNumberText('1.000000000000004')).toBe('1');
    expect(excelNumberText('-0')).toBe('0');
    expect(excelNumberText('0.000')).toBe('0');
    expect(excelNumberText('12,5')).toBe('12,5');
  });
});

describe('typed dates', () => {
  it('date-formatted numbers become ISO dates (1900 system), with the time when there is one; the column is marked typed', async () => {
    // s=1: built-in 14; s=2: custom dd/mm/yyyy; s=3: a money format with a quoted "d"; s=4: built-in 22 (date and time)
    const xfs = [0, 14, 164, 165, 22];
    const numFmts = { 164: '[$-410]dd/mm/yyyy;@', 165: '#,##0.00\\ &quot;dmy&quot;' };
    const path = await one(
      '<row r="2"><c r="A2" s="1"><v>45658</v></c><c r="B2" s="2"><v>46356</v></c><c r="C2" s="3"><v>46356</v></c><c r="D2" s="4"><v>45658.5</v></c><c r="E2"><v>45658</v></c></row>',
      {
        xfs,
        numFmts,
      },
    );
    const row = (await rowsOf(path))[0]!;
    expect(row.fields).toEqual(['2025-01-01', '2026-11-30', '46356', '2025-01-01T12:00:00', '45658']);
    expect([...row.typedDates!].sort()).toEqual([0, 1, 3]);
    expect([...row.typedNumbers!].sort()).toEqual([2, 4]);
  });

  it('the 1904 system counts from 1904-01-01', async () => {
    const path = await one('<row r="1"><c r="A1" s="1"><v>44196</v></c><c r="B1" s="1"><v>0</v></c></row>', { xfs: [0, 14], date1904: true });
    expect((await rowsOf(path))[0]!.fields).toEqual(['2025-01-01', '1904-01-01']);
  });

  it('serials around the 1900 leap-year bug, times rounded to the second, a time alone', () => {
    expect(serialToIso('1', false)).toBe('1900-01-01');
    expect(serialToIso('59', false)).toBe('1900-02-28');
    expect(serialToIso('60', false)).toBe('1900-02-29');
    expect(serialToIso('61', false)).toBe('1900-03-01');
    expect(serialToIso('45658.999999999', false)).toBe('2025-01-02');
    expect(serialToIso('45658.25001', false)).toBe('2025-01-01T06:00:01');
    expect(serialToIso('0.75', false)).toBe('18:00:00');
    expect(serialToIso('-1', false)).toBeNull();
  });

  it('which number formats are dates', () => {
    for (const id of [14, 17, 22, 45, 47]) expect(isDateFormat(id, undefined), String(id)).toBe(true);
    for (const id of [0, 2, 4, 10, 23, 44, 49]) expect(isDateFormat(id, undefined), String(id)).toBe(false);
    expect(isDateFormat(164, 'yyyy-mm-dd hh:mm')).toBe(true);
    expect(isDateFormat(164, '[Red]#,##0.00;[Blue]-#,##0.00')).toBe(false);
    expect(isDateFormat(164, '0.00" days"')).toBe(false);
    expect(isDateFormat(164, 'General')).toBe(false);
  });
});

describe('typed numbers and the decimal mark', () => {
  // a Spanish-style profile: its marks describe text amounts, not number cells
  const profile = statementProfileSchema.parse({
    name: 'comma-test',
    label: 'comma decimal mark',
    header: { columns: ['Fecha', 'Concepto', 'Importe', 'Comisión'] },
    columns: { transactionDate: 'Fecha', description: 'Concepto', amount: 'Importe', fee: 'Comisión' },
    currency: 'EUR',
    amountSign: 'charges-negative',
    dates: { formats: ['DD/MM/YYYY'] },
    numbers: { decimalMark: ',' },
  });
  const header = ['Fecha', 'Concepto', 'Importe', 'Comisión'].map((h) => `<c t="inlineStr"><is><t>${h}</t></is></c>`).join('');
  const text = (t: string) => `<c t="inlineStr"><is><t>${t}</t></is></c>`;

  it("a number cell is read with its point (-1234.5 → 1234.50 charged), a text cell with the profile's comma and dots", async () => {
    const path = await one(
      `<row r="1">${header}</row>` +
        `<row r="2">${text('02/11/2026')}${text('typed')}<c><v>-1234.5</v></c><c><v>1.5</v></c></row>` +
        `<row r="3">${text('03/11/2026')}${text('text')}${text('-1.234,50')}${text('1,50')}</row>` +
        `<row r="4">${text('04/11/2026')}${text('typed whole')}<c><v>-1234</v></c></row>`,
    );
    const got = parseStatementRows(await rowsOf(path), profile, { file: 'comma.xlsx' });
    expect(got.issues).toEqual([]);
    expect(got.records.map((r) => [r.src.line, r.amount.toDisplay(2), r.fee?.toDisplay(2) ?? null])).toEqual([
      [2, '1234.50', '1.50'],
      [3, '1234.50', '1.50'],
      [4, '1234.00', null],
    ]);
  });

  it("the same typed number in a CSV row (no typedNumbers) is read by the profile's marks: 1234.5 is not a comma-decimal amount", () => {
    const rows = [
      { line: 1, fields: ['Fecha', 'Concepto', 'Importe', 'Comisión'] },
      { line: 2, fields: ['02/11/2026', 'as text', '-1234.5', ''] },
    ];
    const got = parseStatementRows(rows, profile, { file: 'comma.csv' });
    expect(got.records).toEqual([]);
    expect(got.issues.map((i) => [i.line, i.column])).toEqual([[2, 'Importe']]);
  });
});

describe('the grid', () => {
  it('missing cells are empty strings, empty and missing rows are skipped, rows keep their sheet number', async () => {
    const path = await one(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="C1"><v>3</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t> </t></is></c></row><row r="5"/><row r="7"><c r="B7"><v>2</v></c></row><row><c><v>1</v></c><c><v>2</v></c></row>',
    );
    expect(await rowsOf(path)).toEqual([
      { line: 1, fields: ['a', '', '3'], typedNumbers: new Set([2]) },
      { line: 7, fields: ['', '2'], typedNumbers: new Set([1]) },
      { line: 8, fields: ['1', '2'], typedNumbers: new Set([0, 1]) },
    ]);
  });

  it('the first sheet in workbook order, not the first part file', async () => {
    const path = await writeBook({
      sheets: [
        { name: 'Movimientos', part: 'sheet2.xml', data: '<row r="1"><c r="A1" t="inlineStr"><is><t>mine</t></is></c></row>' },
        { name: 'Hoja1', part: 'sheet1.xml', data: '<row r="1"><c r="A1" t="inlineStr"><is><t>not this</t></is></c></row>' },
      ],
    });
    const grid = (await openSheet(path))!;
    expect(grid.sheetName).toBe('Movimientos');
    expect(grid.rows[0]!.fields).toEqual(['mine']);
  });

  it('openInput gives a sheet input for an .xlsx and leaves a zip without a workbook to the CSV reader', async () => {
    const path = await one('<row r="1"><c r="A1"><v>1</v></c></row>');
    expect((await openInput(path)).type).toBe('sheet');
    const zip = new JSZip();
    zip.file('readme.txt', 'hello');
    const other = join(DIR, 'other.zip');
    writeFileSync(other, await zip.generateAsync({ type: 'nodebuffer' }));
    expect(await openSheet(other)).toBeNull();
    expect((await openInput(other)).type).toBe('csv');
  });
});

describe('files that cannot be read', () => {
  const failure = async (path: string): Promise<Error> => {
    try {
      await openInput(path, { display: 'bank/statement.xlsx' });
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected a failure');
  };

  it('a broken zip is an InputError naming the file', async () => {
    const path = join(DIR, 'broken.xlsx');
    writeFileSync(path, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]));
    const e = await failure(path);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^bank\/statement\.xlsx: not a readable zip archive \(an \.xlsx is one\): /);
  });

  it('an Excel 97–2003 .xls says to save it as .xlsx or CSV', async () => {
    const path = join(DIR, 'old.xls');
    writeFileSync(path, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]));
    const e = await failure(path);
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toBe('bank/statement.xlsx: an Excel 97–2003 .xls file (a binary workbook), which is not read: open it in Excel or LibreOffice and save it as .xlsx or CSV');
  });

  it('a workbook unpacking beyond the bound stops with a message, before it is all inflated', async () => {
    const cells = '<c><v>1</v></c>'.repeat(2000);
    const path = await one(`<row r="1">${cells}</row>`);
    await expect(openSheet(path, { bytes: 1 << 20, unpacked: 4096 })).rejects.toThrow(SheetError);
    await expect(openSheet(path, { bytes: 1 << 20, unpacked: 4096 })).rejects.toThrow(/unpacks to more than 4096 bytes \(a statement is far smaller; a zip bomb\?\)/);
    await expect(openSheet(path, { bytes: 100, unpacked: 1 << 20 })).rejects.toThrow(/larger than the 100 bytes a statement is read up to/);
    expect((await openSheet(path))!.rows).toHaveLength(1);
  });
});
