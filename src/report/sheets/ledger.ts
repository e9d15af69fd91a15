/**
 * The `Ledger` sheet (SPEC §4.4, §5.1): the day-by-day roll-forward of prepaid credit per
 * organisation, then — on the following page — the credit lots (oldest first), the credit
 * expiring soon, the auto-recharge months against their limit, the dashboard's closing
 * balance against the computed one, and the rules the ledger follows.
 *
 * Every block is a `writeTable` table; the sheet's frozen header, autofilter and printed
 * title row are the day table's (restored after the blocks below it are written).
 */
import type ExcelJS from 'exceljs';
import type { ExpiringLot, LedgerDay, LedgerResult, Lot, LotKind, AutoRechargeMonth } from '../../engine/ledger/index.js';
import { Decimal } from '../../money.js';
import { alignCells, applyWidths, fitWrapped, keepTableView, maxWidths, snapshotWidths } from '../sheet-layout.js';
import { HEADER_FONT, wrappedLines, writeTable, type Column, type WrittenTable } from '../table.js';
import { providerName } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';

export const LEDGER = 'Ledger';

const NO_ORG = '(no organisation)';
/** Wide enough for a day's events on a line or two; narrower would print the sheet below 60 % (issue #12). */
const EVENTS_WIDTH = 56;
/** Blank rows between blocks: one, so the blocks of a demo-sized month print on the one page after the day table. */
const GAP = 1;

const KIND_LABEL: Record<LotKind, string> = {
  manual: 'top-up',
  auto_recharge: 'auto top-up',
  invoice: 'invoice',
  grant: 'grant',
  opening: 'opening balance',
  usage_credit: 'billing credit',
};

const org = (o: string | null): string => o ?? NO_ORG;

function fmt(d: Decimal): string {
  const n = d.normalize();
  return n.scale <= 2 ? d.toDisplay(2) : n.toString();
}

function lotNote(l: Lot): string | null {
  const parts: string[] = [];
  if (l.kind === 'opening') parts.push('part of the opening balance with no known purchase');
  if (l.kind === 'usage_credit') parts.push('a day billed as a net credit');
  if (!l.carriedIn.eq(l.purchased)) parts.push(`bought before the opening-balance date; ${fmt(l.carriedIn)} of it was unused then`);
  if (l.expiresOn === null) parts.push('never expires');
  if (l.src) parts.push(`${l.src.file}:${l.src.line}`);
  return parts.length ? parts.join('; ') : null;
}

