/**
 * The read stage's side of engine/payment-copies.ts: a payment met as several copies (receipt,
 * invoice, CSV row, billing-table row) is handed on once; each other copy takes its fate here
 * (a repeat: duplicates, with an info issue; a conflicting amount: rejected, with an error).
 */
import { judgePaymentCopies, type CopySource } from '../engine/payment-copies.js';
import type { InputIssue, PaymentRecord } from '../model.js';
import { rejectRow, settle } from './fates.js';
import type { FromFile } from './read.js';

const SOURCE_OF_FORMAT: Record<string, CopySource> = { 'receipt-document': 'document', 'billing-history-table': 'table' };

function at(p: PaymentRecord): string {
  return `${p.src.file} ${p.receiptFile === p.src.file && /\.(pdf|eml)$/i.test(p.src.file) ? 'page' : 'line'} ${p.src.line}`;
}

export function countPaymentCopiesOnce(payments: FromFile<PaymentRecord>[], issues: InputIssue[], strict: boolean): FromFile<PaymentRecord>[] {
  const verdicts = judgePaymentCopies(payments.map((p) => ({ rec: p.rec, source: SOURCE_OF_FORMAT[p.file.reader.format] ?? 'csv' })));
  const kept: FromFile<PaymentRecord>[] = [];
  verdicts.forEach((v, i) => {
    const p = payments[i]!;
    if (v.kind === 'kept') {
      kept.push(v.receiptFile && v.receiptFile !== (p.rec.receiptFile ?? null) ? { ...p, rec: { ...p.rec, receiptFile: v.receiptFile } } : p);
      return;
    }
    const orig = payments[v.of]!.rec;
    const r = p.rec;
    const base = { file: r.src.file, line: r.src.line, column: null, amount: r.amount, currency: r.currency };
    if (v.kind === 'repeat') {
      settle(p.file, 'duplicates', r);
      issues.push({ ...base, severity: 'info', rejected: false, message: `payment ${r.reference} (${r.provider}) is also at ${at(orig)}: counted once, there` });
      return;
    }
    rejectRow(p.file, issues, strict, {
      ...base,
      severity: 'error',
      rejected: true,
      message: `payment ${r.reference} (${r.provider}) reads ${r.amount} ${r.currency} here but ${orig.amount} ${orig.currency} at ${at(orig)}: the copy there is kept, this one is left out`,
      nextStep:
        'Check which amount the card was charged and correct the wrong copy (a typo in the payment history, or a partial refund to record by hand); until then this copy is not counted.',
    });
  });
  return kept;
}
