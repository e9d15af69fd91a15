/**
 * Attribution (SPEC §4.1) and the bookkeeping of the usage-vs-cost cross-check (SPEC §4.2,
 * judged in cross-check.ts).
 *
 * The cost export is the source of billed money; the usage export explains it. Billed
 * cost per (UTC day, provider, project, model[, key]) is split over keys and users in proportion
 * to their usage priced at list price, exactly (largest remainder at ALLOCATION_SCALE
 * or finer). What cannot be explained lands on an explicit unallocated row with the
 * reason, so every attributed table adds up to the billed total.
 */
import { allocateByWeight, Decimal } from '../money.js';
import type { CostRecord, Exception } from '../model.js';
import { type ProviderId, providersMeetIn } from '../providers.js';
import { placeOnLocalDate, utcDateOf, utcDayStart } from '../time.js';
import { modelFamily } from './prices.js';
import { cmp, type UsageGroup } from './usage.js';
import { crossRow, judgeVariance, noUsageExport, varianceExceptions, type CrossCheckRow, type Flag } from './cross-check.js';
import { push } from '../lists.js';

export type { CrossCheckRow } from './cross-check.js';

/** Parts are exact multiples of 10^-ALLOCATION_SCALE (or of the amount's own finer scale). */
const ALLOCATION_SCALE = 10;

export type AttributionBasis = 'cost export' | 'priced usage' | 'token count' | 'unallocated';

export interface AttributedRow {
  utcDay: string;
  localDate: string;
  /** The cost record's provider: a cost row is only ever split over its own provider's usage (FOCUS names it per row). */
  provider: ProviderId;
  organizationId: string | null;
  projectId: string | null;
  projectName: string | null;
  /** The model parsed from the line item, or null (web search, vector storage, ...). */
  model: string | null;
  /** The model, or the raw line item where no model could be parsed. */
  item: string;
  apiKeyId: string | null;
  userId: string | null;
  amount: Decimal;
  currency: string;
  basis: AttributionBasis;
  /** Why the row is unallocated (basis 'unallocated'), or a note on the basis. */
  reason: string | null;
}

export interface AttributionInput {
  costs: CostRecord[];
  usage: UsageGroup[];
  timezone: string;
  /** Currency of the cost export (one per run; the pipeline rejects rows in another). */
  currency: string;
  tolerancePercent: Decimal;
  toleranceAbsolute: Decimal;
  /** Spread each daily cost bucket over local days in proportion to hourly/minute usage. */
  splitDays?: boolean;
  /**
   * Whether a usage export was given (default true). Without one, every cost row lacks usage by
   * design: one info says so, instead of a "no usage" warning per project and model.
   */
  usageGiven?: boolean;
}

export interface AttributionResult {
  /** What the cost export is grouped by, in words (attribution and the cross-check work at that level). */
  costGranularity: string;
  rows: AttributedRow[];
  crossCheck: CrossCheckRow[];
  exceptions: Exception[];
}

interface Part {
  /** The usage's project and model, where the cost row does not name them (a coarser export). */
  projectId: string | null;
  model: string | null;
  apiKeyId: string | null;
  userId: string | null;
  price: Decimal;
  tokens: number;
  priced: boolean;
  /** With --split-days: the part's usage by local date. */
  byDate: Map<string, { price: Decimal; tokens: number }>;
}

/** Cost rows of one allocation unit: what an attributed row carries, plus the bucket and its rows. */
interface CostGroup
  extends Pick<AttributedRow, 'utcDay' | 'provider' | 'organizationId' | 'projectId' | 'projectName' | 'model' | 'item' | 'apiKeyId' | 'userId' | 'currency' | 'amount'> {
  start: number;
  end: number;
  refs: CostRecord['src'][];
}

const n = (v: string | null) => v ?? '';

/** Groups cost rows by what allocation needs; token kinds of one model add up. */
function groupCosts(costs: CostRecord[]): CostGroup[] {
  const m = new Map<string, CostGroup>();
  for (const c of costs) {
    const utcDay = utcDateOf(c.start);
    const model = c.lineItem?.model ?? null;
    const item = model ?? c.lineItemRaw ?? '(no line item)';
    const key = `${c.provider}|${c.start}|${c.end}|${n(c.organizationId)}|${n(c.projectId)}|${item}|${n(c.apiKeyId)}|${n(c.userId)}|${c.currency}`;
    const g = m.get(key);
    if (g) {
      g.amount = g.amount.plus(c.amount);
      g.refs.push(c.src);
      g.projectName ??= c.projectName;
    } else {
      m.set(key, {
        utcDay,
        provider: c.provider,
        start: c.start,
        end: c.end,
        organizationId: c.organizationId,
        projectId: c.projectId,
        projectName: c.projectName,
        model,
        item,
        apiKeyId: c.apiKeyId,
        userId: c.userId,
        currency: c.currency,
        amount: c.amount,
        refs: [c.src],
      });
    }
  }
  return [...m.values()].sort(
    (a, b) =>
      cmp(a.utcDay, b.utcDay) ||
      cmp(n(a.projectId), n(b.projectId)) ||
      cmp(a.item, b.item) ||
      cmp(n(a.apiKeyId), n(b.apiKeyId)) ||
      cmp(n(a.userId), n(b.userId)) ||
      cmp(a.provider, b.provider),
  );
}

