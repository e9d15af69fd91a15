/** The closing-balance check: the dashboard's balance against the computed one, with the likely causes of a difference. */
import { Decimal } from '../../money.js';
import type { Exception, PaymentRecord } from '../../model.js';
import { addDays, localDateOf, type LocalDate } from '../../time.js';
import type { UsageByDate } from './state.js';
import type { ClosingCheck, IgnoredItem, Lot, OpeningBalance, ReportedClosingBalance } from './types.js';
import { cmpStr, fmt, orgLabel, refLabel } from './util.js';

export interface ClosingContext {
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
  /** The ledger currency, for the amounts in the likely causes. */
  currency: string;
}

/** What the cause finders share: the organisations checked, the date, the gap and its tolerance. */
interface Gap {
  chosen: (string | null)[];
  date: LocalDate;
  /** Whether an amount is the size of the difference (within the tolerance). */
  near: (x: Decimal) => boolean;
  inScope: (o: string | null) => boolean;
  /** Causes an amount points to exactly, listed first. */
  exact: string[];
  general: string[];
}

/** Balance at the end of `date`; zero before an organisation's first rolled day (nothing existed yet). */
function balanceOn(ctx: ClosingContext, org: string | null, date: LocalDate): Decimal {
  return ctx.balanceAt.get(org)?.get(date) ?? Decimal.ZERO;
}

export function checkClosing(rep: ReportedClosingBalance, date: LocalDate, tolerance: Decimal, ctx: ClosingContext): ClosingCheck {
  const chosen: (string | null)[] =
    rep.organization !== undefined ? [ctx.mapOrg(rep.organization)] : ctx.organizations.length === 1 ? [ctx.organizations[0]!] : [...ctx.organizations];
  const computed = chosen.reduce((s, o) => s.plus(balanceOn(ctx, o, date)), Decimal.ZERO);
  const difference = rep.amount.minus(computed);
  const matches = difference.abs().cmp(tolerance) <= 0;
  const result: ClosingCheck = { date, organizations: chosen, reported: rep.amount, computed, difference, matches, likelyCauses: [] };
  if (matches) return result;

  const gapSize = difference.abs();
  const g: Gap = {
    chosen,
    date,
    near: (x) => x.abs().minus(gapSize).abs().cmp(tolerance) <= 0,
    inScope: (o) => chosen.includes(o),
    exact: [],
    general: [],
  };
  otherOrganizationCauses(ctx, g, rep, tolerance);
  if (difference.sign() < 0) causesWhenLess(ctx, g);
  else causesWhenMore(ctx, g);
  result.likelyCauses = [...g.exact, ...g.general];
  return result;
}

/** Another organisation's balance is exactly what the dashboard shows, or several were summed. */
function otherOrganizationCauses(ctx: ClosingContext, g: Gap, rep: ReportedClosingBalance, tolerance: Decimal): void {
  for (const o of ctx.organizations) {
    if (g.inScope(o)) continue;
    const b = balanceOn(ctx, o, g.date);
    if (b.minus(rep.amount).abs().cmp(tolerance) <= 0) {
      g.exact.push(
        `Different organisation: the ledger's balance of ${orgLabel(o)} is ${fmt(b, ctx.currency)}, exactly what the dashboard shows; the dashboard is probably set to that organisation.`,
      );
    }
  }
  if (g.chosen.length > 1) {
    g.general.push(
      `Different organisation: the dashboard shows one organisation's balance, but no organisation was named, so the ledger summed ${g.chosen.length} (${g.chosen.map(orgLabel).join(', ')}).`,
    );
  } else if (ctx.organizations.length > 1) {
    g.general.push(
      `Different organisation: credits or usage may have been recorded for another organisation (${ctx.organizations
        .filter((o) => !g.inScope(o))
        .map(orgLabel)
        .join(', ')}).`,
    );
  }
}

