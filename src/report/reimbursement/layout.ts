/** Cell helpers shared by the reimbursement workbook's sheets: styles, titles, money tables, cross-sheet references. */
import type ExcelJS from 'exceljs';
import { minorUnits, type ReimbursementResult } from '../../engine/reimbursement/index.js';
import { Decimal } from '../../money.js';
import { providerName, type ProviderId } from '../../providers.js';
import { moneyFormat } from '../cells.js';
import { alignCells, fitWrapped, snapshotWidths } from '../sheet-layout.js';
import { columnLetter, HEADER_FONT, wrappedLines, writeTable, type Column, type WrittenTable } from '../table.js';

export const GREY = { argb: 'FF8A8A8A' };
export const CHARGE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4F7FA' } };
export const FILL_IN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  bottom: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  left: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  right: { style: 'thin', color: { argb: 'FFB8C2CC' } },
};
export const NOTE_FONT = { name: 'Calibri', size: 10, italic: true, color: { argb: 'FF555555' } };

/** Money format at the currency's minor unit (one format for both workbooks, cells.ts). */
export const currencyFormat = moneyFormat;

/** A sheet reference for formulas: 'Name'!A1. */
export function ref(sheet: string, cell: string): string {
  return `'${sheet.replace(/'/g, "''")}'!${cell}`;
}

