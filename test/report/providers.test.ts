/**
 * Issue 11 on the report job: the bundled month with an Anthropic top-up and an Anthropic
 * credit lot added to the payment history (the provider column): the ledger rolls each
 * provider's credit, byProvider adds up to the run's totals, and a Provider column appears
 * only where providers meet — the one-provider run keeps its layout.
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal, sum } from '../../src/money.js';
import { openAiOnlyConfig } from './demo-config.js';
import { runReport } from '../../src/pipeline.js';
import { summarise } from '../../src/engine/summaries.js';
import { buildReportWorkbook } from '../../src/report/index.js';
import { evaluate } from './formula-check.js';
import { reportToJson } from '../../src/report/json.js';
import { workbookBytes } from '../../src/report/workbook.js';
import type { ReportResult } from '../../src/results.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures');

/** The demo payment history with a provider column: every row OpenAI, plus two Anthropic top-ups. */
function paymentsWithAnthropic(): string {
  const [header, ...rows] = readFileSync(join(FX, 'demo', 'payments_2026-10.csv'), 'utf8')
    .trim()
    .split('\n');
  const org = 'org-Acme7Hq2kWb9';
  const lines = [
    `${header},provider`,
    ...rows.map((r) => `${r},openai`),
    `2025-10-20T10:00:00Z,ANT-OLD,30.00,USD,paid,manual,${org},4242,Claude API credits,Anthropic`,
    `2026-10-09T10:00:00Z,ANT-1,40.00,USD,paid,manual,${org},4242,Claude API credits,anthropic`,
  ];
  const dir = mkdtempSync(join(tmpdir(), 'spendrecon-providers-'));
  writeFileSync(join(dir, 'payments.csv'), `${lines.join('\n')}\n`);
  return join(dir, 'payments.csv');
}

async function run(payments: string): Promise<ReportResult> {
  const config = openAiOnlyConfig();
  return runReport({
    usage: [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')],
    costs: [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')],
    payments: [payments],
    config,
    period: { month: '2026-10' },
    strict: false,
    cwd: join(FX, '..'),
  });
}

async function sheets(r: ReportResult) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await workbookBytes(buildReportWorkbook(r))) as unknown as ArrayBuffer);
  const header = (name: string) => (wb.getWorksheet(name)!.getRow(1).values as unknown[]).slice(1);
  const column1 = (name: string) => wb.getWorksheet(name)!.getColumn(1).values.slice(1).map(String);
  return { wb, header, column1 };
}

/** The run with one project's attributed money billed by Anthropic instead (as if its reader had read it). */
function withAnthropicProject(r: ReportResult, projectId: string): ReportResult {
  const a = r.attribution!;
  const attributed = a.attributed.map((x) => (x.projectId === projectId ? { ...x, provider: 'anthropic' } : x));
  const config = openAiOnlyConfig();
  return { ...r, attribution: { ...a, attributed, summaries: summarise(attributed, a.crossCheck, config, r.period) } };
}

type ByProvider = { provider: string; billed: string; unallocated: string; payments: { currency: string; amount: string; count: number }[]; balance: string | null }[];

describe('two providers in one run', async () => {
  const one = await run(join(FX, 'demo', 'payments_2026-10.csv'));
  const two = await run(paymentsWithAnthropic());

  it('the ledger rolls Anthropic’s credit on its own: the old lot expires a year after purchase, OpenAI’s balance is unchanged', () => {
    expect(two.ledger!.providers).toEqual(['openai', 'anthropic']);
    const closing = (r: ReportResult, p: string) => r.ledger!.closing.filter((c) => c.provider === p).map((c) => c.balance.toString());
    expect(closing(two, 'openai')).toEqual(closing(one, 'openai'));
    expect(closing(two, 'anthropic')).toEqual(['40']);
    const old = two.ledger!.lots.find((l) => l.reference === 'ANT-OLD')!;
    expect([old.provider, old.expiresOn, old.expired.toString()]).toEqual(['anthropic', '2026-10-20', '30']);
  });

  it('byProvider adds up to the totals: billed, unallocated, payments, balance', () => {
    const j = reportToJson(two) as { byProvider: ByProvider; totals: { billed: string; unallocated: string } };
    const bp = j.byProvider;
    expect(bp.map((x) => x.provider)).toEqual(['openai', 'anthropic']);
    const total = (f: (x: ByProvider[number]) => string) => sum(bp.map((x) => Decimal.from(f(x))));
    expect(total((x) => x.billed).eq(Decimal.from(j.totals.billed))).toBe(true);
    expect(total((x) => x.unallocated).eq(Decimal.from(j.totals.unallocated))).toBe(true);
    expect(total((x) => x.balance!).eq(sum(two.ledger!.closing.map((c) => c.balance)))).toBe(true);
    expect(bp[1]!.payments).toEqual([{ currency: 'USD', count: 1, amount: '40' }]);
    expect(bp[1]!.billed).toBe('0');
    expect(two.conservation.holds).toBe(true);
  });

  it('a Provider column where providers meet (Ledger), none where they do not (Daily, and every sheet of the one-provider run)', async () => {
    const a = await sheets(two);
    expect(a.header('Ledger')[0]).toBe('Provider');
    expect(a.header('Daily')[0]).not.toBe('Provider');
    expect(a.column1('Summary')).toEqual(expect.arrayContaining(['By provider', '  OpenAI', '  Anthropic']));
    const b = await sheets(one);
    expect(b.header('Ledger')[0]).toBe('Organisation');
    expect(b.column1('Summary')).not.toContain('By provider');
    const j = reportToJson(one) as { byProvider: ByProvider; byProject: Record<string, unknown>[] };
    expect(j.byProvider.map((x) => x.provider)).toEqual(['openai']);
    expect(Object.keys(j.byProject[0]!)).not.toContain('provider');
    expect(Object.keys((reportToJson(two) as { byProject: Record<string, unknown>[] }).byProject[0]!)[0]).toBe('provider');
  });

  it('where both providers bill, Daily has the Provider column and Summary’s By provider rows are SUMIFs over it that add up to the billed total', async () => {
    const mixed = withAnthropicProject(two, two.attribution!.summaries.byProject[1]!.projectId);
    const { wb, header } = await sheets(mixed);
    expect(header('Daily')[0]).toBe('Provider');
    const summary = wb.getWorksheet('Summary')!;
    const figures = ['  OpenAI', '  Anthropic'].map((label) => {
      let found: ExcelJS.Row | undefined;
      summary.eachRow((row) => {
        if (row.getCell(1).value === label) found = row;
      });
      const v = found!.getCell(2).value as ExcelJS.CellFormulaValue;
      expect(v.formula).toMatch(/^SUMIF\('Daily'!/);
      expect(evaluate(wb, summary, v.formula)).toBeCloseTo(v.result as number, 6);
      return v.result as number;
    });
    // Daily's cells are rounded so the column adds up to the rounded total: each provider's figure
    // is within a cent per row of its exact billed money, and both add up to the rounded total
    const byProvider = (reportToJson(mixed) as { byProvider: ByProvider }).byProvider;
    const rows = mixed.attribution!.summaries.daily;
    for (const [i, x] of byProvider.entries()) expect(Math.abs(figures[i]! - Decimal.from(x.billed).toNumber())).toBeLessThanOrEqual(0.01 * rows.length);
    expect(figures[1]).toBeGreaterThan(0);
    expect(figures[0]! + figures[1]!).toBeCloseTo(mixed.totals.billed.round(2).toNumber(), 9);
  });
});
