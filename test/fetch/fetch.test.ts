import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchRange, runFetch, type FetchOptions } from '../../src/fetch/index.js';
import { compactJson } from '../../src/fetch/json-text.js';
import { MANIFEST_FILE, type Manifest } from '../../src/fetch/manifest.js';
import { makePeriod, monthPeriod } from '../../src/time.js';
import { splitTopLevelArray, startReplay, type Replay } from './replay-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const API = join(ROOT, 'fixtures', 'openai', 'api');
const PAGES = join(ROOT, 'fixtures', 'api-pages');
const OPENAI_KEY = 'sk-admin-T3stK3yN0tRealAbCdEfGh1234567890wxyz';
const ANTHROPIC_KEY = 'sk-ant-admin01-T3stK3yN0tRealAbCdEfGh1234567890-AAAA';
const COMPLETIONS = '/v1/organization/usage/completions';
const COSTS = '/v1/organization/costs';
const A_USAGE = '/v1/organizations/usage_report/messages';
const A_COSTS = '/v1/organizations/cost_report';

const lines = async (f: string) => (await readFile(f, 'utf8')).split('\n').filter((l) => l !== '');
const fixture = (name: string) => readFile(join(PAGES, name), 'utf8');

let server: Replay;
let out: string;
let slept: number[];
let log: string[];

/** The OpenAI pages the hand-saved fixtures hold, the costs pretty-printed as they were saved. */
async function loadOpenAiPages(r: Replay) {
  r.pages.set(COMPLETIONS, await lines(join(API, 'usage_completions_2026-11-01_2026-11-14.jsonl')));
  r.pages.set(COSTS, splitTopLevelArray(await readFile(join(API, 'costs_2026-11-08_2026-11-14.json'), 'utf8')));
}

function options(extra: Partial<FetchOptions> = {}): FetchOptions {
  return {
    period: makePeriod('2026-11-08', '2026-11-14', 'UTC'),
    outDir: out,
    usageWidth: '1d',
    resume: false,
    keys: { openai: OPENAI_KEY },
    baseUrl: server.base,
    policy: { sleep: async (ms) => void slept.push(ms), random: () => 0, maxAttempts: 4, timeoutMs: 5000 },
    log: (l) => void log.push(l),
    ...extra,
  };
}

const manifestOf = async (): Promise<Manifest> => JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as Manifest;

beforeEach(async () => {
  server = await startReplay((p) => p.startsWith('/v1/organization/usage/'));
  out = await mkdtemp(join(tmpdir(), 'spendrecon-fetch-'));
  slept = [];
  log = [];
});
afterEach(async () => {
  await server.close();
  await rm(out, { recursive: true, force: true });
});

