/** One sheet per cost centre: each charge, then its shares of the projects; approver columns left empty. */
import type ExcelJS from 'exceljs';
import { UNALLOCATED_PROJECT, type AllocationShare, type CostCentreGroup, type ReimbursementCharge, type ReimbursementResult } from '../../engine/reimbursement/index.js';
import type { Decimal } from '../../money.js';
import { DATE_FORMAT } from '../cells.js';
import { keepTableView } from '../sheet-layout.js';
import { HEADER_FONT, type Column } from '../table.js';
import {
  GREY,
  CHARGE_FILL,
  FILL_IN_BORDER,
  NOTE_FONT,
  num,
  sumOf,
  currenciesOf,
  setFooter,
  title,
  subtitle,
  type Range,
  type MoneyTable,
  writeMoneyTable,
  type CcSheetRefs,
  holderKey,
  currencyFormat,
  providerColumn,
} from './layout.js';
import { linkReceiptFiles, receiptFileColumn, receiptLinksFor, type ReceiptLinks } from './receipt-links.js';

export type CcRow = { kind: 'charge'; ch: ReimbursementCharge } | { kind: 'share'; ch: ReimbursementCharge; share: AllocationShare };

/** Project labels: the name, with the id where two projects share a name or there is no name. */
export function projectLabeller(r: ReimbursementResult): (s: { projectId: string; projectName: string | null }) => string {
  const count = new Map<string, number>();
  for (const b of r.allocationBasis) if (b.projectName) count.set(b.projectName, (count.get(b.projectName) ?? 0) + 1);
  return (s) => {
    // with no basis every charge is one unallocated share; with one, "(unallocated)" is billed usage without a project
    if (s.projectId === UNALLOCATED_PROJECT) return r.allocationBasis.length ? '(no project in the cost export)' : UNALLOCATED_PROJECT;
    if (!s.projectName) return s.projectId;
    return (count.get(s.projectName) ?? 0) > 1 ? `${s.projectName} (${s.projectId})` : s.projectName;
  };
}

/** A cost centre's charges, currency by currency (home first), each followed by its project shares. */
function ccRows(cc: CostCentreGroup, home: string): CcRow[] {
  const rows: CcRow[] = [];
  for (const cur of currenciesOf(
    cc.apiTotals.map((t) => t.currency),
    home,
  )) {
    for (const h of cc.cardholders) {
      for (const ch of h.charges) {
        if (ch.currency !== cur) continue;
        rows.push({ kind: 'charge', ch });
        for (const share of ch.shares) rows.push({ kind: 'share', ch, share });
      }
    }
  }
  return rows;
}

function ccColumns(r: ReimbursementResult, label: ReturnType<typeof projectLabeller>): Column<CcRow>[] {
  return [
    // widths bounded so the sheet prints one page wide at 60 % or more (issue #12): long text wraps
    { header: 'Date', type: 'date', value: (x) => x.ch.date, maxWidth: 12 },
    ...providerColumn<CcRow>(r, (x) => x.ch.provider),
    { header: 'Cardholder', type: 'text', value: (x) => x.ch.cardholder, maxWidth: 24, wrap: true },
    { header: 'Card', type: 'text', value: (x) => x.ch.cardLast4, minWidth: 6 },
    { header: 'Description', type: 'text', value: (x) => (x.kind === 'charge' ? x.ch.description : null), maxWidth: 32, wrap: true },
    { header: 'Receipt', type: 'text', value: (x) => x.ch.receipt, maxWidth: 22, wrap: true },
    { header: 'Charged', type: 'money', value: (x) => (x.kind === 'charge' ? x.ch.amount : null), currency: (x) => x.ch.currency, sum: true },
    { header: 'Project', type: 'text', value: (x) => (x.kind === 'share' ? label(x.share) : null), maxWidth: 22, wrap: true },
    { header: 'Project cost centre', type: 'text', value: (x) => (x.kind === 'share' ? x.share.projectCostCenter : null), maxWidth: 20, wrap: true },
    { header: 'Share', type: 'money', value: (x) => (x.kind === 'share' ? x.share.amount : null), currency: (x) => x.ch.currency, sum: true },
    {
      header: 'Flags',
      type: 'text',
      value: (x) => (x.kind === 'charge' ? x.ch.flags.map((f) => f.label).join('\n') || null : x.share.reason),
      minWidth: 16,
      maxWidth: 26,
      wrap: true,
    },
    { header: 'Approver', type: 'text', value: () => null, minWidth: 14 },
    { header: 'Approval date', type: 'date', value: () => null, minWidth: 14 },
    // last: the columns before it keep their letters (formulas and readers refer to them)
    { ...receiptFileColumn<CcRow>((x) => (x.kind === 'charge' ? x.ch : null)), maxWidth: 24 },
  ];
}

/** What the parts of a cost-centre sheet below its table need. */
interface CcSheet {
  ws: ExcelJS.Worksheet;
  cc: CostCentreGroup;
  r: ReimbursementResult;
  rows: CcRow[];
  t: MoneyTable;
  /** The column number of a header of the table. */
  col: (header: string) => number;
  chargedCol: string;
  shareCol: string;
  projectCol: string;
}

