import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CostRecord, UsageRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { redactSecrets } from '../../src/redact.js';
import { centsToAmount, consoleBucket, modelIdOfDisplayName } from '../../src/sources/anthropic-fields.js';
import { readExport } from './read-export.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'anthropic');
const tmp = mkdtempSync(join(tmpdir(), 'spendrecon-anthropic-'));

/** The data lines of a CSV, split naively (the fixtures quote nothing). */
function csvLines(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

const sum = (xs: Decimal[]) => xs.reduce((a, b) => a.plus(b), Decimal.ZERO);

describe('Claude Console usage export (CSV)', () => {
  it('reads every line of the current header: workspace as project, 5m/1h writes, long context, web searches', async () => {
    const path = join(FX, 'claude_api_tokens_2026_10_01_to_2026_10_31.csv');
    const r = await readExport<UsageRecord>(path);
    expect(r.format).toBe('anthropic-usage-csv');
    expect(r.issues).toEqual([]);
    const lines = csvLines(path);
    expect(r.records).toHaveLength(lines.length);
    r.records.forEach((rec, i) => {
      const l = lines[i]!;
      const n = (c: string) => Number(l[c]);
      expect(rec.provider).toBe('anthropic');
      expect(rec.src.line).toBe(i + 2);
      expect(rec.start).toBe(Date.parse(`${l.usage_date_utc}T00:00:00Z`) / 1000);
      expect(rec.end - rec.start).toBe(86400);
      expect(rec.model).toBe(l.model_version);
      expect(rec.apiKeyId).toBe(l.api_key);
      expect(rec.projectId).toBe(l.workspace === 'Default' ? null : l.workspace);
      expect(rec.cachedTokens).toBe(n('usage_input_tokens_cache_read'));
      expect(rec.cacheWriteTokens).toBe(n('usage_input_tokens_cache_write_5m') + n('usage_input_tokens_cache_write_1h'));
      expect(rec.cacheWrite1hTokens).toBe(n('usage_input_tokens_cache_write_1h'));
      expect(rec.inputTokens).toBe(n('usage_input_tokens_no_cache') + rec.cachedTokens + rec.cacheWriteTokens);
      expect(rec.outputTokens).toBe(n('usage_output_tokens'));
      expect(rec.longContext).toBe(l.context_window === '> 200k');
      expect(rec.batch).toBe(l.usage_type === 'batch');
      expect(rec.other?.web_search_requests ?? 0).toBe(n('web_search_count'));
    });
  });

  it('reads hourly rows and the older header without context_window, inference_geo, speed', async () => {
    const hourly = await readExport<UsageRecord>(join(FX, 'claude_api_tokens_2026_10_02_hourly.csv'));
    expect(hourly.records.map((r) => [r.start, r.end - r.start])).toContainEqual([Date.parse('2026-10-02T09:00:00Z') / 1000, 3600]);
    const old = await readExport<UsageRecord>(join(FX, 'claude_api_tokens_2025_06_older.csv'));
    expect(old.issues).toEqual([]);
    expect(old.records.map((r) => [r.projectId, r.longContext, r.inputTokens])).toEqual([
      [null, false, 8],
      ['Research', false, 16000],
    ]);
  });

  it('names file, line, column and what was expected for bad cells', async () => {
    const head = readFileSync(join(FX, 'claude_api_tokens_2026_10_01_to_2026_10_31.csv'), 'utf8').split('\n')[0];
    const path = join(tmp, 'bad_tokens.csv');
    writeFileSync(
      path,
      `${[
        head,
        '2026-10-32,claude-haiku-4-5-20251001,k,Default,standard,≤ 200k,1,0,0,0,1,0,not_available,',
        '2026-10-01 02:30,claude-haiku-4-5-20251001,k,Default,standard,≤ 200k,1,0,0,0,1,0,not_available,',
        '2026-10-01,claude-haiku-4-5-20251001,k,Default,standard,≤ 200k,1.5,0,0,0,1,0,not_available,',
        '2026-10-01,claude-haiku-4-5-20251001,k,Default,standard,huge,1,0,0,0,1,0,not_available,',
        '2026-10-01 02:00,claude-haiku-4-5-20251001,k,Default,standard,≤ 200k,1,0,0,0,1,0,not_available,',
      ].join('\n')}\n`,
    );
    const r = await readExport<UsageRecord>(path);
    expect(r.records).toHaveLength(1);
    expect(r.issues.map((i) => [i.line, i.column, i.rejected])).toEqual([
      [2, 'usage_date_utc', true],
      [3, 'usage_date_utc', true],
      [4, 'usage_input_tokens_no_cache', true],
      [5, 'context_window', true],
    ]);
    expect(r.issues[0]!.message).toMatch(/expected a UTC date \(2026-10-01\) or hour \(2026-10-01 02:00\), found "2026-10-32"/);
    expect(r.issues.every((i) => i.file === path)).toBe(true);
  });
});

describe('Claude Console cost export (CSV)', () => {
  it('reads every line: dollars exact, display name → model id, token kinds, the default workspace', async () => {
    const path = join(FX, 'claude_api_cost_2026_10_01_to_2026_10_31.csv');
    const r = await readExport<CostRecord>(path);
    expect(r.format).toBe('anthropic-costs-csv');
    expect(r.issues).toEqual([]);
    const lines = csvLines(path);
    expect(r.records).toHaveLength(lines.length);
    const kinds: Record<string, string | null> = {
      input_no_cache: 'input',
      input_cache_write_5m: 'cache writes',
      input_cache_write_1h: 'cache writes 1h',
      input_cache_read: 'cached input',
      output: 'output',
      '': null,
    };
    r.records.forEach((rec, i) => {
      const l = lines[i]!;
      expect(rec.amount.eq(Decimal.from(l.cost_usd!))).toBe(true);
      expect(rec.currency).toBe('USD');
      expect(rec.lineItem?.model).toBe(l.model === '' ? null : modelIdOfDisplayName(l.model!));
      expect(rec.lineItem?.tokenKind).toBe(kinds[l.token_type!]);
      expect(rec.lineItem?.longContext).toBe(l.context_window === '> 200k');
      expect(rec.projectId).toBe(l.workspace === 'Default' ? null : l.workspace);
      if (l.workspace === 'Default') expect(rec.projectName).toBe('Default workspace');
      expect(rec.lineItemRaw).toContain(l.token_type!);
    });
    expect(sum(r.records.map((x) => x.amount)).toString()).toBe(sum(lines.map((l) => Decimal.from(l.cost_usd!))).toString());
  });

  it('keeps a display name the table does not know, with one notice per name', async () => {
    const path = join(tmp, 'cost_unknown_model.csv');
    const head = 'usage_date_utc,model,workspace,api_key,usage_type,context_window,token_type,cost_usd,list_price_usd,cost_type,inference_geo,speed';
    const row = (d: string) => `${d},Claude Nova 9,Default,k,message,≤ 200k,output,0.50,0.50,token,global,`;
    writeFileSync(path, `${[head, row('2026-10-01'), row('2026-10-02')].join('\n')}\n`);
    const r = await readExport<CostRecord>(path);
    expect(r.records.map((x) => x.lineItem?.model)).toEqual(['Claude Nova 9', 'Claude Nova 9']);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ severity: 'info', rejected: false, column: 'model', line: 2 });
  });

  it('rejects a bad amount with the column, and counts the money it could read elsewhere', async () => {
    const path = join(tmp, 'cost_bad.csv');
    const head = 'usage_date_utc,model,workspace,api_key,usage_type,context_window,token_type,cost_usd,list_price_usd,cost_type,inference_geo,speed';
    writeFileSync(
      path,
      `${[
        head,
        '2026-10-01,Claude Haiku 4.5,Default,k,message,≤ 200k,output,1.2.3,0,token,global,',
        'yesterday,Claude Haiku 4.5,Default,k,message,≤ 200k,output,0.25,0,token,global,',
      ].join('\n')}\n`,
    );
    const r = await readExport<CostRecord>(path);
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.column, i.amount?.toString() ?? null])).toEqual([
      [2, 'cost_usd', null],
      [3, 'usage_date_utc', '0.25'],
    ]);
    expect(r.issues[0]!.message).toMatch(/expected an amount in dollars such as 0\.19.*found "1\.2\.3"/);
  });
});

