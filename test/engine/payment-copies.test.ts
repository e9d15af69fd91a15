/** Copies of one payment count once (issue #16): which copy is kept, and what the others are. */
import { describe, expect, it } from 'vitest';
import { judgePaymentCopies, type PaymentCopy } from '../../src/engine/payment-copies.js';
import type { PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';

function pay(over: Partial<PaymentRecord> & { file: string }): PaymentRecord {
  const { file, ...rest } = over;
  return {
    src: { file, line: 1 },
    provider: 'openai',
    paidAt: 1_790_000_000,
    reference: '7C1D2E3F-0007',
    amount: Decimal.from('50.00'),
    currency: 'USD',
    status: 'paid',
    kind: 'manual',
    organization: null,
    cardLast4: '4242',
    description: '',
    ...rest,
  };
}
const doc = (over: Partial<PaymentRecord> & { file: string }): PaymentCopy => ({ rec: pay({ receiptFile: over.file, ...over }), source: 'document' });
const csv = (over: Partial<PaymentRecord> & { file: string }): PaymentCopy => ({ rec: pay(over), source: 'csv' });
const table = (over: Partial<PaymentRecord> & { file: string }): PaymentCopy => ({ rec: pay(over), source: 'table' });

describe('judgePaymentCopies', () => {
  it('a receipt and its CSV row and billing-table row: the receipt is kept, the others are repeats', () => {
    const v = judgePaymentCopies([csv({ file: 'p.csv' }), table({ file: 'h.txt' }), doc({ file: 'r.pdf' })]);
    expect(v).toEqual([
      { kind: 'repeat', of: 2 },
      { kind: 'repeat', of: 2 },
      { kind: 'kept', receiptFile: 'r.pdf' },
    ]);
  });

  it('two copies of one receipt: the first read is kept', () => {
    expect(judgePaymentCopies([doc({ file: 'a.pdf' }), doc({ file: 'b.pdf' })]).map((x) => x.kind)).toEqual(['kept', 'repeat']);
  });

  it('the refund receipt wins over the receipt of the payment it refunds', () => {
    const v = judgePaymentCopies([doc({ file: 'paid.pdf' }), doc({ file: 'refund.pdf', status: 'refunded' })]);
    expect(v).toEqual([
      { kind: 'repeat', of: 1 },
      { kind: 'kept', receiptFile: 'refund.pdf' },
    ]);
  });

  it('another amount is a conflict, never added in; a CSV kept over a table links the receipt', () => {
    const v = judgePaymentCopies([table({ file: 'h.txt', amount: Decimal.from('20') }), csv({ file: 'p.csv', amount: Decimal.from('25') })]);
    expect(v).toEqual([
      { kind: 'conflict', of: 1 },
      { kind: 'kept', receiptFile: null },
    ]);
    const linked = judgePaymentCopies([csv({ file: 'p.csv', status: 'refunded' }), doc({ file: 'r.pdf' })]);
    expect(linked[0]).toEqual({ kind: 'kept', receiptFile: 'r.pdf' });
  });

  it('references match across case and spaces; providers and failed attempts keep copies apart', () => {
    const v = judgePaymentCopies([
      doc({ file: 'r.pdf' }),
      table({ file: 'h.txt', reference: ' 7c1d2e3f-0007 ' }),
      doc({ file: 'a.pdf', provider: 'anthropic' }),
      table({ file: 'h.txt', status: 'failed' }),
    ]);
    expect(v.map((x) => x.kind)).toEqual(['kept', 'repeat', 'kept', 'kept']);
  });

  it('CSV rows alone are left to matching (overlapping exports), even with one reference', () => {
    expect(judgePaymentCopies([csv({ file: 'a.csv' }), csv({ file: 'b.csv' })]).map((x) => x.kind)).toEqual(['kept', 'kept']);
  });
});
