/**
 * Layout helpers for sheets that hold more than one table (Ledger, the reimbursement
 * workbook): `writeTable` sets column widths, the frozen view, the autofilter and the printed
 * title row for its own table on every call, so a sheet with blocks below its main table
 * keeps the widest width per column and restores the main table's view at the end.
 */
import type ExcelJS from 'exceljs';
import { wrappedLines, type Column, type WrittenTable } from './table.js';

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

// alignCells lives in table.ts now (writeTable applies it to every table); kept here for the multi-table sheets
export { alignCells } from './table.js';
