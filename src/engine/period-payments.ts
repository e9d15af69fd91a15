/**
 * Which payments matching is given for a period, and which it keeps afterwards: payments near
 * the statements' dates go in (posting lag, a statement over the period's edge); those outside
 * the period that explain no card line are dropped from the result.
 */
import type { Decimal } from '../money.js';
import type { PaymentRecord } from '../model.js';
import { addDays, localDateOf, type LocalDate, type Period } from '../time.js';
import type { MatchOptions, MatchResult } from './matching/index.js';

/**
 * Every line of the statements given is classified, so payments that may explain any of them
 * are taken: from the earliest card date (or the period's start) less the longest window after
 * a payment, to the latest (or the period's end) plus the window before one.
 */
export function paymentsNearCardLines<P extends { rec: PaymentRecord }>(
  payments: readonly P[],
  cardDates: readonly LocalDate[],
  period: Period,
  options: MatchOptions,
  timezone: string,
): P[] {
  const sorted = [...cardDates].sort();
  const earliest = sorted[0] && sorted[0] < period.from ? sorted[0] : period.from;
  const latest = sorted.length && sorted[sorted.length - 1]! > period.to ? sorted[sorted.length - 1]! : period.to;
  const from = addDays(earliest, -Math.max(options.windowDaysAfter, options.refundWindowDays));
  const to = addDays(latest, options.windowDaysBefore);
  return payments.filter(({ rec }) => {
    const d = localDateOf(rec.paidAt, timezone);
    return d >= from && d <= to;
  });
}

/**
 * Payments outside the period stay only where they explain a card line; the ones dropped
 * leave the payment-side totals too, so the Summary tie-out sums what the sheet shows.
 */
export function dropOutsidePayments(r: MatchResult, period: Period): MatchResult {
  const isKept = (c: MatchResult['classifications'][number]) =>
    c.side === 'card' || (c.date >= period.from && c.date <= period.to) || c.counterparts.some((x) => x.side === 'card');
  const gone = r.classifications.filter((c) => !isKept(c));
  if (gone.length === 0) return r;
  const dropped = new Set(gone.map((c) => `${c.src.file}:${c.src.line}`));
  const less = <T extends { currency: string; count: number; total: Decimal }>(
    list: T[],
    match: (t: T, c: (typeof gone)[number]) => boolean,
    only: (c: (typeof gone)[number]) => boolean,
  ) =>
    list
      .map((t) => {
        const out = gone.filter((c) => only(c) && match(t, c));
        return out.length ? { ...t, count: t.count - out.length, total: out.reduce((s, c) => s.minus(c.amount), t.total) } : t;
      })
      .filter((t) => t.count > 0);
  const counted = (c: (typeof gone)[number]) => c.counted;
  return {
    ...r,
    classifications: r.classifications.filter(isKept),
    exceptions: r.exceptions.filter((e) => !e.refs.some((ref) => dropped.has(`${ref.file}:${ref.line}`))),
    classTotals: less(r.classTotals, (t, c) => t.side === 'payment' && t.class === c.class && t.currency === c.currency, counted),
    payments: {
      ...r.payments,
      all: less(
        r.payments.all,
        (t, c) => t.currency === c.currency,
        () => true,
      ),
      counted: less(r.payments.counted, (t, c) => t.currency === c.currency, counted),
    },
  };
}
