import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PriceTable, priceTokens } from '../../src/engine/prices.js';
import { UsageAggregator } from '../../src/engine/usage.js';
import { resolveOverlappingWidths } from '../../src/engine/usage-widths.js';
import type { CostRecord, UsageRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import type { ReadBatch } from '../../src/sources/contract.js';
import { exportReaders, openInput, recognise } from '../../src/sources/index.js';
import { utcDateOf } from '../../src/time.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'anthropic');
/** The Console names workspaces, the API gives ids (fixtures/anthropic/README.md). */
const WORKSPACE_IDS: Record<string, string> = { Research: 'wrkspc_01Rk7QpX2mVb9LtN4cHs8JdA' };

async function records<R>(file: string): Promise<R[]> {
  const input = await openInput(join(FX, file));
  const rec = recognise(input, exportReaders);
  if (!rec.reader || !rec.detection) throw new Error(`not recognised: ${file}`);
  const out: R[] = [];
  for await (const b of rec.reader.read(input, rec.detection, { timezone: 'UTC', displayPath: file }) as AsyncIterable<ReadBatch<R>>) {
    expect(b.issues).toEqual([]);
    out.push(...b.records);
  }
  return out;
}

const ws = (projectId: string | null) => (projectId === null ? '(default)' : (WORKSPACE_IDS[projectId] ?? projectId));

function costTotals(costs: CostRecord[]): Map<string, string> {
  const m = new Map<string, Decimal>();
  for (const c of costs) {
    const k = `${utcDateOf(c.start)}|${c.lineItem?.model ?? '(web search)'}|${ws(c.projectId)}|${c.lineItem?.tokenKind}`;
    m.set(k, (m.get(k) ?? Decimal.ZERO).plus(c.amount));
  }
  return new Map([...m].map(([k, v]) => [k, v.toString()]));
}

function usageTotals(usage: UsageRecord[]): Map<string, string> {
  const m = new Map<string, number[]>();
  for (const u of usage) {
    const k = `${utcDateOf(u.start)}|${u.model}|${ws(u.projectId)}|${u.longContext}|${u.batch}`;
    const t = m.get(k) ?? [0, 0, 0, 0, 0, 0];
    [u.inputTokens, u.cachedTokens, u.cacheWriteTokens, u.cacheWrite1hTokens ?? 0, u.outputTokens, u.other?.web_search_requests ?? 0].forEach((n, i) => {
      t[i]! += n;
    });
    m.set(k, t);
  }
  return new Map([...m].map(([k, v]) => [k, v.join(' ')]));
}

describe('the same month from the Claude Console and from the Admin API', () => {
  it('gives identical billed totals per UTC day, model, workspace and token kind', async () => {
    const csv = await records<CostRecord>('claude_api_cost_2026_10_01_to_2026_10_31.csv');
    const api = await records<CostRecord>('anthropic_cost_report_2026-10-01_2026-10-31.jsonl');
    expect(costTotals(api)).toEqual(costTotals(csv));
    const total = (xs: CostRecord[]) => xs.reduce((s, c) => s.plus(c.amount), Decimal.ZERO).toString();
    expect(total(api)).toBe(total(csv));
    expect(total(csv)).toBe('8.43');
  });

  it('gives identical token totals per UTC day, model and workspace, daily and hourly', async () => {
    const csv = await records<UsageRecord>('claude_api_tokens_2026_10_01_to_2026_10_31.csv');
    const api = await records<UsageRecord>('anthropic_usage_report_messages_2026-10-01_2026-10-31_1d.jsonl');
    expect(usageTotals(api)).toEqual(usageTotals(csv));
    const csvHourly = await records<UsageRecord>('claude_api_tokens_2026_10_02_hourly.csv');
    const apiHourly = await records<UsageRecord>('anthropic_usage_report_messages_2026-10-02_1h.jsonl');
    expect(usageTotals(apiHourly)).toEqual(usageTotals(csvHourly));
    // the hourly day adds up to the daily rows of the same day
    const day2 = new Map([...usageTotals(csv)].filter(([k]) => k.startsWith('2026-10-02')));
    expect(usageTotals(csvHourly)).toEqual(day2);
  });
});

describe('overlapping daily and hourly usage', () => {
  // one source's pair: a Console export names workspaces and the API gives their ids, so a
  // Console daily and an API hourly export of one named workspace are different streams
  it.each([
    ['claude_api_tokens_2026_10_01_to_2026_10_31.csv', 'claude_api_tokens_2026_10_02_hourly.csv'],
    ['anthropic_usage_report_messages_2026-10-01_2026-10-31_1d.jsonl', 'anthropic_usage_report_messages_2026-10-02_1h.jsonl'],
  ])('is counted once: per stream and day the daily rows of %s are kept, the hourly ones set aside', async (dailyFile, hourlyFile) => {
    const daily = await records<UsageRecord>(dailyFile);
    const hourly = await records<UsageRecord>(hourlyFile);
    const agg = new UsageAggregator();
    for (const r of [...hourly, ...daily]) expect(agg.add(r)).toBe('new');
    const { kept, dropped } = resolveOverlappingWidths(agg.finish(PriceTable.load()));
    const tokens = (gs: { inputTokens: number; outputTokens: number }[]) => gs.reduce((s, g) => s + g.inputTokens + g.outputTokens, 0);
    expect(tokens(kept)).toBe(daily.reduce((s, r) => s + r.inputTokens + r.outputTokens, 0));
    expect(dropped.map((d) => [d.utcDay, d.width, d.keptWidth, d.rows])).toEqual([['2026-10-02', 3600, 86400, hourly.length]]);
  });

  it('a repeat of the same rows (two copies of one export) is a duplicate, not new usage', async () => {
    const daily = await records<UsageRecord>('claude_api_tokens_2026_10_01_to_2026_10_31.csv');
    const agg = new UsageAggregator();
    for (const r of daily) agg.add(r);
    expect(daily.map((r) => agg.add({ ...r, src: { file: 'copy.csv', line: r.src.line } }))).toEqual(daily.map(() => 'duplicate'));
  });
});

describe('Anthropic list prices (the cross-check side)', () => {
  const table = PriceTable.load();

  it('prices the fixture month exactly at what was billed: 5m/1h writes, cache hits, batch, long context', async () => {
    const usage = await records<UsageRecord>('anthropic_usage_report_messages_2026-10-01_2026-10-31_1d.jsonl');
    const agg = new UsageAggregator();
    for (const r of usage) agg.add(r);
    const groups = agg.finish(table);
    expect(groups.every((g) => g.price !== null)).toBe(true);
    const list = groups.reduce((s, g) => s.plus(g.listPrice!), Decimal.ZERO);
    // billed 8.43 includes 0.10 of web searches (priced per search, not per token)
    expect(list.toString()).toBe('8.33');
    const long = groups.find((g) => g.longContext)!;
    expect(long.price).toMatchObject({ entryModel: 'claude-sonnet-4-5', longContext: true, variant: 'standard' });
    expect(groups.find((g) => g.batch)!.price).toMatchObject({ entryModel: 'claude-haiku-4-5', variant: 'batch', variantFellBack: false });
  });

  it('resolves snapshots to their family by date, and 1-hour writes at their own price', () => {
    const p = table.resolve('claude-haiku-4-5-20251001', '2026-10-01', 'standard')!;
    expect(p.prices.cacheWrite.toString()).toBe('1.25');
    expect(p.prices.cacheWrite1h.toString()).toBe('2');
    expect(table.resolve('claude-haiku-4-5-20251001', '2025-10-01', 'standard')).toBeNull();
    const cost = priceTokens({ inputTokens: 3_000_000, cachedTokens: 1_000_000, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 400_000, outputTokens: 1_000_000 }, p.prices);
    // 1M uncached × 1 + 1M hits × 0.10 + 0.6M × 1.25 + 0.4M × 2 + 1M × 5
    expect(cost.toString()).toBe('7.65');
    // Priority Tier has no list price: standard prices, said so
    expect(table.resolve('claude-sonnet-4-5-20250929', '2026-10-01', 'priority')).toMatchObject({ variant: 'standard', variantFellBack: true });
    // OpenAI usage has no 1-hour writes: its prices are unchanged
    const o = table.resolve('gpt-5', '2026-10-01', 'standard')!;
    expect(o.prices.cacheWrite1h.eq(o.prices.cacheWrite)).toBe(true);
    expect(o.longContext).toBe(false);
  });
});
