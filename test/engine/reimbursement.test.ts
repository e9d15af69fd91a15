import { describe, expect, it } from 'vitest';
import { defaultMatchOptions, matchPaymentsToCardLines, type MatchOptions, type MatchResult } from '../../src/engine/matching/index.js';
import {
  allocate,
  buildReimbursement,
  minorUnits,
  NO_COST_CENTRE,
  UNALLOCATED_PROJECT,
  UNKNOWN_CARDHOLDER,
  type AllocationBasisRow,
  type ReimbursementCharge,
  type ReimbursementInput,
  type ReimbursementResult,
} from '../../src/engine/reimbursement/index.js';
import type { CardLine, PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { prng } from '../helpers.js';
import { card, D, pay } from './match-helpers.js';

const TZ = 'America/New_York';
const PERIOD = { from: '2026-10-01', to: '2026-10-31', label: '2026-10', timezone: TZ };

function opts(more: Partial<MatchOptions> = {}): MatchOptions {
  return { ...defaultMatchOptions(TZ), ...more };
}

const cardholders = {
  '4242': { name: 'Dana Whitfield', costCenter: 'CC-410 Customer Care' },
  '4821': { name: 'Jonas Keller' },
};

const byProject = [
  { projectId: 'proj_b', projectName: 'Search', costCenter: 'CC-220', billed: D('1.00') },
  { projectId: 'proj_a', projectName: 'Support bot', costCenter: 'CC-410', billed: D('3.00') },
  { projectId: 'proj_zero', projectName: 'Idle', costCenter: null, billed: D('0') },
  { projectId: 'proj_credit', projectName: 'Credited', costCenter: null, billed: D('-0.50') },
];

/** A month of card lines covering every class the reimbursement treats differently. */
function scenario(): { payments: PaymentRecord[]; cardLines: CardLine[]; reconciliation: MatchResult } {
  const payments = [
    pay(2, '2026-10-02T15:00:00Z', '50.00', { reference: 'INV-0002', cardLast4: '4242' }),
    pay(3, '2026-10-05T15:00:00Z', '120.00', { reference: 'INV-0003', cardLast4: '4242', kind: 'invoice' }),
    pay(4, '2026-10-10T15:00:00Z', '20.00', { reference: 'SUB-0004', cardLast4: '4242', kind: 'subscription', description: 'ChatGPT Plus subscription' }),
    pay(5, '2026-10-12T15:00:00Z', '100.00', { reference: 'INV-0005' }),
    pay(6, '2026-10-14T15:00:00Z', '40.00', { reference: 'INV-0006', cardLast4: '4242', status: 'refunded' }),
    pay(7, '2026-10-22T15:00:00Z', '50.00', { reference: 'INV-0007', cardLast4: '4821' }),
  ];
  const cardLines = [
    card(10, '2026-10-02', '50.00', { cardLast4: '4242' }),
    card(11, '2026-10-05', '120.00', { cardLast4: '4242', description: 'OpenAI LLC' }),
    card(12, '2026-10-10', '20.00', { cardLast4: '4242', description: 'OPENAI *CHATGPT SUBSCR' }),
    card(13, '2026-10-12', '100.00', { cardLast4: '9999' }),
    card(14, '2026-10-02', '50.00', { cardLast4: '4242' }),
    card(15, '2026-10-20', '33.33', { cardLast4: '4242' }),
    card(16, '2026-10-30', '25.00', { cardLast4: '4242', status: 'pending' }),
    card(17, '2026-10-14', '40.00', { cardLast4: '4242' }),
    card(18, '2026-10-18', '-40.00', { cardLast4: '4242', description: 'OPENAI *API REFUND' }),
    card(19, '2026-09-28', '10.00', { cardLast4: '4242' }),
    card(20, '2026-10-22', '45.10', { file: 'eur.csv', currency: 'EUR', cardLast4: null }),
  ];
  const reconciliation = matchPaymentsToCardLines(payments, cardLines, opts({ fxRates: [{ from: 'USD', to: 'EUR', rate: D('0.9') }] }));
  return { payments, cardLines, reconciliation };
}

function input(more: Partial<ReimbursementInput> = {}): ReimbursementInput {
  const s = scenario();
  return { ...s, byProject, cardholders, homeCurrency: 'USD', period: PERIOD, ...more };
}

const allCharges = (r: ReimbursementResult): ReimbursementCharge[] => r.costCentres.flatMap((cc) => cc.cardholders.flatMap((h) => [...h.charges, ...h.subscriptions]));
const chargeAt = (r: ReimbursementResult, line: number, file = 'statement.csv'): ReimbursementCharge => {
  const hit = allCharges(r).filter((c) => c.src.line === line && c.src.file === file);
  expect(hit, `charge ${file}:${line}`).toHaveLength(1);
  return hit[0]!;
};
const str = (d: Decimal) => d.toString();
const total = (ds: Decimal[]) => ds.reduce((s, d) => s.plus(d), Decimal.ZERO);

describe('which card lines are claimed', () => {
  const r = buildReimbursement(input());
  const rec = scenario().reconciliation;
  const classOf = (line: number, file = 'statement.csv') => rec.classifications.find((c) => c.side === 'card' && c.src.line === line && c.src.file === file)!.class;

  it('the scenario has the classes the rules are about', () => {
    expect(classOf(10)).toBe('matched');
    expect(classOf(12)).toBe('subscription_not_api');
    expect(classOf(14)).toBe('duplicate_charge');
    expect(classOf(15)).toBe('unmatched_card_charge');
    expect(classOf(16)).toBe('pending_authorization');
    expect(classOf(17)).toBe('refund');
    expect(classOf(18)).toBe('refund');
    expect(['matched', 'matched_fx_difference']).toContain(classOf(20, 'eur.csv'));
  });

  it('claimed API charges, subscriptions and lines not claimed add up to every provider line of the statements', () => {
    for (const t of r.tieOut) {
      const lines = rec.card.lines.find((x) => x.currency === t.currency)!;
      expect(str(t.providerLines), t.currency).toBe(str(lines.total));
      expect(str(t.api.plus(t.subscriptions).plus(t.notClaimed)), t.currency).toBe(str(lines.total));
      expect(t.difference.isZero()).toBe(true);
    }
    // and the tie-out is the sum of what the groups and the not-claimed list hold
    const usd = r.tieOut.find((t) => t.currency === 'USD')!;
    const api = allCharges(r).filter((c) => c.section === 'api' && c.currency === 'USD');
    const subs = allCharges(r).filter((c) => c.section === 'subscription' && c.currency === 'USD');
    expect(str(total(api.map((c) => c.amount)))).toBe(str(usd.api));
    expect(str(total(subs.map((c) => c.amount)))).toBe(str(usd.subscriptions));
    expect(str(total(r.notClaimed.filter((l) => l.currency === 'USD').map((l) => l.amount)))).toBe(str(usd.notClaimed));
    // 50 + 120 + 100 (unknown card) + 50 (duplicate) + 33.33 (no receipt) + 40 − 40 (refunded, refund)
    expect(str(usd.api)).toBe('353.33');
  });

  it('pending lines and lines outside the period are not claimed, with the reason', () => {
    const pending = r.notClaimed.find((l) => l.src.line === 16)!;
    expect(pending.reason).toMatch(/pending/);
    const early = r.notClaimed.find((l) => l.src.line === 19)!;
    expect(early.reason).toMatch(/outside the period/);
    expect(allCharges(r).some((c) => c.src.line === 16 || c.src.line === 19)).toBe(false);
  });

  it('subscriptions are a separate section and never allocated to projects', () => {
    const sub = chargeAt(r, 12);
    expect(sub.section).toBe('subscription');
    expect(sub.shares).toEqual([]);
    const dana = r.costCentres.find((c) => c.costCentre === 'CC-410 Customer Care')!.cardholders[0]!;
    expect(dana.subscriptions.map((c) => c.src.line)).toEqual([12]);
    expect(dana.charges.some((c) => c.src.line === 12)).toBe(false);
    expect(str(dana.subscriptionTotals[0]!.amount)).toBe('20');
  });
});

describe('each charge: as charged, its receipt, its cardholder', () => {
  const r = buildReimbursement(input());

  it('the amount is the card line’s own, in its own currency; the receipt is the matched payment’s reference', () => {
    const c = chargeAt(r, 10);
    expect(str(c.amount)).toBe('50');
    expect(c.currency).toBe('USD');
    expect(c.receipt).toBe('INV-0002');
    expect(c.receipts).toEqual(['INV-0002']);
    expect(c.cardholder).toBe('Dana Whitfield');
    expect(c.costCentre).toBe('CC-410 Customer Care');
    expect(chargeAt(r, 11).receipt).toBe('INV-0003');
  });

  it('a card in another currency is shown as charged (not converted) and flagged', () => {
    const c = chargeAt(r, 20, 'eur.csv');
    expect(c.currency).toBe('EUR');
    expect(str(c.amount)).toBe('45.1');
    expect(c.receipt).toBe('INV-0007');
    expect(c.flags.map((f) => f.kind)).toContain('currency_not_home');
    // the card last4 comes from the matched payment when the statement has none
    expect(c.cardLast4).toBe('4821');
    expect(c.cardholder).toBe('Jonas Keller');
    expect(c.costCentre).toBe(NO_COST_CENTRE);
    const ex = r.exceptions.filter((e) => e.kind === 'currency_not_home');
    expect(ex).toHaveLength(1);
    expect(ex[0]!.currency).toBe('EUR');
    expect(str(ex[0]!.amount)).toBe('45.1');
  });

  it('an unknown card goes to the unknown cardholder, flagged, with one exception per card', () => {
    const c = chargeAt(r, 13);
    expect(c.cardholder).toBe(UNKNOWN_CARDHOLDER);
    expect(c.costCentre).toBe(NO_COST_CENTRE);
    expect(c.cardLast4).toBe('9999');
    expect(c.receipt).toBe('INV-0005');
    expect(c.flags.find((f) => f.kind === 'unknown_cardholder')!.label).toBe('Unknown card 9999');
    const ex = r.exceptions.filter((e) => e.kind === 'unknown_cardholder');
    expect(ex).toHaveLength(1);
    expect(ex[0]!.nextStep).toContain('"9999"');
  });

  it('a charge with no receipt is claimed and flagged; a duplicate charge is claimed and flagged as an error', () => {
    const none = chargeAt(r, 15);
    expect(none.section).toBe('api');
    expect(none.receipt).toBeNull();
    expect(none.flags.map((f) => f.kind)).toEqual(['no_receipt']);
    const dup = chargeAt(r, 14);
    expect(dup.flags.map((f) => f.kind)).toContain('duplicate_charge');
    expect(dup.receipt).toBeNull();
    expect(dup.flags[0]!.message).toContain('INV-0002');
    const kinds = r.exceptions.map((e) => `${e.severity}:${e.kind}:${e.src.line}`);
    expect(kinds).toContain('error:no_receipt:15');
    expect(kinds).toContain('error:duplicate_charge:14');
  });

  it('refunds are negative lines that reduce the cardholder’s total; the refunded charge stays claimed', () => {
    const refund = chargeAt(r, 18);
    expect(refund.amount.sign()).toBe(-1);
    expect(refund.section).toBe('api');
    expect(refund.receipt).toBe('INV-0006');
    expect(str(total(refund.shares.map((s) => s.amount)))).toBe('-40');
    expect(refund.shares.every((s) => s.amount.sign() <= 0)).toBe(true);
    const charge = chargeAt(r, 17);
    expect(str(charge.amount)).toBe('40');
    const dana = r.costCentres.find((c) => c.costCentre === 'CC-410 Customer Care')!.cardholders[0]!;
    const sum = total(dana.charges.map((c) => c.amount));
    expect(str(dana.apiTotals.find((t) => t.currency === 'USD')!.amount)).toBe(str(sum));
    // 50 + 120 + 50 (duplicate) + 33.33 + 40 − 40
    expect(str(sum)).toBe('253.33');
  });
});

describe('allocation to projects', () => {
  const r = buildReimbursement(input());

  it('splits by billed usage of projects with usage above zero, the shares adding up to the charge exactly', () => {
    expect(r.allocationBasis.map((b) => b.projectId)).toEqual(['proj_a', 'proj_b']);
    const c = chargeAt(r, 15); // 33.33 over 3:1
    expect(c.shares.map((s) => [s.projectId, str(s.amount)])).toEqual([
      ['proj_a', '25'],
      ['proj_b', '8.33'],
    ]);
    for (const ch of allCharges(r).filter((x) => x.section === 'api')) {
      expect(str(total(ch.shares.map((s) => s.amount))), `${ch.src.line}`).toBe(str(ch.amount));
    }
  });

  it('project totals are the sum of the shares, per currency', () => {
    const shares = allCharges(r).flatMap((c) => c.shares.map((s) => ({ ...s, currency: c.currency })));
    for (const p of r.projectTotals) {
      const mine = shares.filter((s) => s.projectId === p.projectId && s.currency === p.currency);
      expect(str(p.amount)).toBe(str(total(mine.map((s) => s.amount))));
    }
    const usd = r.projectTotals.filter((p) => p.currency === 'USD');
    expect(str(total(usd.map((p) => p.amount)))).toBe(str(r.apiTotals.find((t) => t.currency === 'USD')!.amount));
  });

  it('without billed usage every charge is one unallocated share, with the reason', () => {
    const none = buildReimbursement(input({ byProject: [] }));
    expect(none.unallocatedReason).toMatch(/no cost export/);
    for (const c of allCharges(none).filter((x) => x.section === 'api')) {
      expect(c.shares).toHaveLength(1);
      expect(c.shares[0]!.projectId).toBe(UNALLOCATED_PROJECT);
      expect(c.shares[0]!.reason).toMatch(/no billed usage/);
      expect(str(c.shares[0]!.amount)).toBe(str(c.amount));
    }
    const zero = buildReimbursement(input({ byProject: [byProject[2]!] }));
    expect(zero.unallocatedReason).toMatch(/no project has billed usage/);
  });

  it('rounds to the currency’s minor unit: JPY in whole yen, KWD in fils', () => {
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('krw')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(minorUnits('EUR')).toBe(2);
    const basis: AllocationBasisRow[] = [
      { provider: 'openai', projectId: 'a', projectName: null, projectCostCenter: null, billed: D('1'), weight: 1 / 3 },
      { provider: 'openai', projectId: 'b', projectName: null, projectCostCenter: null, billed: D('1'), weight: 1 / 3 },
      { provider: 'openai', projectId: 'c', projectName: null, projectCostCenter: null, billed: D('1'), weight: 1 / 3 },
    ];
    expect(allocate(D('1001'), 'JPY', basis, null).map((s) => str(s.amount))).toEqual(['334', '334', '333']);
    expect(allocate(D('10'), 'KWD', basis, null).map((s) => str(s.amount))).toEqual(['3.334', '3.333', '3.333']);
    expect(allocate(D('10'), 'USD', basis, null).map((s) => str(s.amount))).toEqual(['3.34', '3.33', '3.33']);
    // a JPY card end to end: whole yen, adding up
    const line = card(30, '2026-10-09', '15001', { currency: 'JPY', cardLast4: '4242' });
    const rec = matchPaymentsToCardLines([], [line], opts());
    const r2 = buildReimbursement({ reconciliation: rec, cardLines: [line], payments: [], byProject, cardholders, homeCurrency: 'JPY', period: PERIOD });
    const c = chargeAt(r2, 30);
    expect(c.shares.map((s) => str(s.amount))).toEqual(['11251', '3750']);
    expect(c.flags.map((f) => f.kind)).not.toContain('currency_not_home');
  });

  it('property: on random charges and weights the shares add up to each charge exactly, at the minor unit, each within one unit of its exact part', () => {
    const rnd = prng(20261031);
    const currencies = ['USD', 'EUR', 'JPY', 'KWD', 'CNY'];
    for (let round = 0; round < 40; round++) {
      const nProjects = 1 + Math.floor(rnd() * 6);
      const projects = Array.from({ length: nProjects }, (_, i) => ({
        projectId: `proj_${i}`,
        projectName: `P${i}`,
        costCenter: null,
        // usage billed at up to 10 decimals, some projects with none
        billed: rnd() < 0.2 ? Decimal.ZERO : Decimal.of(BigInt(Math.floor(rnd() * 1e10)), 10),
      }));
      const lines: CardLine[] = [];
      const nLines = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < nLines; i++) {
        const cur = currencies[Math.floor(rnd() * currencies.length)]!;
        const places = minorUnits(cur);
        const units = BigInt(Math.floor(rnd() * 10 ** (places + 4))) * (rnd() < 0.15 ? -1n : 1n);
        const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
        lines.push(card(100 + i, `2026-10-${day}`, Decimal.of(units === 0n ? 1n : units, places).toString(), { currency: cur, cardLast4: '4242' }));
      }
      const rec = matchPaymentsToCardLines([], lines, opts());
      const r2 = buildReimbursement({ reconciliation: rec, cardLines: lines, payments: [], byProject: projects, cardholders, homeCurrency: 'USD', period: PERIOD });
      const weights = r2.allocationBasis;
      const wSum = total(weights.map((w) => w.billed));
      for (const c of allCharges(r2)) {
        expect(str(total(c.shares.map((s) => s.amount))), `round ${round} line ${c.src.line}`).toBe(str(c.amount));
        for (const s of c.shares) {
          expect(s.amount.normalize().scale).toBeLessThanOrEqual(minorUnits(c.currency));
          if (weights.length === 0) continue;
          // |share − amount × w / Σw| < one minor unit
          const w = weights.find((x) => x.projectId === s.projectId)!.billed;
          const exactNum = c.amount.times(w); // share × Σw should be within one unit × Σw
          const unit = Decimal.of(1n, minorUnits(c.currency));
          expect(s.amount.times(wSum).minus(exactNum).abs().cmp(unit.times(wSum))).toBe(-1);
        }
      }
      for (const t of r2.tieOut) expect(t.difference.isZero()).toBe(true);
    }
  });
});