export function attributeSpend(input: AttributionInput): AttributionResult {
  const { timezone } = input;
  const usageFor = usageIndex(input.usage);

  const rows: AttributedRow[] = [];
  const exceptions: Exception[] = [];
  const missingPrices: MissingPrices = new Map();
  const crossMap = new Map<string, CrossCheckRow>();
  const usedUsage = new Set<UsageGroup>();

  for (const c of groupCosts(input.costs)) {
    const localDate = placeOnLocalDate(c.start, c.end, timezone);
    const base = {
      utcDay: c.utcDay,
      localDate,
      provider: c.provider,
      organizationId: c.organizationId,
      projectId: c.projectId,
      projectName: c.projectName,
      model: c.model,
      item: c.item,
      currency: c.currency,
    };
    const unallocated = (reason: string) =>
      rows.push(
        attributedRow(base, base.projectId, base.projectName, base.model, base.item, localDate, c.apiKeyId, c.userId, c.amount, c.apiKeyId ? 'cost export' : 'unallocated', reason),
      );

    if (c.model === null && c.item !== NO_LINE_ITEM) {
      unallocated(`line item "${c.item}" names no model: the usage export cannot say which key or user caused it`);
      continue;
    }
    // the usage behind the cost row, at the granularity the cost export has: a cost export
    // without project or line item (an organisation total, or a download without grouping) is
    // split over all of that day's usage its columns do not rule out
    let candidates = usageFor(c.provider, c.utcDay, c.projectId, c.model);
    // cross-check bookkeeping at the same granularity, before any key filter
    const ck = `${c.provider}|${c.utcDay}|${n(c.projectId)}|${c.model ?? ALL_MODELS}`;
    let cross = crossMap.get(ck);
    if (!cross) {
      cross = crossRow(c.provider, c.utcDay, localDate, c.projectId, c.model ?? ALL_MODELS, candidates);
      for (const g of candidates) usedUsage.add(g);
      crossMap.set(ck, cross);
    }
    cross.billed = cross.billed.plus(c.amount);

    if (c.apiKeyId !== null) candidates = candidates.filter((g) => g.apiKeyId === c.apiKeyId);
    if (c.userId !== null) candidates = candidates.filter((g) => g.userId === c.userId);
    if (candidates.length === 0) {
      const what =
        c.projectId === null ? 'the cost export is not grouped by project (organisation total) and the usage export has no rows' : `no usage rows for project ${c.projectId}`;
      unallocated(`${what}${c.model ? `, model ${c.model},` : ''} on UTC day ${c.utcDay}${c.apiKeyId ? ` and key ${c.apiKeyId}` : ''}: nothing to split it by`);
      continue;
    }

    const { list, anyUnpriced } = weighUsage(c, candidates, input.splitDays ?? false, timezone, missingPrices);
    const { basis, weights, note } = chooseWeights(c, list, anyUnpriced, missingPrices);
    if (weights.every((w) => w.isZero())) {
      unallocated(`usage rows for ${c.model ?? 'the day'} on ${c.utcDay} carry no tokens to split by`);
      continue;
    }
    pushShares(rows, base, c, list, weights, basis, note);
  }

  addUnbilledUsage(input.usage, usedUsage, crossMap, usageFor, timezone);

  const crossCheck = [...crossMap.values()].sort((a, b) => cmp(a.utcDay, b.utcDay) || cmp(n(a.projectId), n(b.projectId)) || cmp(a.model, b.model) || cmp(a.provider, b.provider));
  const flags = crossCheck.map((r) => judgeVariance(r, input)).filter((f): f is Flag => f !== null);
  exceptions.push(...varianceExceptions(flags, input.currency, providersMeetIn(crossCheck)));
  if (input.usageGiven === false && input.costs.length) exceptions.push(noUsageExport(input.costs, input.currency));
  exceptions.push(...priceMissingExceptions(missingPrices));
  return { costGranularity: costGranularity(input.costs), rows, crossCheck, exceptions };
}

type MissingPrices = Map<string, { tokens: number; billed: Decimal; currency: string }>;
/** What every attributed row of one cost group shares. */
type RowBase = Omit<AttributedRow, 'apiKeyId' | 'userId' | 'amount' | 'basis' | 'reason'>;

