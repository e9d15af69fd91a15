/** Matching with two providers on one card (issue #11): which provider a line is, and never pairing across providers. */
import { describe, expect, it } from 'vitest';
import {
  defaultMatchOptions,
  matchPaymentsToCardLines,
  parseMatchingConfig,
  parseMatchOverrides,
  type LineClassification,
  type MatchOptions,
  type MatchResult,
} from '../../src/engine/matching/index.js';
import { card, pay } from './match-helpers.js';

const opts = (more: Partial<MatchOptions> = {}): MatchOptions => ({ ...defaultMatchOptions('UTC'), ...more });
const ANTHROPIC_API = 'ANTHROPIC ANTHROPIC.COM CA';
const CLAUDE_PLAN = 'CLAUDE.AI SUBSCRIPTION ANTHROPIC.COM CA';
const anthropicPay = (line: number, at: string, amount: string, more: Parameters<typeof pay>[3] = {}) =>
  pay(line, at, amount, { provider: 'anthropic', description: 'Claude API credit purchase', ...more });

function row(r: MatchResult, side: 'card' | 'payment', line: number): LineClassification {
  const hit = r.classifications.filter((c) => c.side === side && c.src.line === line);
  expect(hit, `${side} line ${line}`).toHaveLength(1);
  return hit[0]!;
}
const refs = (c: LineClassification) => c.counterparts.map((x) => `${x.side}:${x.file}:${x.line}`).sort();

describe('which provider a card line belongs to', () => {
  it('each provider by its own descriptors; plan lines are that provider’s plan; other merchants are left out', () => {
    const lines = [
      card(2, '2026-03-02', '20.00', { description: 'OPENAI *CHATGPT SUBSCR OPENAI.COM CA' }),
      card(3, '2026-03-03', '50.00', { description: ANTHROPIC_API }),
      card(4, '2026-03-04', '20.00', { description: CLAUDE_PLAN }),
      card(5, '2026-03-05', '100.00', { description: 'ANTHROPIC*MAX SAN FRANCISCO' }),
      card(6, '2026-03-06', '9.99', { description: 'SPOTIFY P0123' }),
    ];
    const r = matchPaymentsToCardLines([], lines, opts());
    expect([2, 3, 4, 5].map((l) => [row(r, 'card', l).provider, row(r, 'card', l).class])).toEqual([
      ['openai', 'subscription_not_api'],
      ['anthropic', 'unmatched_card_charge'],
      ['anthropic', 'subscription_not_api'],
      ['anthropic', 'subscription_not_api'],
    ]);
    expect(r.leftOut.count).toBe(1);
    expect(row(r, 'card', 4).reason).toMatch(/^Claude\.ai plan charge \(descriptor\), not API credit/);
    expect(row(r, 'card', 2).reason).toMatch(/^ChatGPT plan charge \(descriptor\), not API credit/);
    expect(r.exceptions.find((e) => e.refs[0]?.line === 4)?.message).toBe('a Claude.ai plan was charged on the card used for API credit');
  });

  it('a description matching two providers goes to the longer match; an exact tie is taken as the first provider’s, with a note', () => {
    const lines = [
      card(2, '2026-03-02', '20.00', { description: 'CLAUDE.AI SUBSCRIPTION VIA OPENAI' }),
      card(3, '2026-03-03', '30.00', { description: 'CLAUDE*CHATGPT' }), // "CLAUDE*" and "CHATGPT": 7 characters each
    ];
    const r = matchPaymentsToCardLines([], lines, opts());
    expect(row(r, 'card', 2).provider).toBe('anthropic');
    expect(row(r, 'card', 3).provider).toBe('openai');
    expect(row(r, 'card', 3).reason).toContain("the description matches the patterns of OpenAI and Anthropic equally; taken as OpenAI's");
  });

  it('config: the top-level lists stay the default provider’s; matching.providers.<id> replaces one provider’s; JSON paths in errors', () => {
    const parsed = parseMatchingConfig({ descriptorPatterns: ['ACME AI'], providers: { anthropic: { descriptorPatterns: ['CLAUDE CORP'] } } }, 'UTC');
    if (!parsed.ok) throw new Error(parsed.errors.join());
    const lines = [
      card(2, '2026-03-02', '10.00', { description: 'ACME AI' }),
      card(3, '2026-03-03', '11.00', { description: 'CLAUDE CORP' }),
      card(4, '2026-03-04', '12.00', { description: ANTHROPIC_API }),
      card(5, '2026-03-05', '13.00', { description: 'OPENAI *API' }),
    ];
    const r = matchPaymentsToCardLines([], lines, parsed.options);
    expect([2, 3].map((l) => row(r, 'card', l).provider)).toEqual(['openai', 'anthropic']);
    // the Claude.ai plan patterns still apply, the replaced descriptors and OpenAI's defaults do not
    expect(r.leftOut.count).toBe(2);
    const bad = parseMatchingConfig({ descriptorPatterns: ['X'], providers: { acme: {}, openai: { descriptorPatterns: ['/(/'] } } }, 'UTC');
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.errors).toEqual([
        expect.stringMatching(/^matching\.providers\.openai\.descriptorPatterns\[0\]: not a valid pattern/),
        'matching.providers: Unrecognized key: "acme"',
      ]);
    const twice = parseMatchingConfig({ descriptorPatterns: ['X'], providers: { openai: { descriptorPatterns: ['Y'] } } }, 'UTC');
    expect(twice).toEqual({ ok: false, errors: ['matching.providers.openai.descriptorPatterns: also given as matching.descriptorPatterns; give one of them'] });
  });
});