interface ExpiringRow {
  provider: string;
  lot: ExpiringLot;
  window: number;
  daysLeft: number;
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A bold title row for a block; returns the row after it. */
function title(ws: ExcelJS.Worksheet, row: number, text: string, note?: string): number {
  const cell = ws.getRow(row).getCell(1);
  cell.value = text;
  cell.font = { ...HEADER_FONT, size: 12 };
  if (!note) return row + 1;
  const n = ws.getRow(row + 1).getCell(1);
  n.value = note;
  n.font = { name: 'Calibri', size: 10, italic: true, color: { argb: 'FF555555' } };
  return row + 2;
}

/** Text spread over columns 1..cols (merged, wrapped, the row sized to show it). */
function paragraph(ws: ExcelJS.Worksheet, row: number, text: string, cols: number, widths: number[]): void {
  ws.mergeCells(row, 1, row, cols);
  const cell = ws.getRow(row).getCell(1);
  cell.value = text;
  cell.alignment = { wrapText: true, vertical: 'top' };
  const width = widths.slice(0, cols).reduce((s, w) => s + w, 0);
  const lines = wrappedLines(text, width);
  if (lines > 1) ws.getRow(row).height = 15 * lines;
}

/** What every block of the Ledger sheet writes with; `table` remembers each block's widths. */
interface LedgerSheet {
  ws: ExcelJS.Worksheet;
  ledger: LedgerResult;
  /** Providers meet in the ledger: its tables show a Provider column first. */
  several: boolean;
  table: <T>(columns: Column<T>[], rows: readonly T[], startRow?: number, totalsLabel?: string) => WrittenTable;
  widths: number[][];
  nCols: number;
}

/** Writes the ledger; returns the day table (the one Summary refers to). */
export function writeLedger(ws: ExcelJS.Worksheet, ledger: LedgerResult, currency: string): WrittenTable {
  const several = ledger.providers.length > 1;
  const dayColumns = withProviderColumn<LedgerResult['days'][number]>(
    [
      { header: 'Organisation', type: 'text', value: (d) => org(d.organization) },
      { header: 'Local date', type: 'date', value: (d) => d.date },
      { header: 'Opening', type: 'money', value: (d) => d.opening },
      { header: 'Top-ups', type: 'money', value: (d) => d.topUps, sum: true },
      { header: 'Grants', type: 'money', value: (d) => d.grants, sum: true },
      { header: 'Usage', type: 'money', value: (d) => d.out, sum: true },
      { header: 'Expired', type: 'money', value: (d) => d.expired, sum: true },
      { header: 'Closing', type: 'money', value: (d) => d.closing },
      { header: 'Available', type: 'money', value: (d) => d.available },
      { header: 'Debt', type: 'money', value: (d) => d.debt },
      { header: 'Events', type: 'text', value: (d: LedgerDay) => (d.events.length ? d.events.join('\n') : null), minWidth: 30, maxWidth: EVENTS_WIDTH, wrap: true },
    ],
    several,
  );
  const nCols = dayColumns.length;
  const widths: number[][] = [];
  /** writeTable, with wrapped columns fitted and figures kept apart from text; widths remembered. */
  const table = <T>(columns: Column<T>[], rows: readonly T[], startRow?: number, totalsLabel?: string): WrittenTable => {
    const fitted = fitWrapped(columns, rows);
    const t = writeTable(ws, fitted, rows, { currency, startRow, totalsLabel });
    alignCells(ws, t, fitted, t.totalsRow ?? t.lastDataRow);
    widths.push(snapshotWidths(ws, nCols));
    return t;
  };
  const days = table(dayColumns, ledger.days, undefined, 'Total in the period');
  // the day table's totals row; blocks start on the next printed page
  const dayEnd = days.totalsRow ?? days.lastDataRow;
  ws.getRow(dayEnd).addPageBreak();
  const s: LedgerSheet = { ws, ledger, several, table, widths, nCols };
  let row = dayEnd + 1 + GAP;
  row = writeLots(s, row);
  row = writeExpiringSoon(s, row);
  row = writeAutoRecharge(s, row);
  row = writeClosingCheck(s, row);
  writeRules(s, row, days);
  return days;
}

/** Credit lots, used oldest first. Returns the next free row. */
function writeLots(s: LedgerSheet, start: number): number {
  const { ws, ledger, table, several } = s;
  let row = title(ws, start, 'Credit lots (used oldest first)', `As at the end of ${ledger.period.to}. Carried in = paid off debt + used + expired + remaining.`);
  // totals are bold and can be wider than any lot: money columns get room for them
  const lotColumns = withProviderColumn<LedgerResult['lots'][number]>(
    [
      { header: 'Organisation', type: 'text', value: (l) => org(l.organization) },
      { header: 'Purchased on', type: 'date', value: (l) => l.purchasedOn },
      { header: 'Kind', type: 'text', value: (l) => KIND_LABEL[l.kind] },
      { header: 'Reference', type: 'text', value: (l) => l.reference },
      { header: 'Purchased', type: 'money', value: (l) => l.purchased, sum: true, minWidth: 13 },
      { header: 'Paid off debt', type: 'money', value: (l) => l.appliedToDebt, sum: true, minWidth: 13 },
      { header: 'Used', type: 'money', value: (l) => l.consumed, sum: true, minWidth: 13 },
      { header: 'Expired', type: 'money', value: (l) => l.expired, sum: true, minWidth: 13 },
      { header: 'Remaining', type: 'money', value: (l) => l.remaining, sum: true, minWidth: 13 },
      { header: 'Expires on', type: 'date', value: (l) => l.expiresOn },
      { header: 'Note', type: 'text', value: lotNote, maxWidth: EVENTS_WIDTH, wrap: true },
    ],
    several,
  );
  if (ledger.lots.length) {
    const t = table(lotColumns, ledger.lots, row);
    row = (t.totalsRow ?? t.lastDataRow) + 1 + GAP;
  } else {
    ws.getRow(row).getCell(1).value = 'No credit was bought or granted.';
    row += 1 + GAP;
  }
  return row;
}

/** Credit expiring in the next 30 / 60 / 90 days, and the lots behind it. Returns the next free row. */
function writeExpiringSoon(s: LedgerSheet, start: number): number {
  const { ws, ledger, table, several } = s;
  let row = start;
  const soon = ledger.expiringSoon;
  row = title(ws, row, 'Credit expiring in the next 30 / 60 / 90 days', `Unused at the end of ${soon.asOf}; it expires unless usage draws it first.`);
  const windows = [soon.within30, soon.within60, soon.within90];
  const windowRows = windows.map((w) => ({ label: `within ${w.days} days`, until: w.until, amount: w.amount, count: w.lots.length }));
  const wt = table(
    [
      { header: 'Expiring', type: 'text', value: (r: (typeof windowRows)[number]) => r.label },
      { header: 'By (inclusive)', type: 'date', value: (r) => r.until },
      { header: 'Amount', type: 'money', value: (r) => r.amount },
      { header: 'Lots', type: 'integer', value: (r) => r.count },
    ],
    windowRows,
    row,
  );
  row = wt.lastDataRow + 2;
  const expiring: ExpiringRow[] = soon.within90.lots.map((lot) => {
    const window = windows.find((w) => w.lots.some((l) => l.lotId === lot.lotId))!.days;
    return { provider: lot.provider, lot, window, daysLeft: daysBetween(soon.asOf, lot.expiresOn) };
  });
  if (expiring.length) {
    const et = table(
      withProviderColumn<ExpiringRow>(
        [
          { header: 'Organisation', type: 'text', value: (r: ExpiringRow) => org(r.lot.organization) },
          { header: 'Expires on', type: 'date', value: (r) => r.lot.expiresOn },
          { header: 'Kind', type: 'text', value: (r) => KIND_LABEL[r.lot.kind] },
          { header: 'Reference', type: 'text', value: (r) => r.lot.reference },
          { header: 'Unused', type: 'money', value: (r) => r.lot.amount, sum: true },
          { header: 'Purchased on', type: 'date', value: (r) => r.lot.purchasedOn },
          { header: 'Days left', type: 'integer', value: (r) => r.daysLeft },
          { header: 'Window', type: 'text', value: (r) => `within ${r.window} days` },
        ],
        several,
      ),
      expiring,
      row,
    );
    row = (et.totalsRow ?? et.lastDataRow) + 1 + GAP;
  } else {
    ws.getRow(row).getCell(1).value = `No unused credit expires by ${soon.within90.until}.`;
    row += 1 + GAP;
  }
  return row;
}

/** Auto-recharge months against the configured limit (when there are any). Returns the next free row. */
function writeAutoRecharge(s: LedgerSheet, start: number): number {
  const { ws, ledger, table, several } = s;
  let row = start;
  if (ledger.autoRecharge.length) {
    const limited = ledger.autoRecharge.some((m) => m.limit !== null);
    row = title(
      ws,
      row,
      'Auto-recharge per month',
      limited
        ? 'Paid auto top-ups per organisation and calendar month (local dates) against the configured monthly limit.'
        : 'No monthly limit is configured (autoRechargeMonthlyLimit); the totals are shown for reference.',
    );
    const art = table(
      withProviderColumn<LedgerResult['autoRecharge'][number]>(
        [
          { header: 'Organisation', type: 'text', value: (m: AutoRechargeMonth) => org(m.organization) },
          { header: 'Month', type: 'text', value: (m) => m.month },
          { header: 'Limit', type: 'money', value: (m) => m.limit },
          { header: 'Auto top-ups', type: 'money', value: (m) => m.total, sum: true },
          { header: 'Count', type: 'integer', value: (m) => m.count, sum: true },
          { header: 'Limit reached on', type: 'date', value: (m) => m.reachedOn },
          { header: 'Beyond the limit', type: 'money', value: (m) => m.overLimit.reduce((s, o) => s.plus(o.amount), Decimal.ZERO), sum: true },
        ],
        several,
      ),
      ledger.autoRecharge,
      row,
    );
    row = (art.totalsRow ?? art.lastDataRow) + 1 + GAP;
  }
  return row;
}

/** The closing balance the dashboard shows against the ledger (when one was given). Returns the next free row. */
function writeClosingCheck(s: LedgerSheet, start: number): number {
  const { ws, ledger, table, widths, nCols, several } = s;
  let row = start;
  const check = ledger.closingCheck;
  const whose = (c: NonNullable<LedgerResult['closingCheck']>) => (several ? `${providerName(c.provider)}: ` : '');
  if (check) {
    row = title(ws, row, 'Closing balance check', 'The balance the dashboard shows against the balance the ledger computes.');
    const ct = table(
      [
        {
          header: 'Organisation',
          type: 'text',
          value: (c: NonNullable<LedgerResult['closingCheck']>) =>
            whose(c) + (c.organizations.length === 1 ? org(c.organizations[0]!) : `${c.organizations.length} organisations, summed`),
        },
        { header: 'End of', type: 'date', value: (c) => c.date },
        { header: 'Reported', type: 'money', value: (c) => c.reported },
        { header: 'Computed', type: 'money', value: (c) => c.computed },
        { header: 'Difference', type: 'money', value: (c) => c.difference },
        { header: 'Result', type: 'text', value: (c) => (c.matches ? 'matches' : 'differs') },
      ],
      [check],
      row,
    );
    row = ct.lastDataRow + 2;
    if (check.organizations.length > 1) {
      const finalWidths = maxWidths(widths);
      paragraph(ws, row++, `The reported balance was compared with the sum of ${check.organizations.map(org).join(', ')}.`, nCols, finalWidths);
      row++;
    }
    if (!check.matches && check.likelyCauses.length) {
      const c = ws.getRow(row++).getCell(1);
      c.value = 'Likely causes, most likely first:';
      c.font = HEADER_FONT;
      const finalWidths = maxWidths(widths);
      for (const [i, cause] of check.likelyCauses.entries()) paragraph(ws, row++, `${i + 1}. ${cause}`, nCols, finalWidths);
    }
    row += GAP;
  }
  return row;
}

/** The rules; then the final widths, and the day table's view and filter for the sheet. */
function writeRules(s: LedgerSheet, start: number, days: WrittenTable): void {
  const { ws, ledger, widths, nCols } = s;
  let row = title(ws, start, 'How the ledger is computed');
  const finalWidths = maxWidths(widths);
  for (const rule of ledger.rules) paragraph(ws, row++, `• ${rule}`, nCols, finalWidths);

  // the blocks each set widths, view and filter for their own table: the sheet keeps the day table's
  applyWidths(ws, finalWidths);
  keepTableView(ws, days, nCols, false);
}
