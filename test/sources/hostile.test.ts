/**
 * Hostile variants of the bundled fixtures (issue #8): every cent in is either read or named
 * as rejected, with its amount; nothing is read twice or silently dropped.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CostRecord, InputIssue, UsageRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { exportReaders } from '../../src/sources/index.js';
import { readExport } from './read-export.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'openai');
const COSTS = join(FX, 'cost_2026-10-01_2026-10-31.csv');
const ORG_COSTS = join(FX, 'extra', 'cost_org_total_2026-08.csv');
const USAGE = join(FX, 'completions_usage_2026-10-31_minute.csv');

function variant(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spendrecon-hostile-')), name);
  writeFileSync(path, content);
  return path;
}

/** Every message names the file as f.csv. */
const readAll = <R>(path: string) => readExport<R>(path, 'f.csv');

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');
/** amount_value (5th cell) of every line: the cells before it are never quoted in these exports. */
const amountOf = (line: string) => line.split(',')[4] ?? '';
function textTotal(dataLines: string[]): Decimal {
  return dataLines.reduce((s, l) => (amountOf(l) ? s.plus(Decimal.from(amountOf(l))) : s), Decimal.ZERO);
}
const billed = (rs: CostRecord[]) => rs.reduce((s, r) => s.plus(r.amount), Decimal.ZERO);
const rejectedMoney = (is: InputIssue[]) => is.filter((i) => i.rejected).reduce((s, i) => (i.amount ? s.plus(i.amount) : s), Decimal.ZERO);

describe('two exports joined with cat', () => {
  it.each([
    ['plain', ''],
    ['the second with a UTF-8 BOM', '\uFEFF'],
  ])('%s: the repeated header is one info issue and a skipped row, not data', async (_n, bom) => {
    const one = readFileSync(COSTS, 'utf8');
    const r = await readAll<CostRecord>(variant('cat.csv', one + bom + one));
    const single = await readAll<CostRecord>(COSTS);
    expect(r.records).toHaveLength(2 * single.records.length);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ severity: 'info', rejected: false, line: lines(COSTS).length + 1 });
    expect(r.issues[0]!.message).toMatch(/header repeats on line \d+: the file is read as concatenated exports/);
    expect(r.skipped).toBe(2 * single.skipped + 1);
    expect(billed(r.records).eq(billed(single.records).plus(billed(single.records)))).toBe(true);
  });

  it('usage too (its rows are cut out column by column)', async () => {
    const one = readFileSync(USAGE, 'utf8');
    const r = await readAll<UsageRecord>(variant('cat.csv', one + one));
    expect(r.issues.map((i) => [i.severity, i.line])).toEqual([['info', lines(USAGE).length + 1]]);
  });
});

describe('mixed LF and CRLF line ends', () => {
  it('every row is read', async () => {
    const mixed = lines(COSTS)
      .map((l, i) => l + (i % 3 === 1 ? '\r\n' : '\n'))
      .join('');
    const r = await readAll<CostRecord>(variant('mixed.csv', mixed));
    expect(r.issues).toEqual([]);
    expect(billed(r.records).eq(textTotal(lines(COSTS).slice(1)))).toBe(true);
  });
});

