/**
 * The usage-vs-cost cross-check (SPEC §4.2): per (UTC day, project, model) the billed cost
 * against the usage at list price, and the exceptions for days outside the tolerance or
 * with one side missing. attribution.ts fills the rows; this judges them.
 */
import { Decimal, minorUnits, ratio } from '../money.js';
import type { CostRecord, Exception } from '../model.js';
import { provider, providerName } from '../providers.js';
import type { UsageGroup } from './usage.js';
import { push } from '../lists.js';

export interface CrossCheckRow {
  /** The provider's id: billed cost is only compared with its own provider's usage. */
  provider: string;
  utcDay: string;
  localDate: string;
  projectId: string | null;
  model: string;
  billed: Decimal;
  /** Usage at list price; null when the model has no list price. */
  listPrice: Decimal | null;
  variance: Decimal | null;
  /** (billed − list) / list, as a fraction; null when not computable. */
  varianceRatio: number | null;
  inputTokens: number;
  outputTokens: number;
  usageRows: number;
  flagged: boolean;
  cause: string | null;
}

export function crossRow(provider: string, utcDay: string, localDate: string, projectId: string | null, model: string, usage: UsageGroup[]): CrossCheckRow {
  let listPrice: Decimal | null = usage.length ? Decimal.ZERO : null;
  let inputTokens = 0;
  let outputTokens = 0;
  let usageRows = 0;
  for (const g of usage) {
    inputTokens += g.inputTokens;
    outputTokens += g.outputTokens;
    usageRows += g.rows;
    if (g.listPrice === null) listPrice = null;
    else if (listPrice !== null) listPrice = listPrice.plus(g.listPrice);
  }
  if (usage.length && usage.every((g) => g.listPrice === null)) listPrice = null;
  return {
    provider,
    utcDay,
    localDate,
    projectId,
    model,
    billed: Decimal.ZERO,
    listPrice,
    variance: null,
    varianceRatio: null,
    inputTokens,
    outputTokens,
    usageRows,
    flagged: false,
    cause: null,
  };
}

/** What judgeVariance needs of the attribution input. */
export interface CrossCheckTolerance {
  tolerancePercent: Decimal;
  toleranceAbsolute: Decimal;
  usageGiven?: boolean;
}

export type Flag = { kind: 'no usage' | 'no cost' | 'variance'; row: CrossCheckRow; cause: string; nextStep: string; amount: Decimal };

export function judgeVariance(r: CrossCheckRow, input: CrossCheckTolerance): Flag | null {
  const hasUsage = r.usageRows > 0;
  if (r.listPrice !== null) {
    r.variance = r.billed.minus(r.listPrice);
    r.varianceRatio = ratio(r.variance, r.listPrice);
  }
  let flag: Flag | null = null;
  if (!hasUsage && !r.billed.isZero() && input.usageGiven !== false) {
    flag = {
      kind: 'no usage',
      row: r,
      cause: 'billed, but the usage export has no rows for this project and model',
      nextStep: 'Check that the usage export covers this project and these days (it may be filtered by project, be of another usage category, or cover a different date range).',
      amount: r.billed,
    };
  } else if (hasUsage && r.billed.isZero() && r.listPrice !== null && !r.listPrice.isZero()) {
    flag = {
      kind: 'no cost',
      row: r,
      cause: 'usage with no billed cost for this project and model',
      nextStep: 'Check that the cost export covers these days and this project (different time range or organisation?).',
      amount: r.listPrice,
    };
  } else if (r.listPrice !== null && r.variance !== null) {
    // (a model without list price is reported once, as price_missing)
    const limit = Decimal.max(input.toleranceAbsolute, r.listPrice.abs().times(input.tolerancePercent).shiftLeft(2));
    if (r.variance.abs().cmp(limit) > 0) {
      flag = {
        kind: 'variance',
        row: r,
        cause: r.variance.sign() > 0 ? 'billed above list price of the usage' : 'billed below list price of the usage',
        nextStep:
          'Compare the day in the provider dashboard: a price change, a tier (flex/priority/batch) the usage export does not show, a discount, or usage rows missing from the export.',
        amount: r.variance.abs(),
      };
    }
  }
  if (flag) {
    r.flagged = true;
    r.cause = flag.cause;
  }
  return flag;
}

/** The one notice of a report run on a cost export alone. */
export function noUsageExport(costs: readonly CostRecord[], currency: string): Exception {
  return {
    severity: 'info',
    class: 'no_usage_export',
    subject: 'usage export',
    amount: costs.reduce((s, c) => s.plus(c.amount), Decimal.ZERO),
    currency,
    message: 'No usage export was given: spend is not split by API key or user (it stays on (unallocated) rows), and usage is not compared with cost.',
    nextStep: 'Add the usage export of the same period with --usage FILE to split spend by key and user and to cross-check it against the cost.',
    refs: [],
  };
}

/**
 * One exception per variance day; days with one side missing are grouped per provider ×
 * project × model. `several`: providers meet in the run, so each subject names its provider.
 */
/** A row's project for a subject: its id, or what the provider calls a row without one (Anthropic's default workspace). */
function projectShown(r: CrossCheckRow): string {
  return r.projectId ?? provider(r.provider).defaultProject?.name ?? '(no project)';
}

export function varianceExceptions(flags: Flag[], currency: string, several = false): Exception[] {
  const whose = (r: CrossCheckRow) => (several ? `${providerName(r.provider)} ` : '');
  const out: Exception[] = [];
  const groups = new Map<string, Flag[]>();
  for (const f of flags) {
    const r = f.row;
    if (f.kind === 'variance') {
      out.push({
        severity: 'warning',
        class: 'usage_cost_variance',
        subject: `${whose(r)}${r.utcDay} ${projectShown(r)} ${r.model}`,
        amount: f.amount,
        currency,
        message: `${r.utcDay} (UTC), project ${r.projectId ?? '(none)'}, ${r.model}: ${f.cause} (billed ${r.billed.toDisplay(minorUnits(currency))}, list ${r.listPrice!.toDisplay(minorUnits(currency))} ${currency}).`,
        nextStep: f.nextStep,
        refs: [],
      });
    } else push(groups, `${f.kind}|${r.provider}|${r.projectId}|${r.model}`, f);
  }
  for (const list of groups.values()) {
    const first = list[0]!;
    const days = list.map((f) => f.row.utcDay);
    const amount = list.reduce((s, f) => s.plus(f.amount), Decimal.ZERO);
    const span = days.length === 1 ? days[0]! : `${days[0]} … ${days[days.length - 1]}`;
    out.push({
      severity: 'warning',
      class: 'usage_cost_variance',
      subject: `${whose(first.row)}${span} ${projectShown(first.row)} ${first.row.model}`,
      amount,
      currency,
      message: `Project ${first.row.projectId ?? '(none)'}, ${first.row.model}: ${first.cause} on ${days.length === 1 ? `UTC day ${days[0]}` : `${days.length} UTC days (${days.join(', ')})`}; ${first.kind === 'no usage' ? 'billed' : 'list value'} ${amount.toDisplay(minorUnits(currency))} ${currency}.`,
      nextStep: first.nextStep,
      refs: [],
    });
  }
  return out;
}
