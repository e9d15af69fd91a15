/**
 * The payment-history reader of receipt and invoice documents (issue #16): a PDF, or an e-mail
 * with the PDF attached or the receipt in its body, read through the layouts of
 * src/data/receipts/. A document no layout matches (or two match) is not recognised, and
 * `unmatchedDocumentReason` says why on Inputs; it is never guessed.
 */
import type { Detection, PaymentRecord } from '../../model.js';
import { issue, type OpenedInput, type ReadBatch, type SourceReader } from '../contract.js';
import type { DocumentPart, ReceiptDocument } from './document.js';
import { layoutMatches, missingIdentifiers, RECEIPT_LAYOUTS, type ReceiptLayout } from './layouts.js';
import { readReceipt } from './read-receipt.js';

const FORMAT = 'receipt-document';
const LABEL = 'Receipt or invoice (PDF, e-mail)';

/** A part to read, its layout, and the provenance line of its first page. */
interface Chosen {
  part: DocumentPart;
  layout: ReceiptLayout;
  firstLine: number;
}

type Choice = { chosen: Chosen[]; reasons: string[] } | { refused: string };

/** The parts a document is read from: its PDFs that match a layout, else its body. Two layouts on one part: refused. */
function chooseParts(doc: ReceiptDocument, layouts: readonly ReceiptLayout[] = RECEIPT_LAYOUTS): Choice {
  const chosen: Chosen[] = [];
  const reasons: string[] = [];
  let nextLine = 1;
  const pdfs = doc.parts.filter((p) => p.pdf);
  const bodies = doc.parts.filter((p) => !p.pdf);
  for (const group of [pdfs, bodies]) {
    for (const part of group) {
      const text = part.pages.join('\n');
      const hits = layouts.filter((l) => layoutMatches(l, text));
      if (hits.length > 1) return { refused: `${partName(part)} matches ${hits.length} layouts (${hits.map((l) => l.name).join(', ')}); not guessed` };
      if (hits.length === 1) {
        chosen.push({ part, layout: hits[0]!, firstLine: part.pdf ? nextLine : 1 });
        reasons.push(`${partName(part)}: layout ${hits[0]!.name}`);
      }
      if (part.pdf) nextLine += part.pages.length;
    }
    // a message's body repeats its attached receipt: read the attachment, the better copy
    if (chosen.length) return { chosen, reasons };
  }
  return { refused: noLayoutReason(doc, layouts) };
}

function partName(part: DocumentPart): string {
  return part.origin === 'page' ? 'the PDF' : part.origin.replace(/, page$/, '');
}

function noLayoutReason(doc: ReceiptDocument, layouts: readonly ReceiptLayout[]): string {
  const what = doc.medium === 'pdf' ? `a PDF (${doc.parts[0]?.pages.length ?? 0} page(s))` : `an e-mail (${doc.parts.map(partName).join(', ') || 'no readable part'})`;
  const text = doc.parts.map((p) => p.pages.join('\n')).join('\n');
  if (text.trim() === '') return `${what} with no text (a scanned image?): spendrecon reads the text of receipts and does no OCR`;
  const lacks = layouts.map(
    (l) =>
      `${l.name} lacks ${
        missingIdentifiers(l, text)
          .map((p) => `/${p}/`)
          .join(', ') || 'nothing but is excluded by its "unless"'
      }`,
  );
  return `${what} that matches no receipt or invoice layout (${lacks.join('; ')})${doc.notes.length ? `; ${doc.notes.join('; ')}` : ''}`;
}

/** Why a document was not recognised, for Inputs and the error (null when the input is no document). */
export function unmatchedDocumentReason(input: OpenedInput): string | null {
  if (input.type !== 'document') return null;
  const c = chooseParts(input.document);
  return 'refused' in c ? c.refused : null;
}

export const receiptReader: SourceReader<PaymentRecord> = {
  format: FORMAT,
  label: LABEL,
  kind: 'payments',

  detect(input: OpenedInput): Detection | null {
    if (input.type !== 'document') return null;
    const c = chooseParts(input.document);
    const base = { format: FORMAT, label: LABEL, missingRequired: [], unknownColumns: [] };
    // below 0.5: not recognised; the reason goes to Inputs
    if ('refused' in c) return { ...base, confidence: 0.2, reasons: [c.refused] };
    return { ...base, confidence: 0.95, reasons: [...c.reasons, ...input.document.notes] };
  },

  async *read(input, _detection, ctx): AsyncIterable<ReadBatch<PaymentRecord>> {
    if (input.type !== 'document') return;
    const file = ctx.displayPath;
    const c = chooseParts(input.document);
    if ('refused' in c) {
      yield { records: [], issues: [issue('error', file, 0, null, c.refused)], skipped: 0, rows: 1 };
      return;
    }
    const batch: ReadBatch<PaymentRecord> = { records: [], issues: [], skipped: 0, rows: c.chosen.length };
    for (const { part, layout, firstLine } of c.chosen) {
      const r = readReceipt(part, layout, file, firstLine, input.document.sent);
      if ('record' in r) batch.records.push(r.record);
      else batch.issues.push(issue('error', file, r.problem.line, r.problem.column, r.problem.message, true, r.problem.amount, r.problem.currency));
    }
    for (const note of input.document.notes) batch.issues.push(issue('warning', file, 0, null, note, false));
    yield batch;
  },
};
