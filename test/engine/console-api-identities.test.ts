/**
 * Issue 11: the Claude Console names workspaces and keys, the Admin API gives ids. With the
 * config's `providers.anthropic` names, October's Console CSVs and API pages read together count
 * once; without them, the workspaces whose names meet no id are named in a warning.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { identityMaps, withApiIds } from '../../src/engine/identities.js';
import type { CostRecord } from '../../src/model.js';
import { runReport } from '../../src/pipeline.js';
import type { ReportResult } from '../../src/results.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'anthropic');
const CONSOLE = ['claude_api_tokens_2026_10_01_to_2026_10_31.csv', 'claude_api_cost_2026_10_01_to_2026_10_31.csv'].map((f) => join(FX, f));
const API = ['anthropic_usage_report_messages_2026-10-01_2026-10-31_1d.jsonl', 'anthropic_cost_report_2026-10-01_2026-10-31.jsonl'].map((f) => join(FX, f));
/** From the fixtures' README: `Research` is this workspace id; the keys as the cost export's api_key_id column pairs them. */
const NAMES = {
  anthropic: {
    projects: { wrkspc_01Rk7QpX2mVb9LtN4cHs8JdA: 'Research' },
    apiKeys: { apikey_01Hq3ZtW8nRb5VxK2mLp9YcD: 'prod-backend', apikey_01Vn6TgS1pQm4WxJ8bKr3ZfE: 'research-notebook' },
  },
};

async function run(files: string[], providers: unknown = undefined): Promise<ReportResult> {
  const config = parseConfig({ timezone: 'UTC', ...(providers ? { providers } : {}) }, 'test');
  return runReport({ usage: files, costs: files, config, period: { month: '2026-10' }, strict: false, cwd: FX });
}

const projects = (r: ReportResult) => r.attribution!.summaries.byProject.map((p) => [p.projectId, p.projectName, p.billed.toString()]);

describe('Console and Admin API exports of one Anthropic month', async () => {
  const consoleOnly = await run(CONSOLE);
  const apiOnly = await run(API);
  const mapped = await run([...CONSOLE, ...API], NAMES);
  const unmapped = await run([...CONSOLE, ...API]);

  it('with the names mapped, both read together bill what each bills alone, under the API ids', () => {
    expect(consoleOnly.totals.billed.toString()).toBe('8.43');
    expect(apiOnly.totals.billed.toString()).toBe('8.43');
    expect(mapped.totals.billed.toString()).toBe('8.43');
    expect(projects(mapped)).toEqual(projects(apiOnly));
    expect(mapped.conservation.holds).toBe(true);
    expect(mapped.exceptions.map((e) => e.class)).toContain('console_api_overlap');
    expect(mapped.exceptions.map((e) => e.class)).not.toContain('console_api_names_unmatched');
  });

  it('with the names mapped, the tokens count once too: the cross-check list prices equal the API-only run', () => {
    const list = (r: ReportResult) => r.attribution!.crossCheck.reduce((n, c) => n + c.inputTokens + c.outputTokens, 0);
    expect(list(mapped)).toBe(list(apiOnly));
  });

  it('without the names, a warning names the Console workspaces that meet no API id (never a silent double count)', () => {
    const w = unmapped.exceptions.find((e) => e.class === 'console_api_names_unmatched')!;
    expect(w.severity).toBe('warning');
    expect(w.subject).toBe('Anthropic: Research');
    expect(w.message).toContain('"Research"');
    expect(w.nextStep).toContain('"providers": {"anthropic"');
    // the default workspace has no id in either export, so it meets and counts once; only the
    // unmapped workspace's Console rows are kept beside the API's — the money the warning is about
    const research = consoleOnly.attribution!.summaries.byProject.find((p) => p.projectId === 'Research')!.billed;
    expect(unmapped.totals.billed.toString()).toBe(apiOnly.totals.billed.plus(research).toString());
  });

  it('one export alone: no overlap, no warning', () => {
    for (const r of [consoleOnly, apiOnly]) expect(r.exceptions.map((e) => e.class).filter((c) => c.startsWith('console_api'))).toEqual([]);
  });
});

describe('the names in the config', () => {
  it('are keyed by a known provider id, refused with the JSON path otherwise', () => {
    expect(() => parseConfig({ providers: { antropic: { projects: {} } } }, 'cfg.json', 'UTC')).toThrow(ConfigError);
    expect(() => parseConfig({ providers: { antropic: { projects: {} } } }, 'cfg.json', 'UTC')).toThrow(/providers\.antropic: expected a provider id/);
    expect(() => parseConfig({ providers: { anthropic: { workspaces: {} } } }, 'cfg.json', 'UTC')).toThrow(/providers\.anthropic/);
    expect(() => parseConfig({ providers: { anthropic: { projects: { wrkspc_1: '' } } } }, 'cfg.json', 'UTC')).toThrow(/providers\.anthropic\.projects\.wrkspc_1/);
  });

  it('map a name to its id only for its own provider, and not a name given to two ids', () => {
    const maps = identityMaps({ anthropic: { projects: { w1: 'Research', w2: 'Ops', w3: 'Ops' }, apiKeys: {} } });
    const rec = (provider: string, projectId: string) => ({ provider, projectId, projectName: null, apiKeyId: null }) as unknown as CostRecord;
    expect(withApiIds(rec('anthropic', 'Research'), maps)).toMatchObject({ projectId: 'w1', projectName: 'Research' });
    expect(withApiIds(rec('openai', 'Research'), maps).projectId).toBe('Research');
    expect(withApiIds(rec('anthropic', 'Ops'), maps).projectId).toBe('Ops');
  });
});
