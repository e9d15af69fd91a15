/**
 * The one small contract every reader implements (after beangulp's importer protocol):
 * recognise a file from its content and say how sure it is and why; then stream
 * validated records with their provenance, and issues that name file, line and column.
 */
import type { Detection, InputIssue } from '../model.js';
import type { CsvFile } from './csv.js';
import type { ReceiptDocument } from './receipts/document.js';
import type { SheetGrid } from './xlsx-grid.js';

/** What a reader is given to recognise: the opened CSV (header rows sniffed), the first JSON value, a PDF/e-mail's text, or an .xlsx's first sheet. */
export type OpenedInput =
  | { path: string; type: 'csv'; csv: CsvFile }
  | { path: string; type: 'json'; sample: unknown; jsonLines: boolean }
  | { path: string; type: 'document'; document: ReceiptDocument }
  | { path: string; type: 'sheet'; sheet: SheetGrid };

export type InputKind = 'usage' | 'costs' | 'payments' | 'statement';

export interface ReadContext {
  /** Reporting time zone (IANA), for inputs that carry local wall-clock times. */
  timezone: string;
  /** Path as shown in messages and on the `Inputs` sheet. */
  displayPath: string;
  /** The reporting period, for statements whose dates carry no year (`MM/DD`). */
  statementPeriod?: { from: string; to: string } | null;
}

/** A batch of what a reader produced; batches keep per-row overhead low on large files. */
export interface ReadBatch<R> {
  records: R[];
  issues: InputIssue[];
  /** Rows read that are not records and not problems (empty buckets, preamble/trailer lines). */
  skipped: number;
  /** Rows read in this batch (records + issues' rows + skipped). */
  rows: number;
}

export interface SourceReader<R> {
  readonly format: string;
  readonly label: string;
  readonly kind: InputKind;
  /**
   * Console export or Admin API, where a provider's two name things differently (Anthropic: names
   * vs ids), so the same month read both ways is told apart and counted once (engine/dedupe.ts).
   */
  readonly channel?: 'export' | 'api';
  /** Null when the reader does not recognise the input at all. */
  detect(input: OpenedInput): Detection | null;
  read(input: OpenedInput, detection: Detection, ctx: ReadContext): AsyncIterable<ReadBatch<R>>;
}

/** Case- and space-insensitive header lookup: column name → index. */
export function headerIndex(header: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  header.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

/** A detection for a CSV header against required and known columns. */
export function detectByHeader(
  header: readonly string[],
  spec: { format: string; label: string; required: readonly string[]; known: readonly string[]; distinctive?: readonly string[] },
): Detection | null {
  const idx = headerIndex(header);
  const present = spec.required.filter((c) => idx.has(c));
  const distinctive = spec.distinctive ?? [];
  const distinctiveHits = distinctive.filter((c) => idx.has(c));
  if (present.length === 0 || (distinctive.length > 0 && distinctiveHits.length === 0)) return null;
  const missingRequired = spec.required.filter((c) => !idx.has(c));
  const knownSet = new Set([...spec.required, ...spec.known]);
  const unknownColumns = header.map((h) => h.trim()).filter((h) => h !== '' && !knownSet.has(h.toLowerCase()));
  const confidence = (present.length / spec.required.length) * 0.7 + (distinctive.length ? (distinctiveHits.length / distinctive.length) * 0.3 : 0.3);
  const reasons = [`${present.length} of ${spec.required.length} required columns present`];
  if (distinctiveHits.length) reasons.push(`distinctive columns: ${distinctiveHits.join(', ')}`);
  return { format: spec.format, label: spec.label, confidence, reasons, missingRequired, unknownColumns };
}

export function issue(
  severity: InputIssue['severity'],
  file: string,
  line: number,
  column: string | null,
  message: string,
  rejected = true,
  amount: InputIssue['amount'] = null,
  currency: string | null = null,
): InputIssue {
  return { severity, file, line, column, message, amount, currency, rejected };
}
