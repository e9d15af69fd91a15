/**
 * The direct rows (direct-rows.ts) written into the sheets exceljs writes, by workbook.ts
 * excelParts around exceljs 4.4's writer steps. Before XLSX.prepareModel each table gets one
 * marker row in its sheet's model; when exceljs's prepare reaches it, in sheet and row order,
 * the table's cells take their style and shared-string ids from exceljs's own registries, as
 * its cells there would. After it the rows are rendered here (row texts written as bytes instead of exceljs's
 * XML stream, ~20 µs a cell) and replace the marker row, left empty, in the written part.
 *
 * exceljs internals used (its version is pinned by package-lock; test/report/direct-rows.test.ts
 * holds every part to what exceljs writes when the rows are its cells, byte for byte):
 * - the workbook model's `worksheets[]` (Worksheet.model): `id`, `rows` (Row.model: number,
 *   cells, min, max, height) and `dimensions` (a Range, expanded row by row);
 * - prepareModel putting `styles` (StylesXform.addStyleModel(style, ValueType)) and
 *   `sharedStrings` (SharedStringsXform.add) on the model before it prepares the sheets, and
 *   RowXform.prepare calling `cells.forEach` after its row's style;
 * - what RowXform and CellXform render for a row of number, text, date and empty cells.
 */
import type ExcelJS from 'exceljs';
import { cached } from '../lists.js';
import { type DirectRows, type DirectValue, directRowsOf, styleOfRow } from './direct-rows.js';
import { columnLetter } from './table.js';
import type { Parts } from './zip.js';

/** exceljs ValueType numbers. */
const NULL = 0;
const NUMBER = 2;
const STRING = 3;
const DATE = 4;

interface RowModel {
  cells: { forEach(f: (cell: never) => void): void } | never[];
  number: number;
  min: number;
  max: number;
  height?: number;
  style?: object;
}

interface Dimensions {
  expand(top: number, left: number, bottom: number, right: number): void;
}

interface SheetModel {
  id: number;
  rows: RowModel[];
  dimensions: Dimensions;
}

/** exceljs's styles manager and shared strings (StylesXform, SharedStringsXform), as prepareModel puts them on the model. */
interface Registries {
  styles: { addStyleModel(style: object | undefined, type?: number): number };
  sharedStrings: { add(text: string): number };
  properties: { date1904?: boolean };
}

/** The part of exceljs's workbook model (Workbook.model) the direct rows go into. */
export type WorkbookModel = Partial<Registries> & { worksheets: SheetModel[]; properties: { date1904?: boolean } };

/** One style object per kind of cell (type, format, alignment): exceljs's styles manager then works a style out once, as for shared styles. */
class CellStyles {
  private readonly byKey = new Map<string, Partial<ExcelJS.Style>>();
  private readonly alignIds = new Map<object, number>();

  of(type: number, numFmt: string | undefined, alignment: Partial<ExcelJS.Alignment> | undefined): Partial<ExcelJS.Style> {
    const a = alignment ? cached(this.alignIds, alignment, () => this.alignIds.size) : -1;
    // the type too: exceljs works out a missing number format from the type of the first cell with the style
    return cached(this.byKey, `${type}|${a}|${numFmt ?? ''}`, () => ({
      ...(numFmt !== undefined ? { numFmt } : {}),
      ...(alignment ? { alignment } : {}),
    }));
  }
}

const typeOf = (v: DirectValue) => (v === null ? NULL : typeof v === 'number' ? NUMBER : typeof v === 'string' ? STRING : DATE);

/** A direct table in its sheet's model: the marker row standing for it, and its cells' ids once exceljs's prepare has reached it. */
class Pending {
  /** First and last column of each row's cells (Row.model's min and max); 0 for a row without cells. */
  readonly min: Int32Array;
  readonly max: Int32Array;
  readonly styleIds: Int32Array;
  readonly ssIds: Int32Array;
  readonly marker: RowModel;
  date1904 = false;
  prepared = false;

  constructor(
    readonly sheet: SheetModel,
    readonly d: DirectRows,
  ) {
    const rows = d.heights.length;
    this.min = new Int32Array(rows);
    this.max = new Int32Array(rows);
    for (let r = 0; r < rows; r++)
      for (let i = 0; i < d.width; i++) {
        if (!d.present[r * d.width + i]) continue;
        if (!this.min[r]) this.min[r] = i + 1;
        this.max[r] = i + 1;
      }
    this.styleIds = new Int32Array(d.values.length);
    this.ssIds = new Int32Array(d.values.length);
    this.marker = { cells: [], number: d.firstRow, min: 0, max: 0 };
  }

