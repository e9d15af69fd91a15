/** The HTML report's sections as markup; every string from inputs through `h`. */
import { Decimal } from '../../money.js';
import type { Exception } from '../../model.js';
import { providerName } from '../../providers.js';
import type { ReportResult } from '../../results.js';
import { isoUtc } from '../../time.js';
import type { Chart } from './charts.js';
import { amount, h } from './text.js';

export interface Column<T> {
  head: string;
  cell: (row: T) => string;
  /** Right-aligned figures. */
  num?: boolean;
}

function table<T>(rows: readonly T[], columns: Column<T>[], foot?: string[]): string {
  const cls = (c: Column<T>) => (c.num ? ' class="num"' : '');
  const head = columns.map((c) => `<th${cls(c)}>${c.head}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c) => `<td${cls(c)}>${c.cell(r)}</td>`).join('')}</tr>`).join('\n');
  const tfoot = foot ? `<tfoot><tr>${foot.map((f, i) => `<td${cls(columns[i]!)}>${f}</td>`).join('')}</tr></tfoot>` : '';
  return `<div class="table"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody>${tfoot}</table></div>`;
}

export function chartFigure(c: Chart): string {
  return `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}" data-points="${c.points}" data-mark="${h(c.markClass)}" role="img" aria-label="${h(c.description)}"><figcaption>${h(c.title)}</figcaption>${c.svg}<p class="note">${h(c.description)}</p></figure>`;
}

const SEVERITIES = ['error', 'warning', 'info'] as const;
const SEVERITY_WORD = { error: 'Needs action now', warning: 'Check this month', info: 'For information' } as const;

export function header(r: ReportResult): string {
  const p = r.period;
  const counts = SEVERITIES.map((s) => `<span class="badge ${s}">${r.exceptions.filter((e) => e.severity === s).length} ${s}</span>`).join(' ');
  const billed = r.attribution ? `<div class="kpi"><span>billed</span><b>${amount(r.totals.costExport)} ${h(r.currency)}</b></div>` : '';
  // two providers' balances of one organisation would read alike without the provider's name
  const several = (r.ledger?.providers.length ?? 0) > 1;
  const balance = (r.ledger?.closing ?? [])
    .map(
      (c) =>
        `<div class="kpi"><span>credit balance${several ? ` ${h(providerName(c.provider))}` : ''}${c.organization ? ` ${h(c.organization)}` : ''}</span><b>${amount(c.balance)} ${h(r.ledger!.currency)}</b></div>`,
    )
    .join('');
  const conservation = r.conservation.holds ? 'every row and cent accounted for' : 'CONSERVATION BROKEN: see exceptions';
  return `<header><h1>Spend ${h(p.from)} to ${h(p.to)}</h1>
<p class="meta">${h(p.timezone)} · UTC ${h(isoUtc(p.utcStart))} to ${h(isoUtc(p.utcEnd))} · price table ${h(r.priceTableVersion)} · ${h(conservation)}</p>
<div class="kpis">${billed}${balance}<div class="kpi"><span>exceptions</span><b>${counts}</b></div></div></header>`;
}

/** What needs action, by severity: the class, what it concerns and the next step, one line each. */
export function status(r: ReportResult): string {
  if (r.exceptions.length === 0) return '<section id="status"><h2>Status</h2><p>Nothing needs action.</p></section>';
  const groups = SEVERITIES.map((s) => {
    const list = r.exceptions.filter((e) => e.severity === s);
    if (!list.length) return '';
    const items = list.map((e) => `<li><b>${h(e.class)}</b> ${h(e.subject)}${e.amount ? ` (${amount(e.amount)} ${h(e.currency ?? '')})` : ''}: ${h(e.nextStep)}</li>`).join('\n');
    return `<div class="status ${s}"><h3>${SEVERITY_WORD[s]} (${list.length} ${s})</h3><ul>\n${items}\n</ul></div>`;
  }).join('\n');
  return `<section id="status"><h2>Status</h2>${groups}</section>`;
}

