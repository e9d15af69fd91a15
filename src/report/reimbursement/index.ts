/**
 * The reimbursement workbook (SPEC §5.2, `reports/<period>-reimbursement.xlsx`): what each
 * cost centre and cardholder paid the provider, as actually charged, with the receipt that
 * proves it and each charge's allocation to projects; approver columns left empty.
 *
 * Sheets: `Summary` (claims per cost centre and cardholder, tie-out to the statements,
 * allocation to projects — live formulas over the other sheets with cached values), one
 * sheet per cardholder cost centre (each charge row followed by its project shares),
 * and `Exceptions, plans, not claimed` (when one of its three tables has rows).
 *
 * Rows are ordered currency first (home currency first), so each currency's rows — and each
 * cardholder's rows of one currency — are contiguous and every total is a plain SUM over a
 * range; money cells carry their currency in the number format, so no currency column is needed.
 */
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { buildReimbursement, type CardholderConfig, type ProjectUsage, type ReimbursementResult } from '../../engine/reimbursement/index.js';
import type { ReportResult } from '../../results.js';
import { addSheet, newWorkbook, saveWorkbook, workbookBytes } from '../workbook.js';
import type { Placed, CcSheetRefs } from './layout.js';
import { SUMMARY, OTHER_LINES, uniqueSheetNames } from './sheet-names.js';
import { writeCostCentre } from './cost-centre.js';
import { hasOtherLines, writeOtherLines } from './other-lines.js';
import { writeSummary } from './summary.js';
import { receiptLinksFor, type ReceiptLinks } from './receipt-links.js';

/** What the workbook needs of a run (a `ReportResult` is one). */
export type ReimbursementSource = Pick<ReportResult, 'period' | 'homeCurrency' | 'reconciliation' | 'payments' | 'cardLines'> & {
  /** The cost export's currency (of the billed usage the charges are allocated by). */
  currency?: string;
  attribution: { summaries: { byProject: readonly ProjectUsage[] } } | null;
};

/** The config parts it reads (a `Config` is one). */
export interface ReimbursementSettings {
  cardholders: Readonly<Record<string, CardholderConfig>>;
  projects?: Readonly<Record<string, { name?: string; costCenter?: string }>>;
}

export class ReimbursementUnavailableError extends Error {}

/** `reports/2026-10-reimbursement.xlsx` beside the reconciliation workbook. */
export function reimbursementWorkbookPath(period: { label: string }, dir = 'reports'): string {
  return join(dir, `${period.label}-reimbursement.xlsx`);
}

export function reimbursementFromReport(result: ReimbursementSource, settings: ReimbursementSettings): ReimbursementResult {
  if (!result.reconciliation) {
    throw new ReimbursementUnavailableError(
      'the reimbursement workbook needs card statements and a payment history (--statement, --payments): without them there are no charges to claim',
    );
  }
  return buildReimbursement({
    reconciliation: result.reconciliation,
    cardLines: result.cardLines,
    payments: result.payments,
    byProject: result.attribution?.summaries.byProject ?? [],
    cardholders: settings.cardholders,
    projects: settings.projects,
    homeCurrency: result.homeCurrency,
    usageCurrency: result.currency,
    period: result.period,
  });
}

export function buildReimbursementWorkbook(result: ReimbursementSource, settings: ReimbursementSettings, path: string | null = null): ExcelJS.Workbook {
  return reimbursementWorkbook(reimbursementFromReport(result, settings), receiptLinksFor(path));
}

export async function writeReimbursementWorkbook(result: ReimbursementSource, settings: ReimbursementSettings, path: string): Promise<void> {
  // receipt hyperlinks are relative to where the workbook lands
  await saveWorkbook(buildReimbursementWorkbook(result, settings, path), path);
}

export async function reimbursementWorkbookBytes(result: ReimbursementSource, settings: ReimbursementSettings): Promise<Buffer> {
  return workbookBytes(buildReimbursementWorkbook(result, settings));
}

function reimbursementWorkbook(r: ReimbursementResult, links: ReceiptLinks): ExcelJS.Workbook {
  const wb = newWorkbook();
  const summary = addSheet(wb, SUMMARY);
  // a cost centre with only subscriptions has no sheet of its own (its plans are on Subscriptions)
  const withCharges = r.costCentres.filter((cc) => cc.cardholders.some((h) => h.charges.length));
  const ccNames = uniqueSheetNames(withCharges.map((c) => c.costCentre));
  const ccSheets = withCharges.map((cc, i) => ({ cc, name: ccNames[i]!, ws: addSheet(wb, ccNames[i]!) }));
  const otherWs = hasOtherLines(r) ? addSheet(wb, OTHER_LINES) : null;

  const apiPlaced = new Map<string, Placed>();
  const ccRefs: CcSheetRefs[] = [];
  for (const { cc, name, ws } of ccSheets) {
    const w = writeCostCentre(ws, name, cc, r, links);
    for (const [k, range] of w.holderRanges) apiPlaced.set(k, { sheet: name, range, col: w.refs.chargedCol });
    ccRefs.push(w.refs);
  }
  const subsPlaced = new Map<string, Placed>();
  let subsTotals = new Map<string, number>();
  let subsCol = '';
  let notTotals = new Map<string, number>();
  let notCol = '';
  const other = otherWs ? writeOtherLines(otherWs, r, links) : { subs: null, notClaimed: null };
  if (other.subs) {
    for (const [k, range] of other.subs.holderRanges) subsPlaced.set(k, { sheet: OTHER_LINES, range, col: other.subs.chargedCol });
    subsTotals = other.subs.totalsRow;
    subsCol = other.subs.chargedCol;
  }
  if (other.notClaimed) {
    notTotals = other.notClaimed.totalsRow;
    notCol = other.notClaimed.amountCol;
  }
  writeSummary(summary, r, {
    apiPlaced,
    subsPlaced,
    ccRefs,
    subsTotals,
    subsCol,
    notTotals,
    notCol,
    sheetOf: new Map(ccSheets.map((s) => [s.cc.costCentre, s.name])),
  });
  return wb;
}

export { sanitiseSheetName, uniqueSheetNames } from './sheet-names.js';
