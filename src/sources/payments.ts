/**
 * Payment history CSV (SPEC §2.3): the documented format spendrecon defines because the
 * provider shows top-ups only on its billing page and as receipt PDFs.
 *
 *   paid_at,reference,amount,currency,status,kind,organization,card_last4,description[,provider]
 *
 * `provider` (an id, name or alias of src/data/providers/*.json) is optional: a file without
 * it, or a row with it empty, means the provider such files always meant (DEFAULT_PROVIDER).
 *
 * Rows are checked with plain per-column code (zod per row costs more than the parse,
 * MEASUREMENTS.md); a bad row becomes one issue naming its first bad column, what was
 * expected, the other problems of the row, and the amount when it could be read.
 */
import type { Detection, InputIssue, PaymentRecord } from '../model.js';
import { paymentKindSchema, paymentStatusSchema } from '../model.js';
import { Decimal, MAX_AMOUNT_DIGITS } from '../money.js';
import { DEFAULT_PROVIDER, PROVIDERS, providerFromText } from '../providers.js';
import { parseIsoInstant, parseLocalDateTime } from '../time.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type ReadContext, type SourceReader } from './contract.js';
import { repeatsHeader, shownText, type CsvRow } from './csv.js';
import { columnAt, headerRepeatIssue } from './export-rows.js';

const PAYMENT_COLUMNS = ['paid_at', 'reference', 'amount', 'currency', 'status', 'kind', 'organization', 'card_last4', 'description', 'provider'] as const;
/** Without these a row cannot be reconciled; the other documented columns may be absent. */
const REQUIRED = ['paid_at', 'reference', 'amount', 'currency', 'status', 'kind'] as const;
const KNOWN = ['organization', 'card_last4', 'description', 'provider'] as const;
/** Columns no bank statement or provider export has; a header needs one of them to be ours. */
const DISTINCTIVE = ['paid_at', 'kind'] as const;

const PAYMENT_STATUSES = paymentStatusSchema.options;
const PAYMENT_KINDS = paymentKindSchema.options;

/**
 * Template written by `spendrecon init`: the header only. Sample rows in a file the user
 * appends to would be read as real payments; the README shows one example per situation.
 */
export const PAYMENTS_TEMPLATE_CSV = `${PAYMENT_COLUMNS.join(',')}\n`;