  /** Whether row r (0-based) is in the sheet: Row.model gives none for a row with neither cells nor a height. */
  has(r: number): boolean {
    return this.min[r]! > 0 || !!this.d.heights[r];
  }
}

/**
 * What CellXform.prepare does for each of the table's cells, in its order, where exceljs's
 * prepare meets the marker row (RowXform.prepare: the row's style, then each cell): the style's
 * id and, for a text, its shared string's.
 */
function prepare(p: Pending, model: WorkbookModel, styles: CellStyles): void {
  const { styles: manager, sharedStrings, properties } = model as Registries;
  const { d } = p;
  // a cell like the one above it in kind takes its id without a second look-up (the manager would find the same object)
  const last = Array.from({ length: d.width }, () => ({ type: -1, numFmt: '' as string | undefined, align: undefined as object | undefined, id: 0 }));
  for (let r = 0; r < d.heights.length; r++) {
    // RowXform.prepare gives each row's own style ({}) to the manager first: the table's header row did, for the first time, already
    if (!p.has(r)) continue;
    for (let i = 0; i < d.width; i++) {
      const k = r * d.width + i;
      if (!d.present[k]) continue;
      const v = d.values[k]!;
      const type = typeOf(v);
      const seen = last[i]!;
      if (seen.type !== type || seen.numFmt !== d.formats[k] || seen.align !== d.aligns[k]) {
        Object.assign(seen, { type, numFmt: d.formats[k], align: d.aligns[k] });
        seen.id = manager.addStyleModel(styles.of(type, d.formats[k], d.aligns[k]), type);
      }
      p.styleIds[k] = seen.id;
      if (type === STRING) p.ssIds[k] = sharedStrings.add(v as string);
    }
  }
  p.date1904 = !!properties.date1904;
  p.prepared = true;
}

/** No exceljs row, row style or column style where the direct rows are: exceljs would have merged it into their cells. */
function checkUntouched(ws: ExcelJS.Worksheet, sheet: SheetModel, d: DirectRows): void {
  const touched = (r: number) => {
    const row = ws.findRow(r);
    return row !== undefined && (row.cellCount > 0 || row.height !== undefined || Object.keys(styleOfRow(row) ?? {}).length > 0);
  };
  const clash =
    sheet.rows.find((r) => r.number >= d.firstRow && r.number <= d.lastRow)?.number ?? Array.from({ length: d.lastRow - d.firstRow + 1 }, (_, i) => d.firstRow + i).find(touched);
  if (clash !== undefined) throw new Error(`internal: sheet "${ws.name}" row ${clash} holds direct rows (table.ts directRows): its cells cannot be set through exceljs`);
  for (let c = 1; c <= d.width; c++)
    if (Object.keys(ws.getColumn(c).style ?? {}).length) throw new Error(`internal: sheet "${ws.name}" column ${c} has a style over direct rows (table.ts directRows)`);
}

/** The sheet's dimensions over all its rows, exactly as Worksheet.model works them out (Range.expand is not order-free for rows without cells). */
function dimensions(sheet: SheetModel, markers: ReadonlyMap<RowModel, Pending>): Dimensions {
  const dims = new (sheet.dimensions.constructor as new () => Dimensions)();
  for (const row of sheet.rows) {
    const p = markers.get(row);
    if (!p) dims.expand(row.number, row.min, row.number, row.max);
    else for (let r = 0; r < p.d.heights.length; r++) if (p.has(r)) dims.expand(p.d.firstRow + r, p.min[r]!, p.d.firstRow + r, p.max[r]!);
  }
  return dims;
}

/**
 * Before XLSX.prepareModel: a marker row for each direct table in its sheet's model, whose cells
 * exceljs's prepare hands to `prepare` (they stand for the table's cells), the sheet's dimensions
 * worked out again over all its rows.
 */
