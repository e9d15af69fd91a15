/**
 * Usage rows folded, as they stream in, into totals per (bucket width, UTC day, project,
 * model, key, user, tier, batch). Memory is bounded by the number of such groups, not by
 * the number of rows. Pricing happens once per group at the end.
 */
import { Decimal } from '../money.js';
import type { UsageRecord } from '../model.js';
import { utcDateOf } from '../time.js';
import { PriceTable, priceTokens, variantFor, type ResolvedPrice } from './prices.js';

export interface UsageGroup {
  width: number;
  /** Start of the UTC hour (buckets up to 1 h wide) or of the bucket itself (wider buckets). */
  slot: number;
  utcDay: string;
  projectId: string | null;
  model: string | null;
  apiKeyId: string | null;
  userId: string | null;
  serviceTier: string | null;
  batch: boolean | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  rows: number;
  /** List price of the group's tokens; null when the model is not in the price table. */
  listPrice: Decimal | null;
  price: ResolvedPrice | null;
}

const DAY = 86400;

export class UsageAggregator {
  private readonly groups = new Map<string, UsageGroup>();
  private dayCache = new Map<number, string>();

  add(r: UsageRecord): void {
    const width = r.end - r.start;
    const dayStart = r.start - (r.start % DAY);
    let utcDay = this.dayCache.get(dayStart);
    if (utcDay === undefined) {
      utcDay = utcDateOf(dayStart);
      this.dayCache.set(dayStart, utcDay);
    }
    const slot = width < 3600 ? r.start - (r.start % 3600) : r.start;
    const key = `${width}|${slot}|${r.projectId}|${r.model}|${r.apiKeyId}|${r.userId}|${r.serviceTier}|${r.batch}`;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        width,
        slot,
        utcDay,
        projectId: r.projectId,
        model: r.model,
        apiKeyId: r.apiKeyId,
        userId: r.userId,
        serviceTier: r.serviceTier,
        batch: r.batch,
        requests: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedTokens: 0,
        cacheWriteTokens: 0,
        rows: 0,
        listPrice: null,
        price: null,
      };
      this.groups.set(key, g);
    }
    g.requests += r.requests;
    g.inputTokens += r.inputTokens;
    g.outputTokens += r.outputTokens;
    g.cachedTokens += r.cachedTokens;
    g.cacheWriteTokens += r.cacheWriteTokens;
    g.rows++;
  }

  get size(): number {
    return this.groups.size;
  }

  /** The groups, priced, in a deterministic order. */
  finish(prices: PriceTable): UsageGroup[] {
    const out = [...this.groups.values()];
    for (const g of out) {
      if (g.model === null) continue;
      g.price = prices.resolve(g.model, g.utcDay, variantFor(g.batch, g.serviceTier));
      g.listPrice = g.price ? priceTokens(g, g.price.prices) : null;
    }
    out.sort(compareGroups);
    return out;
  }
}

const s = (v: string | null | boolean) => (v === null ? '' : String(v));
function compareGroups(a: UsageGroup, b: UsageGroup): number {
  return (
    cmp(a.utcDay, b.utcDay) ||
    a.width - b.width ||
    a.slot - b.slot ||
    cmp(s(a.projectId), s(b.projectId)) ||
    cmp(s(a.model), s(b.model)) ||
    cmp(s(a.apiKeyId), s(b.apiKeyId)) ||
    cmp(s(a.userId), s(b.userId)) ||
    cmp(s(a.serviceTier), s(b.serviceTier)) ||
    cmp(s(a.batch), s(b.batch))
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Overlapping exports of different bucket widths repeat the same usage (a daily export and
 * an hourly one of the same days). Where a coarser bucket covers a slot, its rows are used
 * and the finer rows inside it are set aside: a bucket always covers its whole span, while a
 * finer export may cover only part of it.
 */
export function resolveOverlappingWidths(groups: UsageGroup[]): { kept: UsageGroup[]; dropped: { utcDay: string; width: number; keptWidth: number; rows: number }[] } {
  // coverage per usage stream (project × model): an embeddings export in daily buckets says
  // nothing about hourly completions of other models
  const stream = (g: UsageGroup) => `${g.projectId}|${g.model}`;
  const coverage = new Map<string, Map<number, Set<number>>>(); // stream → width → bucket starts
  for (const g of groups) {
    const byWidth = coverage.get(stream(g)) ?? new Map<number, Set<number>>();
    const starts = byWidth.get(g.width) ?? new Set<number>();
    starts.add(g.slot);
    byWidth.set(g.width, starts);
    coverage.set(stream(g), byWidth);
  }
  const coveredBy = (g: UsageGroup): number | null => {
    const byWidth = coverage.get(stream(g))!;
    if (byWidth.size < 2) return null;
    for (const [w, starts] of [...byWidth.entries()].sort((a, b) => b[0] - a[0])) {
      if (w <= g.width) break;
      // buckets are aligned to their width (UTC days, hours), so the covering start is computable
      const anchor = g.slot - (((g.slot % w) + w) % w);
      if (starts.has(anchor)) return w;
    }
    return null;
  };
  const dropped = new Map<string, { utcDay: string; width: number; keptWidth: number; rows: number }>();
  const kept: UsageGroup[] = [];
  for (const g of groups) {
    const by = coveredBy(g);
    if (by === null) kept.push(g);
    else {
      const k = `${g.utcDay}|${g.width}`;
      const d = dropped.get(k) ?? { utcDay: g.utcDay, width: g.width, keptWidth: by, rows: 0 };
      d.rows += g.rows;
      dropped.set(k, d);
    }
  }
  return { kept, dropped: [...dropped.values()] };
}

export function widthLabel(seconds: number): string {
  if (seconds === 86400) return '1d';
  if (seconds === 3600) return '1h';
  if (seconds === 60) return '1m';
  return `${seconds}s`;
}
