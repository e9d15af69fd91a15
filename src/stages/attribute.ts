/**
 * The attribution stage (SPEC §4.1, §4.2): the billed rows in the period are used, the others
 * are outside it; their money is attributed over the usage of the same buckets and summarised.
 */
import type { Config } from '../config.js';
import { attributeSpend } from '../engine/attribution.js';
import { append, granularityException } from '../engine/exceptions.js';
import { bucketInPeriod } from '../engine/period.js';
import { summarise, usageTokensByModel } from '../engine/summaries.js';
import { resolveOverlappingChannels } from '../engine/dedupe.js';
import type { UsageGroup } from '../engine/usage.js';
import { resolveOverlappingWidths } from '../engine/usage-widths.js';
import { cached } from '../lists.js';
import { Decimal } from '../money.js';
import type { CostRecord, Exception } from '../model.js';
import type { AttributionSection } from '../results.js';
import { type Period, utcDayStart } from '../time.js';
import { settle } from './fates.js';
import type { FromFile } from './read.js';

export interface AttributionInput {
  billed: FromFile<CostRecord>[];
  usageGroups: UsageGroup[];
  period: Period;
  currency: string;
  config: Config;
  splitDays: boolean;
  /** Whether any usage export was given (without one, nothing is split by key or compared). */
  usageGiven: boolean;
}

export interface AttributionStage {
  section: AttributionSection;
  /** Billed money of the cost rows in the period, less what --split-days cut off. */
  costExport: Decimal;
  /** --split-days: money of boundary buckets spread onto local days outside the period. */
  splitOutside: Decimal;
  exceptions: Exception[];
}

export function attributeBilledSpend(input: AttributionInput): AttributionStage {
  const { period, splitDays: split } = input;
  const inPeriodCosts: CostRecord[] = [];
  for (const { rec, file } of input.billed) {
    if (!bucketInPeriod(rec.start, rec.end, period, split)) {
      settle(file, 'outOfPeriod', rec);
      continue;
    }
    settle(file, 'used', rec);
    inPeriodCosts.push(rec);
  }
  // a UTC day's place in the period once per distinct day, not per usage group
  const dayInPeriod = new Map<string, boolean>();
  const periodGroups = input.usageGroups.filter((g) =>
    cached(dayInPeriod, g.utcDay, (day) => {
      const t = utcDayStart(day);
      return bucketInPeriod(t, t + 86400, period, split);
    }),
  );
  const exceptions: Exception[] = [];
  // a console export and an API export of one day: the API's groups (the costs do the same, billed.ts)
  const { kept, dropped } = resolveOverlappingWidths(resolveOverlappingChannels(periodGroups).kept);
  for (const d of dropped) exceptions.push(granularityException(d));
  const result = attributeSpend({
    costs: inPeriodCosts,
    usage: kept,
    timezone: period.timezone,
    currency: input.currency,
    tolerancePercent: input.config.crosscheck.tolerancePercent,
    toleranceAbsolute: input.config.crosscheck.toleranceAbsolute,
    splitDays: split,
    usageGiven: input.usageGiven,
  });
  append(exceptions, result.exceptions);
  // --split-days: parts of boundary buckets that land on local days outside the period are cut off
  let splitOutside = Decimal.ZERO;
  const attributed = split
    ? result.rows.filter((r) => {
        const inside = r.localDate >= period.from && r.localDate <= period.to;
        if (!inside) splitOutside = splitOutside.plus(r.amount);
        return inside;
      })
    : result.rows;
  const costExport = inPeriodCosts.reduce((s, c) => s.plus(c.amount), Decimal.ZERO).minus(splitOutside);
  const section = {
    costGranularity: result.costGranularity,
    attributed,
    crossCheck: result.crossCheck,
    summaries: summarise(attributed, result.crossCheck, input.config, period, usageTokensByModel(kept)),
  };
  return { section, costExport, splitOutside, exceptions };
}