export function insertDirectRows(wb: ExcelJS.Workbook, model: WorkbookModel): Pending[] {
  const pending: Pending[] = [];
  const styles = new CellStyles();
  for (const ws of wb.worksheets) {
    const tables = directRowsOf(ws);
    if (tables.length === 0) continue;
    const sheet = model.worksheets.find((m) => m.id === ws.id);
    if (!sheet) throw new Error(`internal: sheet "${ws.name}" is not in the workbook's model`);
    const markers = new Map<RowModel, Pending>();
    for (const d of tables) {
      checkUntouched(ws, sheet, d);
      const p = new Pending(sheet, d);
      p.marker.cells = { forEach: () => prepare(p, model, styles) };
      markers.set(p.marker, p);
      pending.push(p);
    }
    sheet.rows = [...sheet.rows, ...markers.keys()].sort((a, b) => a.number - b.number);
    sheet.dimensions = dimensions(sheet, markers);
  }
  return pending;
}

/** A cell as CellXform renders it: number, shared text, date, or an empty cell with a style. */
function cellXml(p: Pending, k: number, address: string): string {
  const v = p.d.values[k]!;
  const s = p.styleIds[k] ? ` s="${p.styleIds[k]}"` : '';
  if (v === null) return s ? `<c r="${address}"${s}/>` : '';
  if (typeof v === 'number') return `<c r="${address}"${s}><v>${v}</v></c>`;
  if (typeof v === 'string') return `<c r="${address}"${s} t="s"><v>${p.ssIds[k]}</v></c>`;
  // utils.dateToExcel, operation for operation
  return `<c r="${address}"${s}><v>${25569 + v.getTime() / (24 * 3600 * 1000) - (p.date1904 ? 1462 : 0)}</v></c>`;
}

/**
 * ASCII text into a growing buffer. A sheet's rows joined as one string (`+=`) were a rope of
 * a few hundred thousand pieces that lived until the zip read it, and each young-generation
 * collection copied them (~40 ms of the 1M-row report's main thread); a row's text written here
 * dies young.
 */
class AsciiBytes {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private n = 0;

  write(text: string): void {
    if (this.n + text.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.n + text.length));
      this.buf.copy(bigger, 0, 0, this.n);
      this.buf = bigger;
    }
    this.n += this.buf.write(text, this.n, 'latin1');
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.n);
  }
}

/** The table's rows as RowXform renders them: ASCII only (numbers, cell addresses, style and shared-string ids). */
function tableXml(p: Pending): Buffer {
  const { d } = p;
  const letters = Array.from({ length: d.width }, (_, i) => columnLetter(i + 1));
  const out = new AsciiBytes();
  for (let r = 0; r < d.heights.length; r++) {
    if (!p.has(r)) continue;
    const number = d.firstRow + r;
    const height = d.heights[r];
    let row = `<row r="${number}"`;
    if (height) row += ` ht="${height}" customHeight="1"`;
    if (p.min[r]! > 0) row += ` spans="${p.min[r]}:${p.max[r]}"`;
    row += ' x14ac:dyDescent="0.25"';
    let cells = '';
    for (let i = 0; i < d.width; i++) if (d.present[r * d.width + i]) cells += cellXml(p, r * d.width + i, `${letters[i]}${number}`);
    out.write(cells ? `${row}>${cells}</row>` : `${row}/>`);
  }
  return out.bytes();
}

/** Rendered rows and the marker row in a sheet part they replace. */
export interface Splice {
  part: string;
  marker: string;
  xml: Buffer;
}

/** After XLSX.prepareModel: each table's rows rendered; its marker row left empty in the sheet's model, for spliceDirectRows to find. */
export function renderDirectRows(pending: readonly Pending[]): Splice[] {
  return pending.map((p) => {
    if (!p.prepared) throw new Error('internal: exceljs did not prepare the direct rows (its writer is not the one direct-xml.ts was written for)');
    p.marker.cells = [];
    return { part: `xl/worksheets/sheet${p.sheet.id}.xml`, marker: `<row r="${p.marker.number}" x14ac:dyDescent="0.25"/>`, xml: tableXml(p) };
  });
}

/** The rendered rows into the written sheet parts, each where its marker row is (the parts with rows become bytes). */
export function spliceDirectRows(parts: Parts, splices: readonly Splice[]): void {
  for (const { part, marker, xml } of splices) {
    const content = parts.get(part);
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const at = bytes ? bytes.indexOf(marker) : -1;
    if (!bytes || at < 0 || bytes.indexOf(marker, at + 1) >= 0) throw new Error(`internal: ${part} has no single place for its direct rows`);
    parts.set(part, Buffer.concat([bytes.subarray(0, at), xml, bytes.subarray(at + Buffer.byteLength(marker))]));
  }
}
