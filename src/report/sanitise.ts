/**
 * The last pass over a workbook before it is serialised (both workbooks go through
 * workbookBytes): whatever a sheet module wrote, no secret, no control character, no text over
 * Excel's limits and no non-finite number reaches the file. One place, so no sheet can forget it.
 */
import type ExcelJS from 'exceljs';
import { cellText, redactSecrets, terminalText } from '../redact.js';
import { cached } from '../lists.js';
import { CellValueError } from './cells.js';
import { type DirectRows, directRowsOf } from './direct-rows.js';
import { columnLetter } from './table.js';

/** Excel's limits on a formula's length and on one text literal inside it. */
const FORMULA_MAX = 8192;
const FORMULA_LITERAL_MAX = 255;

const ROW_HEIGHT_MAX = 409;

/** exceljs ValueType numbers (the enum is not exported as a type-only import). */
const MERGE = 1;
const FORMULA = 6;

/** Values compare by content: the fixers build new objects even when nothing changed. */
function sameValue(a: ExcelJS.CellValue, b: ExcelJS.CellValue): boolean {
  return a === b || (typeof a === 'object' && typeof b === 'object' && !(a instanceof Date) && JSON.stringify(a) === JSON.stringify(b));
}

/** A formula's text with secrets and control characters made safe (references keep working: sheet names get the same redaction). */
function formulaText(f: string): string {
  return terminalText(f).replace(/[\n\t]/g, ' ');
}

/** True when Excel would refuse the formula: too long, or a text literal over 255 characters. */
export function formulaTooLong(f: string): boolean {
  if (f.length > FORMULA_MAX) return true;
  for (const m of f.matchAll(/"((?:[^"]|"")*)"/g)) if (m[1]!.replace(/""/g, '"').length > FORMULA_LITERAL_MAX) return true;
  return false;
}

function checkNumber(n: number, ws: ExcelJS.Worksheet, cell: { address: string }): number {
  if (!Number.isFinite(n))
    throw new CellValueError(
      `sheet "${ws.name}", column ${cell.address.replace(/\d+$/, '')} (cell ${cell.address}): the value ${n} is not a finite number; the workbook was not written`,
    );
  return n;
}

type FormulaValue = { formula?: string; sharedFormula?: string; result?: unknown };

function fixFormula(v: FormulaValue, ws: ExcelJS.Worksheet, cell: ExcelJS.Cell): ExcelJS.CellValue {
  const result = typeof v.result === 'number' ? checkNumber(v.result, ws, cell) : typeof v.result === 'string' ? cellText(v.result) : v.result;
  if (v.formula === undefined) return { ...v, result } as ExcelJS.CellValue;
  const formula = formulaText(v.formula);
  // a formula Excel would refuse becomes its exact cached value: the file opens, the figure stands
  if (formulaTooLong(formula)) return (result ?? null) as ExcelJS.CellValue;
  return { ...v, formula, result } as ExcelJS.CellValue;
}

/** The safe form of one cell's value (same kind of value, text made safe). */
function fixValue(v: ExcelJS.CellValue, ws: ExcelJS.Worksheet, cell: ExcelJS.Cell): ExcelJS.CellValue {
  if (typeof v === 'string') return cellText(v);
  if (typeof v === 'number') return checkNumber(v, ws, cell);
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  if ('richText' in v) return { ...v, richText: v.richText.map((run) => ({ ...run, text: cellText(run.text) })) };
  if ('hyperlink' in v) return { ...v, text: cellText(v.text), hyperlink: redactSecrets(v.hyperlink), ...(v.tooltip ? { tooltip: cellText(v.tooltip) } : {}) };
  if ('formula' in v || 'sharedFormula' in v) return fixFormula(v as FormulaValue, ws, cell);
  return v;
}

