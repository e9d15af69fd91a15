/**
 * One organisation's roll-forward, day by day from its opening date (or first record) to the
 * end of the simulation: expiry at the start of each day, then top-ups, then usage.
 * The organisation's running state is one record (OrgRoll, state.ts) each step takes and updates:
 * expiry.ts, credits.ts, usage.ts; the opening balance is traced first (opening.ts).
 */
import { Decimal } from '../../money.js';
import type { Exception, Provenance } from '../../model.js';
import { addDays, type LocalDate, type Period } from '../../time.js';
import { addCredits, type CreditsOfDay } from './credits.js';
import { expireLots } from './expiry.js';
import { traceOpening } from './opening.js';
import { inPeriod, snapshotLot, type CreditPayment, type OrgRoll, type RollContext, type UsageByDate } from './state.js';
import type { LedgerDay, OpeningBalance } from './types.js';
import { cmpStr, fmt, orgLabel } from './util.js';
import { drawUsage } from './usage.js';

export function rollOrganization(ctx: RollContext, org: string | null): void {
  const opening = ctx.openings.get(org);
  const orgCredit = ctx.credit.filter((c) => c.org === org);
  const orgUsage: UsageByDate = ctx.usageByOrg.get(org) ?? new Map();
  const start = rollStart(ctx.period, opening, orgCredit, orgUsage);
  if (opening && opening.date > ctx.period.from) ctx.exceptions.push(openingInsidePeriod(ctx, org, opening));
  noteUsageOutsideRoll(ctx, org, orgUsage, start);
  const s: OrgRoll = { org, lots: [], head: 0, available: Decimal.ZERO, debt: Decimal.ZERO, negativeSince: null, lowest: Decimal.ZERO, lowestOn: null };
  if (opening) traceOpening(ctx, s, opening, orgCredit);
  const creditByDate = new Map<LocalDate, CreditPayment[]>();
  for (const c of orgCredit) {
    if (c.date < start) continue; // before an opening balance: traced above
    let list = creditByDate.get(c.date);
    if (!list) creditByDate.set(c.date, (list = []));
    list.push(c);
  }
  const orgBalances = new Map<LocalDate, Decimal>();
  ctx.balanceAt.set(org, orgBalances);
  for (let date = start; date <= ctx.simEnd; date = addDays(date, 1)) {
    const openBal = s.available.minus(s.debt);
    const expired = expireLots(ctx, s, date);
    const credits = addCredits(ctx, s, date, creditByDate.get(date) ?? []);
    const out = drawUsage(ctx, s, date, orgUsage.get(date));
    const closeBal = s.available.minus(s.debt);
    orgBalances.set(date, closeBal);
    trackNegativeRun(ctx, s, date, closeBal, credits.paidOffBy);
    if (inPeriod(ctx.period, date)) ctx.days.push(dayRow(s, date, openBal, credits, out, expired, closeBal));
    if (date === ctx.period.to) closePeriod(ctx, s, start, closeBal);
    if (date === ctx.asOf) for (const l of s.lots) if (l.remaining.sign() > 0) ctx.asOfLots.push(snapshotLot(l));
  }
}

function rollStart(period: Period, opening: OpeningBalance | undefined, orgCredit: readonly CreditPayment[], orgUsage: UsageByDate): LocalDate {
  if (opening) return opening.date;
  let start = period.from;
  for (const c of orgCredit) if (c.date < start) start = c.date;
  for (const d of orgUsage.keys()) if (d < start) start = d;
  return start;
}

function openingInsidePeriod(ctx: RollContext, org: string | null, opening: OpeningBalance): Exception {
  return {
    severity: 'warning',
    class: 'opening_balance_inside_period',
    subject: `organization ${orgLabel(org)}`,
    amount: opening.amount,
    currency: ctx.currency,
    message: `The opening balance is dated ${opening.date}, after the period starts (${ctx.period.from}); the ledger shows ${ctx.period.from} to ${addDays(opening.date, -1)} as not rolled.`,
    nextStep: 'Give an opening balance dated on or before the period start.',
    refs: [],
  };
}

