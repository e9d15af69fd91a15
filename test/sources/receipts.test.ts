/**
 * Receipts and invoices as payment history (issue #16): each layout on the fixtures of
 * fixtures/receipts/ (rebuilt by build.mjs), and the documents that must not be read.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputIssue, PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import type { OpenedInput, SourceReader } from '../../src/sources/contract.js';
import { InputError, openInput, recognise } from '../../src/sources/index.js';
import { billingTableReader } from '../../src/sources/receipts/billing-table.js';
import { htmlToText, sentOf } from '../../src/sources/receipts/document.js';
import { RECEIPT_LAYOUTS } from '../../src/sources/receipts/layouts.js';
import { receiptReader, unmatchedDocumentReason } from '../../src/sources/receipts/reader.js';
import { allReaders } from '../../src/stages/readers.js';
import { loadConfig } from '../../src/config.js';

const DIR = new URL('../../fixtures/receipts/', import.meta.url).pathname;
const MONTH = join(DIR, '2026-10');
const BAD = join(DIR, 'bad');

async function readWith(reader: SourceReader<PaymentRecord>, input: OpenedInput, timezone = 'UTC') {
  const detection = reader.detect(input);
  if (!detection || detection.confidence < 0.5) throw new Error(`not detected: ${detection?.reasons.join('; ')}`);
  const records: PaymentRecord[] = [];
  const issues: InputIssue[] = [];
  let rows = 0;
  for await (const b of reader.read(input, detection, { timezone, displayPath: input.path })) {
    records.push(...b.records);
    issues.push(...b.issues);
    rows += b.rows;
  }
  return { detection, records, issues, rows };
}

async function one(file: string): Promise<PaymentRecord> {
  const { records, issues } = await readWith(receiptReader, await openInput(file));
  expect(issues).toEqual([]);
  expect(records).toHaveLength(1);
  return records[0]!;
}

const iso = (s: number) => new Date(s * 1000).toISOString();

describe('receipt layouts', () => {
  it('an OpenAI API-credit receipt: invoice number as reference, date paid, Visa 4242, manual', async () => {
    const r = await one(join(MONTH, 'Receipt-2345-6789.pdf'));
    expect(r).toMatchObject({ provider: 'openai', reference: '7C1D2E3F-0007', currency: 'USD', status: 'paid', kind: 'manual', cardBrand: 'Visa', cardLast4: '4242', tax: null });
    expect(r.amount.toString()).toBe('50');
    expect(r.src).toEqual({ file: join(MONTH, 'Receipt-2345-6789.pdf'), line: 1 });
    expect(r.receiptFile).toBe(r.src.file);
    expect(r.description).toContain('receipt 2345-6789');
    expect(iso(r.paidAt)).toBe('2026-10-02T12:00:00.000Z');
  });

  it('a plan receipt (ChatGPT Plus) is a subscription, never API credit', async () => {
    const r = await one(join(MONTH, 'Receipt-2816-4410-chatgpt-plus.pdf'));
    expect(r.kind).toBe('subscription');
    expect(r).toMatchObject({ reference: '5B7E0D3C-0002', cardBrand: 'Mastercard', cardLast4: '5454' });
  });

  it('a refund receipt: the payment refunded, its amount the charge it undoes (positive, as in the CSV)', async () => {
    const r = await one(join(MONTH, 'Receipt-2345-6801-refund.pdf'));
    expect(r.status).toBe('refunded');
    expect(r.amount.toString()).toBe('100');
    expect(r.kind).toBe('manual');
    // the date paid, not the date refunded: the payment's instant
    expect(iso(r.paidAt).slice(0, 10)).toBe('2026-10-22');
  });

  it('an Anthropic receipt in euros with a VAT line: amount tax included, tax read exactly', async () => {
    const r = await one(join(MONTH, 'Receipt-2348-1717-5460-anthropic-vat.pdf'));
    expect(r).toMatchObject({ provider: 'anthropic', reference: 'LF31MC1L-0003', currency: 'EUR', kind: 'manual', cardLast4: '0251' });
    expect(r.amount.toString()).toBe('123');
    expect(r.tax?.toString()).toBe('23');
  });

  it('a multi-page invoice: totals on the last page, both tax lines added, kind invoice, line = the page of the reference', async () => {
    const input = await openInput(join(MONTH, 'Invoice-7C1D2E3F-0013-usage.pdf'));
    expect(input.type === 'document' && input.document.parts[0]!.pages.length).toBeGreaterThanOrEqual(3);
    const r = await one(input.path);
    expect(r).toMatchObject({ provider: 'openai', reference: '7C1D2E3F-0013', kind: 'invoice', status: 'paid', cardLast4: null });
    const pages = input.type === 'document' ? input.document.parts[0]!.pages : [];
    const last = pages.at(-1)!;
    // the printed figures, read back independently of the reader
    const printed = (label: string) => new RegExp(`^${label} \\$([\\d,.]+)`, 'm').exec(last)![1]!.replace(/,/g, '');
    expect(r.amount.eq(Decimal.from(printed('Total')))).toBe(true);
    const taxLines = [...last.matchAll(/^Sales tax - [^\n]*\$([\d.]+)$/gm)].map((m) => m[1]!);
    expect(taxLines).toHaveLength(2);
    expect(r.tax?.toString()).toBe(
      taxLines
        .map((t) => Decimal.from(t))
        .reduce((s, t) => s.plus(t), Decimal.ZERO)
        .toString(),
    );
    expect(r.src.line).toBe(1);
  });

  it('an Anthropic invoice for API credits is manual (what was bought decides, not the document type)', async () => {
    const r = await one(join(MONTH, 'Invoice-LF31MC1L-0005-anthropic.pdf'));
    expect(r).toMatchObject({ provider: 'anthropic', reference: 'LF31MC1L-0005', kind: 'manual', currency: 'USD' });
    expect(r.amount.toString()).toBe('250');
  });

  it('an e-mail with the receipt attached: the attachment is read (not its body too)', async () => {
    const { records, issues, detection } = await readWith(receiptReader, await openInput(join(MONTH, 'Your receipt from OpenAI #2345-6790.eml')));
    expect(issues).toEqual([]);
    expect(records).toHaveLength(1);
    expect(detection.reasons[0]).toContain('attachment "Receipt-2345-6790.pdf"');
    expect(records[0]).toMatchObject({ reference: '7C1D2E3F-0008', kind: 'auto_recharge', cardLast4: '4242' });
    // sent on the date paid: the message's Date header gives the time and zone
    expect(iso(records[0]!.paidAt)).toBe('2026-10-09T14:22:05.000Z');
  });

  it('an e-mail with the receipt in its HTML body only (Claude Pro): a subscription', async () => {
    const r = await one(join(MONTH, 'Your receipt from Anthropic #2348-1717-5461.eml'));
    expect(r).toMatchObject({ provider: 'anthropic', reference: 'LF31MC1L-0004', kind: 'subscription', cardBrand: 'Visa', cardLast4: '0251' });
    expect(r.amount.toString()).toBe('20');
    expect(r.description).toContain('e-mail body');
  });

  it('the pasted billing-history table: times read in the reporting zone, amounts exact', async () => {
    const input = await openInput(join(MONTH, 'billing-history.txt'));
    const { records, issues, rows } = await readWith(billingTableReader, input, 'Europe/Berlin');
    expect(issues).toEqual([]);
    expect(rows).toBe(4);
    expect(records.map((r) => r.reference)).toEqual(['7C1D2E3F-0007', '7C1D2E3F-0008', '7C1D2E3F-0010', '7C1D2E3F-0012']);
    expect(iso(records[0]!.paidAt)).toBe('2026-10-02T07:14:00.000Z');
    expect(records[3]!.amount.toString()).toBe('100');
    // the run's readers recognise it as the billing table, not as a statement
    const config = await loadConfig(undefined);
    expect(recognise(input, allReaders(config)).reader?.format).toBe('billing-history-table');
  });

  it('every shipped layout has a fixture that it alone reads', async () => {
    const used = new Set<string>();
    for (const f of ['Receipt-2345-6789.pdf', 'Invoice-7C1D2E3F-0013-usage.pdf', 'Receipt-2348-1717-5460-anthropic-vat.pdf', 'Invoice-LF31MC1L-0005-anthropic.pdf']) {
      const d = receiptReader.detect(await openInput(join(MONTH, f)))!;
      used.add(/layout (\S+)/.exec(d.reasons[0]!)![1]!);
    }
    expect([...used].sort()).toEqual(RECEIPT_LAYOUTS.map((l) => l.name).sort());
  });
});

describe('the time an e-mail states', () => {
  it('a Date header: the instant, and the date in its own offset', () => {
    expect(sentOf('Fri, 09 Oct 2026 23:30:00 -0700')).toEqual({ at: Date.UTC(2026, 9, 10, 6, 30) / 1000, date: '2026-10-09' });
    expect(sentOf('9 Oct 2026 14:22 +0530')).toEqual({ at: Date.UTC(2026, 9, 9, 8, 52) / 1000, date: '2026-10-09' });
    expect(sentOf('Thu, 31 Sep 2026 10:00:00 +0000')).toBeNull();
    expect(sentOf('yesterday')).toBeNull();
  });

  it('a receipt e-mail sent on another day than the date paid keeps the printed date at 12:00 UTC', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spendrecon-sent-'));
    const src = await readFile(join(MONTH, 'Your receipt from Anthropic #2348-1717-5461.eml'), 'utf8');
    const p = join(dir, 'late.eml');
    await writeFile(p, src.replace('Date: Mon, 12 Oct 2026 08:01:44 +0000', 'Date: Wed, 14 Oct 2026 08:01:44 +0000'));
    const { records } = await readWith(receiptReader, await openInput(p));
    expect(iso(records[0]!.paidAt)).toBe('2026-10-12T12:00:00.000Z');
    const onTime = await one(join(MONTH, 'Your receipt from Anthropic #2348-1717-5461.eml'));
    expect(iso(onTime.paidAt)).toBe('2026-10-12T08:01:44.000Z');
  });
});

describe('a billing table with bad rows', () => {
  it('each bad row is one rejected issue naming its column and what was expected; the good rows are read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spendrecon-billing-'));
    const p = join(dir, 'history.tsv');
    await writeFile(
      p,
      [
        'Invoice\tStatus\tAmount\tCreated',
        'A1B2C3D4-0001\tPaid\t$20.00\tOct 2, 2026, 9:00 AM',
        'A1B2C3D4-0002\tPaid\t20.00\tOct 3, 2026',
        'A1B2C3D4-0003\tOwed\t$5.00\tOct 4, 2026',
        'A1B2C3D4-0004\tPaid\t$5.00\tyesterday',
        '',
      ].join('\n'),
    );
    const { records, issues } = await readWith(billingTableReader, await openInput(p));
    expect(records.map((r) => r.reference)).toEqual(['A1B2C3D4-0001']);
    expect(issues.map((i) => [i.line, i.column, i.rejected])).toEqual([
      [3, 'amount', true],
      [4, 'status', true],
      [5, 'created', true],
    ]);
    expect(issues[1]!.message).toMatch(/expected one of paid, refunded.*found "Owed"/);
    expect(issues[1]!.amount?.toString()).toBe('5');
  });
});

describe('documents that are not read', () => {
  it('a damaged PDF: a clear InputError, no stack trace', async () => {
    const e = await openInput(join(BAD, 'truncated.pdf')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/truncated\.pdf: not a readable PDF .*download it again/);
  });

  it('a password-protected PDF says so and what to do', async () => {
    const e = await openInput(join(BAD, 'password-protected.pdf')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/password-protected PDF.*save an unprotected copy/);
  });

  it('a PDF no layout matches: not recognised, and the reason names what each layout lacks', async () => {
    const input = await openInput(join(BAD, 'hotel-bill.pdf'));
    expect(receiptReader.detect(input)!.confidence).toBeLessThan(0.5);
    const why = unmatchedDocumentReason(input)!;
    expect(why).toMatch(/^a PDF \(1 page\(s\)\) that matches no receipt or invoice layout/);
    for (const l of RECEIPT_LAYOUTS) expect(why).toContain(l.name);
  });

  it('a receipt whose purchase no kind pattern names is refused, never guessed', async () => {
    const { records, issues } = await readWith(receiptReader, await openInput(join(BAD, 'no-kind-receipt.pdf')));
    expect(records).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', column: 'kind', rejected: true, currency: 'USD' });
    expect(issues[0]!.amount?.toString()).toBe('15');
  });

  it('a receipt with two layouts matching is refused', async () => {
    const input = await openInput(join(MONTH, 'Receipt-2345-6789.pdf'));
    if (input.type !== 'document') throw new Error('expected a document');
    // the OpenAI receipt also naming Anthropic's seller and date label: both receipt layouts match
    const page = `${input.document.parts[0]!.pages[0]}\nAnthropic, PBC`;
    const doubled: OpenedInput = { ...input, document: { ...input.document, parts: [{ ...input.document.parts[0]!, pages: [page] }] } };
    expect(unmatchedDocumentReason(doubled)).toMatch(/matches 2 layouts \(openai-receipt, anthropic-receipt\); not guessed/);
  });

  it('an e-mail with neither attachment nor body is a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spendrecon-receipts-'));
    const p = join(dir, 'empty.eml');
    await writeFile(p, 'From: a@example.test\r\nSubject: nothing\r\nContent-Type: text/plain\r\n\r\n');
    await expect(openInput(p)).rejects.toThrow(/neither a PDF attachment nor a text body/);
  });

  it('HTML bodies become text lines without tags or entities', () => {
    expect(htmlToText('<table><tr><td>Amount paid</td><td>&#36;20.00</td></tr><tr><td>A&amp;B</td></tr></table>')).toBe('Amount paid $20.00 \nA&B \n\n');
  });
});
