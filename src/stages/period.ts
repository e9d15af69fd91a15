/** The reporting period a run asks for: a month, a date range, or the dates the data covers. */
import type { CostRecord } from '../model.js';
import { InputError } from '../sources/index.js';
import { makePeriod, monthPeriod, placeOnLocalDate, type Period, utcDayStart } from '../time.js';

export interface PeriodRequest {
  month?: string;
  since?: string;
  until?: string;
}

export function resolvePeriod(req: PeriodRequest, tz: string, costs: CostRecord[], usageDays: string[], otherDates: string[] = []): Period {
  if (req.month) {
    if (req.since || req.until) throw new InputError('--period cannot be combined with --since/--until');
    return monthPeriod(req.month, tz);
  }
  let from = req.since;
  let to = req.until;
  if (!from || !to) {
    // default: the local dates the data covers
    const dates = costs.map((c) => placeOnLocalDate(c.start, c.end, tz));
    for (const d of usageDays) dates.push(placeOnLocalDate(utcDayStart(d), utcDayStart(d) + 86400, tz));
    // first and last by a scan: a spread of 125,000 dates into push() overflowed the call stack
    const pool = dates.length ? dates : otherDates;
    if (pool.length === 0) throw new InputError('no rows were read, so there is no period to report (give --period YYYY-MM)');
    let first = pool[0]!;
    let last = first;
    for (const d of pool) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
    from ??= first;
    to ??= last;
  }
  return makePeriod(from, to, tz);
}