describe('deterministic', () => {
  it('the same inputs in another order give the same result', () => {
    const a = buildReimbursement(input());
    const s = scenario();
    const b = buildReimbursement({
      ...s,
      cardLines: [...s.cardLines].reverse(),
      payments: [...s.payments].reverse(),
      byProject: [...byProject].reverse(),
      cardholders,
      homeCurrency: 'usd',
      period: PERIOD,
    });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('groups: cost centres sorted with "(no cost centre)" last, fees after their charge, totals per currency', () => {
    const r = buildReimbursement(input());
    expect(r.costCentres.map((c) => c.costCentre)).toEqual(['CC-410 Customer Care', NO_COST_CENTRE]);
    const none = r.costCentres[1]!;
    expect(none.cardholders.map((h) => h.name)).toEqual(['Jonas Keller', UNKNOWN_CARDHOLDER]);
    expect(none.apiTotals.map((t) => t.currency)).toEqual(['USD', 'EUR']);
  });
});

describe('foreign-transaction fees', () => {
  it('a fee follows its parent charge: same cardholder and receipt, listed right after it, allocated', () => {
    const payments = [pay(2, '2026-10-03T15:00:00Z', '50.00', { reference: 'INV-FX', cardLast4: '4242' })];
    const lines = [
      card(5, '2026-10-03', '46.00', { currency: 'EUR', originalAmount: '50.00', originalCurrency: 'USD', cardLast4: '4242' }),
      card(6, '2026-10-03', '0.81', { currency: 'EUR', description: 'FOREIGN TRANSACTION FEE', cardLast4: '4242' }),
      card(7, '2026-10-01', '12.00', { currency: 'EUR', cardLast4: '4242' }),
    ];
    const rec = matchPaymentsToCardLines(payments, lines, opts());
    expect(rec.classifications.find((c) => c.side === 'card' && c.src.line === 6)!.class).toBe('fx_fee');
    const r = buildReimbursement({ reconciliation: rec, cardLines: lines, payments, byProject, cardholders, homeCurrency: 'EUR', period: PERIOD });
    const fee = chargeAt(r, 6);
    expect(fee.section).toBe('api');
    expect(fee.parent).toEqual({ file: 'statement.csv', line: 5 });
    expect(fee.receipt).toBe('INV-FX');
    expect(fee.flags.map((f) => f.label)).toContain('FX fee on line 5');
    expect(str(total(fee.shares.map((s) => s.amount)))).toBe('0.81');
    const order = r.costCentres[0]!.cardholders[0]!.charges.map((c) => c.src.line);
    expect(order).toEqual([7, 5, 6]);
  });
});

describe('money that left the card for nothing', () => {
  it('a posted charge for a failed top-up is claimed and flagged; a pending hold is not claimed', () => {
    const payments = [
      pay(2, '2026-10-03T15:00:00Z', '60.00', { reference: 'INV-F1', cardLast4: '4242', status: 'failed' }),
      pay(3, '2026-10-08T15:00:00Z', '70.00', { reference: 'INV-F2', cardLast4: '4242', status: 'failed' }),
    ];
    const lines = [card(5, '2026-10-03', '60.00', { cardLast4: '4242' }), card(6, '2026-10-08', '70.00', { cardLast4: '4242', status: 'pending' })];
    const rec = matchPaymentsToCardLines(payments, lines, opts());
    expect(rec.classifications.filter((c) => c.side === 'card').map((c) => c.class)).toEqual(['failed_payment_with_hold', 'failed_payment_with_hold']);
    const r = buildReimbursement({ reconciliation: rec, cardLines: lines, payments, byProject, cardholders, homeCurrency: 'USD', period: PERIOD });
    const posted = chargeAt(r, 5);
    expect(posted.flags.map((f) => f.kind)).toEqual(['failed_top_up_charged']);
    expect(posted.flags[0]!.message).toContain('INV-F1 (failed)');
    expect(posted.receipt).toBeNull();
    expect(r.exceptions.map((e) => e.kind)).toContain('failed_top_up_charged');
    expect(r.notClaimed.map((l) => l.src.line)).toEqual([6]);
  });

  it('a line repeated in an overlapping statement is claimed once', () => {
    const payments = [pay(2, '2026-10-03T15:00:00Z', '60.00', { reference: 'INV-1', cardLast4: '4242' })];
    const lines = [card(5, '2026-10-03', '60.00', { cardLast4: '4242', file: 'a.csv' }), card(5, '2026-10-03', '60.00', { cardLast4: '4242', file: 'b.csv' })];
    const rec = matchPaymentsToCardLines(payments, lines, opts());
    const r = buildReimbursement({ reconciliation: rec, cardLines: lines, payments, byProject, cardholders, homeCurrency: 'USD', period: PERIOD });
    expect(allCharges(r).map((c) => c.src.file)).toEqual(['a.csv']);
    expect(r.notClaimed.map((l) => [l.src.file, l.reason.startsWith('repeat of a.csv:5')])).toEqual([['b.csv', true]]);
    expect(str(r.tieOut[0]!.providerLines)).toBe('120');
    expect(r.tieOut[0]!.difference.isZero()).toBe(true);
  });
});

describe('two providers on one card (issue #11)', () => {
  const ANTHROPIC = 'ANTHROPIC ANTHROPIC.COM CA';
  function twoProviderMonth(usage: ReimbursementInput['byProject']): ReimbursementResult {
    const payments = [
      pay(2, '2026-10-02T15:00:00Z', '50.00', { reference: 'INV-0002', cardLast4: '4242' }),
      pay(3, '2026-10-03T15:00:00Z', '30.00', { reference: 'ANT-0003', cardLast4: '4242', provider: 'anthropic' }),
      pay(4, '2026-10-04T15:00:00Z', '20.00', { reference: 'CLA-0004', cardLast4: '4242', provider: 'anthropic', kind: 'subscription', description: 'Claude Pro' }),
    ];
    const cardLines = [
      card(10, '2026-10-02', '50.00', { cardLast4: '4242' }),
      card(11, '2026-10-03', '30.00', { cardLast4: '4242', description: ANTHROPIC }),
      card(12, '2026-10-04', '20.00', { cardLast4: '4242', description: 'CLAUDE.AI SUBSCRIPTION' }),
      card(13, '2026-10-06', '20.00', { cardLast4: '4242', description: 'OPENAI *CHATGPT SUBSCR' }),
    ];
    const reconciliation = matchPaymentsToCardLines(payments, cardLines, opts());
    return buildReimbursement({ reconciliation, payments, cardLines, byProject: usage, cardholders, homeCurrency: 'USD', period: PERIOD });
  }
  const usage = [
    { projectId: 'proj_a', projectName: 'Support bot', costCenter: 'CC-410', billed: D('3.00') },
    { projectId: 'proj_b', projectName: 'Search', costCenter: 'CC-220', billed: D('1.00'), provider: 'openai' },
    { provider: 'anthropic', projectId: 'wrkspc_x', projectName: 'Research', costCenter: 'CC-500', billed: D('2.00') },
    { provider: 'anthropic', projectId: 'wrkspc_y', projectName: 'Evals', costCenter: null, billed: D('6.00') },
  ];
  const split = (ch: ReimbursementCharge) => ch.shares.map((s) => `${s.projectId}=${str(s.amount)}`);

  it('each charge is split over its own provider’s projects only; plan charges of both providers are subscriptions', () => {
    const r = twoProviderMonth(usage);
    expect(split(chargeAt(r, 10))).toEqual(['proj_a=37.5', 'proj_b=12.5']);
    expect(split(chargeAt(r, 11))).toEqual(['wrkspc_x=7.5', 'wrkspc_y=22.5']);
    expect([10, 11, 12, 13].map((l) => [chargeAt(r, l).provider, chargeAt(r, l).section])).toEqual([
      ['openai', 'api'],
      ['anthropic', 'api'],
      ['anthropic', 'subscription'],
      ['openai', 'subscription'],
    ]);
    expect(r.allocationBasis.map((b) => `${b.provider}:${b.projectId}:${b.weight}`)).toEqual([
      'openai:proj_a:0.75',
      'openai:proj_b:0.25',
      'anthropic:wrkspc_x:0.25',
      'anthropic:wrkspc_y:0.75',
    ]);
    expect(r.projectTotals.map((t) => `${t.provider}:${t.projectId}=${str(t.amount)}`)).toEqual([
      'openai:proj_a=37.5',
      'openai:proj_b=12.5',
      'anthropic:wrkspc_x=7.5',
      'anthropic:wrkspc_y=22.5',
    ]);
    expect(r.tieOut.map((t) => str(t.difference))).toEqual(['0']);
    expect(r.rules.some((x) => x.includes('ChatGPT, Claude.ai'))).toBe(true);
  });

  it('a provider with no usage leaves its charges unallocated, saying whose projects were missing; the other is still split', () => {
    const r = twoProviderMonth(usage.filter((u) => u.provider !== 'anthropic'));
    expect(split(chargeAt(r, 10))).toEqual(['proj_a=37.5', 'proj_b=12.5']);
    expect(chargeAt(r, 11).shares).toEqual([
      {
        projectId: UNALLOCATED_PROJECT,
        projectName: null,
        projectCostCenter: null,
        amount: D('30.00'),
        reason: "no billed usage of Anthropic's workspaces in the period to allocate by",
      },
    ]);
    expect(r.unallocatedReason).toBeNull();
  });
});
