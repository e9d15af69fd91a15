/**
 * Dashboard (issue #13, "the month at a glance"): the workbook's first sheet. Its top lines are
 * Summary's (status and the billed total, written by the same functions), then native charts —
 * spend per local day by project, spend by model, the prepaid balance with its top-ups,
 * expiries and auto-recharge limit, budget burn — and below them the tables the charts draw,
 * so every bar has its figure beside it at the currency's minor unit.
 */
import type ExcelJS from 'exceljs';
import { Decimal, minorUnits, roundPartsToWhole, sum } from '../../money.js';
import type { ReportResult } from '../../results.js';
import { attachChart, type ChartSpec, type SeriesSpec } from '../charts/spec.js';
import { balanceSeries, periodDates, projectLabel, type BalanceSeries } from '../glance.js';
import { applyWidths, maxWidths, snapshotWidths } from '../sheet-layout.js';
import { wrappedLines, writeTable, type Column, type WrittenTable } from '../table.js';
import { columnPixels, printablePixels } from '../workbook.js';
import { sheetWriter, writeBilled, writeTitleAndStatus, type Sheet } from './summary.js';

export const DASHBOARD = 'Dashboard';

/** Columns A–H: Summary's label and value columns, then the columns the tables' figures need. */
const DASHBOARD_WIDTHS = [46, 18, 14, 14, 14, 14, 14, 14];
/** Charts side by side: the left one over columns A–C, the right one over D–H. */
const SLOTS = [
  { from: 1, to: 4 },
  { from: 4, to: 9 },
] as const;
const CHART_ROWS = 16;
/** Projects drawn by name on the daily chart; the rest are one "other projects" series. */
const DAILY_PROJECTS = 6;
/** Models drawn by name; the rest are one bar. */
const MODELS_SHOWN = 12;
const PALETTE = ['4269D0', 'EFB118', 'FF725C', '6CC5B0', '3CA951', 'FF8AB7', 'A463F2', '97BBF5', '9C6B4E', '9498A0'];

type ChartBody = Omit<ChartSpec, 'title' | 'description' | 'from' | 'to'>;

/** A chart and the table it draws: written at `row`, the chart's ranges taken from the written table. */
interface Block {
  title: string;
  description: string;
  write: (ws: ExcelJS.Worksheet, row: number) => { table: WrittenTable; chart: ChartBody };
}

/** Why a chart is not drawn, in place of an empty chart. */
type Absent = { title: string; reason: string };

const axisFormat = (currency: string) => {
  const places = minorUnits(currency);
  return places ? `#,##0.${'0'.repeat(places)}` : '#,##0';
};

/** Column `header` of a written table as a chart series. */
function column(t: WrittenTable, header: string, color: string, dashed = false): SeriesSpec {
  const col = t
    .col(header)
    .split('')
    .reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
  return { name: { row: t.headerRow, col }, values: { col, firstRow: t.firstDataRow, lastRow: t.lastDataRow }, color, dashed };
}

const categoryRange = (t: WrittenTable) => ({ col: 1, firstRow: t.firstDataRow, lastRow: t.lastDataRow });

/** Headers must be unique (a table's totals are kept by header): a name two projects share gets its id. */
function uniqueLabels(items: { projectId: string; projectName: string | null }[]): string[] {
  const count = new Map<string, number>();
  for (const p of items) count.set(projectLabel(p), (count.get(projectLabel(p)) ?? 0) + 1);
  return items.map((p) => (count.get(projectLabel(p))! > 1 ? `${projectLabel(p)} (${p.projectId})` : projectLabel(p)));
}

/**
 * Every cell of the day × project grid at the minor unit, rounded together by largest remainder:
 * the chart's bars add up to the billed total shown above (404.79), not to the sum of each
 * column rounded alone (404.78).
 */
function shownAtMinorUnit(rows: [string, Decimal[]][], currency: string): [string, Decimal[]][] {
  const width = rows[0]?.[1].length ?? 0;
  const flat = roundPartsToWhole(
    rows.flatMap(([, cells]) => cells),
    minorUnits(currency),
  );
  return rows.map(([date], i) => [date, flat.slice(i * width, (i + 1) * width)]);
}

