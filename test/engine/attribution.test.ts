import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { attributeSpend, type AttributedRow } from '../../src/engine/attribution.js';
import { PriceTable } from '../../src/engine/prices.js';
import { summarise, usageTokensByModel } from '../../src/engine/summaries.js';
import { UsageAggregator } from '../../src/engine/usage.js';
import type { CostRecord, UsageRecord } from '../../src/model.js';
import { Decimal, sum } from '../../src/money.js';
import { runReport } from '../../src/pipeline.js';
import { monthPeriod } from '../../src/time.js';
import { prng } from '../helpers.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures');
const D = Decimal.from;
const DAY = 86400;
const T0 = Date.parse('2026-10-01T00:00:00Z') / 1000;

function cost(p: Partial<CostRecord> & { amount: Decimal; day: number }): CostRecord {
  const { day, ...rest } = p;
  return {
    src: { file: 'cost.csv', line: 2 + day },
    provider: 'openai',
    start: T0 + day * DAY,
    end: T0 + (day + 1) * DAY,
    currency: 'USD',
    quantity: null,
    quantityUnit: null,
    lineItemRaw: 'gpt-4o-mini-2024-07-18, input',
    lineItem: { surface: null, model: 'gpt-4o-mini-2024-07-18', modality: null, tokenKind: 'input', longContext: false },
    projectId: 'proj_A',
    projectName: 'A',
    organizationId: 'org-1',
    organizationName: null,
    apiKeyId: null,
    userId: null,
    userEmail: null,
    ...rest,
  };
}

function usage(p: Partial<UsageRecord> & { day: number; hour?: number }): UsageRecord {
  const { day, hour = 0, ...rest } = p;
  const start = T0 + day * DAY + hour * 3600;
  return {
    provider: 'openai',
    src: { file: 'usage.csv', line: 2 },
    start,
    end: start + 3600,
    projectId: 'proj_A',
    userId: null,
    apiKeyId: 'key_1',
    model: 'gpt-4o-mini-2024-07-18',
    batch: false,
    serviceTier: 'default',
    requests: 1,
    inputTokens: 1000,
    outputTokens: 100,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    other: null,
    ...rest,
  };
}

function run(costs: CostRecord[], usages: UsageRecord[], tz = 'UTC', splitDays = false) {
  const agg = new UsageAggregator(splitDays);
  for (const u of usages) agg.add(u);
  return attributeSpend({ costs, usage: agg.finish(PriceTable.load()), timezone: tz, currency: 'USD', tolerancePercent: D('10'), toleranceAbsolute: D('0.05'), splitDays });
}

const total = (rows: AttributedRow[]) => sum(rows.map((r) => r.amount));

