/**
 * Credits: which payments add credit (paid top-ups, auto-recharges, invoices, grants in the
 * ledger currency), and adding a day's credits, each paying any negative balance first.
 */
import { Decimal } from '../../money.js';
import type { Exception, PaymentRecord, Provenance } from '../../model.js';
import { provider } from '../../providers.js';
import { localDateOf, type LocalDate } from '../../time.js';
import { expiryOf, PHASE_PAYMENT, type CreditPayment, type EventLog, type OrgRoll, type RollContext } from './state.js';
import type { IgnoredItem, IgnoreReason, LedgerEventKind, LotKind } from './types.js';
import { fmt, minDec, refLabel } from './util.js';

export interface PaymentClassing {
  tz: string;
  currency: string;
  simEnd: LocalDate;
  mapOrg: (o: string | null) => string | null;
  events: EventLog;
  exceptions: Exception[];
  ignored: IgnoredItem[];
}

/** The credit-adding payments (in the given order); every other one is recorded in `ignored`, most with an event. */
export function classifyPayments(payments: readonly PaymentRecord[], k: PaymentClassing): CreditPayment[] {
  const credit: CreditPayment[] = [];
  for (const p of payments) {
    const org = k.mapOrg(p.organization);
    const date = localDateOf(p.paidAt, k.tz);
    const ignore = (reason: IgnoreReason, message: string | null): void => {
      k.ignored.push({ what: 'payment', reason, date, organization: org, amount: p.amount, reference: p.reference || null, refs: [p.src] });
      if (message) {
        k.events.push({ date, organization: org, kind: 'payment_ignored', amount: p.amount, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
      }
    };
    const ref = p.reference ? ` (${p.reference})` : '';
    if (p.kind === 'subscription') {
      const plan = provider(p.provider).planProduct;
      ignore('subscription_not_api_credit', `${plan} subscription charge ${fmt(p.amount, p.currency)}${ref} is a plan, not API credit: left out of the balance`);
      continue;
    }
    if (p.status !== 'paid') {
      ignore(p.status, notPaidText(p, p.status, ref));
      continue;
    }
    if (p.currency.toUpperCase() !== k.currency) {
      ignore('other_currency', null);
      k.exceptions.push(otherCurrency(p, k.currency));
      continue;
    }
    if (p.amount.sign() <= 0) {
      ignore('not_positive', null);
      continue;
    }
    if (date > k.simEnd) {
      ignore('after_ledger_end', null);
      continue;
    }
    credit.push({ p, org, date });
  }
  return credit;
}

function notPaidText(p: PaymentRecord, status: Exclude<PaymentRecord['status'], 'paid'>, ref: string): string {
  const what = p.kind === 'grant' ? 'grant' : p.kind === 'invoice' ? 'invoice payment' : p.kind === 'auto_recharge' ? 'auto top-up' : 'top-up';
  const text: Record<Exclude<PaymentRecord['status'], 'paid'>, string> = {
    failed: `${what} ${fmt(p.amount, p.currency)}${ref} failed: no credit added`,
    pending: `${what} ${fmt(p.amount, p.currency)}${ref} is still pending: no credit counted until it is paid`,
    refunded: `${what} ${fmt(p.amount, p.currency)}${ref} was refunded: no credit counted`,
    void: `${what} ${fmt(p.amount, p.currency)}${ref} is void: no credit added`,
  };
  return text[status];
}

function otherCurrency(p: PaymentRecord, currency: string): Exception {
  return {
    severity: 'warning',
    class: 'payment_other_currency',
    subject: p.reference || `${p.src.file}:${p.src.line}`,
    amount: p.amount,
    currency: p.currency.toUpperCase(),
    message: `Payment ${p.reference} of ${fmt(p.amount, p.currency)} ${p.currency.toUpperCase()} is not in the ledger currency ${currency}; it was left out of the credit balance.`,
    nextStep: `Record the credit it bought in ${currency} in the payment history.`,
    refs: [p.src],
  };
}

export interface CreditsOfDay {
  topUps: Decimal;
  grants: Decimal;
  /** The last payment of the day that paid (part of) a negative balance. */
  paidOffBy: Provenance | null;
}

/** Adds the day's top-ups and grants as lots, each paying any negative balance first. */
export function addCredits(ctx: RollContext, s: OrgRoll, date: LocalDate, list: readonly CreditPayment[]): CreditsOfDay {
  const day: CreditsOfDay = { topUps: Decimal.ZERO, grants: Decimal.ZERO, paidOffBy: null };
  for (const c of list) {
    const p = c.p;
    const kind = p.kind as LotKind;
    const toDebt = minDec(p.amount, s.debt);
    s.debt = s.debt.minus(toDebt);
    const rest = p.amount.minus(toDebt);
    const expiresOn = expiryOf(ctx, kind, date);
    s.lots.push({
      id: ctx.newLotId(),
      organization: s.org,
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
    s.available = s.available.plus(rest);
    if (kind === 'grant') day.grants = day.grants.plus(p.amount);
    else day.topUps = day.topUps.plus(p.amount);
    if (toDebt.sign() > 0) day.paidOffBy = p.src;
    const { evKind, message } = creditEvent(p, kind, toDebt, rest, s.debt, expiresOn);
    ctx.events.push({ date, organization: s.org, kind: evKind, amount: p.amount, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
  }
  return day;
}

function creditEvent(p: PaymentRecord, kind: LotKind, toDebt: Decimal, rest: Decimal, debt: Decimal, expiresOn: LocalDate | null): { evKind: LedgerEventKind; message: string } {
  const label = kind === 'grant' ? 'grant' : kind === 'auto_recharge' ? 'auto-recharge' : kind === 'invoice' ? 'invoice payment' : 'top-up';
  let message: string;
  let evKind: LedgerEventKind;
  if (toDebt.sign() > 0) {
    evKind = 'top_up_paid_debt';
    message =
      rest.sign() > 0
        ? `paid ${fmt(p.amount, p.currency)}${refLabel(kind, p.reference)}, ${fmt(toDebt, p.currency)} went to the negative balance, ${fmt(rest, p.currency)} available`
        : `paid ${fmt(p.amount, p.currency)}${refLabel(kind, p.reference)}, all of it went to the negative balance: still ${fmt(debt.neg(), p.currency)}`;
  } else {
    evKind = kind === 'grant' ? 'grant' : 'top_up';
    message = `${label} ${fmt(p.amount, p.currency)}${refLabel(kind, p.reference)}`;
  }
  if (expiresOn) message += `; expires ${expiresOn}`;
  return { evKind, message };
}
