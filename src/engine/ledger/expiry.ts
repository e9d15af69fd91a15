/** Credit expiry: lots expiring at the start of a day, and the forward look at credit expiring soon. */
import { Decimal } from '../../money.js';
import type { Exception } from '../../model.js';
import { addDays, type LocalDate } from '../../time.js';
import { inPeriod, PHASE_EXPIRY, type OrgRoll, type RollContext } from './state.js';
import type { ExpiringSoon, ExpiringWindow, Lot } from './types.js';
import { cmpOrg, cmpStr, fmt, orgLabel, refLabel } from './util.js';

/** Expires the lots due on `date` (at the start of the day); returns the amount expired. */
export function expireLots(ctx: RollContext, s: OrgRoll, date: LocalDate): Decimal {
  let expiredToday = Decimal.ZERO;
  for (let i = s.head; i < s.lots.length; i++) {
    const l = s.lots[i]!;
    if (l.expiryDone || l.expiresOn === null || l.expiresOn > date) continue;
    l.expiryDone = true;
    if (l.remaining.sign() <= 0) continue;
    const ex = l.remaining;
    l.expired = l.expired.plus(ex);
    l.remaining = Decimal.ZERO;
    s.available = s.available.minus(ex);
    expiredToday = expiredToday.plus(ex);
    const what =
      l.kind === 'opening'
        ? `of the opening balance`
        : l.kind === 'grant'
          ? `of credit granted ${l.purchasedOn}${refLabel(l.kind, l.reference)}`
          : `of credit bought ${l.purchasedOn}${refLabel(l.kind, l.reference)}`;
    const message = `${fmt(ex, ctx.currency)} ${what} expired unused`;
    ctx.events.push({ date, organization: s.org, kind: 'credit_expired', amount: ex, message, refs: l.src ? [l.src] : [] }, PHASE_EXPIRY, 0);
    if (inPeriod(ctx.period, date)) {
      ctx.exceptions.push({
        severity: 'warning',
        class: 'credit_expired_unused',
        subject: `organization ${orgLabel(s.org)}, lot ${l.id}${l.reference ? ` (${l.reference})` : ''}`,
        amount: ex,
        currency: ctx.currency,
        message: `${message} on ${date} (${orgLabel(s.org)}).`,
        nextStep: 'Expired credit is lost; size top-ups to what is used within a year, or ask the provider whether it can be restored.',
        refs: l.src ? [l.src] : [],
      });
    }
  }
  return expiredToday;
}

export function buildExpiringSoon(lots: readonly Lot[], asOf: LocalDate): ExpiringSoon {
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

/** The info exception for credit unused on `asOf` that expires within 30 days; null when there is none. */
export function expiringSoonException(expiringSoon: ExpiringSoon, asOf: LocalDate, currency: string): Exception | null {
  if (expiringSoon.within30.amount.sign() <= 0) return null;
  return {
    severity: 'info',
    class: 'credit_expiring_soon',
    subject: `${expiringSoon.within30.lots.length} lot${expiringSoon.within30.lots.length === 1 ? '' : 's'} by ${expiringSoon.within30.until}`,
    amount: expiringSoon.within30.amount,
    currency,
    message: `${fmt(expiringSoon.within30.amount, currency)} of credit unused on ${asOf} expires by ${expiringSoon.within30.until}: ${expiringSoon.within30.lots
      .map((l) => `${fmt(l.amount, currency)} on ${l.expiresOn}${l.reference ? ` (${l.reference})` : ''}`)
      .join(', ')}.`,
    nextStep: 'Usage draws the oldest credit first; if usage will not reach this amount before then, it will be lost.',
    refs: expiringSoon.within30.lots.flatMap((l) => (l.src ? [l.src] : [])),
  };
}
