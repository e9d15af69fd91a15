/**
 * The list-price table (SPEC §4.5): shipped data with effective dates and
 * batch/flex/priority variants; dated snapshots fall back to their family.
 * Prices weight allocation and drive the cross-check; they never set billed money.
 */
import builtin from '../data/prices.json' with { type: 'json' };
import { priceEntrySchema, type PriceEntry, type PriceEntryInput } from '../config.js';
import { Decimal } from '../money.js';

export type PriceVariantName = 'standard' | 'batch' | 'flex' | 'priority';

export interface TokenPrices {
  input: Decimal;
  cachedInput: Decimal;
  cacheWrite: Decimal;
  /** 1-hour cache writes; equal to cacheWrite where the table gives no separate price. */
  cacheWrite1h: Decimal;
  output: Decimal;
}

export interface ResolvedPrice {
  /** The table entry's model name (the family when the snapshot fell back). */
  entryModel: string;
  variant: PriceVariantName;
  /** True when the requested variant had no prices and standard prices were used. */
  variantFellBack: boolean;
  /** Long-context prices were used (the usage was over the threshold and the entry has them). */
  longContext: boolean;
  prices: TokenPrices;
  source: 'table' | 'config';
}

const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$/;

/** `gpt-4o-mini-2024-07-18` → `gpt-4o-mini`; `gpt-4.1-2025-04-14` → `gpt-4.1`; `claude-haiku-4-5-20251001` → `claude-haiku-4-5`. */
export function modelFamily(model: string): string {
  return model.replace(SNAPSHOT_SUFFIX, '');
}

function variantFor(batch: boolean | null, serviceTier: string | null): PriceVariantName {
  const t = (serviceTier ?? '').toLowerCase();
  if (batch || t === 'batch') return 'batch';
  if (t === 'flex') return 'flex';
  if (t === 'priority') return 'priority';
  return 'standard';
}

export const BUILTIN_PRICE_TABLE_VERSION: string = builtin.version;

export class PriceTable {
  private readonly byModel = new Map<string, { entry: PriceEntry; source: 'table' | 'config' }[]>();
  private readonly memo = new Map<string, ResolvedPrice | null>();

  constructor(entries: { entry: PriceEntry; source: 'table' | 'config' }[]) {
    for (const e of entries) {
      const list = this.byModel.get(e.entry.model) ?? [];
      list.push(e);
      this.byModel.set(e.entry.model, list);
    }
    // config overrides win over the table for the same model and start date
    for (const list of this.byModel.values()) {
      list.sort((a, b) =>
        a.entry.effectiveFrom < b.entry.effectiveFrom ? -1 : a.entry.effectiveFrom > b.entry.effectiveFrom ? 1 : a.source === b.source ? 0 : a.source === 'config' ? 1 : -1,
      );
    }
  }

  /** The shipped table plus config overrides (later entries win on equal dates). */
  static load(overrides: PriceEntry[] = []): PriceTable {
    const table = (builtin.models as PriceEntryInput[]).map((m) => ({ entry: priceEntrySchema.parse(m), source: 'table' as const }));
    return new PriceTable([...table, ...overrides.map((entry) => ({ entry, source: 'config' as const }))]);
  }

  /** Prices for a usage group's model, day and tier (the aggregator prices its groups through this, importing no table). */
  resolveFor(model: string, date: string, batch: boolean | null, serviceTier: string | null, longContext: boolean): ResolvedPrice | null {
    return this.resolve(model, date, variantFor(batch, serviceTier), longContext);
  }

  /** List price of these tokens at these prices. */
  priceOf(t: TokenCounts, p: ResolvedPrice): Decimal {
    return priceTokens(t, p.prices);
  }

  /**
   * Prices for a model on a UTC date, or null when neither the model nor its family is listed.
   * `longContext`: the usage was over the long-context threshold; the entry's longContext
   * prices apply to standard-tier usage (other tiers keep their own prices).
   */
  resolve(model: string, date: string, variant: PriceVariantName, longContext = false): ResolvedPrice | null {
    const key = `${model}\u0000${date}\u0000${variant}\u0000${longContext}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const found = this.find(model, date) ?? this.find(modelFamily(model), date);
    let res: ResolvedPrice | null = null;
    if (found) {
      const v = found.entry[variant];
      const long = longContext && (v ? variant : 'standard') === 'standard' ? found.entry.longContext : undefined;
      const use = long ?? v ?? found.entry.standard;
      const cacheWrite = use.cacheWrite ?? use.input;
      res = {
        entryModel: found.entry.model,
        variant: v ? variant : 'standard',
        variantFellBack: !v && variant !== 'standard',
        longContext: long !== undefined,
        source: found.source,
        prices: {
          input: use.input,
          cachedInput: use.cachedInput ?? use.input,
          cacheWrite,
          cacheWrite1h: use.cacheWrite1h ?? cacheWrite,
          output: use.output ?? Decimal.ZERO,
        },
      };
    }
    this.memo.set(key, res);
    return res;
  }

  private find(model: string, date: string) {
    const list = this.byModel.get(model);
    if (!list) return null;
    let best: (typeof list)[number] | null = null;
    for (const e of list) {
      if (e.entry.effectiveFrom <= date && (!e.entry.effectiveTo || date < e.entry.effectiveTo)) best = e;
    }
    return best;
  }
}

export interface TokenCounts {
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  /** Of cacheWriteTokens, the 1-hour writes (absent = 0). */
  cacheWrite1hTokens?: number;
  outputTokens: number;
}

/**
 * List price of token usage: input includes cached and cache-write tokens (SPEC §2.1),
 * so uncached = input − cached − cache writes; of the writes, the 1-hour ones have their
 * own price. Exact: counts × price per 1M tokens.
 */
export function priceTokens(t: TokenCounts, p: TokenPrices): Decimal {
  const uncached = Math.max(0, t.inputTokens - t.cachedTokens - t.cacheWriteTokens);
  const write1h = Math.min(t.cacheWrite1hTokens ?? 0, t.cacheWriteTokens);
  return p.input
    .timesInt(uncached)
    .plus(p.cachedInput.timesInt(t.cachedTokens))
    .plus(p.cacheWrite.timesInt(t.cacheWriteTokens - write1h))
    .plus(p.cacheWrite1h.timesInt(write1h))
    .plus(p.output.timesInt(t.outputTokens))
    .shiftLeft(6);
}
