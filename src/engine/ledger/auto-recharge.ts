/** The auto-recharge limit: paid auto-recharge charges per organisation and calendar month, against the configured limit. */
import { Decimal } from '../../money.js';
import type { Exception, PaymentRecord } from '../../model.js';
import { localDateOf, type LocalDate, type Period } from '../../time.js';
import { PHASE_PAYMENT, type EventLog } from './state.js';
import type { AutoRechargeMonth } from './types.js';
import { cmpOrg, cmpStr, fmt, orgKey, orgLabel } from './util.js';

export interface AutoRechargeCheck {
  mapOrg: (o: string | null) => string | null;
  tz: string;
  currency: string;
  limit: Decimal | null;
  period: Period;
  events: EventLog;
  exceptions: Exception[];
}

/** The months of the period with auto-recharge charges; events and exceptions where the limit was reached or passed. */
export function checkAutoRecharge(payments: readonly PaymentRecord[], k: AutoRechargeCheck): AutoRechargeMonth[] {
  const months = new Map<string, AutoRechargeMonth>();
  const { limit } = k;
  for (const p of payments) {
    if (p.kind !== 'auto_recharge' || p.currency.toUpperCase() !== k.currency) continue;
    if (p.status !== 'paid' && p.status !== 'failed') continue;
    const org = k.mapOrg(p.organization);
    const date = localDateOf(p.paidAt, k.tz);
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
    if (p.status === 'failed') failedAttempt(k, p, m, date, limit);
    else paidCharge(k, p, m, date, limit);
  }
  const firstMonth = k.period.from.slice(0, 7);
  const lastMonth = k.period.to.slice(0, 7);
  return [...months.values()].filter((m) => m.month >= firstMonth && m.month <= lastMonth).sort((a, b) => cmpOrg(a.organization, b.organization) || cmpStr(a.month, b.month));
}

/** A failed auto top-up that would have crossed the limit was most likely declined by it. */
function failedAttempt(k: AutoRechargeCheck, p: PaymentRecord, m: AutoRechargeMonth, date: LocalDate, limit: Decimal): void {
  const before = m.total;
  if (before.plus(p.amount).cmp(limit) <= 0) return;
  k.events.push(
    {
      date,
      organization: m.organization,
      kind: 'auto_recharge_declined',
      amount: p.amount,
      message: `auto top-up ${fmt(p.amount, k.currency)}${p.reference ? ` (${p.reference})` : ''} failed with ${fmt(before, k.currency)} of the ${fmt(limit, k.currency)} monthly auto-recharge limit used: most likely declined by the limit`,
      refs: [p.src],
    },
    PHASE_PAYMENT,
    p.paidAt,
  );
}

function paidCharge(k: AutoRechargeCheck, p: PaymentRecord, m: AutoRechargeMonth, date: LocalDate, limit: Decimal): void {
  const { organization: org, month } = m;
  const inPeriod = date >= k.period.from && date <= k.period.to;
  const before = m.total;
  const after = before.plus(p.amount);
  m.total = after;
  m.count++;
  if (before.cmp(limit) < 0 && after.cmp(limit) >= 0) {
    m.reachedOn = date;
    const message = `auto-recharge limit ${fmt(limit, k.currency)} reached on ${date}: further auto top-ups will be declined this month`;
    k.events.push({ date, organization: org, kind: 'auto_recharge_limit_reached', amount: after, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
    if (inPeriod) {
      k.exceptions.push({
        severity: 'warning',
        class: 'auto_recharge_limit_reached',
        subject: `organization ${orgLabel(org)}, ${month}`,
        amount: after,
        currency: k.currency,
        message: `Auto-recharge charges of ${orgLabel(org)} reached ${fmt(after, k.currency)} on ${date}, the monthly limit of ${fmt(limit, k.currency)}: further auto top-ups in ${month} will be declined.`,
        nextStep: 'Raise the monthly limit or top up manually, or the balance can run out before the month ends.',
        refs: [p.src],
      });
    }
  }
  if (after.cmp(limit) <= 0) return;
  m.overLimit.push({ reference: p.reference, date, amount: p.amount, src: p.src });
  const message = `auto top-up ${fmt(p.amount, k.currency)}${p.reference ? ` (${p.reference})` : ''} took this month's auto-recharge total to ${fmt(after, k.currency)}, beyond the limit ${fmt(limit, k.currency)}`;
  k.events.push({ date, organization: org, kind: 'auto_recharge_over_limit', amount: p.amount, message, refs: [p.src] }, PHASE_PAYMENT, p.paidAt);
  if (inPeriod) {
    k.exceptions.push({
      severity: 'warning',
      class: 'auto_recharge_over_limit',
      subject: p.reference || `${p.src.file}:${p.src.line}`,
      amount: p.amount,
      currency: k.currency,
      message: `Auto top-up ${p.reference} of ${fmt(p.amount, k.currency)} on ${date} took ${orgLabel(org)}'s ${month} auto-recharge total to ${fmt(after, k.currency)}, beyond the configured limit ${fmt(limit, k.currency)}.`,
      nextStep: 'Check the limit in the configuration against the billing settings, or whether this charge was a manual top-up recorded as auto-recharge.',
      refs: [p.src],
    });
  }
}
