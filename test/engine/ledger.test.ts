import { describe, expect, it } from 'vitest';
import { addMonthsClamped, buildCreditLedger, type DailyUsage, type LedgerInput, type LedgerResult } from '../../src/engine/ledger/index.js';
import { ledgerToJson } from '../../src/report/json.js';
import type { PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { addDays, makePeriod, parseIsoInstant } from '../../src/time.js';
import { prng } from '../helpers.js';

const D = Decimal.from;
let line = 1;

function pay(
  iso: string,
  amount: string,
  o: { kind?: PaymentRecord['kind']; status?: PaymentRecord['status']; org?: string | null; ref?: string; currency?: string } = {},
): PaymentRecord {
  const paidAt = parseIsoInstant(iso);
  if (paidAt === null) throw new Error(`bad instant ${iso}`);
  line++;
  return {
    src: { file: 'payments.csv', line },
    provider: 'openai',
    paidAt,
    reference: o.ref ?? `R-${line}`,
    amount: D(amount),
    currency: o.currency ?? 'usd',
    status: o.status ?? 'paid',
    kind: o.kind ?? 'manual',
    organization: o.org === undefined ? 'org-a' : o.org,
    cardLast4: null,
    description: '',
  };
}

function use(date: string, amount: string, org: string | null = 'org-a'): DailyUsage {
  return { organization: org, date, amount: D(amount) };
}

function ledger(from: string, to: string, rest: Partial<LedgerInput> & { tz?: string } = {}): LedgerResult {
  const tz = rest.tz ?? 'UTC';
  return buildCreditLedger({ timezone: tz, period: makePeriod(from, to, tz), payments: [], usage: [], ...rest });
}

function day(r: LedgerResult, date: string, org: string | null = 'org-a') {
  const d = r.days.find((x) => x.date === date && x.organization === org);
  if (!d) throw new Error(`no row ${org} ${date}`);
  return d;
}

const str = (d: Decimal): string => d.toString();

/** Every day obeys the roll-forward law and chains to the next; lots add up to the balance. */
function checkLaws(r: LedgerResult): void {
  for (const d of r.days) {
    expect(str(d.opening.plus(d.in).minus(d.out).minus(d.expired)), `${d.organization} ${d.date}`).toBe(str(d.closing));
    expect(str(d.in), `${d.date} in`).toBe(str(d.topUps.plus(d.grants)));
    expect(str(d.available.minus(d.debt)), `${d.date} available − debt`).toBe(str(d.closing));
    expect(d.debt.sign()).toBeGreaterThanOrEqual(0);
    expect(d.available.sign()).toBeGreaterThanOrEqual(0);
    // a debt exists only when every lot is used up
    if (d.debt.sign() > 0) expect(d.available.isZero()).toBe(true);
  }
  for (const org of r.organizations) {
    const rows = r.days.filter((d) => d.organization === org);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.date).toBe(addDays(rows[i - 1]!.date, 1));
      expect(str(rows[i]!.opening)).toBe(str(rows[i - 1]!.closing));
    }
    const c = r.closing.find((x) => x.organization === org)!;
    const lotsRemaining = r.lots.filter((l) => l.organization === org).reduce((s, l) => s.plus(l.remaining), Decimal.ZERO);
    expect(str(lotsRemaining.minus(c.debt)), `lots of ${org}`).toBe(str(c.balance));
    if (rows.length) expect(str(rows[rows.length - 1]!.closing)).toBe(str(c.balance));
  }
  for (const l of r.lots) {
    expect(str(l.appliedToDebt.plus(l.consumed).plus(l.expired).plus(l.remaining)), `lot ${l.id}`).toBe(str(l.carriedIn));
    for (const part of [l.appliedToDebt, l.consumed, l.expired, l.remaining]) expect(part.sign()).toBeGreaterThanOrEqual(0);
  }
}

