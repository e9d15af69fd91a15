/**
 * Stage 5, many-to-one: a size-capped subset sum over what one-to-one left (charge + FX fee ↔
 * payment, split charge ↔ payment, charge ↔ payment + tax), then disjoint groups, cheapest first.
 */
import { sum } from '../../money.js';
import { compareAmounts, largest, syntheticLine } from './amounts.js';
import type { MatchContext } from './context.js';
import { decideGroup } from './group.js';
import { matchablePays, type AmountCheck, type CardNode, type Node, type PayNode } from './nodes.js';
import { pairLimit, scoreOf } from './signals.js';
import type { RunnerUp, ScoreBreakdown } from './types.js';

interface Group {
  ps: PayNode[];
  cs: CardNode[];
  score: ScoreBreakdown;
  check: AmountCheck;
  /** Order found: the last tie-break. */
  order: number;
}

/** Only the nearest few candidates of an anchor enter the subset sum: its cost grows as n^cap. */
const MAX_CANDIDATES = 10;

const isParent = (c: CardNode) => c.provider !== null && !c.feeLike;

/** Reads: ctx, facts, `dupOf`, `decision`, `supersededBy`. Writes: `decision` of grouped members, `pulledIn` of fee lines. */
export function manyToOne(ctx: MatchContext, cards: readonly CardNode[], allPays: readonly PayNode[]): void {
  if (ctx.o.maxGroupSize < 2) return;
  const pays = matchablePays(allPays);
  const lines = cards.filter(
    (c) => c.dupOf === null && c.decision === null && c.supersededBy === null && (c.provider !== null || c.feeLike) && (c.line.status === 'pending' || c.line.status === 'posted'),
  );
  const found: Group[] = [];
  groupsOfLines(ctx, pays, lines, found);
  groupsOfPayments(ctx, pays, lines, found);
  const firstK = (g: Group) => Math.min(...g.ps.map((p) => p.k * 2), ...g.cs.map((c) => c.k * 2 + 1));
  found.sort((a, b) => a.score.total - b.score.total || firstK(a) - firstK(b) || a.order - b.order);
  // disjoint groups, cheapest first (set packing; the leftovers are few by now)
  const used = new Set<Node>();
  for (const g of found) {
    const members: Node[] = [...g.ps, ...g.cs];
    if (members.some((m) => used.has(m))) continue;
    for (const m of members) used.add(m);
    const rival = found.find((o) => o !== g && [...o.ps, ...o.cs].some((m) => members.includes(m)));
    const runnerUp: RunnerUp = rival
      ? { kind: 'candidate', refs: [...rival.ps, ...rival.cs].filter((m) => !members.includes(m)).map((m) => m.ref), cost: rival.score.total }
      : { kind: 'unmatched', cost: ctx.o.unmatchedCost * members.length };
    decideGroup(ctx, g.ps, g.cs, { forced: false, score: scoreOf(ctx, g.ps, g.cs, g.check), runnerUp: new Map(members.map((m) => [m, runnerUp])), margin: null });
  }
}

function near<T extends Node>(xs: T[], anchor: Node): T[] {
  return xs
    .map((x) => ({ x, d: Math.abs(x.day - anchor.day) }))
    .sort((a, b) => a.d - b.d || a.x.k - b.x.k)
    .slice(0, MAX_CANDIDATES)
    .map((e) => e.x)
    .sort((a, b) => a.k - b.k);
}

/** One payment ↔ several lines (charge + fee, split charge); appends to `found`. */
function groupsOfLines(ctx: MatchContext, pays: PayNode[], lines: CardNode[], found: Group[]): void {
  const limit = 2 * ctx.o.unmatchedCost;
  for (const p of pays) {
    const cands = near(
      lines.filter((c) => !pairLimit(ctx, p, c)),
      p,
    );
    for (const subset of subsets(cands, 2, ctx.o.maxGroupSize)) {
      const cur = subset[0]!.line.currency;
      if (subset.some((c) => c.line.currency !== cur)) continue;
      const parent = largest(subset);
      if (!isParent(parent)) continue;
      const check = compareAmounts(ctx, p.p.amount, p.p.currency, syntheticLine(subset));
      if (!check.ok) continue;
      const score = scoreOf(ctx, [p], subset, check, false);
      if (score.total < limit) found.push({ ps: [p], cs: subset, score, check, order: found.length });
    }
  }
}

/** One line ↔ several payments (a top-up and its tax line); appends to `found`. */
function groupsOfPayments(ctx: MatchContext, pays: PayNode[], lines: CardNode[], found: Group[]): void {
  const limit = 2 * ctx.o.unmatchedCost;
  for (const c of lines.filter(isParent)) {
    const cands = near(
      pays.filter((p) => !pairLimit(ctx, p, c)),
      c,
    );
    for (const subset of subsets(cands, 2, ctx.o.maxGroupSize)) {
      const cur = subset[0]!.p.currency;
      if (subset.some((p) => p.p.currency !== cur)) continue;
      const check = compareAmounts(ctx, sum(subset.map((p) => p.p.amount)), cur, c.line);
      if (!check.ok) continue;
      const score = scoreOf(ctx, subset, [c], check, false);
      if (score.total < limit) found.push({ ps: subset, cs: [c], score, check, order: found.length });
    }
  }
}

/** All subsets of size lo..hi, in lexicographic index order. */
function* subsets<T>(xs: readonly T[], lo: number, hi: number): Generator<T[]> {
  const n = xs.length;
  for (let size = lo; size <= Math.min(hi, n); size++) {
    const idx = Array.from({ length: size }, (_, i) => i);
    for (;;) {
      yield idx.map((i) => xs[i]!);
      let i = size - 1;
      while (i >= 0 && idx[i] === n - size + i) i--;
      if (i < 0) break;
      idx[i]!++;
      for (let j = i + 1; j < size; j++) idx[j] = idx[j - 1]! + 1;
    }
  }
}
