/**
 * The `Breakdown` sheet: billed money by project, by model, by API key and by user (SPEC §4.1),
 * four tables stacked on one sheet, each under its own title and header. Apart, a month of a
 * few projects printed four near-empty pages; together they share a page when they fit
 * (sheet-layout.ts paginateStack), and no header repeats over a table it does not head.
 */
import type ExcelJS from 'exceljs';
import type { Summaries } from '../../engine/summaries.js';
import { applyWidths, maxWidths, paginateStack, snapshotWidths, type StackedBlock } from '../sheet-layout.js';
import { HEADER_FONT, wrappedLines, type WrittenTable } from '../table.js';
import { BY_KEY, writeByKey } from './by-key.js';
import { BY_MODEL, writeByModel } from './by-model.js';
import { BY_PROJECT, writeByProject } from './by-project.js';
import { BY_USER, writeByUser } from './by-user.js';

export const BREAKDOWN = 'Breakdown';

/** Blank rows between tables. */
const GAP = 1;
const TITLE_HEIGHT = 18;

/** A written table of the sheet, by its title (= the table names Summary and the README use). */
export type BreakdownTables = Record<typeof BY_PROJECT | typeof BY_MODEL | typeof BY_KEY | typeof BY_USER, WrittenTable>;

function title(ws: ExcelJS.Worksheet, row: number, text: string): void {
  const r = ws.getRow(row);
  r.getCell(1).value = text;
  r.getCell(1).font = { ...HEADER_FONT, size: 12 };
  r.height = TITLE_HEIGHT;
}

/**
 * Header rows at the sheet's final widths (each table sized its own for narrower columns): as
 * tall as their wrapped text, and a figure's header right-aligned over its figures, which a
 * column widened for another table's text would otherwise leave far from it.
 */
function refitHeaders(ws: ExcelJS.Worksheet, tables: readonly WrittenTable[]): void {
  for (const t of tables) {
    const header = ws.getRow(t.headerRow);
    let lines = 1;
    header.eachCell((cell, col) => {
      lines = Math.max(lines, wrappedLines(String(cell.value), ws.getColumn(col).width ?? 9));
      if (holdsFigures(ws, t, col)) cell.alignment = { ...cell.alignment, horizontal: 'right' };
    });
    header.height = 15 * lines;
  }
}

function holdsFigures(ws: ExcelJS.Worksheet, t: WrittenTable, col: number): boolean {
  for (let r = t.firstDataRow; r <= t.lastDataRow; r++) {
    const v = ws.getRow(r).getCell(col).value;
    if (v !== null && v !== undefined) return typeof v === 'number';
  }
  return false;
}

export function writeBreakdown(ws: ExcelJS.Worksheet, s: Summaries, currency: string): BreakdownTables {
  const writers: [keyof BreakdownTables, (row: number) => WrittenTable][] = [
    [BY_PROJECT, (row) => writeByProject(ws, s.byProject, currency, row)],
    [BY_MODEL, (row) => writeByModel(ws, s.byModel, currency, row)],
    [BY_KEY, (row) => writeByKey(ws, s.byKey, currency, row)],
    [BY_USER, (row) => writeByUser(ws, s.byUser, currency, row)],
  ];
  const tables = {} as BreakdownTables;
  const widths: number[][] = [];
  const blocks: StackedBlock[] = [];
  let row = 1;
  for (const [name, write] of writers) {
    title(ws, row, name);
    const t = write(row + 1);
    tables[name] = t;
    widths.push(snapshotWidths(ws, ws.columnCount));
    const end = t.totalsRow ?? t.lastDataRow;
    blocks.push({ firstRow: row, lastRow: end });
    row = end + 1 + GAP;
  }
  // each table set the widths, frozen header, filter and printed title row for itself alone
  applyWidths(ws, maxWidths(widths));
  refitHeaders(ws, Object.values(tables));
  delete (ws.pageSetup as { printTitlesRow?: string }).printTitlesRow;
  ws.views = [{ state: 'normal' }];
  ws.autoFilter = undefined as unknown as string;
  paginateStack(ws, blocks);
  return tables;
}
