/**
 * The `Exceptions, plans, not claimed` sheet: the reimbursement's three short tables stacked,
 * each under its own title and header, none of which repeats over another table's rows
 * (sheet-layout.ts paginateStack). On sheets of their own, a month's one plan subscription or
 * three unclaimed lines each took a page filled 10-25 %.
 */
import type ExcelJS from 'exceljs';
import type { ReimbursementResult } from '../../engine/reimbursement/index.js';
import { applyWidths, maxWidths, paginateStack, snapshotWidths, type StackedBlock } from '../sheet-layout.js';
import { writeExceptions } from './exceptions.js';
import { setFooter } from './layout.js';
import { writeNotClaimed } from './not-claimed.js';
import { OTHER_LINES } from './sheet-names.js';
import { writeSubscriptions } from './subscriptions.js';
import { receiptLinksFor, type ReceiptLinks } from './receipt-links.js';

/** Blank rows between tables. */
const GAP = 2;

/** Where Summary's formulas find the plans' and the unclaimed lines' totals (empty maps: no such table). */
export interface OtherLinesRefs {
  subs: ReturnType<typeof writeSubscriptions> | null;
  notClaimed: ReturnType<typeof writeNotClaimed> | null;
}

/** The sheet is there when one of its tables has rows. */
export function hasOtherLines(r: ReimbursementResult): boolean {
  return r.exceptions.length > 0 || r.notClaimed.length > 0 || r.costCentres.some((cc) => cc.cardholders.some((h) => h.subscriptions.length));
}

export function writeOtherLines(ws: ExcelJS.Worksheet, r: ReimbursementResult, links: ReceiptLinks = receiptLinksFor(null)): OtherLinesRefs {
  setFooter(ws, OTHER_LINES, r.period.label);
  const hasSubs = r.costCentres.some((cc) => cc.cardholders.some((h) => h.subscriptions.length));
  const blocks: StackedBlock[] = [];
  const widths: number[][] = [];
  const out: OtherLinesRefs = { subs: null, notClaimed: null };
  let row = 1;
  // what a reviewer must resolve first, then the lines outside the API claim
  const writers: ((start: number) => number)[] = [];
  if (r.exceptions.length) writers.push((start) => writeExceptions(ws, r, start));
  if (hasSubs) writers.push((start) => (out.subs = writeSubscriptions(ws, r, start, links)).endRow);
  if (r.notClaimed.length) writers.push((start) => (out.notClaimed = writeNotClaimed(ws, r, start)).endRow);
  for (const write of writers) {
    const end = write(row);
    widths.push(snapshotWidths(ws, ws.columnCount));
    blocks.push({ firstRow: row, lastRow: end });
    row = end + 1 + GAP;
  }
  // each table set the widths, frozen header, filter and printed title row for itself alone
  applyWidths(ws, maxWidths(widths));
  delete (ws.pageSetup as { printTitlesRow?: string }).printTitlesRow;
  ws.views = [{ state: 'normal' }];
  ws.autoFilter = undefined as unknown as string;
  paginateStack(ws, blocks);
  return out;
}
