/**
 * Anthropic Admin API pages saved as `.json` or `.jsonl` (what `spendrecon fetch` writes):
 * `GET /v1/organizations/usage_report/messages` and `GET /v1/organizations/cost_report`.
 * Buckets carry `starting_at`/`ending_at` (RFC 3339); cost `amount` is a decimal string in
 * cents. Sources: fixtures/anthropic/README.md.
 */
import type { CostRecord, Detection, InputIssue, UsageRecord } from '../model.js';
import { MAX_AMOUNT_DIGITS } from '../money.js';
import { issue, type OpenedInput, type SourceReader } from './contract.js';
import { type BucketFormat, bucketsOf, readBucketResults, shownJson } from './openai-api-json.js';
import {
  ANTHROPIC,
  ANTHROPIC_COST_WIDTHS,
  ANTHROPIC_USAGE_WIDTHS,
  apiInstant,
  centsToAmount,
  isBatch,
  isLongContext,
  tokenKindOf,
  usageVariant,
  workspaceProject,
} from './anthropic-fields.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function resultsOf(bucket: Json): unknown[] {
  return Array.isArray(bucket.results) ? bucket.results : [];
}

/** What the first value's results look like: Anthropic usage, Anthropic cost, or neither. */
function shapeOf(sample: unknown): { kind: 'usage' | 'costs' | null; buckets: number } {
  const buckets = bucketsOf(sample, '').filter(({ bucket }) => typeof bucket.starting_at === 'string' && typeof bucket.ending_at === 'string');
  for (const { bucket } of buckets) {
    for (const r of resultsOf(bucket)) {
      if (!r || typeof r !== 'object') continue;
      const o = r as Json;
      if ('uncached_input_tokens' in o || 'cache_read_input_tokens' in o) return { kind: 'usage', buckets: buckets.length };
      if ('amount' in o && ('description' in o || 'cost_type' in o || 'token_type' in o)) return { kind: 'costs', buckets: buckets.length };
    }
  }
  return { kind: null, buckets: buckets.length };
}

function detectPages(input: OpenedInput, want: 'usage' | 'costs', format: string, label: string, endpoint: string): Detection | null {
  if (input.type !== 'json') return null;
  const shape = shapeOf(input.sample);
  if (shape.kind !== want) return null;
  return {
    format,
    label,
    confidence: 0.95,
    reasons: [`Admin API ${input.jsonLines ? 'JSON lines' : 'JSON'}: ${shape.buckets} bucket(s) with starting_at/ending_at in the first value; results shaped as ${endpoint}`],
    missingRequired: [],
    unknownColumns: [],
  };
}

/** RFC 3339 bucket edges, named starting_at/ending_at. */
const ANTHROPIC_BUCKET: BucketFormat = {
  results: resultsOf,
  edges(bucket) {
    const start = apiInstant(bucket.starting_at);
    const end = apiInstant(bucket.ending_at);
    if (start === null) return { column: 'starting_at', message: `expected an RFC 3339 instant such as "2026-10-01T00:00:00Z", found ${shownJson(bucket.starting_at)}` };
    if (end === null) return { column: 'ending_at', message: `expected an RFC 3339 instant such as "2026-10-02T00:00:00Z", found ${shownJson(bucket.ending_at)}` };
    return { start, end };
  },
  column: (name) => name.replace(/^start_time$/, 'starting_at').replace(/^end_time$/, 'ending_at'),
};

/** A whole non-negative token count (JSON integer or digit string); absent or null = 0. */
function count(v: unknown): number | null {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  return typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null;
}

const USAGE_COUNTS: [string, (r: Json) => unknown][] = [
  ['uncached_input_tokens', (r) => r.uncached_input_tokens],
  ['cache_creation.ephemeral_5m_input_tokens', (r) => (r.cache_creation as Json | undefined)?.ephemeral_5m_input_tokens],
  ['cache_creation.ephemeral_1h_input_tokens', (r) => (r.cache_creation as Json | undefined)?.ephemeral_1h_input_tokens],
  ['cache_read_input_tokens', (r) => r.cache_read_input_tokens],
  ['output_tokens', (r) => r.output_tokens],
  ['server_tool_use.web_search_requests', (r) => (r.server_tool_use as Json | undefined)?.web_search_requests],
];