/** A string literal inside a formula. */
export function lit(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Header/footer text: `&` starts a code there, so a literal one is doubled. */
function hfText(text: string): string {
  return text.replace(/&/g, '&&');
}

export function num(d: Decimal): number {
  return d.toNumber();
}

export function sumOf<T>(rows: readonly T[], f: (r: T) => Decimal | null): Decimal {
  return rows.reduce((s, r) => s.plus(f(r) ?? Decimal.ZERO), Decimal.ZERO);
}

/** Home currency first, then alphabetical. */
export function currenciesOf(list: readonly string[], home: string): string[] {
  return [...new Set(list)].sort((a, b) => (a === home ? -1 : b === home ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

export function setFooter(ws: ExcelJS.Worksheet, sheet: string, period: string): void {
  ws.headerFooter.oddFooter = `&L${hfText(sheet)}&C${hfText(`Reimbursement ${period}`)}&RPage &P of &N`;
}

/** A title above a table; returns the next free row. */
export function title(ws: ExcelJS.Worksheet, row: number, text: string, size = 12, col = 1): number {
  const c = ws.getRow(row).getCell(col);
  c.value = text;
  c.font = { ...HEADER_FONT, size };
  return row + 1;
}

/** An italic line under a title (not merged: it may run across the empty cells to its right). */
export function subtitle(ws: ExcelJS.Worksheet, row: number, text: string): number {
  const c = ws.getRow(row).getCell(1);
  c.value = text;
  c.font = NOTE_FONT;
  return row + 1;
}

/** Text merged over columns 1..cols, wrapped, the row sized to show it. */
export function paragraph(ws: ExcelJS.Worksheet, row: number, text: string, cols: number, font: Partial<ExcelJS.Font> = NOTE_FONT): number {
  ws.mergeCells(row, 1, row, cols);
  const c = ws.getRow(row).getCell(1);
  c.value = text;
  c.font = font;
  c.alignment = { wrapText: true, vertical: 'top' };
  const width = snapshotWidths(ws, cols).reduce((s, w) => s + w, 0);
  const lines = wrappedLines(text, width);
  if (lines > 1) ws.getRow(row).height = 15 * lines;
  return row + 1;
}

export interface Range {
  first: number;
  last: number;
}

export interface MoneyTable {
  table: WrittenTable;
  columns: Column<unknown>[];
  /** Totals row of each currency (one row per currency). */
  totalsRow: Map<string, number>;
  /** Rows of each currency (contiguous unless the table has a currency column). */
  blocks: Map<string, Range>;
  /** Last row written (totals included). */
  endRow: number;
}

/**
 * writeTable, with money at each currency's minor unit and one totals row per currency:
 * a SUM over the currency's block of rows (rows must come currency by currency), or, for a
 * table with a currency column, a SUMIF on it — never a SUM that adds dollars to euros.
 */
export function writeMoneyTable<T>(
  ws: ExcelJS.Worksheet,
  columnsIn: Column<T>[],
  rows: readonly T[],
  opts: { home: string; currencyOf: (r: T) => string; currencyHeader?: string; startRow?: number; totalsLabel?: string },
): MoneyTable {
  const columns = fitWrapped(columnsIn, rows);
  const currencies = currenciesOf(rows.map(opts.currencyOf), opts.home);
  const table = writeTable(ws, columns, rows, { currency: currencies[0] ?? opts.home, startRow: opts.startRow, totalsLabel: opts.totalsLabel });
  const blocks = new Map<string, Range>();
  rows.forEach((r, k) => {
    const cur = opts.currencyOf(r);
    const rr = table.firstDataRow + k;
    const b = blocks.get(cur);
    if (!b) blocks.set(cur, { first: rr, last: rr });
    else if (b.last === rr - 1 || opts.currencyHeader) b.last = rr;
    else throw new Error(`internal: rows of ${cur} are not contiguous`);
  });
  const moneyCols = columns.map((c, i) => ({ c, i })).filter((x) => x.c.type === 'money');
  rows.forEach((r, k) => {
    const cur = opts.currencyOf(r);
    if (minorUnits(cur) === 2) return;
    for (const { i } of moneyCols) {
      const cell = ws.getRow(table.firstDataRow + k).getCell(i + 1);
      if (cell.value !== null && cell.value !== undefined) cell.numFmt = currencyFormat(cur);
    }
  });
  const totalsRow = new Map<string, number>();
  let endRow = table.lastDataRow;
  if (table.totalsRow !== null) {
    const labelCol = columns.findIndex((c) => !c.sum) + 1;
    const curCol = opts.currencyHeader ? table.col(opts.currencyHeader) : null;
    const list = currencies.length ? currencies : [opts.home];
    list.forEach((cur, n) => {
      const rowNo = table.totalsRow! + n;
      totalsRow.set(cur, rowNo);
      const row = ws.getRow(rowNo);
      if (list.length > 1 && labelCol > 0) row.getCell(labelCol).value = `${opts.totalsLabel ?? 'Total'} ${cur}`;
      const ofCur = rows.filter((r) => opts.currencyOf(r) === cur);
      const b = blocks.get(cur);
      for (const { c, i } of moneyCols) {
        if (!c.sum) continue;
        const total = sumOf(ofCur, (r) => {
          const v = c.value(r);
          return v instanceof Decimal ? v : v === null ? null : Decimal.from(String(v));
        });
        const L = columnLetter(i + 1);
        const all = (col: string) => `${col}${table.firstDataRow}:${col}${table.lastDataRow}`;
        const formula = !b ? '0' : curCol && list.length > 1 ? `SUMIF(${all(curCol)},${lit(cur)},${all(L)})` : `SUM(${L}${b.first}:${L}${b.last})`;
        const cell = row.getCell(i + 1);
        cell.value = { formula, result: num(total) };
        cell.numFmt = currencyFormat(cur);
        cell.font = HEADER_FONT;
      }
      if (n > 0) for (let i = 0; i < columns.length; i++) row.getCell(i + 1).font = HEADER_FONT;
      endRow = rowNo;
    });
  }
  alignCells(ws, table, columns, endRow);
  return { table, columns: columns as Column<unknown>[], totalsRow, blocks, endRow };
}

/** Where a cardholder's rows of one currency are on a sheet: Summary's formulas point there. */
export interface Placed {
  sheet: string;
  range: Range;
  col: string;
}

/** A cost-centre sheet's table, for Summary's formulas. */
export interface CcSheetRefs {
  sheet: string;
  /** Totals row per currency. */
  totals: Map<string, number>;
  /** Rows per currency. */
  blocks: Map<string, Range>;
  chargedCol: string;
  shareCol: string;
  projectCol: string;
}

export const holderKey = (costCentre: string, name: string, currency: string) => `${costCentre}\u0000${name}\u0000${currency}`;

/** The providers of a reimbursement's lines, in their first-seen order. */
function providersIn(r: ReimbursementResult): ProviderId[] {
  const seen = new Set<ProviderId>();
  for (const cc of r.costCentres) for (const h of cc.cardholders) for (const ch of [...h.charges, ...h.subscriptions]) seen.add(ch.provider);
  for (const l of r.notClaimed) seen.add(l.provider);
  for (const b of r.allocationBasis) seen.add(b.provider);
  return [...seen];
}

/** A Provider column, only where two providers meet (a one-provider workbook keeps its layout). */
export function providerColumn<T>(r: ReimbursementResult, of: (x: T) => ProviderId): Column<T>[] {
  return providersIn(r).length > 1 ? [{ header: 'Provider', type: 'text', value: (x: T) => providerName(of(x)), minWidth: 10 }] : [];
}