describe('addMonthsClamped', () => {
  it('keeps the day of month and clamps to the month end', () => {
    expect(addMonthsClamped('2025-11-03', 12)).toBe('2026-11-03');
    expect(addMonthsClamped('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2026-12-15', 1)).toBe('2027-01-15');
  });
});

describe('roll-forward', () => {
  it('adds paid top-ups and subtracts usage day by day', () => {
    const r = ledger('2026-10-01', '2026-10-05', {
      payments: [pay('2026-10-02T09:00:00Z', '50.00', { ref: 'R-1' })],
      usage: [use('2026-10-02', '12.3456'), use('2026-10-04', '7.65')],
    });
    expect(r.days.map((d) => d.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05']);
    expect(str(day(r, '2026-10-02').in)).toBe('50');
    expect(str(day(r, '2026-10-02').closing)).toBe('37.6544');
    expect(str(day(r, '2026-10-05').closing)).toBe('30.0044');
    expect(day(r, '2026-10-02').events).toEqual(['top-up 50.00 (receipt R-1); expires 2027-10-02']);
    expect(str(r.closing[0]!.balance)).toBe('30.0044');
    checkLaws(r);
  });

  it('reports the balance going negative with the day’s usage', () => {
    const r = ledger('2026-10-01', '2026-10-03', {
      payments: [pay('2026-10-01T08:00:00Z', '9.20')],
      usage: [use('2026-10-02', '12.40'), use('2026-10-03', '1.00')],
    });
    const ev = r.events.filter((e) => e.kind === 'balance_negative');
    expect(ev.map((e) => [e.date, e.message])).toEqual([['2026-10-02', 'balance went negative: -3.20 after 12.40 of usage']]);
    expect(str(day(r, '2026-10-03').closing)).toBe('-4.2');
    const ex = r.exceptions.filter((e) => e.class === 'negative_balance');
    expect(ex).toHaveLength(1);
    expect(ex[0]!.message).toContain('from 2026-10-02 and was still negative at the end of the period (lowest -4.20 on 2026-10-03)');
    // no opening balance was given: the message says the ledger assumed 0 (issue 12)
    expect(ex[0]!.message).toContain('No opening balance is configured, so the ledger assumed 0 on 2026-10-01');
    checkLaws(r);
  });

  it('a top-up while negative first pays the debt: -8 + 10 = 2', () => {
    const r = ledger('2026-10-01', '2026-10-06', {
      payments: [pay('2026-10-01T08:00:00Z', '5.00'), pay('2026-10-05T10:00:00Z', '10.00', { ref: 'R-10' })],
      usage: [use('2026-10-02', '13.00')],
    });
    expect(str(day(r, '2026-10-04').closing)).toBe('-8');
    const d5 = day(r, '2026-10-05');
    expect(str(d5.opening)).toBe('-8');
    expect(str(d5.in)).toBe('10');
    expect(str(d5.closing)).toBe('2');
    expect(d5.events).toEqual(['paid 10.00 (receipt R-10), 8.00 went to the negative balance, 2.00 available; expires 2027-10-05']);
    const lot = r.lots.find((l) => l.reference === 'R-10')!;
    expect([str(lot.appliedToDebt), str(lot.remaining)]).toEqual(['8', '2']);
    const neg = r.exceptions.filter((e) => e.class === 'negative_balance');
    expect(neg).toHaveLength(1);
    expect(neg[0]!.subject).toBe('organization org-a, 2026-10-02 to 2026-10-04');
    expect(neg[0]!.refs).toEqual([r.lots.find((l) => l.reference === 'R-10')!.src]);
    checkLaws(r);
  });

  it('prints money in messages at the minor unit; the exact figures stay in the event and lot', () => {
    const r = ledger('2026-10-01', '2026-10-06', {
      payments: [pay('2026-10-01T08:00:00Z', '5.00', { ref: 'R-5' }), pay('2026-10-05T10:00:00Z', '10.00', { ref: 'R-10' })],
      usage: [use('2026-10-02', '14.273373175')],
    });
    expect(day(r, '2026-10-05').events).toEqual(['paid 10.00 (receipt R-10), 9.27 went to the negative balance, 0.73 available; expires 2027-10-05']);
    expect(day(r, '2026-10-02').events).toEqual(['balance went negative: -9.27 after 14.27 of usage']);
    expect(str(r.lots.find((l) => l.reference === 'R-10')!.appliedToDebt)).toBe('9.273373175');
    for (const e of r.exceptions) expect(e.message, e.class).not.toMatch(/\d\.\d{3}/);
    const jpy = ledger('2026-10-01', '2026-10-03', {
      currency: 'JPY',
      payments: [pay('2026-10-03T10:00:00Z', '500', { ref: 'R-Y', currency: 'jpy' })],
      usage: [use('2026-10-01', '800.4')],
    });
    expect(day(jpy, '2026-10-03').events).toEqual(['paid 500 (receipt R-Y), all of it went to the negative balance: still -300; expires 2027-10-03']);
  });

  it('a top-up smaller than the debt leaves the balance negative', () => {
    const r = ledger('2026-10-01', '2026-10-03', {
      payments: [pay('2026-10-03T10:00:00Z', '5.00', { ref: 'R-5' })],
      usage: [use('2026-10-01', '8.00')],
    });
    expect(day(r, '2026-10-03').events).toEqual(['paid 5.00 (receipt R-5), all of it went to the negative balance: still -3.00; expires 2027-10-03']);
    expect(str(r.closing[0]!.balance)).toBe('-3');
    checkLaws(r);
  });

  it('consumes the oldest lot first', () => {
    const r = ledger('2026-02-01', '2026-02-28', {
      payments: [pay('2026-01-01T10:00:00Z', '10', { ref: 'OLD' }), pay('2026-02-01T10:00:00Z', '10', { ref: 'NEW' })],
      usage: [use('2026-02-10', '15')],
    });
    const old = r.lots.find((l) => l.reference === 'OLD')!;
    const nu = r.lots.find((l) => l.reference === 'NEW')!;
    expect([str(old.consumed), str(old.remaining)]).toEqual(['10', '0']);
    expect([str(nu.consumed), str(nu.remaining)]).toEqual(['5', '5']);
    // January is rolled (from the first payment) but only the period's days are shown
    expect(r.days[0]!.date).toBe('2026-02-01');
    expect(str(r.days[0]!.opening)).toBe('10');
    expect(r.closing[0]!.rolledFrom).toBe('2026-01-01');
    checkLaws(r);
  });

  it('is the same for any machine time zone (reporting zone wins)', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      tz: 'Asia/Shanghai',
      payments: [pay('2026-09-30T16:30:00Z', '20')],
      usage: [use('2026-10-01', '3')],
    });
    expect(str(day(r, '2026-10-01').in)).toBe('20');
    expect(str(day(r, '2026-10-01').closing)).toBe('17');
  });
});

