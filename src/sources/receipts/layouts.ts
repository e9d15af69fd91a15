/**
 * Receipt and invoice layouts as data (src/data/receipts/*.json), like statement profiles:
 * which document a text is (every `identify` pattern and no `unless` pattern matches) and
 * where its fields are (patterns whose first group is the value). Patterns are regular
 * expressions matched per line, case-insensitive; fixtures/receipts/README.md cites each layout.
 */
import { z } from 'zod';
import anthropicInvoice from '../../data/receipts/anthropic-invoice.json' with { type: 'json' };
import anthropicReceipt from '../../data/receipts/anthropic-receipt.json' with { type: 'json' };
import openaiBillingHistory from '../../data/receipts/openai-billing-history.json' with { type: 'json' };
import openaiInvoice from '../../data/receipts/openai-invoice.json' with { type: 'json' };
import openaiReceipt from '../../data/receipts/openai-receipt.json' with { type: 'json' };
import { paymentKindSchema, paymentStatusSchema } from '../../model.js';
import { PROVIDERS } from '../../providers.js';

const pattern = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'im');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a valid regular expression' },
);
const providerId = z.string().refine((id) => PROVIDERS.some((p) => p.id === id), { message: 'expected a provider id of src/data/providers/*.json' });

export const receiptLayoutSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    label: z.string().min(1),
    provider: providerId,
    document: z.enum(['receipt', 'invoice']),
    about: z.string().optional(),
    identify: z.array(pattern).min(1),
    unless: z.array(pattern),
    /** The payment's reference: the first pattern that matches (the invoice number, which receipt and invoice share). */
    reference: z.array(pattern).min(1),
    receiptNumber: z.array(pattern),
    date: z.array(pattern).min(1),
    refundDate: z.array(pattern),
    amount: z.array(pattern).min(1),
    /** A refund receipt: the amount refunded (the payment is then `refunded`). */
    refunded: z.array(pattern),
    /** Groups: the card brand, then its last four digits. */
    card: z.array(pattern),
    /** A line of tax: its last amount is the tax (several lines add up). */
    taxLine: pattern,
    /** What was bought: the first pattern found anywhere in the text decides the kind. */
    kinds: z.array(z.object({ pattern, kind: paymentKindSchema })),
    /** The kind when no `kinds` pattern is found; null: such a document is refused, never guessed. */
    defaultKind: paymentKindSchema.nullable(),
  })
  .strict();
export type ReceiptLayout = z.infer<typeof receiptLayoutSchema>;

/** A billing-history table pasted from the provider's billing page: header names per field. */
export const billingTableLayoutSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]*$/),
    label: z.string().min(1),
    provider: providerId,
    about: z.string().optional(),
    /** Header names (lower case) per field; all four fields are required. */
    columns: z.object({ reference: z.array(z.string()).min(1), status: z.array(z.string()).min(1), amount: z.array(z.string()).min(1), date: z.array(z.string()).min(1) }),
    /** Status as shown (lower case) → payment status. */
    statuses: z.record(z.string(), paymentStatusSchema),
    /** The table does not say what was bought: the kind its rows are read as. */
    kind: paymentKindSchema,
  })
  .strict();
export type BillingTableLayout = z.infer<typeof billingTableLayoutSchema>;

export const RECEIPT_LAYOUTS: readonly ReceiptLayout[] = [openaiReceipt, openaiInvoice, anthropicReceipt, anthropicInvoice].map((j) => receiptLayoutSchema.parse(j));
export const BILLING_TABLE_LAYOUTS: readonly BillingTableLayout[] = [openaiBillingHistory].map((j) => billingTableLayoutSchema.parse(j));

/** The first group of the first pattern that matches a line of `text`, with the 1-based line it is on. */
export function findField(text: string, patterns: readonly string[]): { value: string; groups: string[]; line: number } | null {
  for (const p of patterns) {
    const m = new RegExp(p, 'im').exec(text);
    if (!m) continue;
    const line = text.slice(0, m.index).split('\n').length;
    return { value: (m[1] ?? '').trim(), groups: m.slice(1).map((g) => (g ?? '').trim()), line };
  }
  return null;
}

/** Whether a layout is the one for this text: every identifying pattern found, no excluding one. */
export function layoutMatches(layout: ReceiptLayout, text: string): boolean {
  return layout.identify.every((p) => new RegExp(p, 'im').test(text)) && !layout.unless.some((p) => new RegExp(p, 'im').test(text));
}

/** The identifying patterns a text lacks, for the message when no layout matches. */
export function missingIdentifiers(layout: ReceiptLayout, text: string): string[] {
  return layout.identify.filter((p) => !new RegExp(p, 'im').test(text));
}
