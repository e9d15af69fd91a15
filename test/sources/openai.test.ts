import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CostRecord, UsageRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { exportReaders, openInput, recognise } from '../../src/sources/index.js';
import { readExport } from './read-export.js';
import { parseLineItem } from '../../src/sources/openai-fields.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'openai');

/** Independent count of data lines: lines after the header that are not blank. */
function dataLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '');
}

describe('usage export (CSV)', () => {
  it('reads the 2026 header with hourly buckets, float counts and True/FALSE', async () => {
    const path = join(FX, 'completions_usage_2026-10-01_2026-10-31.csv');
    const r = await readExport<UsageRecord>(path);
    expect(r.detection.format).toBe('openai-usage-csv');
    expect(r.detection.reasons.join(' ')).toMatch(/2026 header/);
    expect(r.detection.unknownColumns).toEqual([]);
    expect(r.issues).toEqual([]);
    expect(r.records.length + r.skipped).toBe(dataLines(path).length);
    expect(r.skipped).toBeGreaterThan(0); // empty buckets are skipped, not errors
    expect(r.records.every((u) => u.end - u.start === 3600)).toBe(true);
    expect(r.records.some((u) => u.batch === true) && r.records.some((u) => u.batch === false)).toBe(true);
    const raw = readFileSync(path, 'utf8');
    expect(raw).toMatch(/,TRUE,|,FALSE,/);
    expect(r.records.every((u) => Number.isInteger(u.inputTokens) && u.inputTokens >= u.cachedTokens + u.cacheWriteTokens)).toBe(true);
    // line numbers are physical lines: the first record sits on line 2
    expect(r.records[0]!.src.line).toBeGreaterThanOrEqual(2);
  });

  it('reads the 2025 header (no compute_units / cache writes) and reports an unknown column', async () => {
    const r = await readExport<UsageRecord>(join(FX, 'completions_usage_2026-09-28_2026-10-03_daily.csv'));
    expect(r.detection.reasons.join(' ')).toMatch(/2025 header/);
    expect(r.detection.unknownColumns).toEqual(['region']);
    expect(r.issues).toEqual([]);
    expect(r.records.every((u) => u.end - u.start === 86400 && u.cacheWriteTokens === 0)).toBe(true);
  });

  it('reads 1-minute buckets', async () => {
    const r = await readExport<UsageRecord>(join(FX, 'completions_usage_2026-10-31_minute.csv'));
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.every((u) => u.end - u.start === 60)).toBe(true);
  });

  it('reports bad cells with file, line, column and what was expected, and goes on', async () => {
    const path = join(FX, 'bad', 'completions_usage_bad_rows.csv');
    const r = await readExport<UsageRecord>(path);
    expect(r.issues.length).toBeGreaterThanOrEqual(2);
    for (const i of r.issues) {
      expect(i.file).toBe(path);
      expect(i.line).toBeGreaterThan(1);
      expect(i.message).toMatch(/expected/);
    }
    const lines = readFileSync(path, 'utf8').split(/\r?\n/);
    const columns = r.issues.map((i) => i.column);
    expect(columns).toContain('start_time');
    // the line an issue names really holds the bad value
    for (const i of r.issues) expect(lines[i.line - 1]).toBeDefined();
    expect(r.records.length + r.skipped + r.issues.length).toBe(dataLines(path).length);
  });

  it('reads another usage category (embeddings) with its own columns', async () => {
    const r = await readExport<UsageRecord>(join(FX, 'embeddings_usage_2026-10-01_2026-10-31.csv'));
    expect(r.detection.format).toBe('openai-usage-csv');
    expect(r.issues).toEqual([]);
    expect(r.records.some((u) => u.model?.startsWith('text-embedding'))).toBe(true);
  });
});

describe('cost export (CSV)', () => {
  it('parses long decimal amounts exactly and keeps the raw line item', async () => {
    const path = join(FX, 'cost_2026-10-01_2026-10-31.csv');
    const r = await readExport<CostRecord>(path);
    expect(r.detection.format).toBe('openai-costs-csv');
    expect(r.detection.reasons.join(' ')).toMatch(/api_source/);
    expect(r.issues).toEqual([]);
    // independent total: every amount_value cell summed as text digits
    const header = readFileSync(path, 'utf8').split('\n')[0]!.split(',');
    const ai = header.indexOf('amount_value');
    let expected = Decimal.ZERO;
    for (const line of dataLines(path)) {
      const cells = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
      if (cells[ai]) expected = expected.plus(Decimal.from(cells[ai]!));
    }
    const total = r.records.reduce((s, c) => s.plus(c.amount), Decimal.ZERO);
    expect(total.eq(expected)).toBe(true);
    expect(r.records.every((c) => c.currency === 'USD')).toBe(true);
    expect(r.records.some((c) => c.lineItemRaw === 'web search tool calls' && c.lineItem === null)).toBe(true);
    expect(r.skipped).toBeGreaterThan(0);
  });

  it('reads the 2025 cost header', async () => {
    const r = await readExport<CostRecord>(join(FX, 'cost_2026-09-01_2026-09-30_old.csv'));
    expect(r.detection.reasons.join(' ')).toMatch(/2025 header/);
    expect(r.issues).toEqual([]);
    expect(r.records.length).toBeGreaterThan(0);
  });

  it('prefers the Unix columns when the ISO column has no offset', async () => {
    const path = join(FX, 'cost_2026-10-01_2026-10-31.csv');
    const raw = readFileSync(path, 'utf8');
    expect(raw).toMatch(/,2026-10-\d\dT00:00:00,/); // the quirk is present in the fixture
    const r = await readExport<CostRecord>(path);
    expect(r.records.every((c) => c.start % 86400 === 0 && c.end - c.start === 86400)).toBe(true);
  });

  it('keeps the money of a rejected row and names the column', async () => {
    const path = join(FX, 'bad', 'cost_bad_rows.csv');
    const r = await readExport<CostRecord>(path);
    const bad = r.issues.find((i) => i.column === 'amount_value');
    expect(bad?.message).toMatch(/12,5O/);
    expect(r.issues.some((i) => /columns/.test(i.message))).toBe(true);
  });

  it('a missing required column is named', async () => {
    const input = await openInput(join(FX, 'bad', 'cost_missing_amount_value.csv'));
    const rec = recognise(input, exportReaders);
    expect(rec.detection?.format).toBe('openai-costs-csv');
    expect(rec.detection?.missingRequired).toEqual(['amount_value']);
  });

  it('an organisation-total export (empty line_item and project_id) is read', async () => {
    const r = await readExport<CostRecord>(join(FX, 'extra', 'cost_org_total_2026-08.csv'));
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records.every((c) => c.projectId === null && c.lineItemRaw === null)).toBe(true);
  });
});

