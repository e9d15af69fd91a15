/**
 * OpenAI Usage export (dashboard "Export" of the Usage page), SPEC §2.1: both header
 * generations, every usage category, empty buckets, float-written counts, True/FALSE.
 */
import type { Detection, InputIssue, UsageRecord } from '../model.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type SourceReader } from './contract.js';
import { repeatsHeader, shownText, type CsvRow } from './csv.js';
import { addOutcome, allEmpty, columnAt, exportBatches, faultColumn, headerRepeatIssue, widthMessage, wrongWidth } from './export-rows.js';
import { bucketProblem, IsoAgreement, parseBool, parseCount, parseUnixSeconds, TIME_COLUMNS, USAGE_BUCKET_WIDTHS, OPENAI } from './openai-fields.js';

const TOKEN_COLUMNS = {
  num_model_requests: 'requests',
  input_tokens: 'inputTokens',
  output_tokens: 'outputTokens',
  input_cached_tokens: 'cachedTokens',
  input_cache_write_tokens: 'cacheWriteTokens',
} as const;

/** Per-modality breakdown columns: never added to the totals (SPEC §2.1). */
const BREAKDOWN_COLUMNS = [
  'input_uncached_tokens',
  'input_text_tokens',
  'output_text_tokens',
  'input_cached_text_tokens',
  'input_audio_tokens',
  'input_cached_audio_tokens',
  'output_audio_tokens',
  'input_image_tokens',
  'input_cached_image_tokens',
  'output_image_tokens',
  'compute_units',
];

/** Metrics of the other usage categories (images, audio, vector stores, ...). */
const OTHER_METRICS = ['images', 'characters', 'seconds', 'usage_bytes', 'num_sessions', 'num_requests'];

const DIMENSIONS = ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier', 'size', 'source'];

export const usageCsvReader: SourceReader<UsageRecord> = {
  format: 'openai-usage-csv',
  label: 'OpenAI usage export (CSV)',
  kind: 'usage',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'csv') return null;
    const header = input.csv.head[0]?.fields ?? [];
    const d = detectByHeader(header, {
      format: this.format,
      label: this.label,
      required: TIME_COLUMNS,
      known: ['start_time_iso', 'end_time_iso', ...Object.keys(TOKEN_COLUMNS), ...BREAKDOWN_COLUMNS, ...OTHER_METRICS, ...DIMENSIONS],
      distinctive: ['num_model_requests', 'input_tokens', ...OTHER_METRICS],
    });
    if (!d) return null;
    const idx = headerIndex(header);
    if (idx.has('amount_value')) return null; // that is a cost export
    if (idx.has('compute_units') && idx.has('input_cache_write_tokens')) d.reasons.push('2026 header (compute_units, input_cache_write_tokens)');
    else if (idx.has('input_cached_tokens')) d.reasons.push('2025 header (no compute_units / input_cache_write_tokens)');
    return d;
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<UsageRecord>> {
    if (input.type !== 'csv') return;
    const header = input.csv.head[0]?.fields ?? [];
    const rows = usageRowReader(header, ctx.displayPath);
    yield* exportBatches<UsageRecord>(input.csv, { columns: rows.col.used, width: rows.col.width }, (row, batch) => addOutcome(batch, rows.readRow(row)));
  },
};

/** The row reader of a usage export with this header: one for the main thread and each worker. */
export function usageRowReader(header: string[], file: string) {
  const col = columnsOf(header);
  const iso = new IsoAgreement(col.startIso, col.endIso);
  return { col, file, readRow: (row: CsvRow) => readRow(row, col, header, iso, file) };
}

export type UsageRowReader = ReturnType<typeof usageRowReader>;

type Columns = ReturnType<typeof columnsOf>;

/** One data row: a record, an issue (at most one per row), or 'skip' for an empty bucket. */
function readRow(row: CsvRow, col: Columns, header: readonly string[], iso: IsoAgreement, file: string): UsageRecord | InputIssue | 'skip' {
  const f = row.fields;
  if (row.fault) return issue('error', file, row.line, faultColumn(row.fault, header), row.fault.message);
  const empty = allEmpty(f, col.payload);
  if (wrongWidth(f, col.width, empty)) return issue('error', file, row.line, null, widthMessage(col.width, f.length));
  const start = parseUnixSeconds(f[col.start]!);
  if (start === null) {
    // checked only here, so ordinary rows pay nothing for it
    if (repeatsHeader(f, header, col.used)) return headerRepeatIssue(file, row.line);
    return issue('error', file, row.line, 'start_time', `expected Unix seconds (decimal digits), found ${shownText(f[col.start]!)}`);
  }
  const end = parseUnixSeconds(f[col.end]!);
  if (end === null) return issue('error', file, row.line, 'end_time', `expected Unix seconds (decimal digits), found ${shownText(f[col.end]!)}`);
  const bad = bucketProblem(start, end, USAGE_BUCKET_WIDTHS) ?? iso.problem(f, start, end);
  if (bad) return issue('error', file, row.line, bad.column, bad.message);
  // an empty bucket has only its time columns filled
  if (empty) return 'skip';
  const rec = toRecord(f, col, start, end, row.line, file);
  if (typeof rec === 'string') {
    const [column, message] = rec.split('\u0000') as [string, string];
    return issue('error', file, row.line, column, message);
  }
  return rec;
}

