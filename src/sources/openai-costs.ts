/**
 * OpenAI Cost export (dashboard "Export" of the Cost view), SPEC §2.2: both header
 * generations, an optional trailing api_source, empty buckets, long decimal amounts
 * parsed exactly, ISO columns with or without offset (the Unix columns win).
 */
import { flatCopy, memoText, sharedText } from '../lists.js';
import type { CostRecord, Detection, InputIssue } from '../model.js';
import { Decimal, MAX_AMOUNT_DIGITS } from '../money.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type SourceReader } from './contract.js';
import { repeatsHeader, shownText, type CsvRow } from './csv.js';
import { addOutcome, allEmpty, columnAt, exportBatches, faultColumn, headerRepeatIssue, widthMessage, wrongWidth } from './export-rows.js';
import { bucketProblem, COST_BUCKET_WIDTHS, IsoAgreement, parseLineItem, parseUnixSeconds, TIME_COLUMNS, OPENAI } from './openai-fields.js';

const REQUIRED = [...TIME_COLUMNS, 'amount_value', 'amount_currency'];
const KNOWN = [
  'start_time_iso',
  'end_time_iso',
  'quantity',
  'quantity_unit',
  'line_item',
  'user_id',
  'api_key_id',
  'project_id',
  'organization_id',
  'project_name',
  'organization_name',
  'user_email',
  'api_source',
];

export const costCsvReader: SourceReader<CostRecord> = {
  format: 'openai-costs-csv',
  label: 'OpenAI cost export (CSV)',
  kind: 'costs',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'csv') return null;
    const header = input.csv.head[0]?.fields ?? [];
    const d = detectByHeader(header, {
      format: this.format,
      label: this.label,
      required: REQUIRED,
      known: KNOWN,
      distinctive: ['amount_value', 'amount_currency', 'line_item'],
    });
    if (!d) return null;
    const idx = headerIndex(header);
    if (idx.has('quantity') && idx.has('user_email')) d.reasons.push('2026 header (quantity, user_email)');
    else d.reasons.push('2025 header');
    if (idx.has('api_source')) d.reasons.push('trailing api_source column');
    return d;
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<CostRecord>> {
    if (input.type !== 'csv') return;
    const file = ctx.displayPath;
    const header = input.csv.head[0]?.fields ?? [];
    const c = columnsOf(header);
    const iso = new IsoAgreement(c.startIso, c.endIso);
    yield* exportBatches<CostRecord>(input.csv, { width: c.width }, (row, batch) => addOutcome(batch, readRow(row, c, header, iso, file)));
  },
};

type Columns = ReturnType<typeof columnsOf>;

/** The row's money as read (signed as in the file), for the issue of a rejected row. */
function moneyOf(f: readonly string[], c: Columns): { amount: Decimal | null; currency: string | null } {
  const amountText = c.amount >= 0 ? (f[c.amount] ?? '') : '';
  const currency = (c.currency >= 0 ? (f[c.currency] ?? '') : '').trim().toUpperCase();
  return { amount: amountText === '' ? null : Decimal.parseAmount(amountText), currency: /^[A-Z]{3}$/.test(currency) ? sharedText(currency) : null };
}

/** One data row: a record, an issue (at most one per row, with the row's money), or 'skip' for an empty bucket. */
function readRow(row: CsvRow, c: Columns, header: readonly string[], iso: IsoAgreement, file: string): CostRecord | InputIssue | 'skip' {
  const f = row.fields;
  const { amount, currency } = moneyOf(f, c);
  const reject = (column: string | null, message: string) => issue('error', file, row.line, column, message, true, amount, currency);
  if (row.fault) return reject(faultColumn(row.fault, header), row.fault.message);
  const empty = allEmpty(f, c.payload);
  if (wrongWidth(f, c.width, empty)) return reject(null, widthMessage(c.width, f.length));
  const start = parseUnixSeconds(f[c.start]!);
  if (start === null) {
    if (repeatsHeader(f, header)) return headerRepeatIssue(file, row.line);
    return reject('start_time', `expected Unix seconds (decimal digits), found ${shownText(f[c.start]!)}`);
  }
  const end = parseUnixSeconds(f[c.end]!);
  if (end === null) return reject('end_time', `expected Unix seconds (decimal digits), found ${shownText(f[c.end]!)}`);
  const bad = bucketProblem(start, end, COST_BUCKET_WIDTHS) ?? iso.problem(f, start, end);
  if (bad) return reject(bad.column, bad.message);
  if (empty) return 'skip';
  const amountText = f[c.amount] ?? '';
  if (amount === null) {
    return reject('amount_value', `expected a decimal amount such as 0.8958740000000000 (below 10^${MAX_AMOUNT_DIGITS} in magnitude), found ${shownText(amountText)}`);
  }
  if (currency === null) return reject('amount_currency', `expected a currency code such as usd, found ${shownText(f[c.currency] ?? '')}`);
  const lineItemRaw = dim(f, c.lineItem);
  return {
    src: { file, line: row.line },
    provider: OPENAI,
    start,
    end,
    amount,
    currency,
    quantity: opt(f, c.quantity),
    quantityUnit: dim(f, c.quantityUnit),
    lineItemRaw,
    lineItem: lineItemRaw === null ? null : lineItemOf(lineItemRaw),
    projectId: dim(f, c.project),
    projectName: dim(f, c.projectName),
    organizationId: dim(f, c.org),
    organizationName: dim(f, c.orgName),
    apiKeyId: dim(f, c.key),
    userId: dim(f, c.user),
    userEmail: dim(f, c.email),
  };
}

/** Line items repeat on every day of an export: each distinct text parsed once (the parts are never changed after). */
// a copy of its own for the key: a cell is a slice of its chunk's text, which the cache would otherwise keep
const lineItemOf = memoText(parseLineItem, 10_000, flatCopy);

const opt = (f: string[], i: number): string | null => (i < 0 || f[i] === '' ? null : f[i]!);
/** A cell whose texts repeat from row to row, as one shared string (sharedText). */
const dim = (f: string[], i: number): string | null => (i < 0 || f[i] === '' ? null : sharedText(f[i]!));

function columnsOf(header: string[]) {
  const at = columnAt(header);
  const time = new Set(['start_time', 'end_time', 'start_time_iso', 'end_time_iso'].map(at));
  return {
    width: header.length,
    start: at('start_time'),
    end: at('end_time'),
    startIso: at('start_time_iso'),
    endIso: at('end_time_iso'),
    amount: at('amount_value'),
    currency: at('amount_currency'),
    quantity: at('quantity'),
    quantityUnit: at('quantity_unit'),
    lineItem: at('line_item'),
    user: at('user_id'),
    key: at('api_key_id'),
    project: at('project_id'),
    org: at('organization_id'),
    projectName: at('project_name'),
    orgName: at('organization_name'),
    email: at('user_email'),
    payload: header.map((_, i) => i).filter((i) => !time.has(i)),
  };
}
