import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Decimal } from '../../src/money.js';
import { MIN_PRINT_SCALE } from '../../src/report/workbook.js';
import { printScale } from '../report/print-check.js';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FX = join(ROOT, 'fixtures');

async function load(path: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb;
}

let work: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'spendrecon-e2e-'));
});

describe('spendrecon demo / report', () => {
  it('writes the workbook with the documented sheets, formulas, totals and frozen headers', async () => {
    const r = await cli(['demo'], work);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/billed \(cost export\)\s+413\.22 USD/); // OpenAI 404.79 + Anthropic 8.43
    const wb = await load(join(work, 'reports', '2026-10.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Dashboard', 'Summary', 'Exceptions', 'Reconciliation', 'Ledger', 'Breakdown', 'Daily', 'Usage vs cost', 'Inputs']);

    // print settings and widths read back: no sheet prints below 60 %, a header repeats only over its own table
    for (const ws of wb.worksheets) expect(printScale(ws), ws.name).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
    expect(wb.getWorksheet('Reconciliation')!.pageSetup.fitToWidth).toBe(1); // issue #12: one page wide at 60 % or more
    expect(wb.getWorksheet('Ledger')!.pageSetup.printTitlesRow).toBeUndefined();
    const inputsSheet = wb.getWorksheet('Inputs')!;
    const shaHeader = (inputsSheet.getRow(1).values as unknown[]).indexOf('SHA-256');
    // 64 hex digits, unclipped: two wrapped lines of 32 (~1.1 widths each in Calibri), the row tall enough for both
    expect(inputsSheet.getColumn(shaHeader).width).toBeGreaterThanOrEqual(36);
    expect(inputsSheet.getRow(2).getCell(shaHeader).alignment?.wrapText).toBe(true);
    expect(inputsSheet.getRow(2).height).toBeGreaterThanOrEqual(30);
    expect(inputsSheet.pageSetup.fitToWidth).toBe(1);

    // By project is the first of the tables stacked on Breakdown: title in row 1, its header in row 2
    const byProject = wb.getWorksheet('Breakdown')!;
    expect(byProject.getRow(1).getCell(1).value).toBe('By project');
    expect(byProject.pageSetup.printTitlesRow).toBeUndefined();
    const headers = (byProject.getRow(2).values as unknown[]).slice(1);
    const billedCol = headers.indexOf('Billed') + 1;
    let totalRow = 3;
    while (byProject.getRow(totalRow).getCell(1).value !== 'Total') totalRow++;
    const total = byProject.getRow(totalRow).getCell(billedCol).value as { formula: string; result: number };
    expect(total.formula).toMatch(/^SUM\([A-Z]+3:[A-Z]+\d+\)$/);
    // shown at the minor unit: the visible cells add up to the visible total, the exact figure beside them
    expect(total.result).toBe(413.22);
    let s = 0;
    for (let i = 3; i < totalRow; i++) s += Math.round((byProject.getRow(i).getCell(billedCol).value as number) * 100);
    expect(s).toBe(41322);
    const exactCol = headers.indexOf('Billed (exact)') + 1;
    const exact = [];
    for (let i = 3; i < totalRow; i++) exact.push(String(byProject.getRow(i).getCell(exactCol).value));
    expect(exact.reduce((a, b) => a.plus(Decimal.from(b)), Decimal.ZERO).toString()).toBe('413.21682866');
    expect(byProject.getRow(3).getCell(billedCol).numFmt).toBe('#,##0.00 "USD";-#,##0.00 "USD";0.00 "USD"');

    const summary = wb.getWorksheet('Summary')!;
    const cells: { label: unknown; value: unknown }[] = [];
    summary.eachRow((row) => cells.push({ label: row.getCell(1).value, value: row.getCell(2).value }));
    // the first screen answers: status first, then spend per project
    expect(cells.slice(1, 3).map((c) => c.label)).toEqual(['Status', 'Errors to act on']);
    const labels = cells.map((c) => String(c.label));
    expect(labels.indexOf('  Search')).toBeLessThan(30);
    const attributed = cells.find((c) => c.label === 'Attributed to projects, models, keys, users and days')!.value as { formula: string; result: number };
    expect(attributed.formula).toBe(`'Breakdown'!${String.fromCharCode(64 + billedCol)}${totalRow}`);
    const ties = cells.filter((c) => String(c.label).endsWith('− cost export'));
    expect(ties).toHaveLength(5);
    for (const t of ties) expect((t.value as { formula: string }).formula).toMatch(/^'[^']+'!\$?[A-Z]+\$?\d+-B\d+$/);
    // exceljs reads a cached 0 back as undefined, so check the sheet XML for the cached zeros
    const zip = await JSZip.loadAsync(readFileSync(join(work, 'reports', '2026-10.xlsx')));
    // Summary is the second sheet (Dashboard opens the workbook): its part is sheet2.xml
    expect(await zip.file('xl/workbook.xml')!.async('string')).toMatch(/<sheet sheetId="2" name="Summary" state="visible" r:id="rId\d+"\/>/);
    const xml = await zip.file('xl/worksheets/sheet2.xml')!.async('string');
    expect(xml.match(/<f>[^<]*![A-Z]+\d+-B\d+<\/f><v>0<\/v>/g)).toHaveLength(5);

    // with payments and statements the accountants' workbook is written beside it
    const reimb = await load(join(work, 'reports', '2026-10-reimbursement.xlsx'));
    expect(reimb.worksheets.map((w) => w.name)).toContain('CC-410 Customer Care');
    // the unexplained 15.00 charge on the US card export (no card column, no payment) is still Dana's:
    // every other line of that statement file points to card 4242
    expect(reimb.worksheets.map((w) => w.name)).not.toContain('(no cost centre)');

    // both providers bill in the demo: Daily leads with their Provider column, then the local date
    const daily = wb.getWorksheet('Daily')!;
    expect((daily.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['Provider', 'Local date (Europe/Berlin)']);
    expect(daily.getRow(2).getCell(2).value).toBeInstanceOf(Date);

    const inputs = wb.getWorksheet('Inputs')!;
    const inHeaders = (inputs.getRow(1).values as unknown[]).slice(1);
    const shaCol = inHeaders.indexOf('SHA-256') + 1;
    expect(String(inputs.getRow(2).getCell(shaCol).value)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a byte-identical workbook for the same inputs', async () => {
    const a = join(work, 'a.xlsx');
    const b = join(work, 'b.xlsx');
    expect((await cli(['demo', '--out', a], work)).code).toBe(0);
    expect((await cli(['demo', '--out', b], work)).code).toBe(0);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });

  it('--json prints the documented core with exact decimal strings', async () => {
    const r = await cli(
      [
        'report',
        '--usage',
        join(FX, 'openai', '*.csv'),
        '--costs',
        join(FX, 'openai', '*.csv'),
        '--period',
        '2026-10',
        '--tz',
        'Asia/Shanghai',
        '--out',
        join(work, 'sh.xlsx'),
        '--json',
      ],
      work,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.period).toEqual({ from: '2026-10-01', to: '2026-10-31', timezone: 'Asia/Shanghai', utcStart: '2026-09-30T16:00:00Z', utcEnd: '2026-10-31T16:00:00Z' });
    expect(j.totals).toMatchObject({ billed: '404.78682866', currency: 'USD', rejectedRows: 1, rejectedAmount: '1.751800968' });
    for (const k of ['byProject', 'byModel', 'byKey', 'daily', 'exceptions']) expect(Array.isArray(j[k])).toBe(true);
    expect(j.byProject[0]).toMatchObject({ projectId: expect.any(String), billed: expect.stringMatching(/^\d+(\.\d+)?$/) });
    expect(j.daily[0]).toEqual({ date: '2026-10-01', billed: expect.any(String) });
    expect(r.stderr).toMatch(/billed/); // the summary goes to stderr with --json
  });
});

describe('bad input and exit codes', () => {
  it('exit 2 with a clear message for a missing required column, naming file and column', async () => {
    const r = await cli(['report', '--costs', join(FX, 'openai', 'bad', 'cost_missing_amount_value.csv'), '--out', join(work, 'x.xlsx')], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cost_missing_amount_value\.csv.*"amount_value"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a directory scan leaves out a file missing a required column, says so, and goes on', async () => {
    const r = await cli(
      ['report', '--usage', join(FX, 'openai'), '--costs', join(FX, 'openai'), '--period', '2026-10', '--tz', 'UTC', '--out', join(work, 'dir.xlsx'), '--json'],
      work,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const left = j.exceptions.find((e: { class: string }) => e.class === 'file_left_out');
    expect(left.message).toMatch(/"amount_value" are missing; the whole file is left out/);
    expect(j.inputs.find((i: { file: string }) => i.file.endsWith('cost_missing_amount_value.csv')).notes.join(' ')).toMatch(/left out whole/);
    expect(j.totals.rejectedRows).toBeGreaterThan(1); // the bad rows of the other files in bad/
  });

  it('--strict stops at the first bad row and names file, line and column', async () => {
    const r = await cli(['report', '--costs', join(FX, 'openai', 'bad', 'cost_bad_rows.csv'), '--strict', '--out', join(work, 'y.xlsx')], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cost_bad_rows\.csv, line 3, column amount_value: expected a decimal amount/);
    expect(existsSync(join(work, 'y.xlsx'))).toBe(false);
  });

  it('without --strict the bad rows are recorded, counted with their money, and the run goes on', async () => {
    const r = await cli(['report', '--costs', join(FX, 'openai', 'bad', 'cost_bad_rows.csv'), '--out', join(work, 'z.xlsx'), '--json'], work);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.totals.rejectedRows).toBe(2);
    expect(j.exceptions.filter((e: { class: string }) => e.class === 'rejected_row')).toHaveLength(2);
  });

  it('--fail-on warning exits 1 when warnings exist', async () => {
    const r = await cli(['demo', '--fail-on', 'warning', '--out', join(work, 'w.xlsx')], work);
    expect(r.code).toBe(1);
  });

  it('bad usage: unknown file, bad zone, bad period → exit 2, no stack trace', async () => {
    for (const args of [
      ['report', '--costs', join(work, 'nope.csv')],
      ['report', '--costs', join(FX, 'openai', 'cost_2026-10-01_2026-10-31.csv'), '--tz', 'Mars/Olympus'],
      ['report', '--costs', join(FX, 'openai', 'cost_2026-10-01_2026-10-31.csv'), '--period', '2026-13'],
      ['report'],
    ]) {
      const r = await cli(args, work);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/spendrecon: |error:/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('inspect explains the detection and lists the problems with line and column', async () => {
    const r = await cli(['inspect', join(FX, 'openai', 'bad', 'completions_usage_bad_rows.csv'), join(FX, 'openai', 'cost_2026-09-01_2026-09-30_old.csv')], work);
    expect(r.stdout).toMatch(/detected: OpenAI usage export \(CSV\)/);
    expect(r.stdout).toMatch(/line 4, column input_tokens: expected a whole non-negative count/);
    expect(r.stdout).toMatch(/2025 header/);
  });

  it('inspect explains which bank profile a statement matched, and recognises a payment history', async () => {
    const r = await cli(['inspect', join(FX, 'statements', 'cmb-credit-card-2026-12.csv'), join(FX, 'demo', 'payments_2026-10.csv')], work);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/profile "cn-cmb-credit-card"/);
    expect(r.stdout).toMatch(/encoding: gb18030/);
    expect(r.stdout).toMatch(/detected: Payment history/);
  });
});

describe('safety of what reaches a cell', () => {
  it('formula-looking text stays text, API keys are redacted, in the workbook and in CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-inj-'));
    const header =
      'start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,organization_name,user_email';
    const rows = [
      `1790812800,1790899200,2026-10-01T00:00:00+00:00,2026-10-02T00:00:00+00:00,1.25,usd,,,"web search tool calls",,,proj_X,org-1,"=HYPERLINK(""http://evil"",""x"")",Org,`,
      `1790812800,1790899200,2026-10-01T00:00:00+00:00,2026-10-02T00:00:00+00:00,0.75,usd,,,"Vector storage",,,proj_Y,org-1,"@SUM(1+1) sk-proj-abcdefghijklmnopqrstuvwxyz1234",Org,`,
    ];
    writeFileSync(join(dir, 'cost.csv'), `${header}\n${rows.join('\n')}\n`);
    copyFileSync(join(dir, 'cost.csv'), join(dir, 'copy-of-input.csv'));
    const r = await cli(['report', '--costs', join(dir, 'cost.csv'), '--out', join(dir, 'out.xlsx'), '--csv', join(dir, 'csv'), '--tz', 'UTC'], dir);
    expect(r.code).toBe(0);
    // inputs are never touched
    expect(readFileSync(join(dir, 'cost.csv')).equals(readFileSync(join(dir, 'copy-of-input.csv')))).toBe(true);
    const wb = await load(join(dir, 'out.xlsx'));
    const ws = wb.getWorksheet('Breakdown')!;
    const names: unknown[] = [];
    ws.eachRow((row) => names.push(row.getCell(2).value));
    expect(names).toContain('=HYPERLINK("http://evil","x")'); // a plain string cell, not a formula object
    expect(names.some((n) => typeof n === 'object' && n !== null && 'formula' in (n as object) && String((n as { formula: string }).formula).includes('HYPERLINK'))).toBe(false);
    expect(names.join(' ')).not.toMatch(/abcdefghijklmnopqrstuvwxyz1234/);
    expect(names.join(' ')).toMatch(/sk-proj-…1234/); // the provider prefix is kept
    const csv = readFileSync(join(dir, 'csv', 'by-project.csv'), 'utf8');
    expect(csv).toMatch(/'=HYPERLINK/);
    expect(csv).toMatch(/'@SUM/);
    expect(csv).not.toMatch(/abcdefghijklmnopqrstuvwxyz1234/);
  });
});
