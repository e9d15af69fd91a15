import { describe, expect, it } from 'vitest';
import { PriceTable } from '../../src/engine/prices.js';
import { UsageAggregator } from '../../src/engine/usage.js';
import { resolveOverlappingWidths } from '../../src/engine/usage-widths.js';
import type { UsageRecord } from '../../src/model.js';

const T0 = Date.parse('2026-10-31T00:00:00Z') / 1000;
const rec = (start: number, width: number, inputTokens: number, model = 'gpt-4o-mini-2024-07-18'): UsageRecord => ({
  src: { file: 'u.csv', line: 2 },
  provider: 'openai',
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

describe('usage repeats (SPEC §3: a row is identified by its bucket and all its dimensions)', () => {
  const base = rec(T0 + 600, 60, 100);
  const dims: [string, Partial<UsageRecord>][] = [
    ['project', { projectId: 'proj_B' }],
    ['API key', { apiKeyId: 'key_2' }],
    ['user', { userId: 'user_9' }],
    ['model', { model: 'gpt-5-mini-2025-08-07' }],
    ['batch', { batch: true }],
    ['service tier', { serviceTier: 'flex' }],
    ['image size/source', { variant: '1024x1024/image.generation' }],
    ['bucket start', { start: T0 + 660, end: T0 + 720 }],
    ['bucket width', { start: T0 + 600, end: T0 + 3600 + 600 }],
  ];
  for (const [name, change] of dims) {
    it(`a row that differs only in its ${name} is a row of its own, not a repeat`, () => {
      const a = new UsageAggregator();
      expect(a.add(base)).toBe('new');
      expect(a.add({ ...base, ...change, inputTokens: 7 })).toBe('new');
    });
  }
  it('the same bucket and dimensions again: an identical repeat, or a conflict when the values differ', () => {
    const a = new UsageAggregator(true);
    expect(a.add(base)).toBe('new');
    expect(a.add({ ...base, src: { file: 'other.csv', line: 9 } })).toBe('duplicate');
    expect(a.add({ ...base, outputTokens: 1 })).toBe('conflict');
    const [g] = a.finish(PriceTable.load([]));
    expect(g!.rows).toBe(1);
    expect(g!.inputTokens).toBe(100);
  });
  it('a bucket whose start is not aligned to its width is still judged by its own start', () => {
    const a = new UsageAggregator();
    expect(a.add({ ...base, start: T0 + 601, end: T0 + 661 })).toBe('new');
    expect(a.add({ ...base, start: T0 + 602, end: T0 + 662 })).toBe('new');
    expect(a.add({ ...base, start: T0 + 601, end: T0 + 661 })).toBe('duplicate');
  });
});

describe('usage of two providers (issue 11)', () => {
  it('the same row from two providers is two rows, not a duplicate, and never one group', () => {
    const a = new UsageAggregator();
    const oa = rec(T0, 86400, 100);
    expect(a.add(oa)).toBe('new');
    expect(a.add({ ...oa, provider: 'anthropic', inputTokens: 7 })).toBe('new');
    expect(a.add({ ...oa, provider: 'anthropic', inputTokens: 7 })).toBe('duplicate');
    const groups = a.finish(PriceTable.load());
    expect(groups.map((g) => [g.provider, g.inputTokens])).toEqual([
      ['anthropic', 7],
      ['openai', 100],
    ]);
  });

  it('a daily export of one provider does not set aside the hourly rows of another on the same project and day', () => {
    const a = new UsageAggregator();
    a.add(rec(T0, 86400, 100));
    for (let h = 0; h < 3; h++) a.add({ ...rec(T0 + h * 3600, 3600, 10), provider: 'anthropic' });
    const { kept, dropped } = resolveOverlappingWidths(a.finish(PriceTable.load()));
    expect(dropped).toEqual([]);
    expect(kept.map((g) => [g.provider, g.width, g.inputTokens])).toEqual([
      ['anthropic', 3600, 30],
      ['openai', 86400, 100],
    ]);
  });
});

describe('repeats: the buckets each group has seen', () => {
  /** Seeded PRNG (mulberry32). */
  const rng = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** Rows over 2 days and 3 keys: most on the minute grid, some off it (hostile), some repeated or changed, in shuffled runs. */
  function rows(seed: number, n: number): UsageRecord[] {
    const r = rng(seed);
    const out: UsageRecord[] = [];
    for (let i = 0; i < n; i++) {
      const x = r();
      const prev = out[Math.floor(r() * out.length)];
      if (prev && x < 0.1) out.push({ ...prev });
      else if (prev && x < 0.15) out.push({ ...prev, inputTokens: prev.inputTokens + 1 });
      else {
        const width = r() < 0.9 ? 60 : 3600;
        const start = T0 + Math.floor(r() * 2 * 1440) * 60 + (r() < 0.03 ? 7 : 0);
        out.push({ ...rec(start, width, Math.floor(r() * 1000)), apiKeyId: `key_${Math.floor(r() * 3)}` });
      }
    }
    // time order mostly, with shuffled stretches (rows far out of order reach the Map)
    out.sort((a, b) => a.start - b.start);
    for (let i = 0; i + 50 < out.length; i += 400) out.splice(i, 50, ...out.slice(i, i + 50).reverse());
    return out;
  }
  /** The verdicts by a plain Map of every (bucket, dimensions) seen. */
  function reference(rs: UsageRecord[]): string[] {
    const seen = new Map<string, number>();
    return rs.map((r) => {
      const k = `${r.start}|${r.end}|${r.apiKeyId}`;
      const v = seen.get(k);
      if (v === undefined) seen.set(k, r.inputTokens);
      return v === undefined ? 'new' : v === r.inputTokens ? 'duplicate' : 'conflict';
    });
  }

  it('tells new rows, identical and conflicting repeats as a plain map of every bucket does, sparse and dense', () => {
    for (const n of [200, 3000, 20000]) {
      const rs = rows(n, n);
      const a = new UsageAggregator();
      expect(rs.map((r) => a.add(r))).toEqual(reference(rs));
    }
  });

  it('holds a group no larger than a slot per bucket: pairs that would outgrow it become slots, with the same verdicts', () => {
    // one group, every minute of a day in order: 512 pairs fill their arrays, the 513th bucket makes the group dense
    const day = Array.from({ length: 600 }, (_, m) => rec(T0 + m * 60, 60, m + 1));
    const a = new UsageAggregator();
    expect(day.map((r) => a.add(r))).toEqual(day.map(() => 'new'));
    const [seen] = a.partial().seen;
    expect(seen!.dense).not.toBeNull();
    expect(seen!.keys.length).toBe(0);
    // before and after the change of shape: identical repeats, conflicting ones
    const again = [day[3]!, day[511]!, day[599]!, { ...day[200]!, inputTokens: 1e6 }, { ...day[550]!, inputTokens: 1e6 }];
    expect(again.map((r) => a.add(r))).toEqual(['duplicate', 'duplicate', 'duplicate', 'conflict', 'conflict']);
  });

  it('merges a later part exactly, and refuses one that repeats a bucket already seen', () => {
    const rs = rows(7, 6000);
    const mid = rs.findIndex((r) => r.start >= T0 + 86400);
    const [first, second] = [rs.slice(0, mid), rs.slice(mid)];
    const one = new UsageAggregator();
    for (const r of rs) one.add(r);
    const a = new UsageAggregator();
    const b = new UsageAggregator();
    for (const r of first) a.add(r);
    for (const r of second) b.add(r);
    expect(a.merge(structuredClone(b.partial()))).toBe(true);
    const prices = PriceTable.load([]);
    expect(a.finish(prices)).toEqual(one.finish(prices));
    // the second part again: every bucket repeats, so nothing is merged
    const c = new UsageAggregator();
    for (const r of second) c.add(r);
    const before = a.finish(prices);
    expect(a.merge(structuredClone(c.partial()))).toBe(false);
    expect(a.finish(prices)).toEqual(before);
  });

  it('lets go of past slots (whole, or an earlier file`s slot entry by entry) and puts them back from the rows folded again: the same groups and verdicts', () => {
    const DAY = 86400;
    const day = (d: number, n: number, key: string) => Array.from({ length: n }, (_, i) => ({ ...rec(T0 + d * DAY + i * 60, 60, 100 + i), apiKeyId: key }));
    const earlier = day(0, 30, 'key_old');
    // this file: day 0 (beside the earlier file's group) and day 1, then day 2
    const parts = [[...day(0, 20, 'key_new'), ...day(1, 40, 'key_new')], day(2, 40, 'key_new')];
    const partOf = (rs: UsageRecord[]) => {
      const x = new UsageAggregator();
      for (const r of rs) x.add(r);
      return structuredClone(x.partial());
    };
    const agg = new UsageAggregator();
    for (const r of earlier) agg.add(r);
    agg.keepAll();
    expect(agg.merge(partOf(parts[0]!))).toBe(true);
    agg.release(T0 + 2 * DAY);
    // day 1's slot whole (one group), day 0's new group's seen buckets; the earlier file's kept
    expect(agg.releasedGroups).toBe(2);
    expect(() => agg.add(day(1, 1, 'key_new')[0]!)).toThrow(/internal/);
    expect(agg.add(earlier[3]!)).toBe('duplicate');
    expect(agg.meetsReleased(partOf(parts[1]!))).toBe(false);
    expect(agg.merge(partOf(parts[1]!))).toBe(true);
    // a part that comes back to day 1 (a repeat, and a conflict) and to day 0's new group
    const late = [day(1, 2, 'key_new')[1]!, { ...day(1, 3, 'key_new')[2]!, inputTokens: 7 }, day(0, 5, 'key_new')[4]!];
    expect(agg.meetsReleased(partOf(late))).toBe(true);
    const again = new UsageAggregator();
    for (const r of [...parts[0]!, ...parts[1]!]) again.add(r);
    agg.restore(again);
    expect(agg.releasedGroups).toBe(0);
    const never = new UsageAggregator();
    for (const r of [...earlier, ...parts[0]!, ...parts[1]!]) never.add(r);
    const prices = PriceTable.load([]);
    expect(agg.finish(prices)).toEqual(never.finish(prices));
    const verdicts = late.map((r) => never.add(r));
    expect(verdicts).toEqual(['duplicate', 'conflict', 'duplicate']);
    expect(late.map((r) => agg.add(r))).toEqual(verdicts);
    expect(agg.finish(prices)).toEqual(never.finish(prices));
  });
});

describe('group keys (interned ids, with the text key past the id limit)', () => {
  /** Rows over many distinct dimension values, some with `|` or the text "null" that a joined key would confuse. */
  function hostileRows(n: number, seed: number): UsageRecord[] {
    let x = seed;
    const next = (m: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % m;
    };
    const texts = ['a', 'a|b', 'b', 'null', 'a|b|c', '', 'ü漢字'];
    const pick = () => (next(9) === 0 ? null : `${texts[next(texts.length)]}${next(3)}`);
    const out: UsageRecord[] = [];
    for (let i = 0; i < n; i++) {
      out.push({
        ...rec(T0 + next(5) * 60, 60, next(4)),
        projectId: next(4) === 0 ? 'null' : pick(),
        model: pick(),
        apiKeyId: pick(),
        userId: next(2) ? null : pick(),
        serviceTier: next(3) ? 'default' : pick(),
        batch: [null, true, false][next(3)]!,
        variant: next(4) ? null : pick(),
        longContext: next(5) === 0,
        ...(next(3) ? {} : { channel: next(2) ? ('export' as const) : ('api' as const) }),
      });
    }
    return out;
  }

  it('gives the same verdicts and groups whether the ids fit or run out at any point', () => {
    const rs = hostileRows(4000, 3);
    const prices = PriceTable.load([]);
    const ref = new UsageAggregator();
    const verdicts = rs.map((r) => ref.add(r));
    expect(new Set(verdicts)).toEqual(new Set(['new', 'duplicate', 'conflict']));
    for (const limit of [1, 2, 20, 300, 3000]) {
      const a = new UsageAggregator(false, limit);
      expect(rs.map((r) => a.add(r))).toEqual(verdicts);
      expect(a.finish(prices)).toEqual(ref.finish(prices));
    }
  });

  it('keeps apart dimensions a joined text would confuse: `a|b` + `c` and `a` + `b|c`, null and "null"', () => {
    const a = new UsageAggregator();
    const r = rec(T0, 60, 5);
    expect(a.add({ ...r, projectId: 'a|b', model: 'c' })).toBe('new');
    expect(a.add({ ...r, projectId: 'a', model: 'b|c' })).toBe('new');
    expect(a.add({ ...r, projectId: null })).toBe('new');
    expect(a.add({ ...r, projectId: 'null' })).toBe('new');
    expect(a.size).toBe(4);
  });

  it('merges parts whose ids differ (each aggregator interns its own) by their text keys', () => {
    const rs = hostileRows(3000, 9).sort((x, y) => x.start - y.start);
    const mid = rs.findIndex((r) => r.start >= T0 + 180);
    const one = new UsageAggregator();
    for (const r of rs) one.add(r);
    const a = new UsageAggregator(false, 50);
    // b interns the second part's values only: its ids mean other values than a's
    const b = new UsageAggregator();
    for (const r of rs.slice(mid)) b.add(r);
    for (const r of rs.slice(0, mid)) a.add(r);
    expect(a.merge(structuredClone(b.partial()))).toBe(true);
    // rows read here after the merge find the merged groups
    for (const r of rs.slice(mid)) expect(a.add(r)).not.toBe('new');
    const prices = PriceTable.load([]);
    expect(a.finish(prices)).toEqual(one.finish(prices));
  });
});
