/**
 * Workbook plumbing: the only module besides sheets that touches exceljs. Output is
 * deterministic (fixed document dates, fixed zip entry times: zip.ts) so the same inputs
 * give a byte-identical file, and written atomically (../output-files.ts).
 */
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import { cached } from '../lists.js';
import { addChartParts } from './charts/package.js';
import { insertDirectRows, renderDirectRows, spliceDirectRows, type WorkbookModel } from './direct-xml.js';
import { sanitiseWorkbook } from './sanitise.js';
import { type Parts, zipBytes } from './zip.js';
import { writeFileAtomic } from '../output-files.js';
import { requireCached } from '../code-cache.js';
import { builtFile } from '../worker-file.js';

/**
 * exceljs's Workbook class alone: its package entry also loads the streaming workbook reader
 * and its unzip library, which spendrecon never uses (≈0.11 s of every run's start-up). Loaded
 * on the first workbook: a run that writes none (inspect, an input error) does not load exceljs.
 */
let Workbook: typeof ExcelJS.Workbook | null = null;

/** Document dates: fixed, so reruns are byte-identical (the period is printed in the sheets). */
const FIXED_DATE = new Date('2000-01-01T00:00:00Z');

/**
 * exceljs's Workbook class, loaded on the first call (~0.15 s of CPU at a 1M-row report's end).
 * A caller that knows a workbook will be written may call it earlier, while the main thread would
 * otherwise wait: at the end of a two-core usage read it waited 26 and 228 ms for the worker's last
 * range in two runs on bench/data/1m, and the load done there is not done later.
 */
export function loadExcelJs(): typeof ExcelJS.Workbook {
  if (!Workbook) {
    const require = createRequire(import.meta.url);
    const built = excelJsBuild(require);
    Workbook = (built ? requireCached(built) : require('exceljs/lib/doc/workbook.js')) as typeof ExcelJS.Workbook;
  }
  return Workbook;
}

/**
 * The one-file build of that class (bin/bundle.mjs: dist/exceljs-<version>-workbook.cjs, its ~290
 * modules in one file): it loads in 48–70 ms instead of 114–151 ms, ~40 ms with its code cache
 * (../code-cache.ts). Only of the installed exceljs's version (its name says which). Null
 * otherwise (the tests that run the sources load exceljs's own files).
 */
function excelJsBuild(require: NodeJS.Require): string | null {
  let version: string;
  try {
    version = (require('exceljs/package.json') as { version: string }).version;
  } catch {
    return null;
  }
  return builtFile(import.meta.url, `exceljs-${version}-workbook.cjs`);
}

export function newWorkbook(): ExcelJS.Workbook {
  const wb = new (loadExcelJs())();
  wb.creator = 'spendrecon';
  wb.lastModifiedBy = 'spendrecon';
  wb.created = FIXED_DATE;
  wb.modified = FIXED_DATE;
  wb.calcProperties.fullCalcOnLoad = true;
  return wb;
}

export function addSheet(wb: ExcelJS.Workbook, name: string, landscape = true): ExcelJS.Worksheet {
  return wb.addWorksheet(name, {
    pageSetup: { orientation: landscape ? 'landscape' : 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9 },
    // `&` starts a header/footer code (&D is the date): a literal one is doubled
    headerFooter: { oddFooter: `&L${name.replace(/&/g, '&&')}&RPage &P of &N` },
  });
}

/** Lowest print scale a page may have: below it a sheet prints on more pages across instead. */
export const MIN_PRINT_SCALE = 0.6;
/** The scale aimed at when a sheet is split across pages, leaving room for column boundaries. */
export const TARGET_SCALE = 0.7;
const SIDE_MARGIN_IN = 0.4;
const TOP_BOTTOM_MARGIN_IN = 0.6;

/** A column's printed width in pixels at 96 dpi (Excel: 7 px a character of Calibri 11, plus 5 px padding). */
export const columnPixels = (width: number) => Math.trunc(width * 7 + 5);

/** Printable width of an A4 page in pixels at 100 %. */
export function printablePixels(orientation: 'portrait' | 'landscape'): number {
  return ((orientation === 'landscape' ? 11.69 : 8.27) - 2 * SIDE_MARGIN_IN) * 96;
}

/** Printable height of an A4 page in points at 100 % (the footer sits in the bottom margin). */
export function printableHeightPoints(orientation: 'portrait' | 'landscape'): number {
  return ((orientation === 'landscape' ? 8.27 : 11.69) - 2 * TOP_BOTTOM_MARGIN_IN) * 72;
}

/**
 * Print settings from the columns as written: one page wide when that keeps the scale at or
 * above 60 %, otherwise as many pages across as keep it near 70 %, the first column repeated on
 * each so a row can still be told apart (fitting 459 characters on one page printed at 31 %).
 */
