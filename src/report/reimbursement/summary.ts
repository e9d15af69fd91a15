/** `Summary`: claims per cost centre and cardholder, the tie-out to the statements and the allocation to projects, as live formulas over the other sheets. */
import type ExcelJS from 'exceljs';
import { UNALLOCATED_PROJECT, type AllocationBasisRow, type ProjectAllocationTotal, type ReimbursementResult } from '../../engine/reimbursement/index.js';
import { Decimal } from '../../money.js';
import { alignCells, applyWidths, fitWrapped, maxWidths, paginateStack, snapshotWidths, type StackedBlock } from '../sheet-layout.js';
import { HEADER_FONT, wrappedLines, writeTable, type Column } from '../table.js';
import {
  ref,
  lit,
  num,
  currenciesOf,
  setFooter,
  title,
  paragraph,
  type Range,
  type MoneyTable,
  writeMoneyTable,
  type Placed,
  type CcSheetRefs,
  holderKey,
  providerColumn,
} from './layout.js';
import { projectLabeller } from './cost-centre.js';
import { SUMMARY, OTHER_LINES } from './sheet-names.js';

/** The column of the plan charges (ChatGPT, Claude.ai): subscriptions, not API credit. */
const PLAN_SUBSCRIPTIONS = 'Plan subscriptions (not API)';

