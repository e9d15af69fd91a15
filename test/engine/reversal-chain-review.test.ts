/**
 * Review of reversalCost (engine/matching/signals.ts): a chain of equal holds, each released
 * the same number of days later, must pair every hold with its own reversal whatever that lag
 * within the reversal window — not only within its first half. Past the half a cost falling
 * with the lag still makes shifting the chain cheaper than pairing it, at the price of its first
 * holds and last reversals.
 */
import { describe, expect, it } from 'vitest';
import { defaultMatchOptions, type LineClassification, type MatchOptions, type MatchResult, matchPaymentsToCardLines } from '../../src/engine/matching/index.js';
import type { CardLine, PaymentRecord } from '../../src/model.js';
import { card, pay } from './match-helpers.js';

const opts = (more: Partial<MatchOptions> = {}): MatchOptions => ({ ...defaultMatchOptions('America/New_York'), ...more });
const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}`;

function cls(r: MatchResult, side: 'card' | 'payment', line: number): LineClassification {
  const hit = r.classifications.filter((c) => c.side === side && c.src.line === line);
  expect(hit, `${side} line ${line}`).toHaveLength(1);
  return hit[0]!;
}

/** Holds every `every` days from day 1, each reversed `lag` days later; failed auto-recharges behind each hold. */
function chain(holds: number, every: number, lag: number): MatchResult {
  const pays: PaymentRecord[] = [];
  const lines: CardLine[] = [];
  for (let k = 0; k < holds; k++) {
    const d = 1 + every * k;
    pays.push(pay(2 + k, `${day(d)}T12:00:00Z`, '50.00', { status: 'failed', kind: 'auto_recharge' }));
    lines.push(card(100 + k, day(d), '50.00', { status: 'pending' }), card(200 + k, day(d + lag), '-50.00'));
  }
  return matchPaymentsToCardLines(pays, lines, opts());
}

describe('a chain of equal holds pairs each hold with its own reversal', () => {
  const win = defaultMatchOptions('America/New_York').reversalWindowDays;
  for (const lag of [2, Math.floor(win / 2) + 1, win - 3, win]) {
    it(`holds every 2 days, each released ${lag} days later (window ${win})`, () => {
      const holds = Math.floor((30 - lag - 1) / 2) + 1;
      const r = chain(holds, 2, lag);
      const wrong: string[] = [];
      for (let k = 0; k < holds; k++) {
        const c = cls(r, 'card', 100 + k);
        const to = c.counterparts.filter((x) => x.side === 'card').map((x) => x.line);
        if (c.class !== 'authorization_reversed' || to.join() !== String(200 + k)) wrong.push(`hold ${k}: ${c.class} → ${to.join() || 'none'}`);
      }
      expect(wrong).toEqual([]);
    });
  }
});
