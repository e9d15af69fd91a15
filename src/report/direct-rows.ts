/**
 * The data rows of a large table kept by spendrecon instead of as exceljs cells (issue #14: a
 * 1M-row report's 3,700-row Usage vs cost sheet was ~51,000 exceljs cells at ~20 µs each).
 * writeTable works out each cell's value, number format and alignment as for any table and
 * records them here, per worksheet; workbook.ts writes them into the sheet's XML itself
 * (direct-xml.ts), with the style and shared-string ids exceljs gives the same cells, so the
 * file is byte for byte what exceljs writes when the rows are its cells
 * (test/report/direct-rows.test.ts holds it to that).
 *
 * Only tables whose writer says it changes none of their data rows' cells afterwards take this
 * path (TableOptions.directRows); the workbook's passes that read cells (sanitise.ts, alignCells,
 * the print layout's row heights, the charts' caches) read these rows through the functions
 * here. SPENDRECON_DIRECT_ROWS sets from how many rows a table takes it (0: never).
 */
import type ExcelJS from 'exceljs';

/** A data cell's value as it is written: a number, a text, a date; null for an empty cell. */
export type DirectValue = number | string | Date | null;

/** What writeTable sets on its data rows' cells: through exceljs (excelCells) or into the direct rows. */
export interface DataRowCells {
  /** A cell's value and its number format (none: the cell has none). */
  value(row: number, col: number, v: Exclude<DirectValue, null>, numFmt: string | undefined): void;
  /** A cell's alignment; the cell exists from then on, value or not. */
  alignment(row: number, col: number, a: Partial<ExcelJS.Alignment>): void;
  height(row: number, points: number): void;
}

/** The data rows' cells as exceljs cells: the path every table took before. */
export function excelCells(ws: ExcelJS.Worksheet): DataRowCells {
  return {
    value: (row, col, v, numFmt) => {
      const cell = ws.getRow(row).getCell(col);
      cell.value = v;
      if (numFmt !== undefined) cell.numFmt = numFmt;
    },
    alignment: (row, col, a) => {
      ws.getRow(row).getCell(col).alignment = a;
    },
    height: (row, points) => {
      ws.getRow(row).height = points;
    },
  };
}

/** Rows firstRow..lastRow, columns 1..width of one table: each cell's value, format and alignment, flat by row. */
export class DirectRows implements DataRowCells {
  readonly values: DirectValue[];
  readonly formats: (string | undefined)[];
  readonly aligns: (Partial<ExcelJS.Alignment> | undefined)[];
  /** A cell exists (it has a value or was given a style): it counts in its row's span, and is written when styled. */
  readonly present: Uint8Array;
  /** Row heights in points (index: row − firstRow); undefined: the default height. */
  readonly heights: (number | undefined)[];
  readonly lastRow: number;

  constructor(
    readonly firstRow: number,
    rowCount: number,
    readonly width: number,
  ) {
    const n = rowCount * width;
    this.values = new Array<DirectValue>(n).fill(null);
    this.formats = new Array<string | undefined>(n).fill(undefined);
    this.aligns = new Array<Partial<ExcelJS.Alignment> | undefined>(n).fill(undefined);
    this.present = new Uint8Array(n);
    this.heights = new Array<number | undefined>(rowCount).fill(undefined);
    this.lastRow = firstRow + rowCount - 1;
  }

  /** The flat index of a cell of these rows. */
  at(row: number, col: number): number {
    return (row - this.firstRow) * this.width + col - 1;
  }

  value(row: number, col: number, v: Exclude<DirectValue, null>, numFmt: string | undefined): void {
    const k = this.at(row, col);
    this.values[k] = v;
    this.formats[k] = numFmt;
    this.present[k] = 1;
  }

  alignment(row: number, col: number, a: Partial<ExcelJS.Alignment>): void {
    const k = this.at(row, col);
    this.aligns[k] = a;
    this.present[k] = 1;
  }

