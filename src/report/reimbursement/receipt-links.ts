/**
 * The receipt that proves a claimed charge, one click away (issue #16): a `Receipt file` cell
 * with the document's file name, a hyperlink relative to the workbook (so a folder holding
 * the workbook and the receipts can be moved or shared whole).
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import type ExcelJS from 'exceljs';
import type { ReimbursementCharge } from '../../engine/reimbursement/index.js';
import { textWidth, type Column, type WrittenTable } from '../table.js';

const RECEIPT_FILE = 'Receipt file';

/** Where hyperlinks are relative to: the workbook's directory, or null when it is not written to a path. */
export interface ReceiptLinks {
  workbookDir: string | null;
}

export function receiptLinksFor(workbookPath: string | null): ReceiptLinks {
  return { workbookDir: workbookPath ? dirname(resolve(workbookPath)) : null };
}

/** The column: file names only (the hyperlink is added once the table is written). */
export function receiptFileColumn<T>(chargeOf: (row: T) => ReimbursementCharge | null): Column<T> {
  return { header: RECEIPT_FILE, type: 'text', value: (x) => names(chargeOf(x)), maxWidth: 28, wrap: true };
}

function names(c: ReimbursementCharge | null): string | null {
  return c?.receiptFiles.length ? c.receiptFiles.map((f) => basename(f)).join('\n') : null;
}

/** A relative URI path, each segment escaped (spaces and `#` in receipt names are common). */
function target(file: string, links: ReceiptLinks): string {
  const path = links.workbookDir ? relative(links.workbookDir, resolve(file)) : file;
  return path.split(sep).map(encodeURIComponent).join('/');
}

/** `name` cut to its start, "…" and an end taking about `tailShare` of `budget` digit widths. */
function elide(name: string, budget: number, tailShare: number): string {
  const chars = [...name];
  let tail = '';
  for (let i = chars.length - 1; i >= 0 && textWidth(chars[i]! + tail) <= budget * tailShare; i--) tail = chars[i]! + tail;
  let head = '';
  for (const ch of chars) {
    if (textWidth(`${head}${ch}…${tail}`) > budget) break;
    head += ch;
  }
  return `${head.trimEnd()}…${tail}`;
}

const digitsIn = (s: string) => s.replace(/\D/g, '').length;

/**
 * A file name short enough for one line of a column `width` wide: its start, "…" and its end,
 * cut where most of the receipt number stays visible (it tells receipts apart). LibreOffice
 * does not wrap a hyperlink cell, so a longer name was cut off at the column's edge.
 */
export function fitName(name: string, width: number): string {
  const budget = Math.max(6, Math.floor(width) - 1);
  if (textWidth(name) <= budget) return name;
  const cuts = [0.55, 0.3, 0.8].map((share) => elide(name, budget, share));
  return cuts.reduce((best, c) => (digitsIn(c) > digitsIn(best) ? c : best));
}

/** Turns each row's `Receipt file` cell into a hyperlink to its (first) receipt document, its text fitted to the column. */
export function linkReceiptFiles<T>(ws: ExcelJS.Worksheet, table: WrittenTable, rows: readonly T[], chargeOf: (row: T) => ReimbursementCharge | null, links: ReceiptLinks): void {
  const col = table.col(RECEIPT_FILE);
  rows.forEach((x, k) => {
    const c = chargeOf(x);
    const full = names(c);
    if (!c || !full) return;
    const width = ws.getColumn(col).width ?? 9;
    const text = full
      .split('\n')
      .map((n) => fitName(n, width))
      .join('\n');
    const cell = ws.getCell(`${col}${table.firstDataRow + k}`);
    cell.value = { text, hyperlink: target(c.receiptFiles[0]!, links), tooltip: c.receiptFiles[0]! };
    cell.font = { name: 'Calibri', ...(cell.font ?? {}), color: { argb: 'FF0563C1' }, underline: true };
  });
}