describe('expiry', () => {
  const payments = [pay('2025-11-03T10:00:00Z', '50.00', { ref: 'R-123' })];
  const usage = [use('2025-11-10', '20.00'), use('2026-06-01', '17.50')];

  it('expires the unused remainder one year after purchase, across a year boundary', () => {
    const r = ledger('2026-11-01', '2026-11-30', { payments, usage });
    const d = day(r, '2026-11-03');
    expect(str(d.opening)).toBe('12.5');
    expect(str(d.expired)).toBe('12.5');
    expect(str(d.closing)).toBe('0');
    expect(d.events).toEqual(['12.50 of credit bought 2025-11-03 (receipt R-123) expired unused']);
    expect(str(day(r, '2026-11-02').expired)).toBe('0');
    const lot = r.lots[0]!;
    expect(lot.purchasedOn).toBe('2025-11-03');
    expect(lot.expiresOn).toBe('2026-11-03');
    expect([str(lot.consumed), str(lot.expired), str(lot.remaining)]).toEqual(['37.5', '12.5', '0']);
    const ex = r.exceptions.filter((e) => e.class === 'credit_expired_unused');
    expect(ex).toHaveLength(1);
    expect(str(ex[0]!.amount!)).toBe('12.5');
    expect(ex[0]!.refs).toEqual([payments[0]!.src]);
    checkLaws(r);
  });

  it('expires at the start of the expiry date: usage that day cannot use it', () => {
    const r = ledger('2026-11-01', '2026-11-05', { payments, usage: [...usage, use('2026-11-03', '5')] });
    const d = day(r, '2026-11-03');
    expect(str(d.closing)).toBe('-5');
    expect(d.events).toEqual(['12.50 of credit bought 2025-11-03 (receipt R-123) expired unused', 'balance went negative: -5.00 after 5.00 of usage']);
    checkLaws(r);
  });

  it('grants expire too, and a fully used lot expires silently', () => {
    const r = ledger('2026-11-01', '2026-11-30', {
      payments: [pay('2025-11-05T10:00:00Z', '5', { kind: 'grant', ref: 'G-1' }), pay('2025-11-04T10:00:00Z', '3', { ref: 'R-9' })],
      usage: [use('2025-11-20', '3')],
      grantValidityMonths: 12,
    });
    expect(r.events.filter((e) => e.kind === 'credit_expired').map((e) => [e.date, e.message])).toEqual([
      ['2026-11-05', '5.00 of credit granted 2025-11-05 (grant G-1) expired unused'],
    ]);
    checkLaws(r);
  });

  it('looks forward 30/60/90 days from asOf', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [...payments, pay('2025-12-10T10:00:00Z', '7', { ref: 'R-200' }), pay('2026-01-10T10:00:00Z', '4', { ref: 'R-300' })],
      usage,
      asOf: '2026-10-15',
    });
    const s = r.expiringSoon;
    expect(s.asOf).toBe('2026-10-15');
    expect([s.within30.until, str(s.within30.amount), s.within30.lots.map((l) => [l.reference, l.expiresOn, str(l.amount)])]).toEqual([
      '2026-11-14',
      '12.5',
      [['R-123', '2026-11-03', '12.5']],
    ]);
    expect([str(s.within60.amount), s.within60.lots.map((l) => l.reference)]).toEqual(['19.5', ['R-123', 'R-200']]);
    expect([str(s.within90.amount), s.within90.lots.map((l) => l.reference)]).toEqual(['23.5', ['R-123', 'R-200', 'R-300']]);
    expect(r.exceptions.some((e) => e.class === 'credit_expiring_soon' && e.message.includes('12.50 on 2026-11-03 (R-123)'))).toBe(true);
  });
});