export function exceptionsTable(list: readonly Exception[]): string {
  return `<section id="exceptions"><h2>Exceptions</h2>${table(list, [
    { head: 'severity', cell: (e) => `<span class="badge ${e.severity}">${e.severity}</span>` },
    { head: 'class', cell: (e) => h(e.class) },
    { head: 'concerns', cell: (e) => h(e.subject) },
    { head: 'amount', num: true, cell: (e) => (e.amount ? `${amount(e.amount)} ${h(e.currency ?? '')}` : '') },
    { head: 'what happened', cell: (e) => h(e.message) },
    { head: 'next step', cell: (e) => h(e.nextStep) },
  ])}</section>`;
}

export function reconciliationTable(r: ReportResult): string {
  const m = r.reconciliation;
  if (!m) return '';
  return `<section id="reconciliation"><h2>Reconciliation classes</h2><p class="note">Every provider card line and every payment has exactly one class; counted rows only.</p>${table(
    m.classTotals,
    [
      { head: 'side', cell: (t) => h(t.side) },
      { head: 'class', cell: (t) => h(t.class) },
      { head: 'rows', num: true, cell: (t) => String(t.count) },
      { head: 'amount', num: true, cell: (t) => `${amount(t.total)} ${h(t.currency)}` },
    ],
  )}</section>`;
}

export function spendTables(r: ReportResult): string {
  const s = r.attribution?.summaries;
  if (!s) return '';
  const cur = h(r.currency);
  const budgets = new Map((r.budgets?.projects ?? []).map((b) => [`${b.provider}|${b.projectId}`, b]));
  const total = [`<b>total</b>`];
  const byProject = table(
    s.byProject,
    [
      { head: 'project', cell: (p) => `${h(p.projectName ?? p.projectId)}<br><small>${h(p.projectId)}</small>` },
      { head: 'owner', cell: (p) => h(p.owner) },
      { head: `billed ${cur}`, num: true, cell: (p) => amount(p.billed) },
      { head: 'budget', num: true, cell: (p) => amount(p.budget) },
      { head: 'used', num: true, cell: (p) => (p.budgetUsed === null ? '' : `${Math.round(p.budgetUsed * 100)} %`) },
      { head: 'forecast', num: true, cell: (p) => amount(budgets.get(`${p.provider}|${p.projectId}`)?.forecast ?? null) },
      { head: 'budget reached', cell: (p) => h(budgets.get(`${p.provider}|${p.projectId}`)?.reachesBudgetOn ?? '') },
    ],
    [...total, '', `<b>${amount(s.billed)}</b>`, '', '', '', ''],
  );
  const byKey = table(
    s.byKey,
    [
      { head: 'API key', cell: (k) => `${h(k.keyName ?? k.apiKeyId)}${k.keyName ? `<br><small>${h(k.apiKeyId)}</small>` : ''}` },
      { head: 'project', cell: (k) => h(k.projectName ?? k.projectId) },
      { head: `billed ${cur}`, num: true, cell: (k) => amount(k.billed) },
      { head: 'basis', cell: (k) => h(k.basis) },
    ],
    [...total, '', `<b>${amount(s.billed)}</b>`, ''],
  );
  const byModel = table(
    s.byModel,
    [
      { head: 'model / line item', cell: (m) => h(m.model) },
      { head: `billed ${cur}`, num: true, cell: (m) => amount(m.billed) },
      { head: 'at list price', num: true, cell: (m) => amount(m.listPrice) },
      { head: 'input tokens', num: true, cell: (m) => m.inputTokens.toLocaleString('en-US') },
      { head: 'output tokens', num: true, cell: (m) => m.outputTokens.toLocaleString('en-US') },
    ],
    [...total, `<b>${amount(s.billed)}</b>`, '', '', ''],
  );
  return `<section id="by-project"><h2>By project</h2>${byProject}</section>
<section id="by-key"><h2>By API key</h2>${byKey}</section>
<section id="by-model"><h2>By model</h2>${byModel}</section>
<section id="by-day"><h2>By day</h2>${dailyTable(r)}</section>`;
}

