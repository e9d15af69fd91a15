/**
 * Issue #14: a large table's data rows are written into the sheet's XML by spendrecon
 * (direct-rows.ts, direct-xml.ts) instead of as exceljs cells. The workbook must not change:
 * every part, byte for byte, as exceljs writes it when the same rows are its cells
 * (SPENDRECON_DIRECT_ROWS=0), on the demo and on generated tables of every kind of cell.
 */
import type ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterEach, describe, expect, it } from 'vitest';
import { openAiDemoResult } from './demo-config.js';
import type { CrossCheckRow } from '../../src/engine/attribution.js';
import { Decimal } from '../../src/money.js';
import { attachChart } from '../../src/report/charts/spec.js';
import { directRowsOf } from '../../src/report/direct-rows.js';
import { buildReportWorkbook } from '../../src/report/index.js';
import { paginateStack } from '../../src/report/sheet-layout.js';
import { writeUsageVsCost } from '../../src/report/sheets/usage-vs-cost.js';
import { alignCells, type Column, writeTable } from '../../src/report/table.js';
import { addSheet, newWorkbook, workbookBytes } from '../../src/report/workbook.js';

const KEY = 'sk-proj-Q7fLm2ZxR9tB4wKc8VnH3pYs6JdA1gUe5oTi0';

afterEach(() => {
  delete process.env.SPENDRECON_DIRECT_ROWS;
});

/** The sheets with direct rows, and their row counts. */
const directSheets = (wb: ExcelJS.Workbook) => wb.worksheets.flatMap((ws) => directRowsOf(ws).map((d) => `${ws.name}: ${d.lastRow - d.firstRow + 1}`));

async function partsOf(bytes: Buffer): Promise<[string, Buffer][]> {
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const files = Object.values(zip.files).filter((f) => !f.dir);
  return Promise.all(files.map(async (f): Promise<[string, Buffer]> => [f.name, await f.async('nodebuffer')]));
}