describe('attribution (SPEC §4.1)', () => {
  it('splits a billed amount over keys in proportion to list-priced usage', () => {
    const r = run(
      [cost({ day: 0, amount: D('0.90') })],
      [usage({ day: 0, apiKeyId: 'key_1', inputTokens: 2_000_000, outputTokens: 0 }), usage({ day: 0, apiKeyId: 'key_2', inputTokens: 1_000_000, outputTokens: 0 })],
    );
    const byKey = Object.fromEntries(r.rows.map((x) => [x.apiKeyId, x.amount.toString()]));
    expect(byKey).toEqual({ key_1: '0.6', key_2: '0.3' });
    expect(r.rows.every((x) => x.basis === 'priced usage')).toBe(true);
  });

  it('weights by price, not by raw tokens: output tokens cost 4× input for gpt-4o-mini', () => {
    const r = run(
      [cost({ day: 0, amount: D('1.00') })],
      [usage({ day: 0, apiKeyId: 'key_in', inputTokens: 1_000_000, outputTokens: 0 }), usage({ day: 0, apiKeyId: 'key_out', inputTokens: 0, outputTokens: 1_000_000 })],
    );
    const byKey = Object.fromEntries(r.rows.map((x) => [x.apiKeyId, x.amount.toString()]));
    expect(byKey).toEqual({ key_in: '0.2', key_out: '0.8' });
  });

  it('puts what usage cannot explain on an unallocated row with the reason', () => {
    const r = run(
      [
        cost({ day: 0, amount: D('0.25'), lineItemRaw: 'web search tool calls', lineItem: null }),
        cost({ day: 1, amount: D('0.40') }),
        cost({ day: 2, amount: D('0.10'), projectId: null, lineItemRaw: null, lineItem: null }),
      ],
      [usage({ day: 0 })],
    );
    const unalloc = r.rows.filter((x) => x.basis === 'unallocated');
    expect(unalloc.map((x) => x.reason)).toEqual([
      expect.stringMatching(/names no model/),
      expect.stringMatching(/no usage rows/),
      expect.stringMatching(/not grouped by project/),
    ]);
    expect(total(r.rows).toString()).toBe('0.75');
  });

  it('a model missing from the price table is split by tokens and flagged, never priced at zero', () => {
    const li = { surface: 'priority', model: 'gpt-5.6-sol', modality: null, tokenKind: 'output' as const, longContext: false };
    const r = run(
      [cost({ day: 0, amount: D('3.00'), lineItem: li, lineItemRaw: 'priority | gpt-5.6-sol, output' })],
      [
        usage({ day: 0, model: 'gpt-5.6-sol', apiKeyId: 'k1', inputTokens: 100, outputTokens: 100 }),
        usage({ day: 0, model: 'gpt-5.6-sol', apiKeyId: 'k2', inputTokens: 400, outputTokens: 0 }),
      ],
    );
    expect(r.rows.map((x) => [x.apiKeyId, x.amount.toString(), x.basis])).toEqual([
      ['k1', '1', 'token count'],
      ['k2', '2', 'token count'],
    ]);
    expect(r.exceptions.find((e) => e.class === 'price_missing')?.amount?.toString()).toBe('3');
  });

  it('keeps the key the cost export already names and splits only over its users', () => {
    const r = run(
      [cost({ day: 0, amount: D('1.00'), apiKeyId: 'key_2' })],
      [
        usage({ day: 0, apiKeyId: 'key_1' }),
        usage({ day: 0, apiKeyId: 'key_2', userId: 'u1' }),
        usage({ day: 0, apiKeyId: 'key_2', userId: 'u2', inputTokens: 3000, outputTokens: 300 }),
      ],
    );
    expect(r.rows.map((x) => [x.apiKeyId, x.userId, x.amount.toString()])).toEqual([
      ['key_2', 'u1', '0.25'],
      ['key_2', 'u2', '0.75'],
    ]);
  });

  it('dated snapshots match usage of the family', () => {
    const r = run(
      [cost({ day: 0, amount: D('1'), lineItem: { surface: null, model: 'gpt-4o-mini', modality: null, tokenKind: 'input', longContext: false } })],
      [usage({ day: 0 })],
    );
    expect(r.rows[0]!.basis).toBe('priced usage');
  });

  it('flags usage-vs-cost variance beyond tolerance with a likely cause', () => {
    // 1M input tokens of gpt-4o-mini list at 0.15; billed 0.30 is +100%
    const r = run([cost({ day: 0, amount: D('0.30') })], [usage({ day: 0, inputTokens: 1_000_000, outputTokens: 0 })]);
    const ex = r.exceptions.find((e) => e.class === 'usage_cost_variance');
    expect(ex?.message).toMatch(/above list price/);
    expect(ex?.amount?.toString()).toBe('0.15');
    const ok = run([cost({ day: 0, amount: D('0.15') })], [usage({ day: 0, inputTokens: 1_000_000, outputTokens: 0 })]);
    expect(ok.exceptions).toEqual([]);
  });

  it('groups days billed without usage into one exception per project and model', () => {
    const r = run(
      [cost({ day: 0, amount: D('0.40') }), cost({ day: 3, amount: D('0.60') }), cost({ day: 5, amount: D('0.30') })],
      [usage({ day: 5, inputTokens: 2_000_000, outputTokens: 0 })],
    );
    const ex = r.exceptions.filter((e) => e.class === 'usage_cost_variance');
    expect(ex).toHaveLength(1);
    expect(ex[0]!.message).toMatch(/on 2 UTC days \(2026-10-01, 2026-10-04\)/);
    expect(ex[0]!.amount?.toString()).toBe('1');
  });

  it('--split-days spreads a daily bucket over the local days of its hourly usage', () => {
    // Asia/Shanghai is UTC+8: hour 02 UTC is 10:00 on Oct 1, hour 20 UTC is 04:00 on Oct 2
    const usages = [usage({ day: 0, hour: 2, inputTokens: 3_000_000, outputTokens: 0 }), usage({ day: 0, hour: 20, inputTokens: 1_000_000, outputTokens: 0 })];
    const plain = run([cost({ day: 0, amount: D('0.60') })], usages, 'Asia/Shanghai');
    expect(plain.rows.map((r) => [r.localDate, r.amount.toString()])).toEqual([['2026-10-01', '0.6']]);
    const split = run([cost({ day: 0, amount: D('0.60') })], usages, 'Asia/Shanghai', true);
    expect(split.rows.map((r) => [r.localDate, r.amount.toString()])).toEqual([
      ['2026-10-01', '0.45'],
      ['2026-10-02', '0.15'],
    ]);
  });

  it('law: every attributed table adds up exactly to the billed total (generated data)', () => {
    const rnd = prng(42);
    const models = ['gpt-4o-mini-2024-07-18', 'gpt-4.1-2025-04-14', 'o4-mini-2025-04-16', 'gpt-5.6-sol'];
    const projects = ['proj_A', 'proj_B', 'proj_C'];
    for (let round = 0; round < 20; round++) {
      const costs: CostRecord[] = [];
      const usages: UsageRecord[] = [];
      for (let day = 0; day < 31; day++) {
        for (const projectId of projects) {
          for (const model of models) {
            if (rnd() < 0.3) continue;
            const amount = Decimal.of(BigInt(Math.floor(rnd() * 1e12)), 16);
            const li = rnd() < 0.1 ? null : { surface: null, model, modality: null, tokenKind: 'input' as const, longContext: false };
            costs.push(cost({ day, amount, projectId, lineItem: li, lineItemRaw: li ? `${model}, input` : 'Vector storage', apiKeyId: rnd() < 0.1 ? 'key_x' : null }));
            const n = Math.floor(rnd() * 5);
            for (let k = 0; k < n; k++) {
              usages.push(
                usage({
                  day,
                  hour: Math.floor(rnd() * 24),
                  projectId,
                  model,
                  apiKeyId: `key_${Math.floor(rnd() * 4)}`,
                  userId: rnd() < 0.5 ? `user_${k}` : null,
                  inputTokens: Math.floor(rnd() * 1e6),
                  outputTokens: Math.floor(rnd() * 1e5),
                  batch: rnd() < 0.2,
                  serviceTier: rnd() < 0.2 ? 'flex' : 'default',
                }),
              );
            }
          }
        }
      }
      const tz = ['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Europe/Berlin'][round % 4]!;
      const r = run(costs, usages, tz);
      const billed = sum(costs.map((c) => c.amount));
      expect(total(r.rows).eq(billed)).toBe(true);
      const s = summarise(r.rows, r.crossCheck, parseConfig({}, 'test', tz), monthPeriod('2026-10', tz));
      for (const table of [s.byProject, s.byModel, s.byKey, s.byUser, s.daily]) {
        expect(sum(table.map((x) => x.billed)).eq(billed)).toBe(true);
      }
      expect(s.billed.eq(billed)).toBe(true);
    }
  });
});

