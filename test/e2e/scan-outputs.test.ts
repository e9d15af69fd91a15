/**
 * Folder scans read .xlsx files now (statements saved as Excel). A workbook spendrecon itself
 * wrote, met in a scanned folder, is its output, not an input: an info line, not an error; any
 * other workbook no reader recognises is still an error (its money would be missing).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const fx = (p: string) => join(ROOT, 'fixtures', p);
type Ex = { severity: string; message: string; subject?: string; refs?: { file: string }[] };

describe('a scanned folder with workbooks in it', () => {
  it("leaves spendrecon's own workbook out with an info line; an unknown workbook is an error", async () => {
    const d = mkdtempSync(join(tmpdir(), 'spendrecon-scan-'));
    copyFileSync(fx('openai/completions_usage_2026-10-01_2026-10-31.csv'), join(d, 'usage.csv'));
    copyFileSync(fx('openai/cost_2026-10-01_2026-10-31.csv'), join(d, 'cost.csv'));
    const args = ['report', '--usage', d, '--costs', d, '--tz', 'UTC', '--json'];
    const first = await cli([...args, '--out', join(d, 'last-month.xlsx')], d);
    expect(first.code).toBe(0);
    const second = await cli([...args, '--out', join(tmpdir(), `spendrecon-scan-${process.pid}.xlsx`)], d);
    expect(second.code).toBe(0);
    const exceptions = (JSON.parse(second.stdout) as { exceptions: Ex[] }).exceptions;
    const aboutWorkbook = exceptions.filter((e) => JSON.stringify(e).includes('last-month.xlsx'));
    expect(aboutWorkbook.map((e) => [e.severity, e.message])).toEqual([['info', 'a workbook spendrecon wrote (an output, not an input); left out']]);
    expect(exceptions.filter((e) => e.severity === 'error')).toEqual([]);

    // someone else's workbook that no reader knows: an error, as an unknown CSV is
    const zip = await JSZip.loadAsync(readFileSync(fx('statements/real/es-bbva-movimientos.xlsx')));
    const strings = await zip.file('xl/sharedStrings.xml')!.async('string');
    zip.file('xl/sharedStrings.xml', strings.replace(/>Fecha</g, '>Mes<').replace(/>Importe</g, '>Presupuesto<'));
    writeFileSync(join(d, 'budget.xlsx'), await zip.generateAsync({ type: 'nodebuffer' }));
    const third = await cli([...args, '--out', join(tmpdir(), `spendrecon-scan3-${process.pid}.xlsx`)], d);
    const errors = (JSON.parse(third.stdout) as { exceptions: Ex[] }).exceptions.filter((e) => e.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual(['not recognised as any input format; the whole file is left out']);
    expect(JSON.stringify(errors)).toContain('budget.xlsx');
  });
});
