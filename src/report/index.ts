/**
 * The reconciliation workbook (SPEC §5.1): sheets in the documented order, those a run did
 * not compute left out; Dashboard (issue #13) before them when there is a chart to draw.
 */
import type { ReportResult } from '../results.js';
import { BREAKDOWN, writeBreakdown } from './sheets/breakdown.js';
import { DAILY, writeDaily } from './sheets/daily.js';
import { DASHBOARD, hasDashboard, writeDashboard } from './sheets/dashboard.js';
import { EXCEPTIONS, writeExceptions } from './sheets/exceptions.js';
import { INPUTS, writeInputs } from './sheets/inputs.js';
import { LEDGER, writeLedger } from './sheets/ledger.js';
import { RECONCILIATION, writeReconciliation } from './sheets/reconciliation.js';
import { SUMMARY, writeSummary, type SummaryRefs } from './sheets/summary.js';
import { USAGE_VS_COST, writeUsageVsCost } from './sheets/usage-vs-cost.js';
import { pathShortener } from './cells.js';
import { addSheet, newWorkbook, saveWorkbook } from './workbook.js';

export function buildReportWorkbook(result: ReportResult) {
  const wb = newWorkbook();
  const cur = result.currency;
  // sheets are created in order first and filled after, so Summary can refer to the others;
  // Dashboard opens the workbook when it has charts (its first lines are Summary's status)
  const dashboard = hasDashboard(result) ? addSheet(wb, DASHBOARD) : null;
  const summary = addSheet(wb, SUMMARY, false);
  const refs: SummaryRefs = {};
  const exceptions = addSheet(wb, EXCEPTIONS);
  const rec = result.reconciliation ? addSheet(wb, RECONCILIATION) : null;
  const ledger = result.ledger ? addSheet(wb, LEDGER) : null;
  const a = result.attribution;
  const sheets = a
    ? {
        breakdown: addSheet(wb, BREAKDOWN),
        daily: addSheet(wb, DAILY),
        usageVsCost: addSheet(wb, USAGE_VS_COST),
      }
    : null;
  const inputs = addSheet(wb, INPUTS);
  const shorten = pathShortener(result.inputs.map((i) => i.file));
  refs[EXCEPTIONS] = writeExceptions(exceptions, result.exceptions, cur, shorten);
  if (rec && result.reconciliation) refs[RECONCILIATION] = writeReconciliation(rec, result.reconciliation, cur, shorten);
  if (ledger && result.ledger) refs[LEDGER] = writeLedger(ledger, result.ledger, result.ledger.currency);
  if (a && sheets) {
    // Summary refers to each table by its name; the four live on one sheet
    for (const [name, t] of Object.entries(writeBreakdown(sheets.breakdown, a.summaries, cur))) refs[name] = { ...t, sheet: BREAKDOWN };
    refs[DAILY] = writeDaily(sheets.daily, a.summaries.daily, cur, result.period.timezone);
    refs[USAGE_VS_COST] = writeUsageVsCost(sheets.usageVsCost, a.crossCheck, cur);
  }
  refs[INPUTS] = writeInputs(inputs, result.inputs, cur);
  writeSummary(summary, result, refs);
  if (dashboard) writeDashboard(dashboard, result);
  return wb;
}

export async function writeReportWorkbook(result: ReportResult, path: string): Promise<void> {
  await saveWorkbook(buildReportWorkbook(result), path);
}