describe('the report job on the bundled fixtures', () => {
  it('ties every table to the cost export to the cent, and reports the planted problems', async () => {
    const config = parseConfig(JSON.parse((await import('node:fs')).readFileSync(join(FX, 'spendrecon.config.json'), 'utf8')));
    const r = await runReport({
      usage: [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')],
      costs: [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')],
      config,
      period: { month: '2026-10' },
      strict: false,
      cwd: join(FX, '..'),
    });
    // independent figure from the fixture generator: October after dedupe, the first value of the conflicting row kept
    expect(r.totals.costExport.toString()).toBe('404.78682866');
    const s = r.attribution!.summaries;
    for (const t of [s.byProject, s.byModel, s.byKey, s.byUser, s.daily]) {
      expect(sum(t.map((x) => x.billed)).eq(r.totals.costExport)).toBe(true);
    }
    expect(r.totals.rejectedRows).toBe(1);
    expect(r.totals.rejectedAmount.toString()).toBe('1.751800968');
    const classes = r.exceptions.map((e) => `${e.class} ${e.subject}`);
    expect(classes).toContain('usage_cost_variance 2026-10-14 proj_7mNcP0sTqE4 gpt-4.1-2025-04-14');
    expect(classes).toContain('usage_cost_variance 2026-10-21 proj_7mNcP0sTqE4 gpt-4.1-2025-04-14');
    expect(classes).toContain('usage_cost_variance 2026-10-18 proj_default00000 gpt-4.1-2025-04-14');
    expect(classes).toContain('price_missing gpt-5.6-sol');
    expect(r.exceptions.filter((e) => e.class === 'usage_cost_variance')).toHaveLength(3);
    expect(r.inputs.find((i) => i.file.endsWith('cost_2026-10-25_2026-11-07.csv'))?.duplicates).toBe(193);
    expect(r.period.utcStart).toBe(Date.parse('2026-09-30T22:00:00Z') / 1000);
  });
});

describe('attribution at the granularity the cost export has (issue 9: a download without grouping)', () => {
  const ungrouped = { projectId: null, projectName: null, lineItemRaw: null, lineItem: null };
  const mini = 'gpt-4o-mini-2024-07-18';

  it("an organisation total (no project, no line item) is split over the day's usage of every project and model", () => {
    const r = run(
      [cost({ day: 0, amount: D('0.45'), ...ungrouped })],
      [
        usage({ day: 0, projectId: 'proj_A', apiKeyId: 'key_a', inputTokens: 2_000_000, outputTokens: 0 }),
        usage({ day: 0, projectId: 'proj_B', apiKeyId: 'key_b', inputTokens: 1_000_000, outputTokens: 0 }),
      ],
    );
    expect(r.rows.map((x) => [x.projectId, x.apiKeyId, x.model, x.amount.toString(), x.basis])).toEqual([
      ['proj_A', 'key_a', mini, '0.3', 'priced usage'],
      ['proj_B', 'key_b', mini, '0.15', 'priced usage'],
    ]);
    // one cross-check row at the export's level (billed 0.45 = 3M input tokens at 0.15/1M list):
    // no "usage with no billed cost" per project × model, no variance
    expect(r.crossCheck.map((c) => [c.projectId, c.model, c.billed.toString(), c.inputTokens])).toEqual([[null, '(all models)', '0.45', 3_000_000]]);
    expect(r.exceptions.filter((e) => e.class === 'usage_cost_variance')).toEqual([]);
  });

  it('a usage export that names one project takes all of an organisation total', () => {
    const r = run(
      [cost({ day: 0, amount: D('1.25'), ...ungrouped })],
      [usage({ day: 0, projectId: 'proj_only', apiKeyId: 'key_1' }), usage({ day: 0, projectId: 'proj_only', apiKeyId: 'key_2', model: 'gpt-5-mini-2025-08-07' })],
    );
    expect(new Set(r.rows.map((x) => x.projectId))).toEqual(new Set(['proj_only']));
    expect(total(r.rows).toString()).toBe('1.25');
    expect(r.rows.every((x) => x.basis === 'priced usage')).toBe(true);
  });

  it("a project without line items is split over that project's models and keys only", () => {
    const r = run(
      [cost({ day: 0, amount: D('2.00'), lineItemRaw: null, lineItem: null })],
      [
        usage({ day: 0, apiKeyId: 'key_1', inputTokens: 1_000_000, outputTokens: 0 }),
        usage({ day: 0, apiKeyId: 'key_2', model: 'gpt-4o-2024-08-06', inputTokens: 1_000_000, outputTokens: 0 }),
        usage({ day: 0, projectId: 'proj_other', apiKeyId: 'key_x' }),
      ],
    );
    expect(r.rows.map((x) => x.projectId)).toEqual(['proj_A', 'proj_A']);
    expect(total(r.rows).toString()).toBe('2');
    // gpt-4o lists input at 2.50/1M, gpt-4o-mini at 0.15/1M: the split follows list prices
    const byModel = Object.fromEntries(r.rows.map((x) => [x.item, x.amount.toNumber()]));
    expect(byModel['gpt-4o-2024-08-06']!).toBeGreaterThan(byModel[mini]! * 10);
  });

  it('usage not grouped by model is split by tokens, without a price_missing flag for a model nobody named', () => {
    const r = run(
      [cost({ day: 0, amount: D('0.30'), ...ungrouped })],
      [
        usage({ day: 0, projectId: 'proj_A', apiKeyId: null, model: null, inputTokens: 200, outputTokens: 0 }),
        usage({ day: 0, projectId: 'proj_B', apiKeyId: null, model: null, inputTokens: 100, outputTokens: 0 }),
      ],
    );
    expect(r.rows.map((x) => [x.projectId, x.amount.toString(), x.basis])).toEqual([
      ['proj_A', '0.2', 'token count'],
      ['proj_B', '0.1', 'token count'],
    ]);
    expect(r.exceptions.filter((e) => e.class === 'price_missing')).toEqual([]);
  });
});

describe('By model list price when a billed day has no usage', () => {
  it('sums the list price over the days with usage and counts the billed days without usage', () => {
    const costs = [cost({ amount: D('1.50'), day: 0 }), cost({ amount: D('2.25'), day: 1 }), cost({ amount: D('0.40'), day: 2 })];
    const r = run(costs, [usage({ day: 0 }), usage({ day: 1 })]);
    const s = summarise(r.rows, r.crossCheck, parseConfig({}, 'test', 'UTC'), monthPeriod('2026-10', 'UTC'));
    const m = s.byModel.find((x) => x.model === 'gpt-4o-mini-2024-07-18')!;
    const priced = r.crossCheck.filter((c) => c.usageRows > 0);
    expect(priced).toHaveLength(2);
    expect(m.listPrice).not.toBeNull();
    expect(m.listPrice!.eq(sum(priced.map((c) => c.listPrice!)))).toBe(true);
    expect(m.billedDaysWithoutUsage).toBe(1);
    expect(m.billedWithoutUsage.toString()).toBe('0.4');
    expect(m.billed.toString()).toBe('4.15');
  });

  it('has no list price when no day has usage, and still counts the days', () => {
    const r = run([cost({ amount: D('1.50'), day: 0 }), cost({ amount: D('0.50'), day: 3 })], []);
    const m = summarise(r.rows, r.crossCheck, parseConfig({}, 'test', 'UTC'), monthPeriod('2026-10', 'UTC')).byModel[0]!;
    expect(m.listPrice).toBeNull();
    expect(m.billedDaysWithoutUsage).toBe(2);
  });
});

describe('By model for a cost export without line items (issue 9)', () => {
  it('shows each model the usage names with its tokens, not 0 under a model the cross-check does not name', () => {
    const agg = new UsageAggregator();
    for (const u of [
      usage({ day: 0, apiKeyId: 'k1', inputTokens: 1_000_000, outputTokens: 0 }),
      usage({ day: 0, apiKeyId: 'k2', model: 'gpt-4o-2024-08-06', inputTokens: 300, outputTokens: 50 }),
    ])
      agg.add(u);
    const groups = agg.finish(PriceTable.load());
    const r = attributeSpend({
      costs: [cost({ day: 0, amount: D('2.00'), lineItemRaw: null, lineItem: null })],
      usage: groups,
      timezone: 'UTC',
      currency: 'USD',
      tolerancePercent: D('10'),
      toleranceAbsolute: D('0.05'),
    });
    const s = summarise(r.rows, r.crossCheck, parseConfig({}, 'test', 'UTC'), monthPeriod('2026-10', 'UTC'), usageTokensByModel(groups));
    const tokens = Object.fromEntries(s.byModel.map((m) => [m.model, [m.inputTokens, m.outputTokens]]));
    expect(tokens).toEqual({ 'gpt-4o-mini-2024-07-18': [1_000_000, 0], 'gpt-4o-2024-08-06': [300, 50] });
    expect(sum(s.byModel.map((m) => m.billed)).toString()).toBe('2');
  });
});

describe('two providers sharing ids (issue 11): an OpenAI project and an Anthropic workspace never merge', () => {
  const anthropic = { provider: 'anthropic' } as const;

  it('splits each provider’s cost only over its own provider’s usage of the same project id', () => {
    const r = run(
      [cost({ day: 0, amount: D('1.00') }), cost({ day: 0, amount: D('3.00'), ...anthropic })],
      [usage({ day: 0, apiKeyId: 'key_oa' }), usage({ day: 0, apiKeyId: 'key_an', inputTokens: 5000, ...anthropic })],
    );
    const byProvider = Object.fromEntries(r.rows.map((x) => [x.provider, [x.apiKeyId, x.amount.toString()]]));
    expect(byProvider).toEqual({ openai: ['key_oa', '1'], anthropic: ['key_an', '3'] });
    expect(r.crossCheck.map((c) => [c.provider, c.projectId, c.billed.toString(), c.inputTokens])).toEqual([
      ['anthropic', 'proj_A', '3', 5000],
      ['openai', 'proj_A', '1', 1000],
    ]);
  });

  it('an organisation total of one provider is not split over the other provider’s usage', () => {
    const r = run([cost({ day: 0, amount: D('2.00'), projectId: null, lineItemRaw: null, lineItem: null, ...anthropic })], [usage({ day: 0, apiKeyId: 'key_oa' })]);
    expect(r.rows.map((x) => [x.provider, x.basis, x.amount.toString()])).toEqual([['anthropic', 'unallocated', '2']]);
    // the OpenAI usage no cost row explains shows as unbilled, under its own provider
    expect(r.crossCheck.map((c) => [c.provider, c.billed.toString(), c.usageRows])).toEqual([
      ['anthropic', '2', 0],
      ['openai', '0', 1],
    ]);
    // both sides flagged, each named for its provider
    expect(r.exceptions.filter((e) => e.class === 'usage_cost_variance').map((e) => e.subject.split(' ')[0])).toEqual(['Anthropic', 'OpenAI']);
  });

  it('summaries keep one row per (provider, id), each table adding up to the billed total', () => {
    const r = run(
      [cost({ day: 0, amount: D('1.25') }), cost({ day: 0, amount: D('0.75'), ...anthropic })],
      [usage({ day: 0, apiKeyId: 'key_1', userId: 'u1' }), usage({ day: 0, apiKeyId: 'key_1', userId: 'u1', ...anthropic })],
    );
    const s = summarise(r.rows, r.crossCheck, parseConfig({}, 'test', 'UTC'), monthPeriod('2026-10', 'UTC'));
    const pairs = (l: { provider: string; billed: Decimal }[]) => l.map((x) => [x.provider, x.billed.toString()]);
    for (const table of [s.byProject, s.byModel, s.byKey, s.byUser, s.daily]) {
      expect(pairs(table)).toEqual(
        expect.arrayContaining([
          ['openai', '1.25'],
          ['anthropic', '0.75'],
        ]),
      );
      expect(table).toHaveLength(2);
      expect(sum(table.map((x) => x.billed)).eq(s.billed)).toBe(true);
    }
    expect(s.byModel.map((m) => [m.provider, m.inputTokens])).toEqual([
      ['openai', 1000],
      ['anthropic', 1000],
    ]);
  });
});
