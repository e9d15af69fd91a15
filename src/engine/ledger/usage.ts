/** Billed usage: summed per organisation and local date, and drawn from the oldest lot first each day. */
import { Decimal } from '../../money.js';
import type { Provenance } from '../../model.js';
import type { LocalDate } from '../../time.js';
import { PHASE_USAGE, type OrgRoll, type RollContext, type UsageByDate } from './state.js';
import type { DailyUsage } from './types.js';
import { cmpStr, fmt, minDec } from './util.js';

/** Usage per (mapped) organisation and date; refs in (file, line) order so the result does not depend on the input order. */
export function usageByOrganization(usage: readonly DailyUsage[], mapOrg: (o: string | null) => string | null): Map<string | null, UsageByDate> {
  const usageByOrg = new Map<string | null, UsageByDate>();
  for (const u of usage) {
    const org = mapOrg(u.organization);
    let m = usageByOrg.get(org);
    if (!m) usageByOrg.set(org, (m = new Map()));
    const cur = m.get(u.date);
    if (cur) {
      cur.amount = cur.amount.plus(u.amount);
      if (u.refs) cur.refs.push(...u.refs);
    } else m.set(u.date, { amount: u.amount, refs: u.refs ? [...u.refs] : [] });
  }
  for (const m of usageByOrg.values()) for (const u of m.values()) u.refs.sort((x, y) => cmpStr(x.file, y.file) || x.line - y.line);
  return usageByOrg;
}

/** The day's billed usage, oldest lot first; beyond every lot it is debt. A negative day is a billing credit. Returns the usage. */
export function drawUsage(ctx: RollContext, s: OrgRoll, date: LocalDate, u: { amount: Decimal; refs: Provenance[] } | undefined): Decimal {
  const out = u ? u.amount : Decimal.ZERO;
  if (out.sign() > 0) {
    const before = s.available.minus(s.debt);
    let left = out;
    for (let i = s.head; i < s.lots.length && left.sign() > 0; i++) {
      const l = s.lots[i]!;
      if (l.remaining.sign() <= 0) continue;
      const take = minDec(l.remaining, left);
      l.remaining = l.remaining.minus(take);
      l.consumed = l.consumed.plus(take);
      s.available = s.available.minus(take);
      left = left.minus(take);
    }
    // lots never refill, so fully used ones at the head need no look for usage or expiry again
    while (s.head < s.lots.length && s.lots[s.head]!.remaining.sign() <= 0) s.head++;
    if (left.sign() > 0) s.debt = s.debt.plus(left);
    const after = s.available.minus(s.debt);
    if (before.sign() >= 0 && after.sign() < 0) {
      ctx.events.push(
        {
          date,
          organization: s.org,
          kind: 'balance_negative',
          amount: after,
          message: `balance went negative: ${fmt(after, ctx.currency)} after ${fmt(out, ctx.currency)} of usage`,
          refs: u?.refs ?? [],
        },
        PHASE_USAGE,
        0,
      );
    }
  } else if (out.sign() < 0) billingCredit(ctx, s, date, out, u?.refs ?? []);
  return out;
}

/** A day billed as a net credit gives money back: it pays debt first, the rest never expires. */
function billingCredit(ctx: RollContext, s: OrgRoll, date: LocalDate, out: Decimal, refs: Provenance[]): void {
  const back = out.neg();
  const toDebt = minDec(back, s.debt);
  s.debt = s.debt.minus(toDebt);
  const rest = back.minus(toDebt);
  s.lots.push({
    id: ctx.newLotId(),
    organization: s.org,
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
  s.available = s.available.plus(rest);
  ctx.events.push(
    {
      date,
      organization: s.org,
      kind: 'usage_credit',
      amount: back,
      message: `billed usage of the day was negative (${fmt(out, ctx.currency)}): a billing credit, added to the balance`,
      refs,
    },
    PHASE_USAGE,
    0,
  );
}
