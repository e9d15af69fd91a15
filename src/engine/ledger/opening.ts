/**
 * The opening balance, traced to the newest known purchases before its date (oldest-first use
 * leaves the newest), so their expiries are kept; the untraced rest is one lot of unknown date.
 */
import { Decimal } from '../../money.js';
import { expiryOf, PHASE_OPENING, type CreditPayment, type LotState, type OrgRoll, type RollContext } from './state.js';
import type { IgnoreReason, LotKind, OpeningBalance } from './types.js';
import { fmt, minDec } from './util.js';

/** Writes the opening lots, debt and available credit into `s`; payments used or expired before it go to ctx.ignored. */
export function traceOpening(ctx: RollContext, s: OrgRoll, opening: OpeningBalance, orgCredit: readonly CreditPayment[]): void {
  const { traced, left } = tracePurchases(ctx, s.org, opening, orgCredit);
  if (opening.amount.sign() < 0) s.debt = opening.amount.neg();
  // the untraced rest is older than every traced purchase, so it is used first
  if (left.sign() > 0) {
    s.lots.push({
      id: ctx.newLotId(),
      organization: s.org,
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
    t.id = ctx.newLotId();
    s.lots.push(t);
  }
  for (const l of s.lots) s.available = s.available.plus(l.remaining);
  const message = openingMessage(opening, traced, left, ctx.currency);
  ctx.events.push({ date: opening.date, organization: s.org, kind: 'opening_balance', amount: opening.amount, message, refs: traced.map((t) => t.src!) }, PHASE_OPENING, 0);
}

/** Newest purchases first, each taking what is left of the opening balance; `traced` is newest first. */
function tracePurchases(ctx: RollContext, org: string | null, opening: OpeningBalance, orgCredit: readonly CreditPayment[]): { traced: LotState[]; left: Decimal } {
  const before = orgCredit.filter((c) => c.date < opening.date);
  let left = opening.amount.sign() > 0 ? opening.amount : Decimal.ZERO;
  const traced: LotState[] = [];
  for (let i = before.length - 1; i >= 0; i--) {
    const c = before[i]!;
    const kind = c.p.kind as LotKind;
    const expiresOn = expiryOf(ctx, kind, c.date);
    if (expiresOn !== null && expiresOn <= opening.date) {
      ignorePayment(ctx, c, org, 'expired_before_opening_balance');
      continue;
    }
    const take = minDec(c.p.amount, left);
    if (take.isZero()) {
      ignorePayment(ctx, c, org, 'used_before_opening_balance');
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
  return { traced, left };
}

/** A payment before the opening balance that no longer adds credit: listed with why. */
function ignorePayment(ctx: RollContext, c: CreditPayment, org: string | null, reason: IgnoreReason): void {
  ctx.ignored.push({ what: 'payment', reason, date: c.date, organization: org, amount: c.p.amount, reference: c.p.reference || null, refs: [c.p.src] });
}

function openingMessage(opening: OpeningBalance, traced: readonly LotState[], left: Decimal, currency: string): string {
  const tracedSum = traced.reduce((s, l) => s.plus(l.carriedIn), Decimal.ZERO);
  let msg = `opening balance ${fmt(opening.amount, currency)}`;
  if (traced.length > 0) {
    msg += `: ${fmt(tracedSum, currency)} from ${traced.length} purchase${traced.length === 1 ? '' : 's'} in the payment history`;
    if (left.sign() > 0) msg += `, ${fmt(left, currency)} of unknown purchase date`;
  } else if (left.sign() > 0) msg += ' of unknown purchase date';
  if (left.sign() > 0) msg += opening.expiresOn ? `, expiring ${opening.expiresOn}` : ' that never expires';
  if (opening.amount.sign() < 0) msg += ' (negative: the next top-up pays it first)';
  return msg;
}
