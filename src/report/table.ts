/**
 * One way to write a table on a sheet: bold frozen header, autofilter, real date cells,
 * money formats with the currency, widths that fit the content, and a totals row of live
 * SUM formulas whose results are cached (computed exactly) for viewers that do not recalc.
 */
import type ExcelJS from 'exceljs';
import { Decimal, roundPartsToWhole } from '../money.js';
import { CellValueError, DATE_FORMAT, DATETIME_FORMAT, INTEGER_FORMAT, looksLikeFormula, minorUnits, moneyFormat, PERCENT_FORMAT, safeText } from './cells.js';
import { type DataRowCells, type DirectValue, directRowsAt, excelCells, startDirectRows } from './direct-rows.js';

/** Bold in the body font: without a name viewers fall back to a different face for bold cells. */
export const HEADER_FONT = { bold: true, name: 'Calibri', size: 11 } as const;

export type ColumnType = 'text' | 'money' | 'integer' | 'number' | 'date' | 'datetime' | 'percent';
export type CellInput = string | number | Decimal | null;

export interface Column<T> {
  header: string;
  type: ColumnType;
  value: (row: T) => CellInput;
  /** Add a SUM formula under this column in the totals row. */
  sum?: boolean;
  /** Money columns: currency shown in the number format (default: the table's). */
  currency?: (row: T) => string;
  minWidth?: number;
  maxWidth?: number;
  /** Long text wraps inside the column; the row grows to show it (viewers do not auto-fit). */
  wrap?: boolean;
  /** A helper column for formulas elsewhere (e.g. SUMIFS criteria): kept, but hidden. */
  hidden?: boolean;
}

export interface TableOptions {
  currency: string;
  /** First row of the table (default 1); rows above are free for a title. */
  startRow?: number;
  totalsLabel?: string;
  /**
   * The sheet changes none of the data rows' cells after writeTable (no fill, font, value, and
   * no read of them but through direct-rows.ts): a large table's rows may then be kept as
   * direct rows instead of exceljs cells (direct-rows.ts), written as the same XML faster.
   */
  directRows?: boolean;
}

export interface WrittenTable {
  headerRow: number;
  firstDataRow: number;
  lastDataRow: number;
  /** Row of the totals, or null when no column sums. */
  totalsRow: number | null;
  /** Column letter by header. */
  col: (header: string) => string;
  /** Cached totals by header (exact). */
  totals: Map<string, Decimal>;
}

/**
 * The exact figure behind a money column shown at the minor unit, as text (a cell's double
 * cannot hold 404.78682866 exactly): where an auditor finds what the rounding hid.
 */
export function exactColumn<T>(header: string, value: (row: T) => Decimal | null): Column<T> {
  return { header: `${header} (exact)`, type: 'text', value: (r) => value(r)?.toString() ?? null };
}

/** A header's own need: its longest word, or half of it when that is wider (two lines at most). */
function headerWidth(header: string): number {
  const longestWord = Math.max(...header.split(' ').map((w) => w.length));
  return Math.max(longestWord, Math.ceil(header.length / 2)) + 3;
}

export function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

function displayLength(v: CellInput, type: ColumnType, currency: string): number {
  if (v === null) return 0;
  switch (type) {
    case 'date':
      return 12;
    case 'datetime':
      return 20;
    case 'percent':
      return 7;
    case 'money': {
      const d = v instanceof Decimal ? v : Decimal.from(String(v));
      const places = minorUnits(currency);
      // the digits before the point of the rounded amount (what toDisplay would show), without formatting it
      const intLen = String(d.round(places).abs().floorUnits(0)).length;
      return (d.sign() < 0 ? 1 : 0) + intLen + Math.floor((intLen - 1) / 3) + (places ? places + 1 : 0) + 1 + currency.length;
    }
    case 'integer':
      return String(v).length + Math.floor((String(v).length - 1) / 3);
    default:
      return String(v).length;
  }
}

/**
 * Advance widths of ' '..'~' in Calibri (Carlito has the same metrics), in 2048ths of an em:
 * prose is narrower than the digit '0' a column's width counts in, so counting characters
 * made rows a line or two taller than LibreOffice or Excel show them.
 */
const ASCII_ADVANCE = [
  463, 667, 821, 1020, 1038, 1464, 1397, 452, 621, 621, 1020, 1020, 511, 627, 517, 791, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 1038, 548, 548, 1020, 1020, 1020, 949,
  1831, 1185, 1114, 1092, 1260, 1000, 941, 1292, 1276, 516, 653, 1064, 861, 1751, 1322, 1356, 1058, 1378, 1112, 941, 998, 1314, 1162, 1822, 1063, 998, 959, 628, 791, 628, 1020,
  1020, 596, 981, 1076, 866, 1076, 1019, 625, 964, 1076, 470, 490, 931, 470, 1636, 1076, 1080, 1076, 1076, 714, 801, 686, 1076, 925, 1464, 887, 927, 809, 644, 943, 644, 1020,
];
const DIGIT_ADVANCE = 1038;
/** Screen hinting rounds narrow glyphs up and bold is wider: measured text is taken this much wider. */
const HINTING_MARGIN = 1.05;

