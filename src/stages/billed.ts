/**
 * The billed cost rows every section uses: one currency per report (rows in another are
 * rejected once, for every section), and of a daily and an hourly export of the same day
 * only the coarser bucket's rows.
 */
import { billedCurrency } from '../engine/currency.js';
import { resolveOverlappingCostWidths } from '../engine/dedupe.js';
import type { CostRecord, Exception, InputIssue } from '../model.js';
import { rejectRow, settle } from './fates.js';
import type { FromFile } from './read.js';

export interface BilledCosts {
  currency: string;
  /** The rows used as billed money (their fates are decided by the sections that use them). */
  rows: FromFile<CostRecord>[];
  /** Where cost exports of different bucket widths overlapped (their finer rows set aside). */
  exceptions: Exception[];
}

export function selectBilledCosts(costs: FromFile<CostRecord>[], issues: InputIssue[], strict: boolean): BilledCosts {
  const currency = billedCurrency(costs.map((c) => c.rec));
  const sameCurrency = costs.filter(({ rec, file }) => {
    if (rec.currency === currency) return true;
    rejectRow(file, issues, strict, {
      severity: 'error',
      file: rec.src.file,
      line: rec.src.line,
      column: 'amount_currency',
      message: `expected ${currency} like the rest of the cost export, found ${rec.currency}; the row is left out (no exchange rate is applied to billed cost)`,
      amount: rec.amount,
      currency: rec.currency,
      rejected: true,
    });
    return false;
  });
  const widths = resolveOverlappingCostWidths(sameCurrency.map((c) => c.rec));
  const setAside = new Set(widths.setAside);
  for (const c of sameCurrency) if (setAside.has(c.rec)) settle(c.file, 'setAside', c.rec);
  return { currency, rows: sameCurrency.filter((c) => !setAside.has(c.rec)), exceptions: [...widths.exceptions] };
}