describe('opening balance', () => {
  it('traces the opening balance to the newest purchases, keeping their expiry', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      openingBalance: { amount: D('42'), date: '2026-10-01' },
      payments: [pay('2025-09-15T10:00:00Z', '50', { ref: 'GONE' }), pay('2025-10-20T10:00:00Z', '30', { ref: 'MID' }), pay('2026-08-01T10:00:00Z', '20', { ref: 'NEW' })],
      usage: [use('2026-09-20', '99'), use('2026-10-02', '5')],
    });
    expect(r.lots.map((l) => [l.reference, str(l.carriedIn), l.expiresOn])).toEqual([
      ['MID', '22', '2026-10-20'],
      ['NEW', '20', '2027-08-01'],
    ]);
    expect(str(day(r, '2026-10-01').opening)).toBe('42');
    expect(day(r, '2026-10-20').events).toEqual(['17.00 of credit bought 2025-10-20 (receipt MID) expired unused']);
    expect(str(r.closing[0]!.balance)).toBe('20');
    expect(r.ignoredCounts.expired_before_opening_balance).toBe(1);
    expect(r.ignoredCounts.before_opening_balance).toBe(1); // usage of 09-20 is inside the opening balance
    expect(day(r, '2026-10-01').events[0]).toBe('opening balance 42.00: 42.00 from 2 purchases in the payment history');
    checkLaws(r);
  });

  it('the untraced rest has an unknown purchase date, is used first and never expires unless told', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      openingBalance: { amount: D('60'), date: '2026-10-01' },
      payments: [pay('2026-08-01T10:00:00Z', '20', { ref: 'NEW' })],
      usage: [use('2026-10-02', '15')],
    });
    const opening = r.lots.find((l) => l.kind === 'opening')!;
    expect([str(opening.carriedIn), str(opening.consumed), opening.expiresOn, opening.purchasedOn]).toEqual(['40', '15', null, null]);
    expect(r.expiringSoon.within90.lots).toEqual([]);
    const withExpiry = ledger('2026-10-01', '2026-10-31', {
      openingBalance: { amount: D('60'), date: '2026-10-01', expiresOn: '2026-10-10' },
      payments: [pay('2026-08-01T10:00:00Z', '20', { ref: 'NEW' })],
      usage: [use('2026-10-02', '15')],
    });
    expect(day(withExpiry, '2026-10-10').events).toEqual(['25.00 of the opening balance expired unused']);
    checkLaws(r);
    checkLaws(withExpiry);
  });

  it('a negative opening balance is paid first by the next top-up', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      openingBalance: { amount: D('-8'), date: '2026-10-01', organization: 'org-a' },
      payments: [pay('2026-10-03T10:00:00Z', '10', { ref: 'R-1' })],
    });
    expect(day(r, '2026-10-03').events[0]).toBe('paid 10.00 (receipt R-1), 8.00 went to the negative balance, 2.00 available; expires 2027-10-03');
    expect(str(r.closing[0]!.balance)).toBe('2');
    expect(r.exceptions.find((e) => e.class === 'negative_balance')!.subject).toBe('organization org-a, 2026-10-01 to 2026-10-02');
    checkLaws(r);
  });
});

