/**
 * Print layout of the Breakdown and Usage vs cost sheets, read back from the written file:
 * orientation, pages across and tall, printed title rows, page breaks and column widths;
 * and the demo's widest sheets, one page across.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { CrossCheckRow } from '../../src/engine/cross-check.js';
import type { DailySummary, Summaries } from '../../src/engine/summaries.js';
import { Decimal } from '../../src/money.js';
import { BREAKDOWN, writeBreakdown } from '../../src/report/sheets/breakdown.js';
import { DAILY, writeDaily } from '../../src/report/sheets/daily.js';
import { USAGE_VS_COST, writeUsageVsCost } from '../../src/report/sheets/usage-vs-cost.js';
import { OTHER_LINES, SUMMARY as REIMBURSEMENT_SUMMARY } from '../../src/report/reimbursement/sheet-names.js';
import { MIN_STACK_FILL, paginateStack, type StackedBlock } from '../../src/report/sheet-layout.js';
import { textWidth, wrappedLines } from '../../src/report/table.js';
import { addSheet, columnPixels, MIN_PRINT_SCALE, newWorkbook, printableHeightPoints, printablePixels, workbookBytes } from '../../src/report/workbook.js';
import { prng } from '../helpers.js';
import { printScale } from './print-check.js';

const TITLES = ['By project', 'By model', 'By key', 'By user'];

/** A month's summaries with the given numbers of projects, models, keys and users (amounts seeded, exact). */
function summaries(n: { projects: number; models: number; keys: number; users: number }, seed = 7): Summaries {
  const rnd = prng(seed);
  const cents = () => Decimal.from(`${Math.floor(rnd() * 50_000)}.${String(Math.floor(rnd() * 100)).padStart(2, '0')}`);
  const project = (i: number) => `proj_${String(i).padStart(3, '0')}XyZ${i}`;
  return {
    billed: Decimal.ZERO,
    unallocated: Decimal.ZERO,
    byProject: Array.from({ length: n.projects }, (_, i) => ({
      provider: 'openai',
      projectId: project(i),
      projectName: `Project ${i}`,
      owner: `Owner ${i % 7}`,
      costCenter: `CC-${100 + (i % 9)} Cost centre ${i % 9}`,
      billed: cents(),
      unallocatedToKeys: Decimal.ZERO,
      budget: i % 2 ? cents() : null,
      budgetUsed: i % 2 ? rnd() * 1.5 : null,
    })),
    byModel: Array.from({ length: n.models }, (_, i) => ({
      provider: 'openai',
      model: `gpt-model-${i}-2025-04-14`,
      billed: cents(),
      listPrice: i % 4 ? cents() : null,
      billedDaysWithoutUsage: i === 0 ? 1 : 0,
      billedWithoutUsage: Decimal.ZERO,
      inputTokens: Math.floor(rnd() * 1e9),
      outputTokens: Math.floor(rnd() * 1e8),
    })),
    byKey: Array.from({ length: n.keys }, (_, i) => ({
      provider: 'openai',
      apiKeyId: `key_${i}AbCdEfGhIjKlMnOp`,
      keyName: `key-name-${i}`,
      owner: `Owner ${i % 7}`,
      projectId: project(i % Math.max(1, n.projects)),
      projectName: `Project ${i % Math.max(1, n.projects)}`,
      billed: cents(),
      basis: i % 4 ? 'priced usage' : 'priced usage, token count',
    })),
    byUser: Array.from({ length: n.users }, (_, i) => ({
      provider: 'openai',
      userId: `user-${i}AbCdEfGhIjKlMnOpQrStUv`,
      projectId: project(i % Math.max(1, n.projects)),
      billed: cents(),
    })),
    daily: [],
  };
}

interface ReadBack {
  ws: ExcelJS.Worksheet;
  /** Rows a manual page break follows, from the sheet XML (exceljs does not read them back). */
  breaks: number[];
}

/** Writes one sheet through the workbook's save path and reads it back. */
async function writeAndRead(name: string, fill: (ws: ExcelJS.Worksheet) => void): Promise<ReadBack> {
  const wb = newWorkbook();
  fill(addSheet(wb, name));
  const bytes = await workbookBytes(wb);
  const back = new ExcelJS.Workbook();
  await back.xlsx.load(bytes as unknown as ArrayBuffer);
  const xml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet1.xml')!.async('string');
  const breaks = [...(xml.match(/<rowBreaks[\s\S]*?<\/rowBreaks>/)?.[0] ?? '').matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]));
  return { ws: back.getWorksheet(name)!, breaks };
}