/** Where two parts first differ, with some text around it (an assertion message). */
function firstDifference(a: Buffer, b: Buffer): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at byte ${i}: direct …${a.subarray(Math.max(0, i - 80), i + 80).toString()}… cells …${b.subarray(Math.max(0, i - 80), i + 80).toString()}…`;
}

/**
 * The workbook `build` makes, written with direct rows (every opted-in table, whatever its size)
 * and with exceljs cells: every part compared byte for byte. Returns the sheets that had direct rows
 * and the parts' text.
 */
async function bothWays(build: () => ExcelJS.Workbook | Promise<ExcelJS.Workbook>): Promise<{ direct: string[]; text: string }> {
  process.env.SPENDRECON_DIRECT_ROWS = '1';
  const wbDirect = await build();
  const direct = directSheets(wbDirect);
  const on = await workbookBytes(wbDirect);
  process.env.SPENDRECON_DIRECT_ROWS = '0';
  const wbCells = await build();
  expect(directSheets(wbCells)).toEqual([]);
  const off = await workbookBytes(wbCells);
  const [a, b] = [await partsOf(on), await partsOf(off)];
  expect(a.map(([n]) => n)).toEqual(b.map(([n]) => n));
  for (const [i, [name, bytes]] of a.entries()) expect(bytes.equals(b[i]![1]), `${name} ${bytes.equals(b[i]![1]) ? '' : firstDifference(bytes, b[i]![1])}`).toBe(true);
  expect(on.equals(off)).toBe(true);
  return { direct, text: a.map(([, bytes]) => bytes.toString()).join('\n') };
}

/** Texts a cell must be made safe for, or escaped in XML. */
const NASTY = [
  'a & b < c > d "quoted" \'single\'',
  '=HYPERLINK("http://x","y")',
  '+1+2',
  '-3',
  '@SUM(A1)',
  'bell\u0007 and escape\u001b[31m',
  'tab\there, new\nline',
  `key ${KEY}`,
  'Café Zürich 日本語のプロジェクト',
  'rocket 🚀 and a lone \ud800 surrogate',
  ' leading and trailing space ',
  'y'.repeat(40_000),
];

function crossRows(n: number): CrossCheckRow[] {
  return Array.from({ length: n }, (_, i) => {
    const day = `2026-10-${String((i % 31) + 1).padStart(2, '0')}`;
    const priced = i % 7 !== 3;
    const billed = Decimal.from(`${i % 11 === 0 ? '-' : ''}${(i * 37) % 1000}.${String((i * 7919) % 100_000_000).padStart(8, '0')}`);
    const list = priced ? billed.plus(Decimal.from(`0.${String(i % 97).padStart(4, '0')}`)) : null;
    return {
      provider: i % 5 === 0 ? 'anthropic' : 'openai',
      utcDay: day,
      localDate: day,
      projectId: i % 13 === 0 ? null : `${NASTY[i % NASTY.length]} ${i % 40}`,
      model: i % 3 ? 'gpt-4o' : `model ${NASTY[(i + 5) % NASTY.length]}`,
      billed,
      listPrice: list,
      variance: list ? billed.minus(list) : null,
      varianceRatio: list && !list.isZero() ? billed.minus(list).toNumber() / list.toNumber() : null,
      inputTokens: i * 123_457,
      outputTokens: (i * 9_876) % 1_000_003,
      usageRows: i % 17,
      flagged: i % 9 === 0,
      cause: i % 9 === 0 ? (i % 27 === 0 ? `${'a long reason that wraps '.repeat(i % 54 ? 6 : 400)}` : `flag ${NASTY[i % NASTY.length]}`) : null,
    };
  });
}

interface Generic {
  day: string;
  at: string;
  label: string | null;
  note: string | null;
  amount: Decimal;
  currency: string;
  count: number | null;
  ratio: number;
  share: number;
}

const CURRENCIES = ['USD', 'JPY', 'KWD', 'EUR'];

const genericColumns: Column<Generic>[] = [
  { header: 'Day', type: 'date', value: (r) => r.day },
  { header: 'At', type: 'datetime', value: (r) => r.at },
  { header: 'Label', type: 'text', value: (r) => r.label },
  { header: 'Amount', type: 'money', value: (r) => r.amount, currency: (r) => r.currency },
  { header: 'Booked', type: 'money', value: (r) => r.amount, sum: true },
  { header: 'Count', type: 'integer', value: (r) => r.count, sum: true },
  { header: 'Ratio', type: 'number', value: (r) => r.ratio },
  { header: 'Share', type: 'percent', value: (r) => r.share },
  { header: 'Note', type: 'text', value: (r) => r.note, wrap: true, maxWidth: 30 },
  { header: 'Key', type: 'text', value: (r) => `k${r.count ?? 'none'}`, hidden: true },
];

const noSums = genericColumns.map((c) => ({ ...c, sum: false }));

function genericRows(n: number, seed: number): Generic[] {
  return Array.from({ length: n }, (_, i) => ({
    day: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    at: `2026-10-${String((i % 28) + 1).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:${String((i * 7) % 60).padStart(2, '0')}:05`,
    label: i % 6 === 0 ? null : `${NASTY[(i + seed) % NASTY.length]!.slice(0, 200)} #${i % 50}`,
    note: i % 4 === 0 ? null : `${'note words '.repeat(i % 9)}${NASTY[(i * 3 + seed) % NASTY.length]!.slice(0, 100)}`,
    amount: Decimal.from(`${i % 5 === 0 ? '-' : ''}${i * 13}.${String((i * 31 + seed) % 10_000).padStart(4, '0')}`),
    currency: CURRENCIES[i % CURRENCIES.length]!,
    count: i % 10 === 0 ? null : i * 1001,
    ratio: (i % 200) / 7 - 10,
    share: (i % 101) / 100,
  }));
}