describe('fetchRange', () => {
  it('covers whole UTC days around the local period', () => {
    const r = fetchRange(monthPeriod('2026-10', 'Europe/Berlin'), '1d');
    expect(new Date(r.start * 1000).toISOString()).toBe('2026-09-30T00:00:00.000Z');
    expect(new Date(r.end * 1000).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    const la = fetchRange(monthPeriod('2026-10', 'America/Los_Angeles'), '1h');
    expect(new Date(la.start * 1000).toISOString()).toBe('2026-10-01T00:00:00.000Z');
    expect(new Date(la.end * 1000).toISOString()).toBe('2026-11-02T00:00:00.000Z');
  });
});

describe('compactJson', () => {
  it('drops whitespace between tokens only, keeping every digit and every string', () => {
    const text = '{\n  "value" : 0.12345678901234567891,\n\t"s": "a  \\" b\\\\",  "n": [1, 2]\n}';
    expect(compactJson(text)).toBe('{"value":0.12345678901234567891,"s":"a  \\" b\\\\","n":[1,2]}');
    expect(JSON.parse(compactJson(text))).toEqual(JSON.parse(text));
  });
});

describe('runFetch against a replay of OpenAI pages', () => {
  it('pages to the end and saves each page as it came, one per line, with a manifest', async () => {
    await loadOpenAiPages(server);
    const { failures, manifest } = await runFetch(options());
    expect(failures).toEqual([]);
    const usageFile = join(out, 'openai_usage_completions_2026-11-08_2026-11-14_1d.jsonl');
    expect(await lines(usageFile)).toEqual(server.pages.get(COMPLETIONS));
    const costLines = await lines(join(out, 'openai_costs_2026-11-08_2026-11-14.jsonl'));
    expect(costLines).toEqual(server.pages.get(COSTS)!.map(compactJson));
    expect(costLines[0]).toContain('"value":"0.0574608000000000"');
    // unused categories leave no file; no temp file remains
    expect((await readdir(out)).sort()).toEqual([MANIFEST_FILE, 'openai_costs_2026-11-08_2026-11-14.jsonl', 'openai_usage_completions_2026-11-08_2026-11-14_1d.jsonl']);
    const usage = manifest.entries.find((e) => e.endpoint === COMPLETIONS)!;
    expect(usage).toMatchObject({ status: 'complete', pages: 5, buckets: 14 });
    expect(usage.sha256).toBe(
      createHash('sha256')
        .update(await readFile(usageFile))
        .digest('hex'),
    );
    expect(usage.params.group_by).toEqual(['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier']);
    expect(manifest.entries.filter((e) => e.status === 'empty').map((e) => e.endpoint)).toContain('/v1/organization/usage/embeddings');
    expect(await manifestOf()).toEqual(manifest);
    expect(log.some((l) => /^OpenAI usage\/completions: 5 pages, 14 buckets, \d+ results → openai_usage_completions/.test(l))).toBe(true);
  });

  it('asks with the documented parameters: the range, widths, groups, the largest page and the cursor', async () => {
    await loadOpenAiPages(server);
    await runFetch(options({ usageWidth: '1h' }));
    const usage = server.requests.filter((r) => r.url.pathname === COMPLETIONS);
    expect(usage).toHaveLength(5);
    const q = usage[0]!.url.searchParams;
    expect(q.get('start_time')).toBe(String(Date.UTC(2026, 10, 8) / 1000));
    expect(q.get('end_time')).toBe(String(Date.UTC(2026, 10, 15) / 1000));
    expect([q.get('bucket_width'), q.get('limit'), q.get('page')]).toEqual(['1h', '168', null]);
    expect(usage[1]!.url.searchParams.get('page')).toBe('page_keXr1uy1tNjhpbswVkrBh2DY');
    expect(usage[0]!.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    const costs = server.requests.find((r) => r.url.pathname === COSTS)!.url.searchParams;
    expect([costs.getAll('group_by'), costs.get('limit'), costs.get('bucket_width')]).toEqual([['project_id', 'line_item', 'api_key_id'], '180', '1d']);
  });

  it('waits as Retry-After says on a 429, backs off on a 500, and retries a cut-off body', async () => {
    await loadOpenAiPages(server);
    server.fault(COMPLETIONS, 0, {
      status: 429,
      headers: { 'retry-after': '1' },
      body: '{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}',
    });
    server.fault(COMPLETIONS, 2, { status: 500, body: '{"error":{"message":"The server had an error","type":"server_error"}}' });
    const page3 = server.pages.get(COMPLETIONS)![3]!;
    server.fault(COMPLETIONS, 3, { body: page3, cutAfter: 200 }, { body: page3.slice(0, 300) });
    const { failures } = await runFetch(options());
    expect(failures).toEqual([]);
    // Retry-After 1 s; then the backoff of attempt 1 (1 s, half of it jitter pinned at 0), then 1 s, 2 s
    expect(slept).toEqual([1000, 500, 500, 1000]);
    expect(await lines(join(out, 'openai_usage_completions_2026-11-08_2026-11-14_1d.jsonl'))).toEqual(server.pages.get(COMPLETIONS));
    expect(log.filter((l) => l.includes('retrying'))).toHaveLength(4);
    expect(log.some((l) => l.includes('HTTP 429 (rate limited); retrying in 1.0 s (attempt 2 of 4)'))).toBe(true);
    expect(log.some((l) => l.includes('not complete JSON'))).toBe(true);
  });

  it('a server that stalls mid-body times out and is asked again', async () => {
    await loadOpenAiPages(server);
    server.fault(COSTS, 1, { body: server.pages.get(COSTS)![1]!, stallAfter: 100 });
    const { failures } = await runFetch(options({ policy: { sleep: async (ms) => void slept.push(ms), random: () => 0, timeoutMs: 300 } }));
    expect(failures).toEqual([]);
    expect(log.filter((l) => l.startsWith('OpenAI costs: no complete answer within 0.3 s; retrying'))).toHaveLength(1);
    expect(await lines(join(out, 'openai_costs_2026-11-08_2026-11-14.jsonl'))).toHaveLength(2);
  });

  it('falls back to costs without api_key_id when the API answers 400, and says so', async () => {
    await loadOpenAiPages(server);
    server.fault(COSTS, 0, { status: 400, body: await fixture('openai_costs_error_400_group_by.json') });
    const { failures, manifest } = await runFetch(options());
    expect(failures).toEqual([]);
    const costs = manifest.entries.find((e) => e.endpoint === COSTS)!;
    expect(costs.params.group_by).toEqual(['project_id', 'line_item']);
    expect(costs.note).toMatch(/refused group_by=api_key_id.*Invalid value for 'group_by'/);
    expect(log.some((l) => l.startsWith('OpenAI costs: costs grouped by project and line item only'))).toBe(true);
    expect(await lines(join(out, 'openai_costs_2026-11-08_2026-11-14.jsonl'))).toHaveLength(2);
  });

  it('a 401 names the provider and the variable, never the key, and leaves no file that looks complete', async () => {
    await loadOpenAiPages(server);
    server.fault(COMPLETIONS, 0, { status: 401, body: (await fixture('openai_error_401.json')).replace('KEY_HERE', OPENAI_KEY) });
    const { failures, manifest } = await runFetch(options());
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^OpenAI usage\/completions: the Admin API refused the key \(HTTP 401: Incorrect API key provided: \[the key\]/);
    expect(failures[0]).toContain('set OPENAI_ADMIN_KEY');
    expect(manifest.complete).toBe(false);
    expect((await readdir(out)).filter((f) => !f.startsWith('.'))).toEqual([MANIFEST_FILE]);
    for (const f of await readdir(out)) expect(await readFile(join(out, f), 'utf8')).not.toContain(OPENAI_KEY);
  });

  it('a fetch that fails part-way keeps only a hidden partial file; --resume continues from the last good page', async () => {
    await loadOpenAiPages(server);
    const fail = { status: 503, body: 'upstream unavailable' };
    server.fault(COMPLETIONS, 3, fail, fail, fail, fail);
    const first = await runFetch(options());
    expect(first.failures[0]).toMatch(/^OpenAI usage\/completions: gave up after 4 attempts; the last: HTTP 503/);
    const names = await readdir(out);
    expect(names.filter((f) => !f.startsWith('.'))).toEqual([MANIFEST_FILE]);
    expect(await lines(join(out, '.openai_usage_completions_2026-11-08_2026-11-14_1d.jsonl.partial'))).toHaveLength(3);
    // a page cut off mid-write is dropped on resume
    await writeFile(join(out, '.openai_usage_completions_2026-11-08_2026-11-14_1d.jsonl.partial'), `${server.pages.get(COMPLETIONS)!.slice(0, 3).join('\n')}\n{"object":"pa`);
    server.requests.length = 0;
    const second = await runFetch(options({ resume: true }));
    expect(second.failures).toEqual([]);
    const asked = server.requests.filter((r) => r.url.pathname === COMPLETIONS).map((r) => r.url.searchParams.get('page'));
    expect(asked).toEqual(['page_lghFci0I8GHoK6asfDDiN7NN', 'page_C7g1txTmWsHNJdE45DvzaZ3G']);
    expect(await lines(join(out, 'openai_usage_completions_2026-11-08_2026-11-14_1d.jsonl'))).toEqual(server.pages.get(COMPLETIONS));
    expect(log.some((l) => l === 'OpenAI usage/completions: resuming after page 3')).toBe(true);
    // a third run with --resume asks nothing: every file is complete and unchanged
    server.requests.length = 0;
    const third = await runFetch(options({ resume: true }));
    expect(server.requests).toHaveLength(0);
    expect(third.manifest.entries).toEqual(second.manifest.entries);
  });
});

describe('runFetch against a replay of Anthropic pages', () => {
  it('saves the documented pages as .jsonl for report to read, with the key in x-api-key only', async () => {
    server.pages.set(A_USAGE, await lines(join(PAGES, 'anthropic_usage_report_messages.jsonl')));
    server.pages.set(A_COSTS, await lines(join(PAGES, 'anthropic_cost_report.jsonl')));
    const { failures, manifest } = await runFetch(options({ keys: { anthropic: ANTHROPIC_KEY } }));
    expect(failures).toEqual([]);
    expect(await lines(join(out, 'anthropic_usage_report_messages_2026-11-08_2026-11-14_1d.jsonl'))).toEqual(server.pages.get(A_USAGE));
    expect(manifest.entries.map((e) => [e.endpoint, e.pages, e.buckets, e.results])).toEqual([
      [A_USAGE, 2, 3, 3],
      [A_COSTS, 1, 2, 2],
    ]);
    const usage = server.requests.filter((r) => r.url.pathname === A_USAGE);
    expect(usage[0]!.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(usage[0]!.headers['anthropic-version']).toBe('2023-06-01');
    expect(usage[0]!.headers.authorization).toBeUndefined();
    const q = usage[0]!.url.searchParams;
    expect([q.get('starting_at'), q.get('ending_at'), q.get('limit')]).toEqual(['2026-11-08T00:00:00Z', '2026-11-15T00:00:00Z', '31']);
    expect(q.getAll('group_by[]')).toEqual(['workspace_id', 'api_key_id', 'model', 'service_tier', 'context_window']);
    expect(usage[1]!.url.searchParams.get('page')).toBe('page_MjAyNi0xMS0xMFQwMDowMDowMFo=');
    const costs = server.requests.find((r) => r.url.pathname === A_COSTS)!.url.searchParams;
    expect(costs.getAll('group_by[]')).toEqual(['workspace_id', 'description']);
  });

  it("a 401 with Anthropic's error JSON names Anthropic and ANTHROPIC_ADMIN_KEY", async () => {
    server.pages.set(A_USAGE, await lines(join(PAGES, 'anthropic_usage_report_messages.jsonl')));
    server.fault(A_USAGE, 0, { status: 401, body: await fixture('anthropic_error_401.json') });
    const { failures } = await runFetch(options({ keys: { anthropic: ANTHROPIC_KEY } }));
    expect(failures).toEqual([
      'Anthropic usage_report/messages: the Admin API refused the key (HTTP 401: invalid x-api-key (authentication_error)); set ANTHROPIC_ADMIN_KEY to an Admin key (sk-ant-admin…) of the organisation, or name a file holding one with --anthropic-key-file',
    ]);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or an HTTP date, and backs off exponentially with a cap', async () => {
    const { backoffMs, retryAfterMs } = await import('../../src/fetch/http.js');
    expect(retryAfterMs('1')).toBe(1000);
    expect(retryAfterMs('Wed, 21 Oct 2026 07:28:30 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(30_000);
    expect(retryAfterMs('soon')).toBeNull();
    const p = { baseBackoffMs: 1000, maxBackoffMs: 8000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, { ...p, random: () => 0 }))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(backoffMs(3, { ...p, random: () => 0.999 })).toBe(3998);
  });
});

describe('keys', () => {
  it('come from a named file before the environment; a bad one is described, never shown', async () => {
    const { resolveKeys } = await import('../../src/fetch/command.js');
    await writeFile(join(out, 'openai.key'), `${OPENAI_KEY}\n`);
    expect(await resolveKeys({ OPENAI_ADMIN_KEY: 'sk-admin-other' }, { openai: 'openai.key' }, out)).toEqual({ openai: OPENAI_KEY });
    expect(await resolveKeys({ ANTHROPIC_ADMIN_KEY: ANTHROPIC_KEY }, {}, out)).toEqual({ anthropic: ANTHROPIC_KEY });
    await writeFile(join(out, 'two.key'), `${OPENAI_KEY}\nX-Other: 1`);
    const bad = await resolveKeys({}, { openai: 'two.key' }, out).catch((e: Error) => e.message);
    expect(bad).toBe('--openai-key-file two.key holds spaces, line breaks or control characters inside the key; it must hold the key alone');
    await expect(resolveKeys({}, {}, out)).rejects.toThrow(/no provider key/);
  });
});