describe('Admin API JSON', () => {
  it('reads usage pages from .jsonl', async () => {
    const r = await readExport<UsageRecord>(join(FX, 'api', 'usage_completions_2026-11-01_2026-11-14.jsonl'));
    expect(r.detection.format).toBe('openai-usage-json');
    expect(r.issues).toEqual([]);
    expect(r.records.length).toBeGreaterThan(0);
    expect(r.records[0]!.src.line).toBeGreaterThanOrEqual(1);
  });
  it('reads cost pages, amount.value as number or string', async () => {
    const path = join(FX, 'api', 'costs_2026-11-08_2026-11-14.json');
    const r = await readExport<CostRecord>(path);
    expect(r.detection.format).toBe('openai-costs-json');
    expect(r.issues).toEqual([]);
    const raw = readFileSync(path, 'utf8');
    expect(raw).toMatch(/"value": "\d/);
    expect(raw).toMatch(/"value": \d/);
    const values = [...raw.matchAll(/"value": "?([0-9.eE+-]+)"?/g)].map((m) => Decimal.from(m[1]!));
    const expected = values.reduce((s, v) => s.plus(v), Decimal.ZERO);
    expect(r.records.reduce((s, c) => s.plus(c.amount), Decimal.ZERO).eq(expected)).toBe(true);
  });
});

describe('Admin API JSON with a bad bucket', () => {
  it('rejects every result of the bucket, each with its money', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-json-'));
    const res = (v: number) => ({ object: 'organization.costs.result', amount: { value: v, currency: 'usd' }, line_item: 'gpt-4o-mini-2024-07-18, input', project_id: 'proj_A' });
    const page = {
      object: 'page',
      data: [
        { object: 'bucket', start_time: 'oops', end_time: 1790899200, results: [res(1), res(2), res(3)] },
        { object: 'bucket', start_time: 1790812800, end_time: 1790899200, results: [res(4)] },
      ],
      has_more: false,
      next_page: null,
    };
    const path = join(dir, 'costs.json');
    writeFileSync(path, JSON.stringify(page));
    const r = await readExport<CostRecord>(path);
    expect(r.rows).toBe(4);
    expect(r.records).toHaveLength(1);
    expect(r.issues).toHaveLength(3);
    expect(r.issues.map((i) => i.amount?.toString())).toEqual(['1', '2', '3']);
    expect(r.issues[0]!.column).toMatch(/data\[0\]\.results\[0\]/);
  });
});

describe('JSON amounts', () => {
  it('keeps every digit of an amount written as a JSON number', async () => {
    const { parseJsonKeepingAmounts } = await import('../../src/sources/openai-api-json.js');
    const v = parseJsonKeepingAmounts('{"amount": {"value": 0.12345678901234567891, "currency": "usd"}, "n": 1.5}') as { amount: { value: string }; n: number };
    expect(v.amount.value).toBe('0.12345678901234567891');
    expect(v.n).toBe(1.5);
  });
});

describe('line items (SPEC §2.2)', () => {
  it.each([
    ['gpt-4o-mini-2024-07-18, cached input', { surface: null, model: 'gpt-4o-mini-2024-07-18', tokenKind: 'cached input', longContext: false }],
    ['priority | gpt-5.6-sol, output, long context', { surface: 'priority', model: 'gpt-5.6-sol', tokenKind: 'output', longContext: true }],
    ['evals | gpt-4o-mini-2024-07-18, input', { surface: 'evals', model: 'gpt-4o-mini-2024-07-18', tokenKind: 'input' }],
    ['whisper-1, audio', { model: 'whisper-1', tokenKind: null, modality: 'audio' }],
    ['gpt-4o-audio-preview audio, input', { model: 'gpt-4o-audio-preview', modality: 'audio', tokenKind: 'input' }],
    ['gpt-4o-mini-2024-07-18, cache writes', { tokenKind: 'cache writes' }],
    ['gpt-5-nano, input_tokens', { model: 'gpt-5-nano', tokenKind: 'input', modality: null }],
  ])('%s', (raw, want) => {
    expect(parseLineItem(raw)).toMatchObject(want);
  });
  it.each(['web search tool calls', 'Vector storage', ''])('%s has no model', (raw) => {
    expect(parseLineItem(raw)).toBeNull();
  });
});
