/**
 * How `spendrecon profile` opens a file: the encoding, decided from the file's bytes, the
 * delimiter that makes dates of the cells, and the quote character, from the cells. The CSV sniffer
 * (csv.ts) knows UTF-8, UTF-16 and GB18030 and falls back to Windows-1252; Japanese banks
 * write Shift_JIS, which that fallback turns into mojibake. Here the fallback is checked
 * against Shift_JIS before the suggester reads any cell.
 */
import { open } from 'node:fs/promises';
import type { OpenedInput } from './contract.js';
import type { CsvRow } from './csv-rows.js';
import { CsvFile } from './csv.js';
import { numberFinding } from './profile-evidence.js';
import { isDateCell } from './profile-layout.js';
import type { StatementProfileInput } from './statement-profile.js';
import { looksLikeZip, openSheet } from './xlsx-grid.js';

const SAMPLE_BYTES = 64 * 1024;

export interface EncodingFinding {
  encoding: 'shift_jis';
  reason: string;
}

const isLead = (b: number) => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
const isTrail = (b: number) => b >= 0x40 && b <= 0xfc && b !== 0x7f;
const isHalfKana = (b: number) => b >= 0xa1 && b <= 0xdf;

/**
 * Shift_JIS when every non-ASCII byte belongs to a valid lead/trail pair (or a half-width kana),
 * the text decodes without error, and most of its non-ASCII characters are kana or kanji with
 * some kana among them. Windows-1252 text fails this: an accented letter is followed by a
 * space, a comma or the line end (no trail byte), and accented Latin read as pairs gives kanji
 * but almost never kana (whose lead bytes 0x82/0x83 are "‚" and "ƒ" in Windows-1252).
 */
export function shiftJisFinding(bytes: Uint8Array): EncodingFinding | null {
  let pairs = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80 || isHalfKana(b)) continue;
    // a pair cut by the end of the sample is no evidence either way
    if (i === bytes.length - 1) break;
    if (!isLead(b) || !isTrail(bytes[i + 1]!)) return null;
    pairs++;
    i++;
  }
  if (pairs === 0) return null;
  let text: string;
  try {
    text = new TextDecoder('shift_jis', { fatal: true }).decode(bytes, { stream: true });
  } catch {
    return null;
  }
  const wide = [...text].filter((ch) => ch.codePointAt(0)! > 0x7f).length;
  // full-width kana only: Windows-1252 capitals (Ä, É, Ü) are half-width kana bytes
  const kana = (text.match(/[\u3040-\u30ff]/gu) ?? []).length;
  const kanji = (text.match(/[\u4e00-\u9fff]/gu) ?? []).length;
  const marks = (text.match(/[\u3000-\u303f\uff00-\uffef]/gu) ?? []).length;
  if (kana === 0 || kana + kanji + marks < 0.6 * wide) return null;
  return {
    encoding: 'shift_jis',
    reason: `not UTF-8; every non-ASCII byte is a Shift_JIS pair (${pairs} pairs) and the text has ${kana} kana and ${kanji} kanji`,
  };
}

async function firstBytes(path: string, n: number): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The Shift_JIS finding for a file's first bytes, as the CSV sniffer samples them. */
async function fileShiftJis(path: string): Promise<EncodingFinding | null> {
  return shiftJisFinding(await firstBytes(path, SAMPLE_BYTES));
}

/** The rows the suggester reads, how the file was read, and how the statement reader opens it to check the proposal. */
export interface SuggestionSource {
  rows: CsvRow[];
  encoding: string;
  /** '' for a sheet: its cells come split. */
  delimiter: string;
  /** The profile keys that say how to read the file as text (encoding, delimiter, quote); none for a sheet. */
  textKeys: Pick<StatementProfileInput, 'encoding' | 'delimiter' | 'quote'>;
  reasons: string[];
  open(): Promise<OpenedInput>;
}

/**
 * An .xlsx as its first sheet's grid (typed dates already ISO, typed numbers with a point, which
 * the reader reads so whatever the profile's marks), else the CSV as openForSuggestion reads it.
 */
export async function openSuggestionSource(path: string): Promise<SuggestionSource> {
  const sheet = looksLikeZip(await firstBytes(path, 4)) ? await openSheet(path) : null;
  if (sheet) {
    const { rows, reason } = typedNumbersAsText(sheet.rows);
    return {
      rows,
      encoding: 'utf-8',
      delimiter: '',
      textKeys: {},
      reasons: [`sheet "${sheet.sheetName}" of an Excel workbook: cells as the workbook types them (dates as ISO, numbers with a point)`, ...(reason ? [reason] : [])],
      open: async () => ({ path, type: 'sheet', sheet }),
    };
  }
  const { csv, encodingReason, quoteReason } = await openForSuggestion(path);
  const rows: CsvRow[] = [];
  for await (const batch of csv.batches()) for (const r of batch) if (!r.fault) rows.push(r);
  const textKeys = {
    ...(csv.encoding.encoding !== 'utf-8' ? { encoding: csv.encoding.encoding } : {}),
    ...(csv.delimiter !== ',' ? { delimiter: csv.delimiter as ';' | '\t' | '|' } : {}),
    ...(csv.quote !== '"' ? { quote: csv.quote as "'" } : {}),
  };
  const reasons = [`encoding ${csv.encoding.encoding} (${encodingReason}); delimiter ${JSON.stringify(csv.delimiter)}`, ...(quoteReason ? [quoteReason] : [])];
  return { rows, encoding: csv.encoding.encoding, delimiter: csv.delimiter, textKeys, reasons, open: async () => ({ path, type: 'csv', csv: await CsvFile.open(path) }) };
}

