/**
 * The reimbursement workbook (SPEC §5.2), built from a real run on the fixtures and from a
 * small hand-made result, read back with exceljs: a sheet per cost centre, approver columns
 * empty, totals as formulas that recompute to their cached values, printable pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { printScale } from './print-check.js';
import { MIN_PRINT_SCALE } from '../../src/report/workbook.js';
import { fitName } from '../../src/report/reimbursement/receipt-links.js';
import { wrappedLines } from '../../src/report/table.js';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { defaultMatchOptions, matchPaymentsToCardLines } from '../../src/engine/matching/index.js';
import { runReport, type ReportResult } from '../../src/pipeline.js';
import {
  reimbursementFromReport,
  reimbursementWorkbookBytes,
  reimbursementWorkbookPath,
  sanitiseSheetName,
  uniqueSheetNames,
  ReimbursementUnavailableError,
  type ReimbursementSource,
} from '../../src/report/reimbursement/index.js';
import { makePeriod } from '../../src/time.js';
import { card, D, pay } from '../engine/match-helpers.js';
import { evaluate, formulas } from './formula-check.js';

const ROOT = join(import.meta.dirname, '..', '..');
const F = (p: string) => join(ROOT, 'fixtures', p);

function fixtureConfig() {
  const raw = JSON.parse(readFileSync(F('spendrecon.config.json'), 'utf8')) as Record<string, unknown>;
  return parseConfig(
    {
      ...raw,
      timezone: 'America/New_York',
      cardholders: {
        '4242': { name: 'Dana Whitfield', costCenter: 'CC-410 Customer Care' },
        '4821': { name: 'Jonas Keller', costCenter: 'R&D: EMEA/APAC [cards]' },
      },
      // the German card's top-ups are in USD: give the matcher the rate of its statement
      matching: { fxRates: [{ from: 'USD', to: 'EUR', rate: '0.8612' }] },
    },
    'test config',
  );
}

async function load(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/** The first header row starting with `first`, at or after row `from` (a stacked sheet's table starts under its title). */
function headerRow(ws: ExcelJS.Worksheet, first: string, from = 1): number {
  for (let r = from; r <= from + 10; r++) if (ws.getRow(r).getCell(1).value === first) return r;
  throw new Error(`no header "${first}" on ${ws.name}`);
}

/** The row of a stacked table's title. */
function titleRow(ws: ExcelJS.Worksheet, title: RegExp): number {
  for (let r = 1; r <= ws.rowCount; r++) if (title.test(String(ws.getRow(r).getCell(1).value ?? ''))) return r;
  throw new Error(`no title ${title} on ${ws.name}`);
}

const OTHER_LINES = 'Exceptions, plans, not claimed';

function headers(ws: ExcelJS.Worksheet, row: number): string[] {
  const out: string[] = [];
  ws.getRow(row).eachCell({ includeEmpty: false }, (c) => out.push(String(c.value)));
  return out;
}