describe('auto-recharge limit', () => {
  it('keeps a running total per month, marks the limit and flags top-ups beyond it', () => {
    const auto = { kind: 'auto_recharge' as const };
    const r = ledger('2026-10-01', '2026-11-30', {
      autoRechargeMonthlyLimit: D('500'),
      payments: [
        pay('2026-10-05T10:00:00Z', '200', { ...auto, ref: 'A1' }),
        pay('2026-10-12T10:00:00Z', '200', { ...auto, ref: 'A2' }),
        pay('2026-10-21T10:00:00Z', '100', { ...auto, ref: 'A3' }),
        pay('2026-10-25T10:00:00Z', '50', { ...auto, ref: 'A4' }),
        pay('2026-10-27T10:00:00Z', '50', { ...auto, ref: 'A5', status: 'failed' }),
        pay('2026-10-28T10:00:00Z', '80', { ref: 'M1' }), // manual: not counted
        pay('2026-11-02T10:00:00Z', '100', { ...auto, ref: 'B1' }),
      ],
    });
    const reached = r.events.filter((e) => e.kind === 'auto_recharge_limit_reached');
    expect(reached.map((e) => e.message)).toEqual(['auto-recharge limit 500.00 reached on 2026-10-21: further auto top-ups will be declined this month']);
    const over = r.events.filter((e) => e.kind === 'auto_recharge_over_limit');
    expect(over.map((e) => [e.date, e.message])).toEqual([['2026-10-25', "auto top-up 50.00 (A4) took this month's auto-recharge total to 550.00, beyond the limit 500.00"]]);
    expect(r.events.filter((e) => e.kind === 'auto_recharge_declined').map((e) => e.date)).toEqual(['2026-10-27']);
    expect(r.autoRecharge.map((m) => [m.month, str(m.total), m.count, m.reachedOn, m.overLimit.map((o) => o.reference)])).toEqual([
      ['2026-10', '550', 4, '2026-10-21', ['A4']],
      ['2026-11', '100', 1, null, []],
    ]);
    expect(r.exceptions.filter((e) => e.class.startsWith('auto_recharge')).map((e) => e.class)).toEqual(['auto_recharge_limit_reached', 'auto_recharge_over_limit']);
    // the over-limit top-up was still paid, so it is still credit
    expect(str(r.closing[0]!.balance)).toBe('730');
    expect(day(r, '2026-10-21').events).toEqual([
      'auto-recharge 100.00 (receipt A3); expires 2027-10-21',
      'auto-recharge limit 500.00 reached on 2026-10-21: further auto top-ups will be declined this month',
    ]);
    checkLaws(r);
  });
});

