/**
 * Normalised records and issues: what sources produce and the engine consumes.
 * Schemas are zod so that tests, the JSON output and `inspect` can check a record's
 * shape; hot loops build records with plain code (per-row zod costs more than the parse,
 * see MEASUREMENTS.md) and rely on the inferred types.
 */
import { z } from 'zod';
import { Decimal } from './money.js';
import type { MoneyAccount } from './row-fates.js';

export const decimalSchema = z.custom<Decimal>((v) => v instanceof Decimal, { message: 'expected an exact Decimal' });

/** Where a record or issue came from: a file and its 1-based physical line (0 = whole file). */
export const provenanceSchema = z.object({
  file: z.string(),
  line: z.number().int().nonnegative(),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const severitySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof severitySchema>;
export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** A problem with one input row (or a whole file): always file, line, column and what was expected. */
export const inputIssueSchema = z.object({
  severity: severitySchema,
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.string().nullable(),
  message: z.string(),
  /** Money that sat in the rejected row, when it could be read. */
  amount: decimalSchema.nullable(),
  currency: z.string().nullable(),
  /** Whether the row was left out of every total. */
  rejected: z.boolean(),
  /** `file`: the whole file was left out (e.g. a required column is missing). */
  scope: z.enum(['row', 'file']).optional(),
  /** What to do about it, where the default for its kind does not fit. */
  nextStep: z.string().optional(),
});
export type InputIssue = z.infer<typeof inputIssueSchema>;

/** One row of a usage export (any category), normalised. Token counts are not money. */
export const usageRecordSchema = z.object({
  src: provenanceSchema,
  /** The provider's id (src/providers.ts), stamped by the reader. */
  provider: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  projectId: z.string().nullable(),
  userId: z.string().nullable(),
  apiKeyId: z.string().nullable(),
  model: z.string().nullable(),
  batch: z.boolean().nullable(),
  serviceTier: z.string().nullable(),
  requests: z.number().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  cachedTokens: z.number().nonnegative(),
  cacheWriteTokens: z.number().nonnegative(),
  /** Of the cache writes, those kept for one hour (Anthropic prices them above 5-minute writes); absent = 0. */
  cacheWrite1hTokens: z.number().nonnegative().optional(),
  /** The request's input was over the model's long-context threshold (Anthropic: > 200k tokens), priced higher. */
  longContext: z.boolean().optional(),
  /** Other metrics of non-token categories (images, characters, seconds, ...). */
  other: z.record(z.string(), z.number()).nullable(),
  /** Further grouping dimensions of such categories (images: `size`, `source`), joined; part of the row's identity. */
  variant: z.string().nullable().optional(),
  /** How the provider's data was exported: its console's CSV (`export`) or its Admin API (`api`); absent: not told apart. */
  channel: z.enum(['export', 'api']).optional(),
});
/**
 * A memo a reader may give records whose dimensions are the same (one object per distinct
 * dimensions, provider, variant and flags included): the aggregator keeps their group key's
 * id in it (`owner`: whose id it is), so it is worked out once, not per row.
 */
export interface DimsMemo {
  owner: object | null;
  id: number;
}
export type UsageRecord = z.infer<typeof usageRecordSchema> & { dimsMemo?: DimsMemo };

/** The parts of a cost `line_item` where the documented pattern holds (SPEC §2.2). */
export const lineItemSchema = z.object({
  surface: z.string().nullable(),
  model: z.string().nullable(),
  modality: z.string().nullable(),
  /** `cache writes` are 5-minute writes where the provider tells them from 1-hour ones (`cache writes 1h`). */
  tokenKind: z.enum(['input', 'output', 'cached input', 'cache writes', 'cache writes 1h']).nullable(),
  longContext: z.boolean(),
});
export type LineItem = z.infer<typeof lineItemSchema>;

/** One row of a cost export: billed money. */
export const costRecordSchema = z.object({
  src: provenanceSchema,
  /** The provider's id (src/providers.ts), stamped by the reader. */
  provider: z.string(),
  start: z.number().int(),
  end: z.number().int(),
  amount: decimalSchema,
  currency: z.string(),
  quantity: z.string().nullable(),
  quantityUnit: z.string().nullable(),
  lineItemRaw: z.string().nullable(),
  lineItem: lineItemSchema.nullable(),
  projectId: z.string().nullable(),
  projectName: z.string().nullable(),
  organizationId: z.string().nullable(),
  organizationName: z.string().nullable(),
  apiKeyId: z.string().nullable(),
  userId: z.string().nullable(),
  userEmail: z.string().nullable(),
  /** How the provider's data was exported: its console's CSV (`export`) or its Admin API (`api`); absent: not told apart. */
  channel: z.enum(['export', 'api']).optional(),
});
export type CostRecord = z.infer<typeof costRecordSchema>;

/** What a reader recognised a file as, and why (shown by `inspect` and on `Inputs`). */
export interface Detection {
  format: string;
  label: string;
  confidence: number;
  reasons: string[];
  missingRequired: string[];
  unknownColumns: string[];
  /** Set for a line-oriented text format (fixed-width records, not delimited cells): how its text was decoded. */
  lineText?: { encoding: string; reason: string };
}

/** Per-file accounting shown on the `Inputs` sheet. */
export interface InputFileReport {
  file: string;
  /** What the file was read as; null when it was left out unrecognised. */
  kind: 'usage' | 'costs' | 'payments' | 'statement' | null;
  sha256: string;
  bytes: number;
  format: string;
  label: string;
  encoding: string;
  rowsRead: number;
  rowsUsed: number;
  emptyBuckets: number;
  duplicates: number;
  outOfPeriod: number;
  outOfScope: number;
  rowsRejected: number;
  /** Rows set aside because a coarser bucket of another export covers the same span. */
  setAside: number;
  /** Money in rejected rows in the run's currency, set once the run knows it (other currencies: `money`). */
  rejectedAmount: Decimal;
  /** Where the money of the file's rows went, per currency: read = the sum of the rest. */
  money: MoneyAccount[];
  notes: string[];
}

export { ROW_FATES, type MoneyAccount, type MoneySum, type RowFate } from './row-fates.js';

/** A flag for a human: the `Exceptions` sheet. */
export interface Exception {
  severity: Severity;
  class: string;
  subject: string;
  amount: Decimal | null;
  currency: string | null;
  message: string;
  nextStep: string;
  refs: Provenance[];
}

// ---------------------------------------------------------------------------
// Payments and card statements (SPEC §2.3, §2.4, §4.3)

export const paymentStatusSchema = z.enum(['paid', 'failed', 'pending', 'refunded', 'void']);
export const paymentKindSchema = z.enum(['manual', 'auto_recharge', 'grant', 'invoice', 'subscription']);

/** One row of the payment history (top-ups, grants, invoices, plan charges such as ChatGPT or Claude.ai). */
export const paymentRecordSchema = z.object({
  src: provenanceSchema,
  /** The provider paid (src/providers.ts): the `provider` column, or the default provider when the file has none. */
  provider: z.string(),
  /** The payment instant, UTC epoch seconds. */
  paidAt: z.number().int(),
  reference: z.string(),
  /** What the payment charged, tax included, in `currency`; positive for a charge. */
  amount: decimalSchema,
  currency: z.string(),
  status: paymentStatusSchema,
  kind: paymentKindSchema,
  organization: z.string().nullable(),
  cardLast4: z.string().nullable(),
  description: z.string(),
  /** The card network a receipt prints (`Visa`); absent in the CSV. */
  cardBrand: z.string().nullable().optional(),
  /** Tax included in `amount`, where a receipt or invoice prints it. */
  tax: decimalSchema.nullable().optional(),
  /** The receipt or invoice document (display path) that proves the payment; for a PDF, `src.line` is its page. */
  receiptFile: z.string().nullable().optional(),
});
export type PaymentRecord = z.infer<typeof paymentRecordSchema>;

/** One transaction line of a card or bank statement, normalised through its profile. */
export const cardLineSchema = z.object({
  src: provenanceSchema,
  /** Name of the statement profile that read it. */
  profile: z.string(),
  /** Transaction date as printed (statement-local calendar date). */
  transactionDate: z.string(),
  /** Posting date as printed, null while pending. */
  postedDate: z.string().nullable(),
  description: z.string(),
  /**
   * Amount in the account currency, as the card holder sees it charged:
   * positive = money out (a charge), negative = money in (refund, reversal, credit).
   * Profiles normalise the bank's sign convention to this one.
   */
  amount: decimalSchema,
  currency: z.string(),
  /** Foreign transactions: the amount and currency at the merchant (positive = charge). */
  originalAmount: decimalSchema.nullable(),
  originalCurrency: z.string().nullable(),
  /** A fee the bank printed on the same line (e.g. a separate Fee column), positive = charged. */
  fee: decimalSchema.nullable(),
  status: z.enum(['pending', 'posted', 'reversed', 'declined']),
  reference: z.string().nullable(),
  cardLast4: z.string().nullable(),
});
export type CardLine = z.infer<typeof cardLineSchema>;