function columnsOf(header: string[]) {
  const at = columnAt(header);
  const other = OTHER_METRICS.map((m) => [m, at(m)] as const).filter(([, i]) => i >= 0);
  const dims = ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier', ...Object.keys(TOKEN_COLUMNS)].map(at).filter((i) => i >= 0);
  // an empty bucket has none of its usage cells filled (only time columns)
  const payload = [...dims, ...other.map(([, i]) => i)];
  return {
    // header.length: the extra trailing cell some empty-day rows carry, to tell it is empty
    used: [at('start_time'), at('end_time'), at('start_time_iso'), at('end_time_iso'), ...payload, at('size'), at('source'), header.length],
    width: header.length,
    start: at('start_time'),
    end: at('end_time'),
    startIso: at('start_time_iso'),
    endIso: at('end_time_iso'),
    project: at('project_id'),
    user: at('user_id'),
    key: at('api_key_id'),
    model: at('model'),
    batch: at('batch'),
    tier: at('service_tier'),
    requests: at('num_model_requests'),
    input: at('input_tokens'),
    output: at('output_tokens'),
    cached: at('input_cached_tokens'),
    cacheWrite: at('input_cache_write_tokens'),
    size: at('size'),
    source: at('source'),
    other,
    payload,
  };
}

const badCount = (name: string, cell: string | undefined) =>
  `${name}\u0000expected a whole non-negative count in decimal digits (e.g. 31422.0), at most ${Number.MAX_SAFE_INTEGER}; found ${shownText(cell ?? '')}`;

const opt = (f: string[], i: number): string | null => (i < 0 ? null : f[i] === '' ? null : f[i]!);

/** A count cell: the fast path reads plain digits with an optional `.0`; anything else goes to parseCount. */
function count(f: string[], i: number): number | null {
  if (i < 0) return 0;
  const t = f[i]!;
  return parseCount(t);
}

/** Builds the record, or returns "column\0message" for the first bad cell. */
function toRecord(f: string[], c: Columns, start: number, end: number, line: number, file: string): UsageRecord | string {
  // no per-row arrays: five named cells, each checked where it is read
  const requests = count(f, c.requests);
  if (requests === null) return badCount('num_model_requests', f[c.requests]);
  const inputTokens = count(f, c.input);
  if (inputTokens === null) return badCount('input_tokens', f[c.input]);
  const outputTokens = count(f, c.output);
  if (outputTokens === null) return badCount('output_tokens', f[c.output]);
  const cachedTokens = count(f, c.cached);
  if (cachedTokens === null) return badCount('input_cached_tokens', f[c.cached]);
  const cacheWriteTokens = count(f, c.cacheWrite);
  if (cacheWriteTokens === null) return badCount('input_cache_write_tokens', f[c.cacheWrite]);
  if (cachedTokens + cacheWriteTokens > inputTokens) {
    return `input_tokens\u0000expected input_tokens (${inputTokens}) to include cached (${cachedTokens}) and cache-write (${cacheWriteTokens}) tokens`;
  }
  let batch: boolean | null = null;
  if (c.batch >= 0 && f[c.batch] !== '') {
    batch = parseBool(f[c.batch]!);
    if (batch === null) return `batch\u0000expected True/False, found ${JSON.stringify(f[c.batch])}`;
  }
  let other: Record<string, number> | null = null;
  for (const [name, i] of c.other) {
    if (f[i] === '') continue;
    const v = parseCount(f[i]!, false);
    if (v === null) return `${name}\u0000expected a non-negative number in decimal digits, found ${shownText(f[i]!)}`;
    (other ??= {})[name] = v;
  }
  return {
    src: { file, line },
    provider: OPENAI,
    start,
    end,
    projectId: opt(f, c.project),
    userId: opt(f, c.user),
    apiKeyId: opt(f, c.key),
    model: opt(f, c.model),
    batch,
    serviceTier: opt(f, c.tier),
    requests,
    inputTokens,
    outputTokens,
    cachedTokens,
    cacheWriteTokens,
    other,
    variant: variantOf(opt(f, c.size), opt(f, c.source)),
  };
}

/** Images and similar categories have rows per size and source within one bucket: part of the identity. */
export function variantOf(size: string | null, source: string | null): string | null {
  return size === null && source === null ? null : `${size ?? ''}/${source ?? ''}`;
}