describe('payments that add no credit', () => {
  it('ignores a ChatGPT subscription and counts it', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [pay('2026-10-02T10:00:00Z', '20', { kind: 'subscription', ref: 'SUB-1' }), pay('2026-10-03T10:00:00Z', '10', { ref: 'R-1' })],
    });
    expect(str(r.closing[0]!.balance)).toBe('10');
    expect(r.ignoredCounts.subscription_not_api_credit).toBe(1);
    expect(r.ignored.find((i) => i.reason === 'subscription_not_api_credit')!.reference).toBe('SUB-1');
    expect(day(r, '2026-10-02').events).toEqual(['ChatGPT subscription charge 20.00 (SUB-1) is a plan, not API credit: left out of the balance']);
    expect(r.lots).toHaveLength(1);
    checkLaws(r);
  });

  it('failed, pending, void, refunded and foreign-currency payments add nothing', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [
        pay('2026-10-02T10:00:00Z', '10', { status: 'failed' }),
        pay('2026-10-02T11:00:00Z', '11', { status: 'pending' }),
        pay('2026-10-02T12:00:00Z', '12', { status: 'void' }),
        pay('2026-10-02T13:00:00Z', '13', { status: 'refunded' }),
        pay('2026-10-02T14:00:00Z', '14', { currency: 'eur' }),
        pay('2026-10-02T15:00:00Z', '15', { kind: 'invoice', ref: 'INV-1' }),
      ],
    });
    expect(str(r.closing[0]!.balance)).toBe('15');
    expect([r.ignoredCounts.failed, r.ignoredCounts.pending, r.ignoredCounts.void, r.ignoredCounts.refunded, r.ignoredCounts.other_currency]).toEqual([1, 1, 1, 1, 1]);
    expect(r.exceptions.some((e) => e.class === 'payment_other_currency' && e.currency === 'EUR')).toBe(true);
    expect(day(r, '2026-10-02').events.at(-1)).toBe('invoice payment 15.00 (invoice INV-1); expires 2027-10-02');
    checkLaws(r);
  });
});

describe('payment placement on the local date of the reporting zone', () => {
  const p = pay('2026-10-31T23:30:00Z', '25', { ref: 'LATE' });

  it('is 2026-11-01 in Europe/Berlin', () => {
    const nov = ledger('2026-11-01', '2026-11-30', { tz: 'Europe/Berlin', payments: [p] });
    expect(str(day(nov, '2026-11-01').in)).toBe('25');
    expect(nov.lots[0]!.purchasedOn).toBe('2026-11-01');
    expect(nov.lots[0]!.expiresOn).toBe('2027-11-01');
    const oct = ledger('2026-10-01', '2026-10-31', { tz: 'Europe/Berlin', payments: [p] });
    expect(oct.days).toEqual([]);
    expect(oct.ignoredCounts.after_ledger_end).toBe(1);
  });

  it('is still 2026-10-31 in America/Los_Angeles', () => {
    const oct = ledger('2026-10-01', '2026-10-31', { tz: 'America/Los_Angeles', payments: [p] });
    expect(str(day(oct, '2026-10-31').in)).toBe('25');
    expect(str(day(oct, '2026-10-30').closing)).toBe('0');
    expect(oct.lots[0]!.purchasedOn).toBe('2026-10-31');
  });

  it('refuses a time zone that differs from the period’s', () => {
    expect(() => buildCreditLedger({ timezone: 'UTC', period: makePeriod('2026-10-01', '2026-10-31', 'Europe/Berlin'), payments: [], usage: [] })).toThrow(/differs/);
  });
});