export function writeCostCentre(ws: ExcelJS.Worksheet, sheet: string, cc: CostCentreGroup, r: ReimbursementResult, links: ReceiptLinks = receiptLinksFor(null)) {
  setFooter(ws, sheet, r.period.label);
  const label = projectLabeller(r);
  const rows = ccRows(cc, r.homeCurrency);
  const columns = ccColumns(r, label);
  let row = title(ws, 1, `${cc.costCentre} — API credit charges, ${r.period.label}`, 14);
  row = subtitle(
    ws,
    row,
    `As charged to the card, no conversion. Each charge (shaded) is followed by its split over projects by billed usage from ${r.period.from} to ${r.period.to}; the shares add up to the charge. Approver and approval date: to fill in.`,
  );
  const t = writeMoneyTable(ws, columns, rows, { home: r.homeCurrency, currencyOf: (x) => x.ch.currency, startRow: row + 1 });
  const tb = t.table;
  linkReceiptFiles(ws, tb, rows, (x) => (x.kind === 'charge' ? x.ch : null), links);
  const col = (h: string) => columns.findIndex((c) => c.header === h) + 1;
  const s: CcSheet = { ws, cc, r, rows, t, col, chargedCol: tb.col('Charged'), shareCol: tb.col('Share'), projectCol: tb.col('Project') };
  styleCcRows(s, columns.length);
  const holderRanges = new Map<string, Range>();
  rows.forEach((x, k) => {
    const key = holderKey(cc.costCentre, x.ch.cardholder, x.ch.currency);
    const rr = tb.firstDataRow + k;
    const cur = holderRanges.get(key);
    if (cur) cur.last = rr;
    else holderRanges.set(key, { first: rr, last: rr });
  });
  let next = writeShareCheck(s);
  next = writeHolderTotals(s, next + 2, holderRanges);
  writeProjectAllocation(s, next, label);
  keepTableView(ws, tb, columns.length, false);
  const refs: CcSheetRefs = { sheet, totals: t.totalsRow, blocks: t.blocks, chargedCol: s.chargedCol, shareCol: s.shareCol, projectCol: s.projectCol };
  return { refs, holderRanges };
}

/** Charges shaded with boxes to fill in; shares with the charge's context in grey. */
function styleCcRows({ ws, rows, t, col }: CcSheet, columnCount: number): void {
  const context = ['Date', 'Cardholder', 'Card', 'Receipt'].map(col);
  rows.forEach((x, k) => {
    const er = ws.getRow(t.table.firstDataRow + k);
    if (x.kind === 'charge') {
      for (let i = 0; i < columnCount; i++) er.getCell(i + 1).fill = CHARGE_FILL;
      er.getCell(col('Charged')).font = HEADER_FONT;
      er.getCell(col('Approver')).border = FILL_IN_BORDER;
      er.getCell(col('Approval date')).border = FILL_IN_BORDER;
      er.getCell(col('Approval date')).numFmt = DATE_FORMAT;
    } else {
      // the charge's context, repeated in grey so a filter on a project still shows whose charge it is
      for (const i of context) er.getCell(i).font = { name: 'Calibri', size: 11, color: GREY };
    }
  });
}

/** Shares − charged = 0, per currency: the split adds up. Returns the next free row. */
function writeShareCheck({ ws, t, col, shareCol, chargedCol }: CcSheet): number {
  let next = t.endRow + 1;
  for (const [cur, tr] of t.totalsRow) {
    const er = ws.getRow(next++);
    er.getCell(col('Description')).value = `Shares − charged${t.totalsRow.size > 1 ? `, ${cur}` : ''} (must be 0)`;
    er.getCell(col('Description')).font = NOTE_FONT;
    const cell = er.getCell(col('Share'));
    cell.value = { formula: `${shareCol}${tr}-${chargedCol}${tr}`, result: 0 };
    cell.numFmt = currencyFormat(cur);
  }
  return next;
}

/** A heading row over the named columns of the table. */
function heading({ ws, col }: CcSheet, rowNo: number, cells: [string, string][]): void {
  const er = ws.getRow(rowNo);
  for (const [h, text] of cells) {
    const c = er.getCell(col(h));
    c.value = text;
    c.font = HEADER_FONT;
    c.border = { bottom: { style: 'thin', color: { argb: 'FF8899AA' } } };
  }
}

/** Totals by cardholder, in the columns of the table above. Returns the next free row. */
function writeHolderTotals(s: CcSheet, start: number, holderRanges: Map<string, Range>): number {
  const { ws, cc, r, col, chargedCol, shareCol } = s;
  let next = title(ws, start, 'Totals by cardholder', 12, col('Cardholder'));
  heading(s, next++, [
    ['Cardholder', 'Cardholder'],
    ['Card', 'Cards'],
    ['Charged', 'Charged'],
    ['Share', 'Allocated'],
  ]);
  for (const cur of currenciesOf(
    cc.apiTotals.map((x) => x.currency),
    r.homeCurrency,
  )) {
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
  return next;
}

/** This cost centre's charges by project (cost allocation), when it has any shares. */
function writeProjectAllocation(s: CcSheet, start: number, label: ReturnType<typeof projectLabeller>): void {
  const { ws, rows, r, t, col, projectCol, shareCol } = s;
  const byProject = new Map<string, { label: string; costCentre: string | null; currency: string; amount: Decimal }>();
  for (const x of rows) {
    if (x.kind !== 'share') continue;
    const l = label(x.share);
    const k = `${x.ch.currency}\u0000${l}`;
    const p = byProject.get(k);
    if (p) p.amount = p.amount.plus(x.share.amount);
    else byProject.set(k, { label: l, costCentre: x.share.projectCostCenter, currency: x.ch.currency, amount: x.share.amount });
  }
  if (!byProject.size) return;
  let next = title(ws, start + 2, 'Allocation to projects', 12, col('Project'));
  heading(s, next++, [
    ['Project', 'Project'],
    ['Project cost centre', 'Project cost centre'],
    ['Share', 'Allocated'],
  ]);
  for (const cur of currenciesOf(
    [...byProject.values()].map((p) => p.currency),
    r.homeCurrency,
  )) {
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