function usageRecord(r: Json, p: string, file: string, line: number, start: number, end: number): UsageRecord | InputIssue {
  const n: number[] = [];
  for (const [name, get] of USAGE_COUNTS) {
    const v = count(get(r));
    if (v === null) return issue('error', file, line, `${p}.${name}`, `expected a whole non-negative token count, at most ${Number.MAX_SAFE_INTEGER}; found ${shownJson(get(r))}`);
    n.push(v);
  }
  const [uncached, write5m, write1h, read, output, webSearches] = n as [number, number, number, number, number, number];
  const contextWindow = str(r.context_window);
  const longContext = isLongContext(contextWindow);
  if (longContext === null) return issue('error', file, line, `${p}.context_window`, `expected "0-200k" or "200k-1M", found ${shownJson(r.context_window)}`);
  const tier = str(r.service_tier);
  return {
    src: { file, line },
    provider: ANTHROPIC,
    start,
    end,
    projectId: workspaceProject(str(r.workspace_id)).projectId,
    userId: null,
    apiKeyId: str(r.api_key_id),
    model: str(r.model),
    batch: isBatch(tier),
    serviceTier: tier,
    requests: 0,
    inputTokens: uncached + write5m + write1h + read,
    outputTokens: output,
    cachedTokens: read,
    cacheWriteTokens: write5m + write1h,
    cacheWrite1hTokens: write1h,
    longContext,
    other: webSearches ? { web_search_requests: webSearches } : null,
    variant: usageVariant(contextWindow, str(r.inference_geo), str(r.speed)),
  };
}

export const anthropicUsageJsonReader: SourceReader<UsageRecord> = {
  format: 'anthropic-usage-json',
  channel: 'api',
  label: 'Anthropic Admin API usage report (JSON)',
  kind: 'usage',
  detect(input) {
    return detectPages(input, 'usage', this.format, this.label, 'usage_report/messages');
  },
  read(input, _d, ctx) {
    const file = ctx.displayPath;
    return readBucketResults<UsageRecord>(input, file, ANTHROPIC_USAGE_WIDTHS, ANTHROPIC_BUCKET, (r, p, line, start, end) => usageRecord(r, p, file, line, start, end));
  },
};

/** `amount` in cents (a decimal string; a JSON number arrives as its text, parseJsonKeepingAmounts). */
function costMoney(r: Json): { amount: ReturnType<typeof centsToAmount>; currency: string | null } {
  const text = typeof r.amount === 'string' ? r.amount : typeof r.amount === 'number' ? String(r.amount) : '';
  return { amount: centsToAmount(text), currency: typeof r.currency === 'string' ? r.currency.trim().toUpperCase() : null };
}

function costRecord(r: Json, p: string, file: string, line: number, start: number, end: number): CostRecord | InputIssue {
  const { amount, currency } = costMoney(r);
  if (amount === null)
    return issue(
      'error',
      file,
      line,
      `${p}.amount`,
      `expected a decimal string in cents such as "123.78912" (below 10^${MAX_AMOUNT_DIGITS}), found ${shownJson(r.amount)}`,
      true,
      null,
      currency,
    );
  if (currency === null || !/^[A-Z]{3}$/.test(currency))
    return issue('error', file, line, `${p}.currency`, `expected a currency code such as "USD", found ${shownJson(r.currency)}`, true, amount, null);
  const contextWindow = str(r.context_window);
  const longContext = isLongContext(contextWindow);
  if (longContext === null)
    return issue('error', file, line, `${p}.context_window`, `expected "0-200k" or "200k-1M", found ${shownJson(r.context_window)}`, true, amount, currency);
  const tier = str(r.service_tier);
  const description = str(r.description);
  const { projectId, projectName } = workspaceProject(str(r.workspace_id));
  const dims = [str(r.token_type), contextWindow, tier, str(r.cost_type), str(r.inference_geo)].filter((d): d is string => d !== null);
  return {
    src: { file, line },
    provider: ANTHROPIC,
    start,
    end,
    amount,
    currency,
    quantity: null,
    quantityUnit: null,
    lineItemRaw: [description ?? str(r.model) ?? '(no description)', ...dims].join(', '),
    lineItem: { surface: isBatch(tier) ? 'batch' : null, model: str(r.model), modality: null, tokenKind: tokenKindOf(str(r.token_type)), longContext },
    projectId,
    projectName,
    organizationId: null,
    organizationName: null,
    apiKeyId: str(r.api_key_id),
    userId: null,
    userEmail: null,
  };
}

export const anthropicCostJsonReader: SourceReader<CostRecord> = {
  format: 'anthropic-costs-json',
  channel: 'api',
  label: 'Anthropic Admin API cost report (JSON)',
  kind: 'costs',
  detect(input) {
    return detectPages(input, 'costs', this.format, this.label, 'cost_report');
  },
  read(input, _d, ctx) {
    const file = ctx.displayPath;
    return readBucketResults<CostRecord>(input, file, ANTHROPIC_COST_WIDTHS, ANTHROPIC_BUCKET, (r, p, line, start, end) => costRecord(r, p, file, line, start, end), costMoney);
  },
};