/**
 * Weights per (project, model, key, user) — project and model only where the cost row does
 * not name them: priced usage, or token counts where a model has no price.
 */
function weighUsage(c: CostGroup, candidates: readonly UsageGroup[], splitDays: boolean, timezone: string, missingPrices: MissingPrices): { list: Part[]; anyUnpriced: boolean } {
  const parts = new Map<string, Part>();
  let anyUnpriced = false;
  for (const g of candidates) {
    const projectId = c.projectId ?? g.projectId;
    const model = c.model ?? g.model;
    const k = `${n(projectId)}|${n(model)}|${n(g.apiKeyId)}|${n(g.userId)}`;
    const p = parts.get(k) ?? { projectId, model, apiKeyId: g.apiKeyId, userId: g.userId, price: Decimal.ZERO, tokens: 0, priced: true, byDate: new Map() };
    if (splitDays) {
      // the local date of the usage: per hour for hourly and finer buckets, the midpoint rule otherwise
      const d = placeOnLocalDate(g.slot, g.slot + Math.min(g.width < 3600 ? 3600 : g.width, 86400), timezone);
      const w = p.byDate.get(d) ?? { price: Decimal.ZERO, tokens: 0 };
      if (g.listPrice !== null) w.price = w.price.plus(g.listPrice);
      w.tokens += g.inputTokens + g.outputTokens;
      p.byDate.set(d, w);
    }
    if (g.listPrice === null) {
      anyUnpriced = true;
      p.priced = false;
      // usage with no model (an export not grouped by model) cannot be priced, and is not a gap in the price table
      if (g.model !== null) {
        const mp = missingPrices.get(g.model) ?? { tokens: 0, billed: Decimal.ZERO, currency: c.currency };
        mp.tokens += g.inputTokens + g.outputTokens;
        missingPrices.set(g.model, mp);
      }
    } else p.price = p.price.plus(g.listPrice);
    p.tokens += g.inputTokens + g.outputTokens;
    parts.set(k, p);
  }
  const list = [...parts.values()].sort(
    (a, b) => cmp(n(a.projectId), n(b.projectId)) || cmp(n(a.model), n(b.model)) || cmp(n(a.apiKeyId), n(b.apiKeyId)) || cmp(n(a.userId), n(b.userId)),
  );
  return { list, anyUnpriced };
}

/** Priced usage where every part has a price and some list value; token counts otherwise, said why. */
function chooseWeights(
  c: CostGroup,
  list: readonly Part[],
  anyUnpriced: boolean,
  missingPrices: MissingPrices,
): { basis: AttributionBasis; weights: Decimal[]; note: string | null } {
  let basis: AttributionBasis = 'priced usage';
  let weights = list.map((p) => p.price);
  let note: string | null = null;
  if (anyUnpriced || weights.every((w) => w.isZero())) {
    basis = 'token count';
    weights = list.map((p) => Decimal.fromInt(p.tokens));
    note = !anyUnpriced
      ? 'usage has zero list value: split by token count'
      : c.model
        ? `model ${c.model} has no list price: split by token count`
        : 'some of the usage has no list price (a model missing from the price table, or usage not grouped by model): split by token count';
    const mp = c.model !== null && anyUnpriced ? missingPrices.get(c.model) : undefined;
    if (mp) mp.billed = mp.billed.plus(c.amount);
  }
  return { basis, weights, note };
}

/**
 * One attributed row, every field named in one literal: rows built by spreading `base` end up
 * with slow, varying shapes, and every table summed from them pays for it (measured, issue #14).
 */
function attributedRow(
  base: RowBase,
  projectId: string | null,
  projectName: string | null,
  model: string | null,
  item: string,
  localDate: string,
  apiKeyId: string | null,
  userId: string | null,
  amount: Decimal,
  basis: AttributionBasis,
  reason: string | null,
): AttributedRow {
  const { utcDay, provider, organizationId, currency } = base;
  return { utcDay, localDate, provider, organizationId, projectId, projectName, model, item, currency, apiKeyId, userId, amount, basis, reason };
}

