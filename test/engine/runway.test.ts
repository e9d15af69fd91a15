import { describe, expect, it } from 'vitest';
import { buildCreditLedger, type DailyUsage, type LedgerInput } from '../../src/engine/ledger/index.js';
import { computeRunway } from '../../src/engine/runway.js';
import type { PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { addDays, makePeriod, parseIsoInstant } from '../../src/time.js';

const D = Decimal.from;
let line = 1;

function pay(iso: string, amount: string, kind: PaymentRecord['kind'] = 'manual'): PaymentRecord {
  line++;
  return {
    src: { file: 'payments.csv', line },
    provider: 'openai',
    paidAt: parseIsoInstant(iso)!,
    reference: `R-${line}`,
    amount: D(amount),
    currency: 'usd',
    status: 'paid',
    kind,
    organization: 'org-a',
    cardLast4: null,
    description: '',
  };
}

function usage(from: string, n: number, amount: string): DailyUsage[] {
  return Array.from({ length: n }, (_, i) => ({ organization: 'org-a', date: addDays(from, i), amount: D(amount) }));
}

function runway(from: string, to: string, rest: Partial<LedgerInput>, limit?: string) {
  const ledger = buildCreditLedger({ timezone: 'UTC', period: makePeriod(from, to, 'UTC'), payments: [], usage: [], ...rest });
  return computeRunway({ ledger, autoRechargeMonthlyLimit: limit ? D(limit) : undefined });
}

const opening = (amount: string) => ({ amount: D(amount), date: '2026-10-01', organization: 'org-a' });

describe('computeRunway', () => {
  it('a month that goes negative: run-out is already here, an error', () => {
    const r = runway('2026-10-01', '2026-10-31', { openingBalance: opening('100'), usage: usage('2026-10-01', 31, '5') });
    const o = r.organizations[0]!;
    expect(o.balance.toString()).toBe('-55');
    expect(o.runsOutOn).toBe('2026-10-31');
    expect(r.exceptions.map((e) => [e.severity, e.class])).toEqual([['error', 'credit_runs_out']]);
  });

  it('run-out at the trailing 7-day burn, before the next month ends: a warning', () => {
    // 200 − 31 × 5 = 45 left; 5 a day: zero at the end of 9 November, below zero on the 10th
    const r = runway('2026-10-01', '2026-10-31', { openingBalance: opening('200'), usage: usage('2026-10-01', 31, '5') });
    const o = r.organizations[0]!;
    expect(o.asOf).toBe('2026-10-31');
    expect(o.burnLast7Days.toString()).toBe('35');
    expect(o.dailyBurn.toString()).toBe('5');
    expect(o.runsOutOn).toBe('2026-11-10');
    expect(o.runsOutWithAutoRechargeOn).toBe('2026-11-10');
    expect(o.deadline).toBe('2026-11-30');
    expect(r.exceptions.map((e) => [e.severity, e.class])).toEqual([['warning', 'credit_runs_out']]);
  });

  it('the burn is the last 7 days only, from the last billed day (an export that stops mid-month)', () => {
    const r = runway('2026-10-01', '2026-10-31', { openingBalance: opening('1000'), usage: [...usage('2026-10-01', 13, '1'), ...usage('2026-10-14', 7, '10')] });
    const o = r.organizations[0]!;
    expect(o.asOf).toBe('2026-10-20');
    expect(o.burnLast7Days.toString()).toBe('70');
    // 1000 − 13 − 70 = 917 at 10 a day: 91 days, below zero on the 92nd
    expect(o.runsOutOn).toBe(addDays('2026-10-20', 92));
    expect(r.exceptions).toEqual([]);
  });

  it('an auto-recharge that hits its monthly limit: refills until the limit, then runs out', () => {
    // 300 + 2 × 50 − 310 = 90 at the end of October, 10 a day; November's 150 limit takes three
    // recharges of 50 (each 5 days); the fourth, due on 25 November, would pass it
    const r = runway(
      '2026-10-01',
      '2026-10-31',
      {
        openingBalance: opening('300'),
        payments: [pay('2026-10-10T12:00:00Z', '50', 'auto_recharge'), pay('2026-10-20T12:00:00Z', '50', 'auto_recharge')],
        usage: usage('2026-10-01', 31, '10'),
        autoRechargeMonthlyLimit: D('150'),
      },
      '150',
    );
    const o = r.organizations[0]!;
    expect(o.balance.toString()).toBe('90');
    expect(o.autoRechargeAmount?.toString()).toBe('50');
    expect(o.runsOutOn).toBe('2026-11-10');
    expect(o.runsOutWithAutoRechargeOn).toBe('2026-11-25');
    expect(o.autoRechargeLimitHitOn).toBe('2026-11-25');
    expect(r.exceptions.map((e) => [e.severity, e.class])).toEqual([
      ['warning', 'credit_runs_out'],
      ['info', 'auto_recharge_limit_forecast'],
    ]);
    expect(r.exceptions[0]!.message).toContain('2026-11-25');
  });

  it("the month's auto-recharges so far count against its limit", () => {
    // asOf 15 October with 100 of the 100 limit used: no recharge is left this month
    const r = runway(
      '2026-10-01',
      '2026-10-15',
      {
        openingBalance: opening('100'),
        payments: [pay('2026-10-05T12:00:00Z', '50', 'auto_recharge'), pay('2026-10-10T12:00:00Z', '50', 'auto_recharge')],
        usage: usage('2026-10-01', 15, '10'),
        autoRechargeMonthlyLimit: D('100'),
      },
      '100',
    );
    const o = r.organizations[0]!;
    expect(o.balance.toString()).toBe('50');
    expect(o.runsOutWithAutoRechargeOn).toBe('2026-10-21');
    expect(o.autoRechargeLimitHitOn).toBe('2026-10-21');
  });

  it('run-out before the next expected top-up (the median gap between purchases)', () => {
    const r = runway('2026-10-01', '2026-10-20', {
      payments: [pay('2026-10-01T06:00:00Z', '100'), pay('2026-10-08T06:00:00Z', '100'), pay('2026-10-15T06:00:00Z', '100')],
      usage: usage('2026-10-01', 20, '14'),
    });
    const o = r.organizations[0]!;
    expect(o.nextTopUpExpected).toBe('2026-10-22');
    expect(o.deadline).toBe('2026-10-22');
    expect(o.balance.toString()).toBe('20');
    expect(o.runsOutOn).toBe('2026-10-22');
    expect(r.exceptions[0]!.message).toContain('next expected top-up (2026-10-22)');
  });

  it('credit expiring unused: the ledger’s figure and what the burn will not use first', () => {
    // the November 2025 lot (expires 5 November 2026) has 100 − 31 = 69 left; 1 a day uses 4
    // more (1–4 November) before it expires: 65 expire unused
    const r = runway('2026-10-01', '2026-10-31', { payments: [pay('2025-11-05T12:00:00Z', '100'), pay('2026-10-01T12:00:00Z', '200')], usage: usage('2026-10-01', 31, '1') });
    const o = r.organizations[0]!;
    expect(o.expiring.map((e) => [e.days, e.atRisk.toString(), e.expectedUnused.toString()])).toEqual([
      [30, '69', '65'],
      [60, '69', '65'],
      [90, '69', '65'],
    ]);
  });

  it('no burn: no run-out date, no exception', () => {
    const r = runway('2026-10-01', '2026-10-31', { openingBalance: opening('10') });
    expect(r.organizations[0]!.runsOutOn).toBeNull();
    expect(r.exceptions).toEqual([]);
  });
});
