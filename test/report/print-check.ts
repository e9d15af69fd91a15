/**
 * The print scale a sheet gets from its settings and column widths, read back from the file:
 * the visible columns over the pages across it is fitted to (the first column repeated on each
 * when there is more than one), as Excel and LibreOffice compute it.
 */
import type ExcelJS from 'exceljs';
import { columnPixels, printablePixels } from '../../src/report/workbook.js';

export function printScale(ws: ExcelJS.Worksheet): number {
  const widths: number[] = [];
  for (let i = 1; i <= ws.columnCount; i++) if (!ws.getColumn(i).hidden) widths.push(ws.getColumn(i).width ?? 9);
  const total = widths.reduce((a, w) => a + columnPixels(w), 0);
  const pages = ws.pageSetup.fitToWidth ?? 1;
  const repeated = pages > 1 && ws.pageSetup.printTitlesColumn ? columnPixels(widths[0]!) * (pages - 1) : 0;
  const page = printablePixels(ws.pageSetup.orientation === 'portrait' ? 'portrait' : 'landscape');
  return Math.min(1, (page * pages) / (total + repeated));
}
