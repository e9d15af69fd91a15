/**
 * Issue 11: the prepaid balance drawn per (provider, organisation) account when the ledger has
 * more than one — in the HTML report's chart and on the workbook Dashboard — from the shared
 * series in glance.ts; a one-account month keeps its single line.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal, sum } from '../../src/money.js';
import { runReport } from '../../src/pipeline.js';
import { balanceSeries } from '../../src/report/glance.js';
import { renderHtmlReport } from '../../src/report/html/index.js';
import { buildReportWorkbook } from '../../src/report/index.js';
import { workbookBytes } from '../../src/report/workbook.js';
import type { ReportResult } from '../../src/results.js';
import { openAiOnlyConfig } from './demo-config.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures');
const DIR = mkdtempSync(join(tmpdir(), 'spendrecon-balance-'));

/** The demo payment history with a provider column, plus `extra` rows (Anthropic's, another organisation's). */
function payments(name: string, extra: string[]): string {
  const [header, ...rows] = readFileSync(join(FX, 'demo', 'payments_2026-10.csv'), 'utf8')
    .trim()
    .split('\n');
  writeFileSync(join(DIR, name), `${[`${header},provider`, ...rows.map((r) => `${r},openai`), ...extra].join('\n')}\n`);
  return join(DIR, name);
}

async function run(paymentFile: string): Promise<ReportResult> {
  // every organisation in scope: the three-account month tops up a second Anthropic organisation
  const config = openAiOnlyConfig({ organizations: [] });
  return runReport({
    usage: [join(FX, 'openai', '*.csv')],
    costs: [join(FX, 'openai', '*.csv')],
    payments: [paymentFile],
    config,
    period: { month: '2026-10' },
    strict: false,
    cwd: join(FX, '..'),
  });
}

/** The balance chart's SVG: its line paths and its legend's words. */
async function balanceChart(r: ReportResult): Promise<{ lines: number; svg: string }> {
  const html = await renderHtmlReport(r);
  const svg = html.slice(html.indexOf('id="chart-balance"'), html.indexOf('</figure>', html.indexOf('id="chart-balance"')));
  const lines = (svg.match(/aria-roledescription="line mark"/g) ?? []).length;
  return { lines, svg };
}

async function dashboardHeader(r: ReportResult): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await workbookBytes(buildReportWorkbook(r))) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Dashboard')!;
  let header: string[] = [];
  ws.eachRow((row) => {
    const v = (row.values as unknown[]).slice(1).map((x) => String(x ?? ''));
    if (v[0] === 'Date' && v.some((x) => x.startsWith('Balance'))) header = v;
  });
  return header;
}

const org = 'org-Acme7Hq2kWb9';

describe('balance lines per account', async () => {
  const one = await run(join(FX, 'demo', 'payments_2026-10.csv'));
  const two = await run(payments('two-providers.csv', [`2026-10-09T10:00:00Z,ANT-1,40.00,USD,paid,manual,${org},4242,Claude API credits,anthropic`]));
  const threeAccounts = await run(
    payments('three-accounts.csv', [
      `2026-10-09T10:00:00Z,ANT-1,40.00,USD,paid,manual,${org},4242,Claude API credits,anthropic`,
      `2026-10-12T10:00:00Z,ANT-2,15.00,USD,paid,manual,org-Other,4242,Claude API credits,anthropic`,
    ]),
  );

  it('the shared series has one line per account that adds up, day by day, to the summed balance', () => {
    expect(balanceSeries(one)!.accounts).toEqual([]);
    const s = balanceSeries(threeAccounts)!;
    expect(s.accounts.map((a) => a.label)).toEqual(['OpenAI', `Anthropic ${org}`, 'Anthropic org-Other']);
    expect(balanceSeries(two)!.accounts.map((a) => a.label)).toEqual(['OpenAI', 'Anthropic']);
    for (const d of s.days) {
      const own = s.accounts.flatMap((a) => a.days.filter((x) => x.date === d.date).map((x) => x.balance));
      expect(sum(own).eq(d.balance), d.date).toBe(true);
    }
    const anthropic = s.accounts[1]!.days;
    expect(anthropic[anthropic.length - 1]!.balance.eq(Decimal.from('40'))).toBe(true);
  });

  it('HTML: one line per account plus the recharges line, each account named in the legend; one account keeps its two lines', async () => {
    const single = await balanceChart(one);
    expect(single.lines).toBe(2);
    expect(single.svg).not.toContain('OpenAI balance');
    const pair = await balanceChart(two);
    expect(pair.lines).toBe(3);
    for (const label of ['OpenAI balance', 'Anthropic balance', 'auto-recharges this month']) expect(pair.svg).toContain(label);
    const three = await balanceChart(threeAccounts);
    expect(three.lines).toBe(4);
    expect(three.svg).toContain('Anthropic org-Other balance');
  });

  it('Dashboard: a Balance column (and line) per account beside the summed one; one account keeps its one Balance column', async () => {
    expect((await dashboardHeader(one)).filter((h) => h.startsWith('Balance'))).toEqual(['Balance']);
    expect((await dashboardHeader(two)).filter((h) => h.startsWith('Balance'))).toEqual(['Balance, all accounts', 'Balance OpenAI', 'Balance Anthropic']);
  });
});