  height(row: number, points: number): void {
    this.heights[row - this.firstRow] = points;
  }

  /** Each cell with a value given `fix`'s value instead (the final pass: text made safe, numbers checked). */
  fixValues(fix: (v: Exclude<DirectValue, null>, row: number, col: number) => Exclude<DirectValue, null>): void {
    for (let k = 0; k < this.values.length; k++) {
      const v = this.values[k];
      if (v !== null && v !== undefined) this.values[k] = fix(v, this.firstRow + Math.floor(k / this.width), (k % this.width) + 1);
    }
  }
}

const DIRECT = new WeakMap<ExcelJS.Worksheet, DirectRows[]>();

/** Below this many rows a table's cells stay exceljs's (SPENDRECON_DIRECT_ROWS: another count; 0: every table's do so). */
const DEFAULT_MIN_ROWS = 100;

function minRows(): number {
  const set = process.env.SPENDRECON_DIRECT_ROWS;
  if (set === undefined || set === '') return DEFAULT_MIN_ROWS;
  const n = Number(set);
  return Number.isInteger(n) && n >= 0 ? (n === 0 ? Number.POSITIVE_INFINITY : n) : DEFAULT_MIN_ROWS;
}

const hasStyle = (style: Partial<ExcelJS.Style> | undefined) => style !== undefined && Object.keys(style).length > 0;
/** A row's own style (exceljs keeps one on every row; its typings do not show it). */
export const styleOfRow = (row: ExcelJS.Row) => (row as unknown as { style?: Partial<ExcelJS.Style> }).style;

/**
 * Direct rows for a table's data rows firstRow.. (count rows, `width` columns), registered on the
 * sheet; null when the table is too small, or when a column or one of the rows already has a
 * style or cells (exceljs would merge them into the new cells: those rows stay its cells).
 */
export function startDirectRows(ws: ExcelJS.Worksheet, firstRow: number, count: number, width: number): DirectRows | null {
  if (count === 0 || count < minRows()) return null;
  for (let c = 1; c <= width; c++) if (hasStyle(ws.getColumn(c).style)) return null;
  for (let r = firstRow; r < firstRow + count; r++) {
    const row = ws.findRow(r);
    if (row && (row.cellCount > 0 || row.height !== undefined || hasStyle(styleOfRow(row)))) return null;
  }
  const d = new DirectRows(firstRow, count, width);
  DIRECT.set(ws, [...(DIRECT.get(ws) ?? []), d]);
  return d;
}

/** The direct rows of a sheet, top to bottom as written. */
export function directRowsOf(ws: ExcelJS.Worksheet): readonly DirectRows[] {
  return DIRECT.get(ws) ?? [];
}

/** The direct rows holding row `row` of the sheet, if any. */
export function directRowsAt(ws: ExcelJS.Worksheet, row: number): DirectRows | undefined {
  return DIRECT.get(ws)?.find((d) => row >= d.firstRow && row <= d.lastRow);
}

/** A row's height in points, whether its cells are exceljs's or direct; undefined: the default. */
export function rowHeight(ws: ExcelJS.Worksheet, row: number): number | undefined {
  const d = directRowsAt(ws, row);
  return d ? d.heights[row - d.firstRow] : ws.getRow(row).height;
}

/** A cell's value and number format, whether it is exceljs's or direct (the charts' caches read them). */
export function cellContent(ws: ExcelJS.Worksheet, row: number, col: number): { value: ExcelJS.CellValue; numFmt: string | undefined } {
  const d = directRowsAt(ws, row);
  if (d && col <= d.width) {
    const k = d.at(row, col);
    return { value: d.values[k] ?? null, numFmt: d.formats[k] };
  }
  if (d) return { value: null, numFmt: undefined };
  const cell = ws.getRow(row).getCell(col);
  return { value: cell.value, numFmt: cell.numFmt };
}
