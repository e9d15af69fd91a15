/**
 * The bounds that end a run with a message where the heap would run out (issue #14): a usage
 * export with more groups, or statements with more lines, than the bound stop the run with a
 * MemoryBoundError naming the file and what to do; under the bound nothing changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { UsageAggregator } from '../src/engine/usage.js';
import { MemoryBoundError, maxStatementLines, maxUsageGroups } from '../src/memory-bounds.js';
import type { UsageRecord } from '../src/model.js';
import { emptyReport } from '../src/stages/fates.js';
import { UsageFold } from '../src/stages/usage-fold.js';

const row = (start: number, projectId: string): UsageRecord => ({
  src: { file: 'u.csv', line: 2 },
  provider: 'openai',
  start,
  end: start + 60,
  projectId,
  userId: null,
  apiKeyId: 'key_a',
  model: 'gpt-5-mini',
  batch: false,
  serviceTier: 'default',
  requests: 1,
  inputTokens: 10,
  outputTokens: 5,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  other: null,
  variant: null,
});

const report = () => emptyReport('u.csv', 'usage', 'openai-usage-csv', 'usage');

afterEach(() => {
  delete process.env.SPENDRECON_MAX_USAGE_GROUPS;
  delete process.env.SPENDRECON_MAX_STATEMENT_LINES;
});

describe('memory bounds', () => {
  it('scale with the heap limit, and an environment value overrides them', () => {
    expect(maxUsageGroups()).toBeGreaterThan(100_000);
    expect(maxStatementLines()).toBeGreaterThan(100_000);
    process.env.SPENDRECON_MAX_USAGE_GROUPS = '7';
    expect(maxUsageGroups()).toBe(7);
  });

  it('a fold past the group bound stops with a message naming the file; at the bound it goes on', () => {
    process.env.SPENDRECON_MAX_USAGE_GROUPS = '3';
    const fold = new UsageFold(new UsageAggregator(), null, false, false);
    const f = { report: report() };
    // repeats of one group and three groups: within the bound
    for (const p of ['proj_a', 'proj_a', 'proj_b', 'proj_c']) fold.fold(f, row(1_790_000_040 + (p === 'proj_a' ? 0 : 60), p), []);
    expect(fold.agg.size).toBe(3);
    let thrown: unknown;
    try {
      fold.fold(f, row(1_790_000_100, 'proj_d'), []);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(MemoryBoundError);
    expect((thrown as Error).message).toMatch(/^u\.csv: more than 3 usage groups .*NODE_OPTIONS=--max-old-space-size/);
  });
});
