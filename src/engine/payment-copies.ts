/**
 * The same payment met more than once (issue #16): its receipt and its invoice, two copies of
 * a receipt, a receipt and the row typed into the payment-history CSV, the billing-history
 * table. Copies share provider and reference; they count once. Pure: which copy is kept and
 * what each other copy is, never I/O.
 *
 * Rules: the copy kept has the latest state (refunded > paid > pending), then the richest source
 * (a receipt or invoice document, then the CSV, then the pasted table), then the first read.
 * A copy with the kept copy's amount and currency is a repeat (counted once, as a duplicate); one
 * with another amount is a conflict: it is rejected with an error naming both, never added in.
 * Failed and void attempts are their own payments (Stripe retries one invoice). Groups of CSV
 * rows alone are left to matching, which judged them before receipts existed.
 */
import type { PaymentRecord } from '../model.js';
import { push } from '../lists.js';

export type CopySource = 'document' | 'csv' | 'table';

export interface PaymentCopy {
  rec: PaymentRecord;
  source: CopySource;
}

export type CopyVerdict = { kind: 'kept'; receiptFile: string | null } | { kind: 'repeat'; of: number } | { kind: 'conflict'; of: number };

const STATE_RANK: Record<PaymentRecord['status'], number> = { refunded: 3, paid: 2, pending: 1, failed: 0, void: 0 };
const SOURCE_RANK: Record<CopySource, number> = { document: 0, csv: 1, table: 2 };

function copyKey(r: PaymentRecord): string {
  const attempt = r.status === 'failed' || r.status === 'void' ? `${r.status}:${r.paidAt}` : 'settled';
  return [r.provider, r.reference.trim().toUpperCase(), attempt].join('\u0001');
}

/** One verdict per copy, in input order. */
export function judgePaymentCopies(copies: readonly PaymentCopy[]): CopyVerdict[] {
  const verdicts: CopyVerdict[] = copies.map((c) => ({ kind: 'kept', receiptFile: c.rec.receiptFile ?? null }));
  const groups = new Map<string, number[]>();
  copies.forEach((c, i) => {
    if (c.rec.reference.trim() === '') return;
    push(groups, copyKey(c.rec), i);
  });
  for (const members of groups.values()) {
    if (members.length < 2 || members.every((i) => copies[i]!.source === 'csv')) continue;
    const ranked = [...members].sort(
      (a, b) => STATE_RANK[copies[b]!.rec.status] - STATE_RANK[copies[a]!.rec.status] || SOURCE_RANK[copies[a]!.source] - SOURCE_RANK[copies[b]!.source] || a - b,
    );
    const keep = ranked[0]!;
    const kept = copies[keep]!.rec;
    // the kept copy links the receipt that proves it, whichever copy was the document
    const document = members.find((i) => copies[i]!.rec.receiptFile);
    verdicts[keep] = { kind: 'kept', receiptFile: kept.receiptFile ?? (document === undefined ? null : copies[document]!.rec.receiptFile!) };
    for (const i of ranked.slice(1)) {
      const r = copies[i]!.rec;
      const same = r.amount.eq(kept.amount) && r.currency === kept.currency;
      verdicts[i] = same ? { kind: 'repeat', of: keep } : { kind: 'conflict', of: keep };
    }
  }
  return verdicts;
}