function dailyBlock(r: ReportResult): Block | Absent {
  const title = 'Spend per local day, by project';
  const s = r.attribution?.summaries;
  if (!s) return { title, reason: 'no cost export was read' };
  if (s.daily.length === 0) return { title, reason: 'no billed spend in the period' };
  const named = s.byProject.slice(0, DAILY_PROJECTS);
  const labels = uniqueLabels(named);
  const columnOf = new Map(named.map((p, i) => [p.projectId, i]));
  const other = s.byProject.length > DAILY_PROJECTS ? `${s.byProject.length - DAILY_PROJECTS} other projects` : null;
  const width = labels.length + (other ? 1 : 0);
  const byDate = new Map<string, Decimal[]>(periodDates(r).map((d) => [d, Array<Decimal>(width).fill(Decimal.ZERO)]));
  for (const d of s.daily) {
    const row = byDate.get(d.localDate) ?? Array<Decimal>(width).fill(Decimal.ZERO);
    const i = columnOf.get(d.projectId) ?? width - 1;
    row[i] = row[i]!.plus(d.billed);
    byDate.set(d.localDate, row);
  }
  const rows = shownAtMinorUnit(
    [...byDate.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    r.currency,
  );
  const headers = [...labels, ...(other ? [other] : [])];
  const columns: Column<[string, Decimal[]]>[] = [
    { header: `Local date (${r.period.timezone})`, type: 'date', value: (x) => x[0] },
    ...headers.map((h, i): Column<[string, Decimal[]]> => ({ header: h, type: 'money', value: (x) => x[1][i]!, sum: true })),
  ];
  return {
    title,
    description: `Billed ${r.currency} per local day (${r.period.timezone}), stacked by project: ${rows.length} days, ${headers.length} series.`,
    write: (ws, row) => {
      const table = writeTable(ws, columns, rows, { currency: r.currency, startRow: row });
      const series = headers.map((h, i) => column(table, h, PALETTE[i % PALETTE.length]!));
      return {
        table,
        chart: {
          categories: categoryRange(table),
          categoryFormat: 'd',
          plots: [{ type: 'bar', direction: 'col', grouping: 'stacked', series }],
          valueAxisTitle: r.currency,
          valueFormat: axisFormat(r.currency),
        },
      };
    },
  };
}

function modelBlock(r: ReportResult): Block | Absent {
  const title = 'Spend by model';
  const s = r.attribution?.summaries;
  if (!s) return { title, reason: 'no cost export was read' };
  if (s.byModel.length === 0) return { title, reason: 'no billed spend in the period' };
  const sorted = [...s.byModel].sort((a, b) => b.billed.cmp(a.billed) || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
  const rest = sorted.slice(MODELS_SHOWN);
  const rows = sorted.slice(0, MODELS_SHOWN).map((m) => ({ model: m.model, billed: m.billed }));
  if (rest.length) rows.push({ model: `${rest.length} other models`, billed: sum(rest.map((m) => m.billed)) });
  const columns: Column<(typeof rows)[number]>[] = [
    { header: 'Model / line item', type: 'text', value: (m) => m.model, maxWidth: 46 },
    { header: 'Billed', type: 'money', value: (m) => m.billed, sum: true },
  ];
  return {
    title,
    description: `Billed ${r.currency} per model or line item, largest first: ${rows.length} bars.`,
    write: (ws, row) => {
      const table = writeTable(ws, columns, rows, { currency: r.currency, startRow: row });
      const series = [column(table, 'Billed', PALETTE[0]!)];
      return {
        table,
        chart: {
          categories: categoryRange(table),
          categoriesTopDown: true,
          plots: [{ type: 'bar', direction: 'bar', grouping: 'clustered', series }],
          valueAxisTitle: r.currency,
          valueFormat: axisFormat(r.currency),
        },
      };
    },
  };
}

/** Balance lines' colours: the palette without the auto-recharges line's brown. */
const BALANCE_COLOURS = PALETTE.filter((c) => c !== '9C6B4E');

/** A Balance column per account when the ledger has several (none for one: its line is the summed Balance). */
function accountColumns(b: BalanceSeries): { column: Column<BalanceSeries['days'][number]> }[] {
  return b.accounts.map((a) => {
    const closing = new Map(a.days.map((d) => [d.date, d.balance]));
    return { column: { header: `Balance ${a.label}`, type: 'money' as const, value: (d: { date: string }) => closing.get(d.date) ?? null } };
  });
}

function balanceBlock(r: ReportResult): Block | Absent {
  const title = 'Prepaid credit balance';
  const b = balanceSeries(r);
  if (!b) return { title, reason: 'no credit ledger: it needs the payment history (--payments) with the cost export' };
  type Day = (typeof b.days)[number];
  const limit = b.autoRechargeLimit;
  const accounts = accountColumns(b);
  const columns: Column<Day>[] = [
    { header: 'Date', type: 'date', value: (d) => d.date },
    { header: accounts.length ? 'Balance, all accounts' : 'Balance', type: 'money', value: (d) => d.balance },
    ...accounts.map((a) => a.column),
    { header: 'Top-ups and grants', type: 'money', value: (d) => d.credited, sum: true },
    { header: 'Expired', type: 'money', value: (d) => d.expired, sum: true },
    { header: 'Auto-recharges this month', type: 'money', value: (d) => d.autoRechargedThisMonth },
    ...(limit ? [{ header: 'Auto-recharge limit a month', type: 'money' as const, value: () => limit }] : []),
    { header: 'Events', type: 'text', value: (d) => d.events.join(', ') || null, maxWidth: 30 },
  ];
  return {
    title,
    description: `The ${b.currency} balance at the end of each day from ${b.days[0]!.date} to ${b.days[b.days.length - 1]!.date}, top-ups and expiries as bars, the month's auto-recharges${limit ? ' against their limit' : ''} as lines.`,
    write: (ws, row) => {
      const table = writeTable(ws, columns, b.days, { currency: b.currency, startRow: row, totalsLabel: 'Total' });
      const bars = [column(table, 'Top-ups and grants', '3CA951'), column(table, 'Expired', 'EFB118')];
      // one line per account where there are several: a summed line would hide whose credit runs low
      const balances = accounts.length
        ? accounts.map((a, i) => column(table, a.column.header, BALANCE_COLOURS[i % BALANCE_COLOURS.length]!))
        : [column(table, 'Balance', '4269D0')];
      const lines = [...balances, column(table, 'Auto-recharges this month', '9C6B4E')];
      if (limit) lines.push(column(table, 'Auto-recharge limit a month', 'FF725C', true));
      const plots: ChartBody['plots'] = [
        { type: 'bar', direction: 'col', grouping: 'clustered', series: bars },
        { type: 'line', series: lines },
      ];
      return { table, chart: { categories: categoryRange(table), categoryFormat: 'd mmm', plots, valueAxisTitle: b.currency, valueFormat: axisFormat(b.currency) } };
    },
  };
}

function budgetBlock(r: ReportResult): Block | Absent {
  const title = 'Budget burn';
  const b = r.budgets;
  if (!b || b.projects.length === 0) return { title, reason: 'no project has a budget (set one per project in the config)' };
  const labels = uniqueLabels(b.projects);
  const rows = b.projects.map((p, i) => ({ label: labels[i]!, p }));
  const columns: Column<(typeof rows)[number]>[] = [
    { header: 'Project', type: 'text', value: (x) => x.label, maxWidth: 46 },
    { header: 'Spent to date', type: 'money', value: (x) => x.p.spent },
    { header: 'Budget prorated to date', type: 'money', value: (x) => x.p.proratedToDate },
    { header: 'Budget for the period', type: 'money', value: (x) => x.p.periodBudget },
    { header: 'Forecast at the run rate', type: 'money', value: (x) => x.p.forecast },
  ];
  return {
    title,
    description: `${rows.length} projects: spend to date against the monthly budget prorated to ${b.asOf ?? r.period.to}, the budget for the period and the forecast.`,
    write: (ws, row) => {
      const table = writeTable(ws, columns, rows, { currency: b.currency, startRow: row });
      const series = [column(table, 'Spent to date', 'FF725C'), column(table, 'Budget prorated to date', '9498A0'), column(table, 'Budget for the period', 'D0D4DA')];
      return {
        table,
        chart: {
          categories: categoryRange(table),
          categoriesTopDown: true,
          plots: [{ type: 'bar', direction: 'bar', grouping: 'clustered', series }],
          valueAxisTitle: b.currency,
          valueFormat: axisFormat(b.currency),
        },
      };
    },
  };
}

const isBlock = (x: Block | Absent): x is Block => 'write' in x;

function blocks(r: ReportResult): (Block | Absent)[] {
  return [dailyBlock(r), modelBlock(r), balanceBlock(r), budgetBlock(r)];
}

/** A Dashboard only when it has a chart to show: a run without usage or a ledger has nothing to draw. */
export function hasDashboard(r: ReportResult): boolean {
  return blocks(r).some(isBlock);
}

/** A4 landscape less the top and bottom margins workbook.ts sets, in points. */
const PAGE_HEIGHT_PT = (8.27 - 2 * 0.6) * 72;

/**
 * Page breaks so a printed chart is never cut: before the charts when the status lines leave
 * too little room for the first band, and before every further band.
 */
function breakBeforeBands(ws: ExcelJS.Worksheet, headingRow: number, bandTops: number[]): void {
  // every column the tables widened, not only A–H: the Events column sets the print scale too
  const widths = snapshotWidths(ws, ws.columnCount).reduce((a, w) => a + columnPixels(w), 0);
  const page = PAGE_HEIGHT_PT / Math.min(1, printablePixels('landscape') / widths);
  let used = 0;
  for (let row = 1; row < bandTops[0]! + CHART_ROWS; row++) used += ws.getRow(row).height ?? 15;
  if (used > page) ws.getRow(headingRow - 1).addPageBreak();
  for (const top of bandTops.slice(1)) ws.getRow(top - 1).addPageBreak();
}

/** The tables widen the note columns: the status lines above them keep only the lines their notes now need. */
function refitNoteRows(ws: ExcelJS.Worksheet, lastRow: number): void {
  const widths = snapshotWidths(ws, DASHBOARD_WIDTHS.length);
  const noteWidth = widths.slice(2).reduce((a, b) => a + b, 0);
  for (let r = 1; r < lastRow; r++) {
    const row = ws.getRow(r);
    const note = row.getCell(3).value;
    if (typeof note !== 'string') continue;
    const lines = Math.max(wrappedLines(String(row.getCell(1).value ?? ''), widths[0]!), wrappedLines(note, noteWidth));
    row.height = 15 * lines;
  }
}

/** The charts two to a band under the status lines, then the table of each with its heading. */
function writeCharts(s: Sheet, all: (Block | Absent)[]): void {
  s.heading('The month at a glance (the figures each chart draws are in the tables below it)');
  const headingRow = s.row - 1;
  for (const a of all) if (!isBlock(a)) s.put(`${a.title}: no chart`, null, undefined, `${a.reason[0]!.toUpperCase()}${a.reason.slice(1)}.`);
  const drawn = all.filter(isBlock);
  const band = s.row + 1;
  s.row = band + Math.ceil(drawn.length / 2) * (CHART_ROWS + 1);
  const widths: number[][] = [];
  drawn.forEach((b, i) => {
    s.heading(`${b.title}: the chart's figures`);
    const { table, chart } = b.write(s.ws, s.row);
    widths.push(snapshotWidths(s.ws, DASHBOARD_WIDTHS.length));
    s.row = (table.totalsRow ?? table.lastDataRow) + 1;
    const top = band + Math.floor(i / 2) * (CHART_ROWS + 1);
    const slot = SLOTS[i % 2]!;
    attachChart(s.ws, { ...chart, title: b.title, description: b.description, from: { row: top, col: slot.from }, to: { row: top + CHART_ROWS, col: slot.to } });
  });
  applyWidths(s.ws, maxWidths([DASHBOARD_WIDTHS, ...widths]));
  refitNoteRows(s.ws, headingRow);
  const bands = Array.from({ length: Math.ceil(drawn.length / 2) }, (_, i) => band + i * (CHART_ROWS + 1));
  if (bands.length) breakBeforeBands(s.ws, headingRow, bands);
}

export function writeDashboard(ws: ExcelJS.Worksheet, r: ReportResult): void {
  applyWidths(ws, DASHBOARD_WIDTHS);
  const s = sheetWriter(ws, DASHBOARD_WIDTHS);
  writeTitleAndStatus(s, r);
  if (r.attribution) writeBilled(s, r);
  writeCharts(s, blocks(r));
  // the tables' own frozen header, filter and repeated print title do not fit a sheet of several
  ws.views = [{ state: 'normal', activeCell: 'A1' }];
  ws.autoFilter = undefined;
  delete (ws.pageSetup as { printTitlesRow?: string }).printTitlesRow;
}