describe('an unbalanced quote', () => {
  it('rejects the row and every line it swallowed, each with its money; the rest is read; nothing is lost', async () => {
    const ls = lines(ORG_COSTS);
    const bad = 5;
    // an opening quote in the organisation name cell (15th), never closed: swallows to the end
    const broken = ls.map((l, i) => (i === bad - 1 ? l.replace(',Acme Analytics,', ',"Acme Analytics,') : l));
    const r = await readAll<CostRecord>(variant('quote.csv', `${broken.join('\n')}\n`));
    const rejected = r.issues.filter((i) => i.rejected);
    expect(rejected.map((i) => i.line)).toEqual(Array.from({ length: ls.length - bad + 1 }, (_, k) => bad + k));
    expect(rejected.every((i) => i.severity === 'error' && i.amount !== null && i.currency === 'USD')).toBe(true);
    expect(rejected[0]!.message).toMatch(/unbalanced quote: the quoted field that begins on line 5 \(field 15\)/);
    expect(rejected[0]!.column).toBe('organization_name');
    expect(r.records).toHaveLength(bad - 2);
    expect(
      billed(r.records)
        .plus(rejectedMoney(r.issues))
        .eq(textTotal(ls.slice(1))),
    ).toBe(true);
  });

  it('resynchronises at the line holding the closing quote', async () => {
    const ls = lines(COSTS);
    const bad = 10;
    // drop the closing quote of one line item: the next line's opening quote closes it
    const broken = ls.map((l, i) => (i === bad - 1 ? l.replace(/(, [a-z ]+)",/, '$1,') : l));
    expect(broken[bad - 1]).not.toBe(ls[bad - 1]);
    const r = await readAll<CostRecord>(variant('quote.csv', `${broken.join('\n')}\n`));
    expect(r.issues.map((i) => [i.line, i.severity, i.rejected])).toEqual([[bad, 'error', true]]);
    expect(r.issues[0]!.message).toMatch(/reading resumes at line 11/);
    expect(
      billed(r.records)
        .plus(rejectedMoney(r.issues))
        .eq(textTotal(ls.slice(1))),
    ).toBe(true);
  });
});

describe('a line with no line break', () => {
  it('is one error naming the file and line; reading stops', async () => {
    const ls = lines(COSTS);
    const junk = ls.slice(1).join(',').repeat(30); // ~4 MB on one line
    expect(junk.length).toBeGreaterThan(2 * 1024 * 1024);
    const r = await readAll<CostRecord>(variant('long.csv', `${ls.slice(0, 4).join('\n')}\n${junk}\n${ls[4]}\n`));
    expect(r.records).toHaveLength(3);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ severity: 'error', file: 'f.csv', line: 5, rejected: true });
    expect(r.issues[0]!.message).toMatch(/^line 5 is longer than 1 MiB .*: not a CSV export, the rest of the file is not read$/);
  });
});

/** The fixture's first data line with cells replaced (by column name). */
function costLine(changes: Record<string, string>): string {
  const [header, first] = lines(ORG_COSTS);
  const names = header!.split(',');
  const cells = first!.split(',');
  for (const [k, v] of Object.entries(changes)) cells[names.indexOf(k)] = v;
  return cells.join(',');
}
async function costIssues(rows: string[]) {
  const r = await readAll<CostRecord>(variant('c.csv', `${[lines(ORG_COSTS)[0], ...rows].join('\n')}\n`));
  return r;
}

describe('numbers', () => {
  it.each([
    ['a hex Unix timestamp', { start_time: '0x6a6c5280' }, 'start_time', /decimal digits.*"0x6a6c5280"/],
    ['an exponent in a timestamp', { end_time: '1.7856288e9' }, 'end_time', /decimal digits/],
    ['an amount of 1e309', { amount_value: '1e309' }, 'amount_value', /below 10\^15.*"1e309"/],
    ['an amount of 400 nines', { amount_value: '9'.repeat(400) }, 'amount_value', /"9{20}…9{20}" \(400 characters\)/],
    ['an amount of 1e308', { amount_value: '1e308' }, 'amount_value', /"1e308"/],
  ])('%s is an error row', async (_n, change, column, message) => {
    const r = await costIssues([costLine(change), costLine(change)]);
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.column, i.severity, i.rejected])).toEqual([
      [2, column, 'error', true],
      [3, column, 'error', true],
    ]);
    expect(r.issues[0]!.message).toMatch(message);
    expect(r.issues.every((i) => i.amount === null || Number.isFinite(i.amount.toNumber()))).toBe(true);
  });

  it('an amount in exponent form is read exactly; the rejected row carries it', async () => {
    const r = await costIssues([costLine({ amount_value: '1.2e-05' }), costLine({ amount_value: '-2.5E-3', start_time: '0x6a6c5280' })]);
    expect(r.records.map((c) => c.amount.toString())).toEqual(['0.000012']);
    expect(r.issues.map((i) => [i.amount?.toString(), i.currency])).toEqual([['-0.0025', 'USD']]);
  });

  it.each([
    ['hex', '0x10', /decimal digits/],
    ['an exponent', '1e5', /decimal digits/],
    ['beyond MAX_SAFE_INTEGER', '9007199254740993', /at most 9007199254740991/],
    ['negative', '-5.0', /non-negative/],
  ])('a usage count in %s is an error', async (_n, text, message) => {
    const [header, first] = lines(USAGE);
    const cells = first!.split(',');
    cells[header!.split(',').indexOf('output_tokens')] = text;
    const r = await readAll<UsageRecord>(variant('u.csv', `${header}\n${cells.join(',')}\n`));
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.column])).toEqual([[2, 'output_tokens']]);
    expect(r.issues[0]!.message).toMatch(message);
  });
});