describe('cost_report cents, exactly', () => {
  it.each([
    ['123.78912', '1.2378912'],
    ['0', '0'],
    ['-2500', '-25'],
    ['-0.5', '-0.005'],
    ['19.000', '0.19'],
    ['0.000000000000000000000000000001', '0.00000000000000000000000000000001'],
    ['99999999999999.99', '999999999999.9999'],
  ])('%s cents is $%s', (cents, dollars) => {
    expect(centsToAmount(cents)!.eq(Decimal.from(dollars))).toBe(true);
    expect(centsToAmount(cents)!.toString()).toBe(Decimal.from(dollars).toString());
  });

  it.each(['', '1e', '12,5', 'NaN', '1'.repeat(40)])('refuses %j', (text) => {
    expect(centsToAmount(text)).toBeNull();
  });

  it('keeps every digit of an amount written as a JSON number', async () => {
    const path = join(tmp, 'cost_number.jsonl');
    const page =
      '{"data":[{"starting_at":"2026-10-01T00:00:00Z","ending_at":"2026-10-02T00:00:00Z","results":[{"currency":"USD","amount":0.12345678901234567891,"workspace_id":null,"description":"Claude Haiku 4.5 Usage - Output Tokens","cost_type":"tokens","context_window":"0-200k","model":"claude-haiku-4-5-20251001","service_tier":"standard","token_type":"output_tokens"}]}],"has_more":false,"next_page":null}';
    writeFileSync(path, `${page}\n`);
    const r = await readExport<CostRecord>(path);
    expect(r.records[0]!.amount.toString()).toBe('0.0012345678901234567891');
  });
});