/** Usage before the opening date is already inside the opening balance; usage after the end is not rolled. */
function noteUsageOutsideRoll(ctx: RollContext, org: string | null, orgUsage: UsageByDate, start: LocalDate): void {
  for (const [d, u] of [...orgUsage].sort((a, b) => cmpStr(a[0], b[0]))) {
    if (d < start) ctx.ignored.push({ what: 'usage', reason: 'before_opening_balance', date: d, organization: org, amount: u.amount, reference: null, refs: u.refs });
    else if (d > ctx.simEnd) ctx.ignored.push({ what: 'usage', reason: 'after_ledger_end', date: d, organization: org, amount: u.amount, reference: null, refs: u.refs });
    else {
      const last = ctx.lastUsageDate.get(org);
      if (last === undefined || d > last) ctx.lastUsageDate.set(org, d);
    }
  }
}

/** Negative-balance runs, reported for the days inside the period. */
function trackNegativeRun(ctx: RollContext, s: OrgRoll, date: LocalDate, closeBal: Decimal, paidOffBy: Provenance | null): void {
  if (closeBal.sign() < 0) {
    if (s.negativeSince === null) s.negativeSince = date;
    if (inPeriod(ctx.period, date) && (s.lowestOn === null || closeBal.cmp(s.lowest) < 0)) {
      s.lowest = closeBal;
      s.lowestOn = date;
    }
  } else if (s.negativeSince !== null) {
    emitNegativeRun(ctx, s, addDays(date, -1), false, paidOffBy);
    s.negativeSince = null;
    s.lowestOn = null;
  }
}

/** Without an opening balance the ledger starts at 0: a negative balance may only mean credit from before was not given. */
function assumedZero(ctx: RollContext, s: OrgRoll): string {
  if (ctx.openings.has(s.org)) return '';
  const start = ctx.days.find((d) => d.organization === s.org)?.date;
  if (!start) return '';
  return ` No opening balance is configured, so the ledger assumed 0 on ${start}${start < ctx.period.from ? ', before the period' : ''}: if credit was left from before, set openingBalance in the config; the balance may then never have been negative.`;
}

function emitNegativeRun(ctx: RollContext, s: OrgRoll, endDate: LocalDate, stillNegative: boolean, paidBy: Provenance | null): void {
  if (s.negativeSince === null || s.lowestOn === null) return;
  const { period } = ctx;
  const from = s.negativeSince < period.from ? period.from : s.negativeSince;
  const since = s.negativeSince < period.from ? `since before ${period.from}` : `from ${s.negativeSince}`;
  const until = stillNegative ? 'and was still negative at the end of the period' : `to ${endDate}`;
  ctx.exceptions.push({
    severity: 'warning',
    class: 'negative_balance',
    subject: `organization ${orgLabel(s.org)}, ${from} to ${endDate}`,
    amount: s.lowest,
    currency: ctx.currency,
    message: `The credit balance of ${orgLabel(s.org)} was negative ${since} ${until} (lowest ${fmt(s.lowest, ctx.currency)} on ${s.lowestOn}).${assumedZero(ctx, s)}`,
    nextStep:
      'Usage ran beyond the prepaid credit. The next top-up pays the negative balance first, so less new credit appears than was paid; top up at least the negative amount.',
    refs: paidBy ? [paidBy] : [],
  });
}

function dayRow(s: OrgRoll, date: LocalDate, openBal: Decimal, credits: CreditsOfDay, out: Decimal, expired: Decimal, closeBal: Decimal): LedgerDay {
  return {
    date,
    organization: s.org,
    opening: openBal,
    in: credits.topUps.plus(credits.grants),
    topUps: credits.topUps,
    grants: credits.grants,
    out,
    expired,
    closing: closeBal,
    available: s.available,
    debt: s.debt,
    events: [],
  };
}

/** The period's last day: the lots and closing balance are published; a negative run still open is reported. */
function closePeriod(ctx: RollContext, s: OrgRoll, start: LocalDate, closeBal: Decimal): void {
  for (const l of s.lots) ctx.lotsOut.push(snapshotLot(l));
  ctx.closing.push({ organization: s.org, balance: closeBal, available: s.available, debt: s.debt, rolledFrom: start });
  if (s.negativeSince !== null) {
    emitNegativeRun(ctx, s, ctx.period.to, true, null);
    // days after the period start a new run that is never reported
    s.negativeSince = null;
    s.lowestOn = null;
  }
}
