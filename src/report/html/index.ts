/**
 * `reports/<period>.html` (issue #13): the month at a glance in one self-contained file —
 * inline SVG charts, inline CSS, no script, font or network — readable on a laptop, printable,
 * safe to send as an e-mail attachment.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../output-files.js';
import type { ReportResult } from '../../results.js';
import { addDays } from '../../time.js';
import type { Decimal } from '../../money.js';
import { accountIndex, BALANCE_EVENT_WORDS, balanceSeries, periodDates, projectLabel, type BalanceSeries } from '../glance.js';
import { renderSvg } from './chart-thread.js';
import { balanceSpec, burnSpec, dailySpec, modelSpec, RECHARGES_SERIES, type BalanceEvent, type BalancePoint, type Chart } from './charts.js';
import { chartFigure, exceptionsTable, header, reconciliationTable, runwayTable, spendTables, status } from './sections.js';
import { STYLE } from './style.js';
import { h, plain } from './text.js';

async function dailyChart(r: ReportResult): Promise<Chart | null> {
  const s = r.attribution?.summaries;
  if (!s || s.daily.length === 0) return null;
  const points = s.daily.map((d) => ({ date: d.localDate, project: plain(projectLabel(d)), amount: d.billed.toNumber() }));
  const svg = await renderSvg(dailySpec(points, periodDates(r), r.currency));
  return {
    id: 'daily',
    title: 'Spend per local day, by project',
    description: `${points.length} bars: billed ${r.currency} per local day (${r.period.timezone}) and project, stacked.`,
    points: points.length,
    markClass: 'mark-rect',
    svg,
  };
}

async function modelChart(r: ReportResult): Promise<Chart | null> {
  const s = r.attribution?.summaries;
  if (!s || s.byModel.length === 0) return null;
  const points = s.byModel.map((m) => ({ model: plain(m.model), amount: m.billed.toNumber() }));
  const svg = await renderSvg(modelSpec(points, r.currency));
  return {
    id: 'models',
    title: 'Spend by model',
    description: `${points.length} bars: billed ${r.currency} per model or line item.`,
    points: points.length,
    markClass: 'mark-rect',
    svg,
  };
}

/**
 * The balance per day — one line, or one per (provider, organisation) account when the ledger has
 * several — the month's auto-recharges so far, and the events on their account's line.
 */
async function balanceChart(r: ReportResult): Promise<Chart | null> {
  const series = balanceSeries(r);
  if (!series) return null;
  const dates = series.days.map((d) => d.date);
  const balances = balanceLines(series);
  const lines: BalancePoint[] = [
    ...balances.flatMap((b) => [...b.closing].map(([date, amount]) => ({ date, series: b.name, amount: amount.toNumber() }))),
    ...series.days.map((d) => ({ date: d.date, series: RECHARGES_SERIES, amount: d.autoRechargedThisMonth.toNumber() })),
  ];
  const lineOf = (e: { provider: string; organization: string | null }) => balances[series.accounts.length ? accountIndex(series.accounts, e) : 0];
  const events: BalanceEvent[] = r
    .ledger!.events.filter((e) => BALANCE_EVENT_WORDS[e.kind] && lineOf(e)?.closing.has(e.date))
    .map((e) => ({ date: e.date, kind: BALANCE_EVENT_WORDS[e.kind]!, amount: lineOf(e)!.closing.get(e.date)!.toNumber() }));
  const names = balances.map((b) => b.name);
  const svg = await renderSvg(balanceSpec(lines, names, events, series.autoRechargeLimit, series.currency));
  const what = balances.length > 1 ? `${balances.length} balance lines, one per account (${names.map(plain).join(', ')}),` : 'The balance';
  return {
    id: 'balance',
    title: 'Prepaid credit balance',
    description: `${what} at the end of each day from ${dates[0]} to ${dates[dates.length - 1]}, with ${events.length} points for top-ups, grants, expiries and the auto-recharge limit; the dashed line is the month's auto-recharges against the limit.`,
    points: events.length,
    markClass: 'mark-symbol',
    svg,
  };
}

/** The balance lines to draw: the summed one for a single account, else each account's own. */
function balanceLines(series: BalanceSeries): { name: string; closing: Map<string, Decimal> }[] {
  if (series.accounts.length === 0) return [{ name: 'balance', closing: new Map(series.days.map((d) => [d.date, d.balance])) }];
  return series.accounts.map((a) => ({ name: plain(`${a.label} balance`), closing: new Map(a.days.map((d) => [d.date, d.balance])) }));
}

async function burnChart(r: ReportResult): Promise<Chart | null> {
  const b = r.budgets;
  if (!b || b.projects.length === 0) return null;
  const points = b.projects.flatMap((p) => {
    const name = plain(projectLabel(p));
    // the prorated line is drawn to the period's end: where spend should be, ahead of today
    const ahead = Array.from({ length: p.daysInPeriod - p.daysElapsed }, (_, i) => addDays(p.burn[p.burn.length - 1]!.date, i + 1));
    const prorated = p.burn.map((d) => ({ date: d.date, amount: d.prorated.toNumber() }));
    if (ahead.length) prorated.push({ date: ahead[ahead.length - 1]!, amount: p.periodBudget.toNumber() });
    return [
      ...p.burn.map((d) => ({ project: name, date: d.date, series: 'spent', amount: d.spent.toNumber() })),
      ...prorated.map((d) => ({ project: name, date: d.date, series: 'prorated budget', amount: d.amount })),
    ];
  });
  const svg = await renderSvg(burnSpec(points, b.currency));
  return {
    id: 'budgets',
    title: 'Budget burn',
    description: `${b.projects.length} projects: spend to date against the monthly budget prorated by day (${b.projects.length * 2} lines).`,
    points: b.projects.length * 2,
    markClass: 'mark-line',
    svg,
  };
}

/** The page's text; its charts are drawn on the chart thread (chart-thread.ts), so it can be begun before the workbooks are written. */
export async function renderHtmlReport(r: ReportResult): Promise<string> {
  const charts = (await Promise.all([dailyChart(r), modelChart(r), balanceChart(r), burnChart(r)])).filter((c): c is Chart => c !== null);
  const title = `Spend ${r.period.label}`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(title)}</title>
<style>${STYLE}</style></head>
<body><main>
${header(r)}
${status(r)}
<section id="charts"><h2>The month at a glance</h2><div class="charts">${charts.map(chartFigure).join('\n')}</div></section>
${runwayTable(r)}
${spendTables(r)}
${reconciliationTable(r)}
${exceptionsTable(r.exceptions)}
<footer><p class="note">Written by spendrecon. Amounts here are rounded to the cent for reading; the workbook and --json carry the exact figures.</p></footer>
</main></body></html>
`;
}

export function htmlReportPath(workbookPath: string): string {
  return workbookPath.replace(/(\.xlsx)?$/i, '.html');
}

export async function writeHtmlText(html: string, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, html);
}
