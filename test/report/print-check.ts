/**
 * The print scale a sheet gets from its settings, column widths and row heights, read back from
 * the file: the visible columns over the pages across it is fitted to (the first column repeated
 * on each when there is more than one), and, fitted to a number of pages tall, its rows over
 * those pages (a row without a height counted at Excel's 15 pt), as Excel and LibreOffice compute it.
 */
import type ExcelJS from 'exceljs';
import { columnPixels, printableHeightPoints, printablePixels } from '../../src/report/workbook.js';

const orientationOf = (ws: ExcelJS.Worksheet) => (ws.pageSetup.orientation === 'portrait' ? 'portrait' : 'landscape');

function widthScale(ws: ExcelJS.Worksheet): number {
  const widths: number[] = [];
  for (let i = 1; i <= ws.columnCount; i++) if (!ws.getColumn(i).hidden) widths.push(ws.getColumn(i).width ?? 9);
  const total = widths.reduce((a, w) => a + columnPixels(w), 0);
  const pages = ws.pageSetup.fitToWidth ?? 1;
  const repeated = pages > 1 && ws.pageSetup.printTitlesColumn ? columnPixels(widths[0]!) * (pages - 1) : 0;
  return Math.min(1, (printablePixels(orientationOf(ws)) * pages) / (total + repeated));
}

/** Points of rows 1..rowCount as printed. */
function sheetHeightPoints(ws: ExcelJS.Worksheet): number {
  let h = 0;
  for (let r = 1; r <= ws.rowCount; r++) h += ws.getRow(r).height ?? 15;
  return h;
}

export function printScale(ws: ExcelJS.Worksheet): number {
  const tall = ws.pageSetup.fitToHeight ?? 0;
  const byHeight = tall > 0 ? (printableHeightPoints(orientationOf(ws)) * tall) / sheetHeightPoints(ws) : 1;
  return Math.min(widthScale(ws), byHeight);
}
