/** The ledger's usage: billed cost rows summed per provider, organisation and local date. */
import { Decimal } from '../../money.js';
import type { CostRecord, Provenance } from '../../model.js';
import { placeOnLocalDate } from '../../time.js';
import type { DailyUsage } from './types.js';

/**
 * Each cost row's money on the local date its bucket is placed on, summed per organisation
 * and date (and provider), in date order (ties in the order first met). Every row given is drawn down: the
 * ledger's lots may predate the period.
 */
export function dailyUsageFromCosts(costs: Iterable<CostRecord>, timezone: string): DailyUsage[] {
  const usage = new Map<string, { provider: string; organization: string | null; date: string; amount: Decimal; refs: Provenance[] }>();
  for (const rec of costs) {
    const date = placeOnLocalDate(rec.start, rec.end, timezone);
    const k = `${rec.provider}|${rec.organizationId ?? ''}|${date}`;
    const u = usage.get(k) ?? { provider: rec.provider, organization: rec.organizationId, date, amount: Decimal.ZERO, refs: [] };
    u.amount = u.amount.plus(rec.amount);
    usage.set(k, u);
  }
  return [...usage.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