/** The cost group's money split over its parts (and, with --split-days, over their local days). */
function pushShares(rows: AttributedRow[], base: RowBase, c: CostGroup, list: readonly Part[], weights: Decimal[], basis: AttributionBasis, note: string | null): void {
  const scale = Math.max(ALLOCATION_SCALE, c.amount.normalize().scale);
  const shares = allocateByWeight(c.amount, weights, scale);
  // a coarser cost row's parts carry the project and model of the usage behind them
  const projectName = c.projectId === null ? null : base.projectName;
  list.forEach((p, i) => {
    const amount = shares[i]!;
    if (amount.isZero() && weights[i]!.isZero()) return;
    const item = c.model === null ? (p.model ?? c.item) : c.item;
    const row = (localDate: string, part: Decimal) => attributedRow(base, p.projectId, projectName, p.model, item, localDate, p.apiKeyId, p.userId, part, basis, note);
    if (p.byDate.size === 0) {
      rows.push(row(base.localDate, amount));
      return;
    }
    const dates = [...p.byDate.entries()].sort((a, b) => cmp(a[0], b[0]));
    const dateWeights = dates.map(([, w]) => (basis === 'priced usage' ? w.price : Decimal.fromInt(w.tokens)));
    if (!dateWeights.every((w) => w.isZero())) {
      // --split-days: the key's share of the daily bucket spread over the local days of its
      // usage — also when all of it falls on one local date, which need not be the bucket's
      allocateByWeight(amount, dateWeights, scale).forEach((part, k) => {
        if (!part.isZero()) rows.push(row(dates[k]![0], part));
      });
    } else rows.push(row(base.localDate, amount));
  });
}

/** Usage that no cost row explains: shows on the cross-check as unbilled usage. */
function addUnbilledUsage(
  usage: readonly UsageGroup[],
  usedUsage: Set<UsageGroup>,
  crossMap: Map<string, CrossCheckRow>,
  usageFor: ReturnType<typeof usageIndex>,
  timezone: string,
): void {
  for (const g of usage) {
    if (g.model === null || usedUsage.has(g)) continue;
    const ck = `${g.provider}|${g.utcDay}|${n(g.projectId)}|${g.model}`;
    if (crossMap.has(ck)) continue;
    const same = usageFor(g.provider, g.utcDay, g.projectId, g.model).filter((x) => x.model === g.model);
    const row = crossRow(g.provider, g.utcDay, placeOnLocalDate(utcDayStart(g.utcDay), utcDayStart(g.utcDay) + 86400, timezone), g.projectId, g.model, same);
    for (const x of same) usedUsage.add(x);
    crossMap.set(ck, row);
  }
}

/** One warning per model the price table lacks, with the tokens and billed money it left unjudged. */
function priceMissingExceptions(missingPrices: MissingPrices): Exception[] {
  const exceptions: Exception[] = [];
  for (const [model, mp] of [...missingPrices.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    exceptions.push({
      severity: 'warning',
      class: 'price_missing',
      subject: model,
      amount: mp.billed,
      currency: mp.currency,
      message: `Model ${model} is not in the price table: ${mp.tokens.toLocaleString('en-US')} tokens could not be priced, so its billed cost was split by token count and the cross-check cannot judge it.`,
      nextStep: `Add a "prices" entry for ${model} (or its family ${modelFamily(model)}) in spendrecon.config.json with its list prices per 1M tokens.`,
      refs: [],
    });
  }
  return exceptions;
}

/** The dimensions the cost rows carry: `UTC day × project × line item`, or an organisation total. */
function costGranularity(costs: readonly CostRecord[]): string {
  const dims: [string, (c: CostRecord) => boolean][] = [
    ['project', (c) => c.projectId !== null],
    ['line item', (c) => c.lineItemRaw !== null],
    ['API key', (c) => c.apiKeyId !== null],
    ['user', (c) => c.userId !== null],
  ];
  const present = dims.filter(([, has]) => costs.some(has));
  if (present.length === 0) return 'UTC day only (an organisation total, not grouped): split over all usage of the day';
  const partly = present.filter(([, has]) => !costs.every(has)).map(([name]) => name);
  return `UTC day × ${present.map(([name]) => name).join(' × ')}${partly.length ? ` (some rows without ${partly.join(', ')})` : ''}`;
}

/** Cost rows without a line item (an export not grouped by line item). */
const NO_LINE_ITEM = '(no line item)';
/** The cross-check's model where the cost export names none. */
const ALL_MODELS = '(all models)';

/**
 * The usage groups of a provider's UTC day that a cost row's columns do not rule out: its project
 * when it has one, its model (or the model's family, for dated snapshots) when it has one.
 */
function usageIndex(usage: readonly UsageGroup[]): (provider: string, utcDay: string, projectId: string | null, model: string | null) => UsageGroup[] {
  const byDay = new Map<string, UsageGroup[]>();
  const byDayProject = new Map<string, UsageGroup[]>();
  for (const g of usage) {
    push(byDay, `${g.provider}|${g.utcDay}`, g);
    push(byDayProject, `${g.provider}|${g.utcDay}|${n(g.projectId)}`, g);
  }
  return (provider, utcDay, projectId, model) => {
    const scope = (projectId === null ? byDay.get(`${provider}|${utcDay}`) : byDayProject.get(`${provider}|${utcDay}|${projectId}`)) ?? [];
    if (model === null) return scope;
    const exact = scope.filter((g) => g.model === model);
    if (exact.length) return exact;
    const family = modelFamily(model);
    return scope.filter((g) => g.model !== null && modelFamily(g.model) === family);
  };
}
