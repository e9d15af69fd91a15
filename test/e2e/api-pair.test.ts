/**
 * The same October read from the dashboard's CSV exports and from the Admin API's pages
 * (fixtures/openai/api-pair/, written from the CSVs by its make_pair.py) gives the same report:
 * every total, project, model, key, user, day and cross-check row, to the digit. The pages
 * also come through `spendrecon fetch` from a local replay server, and the folder it writes
 * reports the same as the dashboard CSVs.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplay, type Replay } from '../fetch/replay-server.js';
import { cli, ROOT } from './run-cli.js';

const FX = join(ROOT, 'fixtures', 'openai');
const CONFIG = join(ROOT, 'fixtures', 'spendrecon.config.json');

async function report(usage: string, costs: string): Promise<Record<string, unknown>> {
  const work = mkdtempSync(join(tmpdir(), 'spendrecon-pair-'));
  const r = await cli(
    ['report', '--usage', usage, '--costs', costs, '--tz', 'Europe/Berlin', '--period', '2026-10', '--config', CONFIG, '--out', join(work, 'r.xlsx'), '--json'],
    work,
  );
  expect(r.stderr).toContain('rejected rows            0');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

const totals = (j: Record<string, unknown>) => {
  // the API's cost results carry no user_id column, so the granularity sentence names one dimension less
  const { costGranularity: _, ...rest } = j.totals as Record<string, unknown>;
  return rest;
};
const rows = (j: Record<string, unknown>) => (j.inputs as { kind: string; rowsUsed: number; rowsRejected: number }[]).map((i) => [i.kind, i.rowsUsed, i.rowsRejected]).sort();
const pageLines = (f: string) =>
  readFileSync(join(FX, 'api-pair', f), 'utf8')
    .split('\n')
    .filter((l) => l !== '');

let server: Replay;
beforeAll(async () => {
  // every other usage category answers with an empty page, as for an organisation that uses none
  server = await startReplay((p) => p.startsWith('/v1/organization/usage/'));
  server.pages.set('/v1/organization/usage/completions', pageLines('usage_completions_2026-10-01_2026-10-31_1h.jsonl'));
  server.pages.set('/v1/organization/costs', pageLines('costs_2026-10-01_2026-10-31.jsonl'));
});
afterAll(async () => {
  await server.close();
});

describe('Admin API pages and dashboard CSVs of the same month', () => {
  const csvReport = () => report(join(FX, 'completions_usage_2026-10-01_2026-10-31.csv'), join(FX, 'cost_2026-10-01_2026-10-31.csv'));

  it('give identical reports', async () => {
    const [csv, api] = await Promise.all([
      csvReport(),
      report(join(FX, 'api-pair', 'usage_completions_2026-10-01_2026-10-31_1h.jsonl'), join(FX, 'api-pair', 'costs_2026-10-01_2026-10-31.jsonl')),
    ]);
    expect(totals(api)).toEqual(totals(csv));
    expect((api.totals as { billed: unknown }).billed).toBe('404.78682866');
    for (const k of ['byProject', 'byModel', 'byKey', 'byUser', 'daily', 'dailyByProject', 'usageVsCost', 'budgets', 'exceptions']) expect(api[k], k).toEqual(csv[k]);
    expect(rows(api)).toEqual(rows(csv));
  });

  it('the folder `spendrecon fetch` writes from those pages reports the same as the dashboard CSVs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-pair-fetch-'));
    const f = await cli(['fetch', '--period', '2026-10', '--tz', 'Europe/Berlin', '--bucket-width', '1h', '--out', 'exports', '--base-url', server.base], work, {
      OPENAI_ADMIN_KEY: 'sk-admin-Pa1rT3stK3yN0tRealAbCdEfGh1234567890wxyz',
      ANTHROPIC_ADMIN_KEY: '',
    });
    expect(f.code, f.stderr).toBe(0);
    const exports = join(work, 'exports');
    const [csv, fetched] = await Promise.all([csvReport(), report(exports, exports)]);
    expect(totals(fetched)).toEqual(totals(csv));
    for (const k of ['byProject', 'byModel', 'byKey', 'daily', 'usageVsCost']) expect(fetched[k], k).toEqual(csv[k]);
  });
});
