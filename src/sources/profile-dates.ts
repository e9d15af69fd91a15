/**
 * Which columns are the transaction and posting dates (for `spendrecon profile`), their
 * formats, and the two-digit-year pivot they need.
 */
import { isBlank } from './bank-values.js';
import { DATE_FORMATS, DEFAULT_TWO_DIGIT_YEAR_PIVOT, type DateFormat } from './bank-dates.js';
import type { ColumnCells } from './profile-evidence.js';
import { dateFinding, transactionFirst, type DateFinding } from './profile-evidence-dates.js';

export interface DateChoice {
  tx: { col: ColumnCells; f: DateFinding };
  posted: { col: ColumnCells; f: DateFinding } | null;
  formats: DateFormat[];
  /** Set when the two-digit years need another pivot than the reader's default. */
  pivot: number | null;
  /** The transaction date is empty on some rows whose posting date is filled: those take the posting date. */
  postedFallback: boolean;
}

// these pairs read the same cells differently, so a profile may not list both (statement-profile.ts)
function formatsClash(a: DateFormat, b: DateFormat): boolean {
  const slash = new Set<DateFormat>(['DD/MM/YYYY', 'MM/DD/YYYY', 'auto']);
  const dots = new Set<DateFormat>(['DD.MM.YYYY', 'auto']);
  const dashes = new Set<DateFormat>(['DD-MM-YYYY', 'auto']);
  return a !== b && [slash, dots, dashes].some((set) => set.has(a) && set.has(b));
}

/** `charges`: which rows are charges, once the amount is known; only those tell which date comes first. */
export function pickDates(
  cols: readonly ColumnCells[],
  decimalComma: boolean,
  rows: number,
  reasons: string[],
  attention: string[],
  charges?: readonly boolean[],
): DateChoice | null {
  const found = cols.flatMap((col) => {
    const f = dateFinding(col, decimalComma);
    return f && f.nonBlank >= 0.5 * rows ? [{ col, f }] : [];
  });
  if (found.length === 0) return null;
  for (const d of found) {
    reasons.push(d.f.reason);
    if (d.f.attention) attention.push(d.f.attention);
  }
  let [tx, posted] = [found[0]!, found[1] ?? null];
  if (posted) {
    const order = transactionFirst(tx.col, tx.f.format, posted.col, posted.f.format, charges);
    if (!order.earlierIsA) [tx, posted] = [posted, tx];
    reasons.push(order.reason);
    const hasBlanks = posted.col.cells.some(isBlank) || tx.col.cells.some(isBlank);
    if (order.differ === 0 && !hasBlanks) posted = null;
    else if (formatsClash(tx.f.format, posted.f.format)) {
      reasons.push(`"${posted.col.name}" (${posted.f.format}) is left out: one profile cannot also read "${tx.col.name}" as ${tx.f.format}`);
      posted = null;
    }
  }
  const formats = [...new Set([tx.f.format, ...(posted ? [posted.f.format] : [])])];
  const postedFallback = posted !== null && postedFills(tx.col, posted.col, reasons);
  return { tx, posted, formats, pivot: yearPivot([tx, ...(posted ? [posted] : [])], reasons, attention), postedFallback };
}

/** Rows with an empty transaction date and a filled posting date (CMB's repayments): read with the posting date. */
function postedFills(tx: ColumnCells, posted: ColumnCells, reasons: string[]): boolean {
  const n = tx.cells.filter((c, i) => isBlank(c) && !isBlank(posted.cells[i])).length;
  if (n)
    reasons.push(`"${tx.name}" is empty on ${n} row${n > 1 ? 's' : ''} whose "${posted.name}" is filled: those take the posting date (dates.emptyTransactionDate "posted-date")`);
  return n > 0;
}

// every format the reader knows whose year has two digits (DD/MM/YY, DD.MM.YY…): a new one is not forgotten here
const TWO_DIGIT: DateFormat[] = DATE_FORMATS.filter((f) => /(?<!Y)YY$/.test(f));

/**
 * Two-digit years go to 20YY below the reader's pivot (69), else 19YY. A statement from the
 * 1970s is unlikely, so years at or above it get a pivot just above them, flagged.
 */
function yearPivot(found: readonly { col: ColumnCells; f: DateFinding }[], reasons: string[], attention: string[]): number | null {
  const yy = found
    .filter((d) => TWO_DIGIT.includes(d.f.format))
    .flatMap((d) => d.col.cells.flatMap((c) => /(?<!\d)(\d{2})(?:[ T]\d{1,2}:.*)?$/.exec(c.trim())?.[1] ?? []))
    .map(Number);
  if (yy.length === 0) return null;
  const [lo, hi] = [Math.min(...yy), Math.max(...yy)];
  const shown = lo === hi ? `${String(lo).padStart(2, '0')}` : `${String(lo).padStart(2, '0')} to ${String(hi).padStart(2, '0')}`;
  if (hi < DEFAULT_TWO_DIGIT_YEAR_PIVOT) {
    reasons.push(
      `two-digit years ${shown} read as 20${String(lo).padStart(2, '0')}${lo === hi ? '' : `–20${String(hi).padStart(2, '0')}`} (the default pivot ${DEFAULT_TWO_DIGIT_YEAR_PIVOT}: 00–${DEFAULT_TWO_DIGIT_YEAR_PIVOT - 1} are 20YY)`,
    );
    return null;
  }
  const pivot = Math.min(100, hi + 1);
  reasons.push(`two-digit years ${shown}: dates.twoDigitYearPivot ${pivot}, so that they are read as 20YY`);
  attention.push(`two-digit years up to ${hi} would be 19${hi} with the default pivot: check that 20${hi} is meant (dates.twoDigitYearPivot)`);
  return pivot;
}
