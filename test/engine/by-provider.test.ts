/** The run per provider (issue 11): each figure of byProvider adds up over the providers to the run's. */
import { describe, expect, it } from 'vitest';
import type { AttributedRow, CrossCheckRow } from '../../src/engine/attribution.js';
import { providerBreakdown, providersOf } from '../../src/engine/by-provider.js';
import { buildCreditLedger } from '../../src/engine/ledger/index.js';
import type { PaymentRecord } from '../../src/model.js';
import { Decimal, sum } from '../../src/money.js';
import { addDays, makePeriod, monthPeriod, parseIsoInstant } from '../../src/time.js';
import { prng } from '../helpers.js';

const PROVIDERS = ['openai', 'anthropic'];

function generate(seed: number) {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const rows: AttributedRow[] = [];
  for (let i = 0; i < 80; i++) {
    const d = addDays('2026-10-01', int(31));
    rows.push({
      utcDay: d,
      localDate: d,
      provider: pick(PROVIDERS),
      organizationId: 'org-1',
      projectId: pick(['proj_X', null]),
      projectName: null,
      model: 'm',
      item: 'm',
      apiKeyId: pick(['key_1', 'key_2', null]),
      userId: null,
      amount: Decimal.of(BigInt(int(1_000_000) - 50_000), 6),
      currency: 'USD',
      basis: 'priced usage',
      reason: null,
    });
  }
  const cross: CrossCheckRow[] = PROVIDERS.flatMap((provider) =>
    Array.from({ length: 5 }, (_, i) => ({
      provider,
      utcDay: addDays('2026-10-01', i),
      localDate: addDays('2026-10-01', i),
      projectId: 'proj_X',
      model: 'm',
      billed: Decimal.ZERO,
      listPrice: null,
      variance: null,
      varianceRatio: null,
      inputTokens: int(100000),
      outputTokens: int(1000),
      usageRows: 1,
      flagged: false,
      cause: null,
    })),
  );
  const payments: PaymentRecord[] = Array.from({ length: 20 }, (_, i) => ({
    src: { file: 'p.csv', line: i + 2 },
    provider: pick(PROVIDERS),
    paidAt: parseIsoInstant(`2026-${pick(['09', '10', '11'])}-1${int(9)}T12:00:00Z`)!,
    reference: `R-${i}`,
    amount: Decimal.of(BigInt(1 + int(50000)), 2),
    currency: pick(['USD', 'usd', 'EUR']),
    status: pick(['paid', 'paid', 'failed'] as const),
    kind: 'manual' as const,
    organization: 'org-1',
    cardLast4: null,
    description: '',
  }));
  return { rows, cross, payments };
}

describe('byProvider', () => {
  it('law: billed, attributed, unallocated, tokens, payments and balance add up over the providers to the run’s totals', () => {
    const period = monthPeriod('2026-10', 'UTC');
    for (let seed = 1; seed <= 20; seed++) {
      const { rows, cross, payments } = generate(seed);
      const ledger = buildCreditLedger({
        timezone: 'UTC',
        period: makePeriod(period.from, period.to, 'UTC'),
        payments,
        usage: rows.map((r) => ({ provider: r.provider, organization: 'org-1', date: r.localDate, amount: r.amount })),
      });
      const t = providerBreakdown({ rows, crossCheck: cross, payments, period, ledger });
      expect(t.map((x) => x.provider)).toEqual(['openai', 'anthropic']);
      const all = (f: (x: (typeof t)[number]) => Decimal) => sum(t.map(f));
      expect(all((x) => x.billed).eq(sum(rows.map((r) => r.amount)))).toBe(true);
      expect(all((x) => x.unallocated).eq(sum(rows.filter((r) => r.apiKeyId === null).map((r) => r.amount)))).toBe(true);
      for (const x of t) expect(x.attributed.plus(x.unallocated).eq(x.billed)).toBe(true);
      expect(t.reduce((s, x) => s + x.inputTokens, 0)).toBe(cross.reduce((s, c) => s + c.inputTokens, 0));
      const paidIn = payments.filter((p) => p.status === 'paid' && p.paidAt >= period.utcStart && p.paidAt < period.utcEnd);
      for (const cur of ['EUR', 'USD']) {
        const mine = paidIn.filter((p) => p.currency.toUpperCase() === cur);
        const listed = t.flatMap((x) => x.payments.filter((p) => p.currency === cur));
        expect(listed.reduce((s, p) => s + p.count, 0)).toBe(mine.length);
        expect(sum(listed.map((p) => p.amount)).eq(sum(mine.map((p) => p.amount)))).toBe(true);
      }
      expect(all((x) => x.balance!).eq(sum(ledger.closing.map((c) => c.balance)))).toBe(true);
    }
  });

  it('a run naming no provider at all is the default provider’s, with zero figures and no balance without a ledger', () => {
    const input = { rows: [], crossCheck: [], payments: [], period: monthPeriod('2026-10', 'UTC'), ledger: null };
    expect(providersOf(input)).toEqual(['openai']);
    expect(providerBreakdown(input).map((x) => [x.provider, x.billed.toString(), x.balance])).toEqual([['openai', '0', null]]);
  });
});
