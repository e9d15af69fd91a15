/**
 * The Ledger sheet, written from a `buildCreditLedger` result and read back with exceljs:
 * the day table keeps the sheet's frozen header and autofilter although blocks follow it,
 * flows are totalled by formulas (balances are not), events read in plain words.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { buildCreditLedger } from '../../src/engine/ledger/index.js';
import type { PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { writeLedger, LEDGER } from '../../src/report/sheets/ledger.js';
import { addSheet, newWorkbook, workbookBytes } from '../../src/report/workbook.js';
import { makePeriod, parseIsoInstant } from '../../src/time.js';
import { evaluate, formulas } from './formula-check.js';

const D = Decimal.from;
const TZ = 'Europe/Berlin';

function pay(line: number, iso: string, amount: string, more: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    src: { file: 'payments.csv', line },
    provider: 'openai',
    paidAt: parseIsoInstant(iso)!,
    reference: `INV-${line}`,
    amount: D(amount),
    currency: 'USD',
    status: 'paid',
    kind: 'manual',
    organization: 'org-a',
    cardLast4: null,
    description: '',
    ...more,
  };
}

function ledger() {
  return buildCreditLedger({
    timezone: TZ,
    period: makePeriod('2026-10-01', '2026-10-10', TZ),
    currency: 'USD',
    openingBalance: { amount: D('5.00'), date: '2026-10-01', organization: 'org-a' },
    payments: [
      pay(2, '2025-10-04T09:00:00Z', '7.00'), // bought a year ago: expires on 2026-10-04
      pay(3, '2026-10-02T09:00:00Z', '25.00'),
      pay(4, '2026-10-03T09:00:00Z', '10.00', { kind: 'grant', reference: 'GRANT-1' }),
      pay(5, '2026-10-06T09:00:00Z', '20.00', { kind: 'auto_recharge' }),
      pay(6, '2026-10-07T09:00:00Z', '20.00', { kind: 'auto_recharge' }),
    ],
    usage: [
      { organization: 'org-a', date: '2026-10-01', amount: D('1.25') },
      { organization: 'org-a', date: '2026-10-05', amount: D('50.1234') },
      { organization: 'org-a', date: '2026-10-08', amount: D('3.5') },
    ],
    autoRechargeMonthlyLimit: D('30'),
    closingBalanceReported: { amount: D('20.00') },
  });
}

async function readBack(): Promise<{ wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet; l: ReturnType<typeof ledger>; xml: string }> {
  const l = ledger();
  const out = newWorkbook();
  const t = writeLedger(addSheet(out, LEDGER), l, 'USD');
  expect(t.headerRow).toBe(1);
  const bytes = await workbookBytes(out);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const xml = await (await JSZip.loadAsync(bytes)).file('xl/worksheets/sheet1.xml')!.async('string');
  return { wb, ws: wb.getWorksheet(LEDGER)!, l, xml };
}

describe('Ledger sheet', async () => {
  const { wb, ws, l, xml } = await readBack();
  const header: string[] = [];
  ws.getRow(1).eachCell((c) => header.push(String(c.value)));
  const col = (h: string) => header.indexOf(h) + 1;
  const last = 1 + l.days.length;

  it('the day table has a frozen bold header and the autofilter, although blocks follow it', () => {
    expect(header).toEqual(['Organisation', 'Local date', 'Opening', 'Top-ups', 'Grants', 'Usage', 'Expired', 'Closing', 'Available', 'Debt', 'Events']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    const af = ws.autoFilter as unknown;
    expect(typeof af === 'string' ? af : JSON.stringify(af)).toMatch(new RegExp(`A1:K${last}|"row":${last}`));
    // blocks with their own headers follow: the day header is not printed above them
    expect(ws.pageSetup.printTitlesRow).toBeUndefined();
    expect(ws.pageSetup.orientation).toBe('landscape');
  });

  it('one row per organisation and day with a real date cell and the balances', () => {
    expect(l.days).toHaveLength(10);
    const row = ws.getRow(2);
    expect(row.getCell(col('Organisation')).value).toBe('org-a');
    expect(row.getCell(col('Local date')).value).toEqual(new Date('2026-10-01T00:00:00Z'));
    expect(row.getCell(col('Local date')).numFmt).toBe('yyyy-mm-dd');
    expect(row.getCell(col('Opening')).value).toBe(5);
    expect(row.getCell(col('Closing')).value).toBe(l.days[0]!.closing.toNumber());
    expect(row.getCell(col('Closing')).numFmt).toContain('"USD"');
  });

  it('flows are totalled by SUM formulas over the cents shown (largest remainder); balances are not summed', () => {
    const total = ws.getRow(last + 1);
    expect(total.getCell(1).value).toBe('Total in the period');
    const topUps = total.getCell(col('Top-ups')).value as ExcelJS.CellFormulaValue;
    expect(topUps.formula).toBe(`SUM(D2:D${last})`);
    expect(topUps.result).toBe(l.days.reduce((s, d) => s.plus(d.topUps), Decimal.ZERO).toNumber());
    expect(topUps.result).toBe(65);
    const usage = total.getCell(col('Usage')).value as ExcelJS.CellFormulaValue;
    // 54.8734 exactly; the rows are shown in cents that add up to the total shown
    expect(usage.result).toBe(54.87);
    for (const h of ['Opening', 'Closing', 'Available', 'Debt']) expect(total.getCell(col(h)).value ?? null, h).toBeNull();
    for (const f of formulas(wb)) expect(evaluate(wb, f.ws, f.formula), `${f.address} ${f.formula}`).toBeCloseTo(f.result, 6);
  });

  it('events are in plain words, one per line, wrapped', () => {
    const events = ws.getRow(3).getCell(col('Events'));
    expect(String(events.value)).toMatch(/top-up 25\.00 \(receipt INV-3\)/);
    expect(events.alignment?.wrapText).toBe(true);
    const texts: string[] = [];
    for (let r = 2; r <= last; r++) texts.push(String(ws.getRow(r).getCell(col('Events')).value ?? ''));
    expect(texts.join('\n')).toMatch(/expired/);
    expect(texts.join('\n')).toMatch(/auto-recharge limit 30\.00 reached/);
  });

  it('below it: lots, credit expiring soon, auto-recharge months and the closing check, each with its own header', () => {
    const rowOf = new Map<string, number>();
    ws.eachRow((row) => rowOf.set(String(row.getCell(1).value ?? ''), row.number));
    const titles = [
      'Credit lots (used oldest first)',
      'Credit expiring in the next 30 / 60 / 90 days',
      'Auto-recharge per month',
      'Closing balance check',
      'How the ledger is computed',
    ];
    const at = titles.map((t) => rowOf.get(t) ?? -1);
    expect(at.every((i) => i > last)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // the lots table (title, note, header): one row per purchase, grant and the opening balance
    const lotHeader = at[0]! + 2;
    const lh: string[] = [];
    ws.getRow(lotHeader).eachCell((c) => lh.push(String(c.value)));
    expect(lh).toEqual(['Organisation', 'Purchased on', 'Kind', 'Reference', 'Purchased', 'Paid off debt', 'Used', 'Expired', 'Remaining', 'Expires on', 'Note']);
    const kinds: string[] = [];
    for (let r = lotHeader + 1; r <= lotHeader + l.lots.length; r++) kinds.push(String(ws.getRow(r).getCell(3).value));
    expect(kinds).toContain('grant');
    expect(kinds).toContain('auto top-up');
    // the 7.00 bought a year ago holds the whole opening balance (5.00): its note says so
    expect(String(ws.getRow(lotHeader + 1).getCell(11).value)).toMatch(/bought before the opening-balance date; 5.00 of it was unused then/);
    // the closing check says the dashboard differs
    const check = ws.getRow(at[3]! + 3);
    expect(check.getCell(3).value).toBe(20);
    expect(check.getCell(6).value).toBe(l.closingCheck!.matches ? 'matches' : 'differs');
    // blocks start on a new printed page: a break after the day table's totals row (exceljs writes but does not read it)
    expect(xml).toContain(`<rowBreaks count="1" manualBreakCount="1"><brk id="${last + 1}"`);
  });
});
