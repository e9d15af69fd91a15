/**
 * The nearest rejected candidate of each row and column the one-to-one stage left over (the
 * leftovers stage explains an unmatched line with it). Nearest by days between the payment
 * and the card's transaction date, up to a month; among equally near ones the first in
 * tie-break order. Only the leftovers read it, so it is looked for only where it is needed,
 * outward day by day from the node, run by run (a run's members reject alike).
 */
import { compareAmounts } from './amounts.js';
import { crossProvider, providerOf, type MatchContext } from './context.js';
import type { CardNode, Node, PayNode } from './nodes.js';
import type { Run } from './runs.js';
import { pairLimit } from './signals.js';

const MAX_DISTANCE = 31;

/** Writes `nearMiss` of the rows and columns not in `rowsTaken` / `colsTaken`. */
export function nearMisses(
  ctx: MatchContext,
  rows: readonly PayNode[],
  cols: readonly CardNode[],
  runs: { rows: Run<PayNode>[]; cols: Run<CardNode>[] },
  taken: { rows: Set<number>; cols: Set<number> },
): void {
  const { rows: rowRuns, cols: colRuns } = runs;
  const note = (n: Node, hit: Hit<Node>) =>
    hit && (n.nearMiss = { ref: hit.run.rep.ref, why: hit.why, distance: hit.distance, otherProvider: crossProvider(n, hit.run.rep) ? providerOf(hit.run.rep) : null });
  const rejection = memoRejection(ctx);
  const rowDays = runsByDay(rowRuns, (p) => p.day);
  const colDays = runsByDay(colRuns, (c) => c.day);
  for (const rr of rowRuns) {
    const open = rr.members.filter((i) => !taken.rows.has(i));
    if (!open.length) continue;
    const hit = nearest(rr.rep.day, colDays, colRuns, (cr) => rejection(rr, cr));
    for (const i of open) note(rows[i]!, hit);
  }
  for (const cr of colRuns) {
    const open = cr.members.filter((j) => !taken.cols.has(j));
    if (!open.length) continue;
    const hit = nearest(cr.rep.day, rowDays, rowRuns, (rr) => rejection(rr, cr));
    for (const j of open) note(cols[j]!, hit);
  }
}

type Hit<N extends Node> = { run: Run<N>; why: string; distance: number } | null;

/** Outward from `day`: the first distance with a rejected run; among those, the lowest position. */
function nearest<N extends Node>(day: number, days: Map<number, number[]>, runs: Run<N>[], rejected: (r: Run<N>) => string | null): Hit<N> {
  if (Number.isNaN(day)) return null;
  for (let d = 0; d <= MAX_DISTANCE; d++) {
    let best: Hit<N> = null;
    for (const at of d === 0 ? [day] : [day - d, day + d])
      for (const k of days.get(at) ?? []) {
        const run = runs[k]!;
        if (best && best.run.members[0]! < run.members[0]!) break;
        const why = rejected(run);
        if (why !== null) best = { run, why, distance: d };
        if (why !== null) break;
      }
    if (best) return best;
  }
  return null;
}

/** The rejection text of a run pair when it is an interesting one (not merely opposite signs). */
function memoRejection(ctx: MatchContext): (rr: Run<PayNode>, cr: Run<CardNode>) => string | null {
  const memo = new Map<string, string | null>();
  return (rr, cr) => {
    const key = `${rr.members[0]}|${cr.members[0]}`;
    let v = memo.get(key);
    if (v === undefined) {
      const p = rr.rep;
      const c = cr.rep;
      const limit = pairLimit(ctx, p, c);
      if (limit) v = limit.interesting ? limit.why() : null;
      else {
        const check = compareAmounts(ctx, p.p.amount, p.p.currency, c.line);
        v = check.ok ? null : check.text();
      }
      memo.set(key, v);
    }
    return v;
  };
}

function runsByDay<N>(runs: Run<N>[], day: (n: N) => number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  runs.forEach((r, k) => {
    const d = day(r.rep);
    if (Number.isNaN(d)) return;
    const at = out.get(d);
    if (at) at.push(k);
    else out.set(d, [k]);
  });
  return out;
}