export interface SummaryRefs {
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

/** What every part of the Summary writes with: the sheet, the result, the other sheets' places. */
interface SummarySheet {
  ws: ExcelJS.Worksheet;
  r: ReimbursementResult;
  refs: SummaryRefs;
  home: string;
  /** Column widths after each table, for the final widths. */
  widths: number[][];
  money: <T>(columns: Column<T>[], rows: readonly T[], currencyOf: (x: T) => string, startRow: number) => MoneyTable;
}

export function writeSummary(ws: ExcelJS.Worksheet, r: ReimbursementResult, refs: SummaryRefs): void {
  setFooter(ws, SUMMARY, r.period.label);
  const home = r.homeCurrency;
  const widths: number[][] = [];
  const money = <T>(columns: Column<T>[], rows: readonly T[], currencyOf: (x: T) => string, startRow: number): MoneyTable => {
    const t = writeMoneyTable(ws, columns, rows, { home, currencyOf, currencyHeader: 'Currency', startRow });
    widths.push(snapshotWidths(ws, SUMMARY_COLS));
    return t;
  };
  const s: SummarySheet = { ws, r, refs, home, widths, money };

  let row = title(ws, 1, `Reimbursement and cost allocation, ${r.period.label}`, 14);
  const info = summaryInfo(r);
  const infoStart = row + 1;
  row = infoStart + info.length + 1;
  const claims = claimRows(r, refs);
  const written = writeClaims(s, claims, row);
  // where each table starts: the page breaks go between them, never inside one
  const starts = [1, written.row];
  row = writeByCostCentre(s, claims, written.ct, written.row);
  starts.push(row);
  row = writeTieOut(s, row);
  starts.push(row);
  const label = projectLabeller(r);
  row = writeAllocationBasis(s, row, label);
  starts.push(row);
  row = writeProjectTotals(s, row, label);
  starts.push(row);
  writeNotes(s, row, info, infoStart);
  // Summary is a form, not a list: no frozen pane, filter or repeated title row
  ws.views = [{}];
  ws.autoFilter = undefined as unknown as ExcelJS.AutoFilter;
  delete (ws.pageSetup as { printTitlesRow?: string }).printTitlesRow;
  paginateStack(ws, stackedBlocks(starts, ws.rowCount));
}

/** Blank rows between the tables (each writer returns its last row + GAP + 1). */
const GAP = 2;

/** The sheet's blocks from the rows its tables start on (a section with no table starts where the next does), GAP blank rows apart. */
function stackedBlocks(starts: readonly number[], lastRow: number): StackedBlock[] {
  const firsts = [...new Set(starts)];
  return firsts.map((first, i) => ({ firstRow: first, lastRow: i + 1 < firsts.length ? firsts[i + 1]! - GAP - 1 : lastRow }));
}

/** The lines at the top: period, home currency, statements, what the split is by. */
function summaryInfo(r: ReimbursementResult): [string, string][] {
  const home = r.homeCurrency;
  const files = [
    ...new Set([...r.costCentres.flatMap((c) => c.cardholders.flatMap((h) => [...h.charges, ...h.subscriptions].map((x) => x.src.file))), ...r.notClaimed.map((l) => l.src.file)]),
  ].sort();
  return [
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
}

/** One claim row per cost centre, cardholder and currency, with where its charges are. */
function claimRows(r: ReimbursementResult, refs: SummaryRefs): ClaimRow[] {
  const home = r.homeCurrency;
  const claims: ClaimRow[] = [];
  for (const cc of r.costCentres) {
    for (const h of cc.cardholders) {
      for (const cur of currenciesOf(
        h.totals.map((t) => t.currency),
        home,
      )) {
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
  return claims;
}

/** Claims by cost centre and cardholder: SUMs over the cost-centre and Subscriptions sheets. */
function writeClaims({ ws, money }: SummarySheet, claims: ClaimRow[], start: number): { ct: MoneyTable; row: number } {
  const row = title(ws, start, 'Claims by cost centre and cardholder');
  const ct = money(
    [
      { header: 'Cost centre', type: 'text', value: (c: ClaimRow) => c.costCentre, minWidth: 24, maxWidth: 34, wrap: true },
      { header: 'Cardholder', type: 'text', value: (c) => c.cardholder, minWidth: 20, maxWidth: 26, wrap: true },
      { header: 'Cards', type: 'text', value: (c) => c.cards || null, minWidth: 14, maxWidth: 20, wrap: true },
      { header: 'Currency', type: 'text', value: (c) => c.currency, minWidth: 10 },
      { header: 'API credit charges', type: 'money', minWidth: 15, value: (c) => c.api, currency: (c) => c.currency, sum: true },
      { header: PLAN_SUBSCRIPTIONS, type: 'money', minWidth: 15, value: (c) => c.subs, currency: (c) => c.currency, sum: true },
      { header: 'Total to reimburse', type: 'money', minWidth: 15, value: (c) => c.api.plus(c.subs), currency: (c) => c.currency, sum: true },
      { header: 'Sheet', type: 'text', value: (c) => c.sheet, minWidth: 16, maxWidth: 31 },
    ],
    claims,
    (c) => c.currency,
    row,
  );
  const apiL = ct.table.col('API credit charges');
  const subsL = ct.table.col(PLAN_SUBSCRIPTIONS);
  const totL = ct.table.col('Total to reimburse');
  const sum = (p: Placed | undefined) => (p ? `SUM(${ref(p.sheet, `${p.col}${p.range.first}:${p.col}${p.range.last}`)})` : '0');
  claims.forEach((c, k) => {
    const er = ws.getRow(ct.table.firstDataRow + k);
    er.getCell(apiL).value = { formula: sum(c.apiAt), result: num(c.api) };
    er.getCell(subsL).value = { formula: sum(c.subsAt), result: num(c.subs) };
    er.getCell(totL).value = { formula: `${apiL}${er.number}+${subsL}${er.number}`, result: num(c.api.plus(c.subs)) };
    if (c.sheet) er.getCell(ct.table.col('Sheet')).value = { text: c.sheet, hyperlink: `#${ref(c.sheet, 'A1')}` };
  });
  return { ct, row: ct.endRow + 3 };
}

/** By cost centre (when there is more than one row to add up): SUMIFs over the claims table. */
function writeByCostCentre({ ws, money }: SummarySheet, claims: ClaimRow[], ct: MoneyTable, start: number): number {
  let row = start;
  const apiL = ct.table.col('API credit charges');
  const subsL = ct.table.col(PLAN_SUBSCRIPTIONS);
  const totL = ct.table.col('Total to reimburse');
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
        { header: 'API credit charges', type: 'money', minWidth: 15, value: (c) => c.api, currency: (c) => c.currency, sum: true },
        { header: PLAN_SUBSCRIPTIONS, type: 'money', minWidth: 15, value: (c) => c.subs, currency: (c) => c.currency, sum: true },
        { header: 'Total to reimburse', type: 'money', minWidth: 15, value: (c) => c.api.plus(c.subs), currency: (c) => c.currency, sum: true },
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
      er.getCell(cct.table.col(PLAN_SUBSCRIPTIONS)).value = { formula: f(subsL), result: num(c.subs) };
      er.getCell(cct.table.col('Total to reimburse')).value = { formula: f(totL), result: num(c.api.plus(c.subs)) };
    });
    row = cct.endRow + 3;
  }

  return row;
}

/** The tie-out to the statements: provider lines = API + subscriptions + not claimed, per currency. */
function writeTieOut({ ws, r, refs, money }: SummarySheet, start: number): number {
  let row = title(ws, start, 'Tie-out to the card statements (the difference must be 0)');
  const tieRows: TieRow[] = r.tieOut.map((t) => ({
    currency: t.currency,
    providerLines: t.providerLines,
    api: t.api,
    subs: t.subscriptions,
    notClaimed: t.notClaimed,
    difference: t.difference,
  }));
  if (tieRows.length) {
    const tt = money(
      [
        { header: 'Currency', type: 'text', value: (t: TieRow) => t.currency },
        { header: 'Provider lines on the statements', type: 'money', value: (t) => t.providerLines, currency: (t) => t.currency },
        { header: 'API credit charges', type: 'money', minWidth: 15, value: (t) => t.api, currency: (t) => t.currency },
        { header: PLAN_SUBSCRIPTIONS, type: 'money', minWidth: 15, value: (t) => t.subs, currency: (t) => t.currency },
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
      cell(PLAN_SUBSCRIPTIONS).value = { formula: subsRow ? ref(OTHER_LINES, `${refs.subsCol}${subsRow}`) : '0', result: num(t.subs) };
      cell('Not claimed').value = { formula: notRow ? ref(OTHER_LINES, `${refs.notCol}${notRow}`) : '0', result: num(t.notClaimed) };
      cell('Difference').value = {
        formula: `${at('Provider lines on the statements')}-${at('API credit charges')}-${at(PLAN_SUBSCRIPTIONS)}-${at('Not claimed')}`,
        result: num(t.difference),
      };
      cell('Difference').font = HEADER_FONT;
    });
    row = tt.endRow + 3;
  } else {
    ws.getRow(row).getCell(1).value = 'The statements hold no provider lines.';
    row += 3;
  }

  return row;
}

/** What the charges were split by. */
function writeAllocationBasis({ ws, r, widths }: SummarySheet, start: number, label: ReturnType<typeof projectLabeller>): number {
  let row = start;
  if (r.allocationBasis.length) {
    row = title(ws, row, 'Allocation basis: billed usage per project in the period');
    const basisCols = fitWrapped(
      [
        ...providerColumn<AllocationBasisRow>(r, (b) => b.provider),
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
  return row;
}

/** What each project was allocated: SUMPRODUCTs over the cost-centre sheets' shares. */
function writeProjectTotals({ ws, r, refs, money }: SummarySheet, start: number, label: ReturnType<typeof projectLabeller>): number {
  let row = start;
  if (r.projectTotals.length) {
    row = title(ws, row, 'Allocated to projects (API credit charges)');
    const pt = money(
      [
        ...providerColumn<ProjectAllocationTotal>(r, (p) => p.provider),
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

  return row;
}

/** The rules, after the final widths are set; then the info lines, wrapped to those widths. */
function writeNotes({ ws, r, widths }: SummarySheet, start: number, info: [string, string][], infoStart: number): void {
  let row = start;
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
    const lines = wrappedLines(
      v,
      snapshotWidths(ws, SUMMARY_COLS)
        .slice(1)
        .reduce((s, w) => s + w, 0),
    );
    if (lines > 1) er.height = 15 * lines;
  });
}
