import { mkdtemp, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputIssue, PaymentRecord } from '../../src/model.js';
import type { OpenedInput } from '../../src/sources/contract.js';
import { CsvFile } from '../../src/sources/csv.js';
import { parsePaidAt, parsePaymentAmount, PAYMENTS_TEMPLATE_CSV, paymentsReader } from '../../src/sources/payments.js';

const FIXTURE = new URL('../../fixtures/payments/payments_2026-10.csv', import.meta.url).pathname;

async function open(path: string): Promise<OpenedInput> {
  return { path, type: 'csv', csv: await CsvFile.open(path) };
}

async function tempCsv(text: string, name = 'payments.csv'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spendrecon-payments-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function readAll(path: string, timezone: string) {
  const input = await open(path);
  const detection = paymentsReader.detect(input);
  if (!detection) throw new Error('not detected');
  const records: PaymentRecord[] = [];
  const issues: InputIssue[] = [];
  let rows = 0;
  let skipped = 0;
  let batches = 0;
  for await (const b of paymentsReader.read(input, detection, { timezone, displayPath: 'payments.csv' })) {
    records.push(...b.records);
    issues.push(...b.issues);
    rows += b.rows;
    skipped += b.skipped;
    batches++;
  }
  return { detection, records, issues, rows, skipped, batches };
}

const HEADER = 'paid_at,reference,amount,currency,status,kind,organization,card_last4,description';
const iso = (t: number) => new Date(t * 1000).toISOString();

describe('payment history reader', () => {
  it('detects the documented header with full confidence', async () => {
    const d = paymentsReader.detect(await open(FIXTURE))!;
    expect(d.format).toBe('payments-csv');
    expect(d.confidence).toBe(1);
    expect(d.missingRequired).toEqual([]);
    expect(d.unknownColumns).toEqual([]);
  });

  it('reads the October–November fixture exactly', async () => {
    const r = await readAll(FIXTURE, 'Asia/Shanghai');
    expect(r.issues).toEqual([]);
    expect(r.rows).toBe(10);
    expect(r.records).toHaveLength(10);
    const byRef = new Map(r.records.map((p) => [p.reference, p]));
    expect(byRef.get('GRANT-2026-10-01')).toMatchObject({ kind: 'grant', status: 'paid', cardLast4: null, organization: 'org-Hq3vN8sKpT2mXwLb7RzYc4dF' });
    const first = byRef.get('INV-4F2A9C1E-0007')!;
    expect(first.src).toEqual({ file: 'payments.csv', line: 3 });
    expect(first.currency).toBe('USD'); // written lower-case in the file
    expect(first.amount.toString()).toBe('50');
    expect(iso(first.paidAt)).toBe('2026-10-02T09:14:05.000Z');
    // an offset is honoured
    expect(iso(byRef.get('INV-4F2A9C1E-0008')!.paidAt)).toBe('2026-10-09T14:41:10.000Z');
    // a local date-time is read in the configured zone, whatever the machine's zone
    expect(iso(byRef.get('INV-4F2A9C1E-0009')!.paidAt)).toBe('2026-10-13T19:12:44.000Z');
    expect(byRef.get('INV-4F2A9C1E-0009')!.status).toBe('failed');
    expect(byRef.get('INV-4F2A9C1E-0010')!.kind).toBe('auto_recharge'); // "Auto-Recharge"
    expect(byRef.get('5B7E0D3C-0002')).toMatchObject({ kind: 'subscription', organization: null });
    expect(byRef.get('INV-4F2A9C1E-0011')!.status).toBe('refunded');
    expect(byRef.get('INV-4F2A9C1E-0013')!.amount.toString()).toBe('1250'); // "1,250.00"
    expect(byRef.get('INV-4F2A9C1E-0014')!.cardLast4).toBe('4242'); // "•••• 4242"
    const la = await readAll(FIXTURE, 'America/Los_Angeles');
    expect(iso(la.records.find((p) => p.reference === 'INV-4F2A9C1E-0009')!.paidAt)).toBe('2026-10-14T10:12:44.000Z');
  });

  it('rejects bad rows with file, line, column, what was expected and the amount', async () => {
    const path = await tempCsv(
      [
        HEADER,
        '2026-10-02T09:14:05Z,INV-1,20.00,USD,paied,manual,org-1,4242,ok',
        '2026-10-02T09:14:05Z,INV-2,12.5.0,USD,paid,manual,org-1,4242,bad amount',
        '10/02/2026,INV-3,20.00,USD,paid,manual,org-1,4242,bad date',
        '2026-10-02T09:14:05Z,INV-4,1,234.56,USD,paid,manual,org-1,4242,unquoted thousands',
        '2026-10-02T09:14:05Z,INV-5,20.00,US,paid,topup,org-1,4242,two problems',
        '2026-10-02T09:14:05Z,INV-6,20.00,USD,paid,manual,org-1,card,bad card',
        ',,,,,,,,',
        '2026-10-03,INV-7,-5.00,eur,refunded,manual,,,date only',
      ].join('\n'),
    );
    const r = await readAll(path, 'Europe/Berlin');
    expect(r.rows).toBe(8);
    expect(r.skipped).toBe(1);
    expect(r.records.map((p) => p.reference)).toEqual(['INV-6', 'INV-7']);
    const at = (line: number) => r.issues.filter((i) => i.line === line);
    expect(at(2)).toEqual([
      {
        severity: 'error',
        file: 'payments.csv',
        line: 2,
        column: 'status',
        message: 'status: expected one of paid, failed, pending, refunded, void; found "paied"',
        amount: expect.objectContaining({ units: 20n }),
        currency: 'USD',
        rejected: true,
      },
    ]);
    expect(at(3)[0]).toMatchObject({ column: 'amount', amount: null, rejected: true });
    expect(at(3)[0]!.message).toContain('expected an amount such as 12.00 or 1,234.56; found "12.5.0"');
    expect(at(4)[0]).toMatchObject({ column: 'paid_at' });
    expect(at(4)[0]!.message).toContain('(read in Europe/Berlin); found "10/02/2026"');
    expect(at(5)[0]!.message).toContain('quote values that contain commas');
    const two = at(6);
    expect(two).toHaveLength(1); // one issue per row, so the row and its money count once
    expect(two[0]!.column).toBe('currency');
    expect(two[0]!.message).toContain('also kind: expected one of manual, auto_recharge, grant, invoice, subscription; found "topup"');
    expect(at(7)).toEqual([expect.objectContaining({ severity: 'warning', column: 'card_last4', rejected: false })]);
    const seven = r.records[1]!;
    expect(seven.amount.toString()).toBe('-5');
    expect(seven.currency).toBe('EUR');
    expect(iso(seven.paidAt)).toBe('2026-10-02T22:00:00.000Z'); // local midnight in Berlin
    expect(r.issues.filter((i) => i.rejected)).toHaveLength(5);
  });

  it('allows unknown extra columns, reordered columns and a title line above the header', async () => {
    const path = await tempCsv(
      [
        'Payment history exported 2026-11-05',
        'reference,paid_at,amount,currency,status,kind,receipt_url,description',
        'INV-9,2026-10-05T10:00:00-07:00,"2,000.00",USD,paid,invoice,https://example.test/r/9,Invoice',
      ].join('\r\n'),
    );
    const r = await readAll(path, 'UTC');
    expect(r.detection.unknownColumns).toEqual(['receipt_url']);
    expect(r.detection.reasons).toContain('header on line 2');
    expect(r.detection.reasons.join()).toContain('optional columns absent: organization, card_last4');
    expect(r.issues).toEqual([]);
    expect(r.records).toEqual([
      expect.objectContaining({ src: { file: 'payments.csv', line: 3 }, reference: 'INV-9', organization: null, cardLast4: null, description: 'Invoice' }),
    ]);
    expect(r.records[0]!.amount.toString()).toBe('2000');
    expect(iso(r.records[0]!.paidAt)).toBe('2026-10-05T17:00:00.000Z');
  });

  it('names a missing required column', async () => {
    const path = await tempCsv(['paid_at,reference,amount,status,kind', '2026-10-05T10:00:00Z,INV-1,20.00,paid,manual'].join('\n'));
    const input = await open(path);
    const d = paymentsReader.detect(input)!;
    expect(d.missingRequired).toEqual(['currency']);
    const batches = [];
    for await (const b of paymentsReader.read(input, d, { timezone: 'UTC', displayPath: 'p.csv' })) batches.push(b);
    expect(batches[0]!.issues).toEqual([expect.objectContaining({ file: 'p.csv', line: 1, column: 'currency', severity: 'error' })]);
    expect(batches[0]!.records).toEqual([]);
  });

  it('does not claim other files', async () => {
    const cost = await tempCsv('start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,line_item,project_id,organization_id,organization_name\n');
    const bank = await tempCsv('Date,Description,Amount,Currency,Reference,Status\n2026-10-02,OPENAI *API,20.00,USD,123,posted\n');
    expect(paymentsReader.detect(await open(cost))).toBeNull();
    expect(paymentsReader.detect(await open(bank))).toBeNull();
  });

  it('streams a large history in batches', async () => {
    const rows = [HEADER];
    for (let i = 0; i < 20_000; i++)
      rows.push(`2026-10-02T09:14:05Z,INV-${i},${(i % 100) + 1}.25,USD,paid,auto_recharge,org-1,4242,Auto recharge number ${i} with a longer description`);
    const r = await readAll(await tempCsv(rows.join('\n')), 'UTC');
    expect(r.records).toHaveLength(20_000);
    expect(r.batches).toBeGreaterThan(1);
    expect(r.records[19_999]!.src.line).toBe(20_001);
  });

  it('ships a header-only template: no sample row can be taken for a payment', async () => {
    expect(PAYMENTS_TEMPLATE_CSV).toBe(`${HEADER},provider\n`);
    const r = await readAll(await tempCsv(PAYMENTS_TEMPLATE_CSV), 'Asia/Shanghai');
    expect(r.issues).toEqual([]);
    expect(r.records).toEqual([]);
  });

  it('reads the optional provider column: id, name or alias in any case; empty or absent means OpenAI; unknown rejects the row', async () => {
    const csv = [
      `${HEADER},provider`,
      '2026-10-02T09:00:00Z,A-1,10.00,USD,paid,manual,org-1,4242,Credit,anthropic',
      '2026-10-02T09:00:00Z,A-2,11.00,USD,paid,manual,org-1,4242,Credit,Anthropic PBC',
      '2026-10-02T09:00:00Z,O-1,12.00,USD,paid,manual,org-1,4242,Credit,',
      '2026-10-02T09:00:00Z,O-2,13.00,USD,paid,manual,org-1,4242,Credit,OpenAI',
      '2026-10-02T09:00:00Z,X-1,14.00,USD,paid,manual,org-1,4242,Credit,Acme AI',
    ].join('\n');
    const r = await readAll(await tempCsv(csv), 'UTC');
    expect(r.records.map((p) => [p.reference, p.provider])).toEqual([
      ['A-1', 'anthropic'],
      ['A-2', 'anthropic'],
      ['O-1', 'openai'],
      ['O-2', 'openai'],
    ]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ line: 6, column: 'provider', rejected: true, currency: 'USD' });
    expect(r.issues[0]!.amount!.toString()).toBe('14');
    expect(r.issues[0]!.message).toContain('"Acme AI"');
    const without = await readAll(FIXTURE, 'UTC');
    expect(new Set(without.records.map((p) => p.provider))).toEqual(new Set(['openai']));
  });

  it("the README's example rows read cleanly", async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const block = /<!-- payments-example[^>]*-->\s*```csv\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeTruthy();
    const csv = block!
      .split('\n')
      .map((l) => l.trim())
      .join('\n');
    expect(csv.split('\n')[0]).toBe(HEADER);
    const r = await readAll(await tempCsv(csv), 'Asia/Shanghai');
    expect(r.issues).toEqual([]);
    expect(r.records.map((p) => p.kind)).toEqual(['manual', 'auto_recharge', 'auto_recharge', 'subscription', 'invoice']);
    expect(r.records[4]!.amount.toString()).toBe('1250');
  });
});

describe('amount and time text', () => {
  it('parses amounts exactly, with well-placed thousands separators only', () => {
    expect(parsePaymentAmount('12.00')!.toString()).toBe('12');
    expect(parsePaymentAmount('1,234.56')!.toString()).toBe('1234.56');
    expect(parsePaymentAmount('-$20.10')!.toString()).toBe('-20.1');
    expect(parsePaymentAmount('0.0000001')!.toString()).toBe('0.0000001');
    for (const bad of ['1,23', '12,34.5', '1.234,56', 'abc', '', '1e3', '--1', '-$-1']) expect(parsePaymentAmount(bad)).toBeNull();
  });

  it('reads paid_at with an offset, or in the configured zone without one', () => {
    expect(parsePaidAt('2026-10-31T23:30:00+08:00', 'America/Los_Angeles')).toBe(Date.parse('2026-10-31T15:30:00Z') / 1000);
    expect(parsePaidAt('2026-10-31 23:30', 'Asia/Shanghai')).toBe(Date.parse('2026-10-31T15:30:00Z') / 1000);
    // DST ends in Los Angeles on 2026-11-01: 09:00 local is UTC−8 that day
    expect(parsePaidAt('2026-11-01T09:00:00', 'America/Los_Angeles')).toBe(Date.parse('2026-11-01T17:00:00Z') / 1000);
    expect(parsePaidAt('2026-02-30T10:00:00Z', 'UTC')).toBeNull();
  });
});

describe('payment history: hostile variants', () => {
  const header = 'paid_at,reference,amount,currency,status,kind,organization,card_last4,description';
  it('a repeated header (two histories joined with cat) is one info issue, not a row', async () => {
    const one = `${header}\n2026-10-02T09:14:05Z,INV-1,50.00,USD,paid,manual,,4242,x\n`;
    const r = await readAll(await tempCsv(one + one), 'UTC');
    expect(r.records).toHaveLength(2);
    expect(r.issues.map((i) => [i.line, i.severity, i.rejected])).toEqual([[3, 'info', false]]);
    expect(r.skipped).toBe(1);
  });

  it('an unbalanced quote: the row and the rows it swallowed are rejected, each with its amount', async () => {
    const text = [
      header,
      '2026-10-02T09:14:05Z,INV-1,50.00,USD,paid,manual,,4242,"Credit top-up',
      '2026-10-02T10:00:00Z,INV-1b,-7.5,usd,refunded,manual,,4242,swallowed',
      '2026-10-03T09:14:05Z,INV-2,"1,250.00",USD,paid,manual,,4242,invoice',
      '2026-10-04T09:14:05Z,INV-3,20.00,EUR,paid,manual,,4242,plain',
    ].join('\r\n');
    const r = await readAll(await tempCsv(`${text}\r\n`), 'UTC');
    // the quote that closed it opens a field of line 4: reading resumes there
    expect(r.records.map((p) => p.reference)).toEqual(['INV-2', 'INV-3']);
    expect(r.issues.map((i) => [i.line, i.severity, i.rejected, i.amount?.toString(), i.currency])).toEqual([
      [2, 'error', true, '50', 'USD'],
      [3, 'error', true, '-7.5', 'USD'],
    ]);
    expect(r.issues[0]!.column).toBe('description');
    expect(r.issues[0]!.message).toMatch(/unbalanced quote.*line 2 \(field 9\).*reading resumes at line 4/);
    expect(r.issues[1]!.message).toMatch(/inside the unbalanced quote that begins on line 2/);
  });

  it('an amount of 10^15 or more is an error, quoted shortened, with no amount', async () => {
    const r = await readAll(await tempCsv(`${header}\n2026-10-02T09:14:05Z,INV-1,${'9'.repeat(400)},USD,paid,manual,,4242,x\n`), 'UTC');
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.column, i.amount])).toEqual([['amount', null]]);
    expect(r.issues[0]!.message).toMatch(/\(400 characters\) \(amounts must be below 10\^15\)/);
  });
});
