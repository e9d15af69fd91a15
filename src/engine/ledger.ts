/**
 * Credit ledger (SPEC §4.4): opening balance + paid top-ups + grants − daily billed usage
 * − expired credit, rolled forward day by day per organisation in the reporting zone.
 *
 * Credit is held in FIFO lots (one per purchase or grant). Usage draws from the oldest
 * lot; usage beyond every lot is a debt (negative balance) that the next top-up pays
 * first. Each lot expires on the same local date N months after it was bought.
 * Pure and deterministic: records in, results out, every ordering has an explicit key.
 * The rules a reader of the workbook needs are in LEDGER_RULES.
 */
import { Decimal } from '../money.js';
import type { Exception, PaymentRecord, Provenance } from '../model.js';
import { addDays, isCalendarDate, lastDayOfMonth, localDateOf, type EpochSeconds, type LocalDate, type Period } from '../time.js';

// ---------------------------------------------------------------------------
// Input

export interface OpeningBalance {
  amount: Decimal;
  /** The balance at the start of this local date, before that day's top-ups and usage. */
  date: LocalDate;
  /** Omitted/null: the organisation of records that name none (see `defaultOrganization`). */
  organization?: string | null;
  /** When the part of the opening balance not traced to known purchases expires; never if omitted. */
  expiresOn?: LocalDate | null;
}

/** Billed usage of one organisation on one local date (summed by the caller from the cost export). */
export interface DailyUsage {
  organization: string | null;
  date: LocalDate;
  amount: Decimal;
  refs?: Provenance[];
}

/** The balance the provider's dashboard shows. */
export interface ReportedClosingBalance {
  amount: Decimal;
  /** End of this local date; default: the period end. */
  date?: LocalDate;
  /** The organisation it belongs to; default: the only one, or the sum of all. */
  organization?: string | null;
}

export interface LedgerInput {
  /** Reporting zone: payments are placed on `localDateOf(paidAt, timezone)`. Must equal `period.timezone`. */
  timezone: string;
  period: Period;
  /** Ledger currency; payments in another currency are left out and flagged. Default USD. */
  currency?: string;
  openingBalance?: OpeningBalance | readonly OpeningBalance[];
  /** May include payments before the period (and before the opening date) so lots and expiries are right. */
  payments: readonly PaymentRecord[];
  usage: readonly DailyUsage[];
  /** Per organisation and calendar month (local date) of the auto-recharge charges. */
  autoRechargeMonthlyLimit?: Decimal;
  closingBalanceReported?: ReportedClosingBalance;
  /** A reported closing within this of the computed one matches. Default 0.01 (the dashboard shows cents). */
  closingTolerance?: Decimal;
  /** Date of the forward look at expiring credit (end of that day). Default: the period end. */
  asOf?: LocalDate;
  /** Months a purchased lot stays valid. Default 12. */
  creditValidityMonths?: number;
  /** Months a grant stays valid. Default 12 (assumed like purchases unless configured). */
  grantValidityMonths?: number;
  /** Organisation for records that name none. Default: the only organisation named anywhere, if exactly one. */
  defaultOrganization?: string;
}

// ---------------------------------------------------------------------------
// Result

export type LotKind = 'manual' | 'auto_recharge' | 'invoice' | 'grant' | 'opening' | 'usage_credit';

/** One purchase or grant of credit, as it stands at the end of the period. */
export interface Lot {
  id: string;
  organization: string | null;
  kind: LotKind;
  reference: string | null;
  /** Local purchase date; null for the part of an opening balance of unknown purchase date. */
  purchasedOn: LocalDate | null;
  paidAt: EpochSeconds | null;
  /** The amount bought or granted. */
  purchased: Decimal;
  /**
   * What the lot held when the roll-forward took it in: `purchased` for lots bought during
   * the roll, the inferred unused part for lots bought before the opening-balance date.
   */
  carriedIn: Decimal;
  /** Part of the purchase that paid off a negative balance when it arrived. */
  appliedToDebt: Decimal;
  /** Drawn by usage. */
  consumed: Decimal;
  expired: Decimal;
  /** carriedIn = appliedToDebt + consumed + expired + remaining. */
  remaining: Decimal;
  /** First local date on which the lot can no longer be used; null: never expires. */
  expiresOn: LocalDate | null;
  src: Provenance | null;
}

export interface LedgerDay {
  date: LocalDate;
  organization: string | null;
  opening: Decimal;
  /** topUps + grants. */
  in: Decimal;
  topUps: Decimal;
  grants: Decimal;
  /** Billed usage of the day (negative when the day's billing was a credit). */
  out: Decimal;
  expired: Decimal;
  /** closing = opening + in − out − expired. */
  closing: Decimal;
  /** Sum of unused lots at the end of the day. */
  available: Decimal;
  /** Negative balance owed at the end of the day (≥ 0); closing = available − debt. */
  debt: Decimal;
  events: string[];
}

export type LedgerEventKind =
  | 'opening_balance'
  | 'top_up'
  | 'grant'
  | 'top_up_paid_debt'
  | 'balance_negative'
  | 'usage_credit'
  | 'credit_expired'
  | 'auto_recharge_limit_reached'
  | 'auto_recharge_over_limit'
  | 'auto_recharge_declined'
  | 'payment_ignored';

export interface LedgerEvent {
  date: LocalDate;
  organization: string | null;
  kind: LedgerEventKind;
  amount: Decimal | null;
  message: string;
  refs: Provenance[];
}

export interface ExpiringLot {
  lotId: string;
  organization: string | null;
  reference: string | null;
  kind: LotKind;
  purchasedOn: LocalDate | null;
  expiresOn: LocalDate;
  /** Unused at the end of `asOf`; expires unless used first. */
  amount: Decimal;
  src: Provenance | null;
}

export interface ExpiringWindow {
  days: number;
  /** Last date of the window (asOf + days), inclusive. */
  until: LocalDate;
  amount: Decimal;
  lots: ExpiringLot[];
}

export interface ExpiringSoon {
  asOf: LocalDate;
  within30: ExpiringWindow;
  within60: ExpiringWindow;
  within90: ExpiringWindow;
}

export interface OrganizationClosing {
  organization: string | null;
  /** End of the period. */
  balance: Decimal;
  available: Decimal;
  debt: Decimal;
  /** First local date rolled (opening-balance date or first record). */
  rolledFrom: LocalDate;
}

export interface ClosingCheck {
  date: LocalDate;
  /** The organisations whose computed balances were summed (one, unless the report named none). */
  organizations: (string | null)[];
  reported: Decimal;
  computed: Decimal;
  /** reported − computed. */
  difference: Decimal;
  matches: boolean;
  likelyCauses: string[];
}