describe('impossible time ranges', () => {
  const day = 86400;
  const s = 1785542400; // 2026-08-01
  it.each([
    ['end before start', { end_time: String(s - day) }, 'end_time', /after start_time/],
    ['end equal to start', { end_time: String(s) }, 'end_time', /after start_time/],
    ['start_time 0', { start_time: '0' }, 'start_time', /between 2015 and 2100.*1970-01-01/],
    ['a width the export does not write', { end_time: String(s + 100) }, 'end_time', /86400 s \(1 day\) or 3600 s \(1 hour\), found .* 100 s/],
    ['an instant after 2100', { start_time: '4102444800', end_time: String(4102444800 + day) }, 'end_time', /between 2015 and 2100/],
    ['ISO and Unix columns that disagree', { start_time_iso: '2026-08-02T00:00:00+00:00' }, 'start_time_iso', /2026-08-01T00:00:00\+00:00 as start_time 1785542400 says.*disagree/],
    ['an ISO column that is not a date', { end_time_iso: 'tomorrow' }, 'end_time_iso', /expected an ISO-8601 instant/],
  ])('%s: an error on the row, with its money', async (_n, change, column, message) => {
    const r = await costIssues([costLine({ start_time: String(s), end_time: String(s + day), ...change })]);
    expect(r.records).toEqual([]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ column, severity: 'error', rejected: true, currency: 'USD' });
    expect(r.issues[0]!.amount?.toString()).toBe('1.157539375');
    expect(r.issues[0]!.message).toMatch(message);
  });

  it('hourly cost buckets and an ISO column without offset are fine', async () => {
    const r = await costIssues([costLine({ end_time: '1785546000', end_time_iso: '2026-08-01T01:00:00' })]);
    expect(r.issues).toEqual([]);
    expect(r.records).toHaveLength(1);
  });

  it('usage: a bucket of 120 s is an error', async () => {
    const [header, first] = lines(USAGE);
    const cells = first!.split(',');
    cells[1] = String(Number(cells[0]) + 120);
    const r = await readAll<UsageRecord>(variant('u.csv', `${header}\n${cells.join(',')}\n`));
    expect(r.issues.map((i) => [i.column, i.severity])).toEqual([['end_time', 'error']]);
    expect(r.issues[0]!.message).toMatch(/60 s \(1 minute\) or 3600 s \(1 hour\) or 86400 s \(1 day\)/);
  });
});

describe('empty-day rows with one delimiter too many', () => {
  it('are empty buckets; a row with money and an extra cell is still an error', async () => {
    const empty = `${costLine({}).split(',').slice(0, 4).join(',')}${','.repeat(13)}`;
    expect(empty.split(',')).toHaveLength(17);
    const r = await costIssues([empty, `${costLine({})},`]);
    expect(r.skipped).toBe(1);
    expect(r.issues.map((i) => [i.line, i.amount?.toString()])).toEqual([[3, '1.157539375']]);
    expect(r.issues[0]!.message).toMatch(/expected 16 columns as in the header, found 17/);
  });

  it('usage too', async () => {
    const [header, first] = lines(USAGE);
    const width = header!.split(',').length;
    const empty = `${first!.split(',').slice(0, 4).join(',')}${','.repeat(width - 4 + 1)}`;
    const r = await readAll<UsageRecord>(variant('u.csv', `${header}\n${empty}\n`));
    expect(r).toMatchObject({ issues: [], skipped: 1, rows: 1 });
  });
});

describe('control characters', () => {
  it('in a header name and in cells leave the rows readable', async () => {
    const [header, ...rest] = lines(COSTS);
    const text = [`${header},\u001b[2J\u001b]0;pwned\u0007x\u0000`, ...rest.map((l) => `${l},${amountOf(l) ? '\u001b[31m\u0000\u007f\u0085\r' : ''}`)].join('\n');
    const r = await readAll<CostRecord>(variant('ctl.csv', text));
    expect(r.issues).toEqual([]);
    expect(billed(r.records).eq(textTotal(rest))).toBe(true);
  });
});