function fitPrintWidth(ws: ExcelJS.Worksheet): void {
  const widths: number[] = [];
  // columnCount walks every row's cells: asked once, not once per column
  const columns = ws.columnCount;
  for (let i = 1; i <= columns; i++) if (!ws.getColumn(i).hidden) widths.push(ws.getColumn(i).width ?? 9);
  const total = widths.reduce((a, w) => a + columnPixels(w), 0);
  const printable = printablePixels(ws.pageSetup.orientation === 'portrait' ? 'portrait' : 'landscape');
  const page = printable / TARGET_SCALE;
  const first = widths.length ? columnPixels(widths[0]!) : 0;
  // a few per cent above the floor, so a printer's own rounding never takes a page below it
  const pages = total <= printable / (MIN_PRINT_SCALE + 0.03) ? 1 : Math.ceil((total - first) / (page - first));
  ws.pageSetup.margins = { left: SIDE_MARGIN_IN, right: SIDE_MARGIN_IN, top: TOP_BOTTOM_MARGIN_IN, bottom: TOP_BOTTOM_MARGIN_IN, header: 0.3, footer: 0.3 };
  ws.pageSetup.fitToPage = true;
  ws.pageSetup.fitToWidth = pages;
  // pages tall stay as the sheet set them (addSheet: as many as it takes; a short stacked sheet: one)
  ws.pageSetup.fitToHeight = pages > 1 ? 0 : (ws.pageSetup.fitToHeight ?? 0);
  if (pages > 1) ws.pageSetup.printTitlesColumn = 'A:A';
}

/** Number of each distinct style part (a font, an alignment, a format), by its JSON: worked out once per part object. */
class PartIds {
  private readonly byObject = new WeakMap<object, number>();
  private readonly byText = new Map<string, number>();

  of(part: unknown): number {
    const known = typeof part === 'object' && part !== null ? this.byObject.get(part) : undefined;
    if (known !== undefined) return known;
    const text = JSON.stringify(part) ?? 'undefined';
    const id = cached(this.byText, text, () => this.byText.size);
    if (typeof part === 'object' && part !== null) this.byObject.set(part, id);
    return id;
  }
}

/**
 * A style's key from its parts' numbers: writeTable gives a column's cells the same font and
 * alignment objects, so this is a few lookups a cell, not the whole style's JSON (~65 ms of the
 * 1M-row report's 51,000 Usage vs cost cells).
 */
function styleKey(cell: ExcelJS.Cell, ids: PartIds): string {
  // the type too: exceljs caches a style's XML by object, a missing number format worked out from the first cell's type (a date's is not a number's)
  let key = String(cell.type);
  const style = cell.style as Record<string, unknown>;
  for (const name in style) key += `|${name}:${ids.of(style[name])}`;
  return key;
}

/**
 * Cells with equal styles given one style object. exceljs gives every cell a style object of its
 * own and, when it writes, looks a style up by object before working out its XML; with one
 * object per distinct style its lookup hits (a 4,500-row Usage vs cost sheet: ~0.15 s less).
 * Done last, once nothing sets a cell's style any more: a shared object must not be changed. Only
 * cells with values (an empty one visited would be created, changing the rows' spans).
 */
function shareStyles(wb: ExcelJS.Workbook): void {
  const shared = new Map<string, Partial<ExcelJS.Style>>();
  const ids = new PartIds();
  wb.eachSheet((ws) =>
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const key = styleKey(cell, ids);
        const one = shared.get(key);
        if (one) cell.style = one;
        else shared.set(key, cell.style);
      }),
    ),
  );
}

/** The parts of exceljs's writer (XLSX.write, exceljs 4.4) that spendrecon calls to get a workbook's parts unzipped. */
interface XlsxParts {
  prepareModel(model: unknown, options: object): void;
  [add: `add${string}`]: (sink: PartSink, model: unknown) => Promise<void> | void;
}
interface PartSink {
  append(data: string | Buffer, o: { name: string; base64?: boolean }): void;
}

/**
 * exceljs's parts of the workbook, as its writeBuffer would zip them (same calls, same order;
 * test/report/zip-parts.test.ts holds it to that): without its zip, which spendrecon only
 * unpacked again to add the charts, so the one zip is written once, natively (zip.ts). Direct
 * rows (direct-rows.ts) are written as exceljs would write them as cells (direct-xml.ts).
 */
async function excelParts(wb: ExcelJS.Workbook): Promise<Parts> {
  const parts: Parts = new Map();
  const sink: PartSink = { append: (data, o) => void parts.set(o.name, o.base64 ? Buffer.from(data as string, 'base64') : data) };
  const x = wb.xlsx as unknown as XlsxParts;
  const { model } = wb as unknown as { model: WorkbookModel };
  // large tables' data rows: prepared by exceljs as its own cells, rendered by direct-xml.ts
  const pending = insertDirectRows(wb, model);
  x.prepareModel(model, {});
  const splices = renderDirectRows(pending);
  for (const step of ['ContentTypes', 'OfficeRels', 'WorkbookRels', 'Worksheets']) await x[`add${step}`]!(sink, model);
  spliceDirectRows(parts, splices);
  for (const step of ['SharedStrings', 'Drawings', 'Tables']) await x[`add${step}`]!(sink, model);
  await Promise.all([x.addThemes!(sink, model), x.addStyles!(sink, model)]);
  await x.addMedia!(sink, model);
  await Promise.all([x.addApp!(sink, model), x.addCore!(sink, model)]);
  await x.addWorkbook!(sink, model);
  return parts;
}

/**
 * The file's bytes, after the final pass that makes every text safe (sanitise.ts) and the print
 * fit; native charts added last (charts/), their caches read from the cells as sanitised.
 */
export async function workbookBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  sanitiseWorkbook(wb);
  wb.eachSheet((ws) => fitPrintWidth(ws));
  shareStyles(wb);
  const parts = await excelParts(wb);
  addChartParts(parts, wb);
  return zipBytes(parts);
}

export async function saveWorkbook(wb: ExcelJS.Workbook, path: string): Promise<void> {
  await writeFileAtomic(path, await workbookBytes(wb));
}
