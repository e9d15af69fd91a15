import { describe, expect, it } from 'vitest';
import { checkConservation, conservationExceptions } from '../../src/engine/conservation.js';
import { tally } from '../../src/engine/money-accounts.js';
import type { InputFileReport } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { emptyReport } from '../../src/stages/fates.js';

const D = Decimal.from;

function file(name: string, kind: InputFileReport['kind'], rows: Partial<InputFileReport> = {}): InputFileReport {
  return { ...emptyReport(name, kind, 'x', 'x'), encoding: 'utf-8', ...rows };
}

describe('conservation (issue 8)', () => {
  it('holds when every cent read has one fate, and every table adds up', () => {
    const f = file('cost.csv', 'costs', { rowsRead: 3, rowsUsed: 2, rowsRejected: 1 });
    for (const a of ['1.25', '2.50', '0.10']) tally(f.money, 'USD', 'read', D(a));
    tally(f.money, 'USD', 'used', D('1.25'));
    tally(f.money, 'USD', 'used', D('2.50'));
    tally(f.money, 'USD', 'rejected', D('0.10'));
    const c = checkConservation({
      inputs: [f],
      currency: 'USD',
      attribution: { rows: [{ amount: D('3.00') }, { amount: D('0.75') }], splitCut: Decimal.ZERO, tables: [{ name: 'By project', values: [D('3.75')] }] },
      reconciliation: null,
    });
    expect(c.holds).toBe(true);
    expect(conservationExceptions(c)).toEqual([]);
  });

  it('a cent that went nowhere breaks its equation, as an error with the difference', () => {
    const f = file('cost.csv', 'costs', { rowsRead: 2, rowsUsed: 2 });
    tally(f.money, 'USD', 'read', D('1.25'));
    tally(f.money, 'USD', 'read', D('2.50'));
    tally(f.money, 'USD', 'used', D('1.25'));
    tally(f.money, 'USD', 'used', D('2.49'));
    const c = checkConservation({
      inputs: [f],
      currency: 'USD',
      attribution: { rows: [{ amount: D('3.74') }], splitCut: Decimal.ZERO, tables: [{ name: 'Daily', values: [D('3.73')] }] },
      reconciliation: null,
    });
    expect(c.holds).toBe(false);
    const ex = conservationExceptions(c);
    expect(ex.map((e) => [e.class, e.severity, e.subject, e.amount?.toString()])).toEqual([
      ['conservation_broken', 'error', 'cost.csv', '0.01'],
      ['conservation_broken', 'error', 'cost.csv', '0.01'],
      ['conservation_broken', 'error', 'the whole run', '-0.01'],
    ]);
    expect(ex[0]!.message).toMatch(/read 3\.75 ≠ 3\.74/);
  });

  it('a lost charge and a lost refund of the same size do not cancel out', () => {
    const f = file('card.csv', 'statement', { rowsRead: 3, rowsUsed: 3 });
    for (const a of ['10.00', '-10.00', '5.00']) tally(f.money, 'USD', 'read', D(a));
    tally(f.money, 'USD', 'used', D('5.00'));
    const c = checkConservation({ inputs: [f], currency: 'USD', attribution: null, reconciliation: null });
    const money = c.equations.filter((e) => e.currency === 'USD');
    expect(money.map((e) => [e.name, e.holds])).toEqual([
      ['money read = money accounted for', true],
      ['magnitudes read = magnitudes accounted for', false],
    ]);
  });

  it("row counts: a row with no fate breaks the file's row equation", () => {
    const f = file('usage.csv', 'usage', { rowsRead: 10, rowsUsed: 6, emptyBuckets: 2, duplicates: 1 });
    const c = checkConservation({ inputs: [f], currency: 'USD', attribution: null, reconciliation: null });
    expect(c.equations[0]).toMatchObject({ name: 'rows read = rows accounted for', holds: false });
  });
});

describe('conservation per provider (issue 11)', () => {
  const rows = [
    { amount: D('3.00'), provider: 'openai' },
    { amount: D('0.75'), provider: 'anthropic' },
  ];
  const run = (values: string[], providers: string[]) =>
    checkConservation({
      inputs: [],
      currency: 'USD',
      attribution: { rows, splitCut: Decimal.ZERO, tables: [{ name: 'By project', values: values.map(D), providers }] },
      reconciliation: null,
    });

  it('where providers meet, each table adds up per provider as well', () => {
    const c = run(['3.00', '0.75'], ['openai', 'anthropic']);
    const tables = c.equations.filter((e) => e.name.startsWith('By project'));
    expect(tables.every((e) => e.holds)).toBe(true);
    expect(tables.map((e) => e.name)).toEqual([
      'By project adds up to the attributed total',
      'By project (Anthropic) adds up to its attributed total',
      'By project (OpenAI) adds up to its attributed total',
    ]);
  });

  it('money moved from one provider to another breaks the per-provider equations, though the total still adds up', () => {
    const c = run(['3.25', '0.50'], ['openai', 'anthropic']);
    expect(c.equations.filter((e) => !e.holds && e.name.startsWith('By project')).map((e) => e.name)).toEqual([
      'By project (Anthropic) adds up to its attributed total',
      'By project (OpenAI) adds up to its attributed total',
    ]);
  });

  it('a one-provider run has no per-provider equations', () => {
    const one = checkConservation({
      inputs: [],
      currency: 'USD',
      attribution: { rows: [{ amount: D('1'), provider: 'openai' }], splitCut: Decimal.ZERO, tables: [{ name: 'Daily', values: [D('1')], providers: ['openai'] }] },
      reconciliation: null,
    });
    expect(one.equations).toHaveLength(2);
  });
});
