/** exceljs's Workbook class is loaded once, by loadExcelJs (which a caller may call early) or by the first workbook. */
import { describe, expect, it } from 'vitest';
import { loadExcelJs, newWorkbook } from '../../src/report/workbook.js';

describe('loadExcelJs', () => {
  it('gives the one Workbook class newWorkbook makes workbooks of', () => {
    const Workbook = loadExcelJs();
    expect(loadExcelJs()).toBe(Workbook);
    expect(newWorkbook()).toBeInstanceOf(Workbook);
  });
});
