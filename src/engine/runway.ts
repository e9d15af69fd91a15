/**
 * Credit runway (issue #13): when the prepaid balance runs out at the trailing 7-day burn
 * rate, with and without the auto-recharge until its monthly limit, and how much credit is
 * expected to expire unused in the next 30/60/90 days. Pure: reads a ledger result only.
 */
import { Decimal } from '../money.js';
import type { Exception } from '../model.js';
import { minorUnits } from '../money.js';
import { providerName } from '../providers.js';
import { addDays, lastDayOfMonth, type LocalDate } from '../time.js';
import type { LedgerDay, LedgerResult, Lot } from './ledger/index.js';

const BURN_WINDOW_DAYS = 7;
/** How far ahead run-out is looked for; beyond it the runway is "more than a year". */
const HORIZON_DAYS = 366;

export interface RunwayInput {
  ledger: LedgerResult;
  autoRechargeMonthlyLimit?: Decimal;
}

export interface ExpiryProjection {
  days: number;
  until: LocalDate;
  /** Unused at `asOf` and expiring by `until` (the ledger's figure). */
  atRisk: Decimal;
  /** Of that, what the burn rate will not use first (oldest credit first), to the cent. */
  expectedUnused: Decimal;
}

/** One (provider, organisation)'s runway: each provider's credit runs out on its own. */
export interface OrganizationRunway {
  provider: string;
  organization: string | null;
  asOf: LocalDate;
  balance: Decimal;
  /** Billed usage of the 7 days ending at `asOf`. */
  burnLast7Days: Decimal;
  /** burnLast7Days / 7 to 4 decimals (display only; dates are computed exactly). */
  dailyBurn: Decimal;
  /** First date whose balance is below zero at that burn; `asOf` when it already is; null: beyond the horizon or no burn. */
  runsOutOn: LocalDate | null;
  /** The auto-recharge amount assumed (the last paid one), or null when none was seen or no limit is configured. */
  autoRechargeAmount: Decimal | null;
  autoRechargeLimit: Decimal | null;
  /** Run-out counting auto-recharges whenever the balance goes below zero, while the month's limit allows. */
  runsOutWithAutoRechargeOn: LocalDate | null;
  /** The first date a needed auto-recharge would exceed the month's limit. */
  autoRechargeLimitHitOn: LocalDate | null;
  /** Last purchase date + the median interval between purchases (manual and invoice); null with fewer than two. */
  nextTopUpExpected: LocalDate | null;
  /** The earlier of the next expected top-up and the end of the month after `asOf`. */
  deadline: LocalDate;
  expiring: ExpiryProjection[];
}

export interface RunwayResult {
  currency: string;
  organizations: OrganizationRunway[];
  exceptions: Exception[];
}

const orgKey = (o: string | null) => o ?? '';

/** Exact integer arithmetic on money at a common scale. */
function unitsOf(values: Decimal[]): { scale: number; u: (d: Decimal) => bigint; d: (u: bigint) => Decimal } {
  const scale = values.reduce((s, v) => Math.max(s, v.scale), 2);
  return { scale, u: (d) => d.unitsAt(scale), d: (u) => Decimal.of(u, scale) };
}

/** Day-by-day balance at `burn7 / 7` a day; recharges (if any) when it goes below zero within the month's headroom. */
function simulate(
  asOf: LocalDate,
  balance: Decimal,
  burn7: Decimal,
  recharge: { amount: Decimal; limit: Decimal; usedInMonth: Map<string, Decimal> } | null,
): { runsOutOn: LocalDate | null; limitHitOn: LocalDate | null } {
  if (balance.sign() < 0) return { runsOutOn: asOf, limitHitOn: null };
  if (burn7.sign() <= 0) return { runsOutOn: null, limitHitOn: null };
  const m = unitsOf([balance, burn7, ...(recharge ? [recharge.amount, recharge.limit] : [])]);
  // everything ×7 so a day's burn is an integer and no rounding moves a date
  let bal = m.u(balance) * 7n;
  const burn = m.u(burn7);
  const used = new Map([...(recharge?.usedInMonth ?? [])].map(([k, v]) => [k, m.u(v)]));
  let limitHitOn: LocalDate | null = null;
  for (let n = 1; n <= HORIZON_DAYS; n++) {
    const date = addDays(asOf, n);
    bal -= burn;
    while (recharge && bal < 0n) {
      const month = date.slice(0, 7);
      const total = (used.get(month) ?? 0n) + m.u(recharge.amount);
      if (total > m.u(recharge.limit)) {
        limitHitOn ??= date;
        break;
      }
      used.set(month, total);
      bal += m.u(recharge.amount) * 7n;
    }
    if (bal < 0n) return { runsOutOn: date, limitHitOn };
  }
  return { runsOutOn: null, limitHitOn };
}

