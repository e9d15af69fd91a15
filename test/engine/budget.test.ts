import { describe, expect, it } from 'vitest';
import { computeBudgets, type BudgetInput } from '../../src/engine/budget.js';
import { budgetForPeriod } from '../../src/engine/summaries.js';
import { Decimal } from '../../src/money.js';
import { addDays, makePeriod, monthPeriod } from '../../src/time.js';
import { prng } from '../helpers.js';

const D = Decimal.from;
const oct = monthPeriod('2026-10', 'UTC');

function days(project: string, from: string, n: number, amount: string) {
  return Array.from({ length: n }, (_, i) => ({ localDate: addDays(from, i), provider: 'openai', projectId: project, billed: D(amount) }));
}

function run(daily: BudgetInput['daily'], monthly = '310.00', extra: Partial<BudgetInput> = {}) {
  return computeBudgets({ period: oct, currency: 'USD', projects: [{ provider: 'openai', projectId: 'p1', projectName: 'Support', monthlyBudget: D(monthly) }], daily, ...extra });
}

describe('computeBudgets', () => {
  it('on track: no exception, forecast at the run rate, budget reached on the day the rate gets there', () => {
    // 10.00 a day against 310.00 for 31 days: exactly on budget, reached on the last day
    const r = run(days('p1', '2026-10-01', 10, '10.00'));
    const b = r.projects[0]!;
    expect(r.asOf).toBe('2026-10-10');
    expect(b.spent.toString()).toBe('100');
    expect(b.proratedToDate.toDisplay(2)).toBe('100.00');
    expect(b.forecast.toDisplay(2)).toBe('310.00');
    expect(b.reachesBudgetOn).toBe('2026-10-31');
    expect(b.reached).toBe(false);
    expect(r.exceptions).toEqual([]);
  });

  it('ahead of the prorated budget: a warning with the day the budget will be reached', () => {
    const r = run([...days('p1', '2026-10-01', 5, '10.00'), ...days('p1', '2026-10-06', 5, '30.00')]);
    const b = r.projects[0]!;
    // the last 7 days (4th–10th) spent 2×10 + 5×30 = 170: 200 + 170·21/7 = 710 at month end;
    // the 110 left is reached after ceil(110·7/170) = 5 more days
    expect(b.dailyRunRate.toString()).toBe('24.2857');
    expect(b.forecast.toDisplay(2)).toBe('710.00');
    expect(b.reachesBudgetOn).toBe('2026-10-15');
    expect(b.overProrated.toDisplay(2)).toBe('100.00');
    expect(r.exceptions.map((e) => [e.severity, e.class, e.amount?.toDisplay(2)])).toEqual([['warning', 'budget_ahead_of_prorated', '100.00']]);
    expect(r.exceptions[0]!.message).toContain('2026-10-15');
  });

  it('past the whole budget: an error dated the day it was passed', () => {
    const r = run(days('p1', '2026-10-01', 20, '20.00'));
    const b = r.projects[0]!;
    expect(b.reached).toBe(true);
    expect(b.reachesBudgetOn).toBe('2026-10-16'); // 16 × 20 = 320 ≥ 310
    expect(r.exceptions.map((e) => [e.severity, e.class, e.amount?.toDisplay(2)])).toEqual([['error', 'budget_exceeded', '90.00']]);
  });

  it('within the prorated budget today but forecast over it: info', () => {
    // a slow start then a fast day: behind the prorated line on day 10 (99 < 100), but the
    // last 7 days' 96 carry on to 99 + 96·21/7 = 387
    const r = run([...days('p1', '2026-10-01', 9, '1.00'), ...days('p1', '2026-10-10', 1, '90.00')]);
    const b = r.projects[0]!;
    expect(b.forecast.toDisplay(2)).toBe('387.00');
    expect(b.overProrated.sign()).toBe(-1);
    expect(b.forecast.cmp(b.periodBudget)).toBe(1);
    expect(r.exceptions.map((e) => e.class)).toEqual(['budget_forecast_exceeded']);
  });

  it('the burn line is cumulative and the prorated line ends at the prorated budget', () => {
    const r = run(days('p1', '2026-10-01', 31, '3.33'));
    const b = r.projects[0]!;
    expect(b.burn).toHaveLength(31);
    expect(b.burn[30]!.spent.toString()).toBe('103.23');
    expect(b.burn[30]!.prorated.toString()).toBe(budgetForPeriod(D('310.00'), oct).toString());
    expect(b.forecast.toString()).toBe('103.23');
  });

  it('a credit day (negative billed) lowers the spend; no spend means no forecast date', () => {
    const r = run([
      { localDate: '2026-10-01', provider: 'openai', projectId: 'p1', billed: D('5') },
      { localDate: '2026-10-02', provider: 'openai', projectId: 'p1', billed: D('-5') },
    ]);
    expect(r.projects[0]!.spent.isZero()).toBe(true);
    expect(r.projects[0]!.reachesBudgetOn).toBeNull();
    expect(r.exceptions).toEqual([]);
  });

  it('no billed day in the period: nothing to say', () => {
    expect(run([]).projects).toEqual([]);
  });

  it('other projects and days outside the period are not counted', () => {
    const r = run([...days('p1', '2026-10-01', 2, '1'), ...days('p2', '2026-10-01', 2, '99'), ...days('p1', '2026-09-29', 2, '50')]);
    expect(r.projects[0]!.spent.toString()).toBe('2');
  });

  it('a period spanning two months prorates each month by its own days', () => {
    const period = makePeriod('2026-10-17', '2026-11-15', 'UTC');
    const r = computeBudgets({
      period,
      currency: 'USD',
      projects: [{ provider: 'openai', projectId: 'p1', projectName: null, monthlyBudget: D('310') }],
      daily: days('p1', '2026-10-17', 30, '1'),
    });
    // 15 of 31 days of October + 15 of 30 of November
    expect(r.projects[0]!.periodBudget.toString()).toBe(D('150').plus(D('155')).toString());
  });

  it("law: the forecast is spent + the last 7 days' rate × the days left, and the forecast date is the first day that rate reaches the budget", () => {
    const rand = prng(13);
    for (let t = 0; t < 200; t++) {
      const n = 1 + Math.floor(rand() * 31);
      const daily = Array.from({ length: n }, (_, i) => ({
        localDate: addDays('2026-10-01', i),
        provider: 'openai',
        projectId: 'p1',
        billed: Decimal.of(BigInt(Math.floor(rand() * 5000)), 2),
      }));
      const r = run(daily, (Math.floor(rand() * 40000) / 100).toFixed(2));
      const b = r.projects[0]!;
      const w = Math.min(7, n);
      const recent = daily.slice(n - w).reduce((s, d) => s.plus(d.billed), Decimal.ZERO);
      // recomputed independently in cents × window, then rounded like the engine
      const expected = b.spent.unitsAt(2) * BigInt(w) + recent.unitsAt(2) * BigInt(31 - n);
      expect(b.forecast.toString()).toBe(Decimal.of(expected, 2).mulDiv(1n, BigInt(w), 2).toString());
      if (!b.reached && b.reachesBudgetOn) {
        const k = Number(b.reachesBudgetOn.slice(8)) - n;
        const gap = (b.periodBudget.unitsAt(4) - b.spent.unitsAt(4)) * BigInt(w);
        // recent × k ≥ gap > recent × (k − 1)
        expect(recent.unitsAt(4) * BigInt(k) >= gap).toBe(true);
        expect(recent.unitsAt(4) * BigInt(k - 1) < gap).toBe(true);
      }
    }
  });
});
