/**
 * Stage 4, one-to-one: hard limits, a cost per pair (signals.ts), then the optimal assignment.
 *
 * The candidate graph is built between runs of interchangeable payments and lines (runs.ts):
 * only pairs in the date window are scored, through a day index. Each connected group small
 * enough for the dense solver's order tie-break is expanded and solved as before
 * (assignment.ts); a larger one — a month of equal auto-recharges chains into one — is solved
 * exactly on the run graph by min-cost flow (flow.ts), whose tie-break keeps the same order.
 */
import { orderTieBreakFits, quantise, solveComponent, type AssignedPair, type CandidateEdge } from './assignment.js';
import type { MatchContext } from './context.js';
import { transport, type RunEdge } from './flow.js';
import { decideGroup } from './group.js';
import { matchablePays, NO_MONEY_STATUSES, open, optimal, type CardNode, type Node, type PayNode } from './nodes.js';
import { reversalLines } from './refunds.js';
import { nearMisses } from './near-miss.js';
import { cardKey, payKey, runPairs, runsOf, singular, type Run, type RunPair } from './runs.js';
import { pairScore, reversalCost, scoreOf } from './signals.js';
import type { RunnerUp } from './types.js';

/** A candidate as the runner-up search sees it: one concrete row or column and a cost. */
interface Best {
  row: number;
  col: number;
  cost: number;
}

/**
 * Pairs open payments with open provider charges, in two passes. The pair costs price a line
 * left over as "unmatched", but a later stage explains some such lines better than any pair
 * would, and a pair taken here would hide that:
 * - money-moving payments first, without the pending authorisations a reversal nets to zero
 *   (a reversed authorisation moved no money, so it is no top-up's charge);
 * - then failed/void payments, without the posted lines that repeat a line matched in the
 *   first pass (same amount and day: the duplicate-charge stage's rule). A failed payment is
 *   cheaper paired than alone, yet such a line is the duplicate charge whichever of the equal
 *   lines the first pass took, so its class cannot depend on how those ties fell.
 * Reads: ctx, facts, `decision`, `supersededBy`. Writes: `decision` of the pairs, `nearMiss` of the rows and columns left over.
 */
export function oneToOne(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  const rows = matchablePays(pays);
  const cols = cards.filter((c) => open(c) && c.provider !== null && !c.feeLike && (c.line.status === 'pending' || c.line.status === 'posted'));
  const reversed = reversedAuthorisations(ctx, cols, cards);
  const moneyRows = rows.filter((p) => !NO_MONEY_STATUSES.has(p.p.status));
  const firstCols = cols.filter((c) => !reversed.has(c));
  const first = assignPass(ctx, moneyRows, firstCols, { rowNearMiss: true, colNearMiss: true });
  const repeated = (c: CardNode) => c.line.status === 'posted' && first.some((a) => a.line.currency === c.line.currency && a.line.amount.eq(c.line.amount) && a.day === c.day);
  const failedRows = rows.filter((p) => NO_MONEY_STATUSES.has(p.p.status));
  assignPass(
    ctx,
    failedRows,
    cols.filter((c) => open(c) && !repeated(c)),
    { rowNearMiss: true, colNearMiss: false },
  );
}

/**
 * The pending lines the reversal stage would net with a negative line: the same pairing
 * (refunds.ts) among the open pending lines and the open negative ones.
 */
function reversedAuthorisations(ctx: MatchContext, cols: readonly CardNode[], cards: readonly CardNode[]): Set<CardNode> {
  const pending = cols.filter((c) => c.line.status === 'pending' && !c.subscription && c.line.amount.sign() > 0);
  const negatives = pending.length ? reversalLines(cards) : [];
  if (!negatives.length) return new Set();
  return new Set(optimal(ctx.o.unmatchedCost, pending, negatives, (a, r) => reversalCost(ctx, a, r)).map((x) => x.row));
}

