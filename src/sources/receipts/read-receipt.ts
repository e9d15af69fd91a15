/**
 * One receipt or invoice read through its layout into a payment record, or one problem that
 * says what the document lacks. Nothing is guessed: a field a layout requires and the text
 * does not hold, or a kind it cannot tell, refuses the document with the reason.
 */
import { Decimal } from '../../money.js';
import type { PaymentRecord } from '../../model.js';
import type { DocumentPart } from './document.js';
import { findField, type ReceiptLayout } from './layouts.js';
import { instantOfPrintedDate, moneyTokens, parseDocumentDate, parseMoneyText, type MoneyText } from './values.js';

export interface ReceiptProblem {
  line: number;
  column: string;
  message: string;
  amount: Decimal | null;
  currency: string | null;
}

export type ReceiptResult = { record: PaymentRecord } | { problem: ReceiptProblem };

/** Where a field is: its value and groups, and the page (1-based within the part) it is on. */
interface Found {
  value: string;
  groups: string[];
  page: number;
}

function locate(pages: readonly string[], patterns: readonly string[]): Found | null {
  for (let i = 0; i < pages.length; i++) {
    const f = findField(pages[i]!, patterns);
    if (f) return { value: f.value, groups: f.groups, page: i + 1 };
  }
  return null;
}

/** The tax a document prints: the last amount of each tax line, added up (a VAT line per rate). */
function taxOf(pages: readonly string[], taxLine: string): MoneyText | null | 'mixed' {
  const re = new RegExp(taxLine, 'i');
  const found: MoneyText[] = [];
  for (const line of pages.join('\n').split('\n')) {
    const last = re.test(line) ? moneyTokens(line).at(-1) : undefined;
    if (last) found.push(last);
  }
  if (found.length === 0) return null;
  if (found.some((t) => t.currency !== found[0]!.currency)) return 'mixed';
  return { amount: found.reduce((s, t) => s.plus(t.amount), Decimal.ZERO), currency: found[0]!.currency };
}

function kindOf(text: string, layout: ReceiptLayout): { kind: PaymentRecord['kind']; what: string } | null {
  for (const k of layout.kinds) {
    const m = new RegExp(k.pattern, 'i').exec(text);
    if (m) return { kind: k.kind, what: m[0] };
  }
  return layout.defaultKind ? { kind: layout.defaultKind, what: `${layout.document} (${layout.defaultKind})` } : null;
}

/**
 * Reads a part (`firstLine`: the provenance line of its first page, so parts of one e-mail
 * get distinct lines) through `layout`. The record's line is the page the reference is on.
 */
export function readReceipt(part: DocumentPart, layout: ReceiptLayout, file: string, firstLine: number, sent?: { at: number; date: string }): ReceiptResult {
  const pages = part.pages;
  const text = pages.join('\n');
  const where = (page: number) => firstLine + page - 1;
  const amountAt = locate(pages, layout.amount);
  const refundedAt = locate(pages, layout.refunded);
  const money = amountAt ? parseMoneyText(amountAt.value) : refundedAt ? parseMoneyText(refundedAt.value) : null;
  const problem = (page: number, column: string, message: string): ReceiptResult => ({
    problem: { line: where(page), column, message: `${layout.label}: ${message}`, amount: money?.amount ?? null, currency: money?.currency ?? null },
  });
  const ref = locate(pages, layout.reference);
  if (!ref) return problem(1, 'reference', `no reference found (expected a line matching ${layout.reference.map((p) => `/${p}/`).join(' or ')})`);
  if (!money)
    return problem(amountAt?.page ?? 1, 'amount', `no amount with a currency found${amountAt ? ` in ${JSON.stringify(amountAt.value)}` : ''} (expected e.g. "Amount paid $20.00")`);
  const refunded = refundedAt ? parseMoneyText(refundedAt.value) : null;
  if (refunded && amountAt && (!refunded.amount.abs().eq(money.amount.abs()) || refunded.currency !== money.currency)) {
    return problem(
      refundedAt!.page,
      'amount',
      `a partial refund (${refunded.amount.abs()} ${refunded.currency} of ${money.amount} ${money.currency}) is not read; record the payment and its refund in the payment-history CSV`,
    );
  }
  const dateAt = locate(pages, layout.date) ?? locate(pages, layout.refundDate);
  const date = dateAt ? parseDocumentDate(dateAt.value) : null;
  if (!date) return problem(dateAt?.page ?? 1, 'paid_at', `no date found${dateAt ? ` in ${JSON.stringify(dateAt.value)}` : ''} (expected e.g. "Date paid October 2, 2026")`);
  const kind = kindOf(text, layout);
  if (!kind) return problem(1, 'kind', `cannot tell what was bought (none of ${layout.kinds.map((k) => `/${k.pattern}/`).join(', ')} found); not guessed`);
  const tax = taxOf(pages, layout.taxLine);
  if (tax === 'mixed' || (tax && tax.currency !== money.currency)) return problem(1, 'tax', `the tax lines are in another currency than the amount (${money.currency}); not read`);
  const card = locate(pages, layout.card);
  const receiptNo = locate(pages, layout.receiptNumber)?.value;
  const record: PaymentRecord = {
    src: { file, line: where(ref.page) },
    provider: layout.provider,
    // an e-mail sent on the printed date states the time (and zone) the date alone does not
    paidAt: sent && sent.date === date ? sent.at : instantOfPrintedDate(date),
    reference: ref.value,
    // what the payment charged: a refund receipt still names the charge it undoes
    amount: money.amount.abs(),
    currency: money.currency,
    status: refunded ? 'refunded' : 'paid',
    kind: kind.kind,
    organization: null,
    cardLast4: card?.groups[1] || null,
    cardBrand: card?.groups[0] || null,
    tax: tax?.amount ?? null,
    receiptFile: file,
    description: `${kind.what}${receiptNo && receiptNo !== ref.value ? ` (receipt ${receiptNo})` : ''}${part.pdf ? '' : ', e-mail body'}`,
  };
  return { record };
}