describe('the reimbursement workbook of a real run (fixtures: two cards, USD and EUR)', async () => {
  const config = fixtureConfig();
  const result = await runReport({
    usage: [F('openai/completions_usage_2026-10-01_2026-10-31.csv')],
    costs: [F('openai/cost_2026-10-01_2026-10-31.csv')],
    payments: [F('payments/for-us-card-2026-10.csv'), F('payments/for-de-bank-giro-2026-10.csv')],
    statements: [F('statements/us-card-2026-10.csv'), F('statements/de-bank-giro-2026-10.csv')],
    config,
    period: { month: '2026-10' },
    strict: false,
    cwd: ROOT,
  });
  const r = reimbursementFromReport(result, config);
  const bytes = await reimbursementWorkbookBytes(result, config);
  const wb = await load(bytes);

  it('is written to reports/<period>-reimbursement.xlsx, byte for byte the same on a rerun', async () => {
    expect(reimbursementWorkbookPath(result.period)).toBe(join('reports', '2026-10-reimbursement.xlsx'));
    expect((await reimbursementWorkbookBytes(result, config)).equals(bytes)).toBe(true);
  });

  it('has a Summary, one sheet per cost centre (names made legal), subscriptions, lines not claimed and exceptions', () => {
    const names = wb.worksheets.map((w) => w.name);
    expect(names[0]).toBe('Summary');
    expect(r.costCentres.map((c) => c.costCentre)).toEqual(
      ['CC-410 Customer Care', 'R&D: EMEA/APAC [cards]', '(no cost centre)'].filter((c) => r.costCentres.some((x) => x.costCentre === c)),
    );
    expect(names).toContain('CC-410 Customer Care');
    expect(names).toContain('R&D- EMEA-APAC -cards-');
    // the three short tables share one sheet, each under its own title
    expect(names).toContain(OTHER_LINES);
    const other = wb.getWorksheet(OTHER_LINES)!;
    expect([/^Exceptions, /, /^Plan subscriptions on the API cards/, /^Provider card lines not claimed/].map((t) => titleRow(other, t))).toEqual(
      [...[/^Exceptions, /, /^Plan subscriptions on the API cards/, /^Provider card lines not claimed/].map((t) => titleRow(other, t))].sort((a, b) => a - b),
    );
    expect(names.filter((n) => ['Subscriptions (not API)', 'Not claimed', 'Exceptions'].includes(n))).toEqual([]);
  });

  it('a cost-centre sheet: each charge then its shares, approver columns empty, totals as formulas', () => {
    const ws = wb.getWorksheet('CC-410 Customer Care')!;
    const h = headerRow(ws, 'Date');
    const cols = headers(ws, h);
    expect(cols).toEqual([
      'Date',
      'Cardholder',
      'Card',
      'Description',
      'Receipt',
      'Charged',
      'Project',
      'Project cost centre',
      'Share',
      'Flags',
      'Approver',
      'Approval date',
      'Receipt file',
    ]);
    const at = (name: string) => cols.indexOf(name) + 1;
    const dana = r.costCentres.find((c) => c.costCentre === 'CC-410 Customer Care')!.cardholders[0]!;
    const n = dana.charges.reduce((s, c) => s + 1 + c.shares.length, 0);
    let charged = 0;
    for (let row = h + 1; row <= h + n; row++) {
      const er = ws.getRow(row);
      expect(er.getCell(at('Approver')).value ?? null, `row ${row}`).toBeNull();
      expect(er.getCell(at('Approval date')).value ?? null, `row ${row}`).toBeNull();
      expect(er.getCell(at('Date')).value).toBeInstanceOf(Date);
      if (er.getCell(at('Charged')).value !== null) charged++;
    }
    expect(charged).toBe(dana.charges.length);
    // the first charge: its receipt, and the shares below it add up to it
    const first = dana.charges[0]!;
    expect(ws.getRow(h + 1).getCell(at('Receipt')).value).toBe(first.receipt);
    expect(ws.getRow(h + 1).getCell(at('Charged')).value).toBe(first.amount.toNumber());
    expect(ws.getRow(h + 2).getCell(at('Project')).value).toBe(first.shares[0]!.projectName);
    // totals row: SUM formulas with the exact totals cached
    const totalRow = ws.getRow(h + n + 1);
    expect(totalRow.getCell(1).value).toBe('Total');
    const tc = totalRow.getCell(at('Charged')).value as ExcelJS.CellFormulaValue;
    expect(tc.formula).toBe(`SUM(F${h + 1}:F${h + n})`);
    expect(tc.result).toBe(dana.apiTotals[0]!.amount.toNumber());
    const ts = totalRow.getCell(at('Share')).value as ExcelJS.CellFormulaValue;
    expect(ts.formula).toMatch(/^SUM\(I\d+:I\d+\)$/);
    expect(ts.result).toBe(tc.result);
    expect(totalRow.getCell(at('Charged')).numFmt).toContain('"USD"');
  });

  it('is printable: landscape, at 60 % or more (wider sheets on pages across), the header repeated, a footer with the sheet and period', () => {
    for (const ws of wb.worksheets) {
      expect(ws.pageSetup.orientation, ws.name).toBe('landscape');
      expect(ws.pageSetup.fitToPage, ws.name).toBe(true);
      expect(printScale(ws), ws.name).toBeGreaterThanOrEqual(MIN_PRINT_SCALE);
      expect(ws.headerFooter.oddFooter, ws.name).toContain('Reimbursement 2026-10');
      expect(ws.headerFooter.oddFooter, ws.name).toContain('Page &P of &N');
      if (ws.name === 'Summary') continue;
      if (ws.name === OTHER_LINES) {
        // stacked tables: no header repeats over another table's rows, no one table's frozen view or filter
        expect(ws.pageSetup.printTitlesRow, ws.name).toBeUndefined();
        expect(ws.views[0], ws.name).toMatchObject({ state: 'normal' });
        continue;
      }
      const h = headerRow(ws, 'Date');
      // a cost-centre sheet has allocation rows under each charge: its charge header is not repeated above them
      const blocks = ws.name.startsWith('CC-') || ws.name.startsWith('R&D');
      expect(ws.pageSetup.printTitlesRow, ws.name).toBe(blocks ? undefined : `${h}:${h}`);
      expect(ws.views[0], ws.name).toMatchObject({ state: 'frozen', ySplit: h });
      expect(ws.autoFilter, ws.name).toBeTruthy();
    }
    // a literal & in a header/footer is doubled (a single & starts a code there)
    expect(wb.getWorksheet('R&D- EMEA-APAC -cards-')!.headerFooter.oddFooter).toContain('&LR&&D- EMEA-APAC -cards-');
  });

  it('every formula recomputes, from the cells it points at, to its cached value', () => {
    const all = formulas(wb);
    expect(all.length).toBeGreaterThan(20);
    for (const f of all) expect(evaluate(wb, f.ws, f.formula), `${f.ws.name}!${f.address} ${f.formula}`).toBeCloseTo(f.result, 6);
  });

  it('Summary: claims per cost centre and cardholder as formulas over the sheets, and a tie-out to the statements of 0', () => {
    const ws = wb.getWorksheet('Summary')!;
    const found: { label: string; formula: string; result: number }[] = [];
    ws.eachRow((row) => {
      const v = row.getCell(5).value as ExcelJS.CellFormulaValue | null;
      if (v && typeof v === 'object' && 'formula' in v) found.push({ label: String(row.getCell(2).value), formula: v.formula, result: Number(v.result) });
    });
    const dana = found.find((x) => x.label === 'Dana Whitfield')!;
    expect(dana.formula).toMatch(/^SUM\('CC-410 Customer Care'!F\d+:F\d+\)$/);
    expect(dana.result).toBe(r.costCentres.find((c) => c.costCentre === 'CC-410 Customer Care')!.cardholders[0]!.apiTotals[0]!.amount.toNumber());
    // the tie-out rows: Difference = statements − API − subscriptions − not claimed = 0
    let diffs = 0;
    ws.eachRow((row) => {
      row.eachCell((c) => {
        const v = c.value as ExcelJS.CellFormulaValue;
        if (v && typeof v === 'object' && 'formula' in v && /^[A-Z]+\d+-[A-Z]+\d+-[A-Z]+\d+-[A-Z]+\d+$/.test(v.formula)) {
          diffs++;
          // exceljs reads a cached <v>0</v> back as no result
          expect(v.result ?? 0).toBe(0);
          expect(evaluate(wb, ws, v.formula)).toBeCloseTo(0, 9);
        }
      });
    });
    expect(diffs).toBe(r.tieOut.length);
    expect(r.tieOut.map((t) => t.currency)).toEqual(['USD', 'EUR']);
    for (const t of r.tieOut) {
      const lines = result.reconciliation!.card.lines.find((x) => x.currency === t.currency)!;
      expect(t.providerLines.toString()).toBe(lines.total.toString());
      expect(t.difference.isZero()).toBe(true);
    }
  });

  it('subscriptions are in their own table, labelled as not API credit, and on no cost-centre sheet', () => {
    const ws = wb.getWorksheet(OTHER_LINES)!;
    expect(String(ws.getRow(titleRow(ws, /^Plan subscriptions/)).getCell(1).value)).toMatch(/not API credit/);
    const subs = r.costCentres.flatMap((c) => c.cardholders.flatMap((h) => h.subscriptions));
    expect(subs.length).toBeGreaterThan(0);
    const descriptions: string[] = [];
    for (const name of wb.worksheets.map((w) => w.name).filter((n) => !['Summary', OTHER_LINES].includes(n))) {
      wb.getWorksheet(name)!.eachRow((row) => descriptions.push(String(row.getCell(4).value ?? '')));
    }
    expect(descriptions.some((d) => /CHATGPT SUBSCR/.test(d))).toBe(false);
  });
});

