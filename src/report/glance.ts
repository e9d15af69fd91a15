/**
 * "The month at a glance" (issue #13): the series both the HTML report's charts and the
 * workbook's Dashboard draw, computed once from the engine's results and kept exact; each
 * writer turns them into its own marks (numbers for SVG, cells for the workbook).
 */
import { Decimal } from '../money.js';
import { providerName } from '../providers.js';
import type { ReportResult } from '../results.js';
import { addDays, type LocalDate } from '../time.js';

/** Every local date of the period, so a day without spend still has its place on an axis. */
export function periodDates(r: ReportResult): LocalDate[] {
  const dates: LocalDate[] = [];
  for (let d = r.period.from; d <= r.period.to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/** The label a project is drawn under: its name, else its id. */
export const projectLabel = (p: { projectId: string; projectName: string | null }) => p.projectName ?? p.projectId;

/** The ledger events drawn on the balance line, in plain words. */
export const BALANCE_EVENT_WORDS: Record<string, string> = {
  top_up: 'top-up',
  grant: 'grant',
  credit_expired: 'expired',
  auto_recharge_limit_reached: 'auto-recharge limit reached',
  balance_negative: 'balance below zero',
};

export interface BalanceDay {
  date: LocalDate;
  /** Closing balance at the end of the day, all organisations summed. */
  balance: Decimal;
  /** Top-ups and grants that arrived that day. */
  credited: Decimal;
  expired: Decimal;
  /** Auto-recharges bought from the first of the day's calendar month to the end of the day. */
  autoRechargedThisMonth: Decimal;
  /** BALANCE_EVENT_WORDS of the day's events, in ledger order, each once. */
  events: string[];
}

/** One (provider, organisation) account's balance line. */
export interface BalanceAccount {
  provider: string;
  organization: string | null;
  /** What the line is called: the provider where providers meet, the organisation where a provider has several. */
  label: string;
  /** Closing balance at the end of each of the account's ledger days. */
  days: { date: LocalDate; balance: Decimal }[];
}

export interface BalanceSeries {
  currency: string;
  days: BalanceDay[];
  /** One line per account when the ledger has more than one; empty for one account (its line is `days`' balance). */
  accounts: BalanceAccount[];
  /** The auto-recharge limit a month (the first organisation that has one), or null. */
  autoRechargeLimit: Decimal | null;
}

function sumByDate<T>(items: readonly T[], date: (x: T) => string | null, amount: (x: T) => Decimal): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const x of items) {
    const d = date(x);
    if (d !== null) out.set(d, (out.get(d) ?? Decimal.ZERO).plus(amount(x)));
  }
  return out;
}

/** The credit ledger per day (all organisations summed), or null when no ledger was rolled. */
export function balanceSeries(r: ReportResult): BalanceSeries | null {
  const l = r.ledger;
  if (!l || l.days.length === 0) return null;
  const balance = sumByDate(
    l.days,
    (d) => d.date,
    (d) => d.closing,
  );
  const credited = sumByDate(
    l.days,
    (d) => d.date,
    (d) => d.in,
  );
  const expired = sumByDate(
    l.days,
    (d) => d.date,
    (d) => d.expired,
  );
  const auto = sumByDate(
    l.lots.filter((lot) => lot.kind === 'auto_recharge'),
    (lot) => lot.purchasedOn,
    (lot) => lot.purchased,
  );
  const days: BalanceDay[] = [];
  let month = '';
  let used = Decimal.ZERO;
  for (const date of [...balance.keys()].sort()) {
    if (date.slice(0, 7) !== month) [month, used] = [date.slice(0, 7), Decimal.ZERO];
    used = used.plus(auto.get(date) ?? Decimal.ZERO);
    const events = [...new Set(l.events.filter((e) => e.date === date && BALANCE_EVENT_WORDS[e.kind]).map((e) => BALANCE_EVENT_WORDS[e.kind]!))];
    days.push({ date, balance: balance.get(date)!, credited: credited.get(date)!, expired: expired.get(date)!, autoRechargedThisMonth: used, events });
  }
  const autoRechargeLimit = r.runway?.organizations.find((o) => o.autoRechargeLimit)?.autoRechargeLimit ?? null;
  return { currency: l.currency, days, accounts: balanceAccounts(l), autoRechargeLimit };
}

type Ledger = NonNullable<ReportResult['ledger']>;

/** Each account's own balance line, or none when the ledger has one account (the summed line is it). */
function balanceAccounts(l: Ledger): BalanceAccount[] {
  if (l.accounts.length < 2) return [];
  const providers = new Set(l.accounts.map((a) => a.provider));
  return l.accounts.map((a) => {
    const ownOrgs = l.accounts.filter((b) => b.provider === a.provider).length;
    const parts = [providers.size > 1 ? providerName(a.provider) : null, ownOrgs > 1 || providers.size === 1 ? (a.organization ?? '(no organisation)') : null];
    const days = l.days.filter((d) => d.provider === a.provider && d.organization === a.organization).map((d) => ({ date: d.date, balance: d.closing }));
    return { provider: a.provider, organization: a.organization, label: parts.filter((x) => x !== null).join(' '), days };
  });
}

/** The account a ledger record belongs to, as `balanceAccounts` lists them (-1: not one of them). */
export function accountIndex(accounts: readonly BalanceAccount[], x: { provider: string; organization: string | null }): number {
  return accounts.findIndex((a) => a.provider === x.provider && a.organization === x.organization);
}
