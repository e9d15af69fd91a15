import { describe, expect, it } from 'vitest';
import { budgetForPeriod } from '../../src/engine/summaries.js';
import { Decimal } from '../../src/money.js';
import { makePeriod, monthPeriod } from '../../src/time.js';

const D = Decimal.from;

describe('budget for the period: the monthly budget prorated by the days of each month covered', () => {
  it('a whole month is the whole monthly budget, in any month length', () => {
    expect(budgetForPeriod(D('155.00'), monthPeriod('2026-10', 'Europe/Berlin')).toString()).toBe('155');
    expect(budgetForPeriod(D('290.00'), monthPeriod('2028-02', 'UTC')).toString()).toBe('290');
  });
  it('part of a month counts its days inclusive of both ends', () => {
    // 1–15 October: 15 of 31 days
    expect(budgetForPeriod(D('310.00'), makePeriod('2026-10-01', '2026-10-15', 'UTC')).toString()).toBe('150');
    // a single day is one day, not zero
    expect(budgetForPeriod(D('310.00'), makePeriod('2026-10-31', '2026-10-31', 'UTC')).toString()).toBe('10');
  });
  it('a period across two months takes each month at its own length', () => {
    // 20–31 October (12 of 31) + 1–10 November (10 of 30)
    expect(budgetForPeriod(D('310.00'), makePeriod('2026-10-20', '2026-11-10', 'UTC')).toString()).toBe(D('120').plus(D('103.3333')).toString());
  });
});
