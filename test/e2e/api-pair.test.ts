/**
 * The same October read from the dashboard's CSV exports and from the Admin API's pages
 * (fixtures/openai/api-pair/, written from the CSVs by its make_pair.py) gives the same report:
 * every total, project, model, key, user, day and cross-check row, to the digit.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const FX = join(ROOT, 'fixtures', 'openai');
const CONFIG = join(ROOT, 'fixtures', 'spendrecon.config.json');

async function report(usage: string, costs: string): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'spendrecon-pair-'));
  const r = await cli(['report', '--usage', usage, '--costs', costs, '--period', '2026-10', '--config', CONFIG, '--out', join(work, 'r.xlsx'), '--json'], work);
  expect(r.stderr).toContain('rejected rows            0');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('Admin API pages and dashboard CSVs of the same month', () => {
  it('give identical reports', async () => {
    const [csv, api] = await Promise.all([
      report(join(FX, 'completions_usage_2026-10-01_2026-10-31.csv'), join(FX, 'cost_2026-10-01_2026-10-31.csv')),
      report(join(FX, 'api-pair', 'usage_completions_2026-10-01_2026-10-31_1h.jsonl'), join(FX, 'api-pair', 'costs_2026-10-01_2026-10-31.jsonl')),
    ]);
    const totals = (j: Record<string, unknown>) => {
      // the API's cost results carry no user_id column, so the granularity sentence names one dimension less
      const { costGranularity: _, ...rest } = j.totals as Record<string, unknown>;
      return rest;
    };
    expect(totals(api)).toEqual(totals(csv));
    expect((api.totals as { billed: unknown }).billed).toBe('404.78682866');
    for (const k of ['byProject', 'byModel', 'byKey', 'byUser', 'daily', 'dailyByProject', 'usageVsCost', 'budgets', 'exceptions']) expect(api[k], k).toEqual(csv[k]);
    const rows = (j: Record<string, unknown>) => (j.inputs as { kind: string; rowsUsed: number; rowsRejected: number }[]).map((i) => [i.kind, i.rowsUsed, i.rowsRejected]).sort();
    expect(rows(api)).toEqual(rows(csv));
  });
});