/** The dashboard shows less: usage or expiry the ledger does not have. */
function causesWhenLess(ctx: ClosingContext, g: Gap): void {
  const { date, exact, general } = g;
  const lastUsage = g.chosen
    .map((o) => ctx.lastUsageDate.get(o))
    .filter((d): d is LocalDate => d !== undefined)
    .sort(cmpStr)
    .pop();
  if (lastUsage === undefined) general.push(`Usage missing: no billed usage was given for the ledger; the dashboard subtracts all usage.`);
  else if (lastUsage < date) {
    general.push(
      `Usage after the export's last day: the cost export ends on ${lastUsage}; usage from ${addDays(lastUsage, 1)} to ${date} is in the dashboard balance but not in the ledger.`,
    );
  } else {
    general.push(
      `Usage not yet in the export: the dashboard balance may include usage after the end of ${date} or usage the export of ${date} does not have yet (exports lag by up to a day).`,
    );
  }
  for (const l of ctx.lots) {
    if (!g.inScope(l.organization) || l.expiresOn === null || l.remaining.sign() <= 0) continue;
    if (l.expiresOn <= addDays(date, 1) && g.near(l.remaining)) {
      exact.push(
        `Credit expired: ${fmt(l.remaining, ctx.currency)} of credit bought ${l.purchasedOn ?? '(opening balance)'}${refLabel(l.kind, l.reference)} expires on ${l.expiresOn}; the dashboard may already count it as expired.`,
      );
    }
  }
  general.push('Credits expired that the payment history does not show: credit bought more than a year ago and missing from the history expires without the ledger knowing.');
  if (g.chosen.some((o) => ctx.openings.get(o)?.expiresOn == null && ctx.lots.some((l) => l.kind === 'opening' && l.organization === o && l.remaining.sign() > 0))) {
    general.push('The opening balance is treated as never expiring; part of it may have expired (set its expiry date if known).');
  }
}

/** The dashboard shows more: credit the ledger does not have, or usage it has and the dashboard not yet. */
function causesWhenMore(ctx: ClosingContext, g: Gap): void {
  const { date, exact, general, near } = g;
  for (const p of ctx.payments) {
    const o = ctx.mapOrg(p.organization);
    if (!g.inScope(o) || p.kind === 'subscription' || localDateOf(p.paidAt, ctx.tz) > date) continue;
    if (p.status === 'pending' && near(p.amount)) {
      exact.push(`A top-up not yet in the payment history as paid: ${p.reference} of ${fmt(p.amount, ctx.currency)} is marked pending; the provider may already have credited it.`);
    }
    if (p.status === 'refunded' && near(p.amount)) {
      exact.push(`Refund: ${p.reference} of ${fmt(p.amount, ctx.currency)} is marked refunded and left out; the dashboard may still count it as credit.`);
    }
  }
  for (const o of g.chosen) {
    const u = ctx.usageByOrg.get(o)?.get(date);
    if (u && near(u.amount)) {
      exact.push(`Usage of ${date} (${fmt(u.amount, ctx.currency)}) is in the ledger but may not be billed on the dashboard yet, or falls on the next day in UTC.`);
    }
  }
  for (const l of ctx.lots) {
    if (g.inScope(l.organization) && l.expired.sign() > 0 && l.expiresOn !== null && l.expiresOn >= addDays(date, -1) && l.expiresOn <= date && near(l.expired)) {
      exact.push(
        `Credit expired in the ledger but not yet on the dashboard: ${fmt(l.expired, ctx.currency)} of credit bought ${l.purchasedOn}${refLabel(l.kind, l.reference)} expired on ${l.expiresOn}.`,
      );
    }
  }
  general.push('A top-up not yet in the payment history: add its receipt to the history.');
  general.push('A grant not in the history: promotional or support credits appear on the billing page but not always among payments.');
  if (g.chosen.some((o) => !ctx.openings.has(o))) {
    general.push('No opening balance: if the payment history starts after the first top-up, set the balance at the start of the history as the opening balance.');
  }
  if (ctx.ignored.some((i) => i.reason === 'other_currency')) {
    general.push('A payment in another currency was left out of the ledger.');
  }
}

/** The warning for a closing check that does not match. */
export function closingMismatch(check: ClosingCheck, checkDate: LocalDate, currency: string): Exception {
  return {
    severity: 'warning',
    class: 'closing_balance_mismatch',
    subject: `balance on ${checkDate}${check.organizations.length === 1 ? `, organization ${orgLabel(check.organizations[0]!)}` : ''}`,
    amount: check.difference,
    currency,
    message: `The dashboard shows ${fmt(check.reported, currency)} but the ledger computes ${fmt(check.computed, currency)} at the end of ${checkDate} (difference ${fmt(check.difference, currency)}).`,
    nextStep: check.likelyCauses.length ? `Check, most likely first: ${check.likelyCauses.join(' ')}` : 'Compare the payment history and the cost export with the billing page.',
    refs: [],
  };
}
