/**
 * Stage 2, reviewer overrides: forbidden pairs never match; forced pairs (grouped where they
 * share a payment or a line) are taken as they are, before any scoring.
 */
import type { MatchOverrides, OverridePair } from './config.js';
import { crossProvider, forbiddenKey, type MatchContext } from './context.js';
import { providerName } from '../../providers.js';
import { baseName } from './format.js';
import { decideGroup } from './group.js';
import type { CardNode, Node, PayNode } from './nodes.js';

export interface ResolvedOverrides {
  /** `paymentK|cardK` of the forbidden pairs. */
  forbidden: Set<string>;
  /** Forced groups in the order they are decided; payments and lines in tie-break order. */
  forcedGroups: { ps: PayNode[]; cs: CardNode[] }[];
  forcedCount: number;
  forbiddenCount: number;
  /** Overrides that name nothing (or too much) and were not applied. */
  problems: string[];
}

/** Finds the nodes the overrides name. Reads: facts, `dupOf`. Writes: nothing. */
export function resolveOverrides(cards: readonly CardNode[], pays: readonly PayNode[], overrides: MatchOverrides): ResolvedOverrides {
  const problems: string[] = [];
  const forbidden = new Set<string>();
  let forbiddenCount = 0;
  overrides.forbid.forEach((pair, i) => {
    const r = resolvePair(cards, pays, pair, `overrides forbid[${i}]`, problems);
    if (!r) return;
    forbidden.add(forbiddenKey(r.p, r.c));
    forbiddenCount++;
  });
  const edges: { p: PayNode; c: CardNode }[] = [];
  overrides.force.forEach((pair, i) => {
    const r = resolvePair(cards, pays, pair, `overrides force[${i}]`, problems);
    if (!r) return;
    if (forbidden.has(forbiddenKey(r.p, r.c))) {
      problems.push(`overrides force[${i}]: the same pair is also forbidden; the force was not applied`);
      return;
    }
    // the provider rule holds against reviewers too: one provider's receipt cannot explain another's charge
    if (crossProvider(r.p, r.c)) {
      problems.push(
        `overrides force[${i}]: the payment is ${providerName(r.p.p.provider)}'s and the card line ${providerName(r.c.provider!)}'s; two providers are never paired; the force was not applied`,
      );
      return;
    }
    if (!edges.some((e) => e.p === r.p && e.c === r.c)) edges.push(r);
  });
  const forcedGroups = groupEdges(edges);
  const forcedCount = forcedGroups.reduce((n, g) => n + g.ps.length * g.cs.length, 0);
  return { forbidden, forcedGroups, forcedCount, forbiddenCount, problems };
}

/** Decides each forced group. Reads: ctx. Writes: `pulledIn` (lines no pattern names), `decision`. */
export function applyForcedGroups(ctx: MatchContext, groups: ResolvedOverrides['forcedGroups']): void {
  for (const { ps, cs } of groups) {
    for (const c of cs) if (c.provider === null) c.pulledIn = 'forced';
    decideGroup(ctx, ps, cs, { forced: true, score: null, runnerUp: null, margin: null });
  }
}

/** Pairs sharing a payment or a line form one forced group (union-find over the edges). */
function groupEdges(edges: { p: PayNode; c: CardNode }[]): ResolvedOverrides['forcedGroups'] {
  const comp = new Map<Node, number>();
  const parent: number[] = edges.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)));
  edges.forEach((e, i) => {
    for (const n of [e.p, e.c] as Node[]) {
      const j = comp.get(n);
      if (j === undefined) comp.set(n, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, { ps: Set<PayNode>; cs: Set<CardNode> }>();
  edges.forEach((e, i) => {
    const g = find(i);
    const grp = groups.get(g) ?? { ps: new Set(), cs: new Set() };
    grp.ps.add(e.p);
    grp.cs.add(e.c);
    groups.set(g, grp);
  });
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((g) => {
      const grp = groups.get(g)!;
      return { ps: [...grp.ps].sort((a, b) => a.k - b.k), cs: [...grp.cs].sort((a, b) => a.k - b.k) };
    });
}

function resolvePair(cards: readonly CardNode[], pays: readonly PayNode[], pair: OverridePair, where: string, problems: string[]): { p: PayNode; c: CardNode } | null {
  const c = findCard(cards, pair.card);
  const ps = findPayments(pays, pair.payment);
  const payText = 'reference' in pair.payment ? `reference "${pair.payment.reference}"` : `${pair.payment.file}:${pair.payment.line}`;
  if (!c) {
    problems.push(`${where}: card line ${pair.card.file}:${pair.card.line} is not in the statements given; the override was not applied`);
    return null;
  }
  if (ps.length === 0) {
    problems.push(`${where}: payment ${payText} is not in the payment history given; the override was not applied`);
    return null;
  }
  if (ps.length > 1) {
    problems.push(`${where}: payment ${payText} names ${ps.length} payments; name one by {"file", "line"}; the override was not applied`);
    return null;
  }
  return { p: ps[0]!, c };
}

/** The counted copy of the line at file:line (the file's base name is enough when unambiguous). */
function findCard(cards: readonly CardNode[], ref: { file: string; line: number }): CardNode | null {
  const exact = cards.filter((c) => c.ref.file === ref.file && c.ref.line === ref.line);
  const hits = exact.length ? exact : cards.filter((c) => baseName(c.ref.file) === baseName(ref.file) && c.ref.line === ref.line);
  if (hits.length !== 1) return null;
  const c = hits[0]!;
  return c.dupOf ?? c;
}

function findPayments(pays: readonly PayNode[], ref: OverridePair['payment']): PayNode[] {
  if ('reference' in ref) {
    const want = ref.reference.trim();
    return pays.filter((p) => p.dupOf === null && p.p.reference.trim() === want);
  }
  const exact = pays.filter((p) => p.ref.file === ref.file && p.ref.line === ref.line);
  const hits = exact.length ? exact : pays.filter((p) => baseName(p.ref.file) === baseName(ref.file) && p.ref.line === ref.line);
  return hits.length === 1 ? [hits[0]!.dupOf ?? hits[0]!] : [];
}