/** Row numbers of the tables' titles, in order. */
function titleRows(ws: ExcelJS.Worksheet): number[] {
  const rows: number[] = [];
  ws.eachRow((row, r) => {
    if (TITLES.includes(String(row.getCell(1).value))) rows.push(r);
  });
  return rows;
}

/** The sheet's rows cut into printed pages at its breaks and wherever a page fills (heights at Excel's 15 pt default). */
function pagesOf(ws: ExcelJS.Worksheet, breaks: readonly number[]): number[][] {
  const page = printableHeightPoints('landscape') / printScale(ws);
  const pages: number[][] = [[]];
  let used = 0;
  for (let r = 1; r <= ws.rowCount; r++) {
    const h = ws.getRow(r).height ?? 15;
    // a sheet fitted to exactly its height gives page == its total up to a float's last bit
    if (used + h > page + 1e-6) {
      pages.push([]);
      used = 0;
    }
    pages.at(-1)!.push(r);
    used += h;
    if (breaks.includes(r)) {
      pages.push([]);
      used = 0;
    }
  }
  return pages.filter((p) => p.length);
}

describe('Breakdown sheet print layout', () => {
  it('a month of a few projects: the four tables on one landscape page at or above the scale floor, each under its own header, no header repeated', async () => {
    const { ws, breaks } = await writeAndRead(BREAKDOWN, (s) => writeBreakdown(s, summaries({ projects: 4, models: 8, keys: 10, users: 8 }), 'USD'));
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(breaks).toEqual([]);
    expect(printScale(ws)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    expect(pagesOf(ws, breaks)).toHaveLength(1);
    // a sheet of several tables repeats no header over the others, and freezes none over them on screen
    expect(ws.pageSetup.printTitlesRow).toBeUndefined();
    expect(ws.views[0]?.state ?? 'normal').toBe('normal');
    const titles = titleRows(ws);
    expect(titles.map((r) => ws.getRow(r).getCell(1).value)).toEqual(TITLES);
    const firstHeaders = ['Project ID', 'Model / line item', 'API key', 'User'];
    titles.forEach((r, i) => {
      expect(ws.getRow(r + 1).getCell(1).value).toBe(firstHeaders[i]);
    });
  });

  it('a month a little over a page at its width is fitted to one page tall, never below the floor', async () => {
    // grow the user table a row at a time: the sizes that no longer fit at the width's scale but do at the floor get fitted
    const fitted: number[] = [];
    for (let users = 0; users <= 30; users++) {
      const ws = addSheet(newWorkbook(), BREAKDOWN);
      writeBreakdown(ws, summaries({ projects: 4, models: 8, keys: 10, users }), 'USD');
      if (ws.pageSetup.fitToHeight === 1) fitted.push(users);
    }
    expect(fitted.length).toBeGreaterThan(0);
    expect(fitted).not.toContain(0); // the smallest fits as it is
    for (const users of [fitted[0]!, fitted.at(-1)!]) {
      const { ws, breaks } = await writeAndRead(BREAKDOWN, (s) => writeBreakdown(s, summaries({ projects: 4, models: 8, keys: 10, users }), 'USD'));
      expect(ws.pageSetup.fitToHeight).toBe(1);
      expect(breaks).toEqual([]);
      expect(printScale(ws)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    }
  });

  it('column widths hold every table: each column as wide as the widest of its tables needs, figure headers over their figures', async () => {
    const { ws } = await writeAndRead(BREAKDOWN, (s) => writeBreakdown(s, summaries({ projects: 4, models: 9, keys: 13, users: 10 }), 'USD'));
    const titles = titleRows(ws);
    for (const r of titles) {
      ws.getRow(r + 1).eachCell((cell, col) => {
        const longestWord = Math.max(
          ...String(cell.value)
            .split(' ')
            .map((w) => w.length),
        );
        expect(ws.getColumn(col).width!, String(cell.value)).toBeGreaterThanOrEqual(longestWord);
      });
    }
    // user ids are the longest first-column text: the shared first column fits them
    const user = titles[3]! + 2;
    expect(ws.getColumn(1).width!).toBeGreaterThanOrEqual(String(ws.getRow(user).getCell(1).value).length);
    const billed = (ws.getRow(titles[0]! + 1).values as unknown[]).indexOf('Billed');
    expect(ws.getRow(titles[0]! + 1).getCell(billed).alignment?.horizontal).toBe('right');
    expect(ws.getRow(titles[0]! + 1).getCell(1).alignment?.horizontal).toBeUndefined();
  });

  it('a large month: several pages, each table starting on a page with its header, none split when it fits on one page', async () => {
    const { ws, breaks } = await writeAndRead(BREAKDOWN, (s) => writeBreakdown(s, summaries({ projects: 30, models: 14, keys: 90, users: 25 }), 'USD'));
    expect(ws.pageSetup.fitToHeight ?? 0).toBe(0);
    expect(printScale(ws)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    expect(breaks.length).toBeGreaterThan(0);
    const titles = titleRows(ws);
    // every break falls just before a table's title, never inside a table
    for (const b of breaks) expect(titles).toContain(b + 1);
    const pages = pagesOf(ws, breaks);
    for (const t of titles) {
      const end = titles[titles.indexOf(t) + 1] ?? ws.rowCount + 2;
      const rows = Array.from({ length: end - 2 - t + 1 }, (_, i) => t + i);
      const on = new Set(rows.map((r) => pages.findIndex((p) => p.includes(r))));
      const fitsOnePage = rows.reduce((a, r) => a + (ws.getRow(r).height ?? 15), 0) <= printableHeightPoints('landscape') / printScale(ws);
      if (fitsOnePage) expect(on.size, `${ws.getRow(t).getCell(1).value}`).toBe(1);
      // the title never ends a page: it starts on the page of its header and first rows
      expect(pages.findIndex((p) => p.includes(t))).toBe(pages.findIndex((p) => p.includes(t + 2)));
    }
  });
});

/** Characters of the one column: 1608 px, 65 % of a landscape page's width. */
const WIDE = 229;

/**
 * A sheet of stacked blocks of the given numbers of 15 pt rows, one blank row apart, one column
 * as wide as prints at 65 % (a page holds 52 rows; one page tall at the floor, 53): the width at
 * which the demo's Breakdown left By user on a page of its own.
 */

function stackOf(sizes: readonly number[]): { blocks: StackedBlock[]; fill: (ws: ExcelJS.Worksheet) => void } {
  const blocks: StackedBlock[] = [];
  let row = 1;
  for (const n of sizes) {
    blocks.push({ firstRow: row, lastRow: row + n - 1 });
    row += n + 1;
  }
  const fill = (ws: ExcelJS.Worksheet) => {
    for (const b of blocks) for (let r = b.firstRow; r <= b.lastRow; r++) ws.getRow(r).getCell(1).value = `row ${r}`;
    ws.getColumn(1).width = WIDE;
    paginateStack(ws, blocks);
  };
  return { blocks, fill };
}

/** Each printed page's fill: its rows' estimated heights over the page's height at the sheet's scale. */
function pageFills(ws: ExcelJS.Worksheet, breaks: readonly number[]): number[] {
  const page = printableHeightPoints('landscape') / printScale(ws);
  return pagesOf(ws, breaks).map((p) => p.reduce((a, r) => a + (ws.getRow(r).height ?? 15), 0) / page);
}

/** Index of the page each block's rows print on (a set of one when the block is whole on a page). */
function pagesOfBlocks(ws: ExcelJS.Worksheet, breaks: readonly number[], blocks: readonly StackedBlock[]): Set<number>[] {
  const pages = pagesOf(ws, breaks);
  return blocks.map((b) => new Set(Array.from({ length: b.lastRow - b.firstRow + 1 }, (_, i) => pages.findIndex((p) => p.includes(b.firstRow + i)))));
}

describe('stacked tables: breaks moved between tables so that no page is near-empty (issue #12)', () => {
  it('first fit would leave the last table alone on a page under 40 % full: the break moves up one table, both pages well filled', async () => {
    const { blocks, fill } = stackOf([30, 20, 10]);
    const { ws, breaks } = await writeAndRead('Stack', fill);
    // first fit: 30 + 20 rows on page 1 (99 %), the 10 alone on page 2 (19 %); moved, 59 % and 59 %
    expect(breaks).toEqual([blocks[1]!.firstRow - 1]);
    const fills = pageFills(ws, breaks);
    expect(fills.length).toBe(2);
    for (const f of fills) expect(f).toBeGreaterThanOrEqual(MIN_STACK_FILL);
    for (const on of pagesOfBlocks(ws, breaks, blocks)) expect(on.size).toBe(1);
  });

  it('keeps first fit when every page of it is at least 40 % full', async () => {
    const { blocks, fill } = stackOf([30, 10, 25]);
    const { breaks } = await writeAndRead('Stack', fill);
    expect(breaks).toEqual([blocks[2]!.firstRow - 1]);
  });

  it('seeded stacks: never more pages than first fit, no table that fits a page split, the emptiest page no emptier than first fit leaves it', async () => {
    const rnd = prng(12);
    for (let run = 0; run < 25; run++) {
      const sizes = Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => 1 + Math.floor(rnd() * 60));
      const { blocks, fill } = stackOf(sizes);
      const { ws, breaks } = await writeAndRead('Stack', fill);
      const firstFit = firstFitPages(sizes, printableHeightPoints('landscape') / printScale(ws) / 15);
      const fills = pageFills(ws, breaks);
      expect(fills.length, `${sizes}`).toBeLessThanOrEqual(firstFit.length);
      pagesOfBlocks(ws, breaks, blocks).forEach((on, i) => {
        if (sizes[i]! <= 52) expect(on.size, `${sizes} block ${i}`).toBe(1);
      });
      expect(Math.min(...fills), `${sizes}`).toBeGreaterThanOrEqual(Math.min(...firstFit) - 1e-9);
    }
  });
});

/** Page fills of first fit for blocks of rows one blank row apart, `page` rows a page: a block that does not fit what is left starts a page (one larger than a page flows on). */
function firstFitPages(sizes: readonly number[], page: number): number[] {
  const fills: number[] = [];
  let used = 0;
  sizes.forEach((n, i) => {
    if (i > 0) used += 1;
    const head = Math.min(n, 5);
    if (i > 0 && used + n > page && (n <= page || used + head > page)) {
      fills.push(used);
      used = 0;
    }
    for (let r = 0; r < n; r++) {
      if (used + 1 > page) {
        fills.push(used);
        used = 0;
      }
      used += 1;
    }
  });
  return [...fills, used].map((u) => u / page);
}

function cross(day: number, p: Partial<CrossCheckRow> = {}): CrossCheckRow {
  const billed = Decimal.from(`${day}.25`);
  return {
    provider: 'openai',
    utcDay: `2026-10-${String(day).padStart(2, '0')}`,
    localDate: `2026-10-${String(day).padStart(2, '0')}`,
    projectId: 'proj_7mNcP0sTqE4',
    model: 'gpt-4.1-2025-04-14',
    billed,
    listPrice: billed,
    variance: Decimal.ZERO,
    varianceRatio: 0,
    inputTokens: 1000 * day,
    outputTokens: 100 * day,
    usageRows: 2,
    flagged: false,
    cause: null,
    ...p,
  };
}

describe('Usage vs cost print layout', () => {
  const rows: CrossCheckRow[] = [];
  for (let d = 1; d <= 28; d++) {
    rows.push(cross(d));
    if (d % 9 === 0) rows.push(cross(d, { model: 'gpt-5.6-sol', listPrice: null, variance: null, varianceRatio: null }));
    if (d % 10 === 0)
      rows.push(cross(d, { flagged: true, cause: `billed above list price of the usage (day ${d})`, listPrice: Decimal.from('1.00'), variance: Decimal.from('9.25') }));
  }

  it('leads with the flagged rows and their reasons, then those with no list price, then the rest in day order', async () => {
    const { ws } = await writeAndRead(USAGE_VS_COST, (s) => writeUsageVsCost(s, rows, 'USD'));
    expect(String(ws.getRow(1).getCell(1).value)).toMatch(/^2 of 33 rows flagged .*; 3 with no list price to compare/);
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    expect(header[0]).toBe('UTC day');
    const flag = header.indexOf('Flag') + 1;
    const flags: string[] = [];
    const days: number[] = [];
    for (let r = 3; ws.getRow(r).getCell(1).value !== 'Total'; r++) {
      flags.push(String(ws.getRow(r).getCell(flag).value ?? ''));
      days.push((ws.getRow(r).getCell(1).value as Date).getUTCDate());
    }
    expect(flags.slice(0, 2)).toEqual(['billed above list price of the usage (day 10)', 'billed above list price of the usage (day 20)']);
    expect(flags.slice(2, 5)).toEqual(Array(3).fill('no list price for this model'));
    expect(flags.slice(5).every((f) => f === '')).toBe(true);
    expect(days.slice(5)).toEqual([...days.slice(5)].sort((a, b) => a - b));
  });

  it('prints landscape, one page wide at or above the floor, the header row repeated on every page', async () => {
    const { ws } = await writeAndRead(USAGE_VS_COST, (s) => writeUsageVsCost(s, rows, 'USD'));
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.fitToWidth).toBe(1);
    expect(ws.pageSetup.fitToHeight ?? 0).toBe(0);
    expect(ws.pageSetup.printTitlesRow).toBe('2:2');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(printScale(ws)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    // the reasons wrap in a bounded column instead of widening the page
    const flag = (ws.getRow(2).values as unknown[]).indexOf('Flag');
    expect(ws.getColumn(flag).width!).toBeLessThanOrEqual(44);
    expect(ws.getColumn(1).width!).toBeGreaterThanOrEqual(10); // a whole date
  });
});

describe('a one-table sheet whose last page would be a sliver', () => {
  const day = (i: number): DailySummary => ({
    provider: 'openai',
    localDate: `2026-10-${String(1 + (i % 28)).padStart(2, '0')}`,
    utcDays: '2026-10-01',
    projectId: `proj_${i % 5}`,
    projectName: `Project ${i % 5}`,
    billed: Decimal.from(`${i}.25`),
  });
  const daily = (n: number) =>
    writeAndRead(DAILY, (s) =>
      writeDaily(
        s,
        Array.from({ length: n }, (_, i) => day(i)),
        'USD',
        'UTC',
      ),
    );

  it('prints on one page fewer, slightly smaller, and never below the floor (Daily, a month of 101 rows: 3 pages, not 3 and a sliver)', async () => {
    const { ws } = await daily(101);
    expect(ws.pageSetup.fitToHeight).toBe(3);
    expect(printScale(ws)).toBeGreaterThanOrEqual(0.85);
  });

  it('keeps as many pages as it takes when the last one is well filled or shrinking would cost too much', async () => {
    for (const n of [20, 60, 400]) {
      const { ws } = await daily(n);
      expect(ws.pageSetup.fitToHeight ?? 0, `${n} rows`).toBe(0);
      expect(printScale(ws), `${n} rows`).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    }
  });
});

/** The header rows of a sheet of stacked tables (a row of bold cells, several of them), as their texts. */
function headersIn(ws: ExcelJS.Worksheet): string[][] {
  const out: string[][] = [];
  ws.eachRow((row) => {
    const cells = (row.values as unknown[]).slice(1);
    if (cells.filter((v) => typeof v === 'string').length > 2 && row.getCell(1).font?.bold) out.push(cells as string[]);
  });
  return out;
}

/**
 * Texts a reader would not see whole in print: wrapped ones in a row too short for their lines,
 * others longer than their column. Titles and notes alone on their row run on across empty cells.
 */
function clippedTexts(ws: ExcelJS.Worksheet): string[] {
  const out: string[] = [];
  ws.eachRow((row) => {
    const filled = (row.values as unknown[]).filter((v) => v !== null && v !== undefined).length;
    if (filled < 2) return;
    row.eachCell((cell, c) => {
      const v = cell.value as unknown;
      const text = typeof v === 'string' ? v : typeof v === 'object' && v && 'text' in v ? String((v as { text: unknown }).text) : null;
      if (text === null) return;
      const width = ws.getColumn(c).width ?? 9;
      const fits = cell.alignment?.wrapText ? 15 * wrappedLines(text, width) <= (row.height ?? 15) : text.length <= width;
      if (!fits) out.push(`${cell.address} (${width} wide, ${row.height ?? 15} pt): ${text}`);
    });
  });
  return out;
}

interface Demo {
  out: string;
  reimbursementPath: string;
  report: ExcelJS.Workbook;
  reimbursement: ExcelJS.Workbook;
}

let demoRun: Promise<Demo> | null = null;

/** The demo's two workbooks, written once for the tests below and read back. */
function demo(): Promise<Demo> {
  demoRun ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-print-'));
    const out = join(dir, '2026-10.xlsx');
    expect(await main(['demo', '--out', out])).toBe(0);
    const read = async (path: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path);
      return wb;
    };
    const reimbursementPath = join(dir, '2026-10-reimbursement.xlsx');
    return { out, reimbursementPath, report: await read(out), reimbursement: await read(reimbursementPath) };
  })();
  return demoRun;
}

