/**
 * Layout helpers for sheets that hold more than one table (Ledger, the reimbursement
 * workbook): `writeTable` sets column widths, the frozen view, the autofilter and the printed
 * title row for its own table on every call, so a sheet with blocks below its main table
 * keeps the widest width per column and restores the main table's view at the end.
 */
import type ExcelJS from 'exceljs';
import { rowHeight } from './direct-rows.js';
import { wrappedLines, type Column, type WrittenTable } from './table.js';
import { columnPixels, MIN_PRINT_SCALE, printableHeightPoints, printablePixels, TARGET_SCALE } from './workbook.js';

/** Current widths of columns 1..n. */
export function snapshotWidths(ws: ExcelJS.Worksheet, n: number): number[] {
  return Array.from({ length: n }, (_, i) => ws.getColumn(i + 1).width ?? 8);
}

/** The widest of each column over several snapshots. */
export function maxWidths(all: readonly number[][]): number[] {
  const n = Math.max(0, ...all.map((w) => w.length));
  return Array.from({ length: n }, (_, i) => Math.max(0, ...all.map((w) => w[i] ?? 0)));
}

export function applyWidths(ws: ExcelJS.Worksheet, widths: readonly number[]): void {
  widths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
}

/**
 * Sets the frozen header and autofilter to one table's. Printed pages repeat its header only
 * when it is the sheet's one table (`repeatHeader`): a sheet with blocks below would print the
 * main table's header above the blocks' rows.
 */
export function keepTableView(ws: ExcelJS.Worksheet, t: WrittenTable, cols: number, repeatHeader = true): void {
  if (repeatHeader) ws.pageSetup.printTitlesRow = `${t.headerRow}:${t.headerRow}`;
  else delete (ws.pageSetup as { printTitlesRow?: string }).printTitlesRow;
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: t.headerRow, topLeftCell: `A${t.firstDataRow}`, activeCell: `A${t.firstDataRow}` }];
  ws.autoFilter = { from: { row: t.headerRow, column: 1 }, to: { row: Math.max(t.headerRow, t.lastDataRow), column: cols } };
}

/**
 * Wrapped columns just wide enough that text which fits within `maxWidth` stays on one line
 * per paragraph: writeTable sizes a column to its text, but its row-height estimate keeps a
 * margin, so text as long as the column would otherwise count as two lines and leave a gap.
 */
export function fitWrapped<T>(columns: Column<T>[], rows: readonly T[]): Column<T>[] {
  return columns.map((c) => {
    if (!c.wrap) return c;
    const max = c.maxWidth ?? 60;
    let need = Math.min(max, c.minWidth ?? 8);
    for (const r of rows) {
      const v = c.value(r);
      if (v === null) continue;
      const text = String(v);
      const paragraphs = text.split('\n').length;
      while (need < max && wrappedLines(text, need) > paragraphs) need++;
    }
    return { ...c, minWidth: need };
  });
}

/** A row's printed height in points: its own, or Excel's 15 for Calibri 11 (LibreOffice's is lower, so an estimate from it never overflows a page there). */
const rowPoints = (ws: ExcelJS.Worksheet, r: number) => rowHeight(ws, r) ?? 15;

/** The scale the sheet's widths print at (workbook.ts fitPrintWidth): one page across, or near 70 % over several. */
function widthScale(ws: ExcelJS.Worksheet): number {
  let total = 0;
  const columns = ws.columnCount; // walks every row's cells: asked once
  for (let i = 1; i <= columns; i++) if (!ws.getColumn(i).hidden) total += columnPixels(ws.getColumn(i).width ?? 9);
  const printable = printablePixels(ws.pageSetup.orientation === 'portrait' ? 'portrait' : 'landscape');
  return total <= printable / (MIN_PRINT_SCALE + 0.03) ? Math.min(1, printable / total) : TARGET_SCALE;
}

/** Rows firstRow..lastRow of a sheet of stacked tables: a table's title, header, data and totals. */
export interface StackedBlock {
  firstRow: number;
  lastRow: number;
}

