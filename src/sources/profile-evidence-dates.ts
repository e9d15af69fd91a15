/**
 * Evidence for `spendrecon profile` about date columns: which format reads the whole column,
 * which day/month order fits, and which of two date columns is the transaction date.
 */
import { DATE_FORMATS, parseDate, resolveDateOrder, type DateFormat, type DateOrder } from './bank-dates.js';
import type { LocalDate } from '../time.js';
import { nonBlank, type ColumnCells } from './profile-evidence.js';

export interface DateFinding {
  format: DateFormat;
  /** Non-blank cells the format reads, of how many. */
  parsed: number;
  nonBlank: number;
  reason: string;
  /** Set when the day/month order is a guess the file could not prove. */
  attention: string | null;
}

// only for telling whether a year-less MM/DD cell is a calendar day; the reader places the year
const ANY_YEAR = { from: '2024-01-01', to: '2024-12-31', source: 'shape test' };
/** The formats the profile language reads, 'auto' last (an explicit order is clearer when both fit). */
const FORMATS: DateFormat[] = [...DATE_FORMATS.filter((f) => f !== 'auto'), 'auto'];

/** Each cell of a column read with one format (null where it does not read); `auto` gets the column's order. */
function columnDates(cells: readonly string[], format: DateFormat): (LocalDate | null)[] {
  let order: DateOrder | 'either' | null = null;
  if (format === 'auto') {
    const r = resolveDateOrder(cells);
    if (!r.ok) return cells.map(() => null);
    order = r.order;
  }
  return cells.map((c) => {
    const p = parseDate(c, [format], { order, period: ANY_YEAR });
    return p.ok ? p.date : null;
  });
}

function countParsed(cells: readonly string[], format: DateFormat): number {
  return columnDates(cells, format).filter((d) => d !== null).length;
}

/**
 * The date format of a column when at least 80 % of its non-blank cells read as dates (the
 * rest are listed later as unread rows). DD/MM vs MM/DD: a day above 12 anywhere in the
 * column decides; when none does, the order in which the rows are sorted, else a guess.
 */
export function dateFinding(col: ColumnCells, decimalComma: boolean): DateFinding | null {
  const cells = nonBlank(col.cells);
  if (cells.length === 0) return null;
  let best: { format: DateFormat; parsed: number } | null = null;
  for (const format of FORMATS) {
    const parsed = countParsed(cells, format);
    if (parsed > (best?.parsed ?? 0)) best = { format, parsed };
  }
  if (!best || best.parsed < 0.8 * cells.length) return null;
  const base = { parsed: best.parsed, nonBlank: cells.length, attention: null };
  const shown = `"${col.name}": ${best.parsed} of ${cells.length} cells read as ${best.format}`;
  const slash = best.format === 'DD/MM/YYYY' || best.format === 'MM/DD/YYYY';
  if (slash && countParsed(cells, 'DD/MM/YYYY') === countParsed(cells, 'MM/DD/YYYY')) return ambiguousOrder(col, cells, base, decimalComma);
  if (slash) {
    const proof = resolveDateOrder(cells, `"${col.name}"`);
    return { ...base, format: best.format, reason: `${shown}${proof.ok ? ` (${proof.reason})` : ''}` };
  }
  if (best.format === 'auto') {
    const proof = resolveDateOrder(cells, `"${col.name}"`);
    return { ...base, format: 'auto', reason: `${shown}: the day/month order is decided from the whole column (${proof.ok ? proof.reason : ''})` };
  }
  return { ...base, format: best.format, reason: shown };
}

/** Every slash date fits both orders: the rows' sort order tells, else the number format's locale. */
function ambiguousOrder(col: ColumnCells, cells: string[], base: Omit<DateFinding, 'format' | 'reason'>, decimalComma: boolean): DateFinding {
  const breaks = (format: DateFormat) => sortBreaks(columnDates(cells, format).filter((d): d is LocalDate => d !== null));
  const dmy = breaks('DD/MM/YYYY');
  const mdy = breaks('MM/DD/YYYY');
  const what = `every date in "${col.name}" fits both DD/MM/YYYY and MM/DD/YYYY (no day above 12)`;
  if (Math.abs(dmy - mdy) >= 2) {
    const format: DateFormat = dmy < mdy ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
    return {
      ...base,
      format,
      reason: `${what}; read as ${format}, the order that keeps the rows sorted by date (${Math.min(dmy, mdy)} breaks in the sort order against ${Math.max(dmy, mdy)})`,
      attention: null,
    };
  }
  const format: DateFormat = decimalComma ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
  const why = decimalComma ? 'amounts use a decimal comma, as where days come first' : 'amounts use a decimal point';
  return {
    ...base,
    format,
    reason: `${what}; guessed ${format} because ${why}`,
    attention: `the day/month order of "${col.name}" is a guess (${format}): check a date against your bank's website`,
  };
}

/** Adjacent pairs that go against the column's main direction (statements list dates in order). */
function sortBreaks(dates: readonly LocalDate[]): number {
  let up = 0;
  let down = 0;
  for (let i = 1; i < dates.length; i++) {
    if (dates[i]! > dates[i - 1]!) up++;
    else if (dates[i]! < dates[i - 1]!) down++;
  }
  return Math.min(up, down);
}

/**
 * Of two date columns, the transaction date is the earlier one where they differ (a charge posts
 * after it is made). With `charges`, only charge rows count: money in (interest value-dated
 * back, ABN AMRO's Rentedatum) says nothing of when a purchase was made.
 */
export function transactionFirst(
  a: ColumnCells,
  fa: DateFormat,
  b: ColumnCells,
  fb: DateFormat,
  charges?: readonly boolean[],
): { earlierIsA: boolean; differ: number; reason: string } {
  let aFirst = 0;
  let bFirst = 0;
  let uncounted = 0;
  const da = columnDates(a.cells, fa);
  const db = columnDates(b.cells, fb);
  da.forEach((x, i) => {
    const y = db[i];
    if (!x || !y || x === y) return;
    if (charges && !charges[i]) uncounted++;
    else if (x < y) aFirst++;
    else bFirst++;
  });
  const counted = aFirst + bFirst;
  const earlierIsA = aFirst >= bFirst;
  const [tx, posted] = earlierIsA ? [a, b] : [b, a];
  const left = uncounted ? `; ${uncounted} row${uncounted > 1 ? 's' : ''} where they differ ${uncounted > 1 ? 'are' : 'is'} money in, not counted` : '';
  const reason =
    counted + uncounted === 0
      ? `"${a.name}" and "${b.name}" hold the same date on every row: "${a.name}" (the first) is the transaction date`
      : counted === 0
        ? `"${a.name}" and "${b.name}" differ only on money-in rows (${uncounted}), which say nothing of when a purchase is made: "${a.name}" (the first) is the transaction date, "${b.name}" the posting date`
        : `"${tx.name}" is the transaction date and "${posted.name}" the posting date: "${tx.name}" is the earlier on ${Math.max(aFirst, bFirst)} of ${counted} ${charges ? 'charge ' : ''}rows where they differ${left}`;
  return { earlierIsA, differ: counted + uncounted, reason };
}