describe('never pairing across providers', () => {
  it('a cross-provider near-miss (same day, same amount) stays two unmatched rows, each saying why', () => {
    const payments = [pay(2, '2026-03-10T15:00:00Z', '50.00')];
    const lines = [card(7, '2026-03-10', '50.00', { description: ANTHROPIC_API })];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    const p = row(r, 'payment', 2);
    const c = row(r, 'card', 7);
    expect([p.class, c.class]).toEqual(['unmatched_payment', 'unmatched_card_charge']);
    expect([p.provider, c.provider]).toEqual(['openai', 'anthropic']);
    const why = "the card line is Anthropic's (descriptor) and the payment is OpenAI's: two providers are never paired";
    expect(p.reason).toContain(`nearest candidate statement.csv:7 was rejected: ${why}`);
    expect(c.reason).toContain(`nearest candidate payments.csv:2 was rejected: ${why}`);
    expect(r.exceptions.map((e) => `${e.class}: ${e.message}`).sort()).toEqual([
      "unmatched_card_charge: card charge to the provider not explained by any payment; the nearest candidate, payments.csv:2, is OpenAI's and two providers are never paired",
      "unmatched_payment: payment not found on the card statements; the nearest candidate, statement.csv:7, is Anthropic's and two providers are never paired",
    ]);
  });

  it('with both providers’ top-ups of one amount a day apart, each pairs with its own provider’s line, not the other’s on its day', () => {
    // each top-up's own line is a day away, the other provider's is on its day: a provider-blind pairing would cross them
    const payments = [pay(2, '2026-03-10T09:00:00Z', '50.00'), anthropicPay(3, '2026-03-11T10:00:00Z', '50.00')];
    const lines = [card(4, '2026-03-10', '50.00', { description: ANTHROPIC_API, file: 'a.csv' }), card(5, '2026-03-11', '50.00', { file: 'b.csv' })];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    expect(row(r, 'payment', 2).class).toBe('matched');
    expect(refs(row(r, 'payment', 2))).toEqual(['card:b.csv:5']);
    expect(refs(row(r, 'payment', 3))).toEqual(['card:a.csv:4']);
    expect(r.exceptions).toEqual([]);
  });

  it('an Anthropic top-up matches its Anthropic card line, and a second Anthropic line that day is a duplicate of it, never of the OpenAI one', () => {
    const payments = [pay(2, '2026-03-10T09:00:00Z', '25.00'), anthropicPay(3, '2026-03-10T10:00:00Z', '25.00')];
    const lines = [card(4, '2026-03-10', '25.00'), card(5, '2026-03-10', '25.00', { description: ANTHROPIC_API }), card(6, '2026-03-10', '25.00', { description: ANTHROPIC_API })];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    expect(refs(row(r, 'payment', 3))).toEqual(['card:statement.csv:5']);
    expect(row(r, 'card', 6).class).toBe('duplicate_charge');
    expect(refs(row(r, 'card', 6))).toEqual(['card:statement.csv:5', 'payment:payments.csv:3']);
  });

  it('a duplicate needs an anchor of its own provider: an Anthropic line next to a matched OpenAI charge is unmatched', () => {
    const payments = [pay(2, '2026-03-10T09:00:00Z', '25.00')];
    const lines = [card(4, '2026-03-10', '25.00'), card(5, '2026-03-10', '25.00', { description: ANTHROPIC_API })];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    expect(row(r, 'card', 5).class).toBe('unmatched_card_charge');
  });

  it('a Claude.ai plan charge is a subscription with its subscription payment, never the API credit of an Anthropic top-up', () => {
    const sub = anthropicPay(3, '2026-03-12T08:00:00Z', '20.00', { kind: 'subscription', description: 'Claude Pro' });
    const lines = [card(5, '2026-03-12', '20.00', { description: CLAUDE_PLAN })];
    const withSub = matchPaymentsToCardLines([sub], lines, opts());
    expect([row(withSub, 'card', 5).class, row(withSub, 'payment', 3).class]).toEqual(['subscription_not_api', 'subscription_not_api']);
    expect(refs(row(withSub, 'card', 5))).toEqual(['payment:payments.csv:3']);
    expect(row(withSub, 'card', 5).reason).toMatch(/^Claude\.ai plan charge, not API credit: payment/);
    const topUp = anthropicPay(3, '2026-03-12T08:00:00Z', '20.00');
    const without = matchPaymentsToCardLines([topUp], lines, opts());
    expect(row(without, 'card', 5).class).toBe('subscription_not_api');
    expect(row(without, 'card', 5).counterparts).toEqual([]);
    expect(row(without, 'payment', 3).class).toBe('unmatched_payment');
    expect(row(without, 'payment', 3).reason).toContain('the card line is a Claude.ai plan charge and the payment is API credit');
  });

  it('refunds, reversals and pending → posted stay within one provider', () => {
    const payments = [anthropicPay(2, '2026-03-01T09:00:00Z', '40.00', { status: 'refunded' })];
    const lines = [
      card(3, '2026-03-20', '-40.00'), // an OpenAI credit: not the Anthropic refund
      card(4, '2026-03-05', '30.00', { status: 'pending', description: ANTHROPIC_API, file: 'early.csv' }),
      card(5, '2026-03-06', '30.00', { file: 'late.csv' }), // OpenAI, posted: not the Anthropic pending line
      card(6, '2026-03-07', '-30.00'), // an OpenAI reversal: not of the Anthropic authorisation
    ];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    expect(row(r, 'payment', 2).counterparts).toEqual([]);
    expect(row(r, 'card', 3).counterparts.some((x) => x.side === 'payment')).toBe(false);
    expect(row(r, 'card', 4).class).toBe('pending_authorization');
    expect(row(r, 'card', 4).counterparts).toEqual([]);
    expect(row(r, 'card', 6).counterparts.some((x) => x.line === 4)).toBe(false);
  });

  it('a bank fee line goes with its parent charge and reports the parent’s provider', () => {
    const payments = [anthropicPay(2, '2026-03-10T09:00:00Z', '100.00', { currency: 'USD' })];
    const lines = [
      card(3, '2026-03-10', '92.00', { description: ANTHROPIC_API, currency: 'EUR', originalAmount: '100.00', originalCurrency: 'USD' }),
      card(4, '2026-03-10', '2.76', { description: 'FOREIGN TRANSACTION FEE', currency: 'EUR' }),
    ];
    const r = matchPaymentsToCardLines(payments, lines, opts());
    expect(row(r, 'card', 4).class).toBe('fx_fee');
    expect(row(r, 'card', 4).provider).toBe('anthropic');
  });

  it('a reviewer cannot force a pair across providers: the override is reported, not applied', () => {
    const payments = [pay(2, '2026-03-10T15:00:00Z', '50.00')];
    const lines = [card(7, '2026-03-10', '50.00', { description: ANTHROPIC_API })];
    const ov = parseMatchOverrides({ force: [{ payment: { file: 'payments.csv', line: 2 }, card: { file: 'statement.csv', line: 7 } }] });
    if (!ov.ok) throw new Error(ov.errors.join());
    const r = matchPaymentsToCardLines(payments, lines, opts(), ov.overrides);
    expect(row(r, 'card', 7).class).toBe('unmatched_card_charge');
    expect(r.overrides.problems).toEqual(["overrides force[0]: the payment is OpenAI's and the card line Anthropic's; two providers are never paired; the force was not applied"]);
  });
});
