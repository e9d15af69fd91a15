import { describe, expect, it } from 'vitest';
import { PriceTable } from '../../src/engine/prices.js';
import { resolveOverlappingWidths, UsageAggregator } from '../../src/engine/usage.js';
import type { UsageRecord } from '../../src/model.js';

const T0 = Date.parse('2026-10-31T00:00:00Z') / 1000;
const rec = (start: number, width: number, inputTokens: number, model = 'gpt-4o-mini-2024-07-18'): UsageRecord => ({
  src: { file: 'u.csv', line: 2 },
  start,
  end: start + width,
  projectId: 'proj_A',
  userId: null,
  apiKeyId: 'key_1',
  model,
  batch: false,
  serviceTier: 'default',
  requests: 1,
  inputTokens,
  outputTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  other: null,
});

describe('usage aggregation', () => {
  it('folds minute rows into one group per UTC day (per hour only when asked)', () => {
    const a = new UsageAggregator();
    const b = new UsageAggregator(true);
    for (let m = 0; m < 180; m++) {
      a.add(rec(T0 + m * 60, 60, 10));
      b.add(rec(T0 + m * 60, 60, 10));
    }
    expect(a.size).toBe(1);
    expect(b.size).toBe(3);
    const [g] = a.finish(PriceTable.load());
    expect(g!.inputTokens).toBe(1800);
    expect(g!.hours).toBe(0b111);
  });

  it('uses the export covering the most hours of a day and sets the other aside', () => {
    const a = new UsageAggregator();
    for (let h = 0; h < 24; h++) a.add(rec(T0 + h * 3600, 3600, 600)); // hourly, all day
    for (let m = 22 * 60; m < 24 * 60; m++) a.add(rec(T0 + m * 60, 60, 10)); // minutes, 22:00–24:00
    a.add(rec(T0, 86400, 5, 'o4-mini-2025-04-16')); // another stream: untouched
    const { kept, dropped } = resolveOverlappingWidths(a.finish(PriceTable.load()));
    expect(kept.map((g) => `${g.model}/${g.width}`).sort()).toEqual(['gpt-4o-mini-2024-07-18/3600', 'o4-mini-2025-04-16/86400']);
    expect(dropped).toEqual([{ utcDay: '2026-10-31', width: 60, keptWidth: 3600, rows: 120, uncoveredHours: [] }]);
  });

  it('reports hours only the set-aside export covers', () => {
    const a = new UsageAggregator();
    for (let h = 0; h < 20; h++) a.add(rec(T0 + h * 3600, 3600, 600)); // hourly 00–19
    for (let m = 22 * 60; m < 24 * 60; m++) a.add(rec(T0 + m * 60, 60, 10)); // minutes 22–23
    const { dropped } = resolveOverlappingWidths(a.finish(PriceTable.load()));
    expect(dropped[0]!.uncoveredHours).toEqual([22, 23]);
  });
});