describe('a hand-made result: a JPY card, sheet names to clean up, no usage to allocate by', () => {
  const tz = 'Asia/Tokyo';
  const payments = [pay(2, '2026-10-02T03:00:00Z', '15001', { reference: 'INV-JP-1', cardLast4: '1111', currency: 'JPY' })];
  const lines = [card(5, '2026-10-02', '15001', { currency: 'JPY', cardLast4: '1111' }), card(6, '2026-10-20', '3000', { currency: 'JPY', cardLast4: '2222' })];
  const reconciliation = matchPaymentsToCardLines(payments, lines, defaultMatchOptions(tz));
  const base: ReimbursementSource = {
    period: makePeriod('2026-10-01', '2026-10-31', tz),
    homeCurrency: 'JPY',
    currency: 'USD',
    reconciliation,
    payments,
    cardLines: lines,
    attribution: null,
  };
  const settings = {
    cardholders: {
      '1111': { name: 'Sato Hana', costCenter: 'Summary' },
      '2222': { name: 'Ito Ren', costCenter: 'summary' },
    },
  };

  it('sheet names avoid the fixed sheets and each other (case-insensitively), money in whole yen', async () => {
    const wb = await load(await reimbursementWorkbookBytes(base, settings));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Summary (2)', 'summary (3)', OTHER_LINES]);
    const ws = wb.getWorksheet('Summary (2)')!;
    const h = headerRow(ws, 'Date');
    const cols = headers(ws, h);
    const charged = ws.getRow(h + 1).getCell(cols.indexOf('Charged') + 1);
    expect(charged.value).toBe(15001);
    expect(charged.numFmt).toBe('#,##0 "JPY";-#,##0 "JPY";0 "JPY"');
    // no cost export: one unallocated share carrying the whole charge and the reason
    const share = ws.getRow(h + 2);
    expect(share.getCell(cols.indexOf('Project') + 1).value).toBe('(unallocated)');
    expect(share.getCell(cols.indexOf('Share') + 1).value).toBe(15001);
    expect(String(share.getCell(cols.indexOf('Flags') + 1).value)).toMatch(/no cost export/);
    for (const f of formulas(wb)) expect(evaluate(wb, f.ws, f.formula), `${f.ws.name}!${f.address}`).toBeCloseTo(f.result, 6);
  });

  it('with billed usage the yen are split in whole yen', () => {
    const withUsage: ReimbursementSource = {
      ...base,
      attribution: {
        summaries: {
          byProject: [
            { projectId: 'p1', projectName: 'One', costCenter: null, billed: D('2') },
            { projectId: 'p2', projectName: 'Two', costCenter: null, billed: D('1') },
          ],
        },
      },
    };
    const r = reimbursementFromReport(withUsage, settings);
    const c = r.costCentres.flatMap((x) => x.cardholders.flatMap((h) => h.charges)).find((x) => x.src.line === 5)!;
    expect(c.shares.map((s) => s.amount.toString())).toEqual(['10001', '5000']);
  });

  it('needs a reconciliation: without statements and payments it says so', () => {
    expect(() => reimbursementFromReport({ ...base, reconciliation: null } as ReimbursementSource, settings)).toThrow(ReimbursementUnavailableError);
  });

  it('a ReportResult is a ReimbursementSource (checked by the compiler)', () => {
    const asSource = (x: ReportResult): ReimbursementSource => x;
    expect(typeof asSource).toBe('function');
  });
});

