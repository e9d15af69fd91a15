/**
 * The same usage and cost data fetched from the Admin API (`/v1/organization/usage/*`,
 * `/v1/organization/costs`) and saved as `.json` (a page, an array of pages or of buckets)
 * or `.jsonl` (one page or bucket per line). SPEC §2.1, §2.2: an equal input.
 */
import { variantOf } from './openai-usage.js';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { CostRecord, Detection, InputIssue, UsageRecord } from '../model.js';
import { Decimal, MAX_AMOUNT_DIGITS } from '../money.js';
import { issue, type OpenedInput, type ReadBatch, type SourceReader } from './contract.js';
import { shownText } from './csv.js';
import { bucketProblem, COST_BUCKET_WIDTHS, parseCount, parseLineItem, parseUnixSeconds, USAGE_BUCKET_WIDTHS, OPENAI } from './openai-fields.js';

type Json = Record<string, unknown>;

/**
 * JSON.parse would turn `"value": 0.12345678901234567891` into the nearest double before
 * Decimal sees it: amounts written as JSON numbers are quoted first, so every digit survives
 * (OpenAI `amount.value`; Anthropic's cost_report `amount`, documented as a string).
 */
export function parseJsonKeepingAmounts(text: string): unknown {
  const value: unknown = JSON.parse(text.replace(/("(?:value|amount)"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(?=\s*[,}\]])/g, '$1"$2"'));
  if (jsonDeeperThan(value, MAX_JSON_DEPTH)) throw new JsonTooDeepError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}

/**
 * An Admin API page nests about 8 levels. JSON.parse copes with any depth, but the recursive
 * walks after it (the bucket walk, JSON.stringify in messages) would exhaust the stack.
 */
export const MAX_JSON_DEPTH = 64;

export class JsonTooDeepError extends Error {}

/** Whether arrays/objects nest deeper than `max` (iterative, so any depth is safe to ask about). */
export function jsonDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** Buckets of one JSON value: a page, an array of pages, a bucket or an array of buckets. */
export function bucketsOf(value: unknown, path: string): { bucket: Json; path: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => bucketsOf(v, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const o = value as Json;
    if (o.object === 'page' || Array.isArray(o.data)) {
      const data = Array.isArray(o.data) ? o.data : [];
      return data.flatMap((b, i) => bucketsOf(b, `${path}${path ? '.' : ''}data[${i}]`));
    }
    if (o.object === 'bucket' || Array.isArray(o.results) || Array.isArray(o.result)) return [{ bucket: o, path }];
  }
  return [];
}

function resultObjects(sample: unknown): string[] {
  const kinds = new Set<string>();
  for (const { bucket } of bucketsOf(sample, '')) {
    const results = (bucket.results ?? bucket.result) as unknown[] | undefined;
    for (const r of results ?? []) if (r && typeof r === 'object' && typeof (r as Json).object === 'string') kinds.add((r as Json).object as string);
  }
  return [...kinds];
}

