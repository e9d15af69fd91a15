/** Builders of payments and card lines for the matching tests (test data lives in code). */
import type { CardLine, PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';

export const D = (s: string) => Decimal.from(s);

export function pay(line: number, paidAt: string, amount: string, more: Partial<Omit<PaymentRecord, 'amount'>> & { file?: string } = {}): PaymentRecord {
  const { file, ...rest } = more;
  return {
    src: { file: file ?? 'payments.csv', line },
    provider: 'openai',
    paidAt: Math.floor(Date.parse(paidAt) / 1000),
    reference: `INV-${String(line).padStart(4, '0')}`,
    amount: D(amount),
    currency: 'USD',
    status: 'paid',
    kind: 'manual',
    organization: 'org-test',
    cardLast4: null,
    description: 'API credit purchase',
    ...rest,
  };
}

export function card(
  line: number,
  date: string,
  amount: string,
  more: Partial<Omit<CardLine, 'amount' | 'originalAmount' | 'fee'>> & { file?: string; originalAmount?: string; fee?: string } = {},
): CardLine {
  const { file, originalAmount, fee, ...rest } = more;
  const status = rest.status ?? 'posted';
  return {
    src: { file: file ?? 'statement.csv', line },
    profile: 'test',
    transactionDate: date,
    postedDate: status === 'pending' ? null : date,
    description: 'OPENAI *API OPENAI.COM CA',
    amount: D(amount),
    currency: 'USD',
    originalAmount: originalAmount === undefined ? null : D(originalAmount),
    originalCurrency: null,
    fee: fee === undefined ? null : D(fee),
    status,
    reference: null,
    cardLast4: null,
    ...rest,
  };
}
