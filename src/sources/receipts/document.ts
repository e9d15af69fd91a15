/**
 * Receipt and invoice documents as text (issue #16): a PDF's pages through pdf.js (unpdf, pure
 * JavaScript, no OCR), an e-mail's parts through postal-mime (its PDF attachments, else its
 * body). Nothing is fetched: a remote image or link in a message is never followed.
 */
import { readFile } from 'node:fs/promises';

export type DocumentMedium = 'pdf' | 'eml';

/** One readable part of a document: a PDF (or an e-mail's PDF attachment) by page, or an e-mail body. */
export interface DocumentPart {
  /** How messages name the part: `page`, `attachment "Receipt-2345-6789.pdf", page`, `message body`. */
  origin: string;
  /** Text per page (a message body is one page); whitespace runs inside a line are one space. */
  pages: string[];
  /** Whether the part is a PDF: its pages are the provenance `line`. */
  pdf: boolean;
}

export interface ReceiptDocument {
  medium: DocumentMedium;
  parts: DocumentPart[];
  /** An e-mail's `Date:` header: the instant, and the calendar date in the header's own offset. */
  sent?: { at: number; date: string };
  /** Parts that could not be read (an attachment that is not a readable PDF), said on Inputs. */
  notes: string[];
}

/** A document that cannot be read at all: the message says why and what to do, without the file's name. */
export class DocumentError extends Error {}

/** A PDF by its magic bytes, an e-mail by its extension (a message has no magic bytes). */
export function documentMedium(path: string, firstBytes: Buffer): DocumentMedium | null {
  if (firstBytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (/\.pdf$/i.test(path)) return 'pdf';
  if (/\.eml$/i.test(path)) return 'eml';
  return null;
}

export async function openDocument(path: string, medium: DocumentMedium): Promise<ReceiptDocument> {
  const bytes = await readFile(path);
  if (medium === 'pdf') return { medium, parts: [{ origin: 'page', pages: await pdfPages(bytes), pdf: true }], notes: [] };
  return emailParts(bytes);
}

/** The pages' text; an encrypted or damaged PDF is a DocumentError saying which. */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // loaded on first use: a run without documents does not pay for pdf.js at start-up
  const { extractText, getDocumentProxy } = await import('unpdf');
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // verbosity 0: pdf.js would print its repair warnings on stdout, which --json owns
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, useSystemFonts: false });
    const { text } = await extractText(pdf, { mergePages: false });
    return text.map(tidyText);
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') {
      throw new DocumentError(
        'a password-protected PDF: its text cannot be read without the password (spendrecon never asks for one); save an unprotected copy (open it and print to PDF) and run again',
      );
    }
    throw new DocumentError(`not a readable PDF (${(e as Error).message || name || 'damaged file'}): it may be truncated or damaged; download it again from the billing page`);
  } finally {
    await pdf?.destroy();
  }
}

/** Whitespace runs inside a line become one space; empty lines go (layouts match label and value on one line). */
function tidyText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/[\s\u00a0]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** An HTML body as text: tags become line breaks, entities the characters they stand for. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<(br|\/p|\/div|\/tr|\/h\d|\/li|\/table)[^>]*>/gi, '\n')
    .replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)));
}

async function emailParts(bytes: Buffer): Promise<ReceiptDocument> {
  const { default: PostalMime } = await import('postal-mime');
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(bytes);
  } catch (e) {
    throw new DocumentError(`not a readable e-mail message (${(e as Error).message}); save it again from the mail program (.eml)`);
  }
  const parts: DocumentPart[] = [];
  const notes: string[] = [];
  for (const a of email.attachments) {
    const name = a.filename ?? '(unnamed)';
    if (a.mimeType !== 'application/pdf' && !/\.pdf$/i.test(name)) continue;
    const content = typeof a.content === 'string' ? Buffer.from(a.content, 'base64') : new Uint8Array(a.content);
    try {
      parts.push({ origin: `attachment "${name}", page`, pages: await pdfPages(content), pdf: true });
    } catch (e) {
      if (!(e instanceof DocumentError)) throw e;
      notes.push(`attachment "${name}": ${e.message}`);
    }
  }
  const body = email.text?.trim() ? email.text : email.html ? htmlToText(email.html) : '';
  if (body.trim()) parts.push({ origin: 'message body', pages: [tidyText(body)], pdf: false });
  if (parts.length === 0 && notes.length === 0) throw new DocumentError('an e-mail with neither a PDF attachment nor a text body: no receipt to read');
  const sent = sentOf(email.headers.find((h) => h.key === 'date')?.value ?? '');
  return { medium: 'eml', parts, notes, ...(sent ? { sent } : {}) };
}

const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `Fri, 09 Oct 2026 14:22:05 +0000` (RFC 5322): the instant and its date in that offset; null if malformed. */
export function sentOf(header: string): { at: number; date: string } | null {
  const m = /(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? ([+-])(\d{2})(\d{2})/.exec(header);
  const month = m ? MONTH_ABBR.indexOf(m[2]!.toLowerCase()) : -1;
  if (!m || month < 0) return null;
  const [day, year, h, min, sec] = [Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const wall = Date.UTC(year, month, day, h, min, sec);
  if (!Number.isFinite(wall) || new Date(wall).getUTCDate() !== day || h > 23 || min > 59 || sec > 60) return null;
  const date = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { at: wall / 1000 - offset * 60, date };
}
