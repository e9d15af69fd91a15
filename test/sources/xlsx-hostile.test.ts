/**
 * Hostile .xlsx statements (review of src/sources/xlsx-grid.ts, xlsx-values.ts): workbooks a
 * damaged or crafted file could hold, each either read as Excel shows it or refused with a
 * SheetError — never a crash, an out-of-memory, or a cell silently lost or read twice.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { openSheet, SheetError } from '../../src/sources/xlsx-grid.js';
import { excelNumberText, serialToIso } from '../../src/sources/xlsx-values.js';

const DIR = mkdtempSync(join(tmpdir(), 'xlsx-hostile-'));
const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

let n = 0;
/** A one-sheet workbook with this sheetData and these shared strings. */
async function book(data: string, strings: string[] = []): Promise<string> {
  const zip = new JSZip();
  zip.file('xl/workbook.xml', `<workbook ${NS}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`);
  zip.file('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>');
  zip.file('xl/worksheets/sheet1.xml', `<worksheet ${NS}><sheetData>${data}</sheetData></worksheet>`);
  zip.file('xl/sharedStrings.xml', `<sst ${NS}>${strings.map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`);
  const path = join(DIR, `hostile${++n}.xlsx`);
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}

async function refusal(path: string): Promise<string> {
  const e = await openSheet(path).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SheetError);
  return (e as Error).message;
}

describe('cell references a damaged sheet may hold', () => {
  it('a column past XFD (Excel has 16,384) is refused, not an array grown to billions', async () => {
    const path = await book('<row r="2"><c r="A2"><v>1</v></c><c r="ZZZZZZ2"><v>5</v></c></row>');
    expect(await refusal(path)).toMatch(/ZZZZZZ2.*XFD/);
  });

  it('the last column XFD is read', async () => {
    const rows = (await openSheet(await book('<row r="1"><c r="XFD1"><v>5</v></c></row>')))!.rows;
    expect(rows[0]!.fields.length).toBe(16384);
    expect(rows[0]!.fields[16383]).toBe('5');
  });

  it('a cell written twice in a row is refused, not the first value dropped', async () => {
    const path = await book('<row r="2"><c r="D2"><v>-12.5</v></c><c r="D2"><v>-99</v></c></row>');
    expect(await refusal(path)).toMatch(/D2.*row 2/);
  });

  it('a cell before the one it follows is refused', async () => {
    const path = await book('<row r="2"><c r="D2"><v>1</v></c><c r="B2"><v>2</v></c></row>');
    expect(await refusal(path)).toMatch(/B2.*after D2/);
  });

  it('a row number repeated or going back is refused, not the row read twice', async () => {
    expect(await refusal(await book('<row r="2"><c r="A2"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'))).toMatch(/row 2.*after row 2/);
    expect(await refusal(await book('<row r="5"><c><v>1</v></c></row><row r="3"><c><v>2</v></c></row>'))).toMatch(/row 3.*after row 5/);
  });

  it('cells and rows without references follow the one before, as Excel reads them', async () => {
    const rows = (await openSheet(await book('<row r="3"><c r="B3"><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>')))!.rows;
    expect(rows).toEqual([
      { line: 3, fields: ['', '1', '2'], typedNumbers: new Set([1, 2]) },
      { line: 4, fields: ['3'], typedNumbers: new Set([0]) },
    ]);
  });

  it('a shared-string index past the table is refused, not read as an empty cell', async () => {
    const path = await book('<row r="3"><c r="C3" t="s"><v>7</v></c></row>', ['only one']);
    expect(await refusal(path)).toMatch(/C3.*shared string 7.*1/);
  });
});

describe('numbers a crafted cell may hold', () => {
  it('an exponent no Excel number has is left as written (the reader rejects it), not a string of a billion zeros', async () => {
    expect(excelNumberText('1E999999999')).toBe('1E999999999');
    expect(excelNumberText('-1E-999999999')).toBe('-1E-999999999');
    expect(serialToIso('1E999999999', false)).toBeNull();
    const rows = (await openSheet(await book('<row r="2"><c r="D2"><v>1E999999999</v></c></row>')))!.rows;
    expect(rows[0]!.fields[3]).toBe('1E999999999');
    expect(rows[0]!.typedNumbers).toBeUndefined();
  });

  it('the ends of the double range still read in full', () => {
    expect(excelNumberText('1.7976931348623157E+308')).toBe(`179769313486232${'0'.repeat(294)}`);
    expect(excelNumberText('5E-324')).toBe(`0.${'0'.repeat(323)}5`);
  });

  it('-0, 1E-7, 1.0000000000000002E+15 as Excel shows their value', () => {
    expect(excelNumberText('-0')).toBe('0');
    expect(excelNumberText('1E-7')).toBe('0.0000001');
    expect(excelNumberText('1.0000000000000002E+15')).toBe('1000000000000000');
  });
});

describe('markup a crafted sheet may hold', () => {
  // 60,000 unclosed `<c ` (180 kB; a sheet may unpack to 200 MB) took ~20 s when each start scanned to the end; now ~20 ms, so the 5 s bound has a margin of hundreds
  it('tags that never close are read in one pass, not one scan of the rest of the sheet per tag', async () => {
    const path = await book(`<row r="1"><c r="A1"><v>1</v></c>${'<c '.repeat(60_000)}</row>`);
    expect((await openSheet(path))!.rows).toEqual([{ line: 1, fields: ['1'], typedNumbers: new Set([0]) }]);
  }, 5_000);
});

describe('the archive and the formats around the cells', () => {
  it('a zip listing thousands of entries is refused before they are all read', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', `<workbook ${NS}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`);
    for (let i = 0; i < 6000; i++) zip.file(`x/${i}`, '');
    const path = join(DIR, 'many-entries.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    // jszip adds an entry per folder too (xl/, x/)
    expect(await refusal(path)).toMatch(/lists 6,003 entries; a workbook holds tens/);
  });

  it('a date cell in a built-in CJK format (id 31, 年月日) reads as a date; id 49 (text) does not', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', `<workbook ${NS}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`);
    zip.file('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>');
    zip.file('xl/styles.xml', `<styleSheet ${NS}><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="49"/></cellXfs></styleSheet>`);
    zip.file('xl/worksheets/sheet1.xml', `<worksheet ${NS}><sheetData><row r="1"><c r="A1" s="1"><v>46330</v></c><c r="B1" s="2"><v>46330</v></c></row></sheetData></worksheet>`);
    const path = join(DIR, 'cjk-date.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }));
    const row = (await openSheet(path))!.rows[0]!;
    expect(row.fields).toEqual(['2026-11-04', '46330']);
  });
});

describe('character references XML does not allow', () => {
  it('&#x0;, &#1; and a lone surrogate stay as written; a tab, a line end and an emoji are decoded', async () => {
    const path = await book('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', ['A&#x0;B&#1;C&#xD800;D&#9;E&#10;F&#x1F600;']);
    expect((await openSheet(path))!.rows[0]!.fields[0]).toBe('A&#x0;B&#1;C&#xD800;D\tE\nF\u{1F600}');
  });
});