function fixNote(cell: ExcelJS.Cell): void {
  const note = cell.note as string | ExcelJS.Comment | undefined;
  if (typeof note === 'string') cell.note = cellText(note);
  else if (note && Array.isArray(note.texts)) cell.note = { ...note, texts: note.texts.map((t) => ({ ...t, text: cellText(t.text) })) };
}

const HEADER_FOOTER = ['oddHeader', 'oddFooter', 'evenHeader', 'evenFooter', 'firstHeader', 'firstFooter'] as const;

function fixSheetName(ws: ExcelJS.Worksheet): void {
  const safe = redactSecrets(ws.name);
  // formulas and hyperlinks pointing here get the same redaction, so they still agree
  if (safe !== ws.name) ws.name = safe;
  if (safe.length > 31 || /[\u0000-\u001f\u007f-\u009f*?:/\\[\]]/.test(safe))
    throw new Error(`internal: sheet name "${terminalText(safe)}" is not legal in Excel (sheet names go through uniqueSheetNames)`);
}

/** The same for a table's direct rows (direct-rows.ts): they hold numbers, texts and dates only. */
function fixDirectRows(ws: ExcelJS.Worksheet, d: DirectRows): void {
  // a large table repeats its texts (projects, keys, models) row after row: each made safe once
  // (cellText is a function of the text alone); a cell's address is only spelled out for an error
  const safe = new Map<string, string>();
  d.fixValues((v, row, col) =>
    typeof v === 'string' ? cached(safe, v, cellText) : typeof v === 'number' && !Number.isFinite(v) ? checkNumber(v, ws, { address: `${columnLetter(col)}${row}` }) : v,
  );
  d.heights.forEach((h, r) => {
    if (h !== undefined && h > ROW_HEIGHT_MAX) d.heights[r] = ROW_HEIGHT_MAX;
  });
}

function fixSheet(ws: ExcelJS.Worksheet): void {
  fixSheetName(ws);
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      if ((cell.type as number) === MERGE) return;
      // a formula's value getter drops a cached 0: read its parts through the cell instead
      const v = (cell.type as number) === FORMULA ? ({ formula: cell.formula, result: cell.result } as ExcelJS.CellValue) : cell.value;
      const safe = fixValue(v, ws, cell);
      if (!sameValue(safe, v)) cell.value = safe;
      if (cell.note) fixNote(cell);
    });
  });
  // Excel refuses a row taller than 409 points (a long wrapped text asks for more)
  ws.eachRow({ includeEmpty: true }, (row) => {
    if (row.height !== undefined && row.height > ROW_HEIGHT_MAX) row.height = ROW_HEIGHT_MAX;
  });
  for (const d of directRowsOf(ws)) fixDirectRows(ws, d);
  const hf = ws.headerFooter as Record<string, string | undefined>;
  for (const k of HEADER_FOOTER) if (typeof hf[k] === 'string') hf[k] = terminalText(hf[k]!).replace(/[\n\t]/g, ' ');
}

function fixDefinedNames(wb: ExcelJS.Workbook): void {
  const names = wb.definedNames as unknown as { model: { name: string; ranges: string[] }[] };
  const model = names.model;
  const safe = model.map((d) => ({ name: redactSecrets(d.name), ranges: d.ranges.map(redactSecrets) }));
  if (JSON.stringify(safe) !== JSON.stringify(model)) names.model = safe;
}

const DOC_PROPERTIES = ['title', 'subject', 'keywords', 'category', 'description', 'company', 'manager', 'creator', 'lastModifiedBy'] as const;

/** Makes every text of the workbook safe in place; throws on a non-finite number. */
export function sanitiseWorkbook(wb: ExcelJS.Workbook): ExcelJS.Workbook {
  for (const ws of wb.worksheets) fixSheet(ws);
  fixDefinedNames(wb);
  const props = wb as unknown as Record<string, unknown>;
  for (const k of DOC_PROPERTIES) if (typeof props[k] === 'string') props[k] = terminalText(props[k] as string);
  return wb;
}