/** A text's width in the digit widths a column's width is counted in (other than ASCII: a digit; East Asian wide: two). */
export function textWidth(text: string): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code >= 32 && code <= 126) units += ASCII_ADVANCE[code - 32]!;
    else units += code >= 0x1100 && /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 * DIGIT_ADVANCE : DIGIT_ADVANCE;
  }
  return (units / DIGIT_ADVANCE) * HINTING_MARGIN;
}

/** Lines a text needs in a column of `width` characters, breaking at spaces (widths measured, not counted). */
export function wrappedLines(text: string, width: number): number {
  const usable = Math.max(4, Math.floor(width) - 1);
  const space = textWidth(' ');
  let lines = 0;
  for (const para of text.split('\n')) {
    let len = 0;
    lines++;
    for (const word of para.split(' ')) {
      const w = textWidth(word);
      const add = (len ? space : 0) + w;
      if (len + add > usable && len > 0) {
        lines++;
        len = w;
      } else len += add;
      // a word longer than the line (a hash, a path) is broken inside it by the viewer
      if (len > usable) {
        const extra = Math.ceil(len / usable) - 1;
        lines += extra;
        len -= extra * usable;
      }
    }
  }
  return lines;
}

/** A number for a cell; Infinity or NaN is a clear error naming the sheet and column, never a written cell. */
function finiteCell(n: number, ws: ExcelJS.Worksheet, header: string, row: number): number {
  if (!Number.isFinite(n)) throw new CellValueError(`sheet "${ws.name}", column "${header}", row ${row}: the value ${n} is not a finite number; the workbook was not written`);
  return n;
}

/**
 * The values a summed money column shows: each row at the currency's minor unit, rounded by
 * largest remainder so the visible rows add up to the visible total (404.7867 + … shows as
 * parts of 404.79, not a column summing to 404.78). Columns in several currencies are left exact.
 */
function displayedMoney<T>(columns: Column<T>[], rows: readonly T[], currency: string): Map<number, (Decimal | null)[]> {
  const out = new Map<number, (Decimal | null)[]>();
  columns.forEach((c, i) => {
    if (c.type !== 'money' || !c.sum || c.currency) return;
    const exact = rows.map((r) => {
      const v = c.value(r);
      return v === null ? null : v instanceof Decimal ? v : Decimal.from(String(v));
    });
    const present = exact.filter((d): d is Decimal => d !== null);
    const rounded = roundPartsToWhole(present, minorUnits(currency));
    let k = 0;
    out.set(
      i,
      exact.map((d) => (d === null ? null : rounded[k++]!)),
    );
  });
  return out;
}

function writeHeader<T>(ws: ExcelJS.Worksheet, columns: Column<T>[], headerRow: number): ExcelJS.Row {
  const header = ws.getRow(headerRow);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = HEADER_FONT;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF4' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF8899AA' } } };
    cell.alignment = { vertical: 'bottom', wrapText: true };
  });
  return header;
}

/** One non-null value as its cell holds it, typed and formatted by its column; summed columns add to `totals`. */
function cellOf<T>(
  c: Column<T>,
  v: Exclude<CellInput, null>,
  currency: string,
  totals: Map<string, Decimal>,
  at: { ws: ExcelJS.Worksheet; row: number },
): { value: Exclude<DirectValue, null>; numFmt: string | undefined } {
  const { ws, row } = at;
  switch (c.type) {
    case 'money': {
      const d = v instanceof Decimal ? v : Decimal.from(String(v));
      const value = finiteCell(d.toNumber(), ws, c.header, row);
      if (c.sum) totals.set(c.header, (totals.get(c.header) ?? Decimal.ZERO).plus(d));
      return { value, numFmt: moneyFormat(currency) };
    }
    case 'integer':
    case 'number': {
      const value = finiteCell(typeof v === 'number' ? v : Number(String(v)), ws, c.header, row);
      // token counts are safe integers: taken as they are, not through their text (1M rows: ~30,000 cells)
      if (c.sum) totals.set(c.header, (totals.get(c.header) ?? Decimal.ZERO).plus(Number.isSafeInteger(value) ? Decimal.fromInt(value) : Decimal.from(String(value))));
      return { value, numFmt: c.type === 'integer' ? INTEGER_FORMAT : '0.####' };
    }
    case 'percent':
      return { value: finiteCell(typeof v === 'number' ? v : Number(String(v)), ws, c.header, row), numFmt: PERCENT_FORMAT };
    case 'date':
      return { value: new Date(`${String(v)}T00:00:00Z`), numFmt: DATE_FORMAT };
    case 'datetime':
      return { value: new Date(`${String(v).replace(' ', 'T')}Z`), numFmt: DATETIME_FORMAT };
    default: {
      const text = safeText(String(v))!;
      return { value: text, numFmt: looksLikeFormula(text) ? '@' : undefined };
    }
  }
}