/** Values of a JSON file: the whole document for .json, each line for .jsonl (streamed). */
async function* jsonValues(input: Extract<OpenedInput, { type: 'json' }>, file: string): AsyncGenerator<{ value: unknown; line: number } | { error: InputIssue }> {
  if (!input.jsonLines) {
    yield { value: input.sample, line: 0 };
    return;
  }
  const rl = createInterface({ input: createReadStream(input.path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of rl) {
    line++;
    const t = line === 1 ? text.replace(/^\uFEFF/, '') : text;
    if (t.trim() === '') continue;
    try {
      yield { value: parseJsonKeepingAmounts(t), line };
    } catch (e) {
      yield {
        error: issue('error', file, line, null, e instanceof JsonTooDeepError ? `${e.message}; the line is left out` : `expected one JSON value per line: ${(e as Error).message}`),
      };
    }
  }
}

/** Unix seconds: a JSON integer, or a string of decimal digits (never hex or an exponent, which Number() would take). */
function int(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  return typeof v === 'string' ? parseUnixSeconds(v) : null;
}

/** A whole non-negative count, exact (at most Number.MAX_SAFE_INTEGER); absent = 0. */
function count(v: unknown): number | null {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  return typeof v === 'string' && v !== '' ? parseCount(v) : null;
}

/** A non-negative metric that may have a fraction (`seconds`). */
function metric(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? v : null;
  return typeof v === 'string' && v !== '' ? parseCount(v, false) : null;
}

/** A JSON value for a message: strings quoted, anything long shortened. */
export function shownJson(v: unknown): string {
  if (typeof v === 'string') return shownText(v);
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 40 ? `${text.slice(0, 20)}…${text.slice(-20)} (${text.length} characters)` : text;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function detectJson(input: OpenedInput, want: 'usage' | 'costs', format: string, label: string): Detection | null {
  if (input.type !== 'json') return null;
  const kinds = resultObjects(input.sample);
  const buckets = bucketsOf(input.sample, '').length;
  if (buckets === 0) return null;
  const isCosts = kinds.some((k) => k === 'organization.costs.result');
  const isUsage = kinds.some((k) => k.startsWith('organization.usage.'));
  if (want === 'costs' ? !isCosts : !isUsage) return null;
  return {
    format,
    label,
    confidence: 0.95,
    reasons: [`Admin API ${input.jsonLines ? 'JSON lines' : 'JSON'}: ${buckets} bucket(s) in the first value; result objects ${kinds.join(', ')}`],
    missingRequired: [],
    unknownColumns: [],
  };
}

/** How a provider's Admin API bucket holds its results and its edges. */
export interface BucketFormat {
  results(bucket: Json): unknown[];
  /** The edges in Unix seconds, or what is wrong with them (their widths are checked after). */
  edges(bucket: Json): { start: number; end: number } | { column: string; message: string };
  /** The bucket's own name for a column bucketProblem names (start_time, end_time). */
  column?(name: string): string;
}

const OPENAI_BUCKET: BucketFormat = {
  results: (bucket) => ((bucket.results ?? bucket.result) as unknown[] | undefined) ?? [],
  edges(bucket) {
    const start = int(bucket.start_time);
    const end = int(bucket.end_time);
    return start === null || end === null ? { column: 'start_time', message: 'expected integer start_time/end_time (Unix seconds)' } : { start, end };
  },
};

/**
 * The page → bucket → result walk the OpenAI and Anthropic JSON readers share: a bad bucket or
 * line is an issue, an empty bucket is skipped, and each result goes to `toRecord` (a record, or an issue).
 */
export async function* readBucketResults<R>(
  input: OpenedInput,
  file: string,
  widths: readonly number[],
  format: BucketFormat,
  toRecord: (r: Json, path: string, line: number, start: number, end: number) => R | InputIssue,
  moneyOf?: (r: Json) => { amount: Decimal | null; currency: string | null },
): AsyncGenerator<ReadBatch<R>> {
  if (input.type !== 'json') return;
  for await (const v of jsonValues(input, file)) {
    const batch: ReadBatch<R> = { records: [], issues: [], skipped: 0, rows: 0 };
    if ('error' in v) {
      batch.rows++;
      batch.issues.push(v.error);
      yield batch;
      continue;
    }
    for (const { bucket, path } of bucketsOf(v.value, '')) {
      const edges = format.edges(bucket);
      const results = format.results(bucket);
      batch.rows += Math.max(1, results.length);
      const bad = 'message' in edges ? edges : bucketProblem(edges.start, edges.end, widths);
      if (bad) {
        // every result of the bucket is rejected, each with the money it holds where readable
        const message = `${bad.message}; the bucket's results are left out`;
        const at = `${path}.${format.column?.(bad.column) ?? bad.column}`;
        if (results.length === 0) batch.issues.push(issue('error', file, v.line, at, message));
        results.forEach((r, i) => {
          const m = moneyOf?.((r ?? {}) as Json) ?? null;
          batch.issues.push(issue('error', file, v.line, `${path}.results[${i}] (${at})`, message, true, m?.amount ?? null, m?.currency ?? null));
        });
        continue;
      }
      if (results.length === 0) {
        batch.skipped++;
        continue;
      }
      const { start, end } = edges as { start: number; end: number };
      results.forEach((r, i) => {
        const out = toRecord((r ?? {}) as Json, `${path}.results[${i}]`, v.line, start, end);
        if (isIssue(out)) batch.issues.push(out);
        else batch.records.push(out);
      });
    }
    if (batch.rows) yield batch;
  }
}

function isIssue(x: unknown): x is InputIssue {
  return typeof x === 'object' && x !== null && 'severity' in x && 'rejected' in x;
}

const USAGE_COUNTS = ['num_model_requests', 'input_tokens', 'output_tokens', 'input_cached_tokens', 'input_cache_write_tokens'] as const;

export const usageJsonReader: SourceReader<UsageRecord> = {
  format: 'openai-usage-json',
  label: 'OpenAI Admin API usage (JSON)',
  kind: 'usage',
  detect(input) {
    return detectJson(input, 'usage', this.format, this.label);
  },
  read(input, _d, ctx) {
    const file = ctx.displayPath;
    return readBucketResults<UsageRecord>(input, file, USAGE_BUCKET_WIDTHS, OPENAI_BUCKET, (r, p, line, start, end) => {
      const nums: number[] = [];
      for (const k of USAGE_COUNTS) {
        const n = count(r[k]);
        if (n === null)
          return issue('error', file, line, `${p}.${k}`, `expected a whole non-negative count in decimal digits, at most ${Number.MAX_SAFE_INTEGER}; found ${shownJson(r[k])}`);
        nums.push(n);
      }
      const [requests, inputTokens, outputTokens, cachedTokens, cacheWriteTokens] = nums as [number, number, number, number, number];
      const other: Record<string, number> = {};
      for (const k of ['images', 'characters', 'seconds', 'usage_bytes', 'num_sessions', 'num_requests']) {
        if (r[k] === null || r[k] === undefined) continue;
        const n = metric(r[k]);
        if (n === null) return issue('error', file, line, `${p}.${k}`, `expected a non-negative number in decimal digits, found ${shownJson(r[k])}`);
        other[k] = n;
      }
      return {
        src: { file, line },
        provider: OPENAI,
        start,
        end,
        projectId: str(r.project_id),
        userId: str(r.user_id),
        apiKeyId: str(r.api_key_id),
        model: str(r.model),
        batch: typeof r.batch === 'boolean' ? r.batch : null,
        serviceTier: str(r.service_tier),
        requests,
        inputTokens,
        outputTokens,
        cachedTokens,
        cacheWriteTokens,
        other: Object.keys(other).length ? other : null,
        variant: variantOf(str(r.size), str(r.source)),
      };
    });
  },
};

export const costJsonReader: SourceReader<CostRecord> = {
  format: 'openai-costs-json',
  label: 'OpenAI Admin API costs (JSON)',
  kind: 'costs',
  detect(input) {
    return detectJson(input, 'costs', this.format, this.label);
  },
  read(input, _d, ctx) {
    const file = ctx.displayPath;
    return readBucketResults<CostRecord>(
      input,
      file,
      COST_BUCKET_WIDTHS,
      OPENAI_BUCKET,
      (r, p, line, start, end) => {
        const amt = (r.amount ?? {}) as Json;
        const { amount, currency } = costMoney(r);
        if (amount === null) {
          const found = shownJson(amt.value);
          return issue(
            'error',
            file,
            line,
            `${p}.amount.value`,
            `expected a number or numeric string below 10^${MAX_AMOUNT_DIGITS} in magnitude, found ${found}`,
            true,
            null,
            currency,
          );
        }
        if (currency === null || !/^[A-Z]{3}$/.test(currency)) {
          return issue('error', file, line, `${p}.amount.currency`, `expected a currency code such as "usd", found ${JSON.stringify(amt.currency)}`, true, amount, null);
        }
        const lineItemRaw = str(r.line_item);
        return {
          src: { file, line },
          provider: OPENAI,
          start,
          end,
          amount,
          currency,
          quantity: r.quantity === null || r.quantity === undefined ? null : String(r.quantity),
          quantityUnit: str(r.quantity_unit),
          lineItemRaw,
          lineItem: lineItemRaw === null ? null : parseLineItem(lineItemRaw),
          projectId: str(r.project_id),
          projectName: str(r.project_name),
          organizationId: str(r.organization_id),
          organizationName: str(r.organization_name),
          apiKeyId: str(r.api_key_id),
          userId: str(r.user_id),
          userEmail: str(r.user_email),
        };
      },
      costMoney,
    );
  },
};

/**
 * amount.value may be a number or a numeric string, exponent form included (Python writes
 * 1.2e-05): numbers arrive as their text (parseJsonKeepingAmounts), read exactly.
 */
function costMoney(r: Json): { amount: Decimal | null; currency: string | null } {
  const amt = (r.amount ?? {}) as Json;
  const text = typeof amt.value === 'number' ? String(amt.value) : typeof amt.value === 'string' ? amt.value : '';
  return { amount: Decimal.parseAmount(text), currency: typeof amt.currency === 'string' ? amt.currency.toUpperCase() : null };
}
