/** exceljs's Workbook class is loaded once, by loadExcelJs (which a caller may call early) or by the first workbook. */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { loadExcelJs, newWorkbook, workbookBytes } from '../../src/report/workbook.js';

const DIST = join(import.meta.dirname, '..', '..', 'dist');
const require = createRequire(import.meta.url);

describe('loadExcelJs', () => {
  it('gives the one Workbook class newWorkbook makes workbooks of', () => {
    const Workbook = loadExcelJs();
    expect(loadExcelJs()).toBe(Workbook);
    expect(newWorkbook()).toBeInstanceOf(Workbook);
  });

  it("the one-file build of exceljs's Workbook (bin/bundle.mjs) writes the very bytes exceljs's own files write", async () => {
    const version = (require('exceljs/package.json') as { version: string }).version;
    const built = readdirSync(DIST).find((f) => f === `exceljs-${version}-workbook.cjs`);
    expect(built, 'npm test builds dist/ first').toBeDefined();
    const classes = [require(join(DIST, built!)), require('exceljs/lib/doc/workbook.js')] as (typeof ExcelJS.Workbook)[];
    expect(classes[0]).not.toBe(classes[1]);
    const bytes = await Promise.all(
      classes.map((Workbook) => {
        const wb = new Workbook();
        wb.created = wb.modified = new Date('2000-01-01T00:00:00Z');
        const ws = wb.addWorksheet('Sheet & more', { pageSetup: { orientation: 'landscape', fitToPage: true }, views: [{ state: 'frozen', ySplit: 1 }] });
        ws.columns = [{ width: 14 }, { width: 22 }, { width: 12 }];
        ws.addRow(['date', 'text', 'money']).font = { bold: true };
        ws.addRow([new Date('2026-10-05T00:00:00Z'), 'Support bot — 支持', 12.34]);
        ws.addRow([new Date('2026-10-06T00:00:00Z'), '=looks like a formula', -0.5]);
        ws.getCell('C2').numFmt = '#,##0.00 "USD"';
        ws.getCell('C4').value = { formula: 'SUM(C2:C3)', result: 11.84 };
        ws.mergeCells('A6:B6');
        ws.getCell('A6').value = 'merged';
        ws.autoFilter = 'A1:C3';
        wb.addWorksheet('Second').getCell('B2').value = 42;
        return workbookBytes(wb);
      }),
    );
    expect(bytes[0]!.length).toBeGreaterThan(1000);
    expect(bytes[0]!.equals(bytes[1]!)).toBe(true);
  });
});