describe('closing-balance check', () => {
  const base = {
    payments: [pay('2026-10-01T10:00:00Z', '100', { ref: 'R-1' }), pay('2026-10-30T10:00:00Z', '40', { ref: 'R-P', status: 'pending' })],
    usage: [use('2026-10-10', '20'), use('2026-10-28', '5.5')],
  };

  it('matches within the tolerance', () => {
    const r = ledger('2026-10-01', '2026-10-31', { ...base, closingBalanceReported: { amount: D('74.50') } });
    expect(r.closingCheck!.matches).toBe(true);
    expect(str(r.closingCheck!.difference)).toBe('0');
    expect(r.exceptions.some((e) => e.class === 'closing_balance_mismatch')).toBe(false);
  });

  it('a lower dashboard balance points at usage after the export’s last day', () => {
    const r = ledger('2026-10-01', '2026-10-31', { ...base, closingBalanceReported: { amount: D('70.00') } });
    const c = r.closingCheck!;
    expect([c.matches, str(c.reported), str(c.computed), str(c.difference)]).toEqual([false, '70', '74.5', '-4.5']);
    expect(c.likelyCauses[0]).toBe(
      "Usage after the export's last day: the cost export ends on 2026-10-28; usage from 2026-10-29 to 2026-10-31 is in the dashboard balance but not in the ledger.",
    );
    expect(c.likelyCauses.some((s) => s.startsWith('Credits expired'))).toBe(true);
    const ex = r.exceptions.find((e) => e.class === 'closing_balance_mismatch')!;
    expect(str(ex.amount!)).toBe('-4.5');
  });

  it('a higher dashboard balance equal to a pending top-up names it first', () => {
    const r = ledger('2026-10-01', '2026-10-31', { ...base, closingBalanceReported: { amount: D('114.50') } });
    const causes = r.closingCheck!.likelyCauses;
    expect(causes[0]).toBe('A top-up not yet in the payment history as paid: R-P of 40.00 is marked pending; the provider may already have credited it.');
    expect(causes).toContain('A grant not in the history: promotional or support credits appear on the billing page but not always among payments.');
  });

  it('finds the organisation whose balance the dashboard shows', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [pay('2026-10-01T10:00:00Z', '100', { org: 'org-a' }), pay('2026-10-01T10:00:00Z', '30', { org: 'org-b' })],
      closingBalanceReported: { amount: D('30'), organization: 'org-a' },
    });
    expect(r.closingCheck!.likelyCauses[0]).toContain("the ledger's balance of org-b is 30.00, exactly what the dashboard shows");
  });

  it('checks an earlier date against that day’s balance', () => {
    const r = ledger('2026-10-01', '2026-10-31', { ...base, closingBalanceReported: { amount: D('80'), date: '2026-10-15' } });
    expect(r.closingCheck!.matches).toBe(true);
  });
});

describe('organisations', () => {
  it('assigns records without an organisation to the only one named, and says so', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [pay('2026-10-01T10:00:00Z', '100', { org: null })],
      usage: [use('2026-10-02', '10', 'org-x')],
    });
    expect(r.organizations).toEqual(['org-x']);
    expect(str(r.closing[0]!.balance)).toBe('90');
    expect(r.exceptions.some((e) => e.class === 'organization_assumed')).toBe(true);
  });

  it('keeps several organisations apart, in a stable order', () => {
    const r = ledger('2026-10-01', '2026-10-02', {
      payments: [pay('2026-10-01T10:00:00Z', '5', { org: 'org-b' }), pay('2026-10-01T10:00:00Z', '7', { org: 'org-a' })],
      usage: [use('2026-10-02', '1', 'org-b')],
    });
    expect(r.days.map((d) => `${d.organization} ${d.date} ${d.closing}`)).toEqual(['org-a 2026-10-01 7', 'org-a 2026-10-02 7', 'org-b 2026-10-01 5', 'org-b 2026-10-02 4']);
  });
});