describe('sheet names', () => {
  it('are made legal: no : \\ / ? * [ ], no edge apostrophes, at most 31 characters', () => {
    expect(sanitiseSheetName('R&D: EMEA/APAC [x]*?\\')).toBe('R&D- EMEA-APAC -x----');
    expect(sanitiseSheetName("'quoted'")).toBe('quoted');
    expect(sanitiseSheetName('   ')).toBe('Cost centre');
    const long = 'CC-900 A very long cost centre name indeed';
    expect(sanitiseSheetName(long)).toBe(long.slice(0, 31).trim());
    expect(sanitiseSheetName(long).length).toBeLessThanOrEqual(31);
  });

  it('are unique, deterministically, in input order', () => {
    const long = 'CC-900 A very long cost centre name indeed';
    const names = uniqueSheetNames([long, `${long} (other)`, 'a/b', 'a:b', 'A-B', 'History']);
    expect(names).toEqual(['CC-900 A very long cost centre', 'CC-900 A very long cost cen (2)', 'a-b', 'a-b (2)', 'A-B (3)', 'History (2)']);
    expect(names.every((n) => n.length <= 31)).toBe(true);
  });
});

describe('two providers on one card (issue #11)', () => {
  const tz = 'UTC';
  const payments = [
    pay(2, '2026-10-02T15:00:00Z', '50.00', { reference: 'INV-1', cardLast4: '4242' }),
    pay(3, '2026-10-03T15:00:00Z', '30.00', { reference: 'ANT-1', cardLast4: '4242', provider: 'anthropic' }),
  ];
  const lines = [
    card(10, '2026-10-02', '50.00', { cardLast4: '4242' }),
    card(11, '2026-10-03', '30.00', { cardLast4: '4242', description: 'ANTHROPIC ANTHROPIC.COM CA' }),
    card(12, '2026-10-04', '20.00', { cardLast4: '4242', description: 'CLAUDE.AI SUBSCRIPTION' }),
    card(13, '2026-10-06', '20.00', { cardLast4: '4242', description: 'OPENAI *CHATGPT SUBSCR' }),
    card(14, '2026-10-29', '5.00', { cardLast4: '4242', description: 'ANTHROPIC ANTHROPIC.COM CA', status: 'pending' }),
  ];
  const source: ReimbursementSource = {
    period: makePeriod('2026-10-01', '2026-10-31', tz),
    homeCurrency: 'USD',
    reconciliation: matchPaymentsToCardLines(payments, lines, defaultMatchOptions(tz)),
    payments,
    cardLines: lines,
    attribution: {
      summaries: {
        byProject: [
          { projectId: 'proj_a', projectName: 'Search', costCenter: null, billed: D('1') },
          { provider: 'anthropic', projectId: 'wrkspc_a', projectName: 'Search', costCenter: null, billed: D('3') },
        ],
      },
    },
  };
  const settings = { cardholders: { '4242': { name: 'Dana Whitfield', costCenter: 'CC-410' } } };

  it('names the provider where two meet, lists each plan by name, and every formula still recomputes', async () => {
    const wb = await load(await reimbursementWorkbookBytes(source, settings));
    const subs = wb.getWorksheet(OTHER_LINES)!;
    const sh = headerRow(subs, 'Date', titleRow(subs, /^Plan subscriptions on the API cards/));
    const sc = headers(subs, sh);
    expect(sc.slice(0, 3)).toEqual(['Date', 'Provider', 'Plan']);
    expect([1, 2].map((k) => `${subs.getRow(sh + k).getCell(2).value}/${subs.getRow(sh + k).getCell(3).value}`)).toEqual(['Anthropic/Claude.ai', 'OpenAI/ChatGPT']);
    const cc = wb.getWorksheet('CC-410')!;
    const ch = headerRow(cc, 'Date');
    expect(headers(cc, ch)[1]).toBe('Provider');
    expect([1, 4].map((k) => cc.getRow(ch + k).getCell(2).value)).toEqual(['OpenAI', 'Anthropic']);
    const summary = wb.getWorksheet('Summary')!;
    const texts: string[] = [];
    summary.eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
    expect(texts).toContain('Plan subscriptions (not API)');
    expect(texts.some((t) => /ChatGPT subscriptions/.test(t))).toBe(false);
    const notClaimed = wb.getWorksheet(OTHER_LINES)!;
    expect(headers(notClaimed, headerRow(notClaimed, 'Date', titleRow(notClaimed, /^Provider card lines not claimed/)))[1]).toBe('Provider');
    for (const f of formulas(wb)) expect(evaluate(wb, f.ws, f.formula), `${f.ws.name}!${f.address} ${f.formula}`).toBeCloseTo(f.result, 6);
  });

  it('a one-provider workbook keeps its columns (no Provider column)', async () => {
    const openaiOnly: ReimbursementSource = {
      ...source,
      reconciliation: matchPaymentsToCardLines(payments.slice(0, 1), lines.slice(0, 1), defaultMatchOptions(tz)),
      attribution: null,
    };
    const wb = await load(await reimbursementWorkbookBytes(openaiOnly, settings));
    const cc = wb.getWorksheet('CC-410')!;
    expect(headers(cc, headerRow(cc, 'Date'))).not.toContain('Provider');
  });
});

describe('receipt file names in a column (LibreOffice does not wrap a hyperlink cell)', () => {
  it('a name that fits is kept; a longer one is cut to one line of the column keeping its start and its receipt number', () => {
    expect(fitName('Receipt-2391-5541.pdf', 24)).toBe('Receipt-2391-5541.pdf');
    for (const [name, number] of [
      ['Your receipt from OpenAI #2391-5547.eml', '2391-5547'],
      ['Receipt-2417-3306-5230-anthropic-credits.pdf', '2417-33'],
    ] as const) {
      for (const width of [18, 22, 24]) {
        const shown = fitName(name, width);
        expect(shown, `${name} in ${width}`).toContain('…');
        expect(wrappedLines(shown, width), `${shown} in ${width}`).toBe(1);
        expect(name.startsWith(shown.split('…')[0]!) && name.endsWith(shown.split('…')[1]!)).toBe(true);
        if (width >= 22) expect(shown).toContain(number);
      }
    }
  });
});