describe('Admin API JSON', () => {
  const day = 86400;
  const s = 1790812800;
  const cost = (value: unknown) => ({ object: 'organization.costs.result', amount: { value, currency: 'usd' }, line_item: 'gpt-4o-mini-2024-07-18, input', project_id: 'proj_A' });
  const page = (buckets: unknown[]) => ({ object: 'page', data: buckets, has_more: false, next_page: null });
  const bucket = (start: unknown, end: unknown, results: unknown[]) => ({ object: 'bucket', start_time: start, end_time: end, results });
  const usage = (extra: Record<string, unknown>) => ({ object: 'organization.usage.completions.result', input_tokens: 10, output_tokens: 5, num_model_requests: 1, ...extra });

  it('reads an amount in exponent form exactly and rejects 1e309 and 400 nines, never as Infinity', async () => {
    const text = `{"object":"page","data":[{"object":"bucket","start_time":${s},"end_time":${s + day},"results":[${JSON.stringify(cost(0)).replace('"value":0', '"value":1.2e-05')},${JSON.stringify(cost(0)).replace('"value":0', '"value":1e309')},${JSON.stringify(cost('9'.repeat(400)))}]}],"has_more":false}`;
    const r = await readAll<CostRecord>(variant('costs.json', text));
    expect(r.records.map((c) => c.amount.toString())).toEqual(['0.000012']);
    expect(r.issues.map((i) => [i.column, i.severity, i.rejected, i.amount])).toEqual([
      ['data[0].results[1].amount.value', 'error', true, null],
      ['data[0].results[2].amount.value', 'error', true, null],
    ]);
    expect(r.issues[0]!.message).toMatch(/below 10\^15 in magnitude, found "1e309"/);
    expect(r.issues[1]!.message).toMatch(/\(400 characters\)/);
  });

  it.each([
    ['start_time 0', 0, s + day, /between 2015 and 2100/],
    ['a 100 s bucket', s, s + 100, /found end_time − start_time = 100 s/],
    ['a hex string timestamp', '0x6abda280', s + day, /integer start_time/],
    ['end before start', s, s - day, /after start_time/],
  ])('costs: %s rejects the bucket, each result with its money', async (_n, start, end, message) => {
    const r = await readAll<CostRecord>(variant('costs.json', JSON.stringify(page([bucket(start, end, [cost('1.50'), cost(2)])]))));
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.severity, i.rejected, i.amount?.toString(), i.currency])).toEqual([
      ['error', true, '1.5', 'USD'],
      ['error', true, '2', 'USD'],
    ]);
    expect(r.issues[0]!.message).toMatch(message);
  });

  it.each([
    ['a hex string', '0x10'],
    ['an exponent string', '1e5'],
    ['a number beyond MAX_SAFE_INTEGER', 2 ** 60],
    ['a negative number', -3],
    ['a fraction', 2.5],
  ])('usage: a count as %s is an error', async (_n, v) => {
    const r = await readAll<UsageRecord>(variant('usage.json', JSON.stringify(page([bucket(s, s + 3600, [usage({ output_tokens: v }), usage({})])]))));
    expect(r.records).toHaveLength(1);
    expect(r.issues.map((i) => [i.column, i.severity])).toEqual([['data[0].results[0].output_tokens', 'error']]);
  });

  it('usage: a 1-minute bucket is fine, a 2-day one is not', async () => {
    const r = await readAll<UsageRecord>(variant('usage.json', JSON.stringify(page([bucket(s, s + 60, [usage({})]), bucket(s, s + 2 * day, [usage({})])]))));
    expect(r.records).toHaveLength(1);
    expect(r.issues.map((i) => i.column)).toEqual(['data[1].results[0] (data[1].end_time)']);
  });
});

describe('a byte-order mark that contradicts the content', () => {
  it('is read by the content; the pipeline puts a warning on the file and a note on its report', async () => {
    const { openInputs, issueToException } = await import('../../src/pipeline.js');
    const text = readFileSync(ORG_COSTS, 'utf8').replace(/Acme Analytics/g, 'Société Générale');
    const path = variant('cost_bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'latin1')]));
    const issues: InputIssue[] = [];
    const notices: string[] = [];
    const files = await openInputs([path], ['costs'], exportReaders, '/', [], (m) => notices.push(m), issues);
    expect(files).toHaveLength(1);
    expect(files[0]!.report.encoding).toBe('windows-1252');
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', rejected: false, line: 1, file: files[0]!.display })]);
    expect(issues[0]!.message).toMatch(/UTF-8 byte-order mark.*read as windows-1252/);
    // a warning about the file, not a file left out
    expect(issueToException(issues[0]!).class).toBe('input_notice');
    expect(files[0]!.report.notes.join(' ')).toMatch(/UTF-8 byte-order mark/);
    const r = await readAll<CostRecord>(path);
    expect(r.records[0]!.organizationName).toBe('Société Générale');
  });
});
