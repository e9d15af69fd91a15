/**
 * The reimbursement workbook (SPEC §5.2, `reports/<period>-reimbursement.xlsx`): what each
 * cost centre and cardholder paid the provider, as actually charged, with the receipt that
 * proves it and each charge's allocation to projects; approver columns left empty.
 *
 * Sheets: `Summary` (claims per cost centre and cardholder, tie-out to the statements,
 * allocation to projects — live formulas over the other sheets with cached values), one
 * sheet per cardholder cost centre (each charge row followed by its project shares),
 * `Subscriptions (not API)`, `Not claimed`, `Exceptions` (the last three when not empty).
 *
 * Rows are ordered currency first (home currency first), so each currency's rows — and each
 * cardholder's rows of one currency — are contiguous and every total is a plain SUM over a
 * range; money cells carry their currency in the number format, so no currency column is needed.
 */
import { join } from 'node:path';
import type ExcelJS from 'exceljs';
import {
  buildReimbursement,
  minorUnits,
  UNALLOCATED_PROJECT,
  type AllocationBasisRow,
  type AllocationShare,
  type CardholderConfig,
  type CostCentreGroup,
  type NotClaimedLine,
  type ProjectAllocationTotal,
  type ProjectUsage,
  type ReimbursementCharge,
  type ReimbursementException,
  type ReimbursementResult,
} from '../engine/reimbursement.js';
import { Decimal } from '../money.js';
import type { ReportResult } from '../results.js';
import { redactSecrets, stripInvisible } from '../redact.js';
import { DATE_FORMAT, moneyFormat } from './cells.js';
import { alignCells, applyWidths, fitWrapped, keepTableView, maxWidths, snapshotWidths } from './sheet-layout.js';
import { columnLetter, HEADER_FONT, wrappedLines, writeTable, type Column, type WrittenTable } from './table.js';
import { addSheet, newWorkbook, saveWorkbook, workbookBytes } from './workbook.js';

export const SUMMARY = 'Summary';
export const SUBSCRIPTIONS = 'Subscriptions (not API)';
export const NOT_CLAIMED = 'Not claimed';
export const EXCEPTIONS = 'Exceptions';
/** Names a cost-centre sheet may not take ("History" is reserved by Excel). */
const RESERVED = [SUMMARY, SUBSCRIPTIONS, NOT_CLAIMED, EXCEPTIONS, 'History'];

/** What the workbook needs of a run (a `ReportResult` is one). */
export type ReimbursementSource = Pick<ReportResult, 'period' | 'homeCurrency' | 'reconciliation' | 'payments' | 'cardLines'> & {
  /** The cost export's currency (of the billed usage the charges are allocated by). */
  currency?: string;
  attribution: { summaries: { byProject: readonly ProjectUsage[] } } | null;
};

/** The config parts it reads (a `Config` is one). */
export interface ReimbursementSettings {
  cardholders: Readonly<Record<string, CardholderConfig>>;
  projects?: Readonly<Record<string, { name?: string; costCenter?: string }>>;
}

export class ReimbursementUnavailableError extends Error {}

/** `reports/2026-10-reimbursement.xlsx` beside the reconciliation workbook. */
export function reimbursementWorkbookPath(period: { label: string }, dir = 'reports'): string {
  return join(dir, `${period.label}-reimbursement.xlsx`);
}

export function reimbursementFromReport(result: ReimbursementSource, settings: ReimbursementSettings): ReimbursementResult {
  if (!result.reconciliation) {
    throw new ReimbursementUnavailableError(
      'the reimbursement workbook needs card statements and a payment history (--statement, --payments): without them there are no charges to claim',
    );
  }
  return buildReimbursement({
    reconciliation: result.reconciliation,
    cardLines: result.cardLines,
    payments: result.payments,
    byProject: result.attribution?.summaries.byProject ?? [],
    cardholders: settings.cardholders,
    projects: settings.projects,
    homeCurrency: result.homeCurrency,
    usageCurrency: result.currency,
    period: result.period,
  });
}

export function buildReimbursementWorkbook(result: ReimbursementSource, settings: ReimbursementSettings): ExcelJS.Workbook {
  return reimbursementWorkbook(reimbursementFromReport(result, settings));
}

export async function writeReimbursementWorkbook(result: ReimbursementSource, settings: ReimbursementSettings, path: string): Promise<void> {
  await saveWorkbook(buildReimbursementWorkbook(result, settings), path);
}

export async function reimbursementWorkbookBytes(result: ReimbursementSource, settings: ReimbursementSettings): Promise<Buffer> {
  return workbookBytes(buildReimbursementWorkbook(result, settings));
}

// ---------------------------------------------------------------------------
// Sheet names

const FORBIDDEN = /[:\\/?*[\]]/g;
const MAX_NAME = 31;

/** Truncates to `n` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  let out = s.slice(0, n);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out;
}

/** A legal sheet name, secrets redacted: no : \ / ? * [ ], no leading/trailing apostrophe, at most 31 characters. */
export function sanitiseSheetName(name: string): string {
  // redacted before it is cut, so no part of a key survives in the name (or in formulas naming it)
  let s = redactSecrets(stripInvisible(name)).replace(FORBIDDEN, '-').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  s = s.replace(/^'+|'+$/g, '').trim();
  s = cut(s, MAX_NAME).trim();
  return s === '' ? 'Cost centre' : s;
}