/** Local days down, projects across (up to six; more are summed into "others"). */
function dailyTable(r: ReportResult): string {
  const s = r.attribution!.summaries;
  const projects = s.byProject.map((p) => p.projectId);
  const shown = projects.length <= 7 ? projects : projects.slice(0, 6);
  const label = new Map(s.byProject.map((p) => [p.projectId, p.projectName ?? p.projectId]));
  const days = new Map<string, Map<string, Decimal>>();
  for (const d of s.daily) {
    const row = days.get(d.localDate) ?? new Map<string, Decimal>();
    const k = shown.includes(d.projectId) ? d.projectId : '\u0000others';
    row.set(k, (row.get(k) ?? Decimal.ZERO).plus(d.billed));
    days.set(d.localDate, row);
  }
  const keys = shown.length < projects.length ? [...shown, '\u0000others'] : shown;
  const rows = [...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const sum = (m: Map<string, Decimal>) => [...m.values()].reduce((a, b) => a.plus(b), Decimal.ZERO);
  return table(rows, [
    { head: 'local date', cell: ([d]) => h(d) },
    ...keys.map((k) => ({
      head: k === '\u0000others' ? 'others' : h(label.get(k) ?? k),
      num: true,
      cell: ([, m]: [string, Map<string, Decimal>]) => amount(m.get(k) ?? Decimal.ZERO),
    })),
    { head: `total ${h(r.currency)}`, num: true, cell: ([, m]) => amount(sum(m)) },
  ]);
}

export function runwayTable(r: ReportResult): string {
  const w = r.runway;
  if (!w || w.organizations.length === 0) return '';
  const cur = h(w.currency);
  const exp = (o: (typeof w.organizations)[number], days: number) => {
    const e = o.expiring.find((x) => x.days === days);
    return e ? `${amount(e.expectedUnused)}<br><small>of ${amount(e.atRisk)} due</small>` : '';
  };
  return `<section id="runway"><h2>Credit runway</h2>${table(w.organizations, [
    { head: 'organisation', cell: (o) => h(o.organization ?? '(not named)') },
    { head: `balance ${cur}`, num: true, cell: (o) => `${amount(o.balance)}<br><small>end of ${h(o.asOf)}</small>` },
    { head: 'burn a day (7 days)', num: true, cell: (o) => amount(o.dailyBurn) },
    { head: 'runs out', cell: (o) => h(o.runsOutOn ?? 'not within a year') },
    {
      head: 'with auto-recharge',
      cell: (o) =>
        o.autoRechargeAmount
          ? `${h(o.runsOutWithAutoRechargeOn ?? 'not within a year')}${o.autoRechargeLimitHitOn ? `<br><small>limit reached ${h(o.autoRechargeLimitHitOn)}</small>` : ''}`
          : '<small>no auto-recharge seen or no limit configured</small>',
    },
    { head: 'next top-up expected', cell: (o) => h(o.nextTopUpExpected ?? '') },
    { head: 'expiring unused ≤30 d', num: true, cell: (o) => exp(o, 30) },
    { head: '≤60 d', num: true, cell: (o) => exp(o, 60) },
    { head: '≤90 d', num: true, cell: (o) => exp(o, 90) },
  ])}<p class="note">Run-out is the first day the balance is below zero at the last 7 billed days' average burn; with auto-recharge, a recharge of the last auto-recharge's amount is assumed whenever the balance would go below zero, while the month's limit allows. Expiring unused: credit due to expire in the window that the burn will not have used first (oldest first), of the amount due.</p></section>`;
}