/**
 * Column widths as the table is written: `want`, what the header and values ask for, within
 * the column's bounds; `fit`, what a number needs whatever the bounds (cut by its column it
 * shows as ###: a 254 MB file's byte count under a 9-wide cap).
 */
interface Widths {
  want: number[];
  fit: number[];
}

/**
 * `length`: the value's shown characters; `pad`: the room asked for beside them. A number gets
 * at least one more than its characters whatever the bounds (LibreOffice showed 254,484,647 as
 * ### at 11, whole at 12), bold digits (`bold`, the totals) two. Dates have one length, which
 * their columns' bounds already allow.
 */
function widen<T>(w: Widths, i: number, c: Column<T>, length: number, pad: number, bold = false): void {
  w.want[i] = Math.max(w.want[i]!, length + pad);
  if (c.type === 'integer' || c.type === 'money' || c.type === 'number') w.fit[i] = Math.max(w.fit[i]!, length + (bold ? 2 : 1));
}

/** The data rows into `cells`; widens `widths` to fit what was written and returns the sums of the summed columns. */
function writeDataRows<T>(
  ws: ExcelJS.Worksheet,
  cells: DataRowCells,
  columns: Column<T>[],
  rows: readonly T[],
  opts: TableOptions,
  headerRow: number,
  widths: Widths,
): Map<string, Decimal> {
  const shown = displayedMoney(columns, rows, opts.currency);
  const totals = new Map<string, Decimal>();
  rows.forEach((row, r) => {
    const rowNo = headerRow + 1 + r;
    columns.forEach((c, i) => {
      const v = shown.has(i) ? shown.get(i)![r]! : c.value(row);
      if (typeof v === 'number') finiteCell(v, ws, c.header, rowNo);
      const currency = c.currency ? c.currency(row) : opts.currency;
      widen(widths, i, c, displayLength(v, c.type, currency), 2);
      if (v === null) return;
      const cell = cellOf(c, v, currency, totals, { ws, row: rowNo });
      cells.value(rowNo, i + 1, cell.value, cell.numFmt);
    });
  });
  return totals;
}

/** The totals row under the data: a SUM formula (with its cached result) for each summed column. */
function writeTotalsRow<T>(
  ws: ExcelJS.Worksheet,
  columns: Column<T>[],
  opts: TableOptions,
  rowsAt: { first: number; last: number; count: number },
  totals: Map<string, Decimal>,
  widths: Widths,
): number {
  const totalsRow = rowsAt.last + 1;
  const tr = ws.getRow(totalsRow);
  const labelCol = columns.findIndex((c) => !c.sum);
  if (labelCol >= 0) {
    tr.getCell(labelCol + 1).value = opts.totalsLabel ?? 'Total';
  }
  columns.forEach((c, i) => {
    const cell = tr.getCell(i + 1);
    cell.font = HEADER_FONT;
    cell.border = { top: { style: 'thin', color: { argb: 'FF8899AA' } } };
    if (!c.sum) return;
    const L = columnLetter(i + 1);
    const total = totals.get(c.header) ?? Decimal.ZERO;
    totals.set(c.header, total);
    cell.value = { formula: rowsAt.count ? `SUM(${L}${rowsAt.first}:${L}${rowsAt.last})` : '0', result: finiteCell(total.toNumber(), ws, c.header, tr.number) };
    cell.numFmt = c.type === 'money' ? moneyFormat(opts.currency) : c.type === 'integer' ? INTEGER_FORMAT : '0.####';
    // bold digits are wider than the body's: the total needs more room than a row of the same length
    widen(widths, i, c, displayLength(total, c.type === 'money' ? 'money' : 'integer', opts.currency), 4, true);
  });
  return totalsRow;
}

