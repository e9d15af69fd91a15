/**
 * workbookBytes gives cells with equal styles one style object (shareStyles). exceljs caches
 * a style's XML by object and works out a missing number format from the first cell's type,
 * so a date cell must not share the object of a number cell with the same (empty) style.
 */
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { addSheet, newWorkbook, workbookBytes } from '../../src/report/workbook.js';

async function numFmtIdOf(bytes: Buffer, ref: string): Promise<string | undefined> {
  const zip = await JSZip.loadAsync(bytes);
  const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  const styles = await zip.file('xl/styles.xml')!.async('string');
  const s = Number(new RegExp(`<c r="${ref}"(?: s="(\\d+)")?`).exec(sheet)?.[1] ?? '0');
  const xfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)![1]!;
  return [...xfs.matchAll(/<xf [^>]*?numFmtId="(\d+)"/g)][s]?.[1];
}

describe('shared styles keep what each cell shows', () => {
  it('a date cell after a number cell with the same style still shows a date', async () => {
    const wb = newWorkbook();
    const ws = addSheet(wb, 'S');
    ws.getCell('A1').value = 5;
    ws.getCell('A2').value = new Date('2026-10-17T00:00:00Z');
    const id = await numFmtIdOf(await workbookBytes(wb), 'A2');
    // 14: exceljs's default date format (mm-dd-yy), as the cell gets when it has a style of its own
    expect(id).toBe('14');
  });

  it('equal styles of cells of one type still share (the speed-up stays)', async () => {
    const wb = newWorkbook();
    const ws = addSheet(wb, 'S');
    for (let r = 1; r <= 3; r++) {
      const c = ws.getCell(`A${r}`);
      c.value = r;
      c.numFmt = '0.00';
    }
    await workbookBytes(wb);
    expect(ws.getCell('A1').style).toBe(ws.getCell('A3').style);
  });
});