export interface AutoRechargeMonth {
  organization: string | null;
  /** `YYYY-MM` of the local dates. */
  month: string;
  limit: Decimal | null;
  /** Paid auto-recharge charges in the month. */
  total: Decimal;
  count: number;
  reachedOn: LocalDate | null;
  /** Paid auto top-ups that took the month's total beyond the limit. */
  overLimit: { reference: string; date: LocalDate; amount: Decimal; src: Provenance }[];
}

export type IgnoreReason =
  | 'subscription_not_api_credit'
  | 'refunded'
  | 'failed'
  | 'pending'
  | 'void'
  | 'other_currency'
  | 'not_positive'
  | 'after_ledger_end'
  | 'before_opening_balance'
  | 'used_before_opening_balance'
  | 'expired_before_opening_balance';

export const IGNORE_REASONS: readonly IgnoreReason[] = [
  'subscription_not_api_credit',
  'refunded',
  'failed',
  'pending',
  'void',
  'other_currency',
  'not_positive',
  'after_ledger_end',
  'before_opening_balance',
  'used_before_opening_balance',
  'expired_before_opening_balance',
];

/** A payment or usage amount that did not enter the roll-forward, and why. */
export interface IgnoredItem {
  what: 'payment' | 'usage';
  reason: IgnoreReason;
  date: LocalDate;
  organization: string | null;
  amount: Decimal;
  reference: string | null;
  refs: Provenance[];
}

export interface LedgerResult {
  period: { from: LocalDate; to: LocalDate; timezone: string };
  currency: string;
  organizations: (string | null)[];
  days: LedgerDay[];
  lots: Lot[];
  events: LedgerEvent[];
  expiringSoon: ExpiringSoon;
  closing: OrganizationClosing[];
  closingCheck?: ClosingCheck;
  autoRecharge: AutoRechargeMonth[];
  ignored: IgnoredItem[];
  ignoredCounts: Record<IgnoreReason, number>;
  exceptions: Exception[];
  rules: readonly string[];
}

export const LEDGER_RULES: readonly string[] = [
  'A payment is placed on the local date (reporting time zone) of its paid-at instant; usage on the local date the cost export was placed on.',
  'Within a day: credit expiring that day expires first, then top-ups and grants in time order, then the day’s billed usage (the cost export has no time of day).',
  'Only paid manual, auto-recharge and invoice payments add purchased credit; paid grants add granted credit. ChatGPT subscriptions never add API credit. Failed, pending, void and refunded payments add nothing (a refunded payment is treated as never credited).',
  'Credit is used oldest first (one lot per purchase or grant). Usage beyond all credit makes the balance negative; the next top-up pays that first and only the rest becomes available.',
  'A lot expires on the same local date one year (12 months) after purchase, at the start of that day; a lot bought on 29 February expires on 28 February. Grants are assumed to expire like purchases unless configured.',
  'An opening balance is the balance at the start of its date. Payments before that date are taken as the newest credit still unused (oldest-first use leaves the newest), so their expiries are kept; any rest of the opening balance has an unknown purchase date and never expires unless an expiry date is configured.',
  'Without an opening balance the ledger starts at zero on the earliest payment or usage date given (or the period start), so the payment history and usage must go back to the first top-up for the balance to be right.',
  'The auto-recharge limit applies per organisation and calendar month (local dates) to paid auto-recharge charges.',
];

// ---------------------------------------------------------------------------
// Small helpers

const NO_ORG_LABEL = '(no organisation)';
const DEFAULT_TOLERANCE = Decimal.from('0.01');

function orgLabel(org: string | null): string {
  return org ?? NO_ORG_LABEL;
}

/** A map key that keeps null apart from every name. */
function orgKey(org: string | null): string {
  return org === null ? '0' : `1${org}`;
}

function cmpOrg(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function minDec(a: Decimal, b: Decimal): Decimal {
  return a.cmp(b) <= 0 ? a : b;
}

/** Cents for money that is whole cents, every digit otherwise: a message never hides a digit. */
function fmt(d: Decimal): string {
  const n = d.normalize();
  return n.scale <= 2 ? d.toDisplay(2) : n.toString();
}

/** Same local date `months` later; a day that month lacks (29 Feb, 31st) falls to its last day. */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  if (!isCalendarDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  const month = `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}`;
  const lastDay = Number(lastDayOfMonth(month).slice(8, 10));
  return `${month}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

function cmpPayment(a: PaymentRecord, b: PaymentRecord): number {
  return (
    a.paidAt - b.paidAt ||
    cmpStr(a.src.file, b.src.file) ||
    a.src.line - b.src.line ||
    cmpStr(a.reference, b.reference)
  );
}

function refLabel(kind: PaymentRecord['kind'] | LotKind, reference: string | null): string {
  if (!reference) return '';
  const word = kind === 'invoice' ? 'invoice' : kind === 'grant' ? 'grant' : 'receipt';
  return ` (${word} ${reference})`;
}

function requireDate(date: string, what: string): void {
  if (!isCalendarDate(date)) throw new RangeError(`${what}: not a date (YYYY-MM-DD): ${date}`);
}

function requireMonths(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a whole number of months ≥ 1, got ${n}`);
  return n;
}

// ---------------------------------------------------------------------------
// Internal state

/** A lot while the roll-forward runs: the published Lot plus whether its expiry was applied. */
interface LotState extends Lot {
  expiryDone: boolean;
}

/** The published copy of a lot (its state is mutated as days roll). */
function snapshotLot(l: LotState): Lot {
  const { expiryDone: _done, ...lot } = l;
  return lot;
}

/** A credit-adding payment after classification. */
interface CreditPayment {
  p: PaymentRecord;
  org: string | null;
  date: LocalDate;
}

/** Events are sorted by (date, organisation, phase within the day, instant, creation order). */
interface PendingEvent {
  ev: LedgerEvent;
  phase: number;
  time: number;
  seq: number;
}

const PHASE_OPENING = 0;
const PHASE_EXPIRY = 1;
const PHASE_PAYMENT = 2;
const PHASE_USAGE = 3;

// ---------------------------------------------------------------------------
// The ledger