export interface QuoteFinding {
  quote: "'";
  reason: string;
}

const WRAPPED = /^'[^']*(''[^']*)*'$/;

/**
 * `'` is the quote when, read with `"`, some column has its cells wrapped in `'` on at least
 * two rows and 80 % of its filled rows (ASN Bank's `'Huur november'`); a lone apostrophe
 * (`O'Brien`) wraps nothing.
 */
export function quoteFinding(rows: readonly CsvRow[]): QuoteFinding | null {
  const width = Math.max(0, ...rows.map((r) => r.fields.length));
  for (let i = 0; i < width; i++) {
    const cells = rows.map((r) => (r.fields[i] ?? '').trim()).filter((c) => c !== '');
    const wrapped = cells.filter((c) => c.length >= 2 && WRAPPED.test(c)).length;
    if (wrapped >= 2 && wrapped >= 0.8 * cells.length) {
      return {
        quote: "'",
        reason: `quote "'": ${wrapped} of ${cells.length} filled cells of column ${i + 1} are wrapped in it (e.g. ${JSON.stringify(cells.find((c) => WRAPPED.test(c)))})`,
      };
    }
  }
  return null;
}

/**
 * A sheet whose amounts written as text use a decimal comma (`-1.018,15` beside typed `-21.78`):
 * its typed numbers shown to the suggester with that comma, so one decimal mark reads every
 * amount cell. The reader reads a typed number with its point whatever the profile says.
 */
function typedNumbersAsText(rows: CsvRow[]): { rows: CsvRow[]; reason: string | null } {
  const untyped = (r: CsvRow) => r.fields.filter((_, i) => !r.typedNumbers?.has(i) && !r.typedDates?.has(i));
  const text = numberFinding(rows.flatMap(untyped));
  if (text.format.decimalMark !== ',') return { rows, reason: null };
  const shown = rows.map((r) => (r.typedNumbers ? { ...r, fields: r.fields.map((f, i) => (r.typedNumbers!.has(i) ? f.replace('.', ',') : f)) } : r));
  const example = /e\.g\. ("[^"]*")/.exec(text.reason)?.[1] ?? '';
  const reason = `amounts written as text have a decimal comma (e.g. ${example}): the number cells are weighed with it too (the reader reads them with their point whatever the profile says)`;
  return { rows: shown, reason };
}

/** The file as the suggester reads it: the CSV sniffer's encoding, unless the bytes say Shift_JIS instead. */
async function openForSuggestion(path: string): Promise<{ csv: CsvFile; encodingReason: string; quoteReason: string | null }> {
  const first = await datedDelimiter(path, await CsvFile.open(path));
  const sniffedFallback = first.encoding.encoding === 'windows-1252' && first.encoding.bomBytes === 0;
  const sjis = sniffedFallback ? await fileShiftJis(path) : null;
  const csv = sjis ? await CsvFile.open(path, { encoding: sjis.encoding, delimiter: first.delimiter }) : first;
  const encodingReason = sjis?.reason ?? csv.encoding.reason;
  const quote = quoteFinding(csv.head);
  if (!quote) return { csv, encodingReason, quoteReason: null };
  const quoted = await CsvFile.open(path, { encoding: csv.encoding.encoding, delimiter: csv.delimiter, quote: quote.quote });
  // cells wrapped in ' inside "-quoted cells (Amex's '3202…' references) are text: read with ', such a file splits unevenly
  if (evenRows(quoted.head) < evenRows(csv.head)) return { csv, encodingReason, quoteReason: null };
  return { csv: quoted, encodingReason, quoteReason: `${quote.reason}, and read with it ${evenRows(quoted.head)} of the first ${quoted.head.length} rows have the usual width` };
}

const dateRows = (rows: readonly CsvRow[]) => rows.filter((r) => r.fields.some(isDateCell)).length;

/**
 * The sniffed delimiter unless, split by it, no cell is a date and another delimiter gives
 * dated rows: BNP's "2 143,18" balance tips the count toward "," in a ";" file.
 */
async function datedDelimiter(path: string, csv: CsvFile): Promise<CsvFile> {
  if (dateRows(csv.head) > 0) return csv;
  let best = csv;
  for (const delimiter of [';', ',', '\t', '|'].filter((d) => d !== csv.delimiter)) {
    const other = await CsvFile.open(path, { delimiter });
    if (dateRows(other.head) > dateRows(best.head)) best = other;
  }
  return best;
}

/** How many rows have the most common width. */
function evenRows(rows: readonly CsvRow[]): number {
  const widths = new Map<number, number>();
  for (const r of rows) widths.set(r.fields.length, (widths.get(r.fields.length) ?? 0) + 1);
  return Math.max(0, ...widths.values());
}
