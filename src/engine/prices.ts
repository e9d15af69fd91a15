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
  output: Decimal;
}

export interface ResolvedPrice {
  /** The table entry's model name (the family when the snapshot fell back). */
  entryModel: string;
  variant: PriceVariantName;
  /** True when the requested variant had no prices and standard prices were used. */
  variantFellBack: boolean;
  prices: TokenPrices;
  source: 'table' | 'config';
}

const SNAPSHOT_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** `gpt-4o-mini-2024-07-18` → `gpt-4o-mini`; `gpt-4.1-2025-04-14` → `gpt-4.1`. */
export function modelFamily(model: string): string {
  return model.replace(SNAPSHOT_SUFFIX, '');
}

export function variantFor(batch: boolean | null, serviceTier: string | null): PriceVariantName {
  if (batch) return 'batch';
  const t = (serviceTier ?? '').toLowerCase();
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

  /** Prices for a model on a UTC date, or null when neither the model nor its family is listed. */
  resolve(model: string, date: string, variant: PriceVariantName): ResolvedPrice | null {
    const key = `${model}\u0000${date}\u0000${variant}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    const found = this.find(model, date) ?? this.find(modelFamily(model), date);
    let res: ResolvedPrice | null = null;
    if (found) {
      const v = found.entry[variant];
      const use = v ?? found.entry.standard;
      res = {
        entryModel: found.entry.model,
        variant: v ? variant : 'standard',
        variantFellBack: !v && variant !== 'standard',
        source: found.source,
        prices: {
          input: use.input,
          cachedInput: use.cachedInput ?? use.input,
          cacheWrite: use.cacheWrite ?? use.input,
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
  outputTokens: number;
}

/**
 * List price of token usage: input includes cached and cache-write tokens (SPEC §2.1),
 * so uncached = input − cached − cache writes. Exact: counts × price per 1M tokens.
 */
export function priceTokens(t: TokenCounts, p: TokenPrices): Decimal {
  const uncached = Math.max(0, t.inputTokens - t.cachedTokens - t.cacheWriteTokens);
  return p.input
    .timesInt(uncached)
    .plus(p.cachedInput.timesInt(t.cachedTokens))
    .plus(p.cacheWrite.timesInt(t.cacheWriteTokens))
    .plus(p.output.timesInt(t.outputTokens))
    .shiftLeft(6);
}
