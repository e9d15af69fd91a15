/**
 * The billed cost rows every section uses: one currency per report (rows in another are
 * rejected once, for every section), and of a daily and an hourly export of the same day
 * only the coarser bucket's rows.
 */
import { billedCurrency } from '../engine/currency.js';
import { resolveOverlappingChannels, resolveOverlappingCostWidths, unmatchedChannelExceptions } from '../engine/dedupe.js';
import { minorUnits, sum } from '../money.js';
import { provider } from '../providers.js';
import { utcDateOf } from '../time.js';
import type { CostRecord, Exception, InputIssue } from '../model.js';
import { rejectRow, settle } from './fates.js';
import type { FromFile } from './read.js';
import { push } from '../lists.js';

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
  const channels = resolveOverlappingChannels(
    sameCurrency.map((c) => ({ c, provider: c.rec.provider, utcDay: utcDateOf(c.rec.start), projectId: c.rec.projectId, channel: c.rec.channel })),
  );
  for (const { c } of channels.setAside) settle(c.file, 'setAside', c.rec);
  const once = channels.kept.map((x) => x.c);
  const widths = resolveOverlappingCostWidths(once.map((c) => c.rec));
  const setAside = new Set(widths.setAside);
  for (const c of once) if (setAside.has(c.rec)) settle(c.file, 'setAside', c.rec);
  const exceptions = [...channelSetAsideExceptions(channels.setAside.map((x) => x.c.rec)), ...unmatchedChannelExceptions(channels.unmatched, dimensionOf), ...widths.exceptions];
  return { currency, rows: once.filter((c) => !setAside.has(c.rec)), exceptions };
}

const dimensionOf = (id: string) => ({ name: provider(id).name, projects: `${provider(id).projectDimension}s` });

/** One info per provider: the console rows counted once because the API's rows of the same days say the same. */
function channelSetAsideExceptions(rows: readonly CostRecord[]): Exception[] {
  const byProvider = new Map<string, CostRecord[]>();
  for (const r of rows) push(byProvider, r.provider, r);
  return [...byProvider.entries()].map(([p, rs]) => {
    const amount = sum(rs.map((r) => r.amount));
    const cur = rs[0]!.currency;
    return {
      severity: 'info',
      class: 'console_api_overlap',
      subject: provider(p).name,
      amount,
      currency: cur,
      message: `${provider(p).name}'s console export and its Admin API export cover the same days: the API's rows are used and ${rs.length} console row(s) (${amount.toDisplay(minorUnits(cur))} ${cur}) are set aside, so the money counts once.`,
      nextStep: 'Nothing to do; give only one of the two exports to silence this.',
      refs: rs.slice(0, 20).map((r) => r.src),
    };
  });
}