/** Sanitised, unique (case-insensitively, as Excel requires) names, in input order: "Name (2)", "Name (3)". */
export function uniqueSheetNames(names: readonly string[], reserved: readonly string[] = RESERVED): string[] {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return names.map((n) => {
    const base = sanitiseSheetName(n);
    let name = base;
    for (let k = 2; taken.has(name.toLowerCase()); k++) {
      const suffix = ` (${k})`;
      name = `${cut(base, MAX_NAME - suffix.length).trim()}${suffix}`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}

// ---------------------------------------------------------------------------
// Cell helpers

const GREY = { argb: 'FF8A8A8A' };
const CHARGE_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4F7FA' } };
const FILL_IN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  bottom: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  left: { style: 'thin', color: { argb: 'FFB8C2CC' } },
  right: { style: 'thin', color: { argb: 'FFB8C2CC' } },
};
const NOTE_FONT = { name: 'Calibri', size: 10, italic: true, color: { argb: 'FF555555' } };

/** Money format at the currency's minor unit (one format for both workbooks, cells.ts). */
export const currencyFormat = moneyFormat;

/** A sheet reference for formulas: 'Name'!A1. */
function ref(sheet: string, cell: string): string {
  return `'${sheet.replace(/'/g, "''")}'!${cell}`;
}

/** A string literal inside a formula. */
function lit(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** Header/footer text: `&` starts a code there, so a literal one is doubled. */
function hfText(text: string): string {
  return text.replace(/&/g, '&&');
}

function num(d: Decimal): number {
  return d.toNumber();
}

function sumOf<T>(rows: readonly T[], f: (r: T) => Decimal | null): Decimal {
  return rows.reduce((s, r) => s.plus(f(r) ?? Decimal.ZERO), Decimal.ZERO);
}

/** Home currency first, then alphabetical. */
function currenciesOf(list: readonly string[], home: string): string[] {
  return [...new Set(list)].sort((a, b) => (a === home ? -1 : b === home ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

function setFooter(ws: ExcelJS.Worksheet, sheet: string, period: string): void {
  ws.headerFooter.oddFooter = `&L${hfText(sheet)}&C${hfText(`Reimbursement ${period}`)}&RPage &P of &N`;
}

/** A title above a table; returns the next free row. */
function title(ws: ExcelJS.Worksheet, row: number, text: string, size = 12, col = 1): number {
  const c = ws.getRow(row).getCell(col);
  c.value = text;
  c.font = { ...HEADER_FONT, size };
  return row + 1;
}

/** An italic line under a title (not merged: it may run across the empty cells to its right). */
function subtitle(ws: ExcelJS.Worksheet, row: number, text: string): number {
  const c = ws.getRow(row).getCell(1);
  c.value = text;
  c.font = NOTE_FONT;
  return row + 1;
}

/** Text merged over columns 1..cols, wrapped, the row sized to show it. */
function paragraph(ws: ExcelJS.Worksheet, row: number, text: string, cols: number, font: Partial<ExcelJS.Font> = NOTE_FONT): number {
  ws.mergeCells(row, 1, row, cols);
  const c = ws.getRow(row).getCell(1);
  c.value = text;
  c.font = font;
  c.alignment = { wrapText: true, vertical: 'top' };
  const width = snapshotWidths(ws, cols).reduce((s, w) => s + w, 0);
  const lines = wrappedLines(text, width);
  if (lines > 1) ws.getRow(row).height = 15 * lines;
  return row + 1;
}

interface Range {
  first: number;
  last: number;
}

interface MoneyTable {
  table: WrittenTable;
  columns: Column<unknown>[];
  /** Totals row of each currency (one row per currency). */
  totalsRow: Map<string, number>;
  /** Rows of each currency (contiguous unless the table has a currency column). */
  blocks: Map<string, Range>;
  /** Last row written (totals included). */
  endRow: number;
}

/**
 * writeTable, with money at each currency's minor unit and one totals row per currency:
 * a SUM over the currency's block of rows (rows must come currency by currency), or, for a
 * table with a currency column, a SUMIF on it — never a SUM that adds dollars to euros.
 */
function writeMoneyTable<T>(
  ws: ExcelJS.Worksheet,
  columnsIn: Column<T>[],
  rows: readonly T[],
  opts: { home: string; currencyOf: (r: T) => string; currencyHeader?: string; startRow?: number; totalsLabel?: string },
): MoneyTable {
  const columns = fitWrapped(columnsIn, rows);
  const currencies = currenciesOf(rows.map(opts.currencyOf), opts.home);
  const table = writeTable(ws, columns, rows, { currency: currencies[0] ?? opts.home, startRow: opts.startRow, totalsLabel: opts.totalsLabel });
  const blocks = new Map<string, Range>();
  rows.forEach((r, k) => {
    const cur = opts.currencyOf(r);
    const rr = table.firstDataRow + k;
    const b = blocks.get(cur);
    if (!b) blocks.set(cur, { first: rr, last: rr });
    else if (b.last === rr - 1 || opts.currencyHeader) b.last = rr;
    else throw new Error(`internal: rows of ${cur} are not contiguous`);
  });
  const moneyCols = columns.map((c, i) => ({ c, i })).filter((x) => x.c.type === 'money');
  rows.forEach((r, k) => {
    const cur = opts.currencyOf(r);
    if (minorUnits(cur) === 2) return;
    for (const { i } of moneyCols) {
      const cell = ws.getRow(table.firstDataRow + k).getCell(i + 1);
      if (cell.value !== null && cell.value !== undefined) cell.numFmt = currencyFormat(cur);
    }
  });
  const totalsRow = new Map<string, number>();
  let endRow = table.lastDataRow;
  if (table.totalsRow !== null) {
    const labelCol = columns.findIndex((c) => !c.sum) + 1;
    const curCol = opts.currencyHeader ? table.col(opts.currencyHeader) : null;
    const list = currencies.length ? currencies : [opts.home];
    list.forEach((cur, n) => {
      const rowNo = table.totalsRow! + n;
      totalsRow.set(cur, rowNo);
      const row = ws.getRow(rowNo);
      if (list.length > 1 && labelCol > 0) row.getCell(labelCol).value = `${opts.totalsLabel ?? 'Total'} ${cur}`;
      const ofCur = rows.filter((r) => opts.currencyOf(r) === cur);
      const b = blocks.get(cur);
      for (const { c, i } of moneyCols) {
        if (!c.sum) continue;
        const total = sumOf(ofCur, (r) => {
          const v = c.value(r);
          return v instanceof Decimal ? v : v === null ? null : Decimal.from(String(v));
        });
        const L = columnLetter(i + 1);
        const all = (col: string) => `${col}${table.firstDataRow}:${col}${table.lastDataRow}`;
        const formula = !b ? '0' : curCol && list.length > 1 ? `SUMIF(${all(curCol)},${lit(cur)},${all(L)})` : `SUM(${L}${b.first}:${L}${b.last})`;
        const cell = row.getCell(i + 1);
        cell.value = { formula, result: num(total) };
        cell.numFmt = currencyFormat(cur);
        cell.font = HEADER_FONT;
      }
      if (n > 0) columns.forEach((_, i) => (row.getCell(i + 1).font = HEADER_FONT));
      endRow = rowNo;
    });
  }
  alignCells(ws, table, columns, endRow);
  return { table, columns: columns as Column<unknown>[], totalsRow, blocks, endRow };
}

// ---------------------------------------------------------------------------
// The workbook

/** Where a cardholder's rows of one currency are on a sheet: Summary's formulas point there. */
interface Placed {
  sheet: string;
  range: Range;
  col: string;
}

/** A cost-centre sheet's table, for Summary's formulas. */
interface CcSheetRefs {
  sheet: string;
  /** Totals row per currency. */
  totals: Map<string, number>;
  /** Rows per currency. */
  blocks: Map<string, Range>;
  chargedCol: string;
  shareCol: string;
  projectCol: string;
}

const holderKey = (costCentre: string, name: string, currency: string) => `${costCentre}\u0000${name}\u0000${currency}`;

export function reimbursementWorkbook(r: ReimbursementResult): ExcelJS.Workbook {
  const wb = newWorkbook();
  const summary = addSheet(wb, SUMMARY);
  // a cost centre with only subscriptions has no sheet of its own (its plans are on Subscriptions)
  const withCharges = r.costCentres.filter((cc) => cc.cardholders.some((h) => h.charges.length));
  const ccNames = uniqueSheetNames(withCharges.map((c) => c.costCentre));
  const ccSheets = withCharges.map((cc, i) => ({ cc, name: ccNames[i]!, ws: addSheet(wb, ccNames[i]!) }));
  const hasSubs = r.costCentres.some((cc) => cc.cardholders.some((h) => h.subscriptions.length));
  const subsWs = hasSubs ? addSheet(wb, SUBSCRIPTIONS) : null;
  const notWs = r.notClaimed.length ? addSheet(wb, NOT_CLAIMED) : null;
  const excWs = r.exceptions.length ? addSheet(wb, EXCEPTIONS) : null;

  const apiPlaced = new Map<string, Placed>();
  const ccRefs: CcSheetRefs[] = [];
  for (const { cc, name, ws } of ccSheets) {
    const w = writeCostCentre(ws, name, cc, r);
    for (const [k, range] of w.holderRanges) apiPlaced.set(k, { sheet: name, range, col: w.refs.chargedCol });
    ccRefs.push(w.refs);
  }
  const subsPlaced = new Map<string, Placed>();
  let subsTotals = new Map<string, number>();
  let subsCol = '';
  if (subsWs) {
    const w = writeSubscriptions(subsWs, r);
    for (const [k, range] of w.holderRanges) subsPlaced.set(k, { sheet: SUBSCRIPTIONS, range, col: w.chargedCol });
    subsTotals = w.totalsRow;
    subsCol = w.chargedCol;
  }
  let notTotals = new Map<string, number>();
  let notCol = '';
  if (notWs) {
    const w = writeNotClaimed(notWs, r);
    notTotals = w.totalsRow;
    notCol = w.amountCol;
  }
  if (excWs) writeExceptions(excWs, r);
  writeSummary(summary, r, {
    apiPlaced,
    subsPlaced,
    ccRefs,
    subsTotals,
    subsCol,
    notTotals,
    notCol,
    sheetOf: new Map(ccSheets.map((s) => [s.cc.costCentre, s.name])),
  });
  return wb;
}

// ---------------------------------------------------------------------------
// One sheet per cost centre: each charge, then its shares

type CcRow = { kind: 'charge'; ch: ReimbursementCharge } | { kind: 'share'; ch: ReimbursementCharge; share: AllocationShare };

/** Project labels: the name, with the id where two projects share a name or there is no name. */
function projectLabeller(r: ReimbursementResult): (s: { projectId: string; projectName: string | null }) => string {
  const count = new Map<string, number>();
  for (const b of r.allocationBasis) if (b.projectName) count.set(b.projectName, (count.get(b.projectName) ?? 0) + 1);
  return (s) => {
    // with no basis every charge is one unallocated share; with one, "(unallocated)" is billed usage without a project
    if (s.projectId === UNALLOCATED_PROJECT) return r.allocationBasis.length ? '(no project in the cost export)' : UNALLOCATED_PROJECT;
    if (!s.projectName) return s.projectId;
    return (count.get(s.projectName) ?? 0) > 1 ? `${s.projectName} (${s.projectId})` : s.projectName;
  };
}

function writeCostCentre(ws: ExcelJS.Worksheet, sheet: string, cc: CostCentreGroup, r: ReimbursementResult) {
  setFooter(ws, sheet, r.period.label);
  const label = projectLabeller(r);
  const rows: CcRow[] = [];
  for (const cur of currenciesOf(cc.apiTotals.map((t) => t.currency), r.homeCurrency)) {
    for (const h of cc.cardholders) {
      for (const ch of h.charges) {
        if (ch.currency !== cur) continue;
        rows.push({ kind: 'charge', ch });
        for (const share of ch.shares) rows.push({ kind: 'share', ch, share });
      }
    }
  }
  const columns: Column<CcRow>[] = [
    { header: 'Date', type: 'date', value: (x) => x.ch.date },
    { header: 'Cardholder', type: 'text', value: (x) => x.ch.cardholder, maxWidth: 24, wrap: true },
    { header: 'Card', type: 'text', value: (x) => x.ch.cardLast4, minWidth: 6 },
    { header: 'Description', type: 'text', value: (x) => (x.kind === 'charge' ? x.ch.description : null), maxWidth: 32, wrap: true },
    { header: 'Receipt', type: 'text', value: (x) => x.ch.receipt, maxWidth: 22, wrap: true },
    { header: 'Charged', type: 'money', value: (x) => (x.kind === 'charge' ? x.ch.amount : null), currency: (x) => x.ch.currency, sum: true },
    { header: 'Project', type: 'text', value: (x) => (x.kind === 'share' ? label(x.share) : null), maxWidth: 28, wrap: true },
    { header: 'Project cost centre', type: 'text', value: (x) => (x.kind === 'share' ? x.share.projectCostCenter : null), maxWidth: 32, wrap: true },
    { header: 'Share', type: 'money', value: (x) => (x.kind === 'share' ? x.share.amount : null), currency: (x) => x.ch.currency, sum: true },
    {
      header: 'Flags',
      type: 'text',
      value: (x) => (x.kind === 'charge' ? x.ch.flags.map((f) => f.label).join('\n') || null : x.share.reason),
      minWidth: 16,
      maxWidth: 36,
      wrap: true,
    },
    { header: 'Approver', type: 'text', value: () => null, minWidth: 20 },
    { header: 'Approval date', type: 'date', value: () => null, minWidth: 14 },
  ];
  let row = title(ws, 1, `${cc.costCentre} — API credit charges, ${r.period.label}`, 14);
  row = subtitle(
    ws,
    row,
    `As charged to the card, no conversion. Each charge (shaded) is followed by its split over projects by billed usage from ${r.period.from} to ${r.period.to}; the shares add up to the charge. Approver and approval date: to fill in.`,
  );
  const t = writeMoneyTable(ws, columns, rows, { home: r.homeCurrency, currencyOf: (x) => x.ch.currency, startRow: row + 1 });
  const tb = t.table;
  const col = (h: string) => columns.findIndex((c) => c.header === h) + 1;
  const chargedCol = tb.col('Charged');
  const shareCol = tb.col('Share');
  const projectCol = tb.col('Project');
  const context = ['Date', 'Cardholder', 'Card', 'Receipt'].map(col);
  rows.forEach((x, k) => {
    const er = ws.getRow(tb.firstDataRow + k);
    if (x.kind === 'charge') {
      columns.forEach((_, i) => (er.getCell(i + 1).fill = CHARGE_FILL));
      er.getCell(col('Charged')).font = HEADER_FONT;
      er.getCell(col('Approver')).border = FILL_IN_BORDER;
      er.getCell(col('Approval date')).border = FILL_IN_BORDER;
      er.getCell(col('Approval date')).numFmt = DATE_FORMAT;
    } else {
      // the charge's context, repeated in grey so a filter on a project still shows whose charge it is
      for (const i of context) er.getCell(i).font = { name: 'Calibri', size: 11, color: GREY };
    }
  });
  const holderRanges = new Map<string, Range>();
  rows.forEach((x, k) => {
    const key = holderKey(cc.costCentre, x.ch.cardholder, x.ch.currency);
    const rr = tb.firstDataRow + k;
    const cur = holderRanges.get(key);
    if (cur) cur.last = rr;
    else holderRanges.set(key, { first: rr, last: rr });
  });

  // shares − charged = 0, per currency: the split adds up
  let next = t.endRow + 1;
  for (const [cur, tr] of t.totalsRow) {
    const er = ws.getRow(next++);
    er.getCell(col('Description')).value = `Shares − charged${t.totalsRow.size > 1 ? `, ${cur}` : ''} (must be 0)`;
    er.getCell(col('Description')).font = NOTE_FONT;
    const cell = er.getCell(col('Share'));
    cell.value = { formula: `${shareCol}${tr}-${chargedCol}${tr}`, result: 0 };
    cell.numFmt = currencyFormat(cur);
  }

  // totals by cardholder, in the columns of the table above
  next += 2;
  const heading = (rowNo: number, cells: [string, string][]) => {
    const er = ws.getRow(rowNo);
    for (const [h, text] of cells) {
      const c = er.getCell(col(h));
      c.value = text;
      c.font = HEADER_FONT;
      c.border = { bottom: { style: 'thin', color: { argb: 'FF8899AA' } } };
    }
  };
  next = title(ws, next, 'Totals by cardholder', 12, col('Cardholder'));
  heading(next++, [
    ['Cardholder', 'Cardholder'],
    ['Card', 'Cards'],
    ['Charged', 'Charged'],
    ['Share', 'Allocated'],
  ]);
  for (const cur of currenciesOf(cc.apiTotals.map((x) => x.currency), r.homeCurrency)) {
    for (const h of cc.cardholders) {
      const range = holderRanges.get(holderKey(cc.costCentre, h.name, cur));
      if (!range) continue;
      const charges = h.charges.filter((c) => c.currency === cur);
      const er = ws.getRow(next++);
      er.getCell(col('Cardholder')).value = h.name;
      er.getCell(col('Card')).value = h.cardLast4.join(', ') || null;
      const charged = er.getCell(col('Charged'));
      charged.value = { formula: `SUM(${chargedCol}${range.first}:${chargedCol}${range.last})`, result: num(sumOf(charges, (c) => c.amount)) };
      charged.numFmt = currencyFormat(cur);
      const shares = er.getCell(col('Share'));
      shares.value = { formula: `SUM(${shareCol}${range.first}:${shareCol}${range.last})`, result: num(sumOf(charges, (c) => sumOf(c.shares, (s) => s.amount))) };
      shares.numFmt = currencyFormat(cur);
    }
  }

  // this cost centre's charges by project (cost allocation)
  const byProject = new Map<string, { label: string; costCentre: string | null; currency: string; amount: Decimal }>();
  for (const x of rows) {
    if (x.kind !== 'share') continue;
    const l = label(x.share);
    const k = `${x.ch.currency}\u0000${l}`;
    const p = byProject.get(k);
    if (p) p.amount = p.amount.plus(x.share.amount);
    else byProject.set(k, { label: l, costCentre: x.share.projectCostCenter, currency: x.ch.currency, amount: x.share.amount });
  }
  if (byProject.size) {
    next = title(ws, next + 2, 'Allocation to projects', 12, col('Project'));
    heading(next++, [
      ['Project', 'Project'],
      ['Project cost centre', 'Project cost centre'],
      ['Share', 'Allocated'],
    ]);
    for (const cur of currenciesOf([...byProject.values()].map((p) => p.currency), r.homeCurrency)) {
      const b = t.blocks.get(cur)!;
      const rg = (L: string) => `${L}${b.first}:${L}${b.last}`;
      const list = [...byProject.values()].filter((p) => p.currency === cur).sort((a, z) => (a.label < z.label ? -1 : a.label > z.label ? 1 : 0));
      for (const p of list) {
        const er = ws.getRow(next++);
        er.getCell(col('Project')).value = p.label;
        er.getCell(col('Project')).alignment = { indent: 1 };
        er.getCell(col('Project cost centre')).value = p.costCentre;
        const cell = er.getCell(col('Share'));
        // the criterion by reference to the label beside it: a literal over 255 characters breaks the file
        cell.value = { formula: `SUMPRODUCT((${rg(projectCol)}=${projectCol}${er.number})*1,${rg(shareCol)})`, result: num(p.amount) };
        cell.numFmt = currencyFormat(cur);
      }
    }
  }
  keepTableView(ws, tb, columns.length, false);
  const refs: CcSheetRefs = { sheet, totals: t.totalsRow, blocks: t.blocks, chargedCol, shareCol, projectCol };
  return { refs, holderRanges };
}

// ---------------------------------------------------------------------------
// Subscriptions, not claimed, exceptions

function approvalBoxes(ws: ExcelJS.Worksheet, t: WrittenTable, n: number, approverCol: number): void {
  for (let k = 0; k < n; k++) {
    const er = ws.getRow(t.firstDataRow + k);
    er.getCell(approverCol).border = FILL_IN_BORDER;
    er.getCell(approverCol + 1).border = FILL_IN_BORDER;
    er.getCell(approverCol + 1).numFmt = DATE_FORMAT;
  }
}

function writeSubscriptions(ws: ExcelJS.Worksheet, r: ReimbursementResult) {
  setFooter(ws, SUBSCRIPTIONS, r.period.label);
  // currency, cost centre, cardholder: each cardholder's rows of a currency are contiguous
  const all = r.costCentres.flatMap((cc) => cc.cardholders.flatMap((h) => h.subscriptions));
  const rows = currenciesOf(all.map((c) => c.currency), r.homeCurrency).flatMap((cur) => all.filter((c) => c.currency === cur));
  const columns: Column<ReimbursementCharge>[] = [
    { header: 'Date', type: 'date', value: (c) => c.date },
    { header: 'Cost centre', type: 'text', value: (c) => c.costCentre, maxWidth: 26, wrap: true },
    { header: 'Cardholder', type: 'text', value: (c) => c.cardholder, maxWidth: 24, wrap: true },
    { header: 'Card', type: 'text', value: (c) => c.cardLast4, minWidth: 6 },
    { header: 'Description', type: 'text', value: (c) => c.description, maxWidth: 32, wrap: true },
    { header: 'Receipt', type: 'text', value: (c) => c.receipt, maxWidth: 22, wrap: true },
    { header: 'Charged', type: 'money', value: (c) => c.amount, currency: (c) => c.currency, sum: true },
    { header: 'Flags', type: 'text', value: (c) => c.flags.map((f) => f.label).join('\n') || null, minWidth: 16, maxWidth: 36, wrap: true },
    { header: 'Approver', type: 'text', value: () => null, minWidth: 20 },
    { header: 'Approval date', type: 'date', value: () => null, minWidth: 14 },
  ];
  let row = title(ws, 1, `ChatGPT subscriptions on the API cards, ${r.period.label}: not API credit`, 14);
  row = subtitle(ws, row, 'ChatGPT plans charged to the cards used for API credit. Book them as subscriptions: they are not allocated to API projects and are not on the cost-centre sheets.');
  const t = writeMoneyTable(ws, columns, rows, { home: r.homeCurrency, currencyOf: (c) => c.currency, startRow: row + 1 });
  approvalBoxes(ws, t.table, rows.length, columns.findIndex((c) => c.header === 'Approver') + 1);
  const holderRanges = new Map<string, Range>();
  rows.forEach((c, k) => {
    const rr = t.table.firstDataRow + k;
    const key = holderKey(c.costCentre, c.cardholder, c.currency);
    const cur = holderRanges.get(key);
    if (cur && cur.last === rr - 1) cur.last = rr;
    else if (!cur) holderRanges.set(key, { first: rr, last: rr });
    else throw new Error('internal: subscription rows of a cardholder are not contiguous');
  });
  keepTableView(ws, t.table, columns.length);
  return { chargedCol: t.table.col('Charged'), totalsRow: t.totalsRow, holderRanges };
}

function writeNotClaimed(ws: ExcelJS.Worksheet, r: ReimbursementResult) {
  setFooter(ws, NOT_CLAIMED, r.period.label);
  const rows = currenciesOf(r.notClaimed.map((l) => l.currency), r.homeCurrency).flatMap((cur) => r.notClaimed.filter((l) => l.currency === cur));
  const columns: Column<NotClaimedLine>[] = [
    { header: 'Date', type: 'date', value: (l) => l.date },
    { header: 'Cardholder', type: 'text', value: (l) => l.cardholder, maxWidth: 24, wrap: true },
    { header: 'Card', type: 'text', value: (l) => l.cardLast4, minWidth: 6 },
    { header: 'Description', type: 'text', value: (l) => l.description, maxWidth: 32, wrap: true },
    { header: 'Amount', type: 'money', value: (l) => l.amount, currency: (l) => l.currency, sum: true },
    { header: 'Bank status', type: 'text', value: (l) => l.status },
    { header: 'Class', type: 'text', value: (l) => l.class.replace(/_/g, ' '), maxWidth: 24, wrap: true },
    { header: 'Why it is not claimed', type: 'text', value: (l) => l.reason, maxWidth: 50, wrap: true },
    { header: 'Statement line', type: 'text', value: (l) => `${l.src.file}:${l.src.line}`, maxWidth: 44, wrap: true },
  ];
  let row = title(ws, 1, `Provider card lines not claimed, ${r.period.label}`, 14);
  row = subtitle(ws, row, 'Lines of the statements that belong to the provider but are not reimbursed in this period, and why. With the claimed lines they add up to the statements (tie-out on Summary).');
  const t = writeMoneyTable(ws, columns, rows, { home: r.homeCurrency, currencyOf: (l) => l.currency, startRow: row + 1 });
  keepTableView(ws, t.table, columns.length);
  return { amountCol: t.table.col('Amount'), totalsRow: t.totalsRow };
}

const KIND_TEXT: Record<ReimbursementException['kind'], string> = {
  no_receipt: 'no receipt',
  duplicate_charge: 'duplicate charge',
  failed_top_up_charged: 'failed top-up charged',
  currency_not_home: 'not home currency',
  unknown_cardholder: 'unknown cardholder',
  fx_fee: 'FX fee',
  fx_difference: 'FX difference',
  refund: 'refund',
};

function writeExceptions(ws: ExcelJS.Worksheet, r: ReimbursementResult): void {
  setFooter(ws, EXCEPTIONS, r.period.label);
  const rows = r.exceptions;
  const columns: Column<ReimbursementException>[] = fitWrapped(
    [
      { header: 'Severity', type: 'text', value: (e) => e.severity },
      { header: 'What', type: 'text', value: (e) => KIND_TEXT[e.kind], maxWidth: 24 },
      { header: 'Cardholder', type: 'text', value: (e) => e.cardholder, maxWidth: 24, wrap: true },
      { header: 'Cost centre', type: 'text', value: (e) => e.costCentre, maxWidth: 26, wrap: true },
      { header: 'Date', type: 'date', value: (e) => e.date },
      { header: 'Description', type: 'text', value: (e) => e.description, maxWidth: 30, wrap: true },
      { header: 'Amount', type: 'money', value: (e) => e.amount, currency: (e) => e.currency },
      { header: 'What happened', type: 'text', value: (e) => e.message, maxWidth: 50, wrap: true },
      { header: 'Next step', type: 'text', value: (e) => e.nextStep, maxWidth: 44, wrap: true },
      { header: 'Statement line', type: 'text', value: (e) => `${e.src.file}:${e.src.line}`, maxWidth: 40, wrap: true },
    ],
    rows,
  );
  let row = title(ws, 1, `Exceptions, ${r.period.label}`, 14);
  row = subtitle(ws, row, 'Charges to look at before they are approved. A card in another currency or an unknown card is listed once, with the sum of its charges.');
  const t = writeTable(ws, columns, rows, { currency: r.homeCurrency, startRow: row + 1 });
  alignCells(ws, t, columns);
  const sev = { error: 'FFFDE2E1', warning: 'FFFFF4D6', info: 'FFEAF3FB' } as const;
  rows.forEach((e, i) => {
    const er = ws.getRow(t.firstDataRow + i);
    er.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: sev[e.severity] } };
    if (minorUnits(e.currency) !== 2) er.getCell(columns.findIndex((c) => c.header === 'Amount') + 1).numFmt = currencyFormat(e.currency);
  });
}

// ---------------------------------------------------------------------------
// Summary

interface SummaryRefs {
  apiPlaced: Map<string, Placed>;
  subsPlaced: Map<string, Placed>;
  ccRefs: CcSheetRefs[];
  subsTotals: Map<string, number>;
  subsCol: string;
  notTotals: Map<string, number>;
  notCol: string;
  sheetOf: Map<string, string>;
}

interface ClaimRow {
  costCentre: string;
  cardholder: string;
  cards: string;
  currency: string;
  api: Decimal;
  subs: Decimal;
  sheet: string | null;
  apiAt: Placed | undefined;
  subsAt: Placed | undefined;
}

interface CcTotalRow {
  costCentre: string;
  currency: string;
  api: Decimal;
  subs: Decimal;
  /** Rows of this cost centre on the claims table. */
  range: Range;
}

interface TieRow {
  currency: string;
  providerLines: Decimal;
  api: Decimal;
  subs: Decimal;
  notClaimed: Decimal;
  difference: Decimal;
}

/** Columns of the Summary; every table and note lays out over these. */
const SUMMARY_COLS = 8;

function writeSummary(ws: ExcelJS.Worksheet, r: ReimbursementResult, refs: SummaryRefs): void {
  setFooter(ws, SUMMARY, r.period.label);
  const home = r.homeCurrency;
  const widths: number[][] = [];
  const money = <T>(columns: Column<T>[], rows: readonly T[], currencyOf: (x: T) => string, startRow: number): MoneyTable => {
    const t = writeMoneyTable(ws, columns, rows, { home, currencyOf, currencyHeader: 'Currency', startRow });
    widths.push(snapshotWidths(ws, SUMMARY_COLS));
    return t;
  };

  let row = title(ws, 1, `Reimbursement and cost allocation, ${r.period.label}`, 14);
  const files = [...new Set([...r.costCentres.flatMap((c) => c.cardholders.flatMap((h) => [...h.charges, ...h.subscriptions].map((x) => x.src.file))), ...r.notClaimed.map((l) => l.src.file)])].sort();
  const info: [string, string][] = [
    ['Period', `${r.period.from} to ${r.period.to} (local dates, ${r.period.timezone})`],
    ['Home currency', `${home}; every amount is as charged to the card, in the card's currency`],
    ['Card statements', files.join(', ') || '(no provider lines)'],
    [
      'Split over projects by',
      r.unallocatedReason
        ? `nothing: ${r.unallocatedReason}; each charge is one unallocated share`
        : `billed usage per project in the period (cost export), ${r.allocationBasis.length} project(s): "Allocation basis" below`,
    ],
  ];
  const infoStart = row + 1;
  row = infoStart + info.length + 1;

  // --- claims by cost centre and cardholder
  const claims: ClaimRow[] = [];
  for (const cc of r.costCentres) {
    for (const h of cc.cardholders) {
      for (const cur of currenciesOf(h.totals.map((t) => t.currency), home)) {
        const k = holderKey(cc.costCentre, h.name, cur);
        claims.push({
          costCentre: cc.costCentre,
          cardholder: h.name,
          cards: h.cardLast4.join(', '),
          currency: cur,
          api: h.apiTotals.find((t) => t.currency === cur)?.amount ?? Decimal.ZERO,
          subs: h.subscriptionTotals.find((t) => t.currency === cur)?.amount ?? Decimal.ZERO,
          sheet: refs.apiPlaced.has(k) ? (refs.sheetOf.get(cc.costCentre) ?? null) : null,
          apiAt: refs.apiPlaced.get(k),
          subsAt: refs.subsPlaced.get(k),
        });
      }
    }
  }
  row = title(ws, row, 'Claims by cost centre and cardholder');
  const ct = money(
    [
      { header: 'Cost centre', type: 'text', value: (c: ClaimRow) => c.costCentre, minWidth: 24, maxWidth: 34, wrap: true },
      { header: 'Cardholder', type: 'text', value: (c) => c.cardholder, minWidth: 20, maxWidth: 26, wrap: true },
      { header: 'Cards', type: 'text', value: (c) => c.cards || null, minWidth: 14, maxWidth: 20, wrap: true },
      { header: 'Currency', type: 'text', value: (c) => c.currency, minWidth: 10 },
      { header: 'API credit charges', type: 'money', value: (c) => c.api, currency: (c) => c.currency, sum: true },
      { header: 'ChatGPT subscriptions', type: 'money', value: (c) => c.subs, currency: (c) => c.currency, sum: true },
      { header: 'Total to reimburse', type: 'money', value: (c) => c.api.plus(c.subs), currency: (c) => c.currency, sum: true },
      { header: 'Sheet', type: 'text', value: (c) => c.sheet, minWidth: 16, maxWidth: 31 },
    ],
    claims,
    (c) => c.currency,
    row,
  );
  const apiL = ct.table.col('API credit charges');
  const subsL = ct.table.col('ChatGPT subscriptions');
  const totL = ct.table.col('Total to reimburse');
  const sum = (p: Placed | undefined) => (p ? `SUM(${ref(p.sheet, `${p.col}${p.range.first}:${p.col}${p.range.last}`)})` : '0');
  claims.forEach((c, k) => {
    const er = ws.getRow(ct.table.firstDataRow + k);
    er.getCell(apiL).value = { formula: sum(c.apiAt), result: num(c.api) };
    er.getCell(subsL).value = { formula: sum(c.subsAt), result: num(c.subs) };
    er.getCell(totL).value = { formula: `${apiL}${er.number}+${subsL}${er.number}`, result: num(c.api.plus(c.subs)) };
    if (c.sheet) er.getCell(ct.table.col('Sheet')).value = { text: c.sheet, hyperlink: `#${ref(c.sheet, 'A1')}` };
  });
  row = ct.endRow + 3;

  // --- by cost centre (when there is more than one row to add up)
  const ccRows: CcTotalRow[] = [];
  claims.forEach((c, k) => {
    const rr = ct.table.firstDataRow + k;
    const same = ccRows.filter((x) => x.costCentre === c.costCentre);
    for (const x of same) x.range.last = rr;
    const mine = same.find((x) => x.currency === c.currency);
    if (mine) {
      mine.api = mine.api.plus(c.api);
      mine.subs = mine.subs.plus(c.subs);
    } else ccRows.push({ costCentre: c.costCentre, currency: c.currency, api: c.api, subs: c.subs, range: { first: same[0]?.range.first ?? rr, last: rr } });
  });
  if (ccRows.length < claims.length) {
    row = title(ws, row, 'By cost centre');
    const cct = money(
      [
        { header: 'Cost centre', type: 'text', value: (c: CcTotalRow) => c.costCentre, maxWidth: 34, wrap: true },
        { header: 'Currency', type: 'text', value: (c) => c.currency },
        { header: 'API credit charges', type: 'money', value: (c) => c.api, currency: (c) => c.currency, sum: true },
        { header: 'ChatGPT subscriptions', type: 'money', value: (c) => c.subs, currency: (c) => c.currency, sum: true },
        { header: 'Total to reimburse', type: 'money', value: (c) => c.api.plus(c.subs), currency: (c) => c.currency, sum: true },
      ],
      ccRows,
      (c) => c.currency,
      row,
    );
    const curL = ct.table.col('Currency');
    ccRows.forEach((c, k) => {
      const er = ws.getRow(cct.table.firstDataRow + k);
      const f = (L: string) => `SUMIF(${curL}${c.range.first}:${curL}${c.range.last},${lit(c.currency)},${L}${c.range.first}:${L}${c.range.last})`;
      er.getCell(cct.table.col('API credit charges')).value = { formula: f(apiL), result: num(c.api) };
      er.getCell(cct.table.col('ChatGPT subscriptions')).value = { formula: f(subsL), result: num(c.subs) };
      er.getCell(cct.table.col('Total to reimburse')).value = { formula: f(totL), result: num(c.api.plus(c.subs)) };
    });
    row = cct.endRow + 3;
  }

  // --- tie-out to the statements
  row = title(ws, row, 'Tie-out to the card statements (the difference must be 0)');
  const tieRows: TieRow[] = r.tieOut.map((t) => ({ currency: t.currency, providerLines: t.providerLines, api: t.api, subs: t.subscriptions, notClaimed: t.notClaimed, difference: t.difference }));
  if (tieRows.length) {
    const tt = money(
      [
        { header: 'Currency', type: 'text', value: (t: TieRow) => t.currency },
        { header: 'Provider lines on the statements', type: 'money', value: (t) => t.providerLines, currency: (t) => t.currency },
        { header: 'API credit charges', type: 'money', value: (t) => t.api, currency: (t) => t.currency },
        { header: 'ChatGPT subscriptions', type: 'money', value: (t) => t.subs, currency: (t) => t.currency },
        { header: 'Not claimed', type: 'money', value: (t) => t.notClaimed, currency: (t) => t.currency },
        { header: 'Difference', type: 'money', value: (t) => t.difference, currency: (t) => t.currency },
      ],
      tieRows,
      (t) => t.currency,
      row,
    );
    tieRows.forEach((t, k) => {
      const er = ws.getRow(tt.table.firstDataRow + k);
      const cell = (h: string) => er.getCell(tt.table.col(h));
      const at = (h: string) => `${tt.table.col(h)}${er.number}`;
      const apiRefs = refs.ccRefs.filter((c) => c.totals.has(t.currency)).map((c) => ref(c.sheet, `${c.chargedCol}${c.totals.get(t.currency)}`));
      const subsRow = refs.subsTotals.get(t.currency);
      const notRow = refs.notTotals.get(t.currency);
      cell('API credit charges').value = { formula: apiRefs.length ? apiRefs.join('+') : '0', result: num(t.api) };
      cell('ChatGPT subscriptions').value = { formula: subsRow ? ref(SUBSCRIPTIONS, `${refs.subsCol}${subsRow}`) : '0', result: num(t.subs) };
      cell('Not claimed').value = { formula: notRow ? ref(NOT_CLAIMED, `${refs.notCol}${notRow}`) : '0', result: num(t.notClaimed) };
      cell('Difference').value = {
        formula: `${at('Provider lines on the statements')}-${at('API credit charges')}-${at('ChatGPT subscriptions')}-${at('Not claimed')}`,
        result: num(t.difference),
      };
      cell('Difference').font = HEADER_FONT;
    });
    row = tt.endRow + 3;
  } else {
    ws.getRow(row).getCell(1).value = 'The statements hold no provider lines.';
    row += 3;
  }

  // --- what the charges were split by, and what each project was allocated
  const label = projectLabeller(r);
  if (r.allocationBasis.length) {
    row = title(ws, row, 'Allocation basis: billed usage per project in the period');
    const basisCols = fitWrapped(
      [
        { header: 'Project', type: 'text', value: (b: AllocationBasisRow) => label(b), maxWidth: 30, wrap: true },
        { header: 'Project ID', type: 'text', value: (b) => (b.projectId === UNALLOCATED_PROJECT ? null : b.projectId), maxWidth: 28 },
        { header: 'Project cost centre', type: 'text', value: (b) => b.projectCostCenter, maxWidth: 32, wrap: true },
        { header: 'Billed usage', type: 'money', value: (b) => b.billed, sum: true },
        { header: 'Weight', type: 'percent', value: (b) => b.weight },
      ] as Column<AllocationBasisRow>[],
      r.allocationBasis,
    );
    const bt = writeTable(ws, basisCols, r.allocationBasis, { currency: r.usageCurrency, startRow: row });
    alignCells(ws, bt, basisCols, bt.totalsRow ?? bt.lastDataRow);
    widths.push(snapshotWidths(ws, SUMMARY_COLS));
    row = (bt.totalsRow ?? bt.lastDataRow) + 3;
  }
  if (r.projectTotals.length) {
    row = title(ws, row, 'Allocated to projects (API credit charges)');
    const pt = money(
      [
        { header: 'Project', type: 'text', value: (p: ProjectAllocationTotal) => label(p), maxWidth: 30, wrap: true },
        { header: 'Project ID', type: 'text', value: (p) => (p.projectId === UNALLOCATED_PROJECT ? null : p.projectId), maxWidth: 28 },
        { header: 'Project cost centre', type: 'text', value: (p) => p.projectCostCenter, maxWidth: 32, wrap: true },
        { header: 'Currency', type: 'text', value: (p) => p.currency },
        { header: 'Allocated', type: 'money', value: (p) => p.amount, currency: (p) => p.currency, sum: true },
      ],
      r.projectTotals,
      (p) => p.currency,
      row,
    );
    const projectL = pt.table.col('Project');
    r.projectTotals.forEach((p, k) => {
      const rowNo = pt.table.firstDataRow + k;
      const terms = refs.ccRefs
        .filter((c) => c.blocks.has(p.currency))
        .map((c) => {
          const b = c.blocks.get(p.currency)!;
          const rg = (L: string) => ref(c.sheet, `${L}${b.first}:${L}${b.last}`);
          // the project's label in this row is the criterion (never a long literal)
          return `SUMPRODUCT((${rg(c.projectCol)}=${projectL}${rowNo})*1,${rg(c.shareCol)})`;
        });
      ws.getRow(rowNo).getCell(pt.table.col('Allocated')).value = { formula: terms.length ? terms.join('+') : '0', result: num(p.amount) };
    });
    row = pt.endRow + 3;
  }

  // --- notes over the final widths
  applyWidths(ws, maxWidths(widths.length ? widths : [snapshotWidths(ws, SUMMARY_COLS)]));
  row = title(ws, row, 'What is claimed, and how');
  for (const rule of r.rules) row = paragraph(ws, row, `• ${rule}`, SUMMARY_COLS, { name: 'Calibri', size: 10 });
  info.forEach(([k, v], i) => {
    const er = ws.getRow(infoStart + i);
    er.getCell(1).value = k;
    er.getCell(1).font = HEADER_FONT;
    er.getCell(1).alignment = { vertical: 'top' };
    ws.mergeCells(er.number, 2, er.number, SUMMARY_COLS);
    er.getCell(2).value = v;
    er.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    const lines = wrappedLines(v, snapshotWidths(ws, SUMMARY_COLS).slice(1).reduce((s, w) => s + w, 0));
    if (lines > 1) er.height = 15 * lines;
  });
  // Summary is a form, not a list: no frozen pane, filter or repeated title row
  ws.views = [{}];
  ws.autoFilter = undefined as unknown as ExcelJS.AutoFilter;
  delete (ws.pageSetup as { printTitlesRow?: string }).printTitlesRow;
}
