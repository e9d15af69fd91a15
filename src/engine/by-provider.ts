/**
 * The run read per provider (issue 11): billed, attributed and unallocated money, usage
 * tokens, payments and the ledger balance of each provider. Each figure is a keyed sum of the
 * same records the run's totals sum, so the providers' figures add up to the totals exactly
 * (the law in test/engine/by-provider.test.ts).
 */
import { Decimal } from '../money.js';
import type { PaymentRecord } from '../model.js';
import { DEFAULT_PROVIDER } from '../providers.js';
import { localDateOf, type Period } from '../time.js';
import type { AttributedRow, CrossCheckRow } from './attribution.js';
import type { LedgerResult } from './ledger/index.js';

export interface ProviderTotals {
  provider: string;
  /** Sum of the provider's attributed rows (its share of the run's billed total). */
  billed: Decimal;
  /** Of that, the part attributed to an API key. */
  attributed: Decimal;
  /** Of that, the part no key could be given (billed = attributed + unallocated). */
  unallocated: Decimal;
  /** Tokens of the provider's usage as the cross-check compared it. */
  inputTokens: number;
  outputTokens: number;
  /** Paid payments whose local date is in the period, per currency. */
  payments: { currency: string; count: number; amount: Decimal }[];
  /** The provider's ledger balance at the period end, summed over its organisations; null without a ledger. */
  balance: Decimal | null;
}

export interface ProviderBreakdownInput {
  rows: readonly AttributedRow[];
  crossCheck: readonly CrossCheckRow[];
  payments: readonly PaymentRecord[];
  period: Period;
  ledger: LedgerResult | null;
}

/** The providers a run's records name, default provider first; at least the default provider. */
export function providersOf(input: ProviderBreakdownInput): string[] {
  const ids = new Set<string>();
  for (const r of input.rows) ids.add(r.provider);
  for (const c of input.crossCheck) ids.add(c.provider);
  for (const p of input.payments) ids.add(p.provider);
  for (const p of input.ledger?.providers ?? []) ids.add(p);
  if (ids.size === 0) return [DEFAULT_PROVIDER];
  const rest = [...ids].filter((id) => id !== DEFAULT_PROVIDER).sort();
  return ids.has(DEFAULT_PROVIDER) ? [DEFAULT_PROVIDER, ...rest] : rest;
}

/** One entry per provider the run names, in `providersOf` order. */
export function providerBreakdown(input: ProviderBreakdownInput): ProviderTotals[] {
  const out = new Map<string, ProviderTotals>();
  for (const id of providersOf(input)) {
    out.set(id, {
      provider: id,
      billed: Decimal.ZERO,
      attributed: Decimal.ZERO,
      unallocated: Decimal.ZERO,
      inputTokens: 0,
      outputTokens: 0,
      payments: [],
      balance: input.ledger ? Decimal.ZERO : null,
    });
  }
  for (const r of input.rows) {
    const t = out.get(r.provider)!;
    t.billed = t.billed.plus(r.amount);
    if (r.apiKeyId === null) t.unallocated = t.unallocated.plus(r.amount);
    else t.attributed = t.attributed.plus(r.amount);
  }
  for (const c of input.crossCheck) {
    const t = out.get(c.provider)!;
    t.inputTokens += c.inputTokens;
    t.outputTokens += c.outputTokens;
  }
  for (const p of input.payments) {
    if (p.status !== 'paid') continue;
    const d = localDateOf(p.paidAt, input.period.timezone);
    if (d < input.period.from || d > input.period.to) continue;
    const list = out.get(p.provider)!.payments;
    const cur = p.currency.toUpperCase();
    const e = list.find((x) => x.currency === cur) ?? list[list.push({ currency: cur, count: 0, amount: Decimal.ZERO }) - 1]!;
    e.count++;
    e.amount = e.amount.plus(p.amount);
  }
  for (const c of input.ledger?.closing ?? []) {
    const t = out.get(c.provider)!;
    t.balance = t.balance!.plus(c.balance);
  }
  for (const t of out.values()) t.payments.sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return [...out.values()];
}