/** Rows of a block that must start on the same page: title, header and the first few data rows. */
const KEEP_WITH_TITLE = 5;
/** A page of a stacked sheet filled less than this is near-empty: the breaks are moved to even the pages out when that helps. */
export const MIN_STACK_FILL = 0.4;
/** Above this many blocks the breaks are not searched for (2^n layouts), the first-fit ones are kept. */
const MAX_SEARCHED_BLOCKS = 12;

/**
 * Print layout of a sheet of stacked tables, none of whose headers repeats (each has its own):
 * all on one page when that keeps the scale at or above the floor (a few per cent over, as
 * fitPrintWidth does); otherwise page breaks between tables, never inside a table that fits on
 * one page, nor between a table's title and its first rows. First fit, unless that leaves a
 * near-empty page (By user alone on Breakdown's second page): then, of the layouts on as few
 * pages, the one whose emptiest page is fullest. Returns the rows a break follows.
 */
export function paginateStack(ws: ExcelJS.Worksheet, blocks: readonly StackedBlock[]): number[] {
  const last = blocks.at(-1)?.lastRow ?? 0;
  const heights = Array.from({ length: last + 1 }, (_, r) => (r === 0 ? 0 : rowPoints(ws, r)));
  const body = printableHeightPoints(ws.pageSetup.orientation === 'portrait' ? 'portrait' : 'landscape');
  const scale = widthScale(ws);
  const total = heights.reduce((a, h) => a + h, 0);
  if (total * scale <= body) return [];
  if (body / total >= MIN_PRINT_SCALE + 0.03 && scale >= MIN_PRINT_SCALE + 0.03) {
    ws.pageSetup.fitToHeight = 1;
    return [];
  }
  const stack: Stack = { blocks, heights, page: body / scale };
  const firstFit = firstFitBreaks(stack);
  let chosen = layOut(stack, firstFit);
  // first fit is always a valid layout; a search from it keeps it unless one is better
  if (chosen && Math.min(...chosen.fills) < MIN_STACK_FILL && blocks.length <= MAX_SEARCHED_BLOCKS) chosen = evenestLayout(stack, chosen);
  const rows = chosen?.breakRows ?? [...firstFit].map((i) => blocks[i]!.firstRow - 1);
  for (const r of rows) ws.getRow(r).addPageBreak();
  return rows;
}

/** A stacked sheet's blocks, row heights (index = row) and a page's height in points at its scale. */
interface Stack {
  blocks: readonly StackedBlock[];
  heights: readonly number[];
  page: number;
}

const sumHeights = (s: Stack, from: number, to: number) => s.heights.slice(from, to + 1).reduce((a, h) => a + h, 0);

/** A layout of a stacked sheet: each page's fill (0..1) and the rows its manual breaks follow. */
interface StackLayout {
  fills: number[];
  breakRows: number[];
}

/**
 * The layout with a break before the blocks of `breakBefore`, rows flowing onto the next page
 * when one fills; null when that splits a table which fits on one page or leaves a table's
 * title without its first rows. The blank rows between tables end the page above, or, when
 * they do not fit there, start the next (a break after them would print a page of blank rows).
 */
function layOut(s: Stack, breakBefore: ReadonlySet<number>): StackLayout | null {
  const fills: number[] = [];
  const breakRows: number[] = [];
  let used = 0;
  let row = 1;
  for (const [i, b] of s.blocks.entries()) {
    const gap = sumHeights(s, row, b.firstRow - 1);
    if (i > 0 && breakBefore.has(i)) {
      const gapFits = used + gap <= s.page;
      fills.push((gapFits ? used + gap : used) / s.page);
      breakRows.push(gapFits ? b.firstRow - 1 : row - 1);
      used = gapFits ? 0 : gap;
    } else used += gap;
    const fits = sumHeights(s, b.firstRow, b.lastRow) <= s.page;
    for (let r = b.firstRow; r <= b.lastRow; r++) {
      if (used + s.heights[r]! > s.page && used > 0) {
        if (fits || r < b.firstRow + KEEP_WITH_TITLE) return null;
        fills.push(used / s.page);
        used = 0;
      }
      used += s.heights[r]!;
    }
    row = b.lastRow + 1;
  }
  return { fills: [...fills, used / s.page], breakRows };
}