/** Column widths within each column's bounds; header and wrapped rows made tall enough for their lines. */
function sizeColumnsAndRows<T>(ws: ExcelJS.Worksheet, cells: DataRowCells, columns: Column<T>[], rows: readonly T[], header: ExcelJS.Row, widths: Widths): void {
  const finalWidths = columns.map((c, i) => Math.max(widths.fit[i]!, Math.min(c.maxWidth ?? 60, Math.max(c.minWidth ?? 8, widths.want[i]!))));
  // a header longer than its column's values wraps onto a second line instead of widening it
  const headerLines = Math.max(1, ...columns.map((c, i) => wrappedLines(c.header, finalWidths[i]!)));
  if (headerLines > 1) header.height = 15 * headerLines;
  finalWidths.forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
    if (columns[i]!.hidden) ws.getColumn(i + 1).hidden = true;
  });
  if (!columns.some((c) => c.wrap)) return;
  // one object per column: exceljs keeps the reference, and shared parts make shareStyles cheap
  const aligns = columns.map((c): Partial<ExcelJS.Alignment> => ({ vertical: 'top', wrapText: !!c.wrap }));
  rows.forEach((row, r) => {
    const rowNo = header.number + 1 + r;
    let lines = 1;
    columns.forEach((c, i) => {
      cells.alignment(rowNo, i + 1, aligns[i]!);
      if (!c.wrap) return;
      const v = c.value(row);
      if (v !== null) lines = Math.max(lines, wrappedLines(String(v), finalWidths[i]!));
    });
    if (lines > 1) cells.height(rowNo, 15 * lines);
  });
}

export function writeTable<T>(ws: ExcelJS.Worksheet, columns: Column<T>[], rows: readonly T[], opts: TableOptions): WrittenTable {
  const headerRow = opts.startRow ?? 1;
  const widths: Widths = { want: columns.map((c) => headerWidth(c.header)), fit: columns.map(() => 0) };
  const header = writeHeader(ws, columns, headerRow);
  const cells = (opts.directRows && startDirectRows(ws, headerRow + 1, rows.length, columns.length)) || excelCells(ws);
  const totals = writeDataRows(ws, cells, columns, rows, opts, headerRow, widths);
  const firstDataRow = headerRow + 1;
  const lastDataRow = headerRow + rows.length;
  // the sheet's row count includes every data row, empty or direct (direct-rows.ts)
  ws.getRow(lastDataRow);
  const totalsRow = columns.some((c) => c.sum) ? writeTotalsRow(ws, columns, opts, { first: firstDataRow, last: lastDataRow, count: rows.length }, totals, widths) : null;
  sizeColumnsAndRows(ws, cells, columns, rows, header, widths);
  alignCells(ws, { firstDataRow, lastDataRow }, columns, totalsRow ?? lastDataRow);
  // printed pages repeat the header row
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }];
  ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: Math.max(headerRow, lastDataRow), column: columns.length } };
  const index = new Map(columns.map((c, i) => [c.header, columnLetter(i + 1)]));
  return {
    headerRow,
    firstDataRow,
    lastDataRow,
    totalsRow,
    totals,
    col: (h) => {
      const l = index.get(h);
      if (!l) throw new Error(`no column ${h}`);
      return l;
    },
  };
}

const FIGURES = new Set<ColumnType>(['money', 'integer', 'number', 'percent']);

/**
 * Readability after writeTable: dates left-aligned, and a figure followed by a text or date
 * column kept one indent from its right edge, so a right-aligned number never runs into the
 * text beside it.
 */
export function alignCells<T>(ws: ExcelJS.Worksheet, t: Pick<WrittenTable, 'firstDataRow' | 'lastDataRow'>, columns: readonly Column<T>[], lastRow = t.lastDataRow): void {
  const shown = columns.filter((c) => !c.hidden);
  columns.forEach((c, i) => {
    const k = shown.indexOf(c);
    const next = k >= 0 ? shown[k + 1] : undefined;
    const padRight = FIGURES.has(c.type) && next !== undefined && !FIGURES.has(next.type);
    if (c.type !== 'date' && !padRight) return;
    // cells that had the same alignment object share the new one too (see sizeColumnsAndRows)
    const aligned = new Map<Partial<ExcelJS.Alignment> | undefined, Partial<ExcelJS.Alignment>>();
    const realign = (a: Partial<ExcelJS.Alignment> | undefined) => {
      let next = aligned.get(a);
      if (!next) aligned.set(a, (next = c.type === 'date' ? { ...a, horizontal: 'left' } : { ...a, horizontal: 'right', indent: 1 }));
      return next;
    };
    for (let r = t.firstDataRow; r <= lastRow; r++) {
      const d = directRowsAt(ws, r);
      if (d) d.alignment(r, i + 1, realign(d.aligns[d.at(r, i + 1)]));
      else {
        const cell = ws.getRow(r).getCell(i + 1);
        cell.alignment = realign(cell.alignment as Partial<ExcelJS.Alignment> | undefined);
      }
    }
  });
}
