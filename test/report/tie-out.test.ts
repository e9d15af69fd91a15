import { describe, expect, it } from 'vitest';
import { defaultMatchOptions, matchPaymentsToCardLines } from '../../src/engine/matching/index.js';
import type { CardLine, PaymentRecord } from '../../src/model.js';
import { Decimal, sum } from '../../src/money.js';
import { bridgeKeys, cardPaymentBridges } from '../../src/report/tie-out.js';
import { prng } from '../helpers.js';
import { card, D, pay } from '../engine/match-helpers.js';

const opts = () => defaultMatchOptions('America/New_York');

/** A month with top-ups paid from a USD and a CNY card (a pair across currencies), refunds, holds, repeats and noise. */
function month(seed: number): { payments: PaymentRecord[]; lines: CardLine[] } {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const day = () => `2026-10-${String(1 + Math.floor(rnd() * 27)).padStart(2, '0')}`;
  const payments: PaymentRecord[] = [];
  const lines: CardLine[] = [];
  for (let i = 0; i < 1 + Math.floor(rnd() * 10); i++) {
    const d = day();
    const amount = pick(['10.00', '20.00', '50.00', '100.00', '12.34']);
    const p = pay(i + 2, `${d}T10:30:00Z`, amount, { status: pick(['paid', 'paid', 'paid', 'failed', 'refunded'] as const), reference: `R${seed}-${i}` });
    payments.push(p);
    if (rnd() < 0.25) {
      // paid from the CNY card: the bank's rate is in the line's original amount
      lines.push(
        card(100 + lines.length, d, D(amount).times(D('7.2611')).round(2).toString(), { file: 'cny.csv', currency: 'CNY', originalAmount: amount, ...{ originalCurrency: 'USD' } }),
      );
    } else if (rnd() < 0.85) {
      lines.push(card(100 + lines.length, d, amount, { file: 'usd.csv', status: pick(['posted', 'posted', 'pending', 'reversed'] as const) }));
      if (rnd() < 0.15) lines.push(card(100 + lines.length, d, `-${amount}`, { file: 'usd.csv' }));
      if (rnd() < 0.15) lines.push(card(100 + lines.length, d, amount, { file: 'usd.csv' }));
    }
  }
  for (let i = 0; i < Math.floor(rnd() * 4); i++) {
    lines.push(
      card(100 + lines.length, day(), pick(['9.99', '30.00']), {
        file: pick(['usd.csv', 'cny.csv']),
        currency: pick(['USD', 'CNY']),
        description: pick(['OPENAI *API', 'OPENAI *CHATGPT SUBSCR', 'UBER TRIP']),
      }),
    );
  }
  return { payments, lines };
}

describe('the card → payments bridge', () => {
  it('ends at 0 in every currency and puts every counted line on exactly one line (random months, seeded)', () => {
    let pairsSeen = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const { payments, lines } = month(seed);
      const r = matchPaymentsToCardLines(payments, lines, opts());
      const bridges = cardPaymentBridges(r);
      const keys = bridgeKeys(r);
      const counted = r.classifications.filter((c) => c.counted);
      expect(keys.size, `seed ${seed}`).toBe(counted.length);
      for (const b of bridges) {
        expect(b.difference.toString(), `seed ${seed} ${b.currency}`).toBe('0');
        // the bridge's own arithmetic, recomputed from the lines shown
        expect(b.cardTotal.plus(sum(b.lines.map((l) => l.paymentAmount.minus(l.cardAmount)))).eq(b.paymentTotal)).toBe(true);
        const mine = counted.filter((c) => c.currency === b.currency);
        expect(sum(b.lines.map((l) => l.cardAmount)).eq(sum(mine.filter((c) => c.side === 'card').map((c) => c.amount)))).toBe(true);
        expect(b.lines.reduce((n, l) => n + l.cardCount + l.paymentCount, 0)).toBe(mine.length);
        pairsSeen += b.lines.filter((l) => l.key.startsWith('pair ')).length;
      }
      // no currency of a counted line is missing a bridge
      expect(new Set(bridges.map((b) => b.currency))).toEqual(new Set(counted.map((c) => c.currency)));
    }
    // the generator reaches pairs across currencies, so their lines are checked too
    expect(pairsSeen).toBeGreaterThan(10);
  });

  it('shows a pair across currencies on its own line in both currencies, not inside the class tables', () => {
    const payments = [pay(2, '2026-10-05T10:00:00Z', '20.00', { reference: 'INV-1' }), pay(3, '2026-10-06T10:00:00Z', '50.00', { reference: 'INV-2' })];
    const lines = [
      card(4, '2026-10-05', '145.22', { file: 'cmb.csv', currency: 'CNY', originalAmount: '20.00', originalCurrency: 'USD' }),
      card(5, '2026-10-06', '50.00', { file: 'us.csv' }),
    ];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    const [cny, usd] = cardPaymentBridges(r);
    expect(cny!.currency).toBe('CNY');
    expect(cny!.lines.map((l) => [l.key, l.step.toString()])).toEqual([['pair cmb.csv:4', '-145.22']]);
    expect(usd!.lines.map((l) => [l.key, l.step.toString()])).toEqual([
      ['matched', '0'],
      ['pair cmb.csv:4', '20'],
    ]);
    expect(usd!.lines[1]!.label).toContain('145.22 CNY (card line cmb.csv:4)');
    expect(usd!.cardTotal.toString()).toBe('50');
    expect(usd!.paymentTotal.toString()).toBe('70');
    expect(usd!.difference.eq(Decimal.ZERO)).toBe(true);
  });
});