/** One assignment over the given rows and columns; the card lines it matched. */
function assignPass(ctx: MatchContext, rows: PayNode[], cols: CardNode[], near: { rowNearMiss: boolean; colNearMiss: boolean }): CardNode[] {
  if (!rows.length && !cols.length) return [];
  const single = singular(ctx, rows, cols);
  const rowRuns = runsOf(rows, payKey, single.rows);
  const colRuns = runsOf(cols, cardKey, single.cols);
  const pairs = runPairs(ctx, rowRuns, colRuns);
  const U = ctx.o.unmatchedCost;
  const { bestOfRow, bestOfCol } = twoCheapest(pairs, rowRuns, colRuns);
  const assigned = solve(pairs, rowRuns, colRuns, U);
  for (const pair of assigned) {
    const p = rows[pair.row]!;
    const c = cols[pair.col]!;
    const s = pairScore(ctx, p, c);
    if (!s.ok) throw new Error('internal: an assigned pair fails its limits');
    const score = scoreOf(ctx, [p], [c], s.check);
    const altForCard = bestOfCol(pair.col).find((e) => e.row !== pair.row);
    const altForPay = bestOfRow(pair.row).find((e) => e.col !== pair.col);
    const ruCard: RunnerUp = altForCard ? { kind: 'candidate', refs: [rows[altForCard.row]!.ref], cost: altForCard.cost } : { kind: 'unmatched', cost: 2 * U };
    const ruPay: RunnerUp = altForPay ? { kind: 'candidate', refs: [cols[altForPay.col]!.ref], cost: altForPay.cost } : { kind: 'unmatched', cost: 2 * U };
    decideGroup(ctx, [p], [c], {
      forced: false,
      score,
      runnerUp: new Map<Node, RunnerUp>([
        [c, ruCard],
        [p, ruPay],
      ]),
      margin: null,
    });
  }
  const all = (n: number) => new Set(Array.from({ length: n }, (_, i) => i));
  nearMisses(
    ctx,
    rows,
    cols,
    { rows: rowRuns, cols: colRuns },
    {
      rows: near.rowNearMiss ? new Set(assigned.map((a) => a.row)) : all(rows.length),
      cols: near.colNearMiss ? new Set(assigned.map((a) => a.col)) : all(cols.length),
    },
  );
  return assigned.map((a) => cols[a.col]!);
}

/** The optimal pairs (concrete row and column indices), ascending by row. */
function solve(pairs: RunPair[], rowRuns: Run<PayNode>[], colRuns: Run<CardNode>[], U: number): AssignedPair[] {
  const out: AssignedPair[] = [];
  for (const comp of components(pairs, rowRuns.length, colRuns.length)) {
    const n = comp.rows.reduce((a, r) => a + rowRuns[r]!.members.length, 0);
    const m = comp.cols.reduce((a, c) => a + colRuns[c]!.members.length, 0);
    let maxQ = 2 * quantise(U);
    for (const e of comp.pairs) maxQ = Math.max(maxQ, quantise(e.score.score.total));
    out.push(...(orderTieBreakFits(n, m, maxQ) ? solveDense(comp, rowRuns, colRuns, U) : solveByFlow(comp, rowRuns, colRuns, U)));
  }
  return out.sort((a, b) => a.row - b.row);
}

interface Component {
  rows: number[];
  cols: number[];
  pairs: RunPair[];
}

