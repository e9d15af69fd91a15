/**
 * Issue #14: spendrecon zips a workbook itself (zip.ts, node:zlib) from the parts exceljs's writer
 * makes, instead of packing it with jszip. Only the container may change: every part exceljs
 * writes, in its order, byte for byte as its own writeBuffer gives it; the charts' parts after
 * them, and the parts they change differing only by what the charts insert.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { openAiOnlyConfig } from './demo-config.js';
import { runReport, type ReportResult } from '../../src/pipeline.js';
import { buildReportWorkbook } from '../../src/report/index.js';
import { buildReimbursementWorkbook } from '../../src/report/reimbursement/index.js';
import { workbookBytes } from '../../src/report/workbook.js';
import type { ReportRequest } from '../../src/stages/request.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FX = join(ROOT, 'fixtures');
const config = openAiOnlyConfig();

/** The demo's OpenAI month: usage, costs, payments, two statements and budgets, so every sheet and the Dashboard's charts are written. */
function demoRun(want?: ReportRequest['want']): Promise<ReportResult> {
  const exports = [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')];
  return runReport({
    usage: want ? [] : exports,
    costs: want?.reconciliation ? [] : exports,
    payments: [join(FX, 'demo', 'payments_2026-10.csv')],
    statements: want?.ledger ? [] : [join(FX, 'demo', 'us-card-2026-10.csv'), join(FX, 'demo', 'cmb-credit-card-2026-10.csv')],
    config,
    period: { month: '2026-10' },
    strict: false,
    want,
    cwd: ROOT,
  });
}

/** A zip's file entries (folders, which jszip's writer adds, are not parts), every CRC checked. */
async function partsOf(bytes: Buffer | ArrayBuffer): Promise<[string, Buffer][]> {
  const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  const files = Object.values(zip.files).filter((f) => !f.dir);
  return Promise.all(files.map(async (f): Promise<[string, Buffer]> => [f.name, await f.async('nodebuffer')]));
}

/**
 * What `after` adds to `before` when it is `before` with one run of text inserted (moved back to
 * start at an element: `<a/>` inserted before `</b>` matches as `a/><`); null otherwise.
 */
function insertion(before: string, after: string): string | null {
  let p = 0;
  while (p < before.length && before[p] === after[p]) p++;
  let s = 0;
  while (s < before.length - p && before[before.length - 1 - s] === after[after.length - 1 - s]) s++;
  if (p + s !== before.length) return null;
  const added = after.length - before.length;
  while (p > 0 && after[p] !== '<' && after[p - 1] === after[p - 1 + added]) p--;
  return after.slice(p, p + added);
}

const CHART_INSERTIONS = [
  /^<drawing r:id="rId\d+"\/>$/,
  /^(<Override PartName="\/xl\/(charts\/chart|drawings\/drawing)\d+\.xml" ContentType="[^"]+"\/>)+$/,
  /^<Relationship [^>]+\/>$/,
];

/**
 * The written workbook (large tables' rows direct: direct-rows.ts) against exceljs's own
 * writeBuffer of the same workbook built with exceljs cells only (which its writer needs), after
 * the same final passes.
 */
async function compareWithExcelJs(build: () => ExcelJS.Workbook): Promise<{ changed: string[]; added: string[] }> {
  process.env.SPENDRECON_DIRECT_ROWS = '1';
  const ours = await partsOf(await workbookBytes(build()));
  process.env.SPENDRECON_DIRECT_ROWS = '0';
  const cells = build();
  delete process.env.SPENDRECON_DIRECT_ROWS;
  await workbookBytes(cells); // sanitised, print fit and styles shared in place
  const theirs = await partsOf(Buffer.from(await cells.xlsx.writeBuffer()));
  expect(ours.slice(0, theirs.length).map(([n]) => n)).toEqual(theirs.map(([n]) => n));
  const changed: string[] = [];
  theirs.forEach(([name, bytes], i) => {
    const mine = ours[i]![1];
    if (mine.equals(bytes)) return;
    changed.push(name);
    const inserted = insertion(bytes.toString('utf8'), mine.toString('utf8'));
    expect(inserted, `${name}: only chart references may be inserted`).not.toBeNull();
    expect(
      CHART_INSERTIONS.some((re) => re.test(inserted!)),
      `${name}: inserted ${inserted}`,
    ).toBe(true);
  });
  return { changed, added: ours.slice(theirs.length).map(([n]) => n) };
}

describe('the workbook zip (zip.ts)', () => {
  const full = demoRun();

  it('holds exceljs parts byte for byte, the charts added after them', async () => {
    const result = await full;
    const { changed, added } = await compareWithExcelJs(() => buildReportWorkbook(result));
    expect(changed).toEqual(['[Content_Types].xml', 'xl/worksheets/sheet1.xml']);
    expect(added).toEqual([
      'xl/charts/chart1.xml',
      'xl/charts/chart2.xml',
      'xl/charts/chart3.xml',
      'xl/charts/chart4.xml',
      'xl/drawings/drawing1.xml',
      'xl/drawings/_rels/drawing1.xml.rels',
      'xl/worksheets/_rels/sheet1.xml.rels',
    ]);
    // the ledger job's Dashboard: the balance chart alone
    const ledgerRun = await demoRun({ attribution: false, reconciliation: false, ledger: true });
    const ledger = await compareWithExcelJs(() => buildReportWorkbook(ledgerRun));
    expect(ledger.added).toEqual(['xl/charts/chart1.xml', 'xl/drawings/drawing1.xml', 'xl/drawings/_rels/drawing1.xml.rels', 'xl/worksheets/_rels/sheet1.xml.rels']);
  });

  it('is exceljs output exactly for workbooks without charts: match, reimbursement', async () => {
    const match = await demoRun({ attribution: false, reconciliation: true, ledger: false });
    const result = await full;
    for (const build of [() => buildReportWorkbook(match), () => buildReimbursementWorkbook(result, config)])
      expect(await compareWithExcelJs(build)).toEqual({ changed: [], added: [] });
  });

  it('opens in exceljs, and the same workbook gives the same bytes', async () => {
    const bytes = await workbookBytes(buildReportWorkbook(await full));
    expect((await workbookBytes(buildReportWorkbook(await full))).equals(bytes)).toBe(true);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(back.worksheets.map((ws) => ws.name)).toContain('Usage vs cost');
  });
});
