/** The one currency a report is in. */
import type { CostRecord } from '../model.js';

/**
 * One currency per report: the one most cost rows are in (ties: the first alphabetically);
 * rows in another are rejected, not converted. USD when there are no cost rows.
 */
export function billedCurrency(costs: readonly CostRecord[]): string {
  const currencyCount = new Map<string, number>();
  for (const rec of costs) currencyCount.set(rec.currency, (currencyCount.get(rec.currency) ?? 0) + 1);
  return [...currencyCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'USD';
}
