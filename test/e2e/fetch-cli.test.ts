/**
 * The whole promise of `fetch`: the folder it writes is what `report` reads, and gives the
 * same totals as the same pages saved by hand (fixtures/openai/api/).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';
import { splitTopLevelArray, startReplay, type Replay } from '../fetch/replay-server.js';

const API = join(ROOT, 'fixtures', 'openai', 'api');
const PAGES = join(ROOT, 'fixtures', 'api-pages');
const OPENAI_KEY = 'sk-admin-Cl1T3stK3yN0tRealAbCdEfGh1234567890wxyz';
const ANTHROPIC_KEY = 'sk-ant-admin01-Cl1T3stK3yN0tRealAbCdEfGh1234567890-AAAA';
const lines = async (f: string) => (await readFile(f, 'utf8')).split('\n').filter((l) => l !== '');
const PERIOD = ['--since', '2026-11-08', '--until', '2026-11-14', '--tz', 'Europe/Berlin'];

let server: Replay;
let dir: string;

beforeAll(async () => {
  server = await startReplay((p) => p.startsWith('/v1/organization/usage/'));
  server.pages.set('/v1/organization/usage/completions', await lines(join(API, 'usage_completions_2026-11-01_2026-11-14.jsonl')));
  server.pages.set('/v1/organization/costs', splitTopLevelArray(await readFile(join(API, 'costs_2026-11-08_2026-11-14.json'), 'utf8')));
  server.pages.set('/v1/organizations/usage_report/messages', await lines(join(PAGES, 'anthropic_usage_report_messages.jsonl')));
  server.pages.set('/v1/organizations/cost_report', await lines(join(PAGES, 'anthropic_cost_report.jsonl')));
  dir = await mkdtemp(join(tmpdir(), 'spendrecon-cli-fetch-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function reportJson(inputs: string[], name: string) {
  const r = await cli(['report', '--usage', ...inputs, '--costs', ...inputs, ...PERIOD, '--json', '--out', join(dir, `${name}.xlsx`)], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    byProject: unknown;
    byKey: unknown;
    byModel: unknown;
    daily: unknown;
    exceptions: { class: string }[];
    inputs: { format: string; rowsUsed: number }[];
    totals: { billed: string };
  };
}

describe('spendrecon fetch, then report', () => {
  it('fetches both providers with the keys from the environment, printing neither', async () => {
    const r = await cli(['fetch', ...PERIOD, '--out', 'exports', '--base-url', server.base], dir, { OPENAI_ADMIN_KEY: OPENAI_KEY, ANTHROPIC_ADMIN_KEY: ANTHROPIC_KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/OpenAI usage\/completions: 5 pages, 14 buckets, \d+ results → openai_usage_completions_2026-11-07_2026-11-14_1d\.jsonl/);
    expect(r.stderr).toMatch(/Anthropic cost_report: 1 page, 2 buckets, 2 results → anthropic_cost_report_2026-11-07_2026-11-14\.jsonl$/m);
    const files = await readdir(join(dir, 'exports'));
    for (const text of [r.stdout, r.stderr, ...(await Promise.all(files.map((f) => readFile(join(dir, 'exports', f), 'utf8'))))]) {
      expect(text).not.toContain(OPENAI_KEY);
      expect(text).not.toContain(ANTHROPIC_KEY);
    }
  });

  it('report on the fetched folder gives the totals of the same pages saved by hand, both providers read', async () => {
    const fetched = await reportJson([join(dir, 'exports')], 'fetched');
    const byHand = await reportJson([API, join(PAGES, 'anthropic_usage_report_messages.jsonl'), join(PAGES, 'anthropic_cost_report.jsonl')], 'by-hand');
    expect(fetched.inputs.map((i) => i.format).sort()).toEqual(['anthropic-costs-json', 'anthropic-usage-json', 'openai-costs-json', 'openai-usage-json']);
    expect(Number(fetched.totals.billed)).toBeGreaterThan(0);
    expect(fetched.totals).toEqual(byHand.totals);
    for (const k of ['byProject', 'byKey', 'byModel', 'daily'] as const) expect(fetched[k]).toEqual(byHand[k]);
    expect(fetched.exceptions.filter((e) => e.class === 'file_left_out')).toEqual([]);
  });

  it('without a key it says which variable to set (exit 2)', async () => {
    const r = await cli(['fetch', ...PERIOD, '--out', 'none', '--base-url', server.base], dir, { OPENAI_ADMIN_KEY: '', ANTHROPIC_ADMIN_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no provider key: set OPENAI_ADMIN_KEY .* ANTHROPIC_ADMIN_KEY/);
  });
});