describe('ledgerToJson', () => {
  it('gives date, organisation, balance and event with exact decimal strings', () => {
    const r = ledger('2026-10-01', '2026-10-02', {
      payments: [pay('2026-10-01T10:00:00Z', '10.10', { ref: 'R-1' })],
      usage: [use('2026-10-02', '0.003400000000000000000000000000000000')],
    });
    const rows = ledgerToJson(r);
    expect(rows).toEqual([
      { date: '2026-10-01', organization: 'org-a', opening: '0', in: '10.1', out: '0', expired: '0', balance: '10.1', event: 'top-up 10.10 (receipt R-1); expires 2027-10-01' },
      { date: '2026-10-02', organization: 'org-a', opening: '10.1', in: '0', out: '0.0034', expired: '0', balance: '10.0966', event: '' },
    ]);
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});

// ---------------------------------------------------------------------------
// Law test: random payment and usage sequences

describe('law: closing = opening + in − out − expired, and lots reconcile to the balance', () => {
  it('holds for random sequences', () => {
    const rand = prng(20261031);
    const int = (n: number): number => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    const zones = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Shanghai'];
    const kinds: PaymentRecord['kind'][] = ['manual', 'manual', 'auto_recharge', 'auto_recharge', 'grant', 'invoice', 'subscription'];
    const statuses: PaymentRecord['status'][] = ['paid', 'paid', 'paid', 'paid', 'failed', 'pending', 'refunded', 'void'];
    const orgs = ['org-a', 'org-b', null];
    let totalDays = 0;
    for (let run = 0; run < 60; run++) {
      const tz = pick(zones);
      const from = addDays('2026-01-01', int(330));
      const to = addDays(from, int(70));
      const payments: PaymentRecord[] = [];
      const usage: DailyUsage[] = [];
      const nPay = int(25);
      for (let i = 0; i < nPay; i++) {
        const at = Date.UTC(2025, 0, 1) / 1000 + int(730 * 86400);
        const iso = new Date(at * 1000).toISOString().replace('.000Z', 'Z');
        payments.push(pay(iso, Decimal.of(BigInt(1 + int(20000)), 2).toString(), { kind: pick(kinds), status: pick(statuses), org: pick(orgs) }));
      }
      const nUse = int(200);
      for (let i = 0; i < nUse; i++) {
        // mostly charges with sub-cent digits, now and then a billing credit
        const units = BigInt(int(300000)) * (rand() < 0.03 ? -1n : 1n);
        usage.push({ organization: pick(orgs), date: addDays('2025-01-01', int(730)), amount: Decimal.of(units, 4) });
      }
      const input: LedgerInput = {
        timezone: tz,
        period: makePeriod(from, to, tz),
        payments,
        usage,
        ...(rand() < 0.4 ? { openingBalance: { amount: Decimal.of(BigInt(int(20000) - 5000), 2), date: addDays(from, -int(100)), organization: pick(orgs) } } : {}),
        ...(rand() < 0.5 ? { autoRechargeMonthlyLimit: Decimal.of(BigInt(int(300)), 0) } : {}),
        ...(rand() < 0.5 ? { asOf: addDays(to, int(40) - 20) } : {}),
        ...(rand() < 0.5 ? { closingBalanceReported: { amount: Decimal.of(BigInt(int(10000)), 2) } } : {}),
      };
      const r = buildCreditLedger(input);
      checkLaws(r);
      totalDays += r.days.length;
      // input order does not matter: same records, byte-identical result
      const again = buildCreditLedger({ ...input, payments: [...payments].reverse(), usage: [...usage].reverse() });
      expect(JSON.stringify(again)).toBe(JSON.stringify(r));
    }
    // the generator must actually exercise the ledger
    expect(totalDays).toBeGreaterThan(1000);
  });
});
