/** The console summary of a run: what was read, billed, matched and left, in a few lines. */
import { rejectedByCurrency } from './engine/conservation.js';
import { roundPartsToWhole, sum } from './money.js';
import type { ReportResult } from './pipeline.js';
import { providerName } from './providers.js';
import { minorUnits } from './report/cells.js';
import { inlineText, type TextSink } from './terminal.js';
import { isoUtc } from './time.js';

/** Money in rejected rows, per currency as read (a file in CNY is not labelled USD). */
function rejectedMoney(r: ReportResult): string {
  const by = rejectedByCurrency(r.inputs);
  return by.length ? ` (${by.map((x) => `${x.amount.toDisplay(2)} ${x.currency}`).join(', ')})` : '';
}

/** Projects shown on the console; the rest are one "… N more" line. */
const CONSOLE_PROJECTS = 8;

/** The biggest projects in cents that add up to the billed total printed above them (largest remainder). */
function projectLines(r: ReportResult): [string, string][] {
  const projects = r.attribution?.summaries.byProject ?? [];
  const places = minorUnits(r.currency);
  const shown = roundPartsToWhole(
    projects.map((p) => p.billed),
    places,
  );
  const lines = projects
    .slice(0, CONSOLE_PROJECTS)
    .map((p, i) => [`  ${inlineText(p.projectName ?? p.projectId)}`, `${shown[i]!.toDisplay(places)} ${r.currency}`] as [string, string]);
  if (projects.length > CONSOLE_PROJECTS) lines.push([`  … ${projects.length - CONSOLE_PROJECTS} more`, `${sum(shown.slice(CONSOLE_PROJECTS)).toDisplay(places)} ${r.currency}`]);
  return lines;
}

/** The run in a few lines; names from inputs shown on one line each (the sink redacts and shows controls). */
export function printReportSummary(r: ReportResult, outs: string[], stream: TextSink) {
  const cur = r.currency;
  const lines: [string, string][] = [['period', `${r.period.from} to ${r.period.to} (${r.period.timezone}; UTC ${isoUtc(r.period.utcStart)} to ${isoUtc(r.period.utcEnd)})`]];
  if (r.attribution) {
    lines.push(
      ['billed (cost export)', `${r.totals.costExport.toDisplay(2)} ${cur}`],
      ['attributed', `${r.totals.billed.toDisplay(2)} ${cur}`],
      ['not attributed to a key', `${r.totals.unallocated.toDisplay(2)} ${cur}`],
    );
  }
  if (r.reconciliation) {
    const m = r.reconciliation;
    const fmt = (t: { total: { toDisplay(n: number): string }; currency: string; count: number }[]) =>
      t.map((c) => `${c.total.toDisplay(2)} ${c.currency} (${c.count})`).join(', ') || '0';
    lines.push(['card charges to provider', fmt(m.card.counted)], ['payments', fmt(m.payments.counted)]);
    // charges and payments counted apart: "matched 8" of both sides read as 8 pairs
    for (const side of ['card', 'payment'] as const) {
      const byClass = new Map<string, number>();
      for (const c of m.classifications) if (c.side === side) byClass.set(c.class, (byClass.get(c.class) ?? 0) + 1);
      lines.push([
        side === 'card' ? 'card lines by class' : 'payments by class',
        [...byClass.entries()]
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(', ') || '0',
      ]);
    }
    if (m.leftOut.count) lines.push(['other card lines left out', String(m.leftOut.count)]);
  }
  if (r.ledger) {
    // with two providers the organisation alone does not say whose credit a balance is
    const whose = (p: string) => (r.ledger!.providers.length > 1 ? ` ${providerName(p)}` : '');
    for (const c of r.ledger.closing)
      lines.push([`closing balance${whose(c.provider)}${c.organization ? ` ${inlineText(c.organization)}` : ''}`, `${c.balance.toDisplay(2)} ${r.ledger.currency}`]);
  }
  lines.push(['rejected rows', `${r.totals.rejectedRows}${rejectedMoney(r)}`]);
  const broken = r.conservation.equations.filter((e) => !e.holds).length;
  lines.push([
    'conservation',
    broken
      ? `BROKEN: ${broken} of ${r.conservation.equations.length} equations do not hold (see Exceptions: conservation_broken)`
      : `every row and cent accounted for (${r.conservation.equations.length} equations hold)`,
  ]);
  lines.push(['exceptions', (['error', 'warning', 'info'] as const).map((s) => `${r.exceptions.filter((e) => e.severity === s).length} ${s}`).join(', ')]);
  const top = projectLines(r);
  const w = Math.max(...[...lines, ...top].map(([k]) => k.length));
  for (const [k, v] of lines) stream.write(`${k.padEnd(w)}  ${v}\n`);
  if (top.length) {
    stream.write('by project:\n');
    for (const [k, v] of top) stream.write(`${k.padEnd(w)}  ${v.padStart(14)}\n`);
  }
  for (const out of outs) stream.write(`workbook: ${inlineText(out)}\n`);
}