const MONEY_TEXT = /^([+-]?)[$€£¥]?([+-]?)((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)$/;

/**
 * An amount as written by people and spreadsheets: `12.00`, `1,234.56`, `-5`, `$20.00`.
 * Thousands separators must be well placed, so `1,23` (a decimal comma) is not misread.
 */
export function parsePaymentAmount(text: string): Decimal | null {
  const m = MONEY_TEXT.exec(text.trim().replace(/\s+/g, ''));
  if (!m) return null;
  if (m[1] && m[2]) return null;
  const sign = m[1] || m[2] || '';
  return Decimal.parseAmount(sign + m[3]!.replace(/,/g, ''));
}

/** `paid_at`: an ISO instant with offset, or a local date-time (or date) read in `tz`. */
export function parsePaidAt(text: string, tz: string): number | null {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return parseLocalDateTime(s, tz);
  return parseIsoInstant(s, tz);
}

/** Status and kind forgive case, spaces and hyphens (`Auto-Recharge` → `auto_recharge`). */
function normaliseEnumText(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function findHeader(head: readonly CsvRow[]): { row: CsvRow; detection: Detection } | null {
  // a title or export note above the header is tolerated, as in bank exports
  for (const row of head.slice(0, 10)) {
    const d = detectByHeader(row.fields, {
      format: paymentsReader.format,
      label: paymentsReader.label,
      required: REQUIRED,
      known: KNOWN,
      distinctive: DISTINCTIVE,
    });
    if (d) return { row, detection: d };
  }
  return null;
}

export const paymentsReader: SourceReader<PaymentRecord> = {
  format: 'payments-csv',
  label: 'Payment history (spendrecon CSV)',
  kind: 'payments',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'csv') return null;
    const found = findHeader(input.csv.head);
    if (!found) return null;
    const d = found.detection;
    if (found.row.line > 1) d.reasons.push(`header on line ${found.row.line}`);
    const idx = headerIndex(found.row.fields);
    const absent = KNOWN.filter((c) => !idx.has(c));
    if (absent.length) d.reasons.push(`optional columns absent: ${absent.join(', ')}`);
    return d;
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<PaymentRecord>> {
    if (input.type !== 'csv') return;
    const file = ctx.displayPath;
    const found = findHeader(input.csv.head);
    if (!found) {
      yield { records: [], issues: [issue('error', file, 0, null, `no payment-history header found; expected ${PAYMENT_COLUMNS.join(',')}`)], skipped: 0, rows: 0 };
      return;
    }
    const missing = found.detection.missingRequired;
    if (missing.length) {
      // the pipeline refuses such files up front; a direct caller still gets a clear answer
      yield {
        records: [],
        issues: missing.map((c) => issue('error', file, found.row.line, c, `required column "${c}" is missing; expected header ${PAYMENT_COLUMNS.join(',')}`)),
        skipped: 0,
        rows: 0,
      };
      return;
    }
    const cols = columnsOf(found.row.fields);
    const headerLine = found.row.line;
    for await (const rows of input.csv.batches({ width: cols.width })) {
      const batch: ReadBatch<PaymentRecord> = { records: [], issues: [], skipped: 0, rows: 0 };
      for (const row of rows) {
        if (row.fault) {
          batch.rows++;
          batch.issues.push(faultIssue(row, cols, found.row.fields, file));
          continue;
        }
        if (row.line < headerLine) {
          batch.rows++;
          batch.skipped++;
          continue;
        }
        if (row.line === headerLine) continue;
        batch.rows++;
        if (repeatsHeader(row.fields, found.row.fields)) {
          batch.skipped++;
          batch.issues.push(headerRepeatIssue(file, row.line));
          continue;
        }
        if (row.fields.every((f) => f.trim() === '')) {
          // spreadsheets save trailing rows of empty cells
          batch.skipped++;
          continue;
        }
        const r = readRow(row, cols, file, ctx);
        if ('record' in r) batch.records.push(r.record);
        else batch.issues.push(r.issue);
        if ('warning' in r && r.warning) batch.issues.push(r.warning);
      }
      if (batch.rows) yield batch;
    }
  },
};

type Columns = ReturnType<typeof columnsOf>;

function columnsOf(header: readonly string[]) {
  const at = columnAt(header);
  return {
    width: header.length,
    paidAt: at('paid_at'),
    reference: at('reference'),
    amount: at('amount'),
    currency: at('currency'),
    status: at('status'),
    kind: at('kind'),
    organization: at('organization'),
    cardLast4: at('card_last4'),
    description: at('description'),
    provider: at('provider'),
  };
}

/** A line the CSV layer could not read as a row (unbalanced quote, overlong line): rejected, with its money where readable. */
function faultIssue(row: CsvRow, c: Columns, header: readonly string[], file: string): InputIssue {
  const amount = c.amount < 0 ? null : parsePaymentAmount(row.fields[c.amount] ?? '');
  const currency = (row.fields[c.currency] ?? '').trim().toUpperCase();
  const column = row.fault!.field === null ? null : (header[row.fault!.field]?.trim() ?? null);
  return issue('error', file, row.line, column, row.fault!.message, true, amount, /^[A-Z]{3}$/.test(currency) ? currency : null);
}

/** The card's last 4 digits from a masked cell (`•••• 4242`); unreadable text warns and the row goes on without a card. */
function readCardLast4(text: string, file: string, line: number, amount: Decimal, currency: string): { cardLast4: string | null; warning?: InputIssue } {
  if (text === '') return { cardLast4: null };
  const digits = /(\d{4})$/.exec(text.replace(/[\s•*xX.-]+/g, ''));
  if (digits) return { cardLast4: digits[1]! };
  const message = `expected the last 4 digits of the card such as 4242; found ${JSON.stringify(text)}; the row is used without a card`;
  return { cardLast4: null, warning: issue('warning', file, line, 'card_last4', message, false, amount, currency) };
}

type RowResult = { record: PaymentRecord; warning?: InputIssue } | { issue: InputIssue };

function readRow(row: CsvRow, c: Columns, file: string, ctx: ReadContext): RowResult {
  const f = row.fields;
  const get = (i: number) => (i < 0 ? '' : (f[i] ?? '').trim());
  const amountText = get(c.amount);
  const amount = amountText === '' ? null : parsePaymentAmount(amountText);
  const currencyText = get(c.currency).toUpperCase();
  const currency = /^[A-Z]{3}$/.test(currencyText) ? currencyText : null;
  const problems: { column: string | null; message: string }[] = [];

  if (f.length > c.width && f.slice(c.width).some((x) => x.trim() !== '')) {
    // the usual cause: an unquoted amount with a thousands separator split the row
    problems.push({
      column: null,
      message: `expected ${c.width} columns as in the header, found ${f.length}; quote values that contain commas (e.g. "1,234.56")`,
    });
  }
  const paidAtText = get(c.paidAt);
  const paidAt = paidAtText === '' ? null : parsePaidAt(paidAtText, ctx.timezone);
  if (paidAt === null) {
    problems.push({
      column: 'paid_at',
      message:
        `expected an ISO-8601 date-time such as 2026-10-03T14:05:00Z or 2026-10-03T14:05:00+08:00, ` +
        `or a local date-time such as 2026-10-03 14:05 (read in ${ctx.timezone}); found ${JSON.stringify(paidAtText)}`,
    });
  }
  if (amount === null) {
    problems.push({
      column: 'amount',
      message: `expected an amount such as 12.00 or 1,234.56; found ${shownText(amountText)}${/\d{16}/.test(amountText.replace(/[,.]/g, '')) ? ` (amounts must be below 10^${MAX_AMOUNT_DIGITS})` : ''}`,
    });
  }
  if (currency === null) {
    problems.push({ column: 'currency', message: `expected a 3-letter currency code such as USD; found ${JSON.stringify(get(c.currency))}` });
  }
  const statusText = normaliseEnumText(get(c.status));
  const status = paymentStatusSchema.safeParse(statusText);
  if (!status.success) {
    problems.push({ column: 'status', message: `expected one of ${PAYMENT_STATUSES.join(', ')}; found ${JSON.stringify(get(c.status))}` });
  }
  const kindText = normaliseEnumText(get(c.kind));
  const kind = paymentKindSchema.safeParse(kindText);
  if (!kind.success) {
    problems.push({ column: 'kind', message: `expected one of ${PAYMENT_KINDS.join(', ')}; found ${JSON.stringify(get(c.kind))}` });
  }

  const providerText = get(c.provider);
  const provider = providerText === '' ? DEFAULT_PROVIDER : (providerFromText(providerText)?.id ?? null);
  if (provider === null) {
    problems.push({
      column: 'provider',
      message: `expected one of ${PROVIDERS.map((p) => p.id).join(', ')} (or empty for ${DEFAULT_PROVIDER}); found ${JSON.stringify(providerText)}`,
    });
  }

  if (problems.length || provider === null || paidAt === null || amount === null || currency === null || !status.success || !kind.success) {
    const first = problems[0]!;
    const also = problems.slice(1).map((p) => (p.column ? `${p.column}: ${p.message}` : p.message));
    const message = (first.column ? `${first.column}: ` : '') + first.message + (also.length ? `; also ${also.join('; ')}` : '');
    // one issue per row, so rows and rejected money are counted once
    return { issue: issue('error', file, row.line, first.column, message, true, amount, currency ?? (currencyText || null)) };
  }

  const { cardLast4, warning } = readCardLast4(get(c.cardLast4), file, row.line, amount, currency);
  const record: PaymentRecord = {
    src: { file, line: row.line },
    provider,
    paidAt,
    reference: get(c.reference),
    amount,
    currency,
    status: status.data,
    kind: kind.data,
    organization: get(c.organization) || null,
    cardLast4,
    description: get(c.description),
  };
  return warning ? { record, warning } : { record };
}