function nextTopUp(lots: readonly Lot[]): LocalDate | null {
  const dates = [...new Set(lots.filter((l) => (l.kind === 'manual' || l.kind === 'invoice') && l.purchasedOn).map((l) => l.purchasedOn!))].sort();
  if (dates.length < 2) return null;
  const gaps = dates
    .slice(1)
    .map((d, i) => Math.round((Date.parse(d) - Date.parse(dates[i]!)) / 86_400_000))
    .sort((a, b) => a - b);
  const median = gaps[Math.floor((gaps.length - 1) / 2)]!;
  return addDays(dates[dates.length - 1]!, Math.max(1, median));
}

/** Oldest credit first (the opening balance's part of unknown date before any purchase); burn reaches a lot only until it expires. */
function projectExpiry(lots: readonly Lot[], asOf: LocalDate, burn7: Decimal, windows: { days: number; until: LocalDate; amount: Decimal }[]): ExpiryProjection[] {
  const open = lots
    .filter((l) => l.remaining.sign() > 0)
    .sort((a, b) => ((a.purchasedOn ?? '') < (b.purchasedOn ?? '') ? -1 : (a.purchasedOn ?? '') > (b.purchasedOn ?? '') ? 1 : 0));
  const m = unitsOf([burn7, ...open.map((l) => l.remaining)]);
  const burnBefore = (expiresOn: LocalDate) => {
    const days = Math.max(0, Math.round((Date.parse(expiresOn) - Date.parse(asOf)) / 86_400_000) - 1);
    return m.u(burn7) * BigInt(days); // ×7, like `taken`
  };
  let taken = 0n;
  const unused = new Map<Lot, bigint>();
  for (const l of open) {
    const r = m.u(l.remaining) * 7n;
    const can = l.expiresOn ? burnBefore(l.expiresOn) - taken : r;
    const use = can <= 0n ? 0n : can < r ? can : r;
    taken += use;
    if (l.expiresOn) unused.set(l, r - use);
  }
  return windows.map((w) => {
    let sum = 0n;
    for (const [l, u] of unused) if (l.expiresOn! <= w.until) sum += u;
    return { days: w.days, until: w.until, atRisk: w.amount, expectedUnused: m.d(sum).mulDiv(1n, 7n, 2) };
  });
}