/** A break before each table that does not fit in what is left of the page but fits on a fresh one, or whose title, header and first rows would not. */
function firstFitBreaks(s: Stack): Set<number> {
  const breaks = new Set<number>();
  let used = 0;
  let row = 1;
  for (const [i, b] of s.blocks.entries()) {
    used += sumHeights(s, row, b.firstRow - 1);
    const need = sumHeights(s, b.firstRow, b.lastRow);
    const head = sumHeights(s, b.firstRow, Math.min(b.lastRow, b.firstRow + KEEP_WITH_TITLE - 1));
    if (used > 0 && used + need > s.page && (need <= s.page || used + head > s.page)) {
      breaks.add(i);
      used = 0;
    }
    for (let r = b.firstRow; r <= b.lastRow; r++) used = used + s.heights[r]! > s.page ? s.heights[r]! : used + s.heights[r]!;
    row = b.lastRow + 1;
  }
  return breaks;
}

/** Of the valid layouts on no more pages than `firstFit`, the one whose least-filled page is fullest (first fit on a tie). */
function evenestLayout(s: Stack, firstFit: StackLayout): StackLayout {
  let best = firstFit;
  let bestMin = Math.min(...firstFit.fills);
  for (let mask = 0; mask < 1 << (s.blocks.length - 1); mask++) {
    const layout = layOut(s, new Set(s.blocks.slice(1).flatMap((_, i) => (mask & (1 << i) ? [i + 1] : []))));
    if (!layout || layout.fills.length > firstFit.fills.length) continue;
    const min = Math.min(...layout.fills);
    if (min > bestMin + 1e-9) [best, bestMin] = [layout, min];
  }
  return best;
}

/** A sliver: a last page filled less than this is worth a slightly smaller print to save. */
const SLIVER = 0.5;
/** The most a sheet is shrunk below its width's scale to save a sliver page. */
const MAX_SHRINK = 0.85;

/** Pages rows 1..last take at `scale`, rows never split, the title rows repeated on every page after the first; and the last page's fill. */
function pagesTall(heights: readonly number[], titleHeight: number, page: number): { pages: number; lastFill: number } {
  let pages = 1;
  let used = 0;
  for (const h of heights) {
    if (used + h > page && used > titleHeight) {
      pages++;
      used = titleHeight;
    }
    used += h;
  }
  return { pages, lastFill: used / page };
}

/**
 * One page tall fewer for a one-table sheet whose last page would be a sliver (the 4th page of
 * Daily holding its last 8 rows), when the scale that takes stays at or above the floor and
 * within MAX_SHRINK of the width's; otherwise as many pages as the rows need.
 */
export function avoidSliverPage(ws: ExcelJS.Worksheet): void {
  const last = ws.rowCount;
  const heights = Array.from({ length: last }, (_, i) => rowPoints(ws, i + 1));
  const titles = /^(\d+):(\d+)$/.exec(ws.pageSetup.printTitlesRow ?? '');
  const titleHeight = titles ? heights.slice(Number(titles[1]) - 1, Number(titles[2])).reduce((a, h) => a + h, 0) : 0;
  const body = printableHeightPoints(ws.pageSetup.orientation === 'portrait' ? 'portrait' : 'landscape');
  const scale = widthScale(ws);
  const now = pagesTall(heights, titleHeight, body / scale);
  if (now.pages < 2 || now.lastFill >= SLIVER) return;
  const total = heights.reduce((a, h) => a + h, 0);
  const floor = Math.max(MIN_PRINT_SCALE + 0.03, scale * MAX_SHRINK);
  // the largest scale that prints on one page fewer (a viewer scales by the total height first)
  let s = Math.min(scale, (body * (now.pages - 1)) / total);
  while (s >= floor && pagesTall(heights, titleHeight, body / s).pages > now.pages - 1) s -= 0.01;
  if (s >= floor) ws.pageSetup.fitToHeight = now.pages - 1;
}

// alignCells lives in table.ts now (writeTable applies it to every table); kept here for the multi-table sheets
export { alignCells } from './table.js';