describe('direct rows (a large table written without exceljs cells)', () => {
  it('leave the demo workbook as it was, byte for byte (Usage vs cost and Daily take them)', async () => {
    const result = await openAiDemoResult();
    const { direct } = await bothWays(() => buildReportWorkbook(result));
    expect(direct.map((d) => d.split(':')[0])).toEqual(['Daily', 'Usage vs cost']);
  });

  it('write a generated Usage vs cost sheet as exceljs would: texts to escape and redact, nulls, negatives, wrapped and capped rows', async () => {
    const rows = crossRows(700);
    const { direct, text } = await bothWays(() => {
      const wb = newWorkbook();
      writeUsageVsCost(addSheet(wb, 'Usage vs cost'), rows, 'USD');
      return wb;
    });
    expect(direct).toEqual(['Usage vs cost: 700']);
    expect(text).not.toContain(KEY.slice(15, 27));
    expect(text).toContain('ht="409"');
  });

  it('write every kind of cell as exceljs would: dates, times, several currencies, hidden and wrapped columns, two tables, a chart over one', async () => {
    const { direct } = await bothWays(() => {
      const wb = newWorkbook();
      const ws = addSheet(wb, 'Generic');
      ws.getRow(1).getCell(1).value = 'Title above the tables';
      const first = writeTable(ws, genericColumns, genericRows(300, 0), { currency: 'USD', startRow: 2, directRows: true });
      const second = writeTable(ws, genericColumns, genericRows(150, 7), { currency: 'JPY', startRow: first.totalsRow! + 3, directRows: true });
      // a sheet of stacked tables aligns them again (ledger.ts), some rows of a table by columns of its own
      alignCells(ws, second, genericColumns, second.totalsRow!);
      const labelAsDate = genericColumns.map((c) => (c.header === 'Label' ? { ...c, type: 'date' as const } : c));
      alignCells(ws, { firstDataRow: first.firstDataRow + 3, lastDataRow: first.firstDataRow + 9 }, labelAsDate);
      const range = (col: number) => ({ col, firstRow: first.firstDataRow, lastRow: first.firstDataRow + 20 });
      attachChart(ws, {
        title: 'Amounts',
        description: 'amount by day',
        categories: range(1),
        plots: [{ type: 'bar', direction: 'col', grouping: 'clustered', series: [{ name: { row: first.headerRow, col: 5 }, values: range(5), color: '4269D0' }] }],
        valueAxisTitle: 'USD',
        valueFormat: '#,##0.00',
        categoryFormat: 'yyyy-mm-dd',
        from: { row: 1, col: 12 },
        to: { row: 20, col: 20 },
      });
      return wb;
    });
    expect(direct).toEqual(['Generic: 300', 'Generic: 150']);
  });

  it("paginate a stacked sheet by their rows' heights", async () => {
    const breaks: number[][] = [];
    await bothWays(() => {
      const wb = newWorkbook();
      const ws = addSheet(wb, 'Stacked');
      const first = writeTable(ws, genericColumns, genericRows(5, 0), { currency: 'USD', directRows: true });
      const tall = genericRows(20, 0).map((r) => ({ ...r, label: 'x', note: 'words that wrap '.repeat(12) }));
      // no totals row: the sheet ends with the direct rows
      const second = writeTable(ws, noSums, tall, { currency: 'USD', startRow: first.totalsRow! + 2, directRows: true });
      expect([second.totalsRow, ws.rowCount]).toEqual([null, second.lastDataRow]);
      breaks.push(
        paginateStack(ws, [
          { firstRow: 1, lastRow: first.totalsRow! },
          { firstRow: first.totalsRow! + 2, lastRow: second.lastDataRow },
        ]),
      );
      return wb;
    });
    // the tall rows do not fit below the first table: a break before the second (at 15 points a row they would)
    expect(breaks).toEqual([[8], [8]]);
  });

  it('are taken from 100 rows unless SPENDRECON_DIRECT_ROWS says otherwise, and only by tables that ask for them', () => {
    const counts = (rows: number, opt: boolean, before?: (ws: ExcelJS.Worksheet) => void) => {
      const wb = newWorkbook();
      const ws = addSheet(wb, 'S');
      before?.(ws);
      writeTable(ws, genericColumns, genericRows(rows, 0), { currency: 'USD', directRows: opt });
      return directSheets(wb);
    };
    expect(counts(99, true)).toEqual([]);
    expect(counts(100, true)).toEqual(['S: 100']);
    expect(counts(500, false)).toEqual([]);
    // a style exceljs would merge into the cells: they stay its cells
    expect(counts(500, true, (ws) => (ws.getColumn(3).numFmt = '@'))).toEqual([]);
    expect(counts(500, true, (ws) => (ws.getRow(40).font = { bold: true }))).toEqual([]);
    process.env.SPENDRECON_DIRECT_ROWS = '0';
    expect(counts(500, true)).toEqual([]);
    process.env.SPENDRECON_DIRECT_ROWS = '3';
    expect(counts(3, true)).toEqual(['S: 3']);
  });

  it('stop the workbook when a sheet sets a direct row through exceljs (its cells would be lost)', async () => {
    process.env.SPENDRECON_DIRECT_ROWS = '1';
    const wb = newWorkbook();
    const ws = addSheet(wb, 'S');
    const t = writeTable(ws, genericColumns, genericRows(20, 0), { currency: 'USD', directRows: true });
    ws.getRow(t.firstDataRow + 3).getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF0000' } };
    await expect(workbookBytes(wb)).rejects.toThrow(`sheet "S" row ${t.firstDataRow + 3} holds direct rows`);
  });

  it('stop on a number that is not finite with the same message as exceljs cells', () => {
    const bad = [...genericRows(5, 0), { ...genericRows(1, 0)[0]!, ratio: Number.NaN }];
    const message = (env: string) => {
      process.env.SPENDRECON_DIRECT_ROWS = env;
      const wb = newWorkbook();
      return () => writeTable(addSheet(wb, 'S'), genericColumns, bad, { currency: 'USD', directRows: true });
    };
    expect(message('1')).toThrow('sheet "S", column "Ratio", row 7: the value NaN is not a finite number');
    expect(message('0')).toThrow('sheet "S", column "Ratio", row 7: the value NaN is not a finite number');
  });
});
