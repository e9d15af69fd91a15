/** Money, dates and folder scanning for receipts (issue #16). */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/sources/index.js';
import { instantOfPrintedDate, moneyTokens, parseDocumentDate, parseMoneyText, parsePageDateTime } from '../../src/sources/receipts/values.js';
import { localDateOf } from '../../src/time.js';

describe('receipt money', () => {
  it.each([
    ['$1,250.00', '1250', 'USD'],
    ['€20.00', '20', 'EUR'],
    ['$20.00 USD', '20', 'USD'],
    ['CA$15.50', '15.5', 'CAD'],
    ['-$20.00', '-20', 'USD'],
    ['£0.10', '0.1', 'GBP'],
    ['$0.30000000000000004', '0.30000000000000004', 'USD'],
  ])('%s → %s %s, exactly', (text, amount, currency) => {
    const m = parseMoneyText(text)!;
    expect(m.amount.toString()).toBe(amount);
    expect(m.currency).toBe(currency);
  });

  it('text without a currency symbol is no amount (a quantity, a percentage)', () => {
    expect(parseMoneyText('Qty 1')).toBeNull();
    expect(parseMoneyText('19%')).toBeNull();
  });

  it('a tax line: every amount in order, the tax is the last', () => {
    expect(moneyTokens('VAT - Ireland (23% on €100.00) €23.00').map((t) => t.amount.toString())).toEqual(['100', '23']);
  });
});

describe('receipt dates', () => {
  it.each([
    ['October 2, 2026', '2026-10-02'],
    ['Oct 2, 2026', '2026-10-02'],
    ['2 October 2026', '2026-10-02'],
    ['2026-10-02', '2026-10-02'],
    ['September 31, 2026', null],
    ['Octember 2, 2026', null],
  ])('%s → %s', (text, date) => {
    expect(parseDocumentDate(text)).toBe(date);
  });

  it('a printed date is the same local date from UTC−11 to UTC+11', () => {
    const t = instantOfPrintedDate('2026-10-02');
    for (const tz of ['Pacific/Pago_Pago', 'America/Los_Angeles', 'UTC', 'Europe/Berlin', 'Asia/Shanghai', 'Pacific/Noumea']) expect(localDateOf(t, tz)).toBe('2026-10-02');
  });

  it('billing-page times are wall-clock in the reporting zone, 12-hour clock read right', () => {
    expect(new Date(parsePageDateTime('Oct 2, 2026, 12:05 AM', 'Asia/Shanghai')! * 1000).toISOString()).toBe('2026-10-01T16:05:00.000Z');
    expect(new Date(parsePageDateTime('Oct 2, 2026, 12:05 PM', 'UTC')! * 1000).toISOString()).toBe('2026-10-02T12:05:00.000Z');
    expect(parsePageDateTime('Oct 2, 2026, 13:05 PM', 'UTC')).toBeNull();
  });
});

describe('a payments folder', () => {
  it('yields .pdf, .eml and pasted .txt tables when given as --payments; other folders skip them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spendrecon-scan-'));
    await mkdir(join(dir, 'receipts'));
    for (const n of ['a.pdf', 'b.eml', 'history.txt', 'notes.md', 'p.csv']) await writeFile(join(dir, 'receipts', n), 'x');
    const asPayments = await expandInputs(['receipts'], dir, () => {}, ['receipts']);
    expect(asPayments.map((f) => basename(f.path))).toEqual(['a.pdf', 'b.eml', 'history.txt', 'p.csv']);
    const asUsage = await expandInputs(['receipts'], dir);
    expect(asUsage.map((f) => basename(f.path))).toEqual(['p.csv']);
    // the same folder given to both flags: each file once, the payment scan's names included
    const both = await expandInputs(['receipts', 'receipts'], dir, () => {}, ['receipts']);
    expect(both.map((f) => basename(f.path))).toEqual(['a.pdf', 'b.eml', 'history.txt', 'p.csv']);
  });
});

describe('signs on receipt amounts', () => {
  it('a dash before a label is no minus sign; one right before the symbol is', () => {
    expect(parseMoneyText('Sales tax - $4.56')!.amount.toString()).toBe('4.56');
    expect(parseMoneyText('VAT - €23.00')!.amount.toString()).toBe('23');
    expect(parseMoneyText('Credit -$5.00')!.amount.toString()).toBe('-5');
    expect(parseMoneyText('($5.00)')!.amount.toString()).toBe('-5');
  });
});