export function buildCreditLedger(input: LedgerInput): LedgerResult {
  const { period, timezone: tz } = input;
  if (period.timezone !== tz) {
    throw new RangeError(`ledger time zone ${tz} differs from the period's ${period.timezone}`);
  }
  const currency = (input.currency ?? 'USD').toUpperCase();
  const creditMonths = requireMonths(input.creditValidityMonths ?? 12, 'creditValidityMonths');
  const grantMonths = requireMonths(input.grantValidityMonths ?? 12, 'grantValidityMonths');
  const tolerance = (input.closingTolerance ?? DEFAULT_TOLERANCE).abs();
  const limit = input.autoRechargeMonthlyLimit ?? null;
  const asOf = input.asOf ?? period.to;
  requireDate(asOf, 'asOf');
  const checkDate = input.closingBalanceReported?.date ?? period.to;
  requireDate(checkDate, 'closingBalanceReported.date');
  const ob = input.openingBalance;
  const openingsIn: readonly OpeningBalance[] = ob === undefined ? [] : Array.isArray(ob) ? (ob as readonly OpeningBalance[]) : [ob as OpeningBalance];
  for (const o of openingsIn) {
    requireDate(o.date, 'openingBalance.date');
    if (o.expiresOn) requireDate(o.expiresOn, 'openingBalance.expiresOn');
  }
  for (const u of input.usage) requireDate(u.date, 'usage date');

  const exceptions: Exception[] = [];
  const ignored: IgnoredItem[] = [];
  const pending: PendingEvent[] = [];
  let seq = 0;
  const inPeriod = (d: LocalDate): boolean => d >= period.from && d <= period.to;
  const pushEvent = (ev: LedgerEvent, phase: number, time: number): void => {
    if (inPeriod(ev.date)) pending.push({ ev, phase, time, seq: seq++ });
  };

  // --- organisations: records naming none go to the default, or to the only one named
  const named = new Set<string>();
  for (const p of input.payments) if (p.organization !== null) named.add(p.organization);
  for (const u of input.usage) if (u.organization !== null) named.add(u.organization);
  for (const o of openingsIn) if (o.organization != null) named.add(o.organization);
  let nullOrg: string | null = null;
  if (input.defaultOrganization !== undefined) nullOrg = input.defaultOrganization;
  else if (named.size === 1) nullOrg = [...named][0]!;
  const mapOrg = (o: string | null | undefined): string | null => (o == null ? nullOrg : o);
  const anyUnnamed =
    input.payments.some((p) => p.organization === null) ||
    input.usage.some((u) => u.organization === null) ||
    openingsIn.some((o) => o.organization == null);
  if (anyUnnamed && nullOrg !== null && input.defaultOrganization === undefined) {
    exceptions.push({
      severity: 'info',
      class: 'organization_assumed',
      subject: `organization ${nullOrg}`,
      amount: null,
      currency: null,
      message: `Payments or usage without an organisation were assigned to ${nullOrg}, the only organisation named in the inputs.`,
      nextStep: 'If they belong to another organisation, fill in the organisation column of the payment history.',
      refs: input.payments.filter((p) => p.organization === null).map((p) => p.src),
    });
  }

  const openings = new Map<string | null, OpeningBalance>();
  for (const o of openingsIn) {
    const org = mapOrg(o.organization);
    if (openings.has(org)) throw new RangeError(`two opening balances for ${orgLabel(org)}`);
    openings.set(org, o);
  }
  // An opening balance after the period cannot be rolled backwards: leave it out, say so.
  for (const [org, o] of [...openings]) {
    if (o.date > period.to) {
      openings.delete(org);
      exceptions.push({
        severity: 'warning',
        class: 'opening_balance_after_period',
        subject: `organization ${orgLabel(org)}`,
        amount: o.amount,
        currency,
        message: `The opening balance is dated ${o.date}, after the period ends (${period.to}); it was not used and the ledger starts at zero.`,
        nextStep: 'Give an opening balance dated on or before the period start.',
        refs: [],
      });
    }
  }

  const simEnd = [period.to, asOf, checkDate].reduce((a, b) => (b > a ? b : a));

  // --- classify payments
  const credit: CreditPayment[] = [];
  const paymentsSorted = [...input.payments].sort(cmpPayment);
  for (const p of paymentsSorted) {
    const org = mapOrg(p.organization);
    const date = localDateOf(p.paidAt, tz);
    const ignore = (reason: IgnoreReason, message: string | null): void => {
      ignored.push({ what: 'payment', reason, date, organization: org, amount: p.amount, reference: p.reference || null, refs: [p.src] });
      if (message) {
        pushEvent({ date, organization: org, kind: 'payment_ignored', amount: p.amount, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
      }
    };
    const ref = p.reference ? ` (${p.reference})` : '';
    if (p.kind === 'subscription') {
      ignore('subscription_not_api_credit', `ChatGPT subscription charge ${fmt(p.amount)}${ref} is a plan, not API credit: left out of the balance`);
      continue;
    }
    if (p.status !== 'paid') {
      const what = p.kind === 'grant' ? 'grant' : p.kind === 'invoice' ? 'invoice payment' : p.kind === 'auto_recharge' ? 'auto top-up' : 'top-up';
      const text: Record<Exclude<PaymentRecord['status'], 'paid'>, string> = {
        failed: `${what} ${fmt(p.amount)}${ref} failed: no credit added`,
        pending: `${what} ${fmt(p.amount)}${ref} is still pending: no credit counted until it is paid`,
        refunded: `${what} ${fmt(p.amount)}${ref} was refunded: no credit counted`,
        void: `${what} ${fmt(p.amount)}${ref} is void: no credit added`,
      };
      ignore(p.status, text[p.status]);
      continue;
    }
    if (p.currency.toUpperCase() !== currency) {
      ignore('other_currency', null);
      exceptions.push({
        severity: 'warning',
        class: 'payment_other_currency',
        subject: p.reference || `${p.src.file}:${p.src.line}`,
        amount: p.amount,
        currency: p.currency.toUpperCase(),
        message: `Payment ${p.reference} of ${fmt(p.amount)} ${p.currency.toUpperCase()} is not in the ledger currency ${currency}; it was left out of the credit balance.`,
        nextStep: `Record the credit it bought in ${currency} in the payment history.`,
        refs: [p.src],
      });
      continue;
    }
    if (p.amount.sign() <= 0) {
      ignore('not_positive', null);
      continue;
    }
    if (date > simEnd) {
      ignore('after_ledger_end', null);
      continue;
    }
    credit.push({ p, org, date });
  }

  // --- usage per organisation and date
  const usageByOrg = new Map<string | null, UsageByDate>();
  for (const u of input.usage) {
    const org = mapOrg(u.organization);
    let m = usageByOrg.get(org);
    if (!m) usageByOrg.set(org, (m = new Map()));
    const cur = m.get(u.date);
    if (cur) {
      cur.amount = cur.amount.plus(u.amount);
      if (u.refs) cur.refs.push(...u.refs);
    } else m.set(u.date, { amount: u.amount, refs: u.refs ? [...u.refs] : [] });
  }
  // refs in (file, line) order so the result does not depend on the order of the input
  for (const m of usageByOrg.values()) for (const u of m.values()) u.refs.sort((x, y) => cmpStr(x.file, y.file) || x.line - y.line);

  // --- organisations in the ledger and where each one starts
  const orgSet = new Set<string | null>(openings.keys());
  for (const c of credit) orgSet.add(c.org);
  for (const [org, m] of usageByOrg) for (const d of m.keys()) if (d <= simEnd) orgSet.add(org);
  const organizations = [...orgSet].sort(cmpOrg);
  for (const [org, m] of usageByOrg) {
    if (orgSet.has(org)) continue;
    for (const [d, u] of [...m].sort((a, b) => cmpStr(a[0], b[0]))) {
      ignored.push({ what: 'usage', reason: 'after_ledger_end', date: d, organization: org, amount: u.amount, reference: null, refs: u.refs });
    }
  }

  const days: LedgerDay[] = [];
  const lotsOut: Lot[] = [];
  const closing: OrganizationClosing[] = [];
  const asOfLots: Lot[] = [];
  const balanceAt = new Map<string | null, Map<LocalDate, Decimal>>();
  const lastUsageDate = new Map<string | null, LocalDate>();
  let lotSeq = 0;

  const roll: RollContext = {
    period, currency, simEnd, asOf, creditMonths, grantMonths, openings, credit, usageByOrg,
    exceptions, ignored, pushEvent, inPeriod, days, lotsOut, closing, asOfLots, balanceAt, lastUsageDate,
    // lot ids run across organisations so every id in the result is unique
    newLotId: () => `L${String(++lotSeq).padStart(4, '0')}`,
  };
  for (const org of organizations) rollOrganization(roll, org);

  // --- auto-recharge against the monthly limit
  const autoRecharge = checkAutoRecharge(paymentsSorted, mapOrg, tz, currency, limit, period, pushEvent, exceptions);

  // --- forward look at expiring credit
  const expiringSoon = buildExpiringSoon(asOfLots, asOf);
  if (expiringSoon.within30.amount.sign() > 0) {
    exceptions.push({
      severity: 'info',
      class: 'credit_expiring_soon',
      subject: `${expiringSoon.within30.lots.length} lot${expiringSoon.within30.lots.length === 1 ? '' : 's'} by ${expiringSoon.within30.until}`,
      amount: expiringSoon.within30.amount,
      currency,
      message: `${fmt(expiringSoon.within30.amount)} of credit unused on ${asOf} expires by ${expiringSoon.within30.until}: ${expiringSoon.within30.lots
        .map((l) => `${fmt(l.amount)} on ${l.expiresOn}${l.reference ? ` (${l.reference})` : ''}`)
        .join(', ')}.`,
      nextStep: 'Usage draws the oldest credit first; if usage will not reach this amount before then, it will be lost.',
      refs: expiringSoon.within30.lots.flatMap((l) => (l.src ? [l.src] : [])),
    });
  }

  // --- the dashboard's balance against the computed one
  let closingCheck: ClosingCheck | undefined;
  if (input.closingBalanceReported) {
    closingCheck = checkClosing(input.closingBalanceReported, checkDate, tolerance, {
      organizations,
      balanceAt,
      lastUsageDate,
      usageByOrg,
      payments: paymentsSorted,
      mapOrg,
      tz,
      lots: lotsOut,
      openings,
      ignored,
    });
    if (!closingCheck.matches) {
      exceptions.push({
        severity: 'warning',
        class: 'closing_balance_mismatch',
        subject: `balance on ${checkDate}${closingCheck.organizations.length === 1 ? `, organization ${orgLabel(closingCheck.organizations[0]!)}` : ''}`,
        amount: closingCheck.difference,
        currency,
        message: `The dashboard shows ${fmt(closingCheck.reported)} but the ledger computes ${fmt(closingCheck.computed)} at the end of ${checkDate} (difference ${fmt(closingCheck.difference)}).`,
        nextStep: closingCheck.likelyCauses.length ? `Check, most likely first: ${closingCheck.likelyCauses.join(' ')}` : 'Compare the payment history and the cost export with the billing page.',
        refs: [],
      });
    }
  }

  // --- events in order, attached to their day rows
  pending.sort(
    (a, b) =>
      cmpStr(a.ev.date, b.ev.date) || cmpOrg(a.ev.organization, b.ev.organization) || a.phase - b.phase || a.time - b.time || a.seq - b.seq,
  );
  const events = pending.map((p) => p.ev);
  const rowIndex = new Map<string, LedgerDay>();
  for (const d of days) rowIndex.set(`${orgKey(d.organization)}\u0000${d.date}`, d);
  for (const ev of events) rowIndex.get(`${orgKey(ev.organization)}\u0000${ev.date}`)?.events.push(ev.message);

  const ignoredCounts = Object.fromEntries(IGNORE_REASONS.map((r) => [r, 0])) as Record<IgnoreReason, number>;
  for (const i of ignored) ignoredCounts[i.reason]++;

  return {
    period: { from: period.from, to: period.to, timezone: tz },
    currency,
    organizations,
    days,
    lots: lotsOut,
    events,
    expiringSoon,
    closing,
    ...(closingCheck ? { closingCheck } : {}),
    autoRecharge,
    ignored,
    ignoredCounts,
    exceptions,
    rules: LEDGER_RULES,
  };
}

// ---------------------------------------------------------------------------
// One organisation's roll-forward

type UsageByDate = Map<LocalDate, { amount: Decimal; refs: Provenance[] }>;

/** What the per-organisation roll reads (settings, classified records) and writes (result parts). */
interface RollContext {
  period: Period;
  currency: string;
  simEnd: LocalDate;
  asOf: LocalDate;
  creditMonths: number;
  grantMonths: number;
  openings: Map<string | null, OpeningBalance>;
  credit: readonly CreditPayment[];
  usageByOrg: Map<string | null, UsageByDate>;
  exceptions: Exception[];
  ignored: IgnoredItem[];
  pushEvent: (ev: LedgerEvent, phase: number, time: number) => void;
  inPeriod: (d: LocalDate) => boolean;
  newLotId: () => string;
  days: LedgerDay[];
  lotsOut: Lot[];
  closing: OrganizationClosing[];
  asOfLots: Lot[];
  balanceAt: Map<string | null, Map<LocalDate, Decimal>>;
  lastUsageDate: Map<string | null, LocalDate>;
}

/**
 * Rolls one organisation from its opening date (or first record) to the end of the
 * simulation: expiry at the start of each day, then top-ups, then usage.
 */
function rollOrganization(ctx: RollContext, org: string | null): void {
  const { period, currency, simEnd, asOf, creditMonths, grantMonths, openings, credit, usageByOrg, exceptions, ignored, pushEvent, inPeriod, newLotId } = ctx;
  const { days, lotsOut, closing, asOfLots, balanceAt, lastUsageDate } = ctx;
  const opening = openings.get(org);
  const orgCredit = credit.filter((c) => c.org === org);
  const orgUsage: UsageByDate = usageByOrg.get(org) ?? new Map();
  let start: LocalDate;
  if (opening) start = opening.date;
  else {
    start = period.from;
    for (const c of orgCredit) if (c.date < start) start = c.date;
    for (const d of orgUsage.keys()) if (d < start) start = d;
  }
  if (opening && opening.date > period.from) {
    exceptions.push({
      severity: 'warning',
      class: 'opening_balance_inside_period',
      subject: `organization ${orgLabel(org)}`,
      amount: opening.amount,
      currency,
      message: `The opening balance is dated ${opening.date}, after the period starts (${period.from}); the ledger shows ${period.from} to ${addDays(opening.date, -1)} as not rolled.`,
      nextStep: 'Give an opening balance dated on or before the period start.',
      refs: [],
    });
  }

  const lots: LotState[] = [];
  let debt = Decimal.ZERO;
  let available = Decimal.ZERO;
  const expiryOf = (kind: LotKind, date: LocalDate): LocalDate | null =>
    kind === 'opening' || kind === 'usage_credit' ? null : addMonthsClamped(date, kind === 'grant' ? grantMonths : creditMonths);

  // usage before the opening date is already inside the opening balance
  for (const [d, u] of [...orgUsage].sort((a, b) => cmpStr(a[0], b[0]))) {
    if (d < start) ignored.push({ what: 'usage', reason: 'before_opening_balance', date: d, organization: org, amount: u.amount, reference: null, refs: u.refs });
    else if (d > simEnd) ignored.push({ what: 'usage', reason: 'after_ledger_end', date: d, organization: org, amount: u.amount, reference: null, refs: u.refs });
    else {
      const last = lastUsageDate.get(org);
      if (last === undefined || d > last) lastUsageDate.set(org, d);
    }
  }

  // --- opening balance: trace it to the newest known purchases before its date
  if (opening) {
    const before = orgCredit.filter((c) => c.date < opening.date);
    let left = opening.amount.sign() > 0 ? opening.amount : Decimal.ZERO;
    if (opening.amount.sign() < 0) debt = opening.amount.neg();
    const traced: LotState[] = [];
    for (let i = before.length - 1; i >= 0; i--) {
      const c = before[i]!;
      const kind = c.p.kind as LotKind;
      const expiresOn = expiryOf(kind, c.date);
      if (expiresOn !== null && expiresOn <= opening.date) {
        ignored.push({ what: 'payment', reason: 'expired_before_opening_balance', date: c.date, organization: org, amount: c.p.amount, reference: c.p.reference || null, refs: [c.p.src] });
        continue;
      }
      const take = minDec(c.p.amount, left);
      if (take.isZero()) {
        ignored.push({ what: 'payment', reason: 'used_before_opening_balance', date: c.date, organization: org, amount: c.p.amount, reference: c.p.reference || null, refs: [c.p.src] });
        continue;
      }
      left = left.minus(take);
      traced.push({
        id: '',
        organization: org,
        kind,
        reference: c.p.reference || null,
        purchasedOn: c.date,
        paidAt: c.p.paidAt,
        purchased: c.p.amount,
        carriedIn: take,
        appliedToDebt: Decimal.ZERO,
        consumed: Decimal.ZERO,
        expired: Decimal.ZERO,
        remaining: take,
        expiresOn,
        expiryDone: false,
        src: c.p.src,
      });
    }
    // the untraced rest is older than every traced purchase, so it is used first
    if (left.sign() > 0) {
      lots.push({
        id: newLotId(),
        organization: org,
        kind: 'opening',
        reference: null,
        purchasedOn: null,
        paidAt: null,
        purchased: left,
        carriedIn: left,
        appliedToDebt: Decimal.ZERO,
        consumed: Decimal.ZERO,
        expired: Decimal.ZERO,
        remaining: left,
        expiresOn: opening.expiresOn ?? null,
        expiryDone: false,
        src: null,
      });
    }
    for (const t of traced.reverse()) {
      t.id = newLotId();
      lots.push(t);
    }
    for (const l of lots) available = available.plus(l.remaining);
    const tracedSum = traced.reduce((s, l) => s.plus(l.carriedIn), Decimal.ZERO);
    let msg = `opening balance ${fmt(opening.amount)}`;
    if (traced.length > 0) {
      msg += `: ${fmt(tracedSum)} from ${traced.length} purchase${traced.length === 1 ? '' : 's'} in the payment history`;
      if (left.sign() > 0) msg += `, ${fmt(left)} of unknown purchase date`;
    } else if (left.sign() > 0) msg += ' of unknown purchase date';
    if (left.sign() > 0) msg += opening.expiresOn ? `, expiring ${opening.expiresOn}` : ' that never expires';
    if (opening.amount.sign() < 0) msg += ' (negative: the next top-up pays it first)';
    pushEvent({ date: opening.date, organization: org, kind: 'opening_balance', amount: opening.amount, message: msg, refs: traced.map((t) => t.src!) }, PHASE_OPENING, 0);
  }

  const creditByDate = new Map<LocalDate, CreditPayment[]>();
  for (const c of orgCredit) {
    if (c.date < start) continue; // before an opening balance: traced above
    let list = creditByDate.get(c.date);
    if (!list) creditByDate.set(c.date, (list = []));
    list.push(c);
  }

  const orgBalances = new Map<LocalDate, Decimal>();
  balanceAt.set(org, orgBalances);
  let head = 0;
  // a run of negative closing days; lowest and lowestOn cover only the days inside the period
  let negativeSince: LocalDate | null = null;
  let lowest = Decimal.ZERO;
  let lowestOn: LocalDate | null = null;

  const emitNegativeRun = (endDate: LocalDate, stillNegative: boolean, paidBy: Provenance | null): void => {
    if (negativeSince === null || lowestOn === null) return;
    const from = negativeSince < period.from ? period.from : negativeSince;
    const since = negativeSince < period.from ? `since before ${period.from}` : `from ${negativeSince}`;
    const until = stillNegative ? 'and was still negative at the end of the period' : `to ${endDate}`;
    exceptions.push({
      severity: 'warning',
      class: 'negative_balance',
      subject: `organization ${orgLabel(org)}, ${from} to ${endDate}`,
      amount: lowest,
      currency,
      message: `The credit balance of ${orgLabel(org)} was negative ${since} ${until} (lowest ${fmt(lowest)} on ${lowestOn}).`,
      nextStep:
        'Usage ran beyond the prepaid credit. The next top-up pays the negative balance first, so less new credit appears than was paid; top up at least the negative amount.',
      refs: paidBy ? [paidBy] : [],
    });
  };

  for (let date = start; date <= simEnd; date = addDays(date, 1)) {
    const openBal = available.minus(debt);
    let expiredToday = Decimal.ZERO;
    let topUps = Decimal.ZERO;
    let grants = Decimal.ZERO;
    let paidOffBy: Provenance | null = null;

    // 1. expiry at the start of the day
    for (let i = head; i < lots.length; i++) {
      const l = lots[i]!;
      if (l.expiryDone || l.expiresOn === null || l.expiresOn > date) continue;
      l.expiryDone = true;
      if (l.remaining.sign() <= 0) continue;
      const ex = l.remaining;
      l.expired = l.expired.plus(ex);
      l.remaining = Decimal.ZERO;
      available = available.minus(ex);
      expiredToday = expiredToday.plus(ex);
      const what =
        l.kind === 'opening'
          ? `of the opening balance`
          : l.kind === 'grant'
            ? `of credit granted ${l.purchasedOn}${refLabel(l.kind, l.reference)}`
            : `of credit bought ${l.purchasedOn}${refLabel(l.kind, l.reference)}`;
      const message = `${fmt(ex)} ${what} expired unused`;
      pushEvent({ date, organization: org, kind: 'credit_expired', amount: ex, message, refs: l.src ? [l.src] : [] }, PHASE_EXPIRY, 0);
      if (inPeriod(date)) {
        exceptions.push({
          severity: 'warning',
          class: 'credit_expired_unused',
          subject: `organization ${orgLabel(org)}, lot ${l.id}${l.reference ? ` (${l.reference})` : ''}`,
          amount: ex,
          currency,
          message: `${message} on ${date} (${orgLabel(org)}).`,
          nextStep: 'Expired credit is lost; size top-ups to what is used within a year, or ask the provider whether it can be restored.',
          refs: l.src ? [l.src] : [],
        });
      }
    }

    // 2. top-ups and grants, each paying any negative balance first
    for (const c of creditByDate.get(date) ?? []) {
      const p = c.p;
      const kind = p.kind as LotKind;
      const toDebt = minDec(p.amount, debt);
      debt = debt.minus(toDebt);
      const rest = p.amount.minus(toDebt);
      const expiresOn = expiryOf(kind, date);
      lots.push({
        id: newLotId(),
        organization: org,
        kind,
        reference: p.reference || null,
        purchasedOn: date,
        paidAt: p.paidAt,
        purchased: p.amount,
        carriedIn: p.amount,
        appliedToDebt: toDebt,
        consumed: Decimal.ZERO,
        expired: Decimal.ZERO,
        remaining: rest,
        expiresOn,
        expiryDone: false,
        src: p.src,
      });
      available = available.plus(rest);
      if (kind === 'grant') grants = grants.plus(p.amount);
      else topUps = topUps.plus(p.amount);
      const label = kind === 'grant' ? 'grant' : kind === 'auto_recharge' ? 'auto-recharge' : kind === 'invoice' ? 'invoice payment' : 'top-up';
      let message: string;
      let evKind: LedgerEventKind;
      if (toDebt.sign() > 0) {
        evKind = 'top_up_paid_debt';
        paidOffBy = p.src;
        message =
          rest.sign() > 0
            ? `paid ${fmt(p.amount)}${refLabel(kind, p.reference)}, ${fmt(toDebt)} went to the negative balance, ${fmt(rest)} available`
            : `paid ${fmt(p.amount)}${refLabel(kind, p.reference)}, all of it went to the negative balance: still ${fmt(debt.neg())}`;
      } else {
        evKind = kind === 'grant' ? 'grant' : 'top_up';
        message = `${label} ${fmt(p.amount)}${refLabel(kind, p.reference)}`;
      }
      if (expiresOn) message += `; expires ${expiresOn}`;
      pushEvent({ date, organization: org, kind: evKind, amount: p.amount, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
    }

    // 3. the day's billed usage, oldest lot first
    const u = orgUsage.get(date);
    const out = u ? u.amount : Decimal.ZERO;
    if (out.sign() > 0) {
      const before = available.minus(debt);
      let left = out;
      for (let i = head; i < lots.length && left.sign() > 0; i++) {
        const l = lots[i]!;
        if (l.remaining.sign() <= 0) continue;
        const take = minDec(l.remaining, left);
        l.remaining = l.remaining.minus(take);
        l.consumed = l.consumed.plus(take);
        available = available.minus(take);
        left = left.minus(take);
      }
      // lots never refill, so fully used ones at the head need no look for usage or expiry again
      while (head < lots.length && lots[head]!.remaining.sign() <= 0) head++;
      if (left.sign() > 0) debt = debt.plus(left);
      const after = available.minus(debt);
      if (before.sign() >= 0 && after.sign() < 0) {
        pushEvent(
          { date, organization: org, kind: 'balance_negative', amount: after, message: `balance went negative: ${fmt(after)} after ${fmt(out)} of usage`, refs: u?.refs ?? [] },
          PHASE_USAGE,
          0,
        );
      }
    } else if (out.sign() < 0) {
      // a day billed as a net credit gives money back: it pays debt first, the rest never expires
      const back = out.neg();
      const toDebt = minDec(back, debt);
      debt = debt.minus(toDebt);
      const rest = back.minus(toDebt);
      lots.push({
        id: newLotId(),
        organization: org,
        kind: 'usage_credit',
        reference: null,
        purchasedOn: date,
        paidAt: null,
        purchased: back,
        carriedIn: back,
        appliedToDebt: toDebt,
        consumed: Decimal.ZERO,
        expired: Decimal.ZERO,
        remaining: rest,
        expiresOn: null,
        expiryDone: false,
        src: null,
      });
      available = available.plus(rest);
      pushEvent(
        { date, organization: org, kind: 'usage_credit', amount: back, message: `billed usage of the day was negative (${fmt(out)}): a billing credit, added to the balance`, refs: u?.refs ?? [] },
        PHASE_USAGE,
        0,
      );
    }

    const inAmt = topUps.plus(grants);
    const closeBal = available.minus(debt);
    orgBalances.set(date, closeBal);

    // negative-balance runs, reported for the days inside the period
    if (closeBal.sign() < 0) {
      if (negativeSince === null) negativeSince = date;
      if (inPeriod(date) && (lowestOn === null || closeBal.cmp(lowest) < 0)) {
        lowest = closeBal;
        lowestOn = date;
      }
    } else if (negativeSince !== null) {
      emitNegativeRun(addDays(date, -1), false, paidOffBy);
      negativeSince = null;
      lowestOn = null;
    }

    if (inPeriod(date)) {
      days.push({
        date,
        organization: org,
        opening: openBal,
        in: inAmt,
        topUps,
        grants,
        out,
        expired: expiredToday,
        closing: closeBal,
        available,
        debt,
        events: [],
      });
    }
    if (date === period.to) {
      for (const l of lots) lotsOut.push(snapshotLot(l));
      closing.push({ organization: org, balance: closeBal, available, debt, rolledFrom: start });
      if (negativeSince !== null) {
        emitNegativeRun(period.to, true, null);
        // days after the period start a new run that is never reported
        negativeSince = null;
        lowestOn = null;
      }
    }
    if (date === asOf) for (const l of lots) if (l.remaining.sign() > 0) asOfLots.push(snapshotLot(l));
  }
}

// ---------------------------------------------------------------------------
// Auto-recharge limit

function checkAutoRecharge(
  payments: readonly PaymentRecord[],
  mapOrg: (o: string | null) => string | null,
  tz: string,
  currency: string,
  limit: Decimal | null,
  period: Period,
  pushEvent: (ev: LedgerEvent, phase: number, time: number) => void,
  exceptions: Exception[],
): AutoRechargeMonth[] {
  const months = new Map<string, AutoRechargeMonth>();
  const firstMonth = period.from.slice(0, 7);
  const lastMonth = period.to.slice(0, 7);
  for (const p of payments) {
    if (p.kind !== 'auto_recharge' || p.currency.toUpperCase() !== currency) continue;
    if (p.status !== 'paid' && p.status !== 'failed') continue;
    const org = mapOrg(p.organization);
    const date = localDateOf(p.paidAt, tz);
    const month = date.slice(0, 7);
    const key = `${orgKey(org)}\u0000${month}`;
    let m = months.get(key);
    if (!m) months.set(key, (m = { organization: org, month, limit, total: Decimal.ZERO, count: 0, reachedOn: null, overLimit: [] }));
    if (limit === null) {
      if (p.status === 'paid') {
        m.total = m.total.plus(p.amount);
        m.count++;
      }
      continue;
    }
    const before = m.total;
    if (p.status === 'failed') {
      // a failed auto top-up that would have crossed the limit was most likely declined by it
      if (before.plus(p.amount).cmp(limit) > 0) {
        pushEvent(
          {
            date,
            organization: org,
            kind: 'auto_recharge_declined',
            amount: p.amount,
            message: `auto top-up ${fmt(p.amount)}${p.reference ? ` (${p.reference})` : ''} failed with ${fmt(before)} of the ${fmt(limit)} monthly auto-recharge limit used: most likely declined by the limit`,
            refs: [p.src],
          },
          PHASE_PAYMENT,
          p.paidAt,
        );
      }
      continue;
    }
    const after = before.plus(p.amount);
    m.total = after;
    m.count++;
    if (before.cmp(limit) < 0 && after.cmp(limit) >= 0) {
      m.reachedOn = date;
      const message = `auto-recharge limit ${fmt(limit)} reached on ${date}: further auto top-ups will be declined this month`;
      pushEvent({ date, organization: org, kind: 'auto_recharge_limit_reached', amount: after, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
      if (date >= period.from && date <= period.to) {
        exceptions.push({
          severity: 'warning',
          class: 'auto_recharge_limit_reached',
          subject: `organization ${orgLabel(org)}, ${month}`,
          amount: after,
          currency,
          message: `Auto-recharge charges of ${orgLabel(org)} reached ${fmt(after)} on ${date}, the monthly limit of ${fmt(limit)}: further auto top-ups in ${month} will be declined.`,
          nextStep: 'Raise the monthly limit or top up manually, or the balance can run out before the month ends.',
          refs: [p.src],
        });
      }
    }
    if (after.cmp(limit) > 0) {
      m.overLimit.push({ reference: p.reference, date, amount: p.amount, src: p.src });
      const message = `auto top-up ${fmt(p.amount)}${p.reference ? ` (${p.reference})` : ''} took this month's auto-recharge total to ${fmt(after)}, beyond the limit ${fmt(limit)}`;
      pushEvent({ date, organization: org, kind: 'auto_recharge_over_limit', amount: p.amount, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
      if (date >= period.from && date <= period.to) {
        exceptions.push({
          severity: 'warning',
          class: 'auto_recharge_over_limit',
          subject: p.reference || `${p.src.file}:${p.src.line}`,
          amount: p.amount,
          currency,
          message: `Auto top-up ${p.reference} of ${fmt(p.amount)} on ${date} took ${orgLabel(org)}'s ${month} auto-recharge total to ${fmt(after)}, beyond the configured limit ${fmt(limit)}.`,
          nextStep: 'Check the limit in the configuration against the billing settings, or whether this charge was a manual top-up recorded as auto-recharge.',
          refs: [p.src],
        });
      }
    }
  }
  return [...months.values()]
    .filter((m) => m.month >= firstMonth && m.month <= lastMonth)
    .sort((a, b) => cmpOrg(a.organization, b.organization) || cmpStr(a.month, b.month));
}

// ---------------------------------------------------------------------------
// Expiring credit

function buildExpiringSoon(lots: readonly Lot[], asOf: LocalDate): ExpiringSoon {
  const sorted = lots
    .filter((l) => l.expiresOn !== null && l.expiresOn > asOf && l.remaining.sign() > 0)
    .sort((a, b) => cmpStr(a.expiresOn!, b.expiresOn!) || cmpOrg(a.organization, b.organization) || cmpStr(a.id, b.id));
  const window = (n: number): ExpiringWindow => {
    const until = addDays(asOf, n);
    const chosen = sorted.filter((l) => l.expiresOn! <= until);
    return {
      days: n,
      until,
      amount: chosen.reduce((s, l) => s.plus(l.remaining), Decimal.ZERO),
      lots: chosen.map((l) => ({
        lotId: l.id,
        organization: l.organization,
        reference: l.reference,
        kind: l.kind,
        purchasedOn: l.purchasedOn,
        expiresOn: l.expiresOn!,
        amount: l.remaining,
        src: l.src,
      })),
    };
  };
  return { asOf, within30: window(30), within60: window(60), within90: window(90) };
}

// ---------------------------------------------------------------------------
// Closing-balance check

interface ClosingContext {
  organizations: (string | null)[];
  balanceAt: Map<string | null, Map<LocalDate, Decimal>>;
  lastUsageDate: Map<string | null, LocalDate>;
  usageByOrg: Map<string | null, UsageByDate>;
  payments: readonly PaymentRecord[];
  mapOrg: (o: string | null) => string | null;
  tz: string;
  lots: readonly Lot[];
  openings: Map<string | null, OpeningBalance>;
  ignored: readonly IgnoredItem[];
}

/** Balance at the end of `date`; zero before an organisation's first rolled day (nothing existed yet). */
function balanceOn(ctx: ClosingContext, org: string | null, date: LocalDate): Decimal {
  return ctx.balanceAt.get(org)?.get(date) ?? Decimal.ZERO;
}

function checkClosing(rep: ReportedClosingBalance, date: LocalDate, tolerance: Decimal, ctx: ClosingContext): ClosingCheck {
  const chosen: (string | null)[] =
    rep.organization !== undefined ? [ctx.mapOrg(rep.organization)] : ctx.organizations.length === 1 ? [ctx.organizations[0]!] : [...ctx.organizations];
  const computed = chosen.reduce((s, o) => s.plus(balanceOn(ctx, o, date)), Decimal.ZERO);
  const difference = rep.amount.minus(computed);
  const matches = difference.abs().cmp(tolerance) <= 0;
  const result: ClosingCheck = { date, organizations: chosen, reported: rep.amount, computed, difference, matches, likelyCauses: [] };
  if (matches) return result;

  const gap = difference.abs();
  const near = (x: Decimal): boolean => x.abs().minus(gap).abs().cmp(tolerance) <= 0;
  const exact: string[] = [];
  const general: string[] = [];
  const inScope = (o: string | null): boolean => chosen.includes(o);

  // another organisation's balance is exactly what the dashboard shows
  for (const o of ctx.organizations) {
    if (inScope(o)) continue;
    const b = balanceOn(ctx, o, date);
    if (b.minus(rep.amount).abs().cmp(tolerance) <= 0) {
      exact.push(`Different organisation: the ledger's balance of ${orgLabel(o)} is ${fmt(b)}, exactly what the dashboard shows; the dashboard is probably set to that organisation.`);
    }
  }
  if (chosen.length > 1) {
    general.push(`Different organisation: the dashboard shows one organisation's balance, but no organisation was named, so the ledger summed ${chosen.length} (${chosen.map(orgLabel).join(', ')}).`);
  } else if (ctx.organizations.length > 1) {
    general.push(`Different organisation: credits or usage may have been recorded for another organisation (${ctx.organizations.filter((o) => !inScope(o)).map(orgLabel).join(', ')}).`);
  }

  const lastUsage = chosen
    .map((o) => ctx.lastUsageDate.get(o))
    .filter((d): d is LocalDate => d !== undefined)
    .sort(cmpStr)
    .pop();

  if (difference.sign() < 0) {
    // the dashboard shows less: usage or expiry the ledger does not have
    if (lastUsage === undefined) general.push(`Usage missing: no billed usage was given for the ledger; the dashboard subtracts all usage.`);
    else if (lastUsage < date) {
      general.push(`Usage after the export's last day: the cost export ends on ${lastUsage}; usage from ${addDays(lastUsage, 1)} to ${date} is in the dashboard balance but not in the ledger.`);
    } else {
      general.push(`Usage not yet in the export: the dashboard balance may include usage after the end of ${date} or usage the export of ${date} does not have yet (exports lag by up to a day).`);
    }
    for (const l of ctx.lots) {
      if (!inScope(l.organization) || l.expiresOn === null || l.remaining.sign() <= 0) continue;
      if (l.expiresOn <= addDays(date, 1) && near(l.remaining)) {
        exact.push(`Credit expired: ${fmt(l.remaining)} of credit bought ${l.purchasedOn ?? '(opening balance)'}${refLabel(l.kind, l.reference)} expires on ${l.expiresOn}; the dashboard may already count it as expired.`);
      }
    }
    general.push('Credits expired that the payment history does not show: credit bought more than a year ago and missing from the history expires without the ledger knowing.');
    if (chosen.some((o) => ctx.openings.get(o)?.expiresOn == null && ctx.lots.some((l) => l.kind === 'opening' && l.organization === o && l.remaining.sign() > 0))) {
      general.push('The opening balance is treated as never expiring; part of it may have expired (set its expiry date if known).');
    }
  } else {
    // the dashboard shows more: credit the ledger does not have, or usage it has and the dashboard not yet
    for (const p of ctx.payments) {
      const o = ctx.mapOrg(p.organization);
      if (!inScope(o) || p.kind === 'subscription' || localDateOf(p.paidAt, ctx.tz) > date) continue;
      if (p.status === 'pending' && near(p.amount)) {
        exact.push(`A top-up not yet in the payment history as paid: ${p.reference} of ${fmt(p.amount)} is marked pending; the provider may already have credited it.`);
      }
      if (p.status === 'refunded' && near(p.amount)) {
        exact.push(`Refund: ${p.reference} of ${fmt(p.amount)} is marked refunded and left out; the dashboard may still count it as credit.`);
      }
    }
    for (const o of chosen) {
      const u = ctx.usageByOrg.get(o)?.get(date);
      if (u && near(u.amount)) {
        exact.push(`Usage of ${date} (${fmt(u.amount)}) is in the ledger but may not be billed on the dashboard yet, or falls on the next day in UTC.`);
      }
    }
    for (const l of ctx.lots) {
      if (inScope(l.organization) && l.expired.sign() > 0 && l.expiresOn !== null && l.expiresOn >= addDays(date, -1) && l.expiresOn <= date && near(l.expired)) {
        exact.push(`Credit expired in the ledger but not yet on the dashboard: ${fmt(l.expired)} of credit bought ${l.purchasedOn}${refLabel(l.kind, l.reference)} expired on ${l.expiresOn}.`);
      }
    }
    general.push('A top-up not yet in the payment history: add its receipt to the history.');
    general.push('A grant not in the history: promotional or support credits appear on the billing page but not always among payments.');
    if (chosen.some((o) => !ctx.openings.has(o))) {
      general.push('No opening balance: if the payment history starts after the first top-up, set the balance at the start of the history as the opening balance.');
    }
    if (ctx.ignored.some((i) => i.reason === 'other_currency')) {
      general.push('A payment in another currency was left out of the ledger.');
    }
  }
  result.likelyCauses = [...exact, ...general];
  return result;
}

// ---------------------------------------------------------------------------
// JSON projection (SPEC §5.3 "ledger")

export interface LedgerJsonRow {
  date: LocalDate;
  organization: string | null;
  opening: string;
  in: string;
  out: string;
  expired: string;
  balance: string;
  /** The day's events joined with "; "; empty when nothing happened. */
  event: string;
}

export function ledgerToJson(result: LedgerResult): LedgerJsonRow[] {
  return result.days.map((d) => ({
    date: d.date,
    organization: d.organization,
    opening: d.opening.toString(),
    in: d.in.toString(),
    out: d.out.toString(),
    expired: d.expired.toString(),
    balance: d.closing.toString(),
    event: d.events.join('; '),
  }));
}
