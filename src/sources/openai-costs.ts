/**
 * OpenAI Cost export (dashboard "Export" of the Cost view), SPEC §2.2: both header
 * generations, an optional trailing api_source, empty buckets, long decimal amounts
 * parsed exactly, ISO columns with or without offset (the Unix columns win).
 */
import type { CostRecord, Detection } from '../model.js';
import { Decimal } from '../money.js';
import { detectByHeader, headerIndex, issue, type OpenedInput, type ReadBatch, type SourceReader } from './contract.js';
import { parseLineItem, parseUnixSeconds, TIME_COLUMNS } from './openai-fields.js';

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
    let c: ReturnType<typeof columnsOf> | null = null;
    for await (const rows of input.csv.batches()) {
      const batch: ReadBatch<CostRecord> = { records: [], issues: [], skipped: 0, rows: 0 };
      for (const row of rows) {
        if (c === null) {
          c = columnsOf(row.fields);
          continue;
        }
        batch.rows++;
        const f = row.fields;
        const amountText = c.amount >= 0 ? (f[c.amount] ?? '') : '';
        const amount = amountText === '' ? null : Decimal.parse(amountText);
        const currency = (c.currency >= 0 ? (f[c.currency] ?? '') : '').trim().toUpperCase() || null;
        const reject = (column: string | null, message: string) =>
          batch.issues.push(issue('error', file, row.line, column, message, true, amount, currency));
        if (f.length !== c.width) {
          reject(null, `expected ${c.width} columns as in the header, found ${f.length}`);
          continue;
        }
        const start = parseUnixSeconds(f[c.start]!);
        if (start === null) {
          reject('start_time', `expected Unix seconds, found ${JSON.stringify(f[c.start])}`);
          continue;
        }
        const end = parseUnixSeconds(f[c.end]!);
        if (end === null || end <= start) {
          reject('end_time', `expected Unix seconds after start_time, found ${JSON.stringify(f[c.end])}`);
          continue;
        }
        let filled = false;
        for (const i of c.payload) {
          if (f[i] !== '') {
            filled = true;
            break;
          }
        }
        if (!filled) {
          batch.skipped++;
          continue;
        }
        if (amount === null) {
          reject('amount_value', `expected a decimal amount such as 0.8958740000000000, found ${JSON.stringify(amountText)}`);
          continue;
        }
        if (currency === null || !/^[A-Z]{3}$/.test(currency)) {
          reject('amount_currency', `expected a currency code such as usd, found ${JSON.stringify(f[c.currency] ?? '')}`);
          continue;
        }
        const lineItemRaw = opt(f, c.lineItem);
        batch.records.push({
          src: { file, line: row.line },
          start,
          end,
          amount,
          currency,
          quantity: opt(f, c.quantity),
          quantityUnit: opt(f, c.quantityUnit),
          lineItemRaw,
          lineItem: lineItemRaw === null ? null : parseLineItem(lineItemRaw),
          projectId: opt(f, c.project),
          projectName: opt(f, c.projectName),
          organizationId: opt(f, c.org),
          organizationName: opt(f, c.orgName),
          apiKeyId: opt(f, c.key),
          userId: opt(f, c.user),
          userEmail: opt(f, c.email),
        });
      }
      if (batch.rows) yield batch;
    }
  },
};

const opt = (f: string[], i: number): string | null => (i < 0 || f[i] === '' ? null : f[i]!);

function columnsOf(header: string[]) {
  const idx = headerIndex(header);
  const at = (name: string) => idx.get(name) ?? -1;
  const time = new Set(['start_time', 'end_time', 'start_time_iso', 'end_time_iso'].map(at));
  return {
    width: header.length,
    start: at('start_time'),
    end: at('end_time'),
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
