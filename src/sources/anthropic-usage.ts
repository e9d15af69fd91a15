/**
 * Claude Console usage export (`claude_api_tokens_<from>_to_<to>.csv`): one row per UTC day or
 * hour and model, key, workspace, usage type, context window, region and speed; input tokens
 * split into uncached, 5-minute and 1-hour cache writes and cache reads. Older copies lack
 * context_window, inference_geo and speed. Sources: fixtures/anthropic/README.md.
 */
import type { Detection, InputIssue, UsageRecord } from '../model.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type SourceReader } from './contract.js';
import { repeatsHeader, shownText, type CsvRow } from './csv.js';
import { addOutcome, columnAt, exportBatches, faultColumn, headerRepeatIssue, widthMessage } from './export-rows.js';
import { ANTHROPIC, cell, consoleBucket, isBatch, isLongContext, usageVariant, workspaceProject } from './anthropic-fields.js';
import { parseCount } from './openai-fields.js';

const REQUIRED = ['usage_date_utc', 'model_version', 'usage_input_tokens_no_cache', 'usage_output_tokens'];
const TOKEN_COLUMNS = [
  'usage_input_tokens_no_cache',
  'usage_input_tokens_cache_write_5m',
  'usage_input_tokens_cache_write_1h',
  'usage_input_tokens_cache_read',
  'usage_output_tokens',
  'web_search_count',
] as const;
const KNOWN = ['api_key', 'workspace', 'usage_type', 'context_window', 'inference_geo', 'speed', ...TOKEN_COLUMNS];

export const anthropicUsageCsvReader: SourceReader<UsageRecord> = {
  format: 'anthropic-usage-csv',
  channel: 'export',
  label: 'Claude Console usage export (CSV)',
  kind: 'usage',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'csv') return null;
    const header = input.csv.head[0]?.fields ?? [];
    const d = detectByHeader(header, {
      format: this.format,
      label: this.label,
      required: REQUIRED,
      known: KNOWN,
      distinctive: ['model_version', 'usage_input_tokens_no_cache', 'usage_input_tokens_cache_read'],
    });
    if (!d) return null;
    const idx = headerIndex(header);
    if (idx.has('inference_geo') && idx.has('context_window')) d.reasons.push('current header (context_window, inference_geo, speed)');
    else d.reasons.push('older header (no context_window / inference_geo / speed)');
    return d;
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<UsageRecord>> {
    if (input.type !== 'csv') return;
    const file = ctx.displayPath;
    const header = input.csv.head[0]?.fields ?? [];
    const c = columnsOf(header);
    yield* exportBatches<UsageRecord>(input.csv, { width: c.width }, (row, batch) => addOutcome(batch, readRow(row, c, header, file)));
  },
};

type Columns = ReturnType<typeof columnsOf>;

function columnsOf(header: readonly string[]) {
  const at = columnAt(header);
  return {
    width: header.length,
    date: at('usage_date_utc'),
    model: at('model_version'),
    key: at('api_key'),
    workspace: at('workspace'),
    usageType: at('usage_type'),
    contextWindow: at('context_window'),
    geo: at('inference_geo'),
    speed: at('speed'),
    tokens: TOKEN_COLUMNS.map((name) => [name, at(name)] as const),
  };
}

/** One data row: a record, or an issue naming the first bad cell. */
function readRow(row: CsvRow, c: Columns, header: readonly string[], file: string): UsageRecord | InputIssue | 'skip' {
  const f = row.fields;
  const reject = (column: string | null, message: string) => issue('error', file, row.line, column, message);
  if (row.fault) return reject(faultColumn(row.fault, header), row.fault.message);
  if (f.length !== c.width) return reject(null, widthMessage(c.width, f.length));
  const dateText = f[c.date] ?? '';
  const bucket = consoleBucket(dateText);
  if (bucket === null) {
    if (repeatsHeader(f, header)) return headerRepeatIssue(file, row.line);
    return reject('usage_date_utc', `expected a UTC date (2026-10-01) or hour (2026-10-01 02:00), found ${shownText(dateText)}`);
  }
  const counts: Record<string, number> = {};
  for (const [name, i] of c.tokens) {
    const n = i < 0 ? 0 : parseCount((f[i] ?? '').trim());
    if (n === null) return reject(name, `expected a whole non-negative count in decimal digits, found ${shownText(f[i] ?? '')}`);
    counts[name] = n;
  }
  const contextWindow = cell(f, c.contextWindow);
  const longContext = isLongContext(contextWindow);
  if (longContext === null) return reject('context_window', `expected a context window such as "≤ 200k" or "> 200k", found ${shownText(contextWindow ?? '')}`);
  const model = cell(f, c.model);
  if (model === null) return reject('model_version', 'expected a model id such as claude-haiku-4-5-20251001, found an empty cell');
  const usageType = cell(f, c.usageType);
  const { projectId } = workspaceProject(cell(f, c.workspace));
  const uncached = counts.usage_input_tokens_no_cache!;
  const write5m = counts.usage_input_tokens_cache_write_5m!;
  const write1h = counts.usage_input_tokens_cache_write_1h!;
  const read = counts.usage_input_tokens_cache_read!;
  const webSearches = counts.web_search_count!;
  return {
    src: { file, line: row.line },
    provider: ANTHROPIC,
    start: bucket.start,
    end: bucket.end,
    projectId,
    userId: null,
    apiKeyId: cell(f, c.key),
    model,
    batch: isBatch(usageType),
    serviceTier: usageType,
    // the Console counts no requests
    requests: 0,
    // as for OpenAI, input includes cache reads and writes (engine/prices.ts prices the parts)
    inputTokens: uncached + write5m + write1h + read,
    outputTokens: counts.usage_output_tokens!,
    cachedTokens: read,
    cacheWriteTokens: write5m + write1h,
    cacheWrite1hTokens: write1h,
    longContext,
    other: webSearches ? { web_search_requests: webSearches } : null,
    variant: usageVariant(contextWindow, cell(f, c.geo), cell(f, c.speed)),
  };
}
