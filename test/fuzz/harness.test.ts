/**
 * The fuzz harness's own checks, on hand-made runs: a correct run passes, and each kind of
 * broken run is caught — so a green fuzz run means the tool is right, not the harness blind.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRun } from './checks.js';
import { parseCsv } from './csv-text.js';
import { parseExact, showExact } from './exact.js';
import { countCsvMoney } from './money-count.js';
import { placeVariant, type Placed, type RunResult } from './run.js';
import type { Variant } from './variants.js';

const scratch = mkdtempSync(join(tmpdir(), 'spendrecon-fuzz-self-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const HEADER = 'start_time,end_time,amount_value,amount_currency,line_item';
const COST = `${HEADER}\n1790812800,1790899200,0.10,usd,a\n1790812800,1790899200,0.25,usd,b\n`;
const KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd';

let n = 0;
/** A variant on a two-row cost export, with the workbook a run would have written (a zip). */
async function placed(): Promise<Placed> {
  const v: Variant = {
    index: n++,
    kind: 'self-test',
    note: '',
    files: [{ path: 'cost.csv', bytes: Buffer.from(COST), money: 'csv' }],
    args: ['report', '--costs', '@in/cost.csv', '--json', '--out', '@out/report.xlsx'],
    keys: [{ key: KEY, glued: false }],
    runner: 'worker',
  };
  const p = placeVariant(v, scratch);
  const zip = new JSZip().file('xl/workbook.xml', '<workbook/>');
  writeFileSync(join(p.outDir, 'report.xlsx'), await zip.generateAsync({ type: 'nodebuffer' }));
  return p;
}

/** The stdout of a correct run: the file on inputs, one equation whose read side is 0.35. */
function goodStdout(p: Placed, left = '0.35', holds = true, perFile = true): string {
  const file = join(p.inDir, 'cost.csv');
  return JSON.stringify({
    totals: { costExport: '0.35', rejectedAmount: '0' },
    inputs: [{ file, format: 'openai-costs-csv' }],
    conservation: { holds, equations: [{ name: 'cost rows read', file: perFile ? file : null, currency: 'USD', left, right: left, holds }] },
  });
}

const ok = (stdout: string, stderr = ''): RunResult => ({ code: 0, stdout, stderr, crash: null });
const classes = async (p: Placed, r: RunResult) => (await checkRun(p, r)).map((f) => f.cls);

describe('fuzz harness', () => {
  it('counts money exactly, in every reading a reader may take', () => {
    expect(showExact(parseExact('1e3')!)).toBe('1000');
    expect(parseExact('0x1F')).toBeNull();
    expect(parseCsv('a,b\r\nc,"d\ne"\nf,g')).toEqual([
      ['a', 'b'],
      ['c', 'd\ne'],
      ['f', 'g'],
    ]);
    const readings = countCsvMoney(Buffer.from(`${COST}1790812800,1790899200,1e2\n${HEADER}\n1,2,0.05,usd,c\n`));
    expect(readings.map((r) => showExact(r.sum))).toEqual(['100.4', '0.4']);
  });

  it('passes a correct run', async () => {
    const p = await placed();
    expect(await checkRun(p, ok(goodStdout(p)))).toEqual([]);
    expect(await checkRun(p, ok(goodStdout(p, '0.35', true, false)))).toEqual([]); // equations for the run as a whole
  });

  it('catches a cent lost, a false "holds", a missing section, a stack, a key, a bad exit', async () => {
    const p = await placed();
    expect(await classes(p, ok(goodStdout(p, '0.34')))).toEqual(['money read ≠ money the input holds']);
    expect(await classes(p, ok(goodStdout(p, '0.36', true, false)))).toEqual(['money read ≠ money the input holds']);
    expect(await classes(p, ok(goodStdout(p, '0.35', false)))).toEqual(['conservation does not hold', 'conservation equation fails']);
    expect(await classes(p, ok(JSON.stringify({ inputs: [{ file: join(p.inDir, 'cost.csv'), format: 'openai-costs-csv' }] })))).toEqual(['conservation section missing']);
    expect(await classes(p, ok(goodStdout(p), 'oops\n    at main (file:///x/cli.js:1:2)\n'))).toEqual(['stack trace or internal error shown']);
    expect(await classes(p, ok(goodStdout(p), `project ${KEY.slice(0, 30)}`))).toEqual(['planted key in output']);
    expect(await classes(p, ok(goodStdout(p), 'name \x1b[2J'))).toEqual(['raw control character / terminal escape on stdio']);
    expect(await classes(p, { code: 3, stdout: '', stderr: 'x', crash: null })).toEqual(['exit code not 0, 1 or 2']);
    expect(await classes(p, { code: 2, stdout: '', stderr: 'spendrecon: bad input\n', crash: null })).toEqual(['exit 2 message names no input file']);
    expect(await classes(p, { code: 2, stdout: '', stderr: `spendrecon: ${p.inDir}/cost.csv, line 3: bad\n`, crash: null })).toEqual([]);
    expect(await classes(p, ok(JSON.stringify({ inputs: [] })))).toContain('input file silently skipped (not on inputs)');
  });
});
