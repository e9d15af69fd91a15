/**
 * The billing-history table people copy from the provider's billing page into a file
 * (tab-separated when pasted from the browser; .tsv or .txt): one payment per row, read
 * through a layout of src/data/receipts/ (header names per field, statuses, the rows' kind).
 */
import type { Detection, PaymentRecord } from '../../model.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type ReadContext, type SourceReader } from '../contract.js';
import type { CsvRow } from '../csv.js';
import { BILLING_TABLE_LAYOUTS, type BillingTableLayout } from './layouts.js';
import { parseMoneyText, parsePageDateTime } from './values.js';

const FORMAT = 'billing-history-table';

interface Found {
  layout: BillingTableLayout;
  row: CsvRow;
  detection: Detection;
}

function columnIndex(idx: Map<string, number>, names: readonly string[]): number {
  for (const n of names) {
    const i = idx.get(n);
    if (i !== undefined) return i;
  }
  return -1;
}

/** The header row (within the first rows: a title may sit above it) and the layout whose four fields it has. */
function findTable(head: readonly CsvRow[]): Found | null {
  for (const layout of BILLING_TABLE_LAYOUTS) {
    const c = layout.columns;
    for (const row of head.slice(0, 5)) {
      const idx = headerIndex(row.fields);
      const fields = [c.reference, c.status, c.amount, c.date];
      if (!fields.every((names) => columnIndex(idx, names) >= 0)) continue;
      const d = detectByHeader(row.fields, { format: FORMAT, label: layout.label, required: fields.map((n) => row.fields[columnIndex(idx, n)]!.trim().toLowerCase()), known: [] });
      // four generic names: sure enough to read, below a statement profile's distinctive header
      if (d) return { layout, row, detection: { ...d, confidence: 0.75, reasons: [`header has ${fields.map((n) => n[0]).join(', ')} (layout ${layout.name})`] } };
    }
  }
  return null;
}

export const billingTableReader: SourceReader<PaymentRecord> = {
  format: FORMAT,
  label: 'Billing-history table (pasted from the billing page)',
  kind: 'payments',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'csv') return null;
    return findTable(input.csv.head)?.detection ?? null;
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<PaymentRecord>> {
    if (input.type !== 'csv') return;
    const found = findTable(input.csv.head);
    if (!found) return;
    const idx = headerIndex(found.row.fields);
    const c = found.layout.columns;
    const cols = { reference: columnIndex(idx, c.reference), status: columnIndex(idx, c.status), amount: columnIndex(idx, c.amount), date: columnIndex(idx, c.date) };
    for await (const rows of input.csv.batches({ width: found.row.fields.length })) {
      const batch: ReadBatch<PaymentRecord> = { records: [], issues: [], skipped: 0, rows: 0 };
      for (const row of rows) {
        if (row.line === found.row.line) continue;
        batch.rows++;
        if (row.line < found.row.line || row.fields.every((f) => f.trim() === '')) {
          batch.skipped++;
          continue;
        }
        const r = readTableRow(row, cols, found.layout, ctx);
        if ('record' in r) batch.records.push(r.record);
        else batch.issues.push(r.issue);
      }
      if (batch.rows) yield batch;
    }
  },
};

type Cols = { reference: number; status: number; amount: number; date: number };

function readTableRow(row: CsvRow, cols: Cols, layout: BillingTableLayout, ctx: ReadContext): { record: PaymentRecord } | { issue: ReturnType<typeof issue> } {
  const file = ctx.displayPath;
  const get = (i: number) => (row.fields[i] ?? '').trim();
  const money = parseMoneyText(get(cols.amount));
  const fail = (column: string | null, message: string) => ({ issue: issue('error', file, row.line, column, message, true, money?.amount ?? null, money?.currency ?? null) });
  if (row.fault) return fail(null, row.fault.message);
  const reference = get(cols.reference);
  if (!reference) return fail(layout.columns.reference[0]!, 'expected the invoice number such as 4F2A9C1E-0007; found nothing');
  if (!money) return fail(layout.columns.amount[0]!, `expected an amount with its currency such as $20.00; found ${JSON.stringify(get(cols.amount))}`);
  const paidAt = parsePageDateTime(get(cols.date), ctx.timezone);
  if (paidAt === null) return fail(layout.columns.date[0]!, `expected a date such as "Oct 2, 2026, 2:15 PM" (read in ${ctx.timezone}); found ${JSON.stringify(get(cols.date))}`);
  const statusText = get(cols.status).toLowerCase();
  const status = layout.statuses[statusText];
  if (!status) return fail(layout.columns.status[0]!, `expected one of ${Object.keys(layout.statuses).join(', ')}; found ${JSON.stringify(get(cols.status))}`);
  return {
    record: {
      src: { file, line: row.line },
      provider: layout.provider,
      paidAt,
      reference,
      amount: money.amount.abs(),
      currency: money.currency,
      status,
      kind: layout.kind,
      organization: null,
      cardLast4: null,
      description: `billing history: ${get(cols.status)} (what was bought is not shown; read as ${layout.kind})`,
    },
  };
}
