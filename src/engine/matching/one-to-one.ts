/** Stage 4, one-to-one: hard limits, a cost per pair (signals.ts), then the optimal assignment. */
import { solveAssignment, type CandidateEdge } from './assignment.js';
import type { MatchContext } from './context.js';
import { decideGroup } from './group.js';
import { matchablePays, open, type CardNode, type Node, type PairScore, type PayNode } from './nodes.js';
import { pairScore, scoreOf } from './signals.js';
import type { RunnerUp } from './types.js';

type Scored = PairScore & { ok: true };

/**
 * Pairs open payments with open provider charges.
 * Reads: ctx, facts, `decision`, `supersededBy`. Writes: `decision` of the pairs, `nearMiss` of rejected candidates.
 */
export function oneToOne(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  const rows = matchablePays(pays);
  const cols = cards.filter((c) => open(c) && c.provider && !c.feeLike && (c.line.status === 'pending' || c.line.status === 'posted'));
  const { scores, edges } = candidateEdges(ctx, rows, cols);
  const U = ctx.o.unmatchedCost;
  const { bestOfRow, bestOfCol } = twoCheapest(edges, rows.length, cols.length);
  for (const pair of solveAssignment(rows.length, cols.length, edges, U)) {
    const p = rows[pair.row]!;
    const c = cols[pair.col]!;
    const s = scores.get(`${pair.row}|${pair.col}`)!;
    s.score = scoreOf(ctx, [p], [c], s.check);
    const altForCard = bestOfCol[pair.col]!.find((e) => e.row !== pair.row);
    const altForPay = bestOfRow[pair.row]!.find((e) => e.col !== pair.col);
    const ruCard: RunnerUp = altForCard ? { kind: 'candidate', refs: [rows[altForCard.row]!.ref], cost: altForCard.cost } : { kind: 'unmatched', cost: 2 * U };
    const ruPay: RunnerUp = altForPay ? { kind: 'candidate', refs: [cols[altForPay.col]!.ref], cost: altForPay.cost } : { kind: 'unmatched', cost: 2 * U };
    decideGroup(ctx, [p], [c], {
      forced: false,
      score: s.score,
      runnerUp: new Map<Node, RunnerUp>([
        [c, ruCard],
        [p, ruPay],
      ]),
      margin: null,
    });
  }
}

/** Every allowed pair within a month becomes an edge; the nearest rejected one is kept as each side's near miss. */
function candidateEdges(ctx: MatchContext, rows: PayNode[], cols: CardNode[]): { scores: Map<string, Scored>; edges: CandidateEdge[] } {
  const scores = new Map<string, Scored>();
  const edges: CandidateEdge[] = [];
  rows.forEach((p, i) => {
    cols.forEach((c, j) => {
      const dist = Math.abs(c.day - p.day);
      if (!(dist <= 31)) return;
      const s = pairScore(ctx, p, c);
      if (s.ok) {
        scores.set(`${i}|${j}`, s);
        edges.push({ row: i, col: j, cost: s.score.total });
      } else if (s.interesting) {
        noteNearMiss(c, p, s.why, dist);
        noteNearMiss(p, c, s.why, dist);
      }
    });
  });
  return { scores, edges };
}

/** The two cheapest candidates of every row and column give each match its runner-up. */
function twoCheapest(edges: CandidateEdge[], rows: number, cols: number): { bestOfRow: CandidateEdge[][]; bestOfCol: CandidateEdge[][] } {
  const better = (a: CandidateEdge, b: CandidateEdge | undefined) => !b || a.cost < b.cost || (a.cost === b.cost && a.row + a.col < b.row + b.col);
  const bestOfRow = Array.from({ length: rows }, () => [] as CandidateEdge[]);
  const bestOfCol = Array.from({ length: cols }, () => [] as CandidateEdge[]);
  for (const e of edges)
    for (const top of [bestOfRow[e.row]!, bestOfCol[e.col]!]) {
      if (better(e, top[0])) top.unshift(e);
      else if (better(e, top[1])) top.splice(1, 0, e);
      top.length = Math.min(top.length, 2);
    }
  return { bestOfRow, bestOfCol };
}

function noteNearMiss(node: Node, other: Node, why: () => string, distance: number): void {
  if (!node.nearMiss || distance < node.nearMiss.distance) node.nearMiss = { ref: other.ref, why: why(), distance };
}