/** Connected groups of the run graph, rows and columns ascending, in order of their first row run. */
function components(pairs: RunPair[], R: number, C: number): Component[] {
  const parent = Array.from({ length: R + C }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of pairs) {
    const a = find(e.row);
    const b = find(R + e.col);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const byRoot = new Map<number, Component>();
  for (const e of pairs) {
    const root = find(e.row);
    let comp = byRoot.get(root);
    if (!comp) byRoot.set(root, (comp = { rows: [], cols: [], pairs: [] }));
    comp.pairs.push(e);
  }
  for (let r = 0; r < R; r++) byRoot.get(find(r))?.rows.push(r);
  for (let c = 0; c < C; c++) byRoot.get(find(R + c))?.cols.push(c);
  return [...byRoot.keys()].sort((a, b) => a - b).map((k) => byRoot.get(k)!);
}

/** A small group: every concrete pair, and the dense solver with its order tie-break (unchanged results). */
function solveDense(comp: Component, rowRuns: Run<PayNode>[], colRuns: Run<CardNode>[], U: number): AssignedPair[] {
  const edges: CandidateEdge[] = [];
  for (const e of comp.pairs) for (const row of rowRuns[e.row]!.members) for (const col of colRuns[e.col]!.members) edges.push({ row, col, cost: e.score.score.total });
  return solveComponent({ rows: comp.rows.flatMap((r) => rowRuns[r]!.members), cols: comp.cols.flatMap((c) => colRuns[c]!.members), edges }, U);
}

/**
 * A large group by min-cost flow between runs (exact: runs are interchangeable, so an
 * integral run flow is an optimal assignment). Ties: the secondary cost −x·y + (Y+1)·x + (X+1)·y
 * over run positions x, y (runs in order of their first member) is strictly Monge, so among
 * equal totals no two run pairs cross and earlier runs are matched before later ones; within
 * a run, rows go to column runs in order and each column run hands out its lines in order.
 * Runs of different keys interleave within a day, so single rows of two such runs can still
 * cross at equal cost (not yet uncrossed).
 */
function solveByFlow(comp: Component, rowRuns: Run<PayNode>[], colRuns: Run<CardNode>[], U: number): AssignedPair[] {
  const rowAt = new Map(comp.rows.map((r, i) => [r, i]));
  const colAt = new Map(comp.cols.map((c, j) => [c, j]));
  const X = comp.rows.length;
  const Y = comp.cols.length;
  const qU2 = 2 * quantise(U);
  const taken = comp.pairs.filter((e) => quantise(e.score.score.total) <= qU2);
  const edges: RunEdge[] = taken.map((e) => {
    const x = rowAt.get(e.row)! + 1;
    const y = colAt.get(e.col)! + 1;
    return { row: x - 1, col: y - 1, primary: quantise(e.score.score.total) - qU2, secondary: -x * y + (Y + 1) * x + (X + 1) * y };
  });
  const flow = transport(
    comp.rows.map((r) => rowRuns[r]!.members.length),
    comp.cols.map((c) => colRuns[c]!.members.length),
    edges,
  );
  // rows of a run to column runs in ascending order; each column run hands out its lines in order
  const order = taken.map((_, i) => i).filter((i) => flow[i]! > 0);
  order.sort((a, b) => edges[a]!.row - edges[b]!.row || edges[a]!.col - edges[b]!.col);
  const nextRow = new Map<number, number>();
  const nextCol = new Map<number, number>();
  const out: AssignedPair[] = [];
  for (const i of order) {
    const e = taken[i]!;
    for (let u = 0; u < flow[i]!; u++) {
      const ri = nextRow.get(e.row) ?? 0;
      const ci = nextCol.get(e.col) ?? 0;
      nextRow.set(e.row, ri + 1);
      nextCol.set(e.col, ci + 1);
      out.push({ row: rowRuns[e.row]!.members[ri]!, col: colRuns[e.col]!.members[ci]!, cost: e.score.score.total });
    }
  }
  return out;
}

/**
 * The two cheapest candidates of every row and column give each match its runner-up; ties by
 * the other side's position (as when every pair was an edge). Within a run every member has
 * the same candidates, so the first two members of each neighbouring run are all it takes.
 */
function twoCheapest(pairs: RunPair[], rowRuns: Run<PayNode>[], colRuns: Run<CardNode>[]): { bestOfRow: (row: number) => Best[]; bestOfCol: (col: number) => Best[] } {
  const better = (a: Best, b: Best | undefined, key: 'row' | 'col') => !b || a.cost < b.cost || (a.cost === b.cost && a[key] < b[key]);
  const topRow = Array.from({ length: rowRuns.length }, () => [] as Best[]);
  const topCol = Array.from({ length: colRuns.length }, () => [] as Best[]);
  const keep = (top: Best[], e: Best, key: 'row' | 'col') => {
    if (better(e, top[0], key)) top.unshift(e);
    else if (better(e, top[1], key)) top.splice(1, 0, e);
    top.length = Math.min(top.length, 2);
  };
  for (const e of pairs) {
    const cost = e.score.score.total;
    const rowFirst = rowRuns[e.row]!.members[0]!;
    const colFirst = colRuns[e.col]!.members[0]!;
    for (const col of colRuns[e.col]!.members.slice(0, 2)) keep(topRow[e.row]!, { row: rowFirst, col, cost }, 'col');
    for (const row of rowRuns[e.row]!.members.slice(0, 2)) keep(topCol[e.col]!, { row, col: colFirst, cost }, 'row');
  }
  const runOfRow = indexOfMembers(rowRuns);
  const runOfCol = indexOfMembers(colRuns);
  return {
    bestOfRow: (row) => topRow[runOfRow[row]!]!.map((b) => ({ ...b, row })),
    bestOfCol: (col) => topCol[runOfCol[col]!]!.map((b) => ({ ...b, col })),
  };
}

function indexOfMembers(runs: readonly Run<unknown>[]): Int32Array {
  const n = runs.reduce((a, r) => Math.max(a, r.members[r.members.length - 1]! + 1), 0);
  const out = new Int32Array(n);
  for (const [i, r] of runs.entries()) for (const m of r.members) out[m] = i;
  return out;
}