function organizationRunway(account: { provider: string; organization: string | null }, input: RunwayInput): OrganizationRunway | null {
  const { ledger } = input;
  const { provider, organization: org } = account;
  const mine = (x: { provider: string; organization: string | null }) => x.provider === provider && orgKey(x.organization) === orgKey(org);
  const days = ledger.days.filter(mine);
  // the last billed day: an export that stops mid-month must not dilute the burn with empty days
  const last = [...days].reverse().find((d) => !d.out.isZero()) ?? days[days.length - 1];
  if (!last) return null;
  const asOf = last.date;
  const window = days.filter((d: LedgerDay) => d.date > addDays(asOf, -BURN_WINDOW_DAYS) && d.date <= asOf);
  const burn7 = window.reduce((s, d) => s.plus(d.out), Decimal.ZERO);
  const orgLots = ledger.lots.filter(mine);
  const lastAuto = orgLots
    .filter((l) => l.kind === 'auto_recharge' && l.purchasedOn)
    .sort((a, b) => (a.purchasedOn! < b.purchasedOn! ? -1 : 1))
    .pop();
  const limit = input.autoRechargeMonthlyLimit ?? null;
  const amount = limit && lastAuto ? lastAuto.purchased : null;
  const usedInMonth = new Map(ledger.autoRecharge.filter(mine).map((a) => [a.month, a.total]));
  const plain = simulate(asOf, last.closing, burn7, null);
  const withAuto = limit && amount ? simulate(asOf, last.closing, burn7, { amount, limit, usedInMonth }) : plain;
  const next = nextTopUp(orgLots);
  const monthEnd = lastDayOfMonth(addDays(asOf, 1).slice(0, 7));
  const windows = [ledger.expiringSoon.within30, ledger.expiringSoon.within60, ledger.expiringSoon.within90].map((w) => ({
    days: w.days,
    until: w.until,
    amount: w.lots.filter(mine).reduce((s, l) => s.plus(l.amount), Decimal.ZERO),
  }));
  return {
    provider,
    organization: org,
    asOf,
    balance: last.closing,
    burnLast7Days: burn7,
    dailyBurn: burn7.mulDiv(1n, BigInt(BURN_WINDOW_DAYS), 4),
    runsOutOn: plain.runsOutOn,
    autoRechargeAmount: amount,
    autoRechargeLimit: limit,
    runsOutWithAutoRechargeOn: withAuto.runsOutOn,
    autoRechargeLimitHitOn: limit && amount ? withAuto.limitHitOn : null,
    nextTopUpExpected: next,
    deadline: next && next < monthEnd ? next : monthEnd,
    expiring: projectExpiry(orgLots, asOf, burn7, windows),
  };
}

export function computeRunway(input: RunwayInput): RunwayResult {
  const organizations = input.ledger.accounts.map((a) => organizationRunway(a, input)).filter((r): r is OrganizationRunway => r !== null);
  const several = input.ledger.providers.length > 1;
  return { currency: input.ledger.currency, organizations, exceptions: organizations.flatMap((r) => runwayExceptions(r, input.ledger.currency, several)) };
}

/** `several`: providers meet in the ledger, so the subject says whose credit it is. */
function runwayExceptions(r: OrganizationRunway, currency: string, several: boolean): Exception[] {
  const money = (d: Decimal) => `${d.toDisplay(minorUnits(currency))} ${currency}`;
  const subject = `${several ? `${providerName(r.provider)}: ` : ''}${r.organization ?? '(organisation not named)'}`;
  const out: Exception[] = [];
  const runsOut = r.runsOutWithAutoRechargeOn;
  const auto = r.autoRechargeAmount ? ` (counting auto-recharges of ${money(r.autoRechargeAmount)} up to the limit of ${money(r.autoRechargeLimit!)} a month)` : '';
  if (runsOut && runsOut <= r.deadline) {
    const already = runsOut <= r.asOf;
    out.push({
      severity: already ? 'error' : 'warning',
      class: 'credit_runs_out',
      subject,
      amount: r.balance,
      currency,
      message: already
        ? `The credit balance is ${money(r.balance)} at the end of ${r.asOf}: below zero, so API calls may already be refused.`
        : `The credit balance of ${money(r.balance)} at the end of ${r.asOf} runs out on ${runsOut} at the last 7 days' burn of ${money(r.dailyBurn)} a day${auto}, before ${r.nextTopUpExpected && r.deadline === r.nextTopUpExpected ? `the next expected top-up (${r.nextTopUpExpected})` : `the month's end (${r.deadline})`}.`,
      nextStep: already ? 'Top up now; the next top-up pays the negative balance first.' : `Top up before ${runsOut}, or raise the auto-recharge limit.`,
      refs: [],
    });
  }
  if (r.autoRechargeLimitHitOn && r.autoRechargeLimitHitOn <= r.deadline) {
    out.push({
      severity: 'info',
      class: 'auto_recharge_limit_forecast',
      subject,
      amount: r.autoRechargeLimit,
      currency,
      message: `At the current burn the auto-recharge reaches its monthly limit of ${money(r.autoRechargeLimit!)} on ${r.autoRechargeLimitHitOn}; after that the balance is not refilled until the next month.`,
      nextStep: 'Raise the monthly limit in the billing settings if the spend is expected.',
      refs: [],
    });
  }
  return out;
}