describe('Admin API pages', () => {
  it('reads the usage report across pages (has_more/next_page), empty buckets skipped', async () => {
    const r = await readExport<UsageRecord>(join(FX, 'anthropic_usage_report_messages_2026-10-01_2026-10-31_1d.jsonl'));
    expect(r.format).toBe('anthropic-usage-json');
    expect(r.issues).toEqual([]);
    expect(r.skipped).toBe(31 - new Set(r.records.map((x) => x.start)).size);
    const lines = readFileSync(join(FX, 'anthropic_usage_report_messages_2026-10-01_2026-10-31_1d.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { has_more: boolean }).has_more)).toEqual([true, false]);
    const research = r.records.filter((x) => x.projectId === 'wrkspc_01Rk7QpX2mVb9LtN4cHs8JdA');
    expect(research.length).toBeGreaterThan(0);
    expect(r.records.filter((x) => x.projectId === null).every((x) => x.apiKeyId === 'apikey_01Hq3ZtW8nRb5VxK2mLp9YcD')).toBe(true);
  });

  it('reads the reference example page (fixtures/api-pages) the fetch tests replay', async () => {
    const u = await readExport<UsageRecord>(join(FX, '..', 'api-pages', 'anthropic_usage_report_messages.jsonl'));
    expect(u.records[0]).toMatchObject({ inputTokens: 1500 + 1000 + 500 + 200, cacheWriteTokens: 1500, cacheWrite1hTokens: 1000, cachedTokens: 200, outputTokens: 500 });
    expect(u.records[0]!.other).toEqual({ web_search_requests: 10 });
    expect(u.records.at(-1)).toMatchObject({ projectId: null, serviceTier: 'priority', longContext: true });
    const c = await readExport<CostRecord>(join(FX, '..', 'api-pages', 'anthropic_cost_report.jsonl'));
    expect(c.records.map((x) => x.amount.toString())).toEqual(['1.2378912', '0.1']);
  });

  it('names the bucket and field of a bad value', async () => {
    const path = join(tmp, 'usage_bad.jsonl');
    const bucket = (s: string, e: string, results: unknown[]) => ({ starting_at: s, ending_at: e, results });
    const ok = { uncached_input_tokens: 1, output_tokens: 1, model: 'claude-haiku-4-5-20251001' };
    writeFileSync(
      path,
      `${JSON.stringify({
        data: [
          bucket('2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', [{ ...ok, cache_read_input_tokens: -3 }, ok]),
          bucket('2026-10-02T00:00:00Z', '2026-10-02T05:00:00Z', [ok]),
          bucket('yesterday', '2026-10-03T00:00:00Z', [ok]),
        ],
        has_more: false,
        next_page: null,
      })}\n`,
    );
    const r = await readExport<UsageRecord>(path);
    expect(r.records).toHaveLength(1);
    expect(r.issues.map((i) => [i.line, i.column])).toEqual([
      [1, 'data[0].results[0].cache_read_input_tokens'],
      [1, 'data[1].results[0] (data[1].ending_at)'],
      [1, 'data[2].results[0] (data[2].starting_at)'],
    ]);
    expect(r.issues[1]!.message).toMatch(/expected a bucket of 60 s .*found end_time − start_time = 18000 s/);
  });
});

describe('Console date cells', () => {
  it.each([
    ['2026-10-01', '2026-10-01T00:00:00Z', 86400],
    ['2026-03-31 02:00', '2026-03-31T02:00:00Z', 3600],
    ['2026-10-31 23:00', '2026-10-31T23:00:00Z', 3600],
  ])('%s', (text, iso, width) => {
    const b = consoleBucket(text)!;
    expect([b.start, b.end - b.start]).toEqual([Date.parse(iso) / 1000, width]);
  });
  it.each(['2026-02-29', '2026-10-01 24:00', '10/01/2026', ''])('refuses %j', (t) => expect(consoleBucket(t)).toBeNull());
});

it('redacts Anthropic key-shaped text (sk-ant-…) to its last four', () => {
  expect(redactSecrets('key sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-wxyz leaked')).toBe('key sk-ant-api03-…wxyz leaked');
  expect(redactSecrets('sk-ant-admin01-ZZZZZZZZZZZZZZZZZZZZ1234')).toBe('sk-ant-admin01-…1234');
});