/** Rows a manual page break follows on the workbook's n-th sheet (1-based), from its XML. */
async function manualBreaks(path: string, n: number): Promise<number[]> {
  const xml = await (await JSZip.loadAsync(readFileSync(path))).file(`xl/worksheets/sheet${n}.xml`)!.async('string');
  return [...(xml.match(/<rowBreaks[\s\S]*?<\/rowBreaks>/)?.[0] ?? '').matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1]));
}

describe('the demo workbooks print each wide sheet one page across (issue #12)', () => {
  it('Reconciliation, Ledger, Breakdown, the cost-centre sheets and the exceptions/plans/not-claimed sheet: fitted to one page wide at or above the floor, read back from the files', async () => {
    const { out, report, reimbursement } = await demo();
    const costCentres = reimbursement.worksheets.filter((ws) => /^CC-/.test(ws.name));
    // the demo's two cost centres, and both providers (the Provider column is there too)
    expect(costCentres.map((ws) => ws.name)).toEqual(['CC-220 Product Engineering', 'CC-410 Customer Care']);
    const stacked = [report.getWorksheet(BREAKDOWN)!, reimbursement.getWorksheet(OTHER_LINES)!];
    // a Provider column took both two pages wide; narrowed, they still show every table and every text in full
    expect(stacked[0]!.getRow(2).getCell(1).value).toBe('Provider');
    expect(headersIn(stacked[1]!).map((h) => h[1])).toEqual(['What', 'Provider', 'Provider']);
    for (const ws of stacked) expect(clippedTexts(ws), ws.name).toEqual([]);
    for (const ws of [report.getWorksheet('Reconciliation')!, report.getWorksheet('Ledger')!, ...costCentres, ...stacked]) {
      expect(ws.pageSetup.fitToWidth, ws.name).toBe(1);
      expect(ws.pageSetup.printTitlesColumn, ws.name).toBeUndefined();
      expect(printScale(ws), ws.name).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    }
    for (const ws of costCentres) {
      const header = [1, 2, 3, 4, 5].map((r) => ws.getRow(r)).find((row) => row.getCell(1).value === 'Date')!;
      expect((header.values as unknown[]).slice(1, 3), ws.name).toEqual(['Date', 'Provider']);
    }
    // Reconciliation keeps 60 px to spare inside one page wide: a month of larger amounts or a longer class still fits
    const recon = report.getWorksheet('Reconciliation')!;
    expect(printablePixels('landscape') / (MIN_PRINT_SCALE + 0.03) - visiblePixels(recon)).toBeGreaterThanOrEqual(60);
    // Summary: two pages, not a third holding the run's parameters alone
    const summary = report.getWorksheet('Summary')!;
    expect(summary.pageSetup.fitToHeight).toBe(2);
    expect(printScale(summary)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    await dashboardFirstPageHoldsCharts(out, report.getWorksheet('Dashboard')!);
  });
});

describe('the demo workbooks: no table split, no near-empty page, no text cut (issue #12)', () => {
  it('Reconciliation: the long Why texts in a wide column, so its 20 rows print on at most 3 pages, one page wide with 60 px to spare', async () => {
    const ws = (await demo()).report.getWorksheet('Reconciliation')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const width = (h: string) => ws.getColumn(header.indexOf(h) + 1).width!;
    expect(width('Why')).toBeGreaterThanOrEqual(40);
    // Why holds the longest texts: no visible wrapped column is wider
    for (let c = 1; c <= ws.columnCount; c++) if (!ws.getColumn(c).hidden) expect(ws.getColumn(c).width ?? 9).toBeLessThanOrEqual(width('Why'));
    expect(ws.rowCount - 1).toBe(20);
    expect(pagesTall(ws)).toBeLessThanOrEqual(3);
    expect(printablePixels('landscape') / (MIN_PRINT_SCALE + 0.03) - visiblePixels(ws)).toBeGreaterThanOrEqual(60);
  });

  it('Reconciliation: a line left out of the tie-out says so on the printed page, by its amount, exactly where the hidden counted column says no', async () => {
    const ws = (await demo()).report.getWorksheet('Reconciliation')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const cell = (r: number, h: string) => ws.getRow(r).getCell(header.indexOf(h) + 1);
    const shown = (c: ExcelJS.Cell) => {
      const v = c.value as unknown;
      if (v && typeof v === 'object' && 'richText' in v) return (v as ExcelJS.CellRichTextValue).richText.filter((run) => run.font?.bold).map((run) => run.text);
      return [];
    };
    let left = 0;
    for (let r = 2; r <= ws.rowCount; r++) {
      for (const [counted, text, amount] of [
        ['Card counted', 'Card description, status', 'Card amount'],
        ['Payment counted', 'Receipt / reference', 'Payment amount'],
      ] as const) {
        expect(ws.getColumn(header.indexOf(counted) + 1).hidden).toBe(true);
        const no = cell(r, counted).value === 'no';
        if (no) left++;
        // bold "not counted" beside the amount, the amount in grey italics; nothing of the kind on a counted line
        expect(shown(cell(r, text)), `row ${r} ${text}`).toEqual(no ? ['not counted'] : []);
        expect(cell(r, amount).font?.italic ?? false, `row ${r} ${amount}`).toBe(no);
      }
    }
    // the demo's grant: paid by the provider, no money moved
    expect(left).toBe(1);
  });

  it('the reimbursement Summary: a manual break before "Allocated to projects", every table whole on one page, each page at least 60 % full', async () => {
    const { reimbursement, reimbursementPath } = await demo();
    const ws = reimbursement.worksheets[0]!;
    expect(ws.name).toBe(REIMBURSEMENT_SUMMARY);
    const breaks = await manualBreaks(reimbursementPath, 1);
    let allocated = 0;
    ws.eachRow((row, r) => {
      if (String(row.getCell(1).value).startsWith('Allocated to projects')) allocated = r;
    });
    expect(allocated).toBeGreaterThan(0);
    expect(breaks).toEqual([allocated - 1]);
    // a sheet of several tables repeats no header row over the others
    expect(ws.pageSetup.printTitlesRow).toBeUndefined();
    const pages = pagesOf(ws, breaks);
    expect(pages.length).toBe(2);
    const page = printableHeightPoints('landscape') / printScale(ws);
    for (const p of pages) expect(p.reduce((a, r) => a + (ws.getRow(r).height ?? 15), 0) / page).toBeGreaterThanOrEqual(0.6);
    for (const block of filledRuns(ws)) {
      const on = new Set(block.map((r) => pages.findIndex((p) => p.includes(r))));
      expect(on.size, `rows ${block[0]}-${block.at(-1)}`).toBe(1);
    }
  });

  it('Breakdown and "Exceptions, plans, not claimed": too tall for one page at the floor, so two pages, each at least 40 % full, every table whole on one', async () => {
    const { out, report, reimbursement, reimbursementPath } = await demo();
    const sheets = [
      { ws: report.getWorksheet(BREAKDOWN)!, path: out },
      { ws: reimbursement.getWorksheet(OTHER_LINES)!, path: reimbursementPath },
    ];
    for (const { ws, path } of sheets) {
      const breaks = await manualBreaks(path, ws.workbook.worksheets.indexOf(ws) + 1);
      let total = 0;
      for (let r = 1; r <= ws.rowCount; r++) total += ws.getRow(r).height ?? 15;
      // one page tall would take the sheet below the floor (with fitPrintWidth's few per cent)
      expect(printableHeightPoints('landscape') / total, ws.name).toBeLessThan(MIN_PRINT_SCALE + 0.03);
      expect(ws.pageSetup.fitToHeight ?? 0, ws.name).toBe(0);
      const fills = pageFills(ws, breaks);
      expect(fills.length, ws.name).toBe(2);
      for (const f of fills) expect(f, ws.name).toBeGreaterThanOrEqual(MIN_STACK_FILL);
      const pages = pagesOf(ws, breaks);
      for (const block of filledRuns(ws)) {
        const on = new Set(block.map((r) => pages.findIndex((p) => p.includes(r))));
        expect(on.size, `${ws.name} rows ${block[0]}-${block.at(-1)}`).toBe(1);
      }
    }
  });

  it('Summary and Dashboard: no right-aligned text wider than its column (a viewer cuts it at the left)', async () => {
    const { report } = await demo();
    for (const ws of [report.getWorksheet('Summary')!, report.getWorksheet('Dashboard')!]) {
      const cut: string[] = [];
      let rightTexts = 0;
      ws.eachRow((row) =>
        row.eachCell((cell, c) => {
          if (typeof cell.value !== 'string' || cell.alignment?.horizontal !== 'right' || cell.isMerged) return;
          rightTexts++;
          if (textWidth(cell.value) > (ws.getColumn(c).width ?? 9) - 1) cut.push(`${cell.address}: ${cell.value}`);
        }),
      );
      expect(rightTexts, ws.name).toBeGreaterThan(0);
      expect(cut, ws.name).toEqual([]);
    }
    // the period, too long for the value column, wraps there in full
    const summary = report.getWorksheet('Summary')!;
    let periodRow = 0;
    summary.eachRow((row, r) => {
      if (row.getCell(1).value === 'Period (local dates, inclusive)') periodRow = r;
    });
    const period = summary.getRow(periodRow).getCell(2);
    expect(period.value).toBe('2026-10-01 to 2026-10-31');
    expect(period.alignment).toMatchObject({ wrapText: true });
    expect(period.alignment?.horizontal).toBeUndefined();
    expect(15 * wrappedLines(String(period.value), summary.getColumn(2).width!)).toBeLessThanOrEqual(summary.getRow(periodRow).height ?? 15);
  });
});

/** Runs of consecutive non-empty rows (a table with its title and totals, a block of notes). */
function filledRuns(ws: ExcelJS.Worksheet): number[][] {
  const runs: number[][] = [[]];
  for (let r = 1; r <= ws.rowCount; r++) {
    const filled = (ws.getRow(r).values as unknown[]).some((v) => v !== null && v !== undefined && v !== '');
    if (filled) runs.at(-1)!.push(r);
    else if (runs.at(-1)!.length) runs.push([]);
  }
  return runs.filter((x) => x.length > 1);
}

/** Pages tall a one-table sheet prints on at its width's scale, its title rows repeated on each page after the first. */
function pagesTall(ws: ExcelJS.Worksheet): number {
  const page = printableHeightPoints('landscape') / printScale(ws);
  const [from, to] = (ws.pageSetup.printTitlesRow ?? '0:0').split(':').map(Number) as [number, number];
  let title = 0;
  for (let r = from; r >= 1 && r <= to; r++) title += ws.getRow(r).height ?? 15;
  let pages = 1;
  let used = 0;
  for (let r = 1; r <= ws.rowCount; r++) {
    const h = ws.getRow(r).height ?? 15;
    if (used + h > page) {
      pages++;
      used = title;
    }
    used += h;
  }
  return pages;
}

/** Pixels of a sheet's visible columns at 100 %. */
function visiblePixels(ws: ExcelJS.Worksheet): number {
  let px = 0;
  for (let i = 1; i <= ws.columnCount; i++) if (!ws.getColumn(i).hidden) px += columnPixels(ws.getColumn(i).width ?? 9);
  return px;
}

/** The Dashboard's first page (up to its first manual break) holds the status lines and the first two charts, whole. */
async function dashboardFirstPageHoldsCharts(path: string, ws: ExcelJS.Worksheet): Promise<void> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  const sheetXml = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  const drawing = await zip.file('xl/drawings/drawing1.xml')!.async('string');
  // 0-based rows of each chart's bottom edge, in the order the charts were placed
  const bottoms = [...drawing.matchAll(/<xdr:to><xdr:col>\d+<\/xdr:col><xdr:colOff>0<\/xdr:colOff><xdr:row>(\d+)<\/xdr:row>/g)].map((m) => Number(m[1]) + 1);
  expect(bottoms.length).toBeGreaterThanOrEqual(2);
  const firstBreak = Math.min(...[...sheetXml.matchAll(/<brk id="(\d+)"/g)].map((m) => Number(m[1])));
  const firstBand = Math.max(bottoms[0]!, bottoms[1]!);
  expect(firstBand).toBeLessThanOrEqual(firstBreak);
  let height = 0;
  for (let r = 1; r <= firstBand; r++) height += ws.getRow(r).height ?? 15;
  expect(height * printScale(ws)).toBeLessThanOrEqual(printableHeightPoints('landscape'));
  expect(printScale(ws)).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
}
