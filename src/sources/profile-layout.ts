/**
 * Where a statement file's rows are (for `spendrecon profile`): the header row below any
 * preamble, the data rows, and the dateless trailer after the last dated row.
 */
import { isBlank, parseAmount } from './bank-values.js';
import { DATE_FORMATS, parseDate, type DateFormat } from './bank-dates.js';
import { repeatsHeader, type CsvRow } from './csv.js';
import { originalTextFinding } from './profile-evidence-text.js';

const HEADER_SEARCH_ROWS = 40;

export interface Layout {
  /** The header row; for a header-less file, "Column 1", "Column 2"… on line 0. */
  header: CsvRow;
  headerless: boolean;
  /** Index of the header among the file's non-empty rows (what maxPreambleLines counts). */
  headerIndex: number;
  preamble: CsvRow[];
  data: CsvRow[];
  trailer: CsvRow[];
  /** Header-less files: the dateless rows among the data (card-holder and total lines), left out of the columns' evidence. */
  sections: CsvRow[];
  /** Dateless, moneyless text rows right after a dated row (OCBC's merchant line): more text for it, left out of the columns' evidence. */
  continuations: CsvRow[];
  reasons: string[];
}

export function rowText(row: CsvRow): string {
  return row.fields
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .join(' ');
}

const SHAPE_PERIOD = { from: '2024-01-01', to: '2024-12-31', source: 'shape test' };

export function isDateCell(cell: string): boolean {
  if (isBlank(cell)) return false;
  // one format at a time: DD/MM and MM/DD both fit a slash date; `auto` alone refuses 05-11-2026, either order does not
  const fits = (f: DateFormat, order: 'DMY' | 'MDY' | null = null) => parseDate(cell, [f], { period: SHAPE_PERIOD, order }).ok;
  return DATE_FORMATS.some((f) => fits(f)) || fits('auto', 'DMY') || fits('auto', 'MDY');
}

/** A header: two or more named cells, at least half the row, none of them a date or an amount. */
function headerLike(row: CsvRow): boolean {
  const named = row.fields.filter((f) => f.trim() !== '');
  return named.length >= 2 && named.length >= 0.5 * row.fields.length && !named.some((f) => isDateCell(f) || parseAmount(f).ok);
}

/**
 * The first non-empty row below row i, or, when that one is a narrower dateless row (an opening
 * balance line under Intesa Sanpaolo's header), the dated row right after it.
 */
function firstDatedBelow(rows: readonly CsvRow[], i: number): CsvRow | undefined {
  const below = rows.slice(i + 1).filter((r) => rowText(r) !== '');
  const [next, after] = below;
  const narrowNote = !!next && !!after && !next.fields.some(isDateCell) && next.fields.length < rows[i]!.fields.length - 1;
  return narrowNote && after.fields.some(isDateCell) ? after : next;
}

export function findLayout(rows: CsvRow[]): Layout | { problem: string } {
  let headerIndex = -1;
  const dataWidth = modalWidth(rows.filter((r) => r.fields.some(isDateCell)));
  for (let i = 0; i < Math.min(rows.length, HEADER_SEARCH_ROWS) && headerIndex < 0; i++) {
    const next = firstDatedBelow(rows, i);
    // label/value preamble lines ("Date ;30/11/2026") are narrower than the dated rows: not a header and its data
    const narrow = !!next && Math.max(rows[i]!.fields.length, next.fields.length) < dataWidth;
    if (headerLike(rows[i]!) && next && !narrow && Math.abs(next.fields.length - rows[i]!.fields.length) <= 1 && next.fields.some(isDateCell)) headerIndex = i;
  }
  if (headerIndex < 0) {
    const dated = rows.findIndex((r) => r.fields.some(isDateCell));
    const first = rows.findIndex((r) => rowText(r) !== '');
    if (dated >= 0 && dated === first) return headerlessLayout(rows.slice(first));
    // card-holder lines before the first dated row (SMBC Vpass): narrower than the dated rows, so section lines, not a header
    if (dated >= 0 && rows.slice(first, dated).every((r) => rowText(r) === '' || r.fields.length < rows[dated]!.fields.length - 1)) return headerlessLayout(rows.slice(first));
    const problem =
      dated < 0
        ? `no row has a date in a format statement profiles read (${DATE_FORMATS.filter((f) => f !== 'auto').join(', ')}, or NN-NN-YYYY)`
        : !headerLike(rows[dated - 1]!)
          ? `no header row, and line ${rows[dated]!.line} (a date) comes after lines that are neither a header nor data: a profile without a header row cannot skip a preamble`
          : `the header row is not within the first ${HEADER_SEARCH_ROWS} lines`;
    return { problem };
  }
  const header = rows[headerIndex]!;
  const body = rows.slice(headerIndex + 1).filter((r) => rowText(r) !== '' && !repeatsHeader(r.fields, header.fields));
  const reasons = [
    `header on line ${header.line}${headerIndex ? ` after ${headerIndex} preamble line${headerIndex > 1 ? 's' : ''}` : ''}: the first row of names followed by a dated row of the same width`,
  ];
  const split = splitTrailer(body, header.fields.length);
  const { data, continuations } = continuationRows(split.data, split.trailer, header.fields.length, reasons);
  const trailer = split.trailer.slice(continuations.includes(split.trailer[0]!) ? 1 : 0);
  if (trailer.length)
    reasons.push(
      `${trailer.length} trailer line${trailer.length > 1 ? 's' : ''} from line ${trailer[0]!.line} (no date after the last dated row): ${JSON.stringify(rowText(trailer[0]!))}`,
    );
  return { header, headerless: false, headerIndex, preamble: rows.slice(0, headerIndex), data, trailer, sections: [], continuations, reasons };
}

// a cell that reads as a number under either decimal mark: money, which a continuation row never has
const MONEY_FORMATS = [
  { decimalMark: '.', thousandsSeparator: ',' },
  { decimalMark: ',', thousandsSeparator: '.' },
] as const;
const isMoneyCell = (cell: string) => !isBlank(cell) && /\d/.test(cell) && MONEY_FORMATS.some((f) => parseAmount(cell, f).ok);

/**
 * Rows with no date and no money, only text, each right after a dated row: one transaction
 * written over two rows (the profile's `continuation`). Counted only when there are two or
 * more, or each holds an original amount: a single row of other text is as likely a note, listed as unread instead.
 */
function continuationRows(data: readonly CsvRow[], trailer: readonly CsvRow[], width: number, reasons: string[]): { data: CsvRow[]; continuations: CsvRow[] } {
  const dateCol = mostDatedColumn(data, width);
  const dated = (r: CsvRow | undefined) => !!r && isDateCell(r.fields[dateCol] ?? '');
  // the last transaction's own continuation row comes after the last dated row, first of the "trailer"
  const rows = [...data, ...trailer.slice(0, 1)];
  const found = rows.filter(
    (r, i) => !dated(r) && isBlank(r.fields[dateCol]) && dated(rows[i - 1]) && !r.fields.some((f) => isDateCell(f) || isMoneyCell(f)) && /\p{L}/u.test(rowText(r)),
  );
  // one row can be a note; one whose text holds an amount and its currency is the merchant's amount, a convention (Rakuten Card)
  const original = originalTextFinding(found.map(rowText)) !== null;
  if (found.length < 2 && !(found.length === 1 && original)) return { data: [...data], continuations: [] };
  const rowsSay = found.length > 1 ? `${found.length} rows (from line ${found[0]!.line}) have` : `line ${found[0]!.line} has`;
  const what = original ? 'the original amount of the transaction above (continuation)' : "the rest of that transaction's text (continuation, joined to the description)";
  reasons.push(`${rowsSay} no date and no money cell, only text, each right after a dated row: ${what}`);
  return { data: data.filter((r) => !found.includes(r)), continuations: found };
}

/** Data rows up to the last dated one; the dateless rows after it are the trailer. */
function splitTrailer(body: CsvRow[], width: number): { data: CsvRow[]; trailer: CsvRow[] } {
  const dateCol = mostDatedColumn(body, width);
  let end = body.length;
  while (end > 0 && !isDateCell(body[end - 1]!.fields[dateCol] ?? '')) end--;
  return { data: body.slice(0, end), trailer: body.slice(end) };
}

/** The first line is already data: columns are known by position, named "Column 1"… until their roles are known. */
function headerlessLayout(rows: CsvRow[]): Layout {
  const body = rows.filter((r) => rowText(r) !== '');
  const widths = new Map<number, number>();
  for (const r of body) widths.set(r.fields.length, (widths.get(r.fields.length) ?? 0) + 1);
  const width = [...widths].sort((a, b) => b[1] - a[1])[0]![0];
  const header: CsvRow = { line: 0, fields: Array.from({ length: width }, (_, i) => `Column ${i + 1}`) };
  const dated = body.find((r) => r.fields.some(isDateCell))!;
  const reasons = [
    `no header row: line ${dated.line} is already data (a date), so the profile says header.row "none", names the ${width} columns by position and recognises the file by a signature of its first rows' cells`,
  ];
  // without a header the reader has no preamble or trailer to cut: a dateless row anywhere is one to skip
  const dateCol = mostDatedColumn(body, width);
  const sections = body.filter((r) => !isDateCell(r.fields[dateCol] ?? ''));
  const data = body.filter((r) => !sections.includes(r));
  return { header, headerless: true, headerIndex: -1, preamble: [], data, trailer: [], sections, continuations: [], reasons };
}

/** The most common number of fields among the rows (0 for none). */
function modalWidth(rows: readonly CsvRow[]): number {
  const widths = new Map<number, number>();
  for (const r of rows) widths.set(r.fields.length, (widths.get(r.fields.length) ?? 0) + 1);
  return [...widths].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
}

function mostDatedColumn(rows: readonly CsvRow[], width: number): number {
  let best = 0;
  let bestCount = -1;
  for (let c = 0; c < width; c++) {
    const n = rows.filter((r) => isDateCell(r.fields[c] ?? '')).length;
    if (n > bestCount) [best, bestCount] = [c, n];
  }
  return best;
}

export function trailerPattern(trailer: readonly CsvRow[]): string | null {
  if (trailer.length === 0) return null;
  const text = rowText(trailer[0]!);
  const word = /^[\p{L}\p{N}]+/u.exec(text)?.[0] ?? text.slice(0, 12);
  return `^${word.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`;
}
