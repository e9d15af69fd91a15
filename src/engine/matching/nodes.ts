/**
 * The working records of one matching run: a node per card line and per payment. A node's
 * facts (line, dates, descriptor tests) are fixed when it is built; its state (`dupOf`,
 * `supersededBy`, `pulledIn`, `decision`, `notes`, `nearMiss`) is what the stages write, each
 * stage saying in its doc comment which of these it reads and writes.
 */
import type { CardLine, PaymentRecord, Provenance, Severity } from '../../model.js';
import type { Decimal } from '../../money.js';
import { providerName, type ProviderId } from '../../providers.js';
import { localDateOf, type LocalDate } from '../../time.js';
import { solveAssignment, type CandidateEdge } from './assignment.js';
import { compileDescriptorPattern, providerPatterns, type MatchOptions } from './config.js';
import { at, cmpStr, dayNumber } from './format.js';
import type { AmountDifference, MatchClass, RunnerUp, ScoreBreakdown, SideRef } from './types.js';

export interface Flag {
  key: string;
  severity: Severity;
  cls: MatchClass;
  subject: string;
  amount: Decimal | null;
  currency: string | null;
  message: string;
  nextStep: string;
  refs: Provenance[];
}

export interface Decision {
  cls: MatchClass;
  counterparts: SideRef[];
  score: ScoreBreakdown | null;
  runnerUp: RunnerUp | null;
  margin: number | null;
  difference: AmountDifference | null;
  reason: string;
  nextStep: string | null;
  forced: boolean;
  flag: Flag | null;
  /** Amount check basis, kept so later stages can say how a parent was matched. */
  crossCurrency?: boolean;
}

export interface NearMiss {
  ref: SideRef;
  why: string;
  distance: number;
  /** The candidate's provider when it is not the node's: the exception says so, not only the reason. */
  otherProvider: ProviderId | null;
}

export interface CardNode {
  // facts (readonly: no stage may change them)
  readonly side: 'card';
  /** Position in the tie-break order. */
  readonly k: number;
  readonly line: CardLine;
  readonly ref: SideRef;
  readonly day: number;
  readonly postedDay: number | null;
  /** The provider whose descriptor (or plan) pattern the description matches; null: none does. */
  readonly provider: ProviderId | null;
  /** It matches that provider's plan patterns: a plan charge, not API credit. */
  readonly subscription: boolean;
  readonly feeLike: boolean;
  readonly foreign: boolean;
  // state (written by the stages named in their doc comments)
  /** A line no pattern names, brought in as a fee of a provider charge or by an override. */
  pulledIn: null | 'fee' | 'forced';
  dupOf: CardNode | null;
  supersededBy: CardNode | null;
  decision: Decision | null;
  notes: string[];
  nearMiss: NearMiss | null;
}

export interface PayNode {
  // facts
  readonly side: 'payment';
  readonly k: number;
  readonly p: PaymentRecord;
  readonly ref: SideRef;
  /** Local date of paid_at in the statement zone. */
  readonly date: LocalDate;
  readonly day: number;
  // state
  dupOf: PayNode | null;
  decision: Decision | null;
  notes: string[];
  nearMiss: NearMiss | null;
}

export type Node = CardNode | PayNode;

export interface Amounted {
  amount: Decimal;
  currency: string;
  originalAmount: Decimal | null;
  originalCurrency: string | null;
}

export interface AmountCheck {
  ok: boolean;
  exact: boolean;
  /** 0 = exact, 1 = at the tolerance limit. */
  norm: number;
  /** Set when the amounts could be compared at all (lazy: only chosen pairs need it). */
  difference: () => AmountDifference | null;
  crossCurrency: boolean;
  /** Why not ok, or how they were compared (lazy: most candidate pairs are never shown). */
  text: () => string;
  noRate?: { from: string; to: string };
}

export type PairScore = { ok: true; score: ScoreBreakdown; check: AmountCheck; delta: number } | { ok: false; why: () => string; delta: number; interesting: boolean };

export const NO_MONEY_STATUSES = new Set(['failed', 'void']);

/** Card lines in (date, file, line) order and payments in (paid_at, file, line) order: the tie-break order of every stage. */
export function buildNodes(payments: readonly PaymentRecord[], lines: readonly CardLine[], o: MatchOptions): { cards: CardNode[]; pays: PayNode[] } {
  const whose = lineProvider(o);
  const fee = o.feePatterns.map(compileDescriptorPattern);
  const sortedLines = [...lines].sort((a, b) => cmpStr(a.transactionDate, b.transactionDate) || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line);
  const cards = sortedLines.map((line, k) => {
    const desc = line.description.replace(/\s+/g, ' ').trim();
    const { provider, subscription, note } = whose(desc);
    return {
      side: 'card',
      k,
      line,
      ref: { side: 'card', file: line.src.file, line: line.src.line },
      day: dayNumber(line.transactionDate),
      postedDay: line.postedDate ? dayNumber(line.postedDate) : null,
      provider,
      subscription,
      feeLike: fee.some((r) => r.test(desc)),
      foreign: line.originalCurrency !== null && line.originalCurrency !== line.currency,
      pulledIn: null,
      dupOf: null,
      supersededBy: null,
      decision: null,
      notes: note ? [note] : [],
      nearMiss: null,
    } satisfies CardNode;
  });
  const sortedPays = [...payments].sort((a, b) => a.paidAt - b.paidAt || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line);
  const pays = sortedPays.map((p, k) => {
    const date = localDateOf(p.paidAt, o.timezone);
    return {
      side: 'payment',
      k,
      p,
      ref: { side: 'payment', file: p.src.file, line: p.src.line },
      date,
      day: dayNumber(date),
      dupOf: null,
      decision: null,
      notes: [],
      nearMiss: null,
    } satisfies PayNode;
  });
  return { cards, pays };
}

interface LineProvider {
  provider: ProviderId | null;
  subscription: boolean;
  /** Set when two providers' patterns match equally well and the first provider was taken. */
  note: string | null;
}

/**
 * Which provider a card description belongs to. When the patterns of two providers match, the
 * longer matched text is the more specific one ("OPENAI" inside "CLAUDE.AI ... OPENAI TOOLS"
 * loses to "CLAUDE.AI SUBSCRIPTION"); on an exact tie the first provider is taken and a note says so.
 */
function lineProvider(o: MatchOptions): (desc: string) => LineProvider {
  const compiled = providerPatterns(o).map((p) => ({
    id: p.id,
    any: [...p.subscriptionPatterns, ...p.descriptorPatterns].map(compileDescriptorPattern),
    plan: p.subscriptionPatterns.map(compileDescriptorPattern),
  }));
  return (desc) => {
    const hits = compiled
      .map((p) => ({ p, len: Math.max(-1, ...p.any.map((r) => r.exec(desc)?.[0].length ?? -1)) }))
      .filter((h) => h.len >= 0)
      .sort((a, b) => b.len - a.len);
    const best = hits[0];
    if (!best) return { provider: null, subscription: false, note: null };
    const tied = hits.filter((h) => h.len === best.len).map((h) => providerName(h.p.id));
    const note = tied.length > 1 ? `the description matches the patterns of ${tied.join(' and ')} equally; taken as ${tied[0]}'s` : null;
    return { provider: best.p.id, subscription: best.p.plan.some((r) => r.test(desc)), note };
  };
}

// ----- eligibility ----------------------------------------------------------

/** A provider line (or one pulled in) that is the counted copy. */
export function inScope(c: CardNode): boolean {
  return (c.provider !== null || c.pulledIn !== null) && c.dupOf === null;
}

/** In scope and not yet decided or superseded. */
export function open(c: CardNode): boolean {
  return inScope(c) && c.decision === null && c.supersededBy === null;
}

export function openPay(p: PayNode): boolean {
  return p.dupOf === null && p.decision === null;
}

/** Open payments a card line may explain (a grant is never charged). */
export function matchablePays(pays: readonly PayNode[]): PayNode[] {
  return pays.filter((p) => openPay(p) && p.p.kind !== 'grant');
}

// ----- decisions ------------------------------------------------------------

export type DecisionInput = Partial<Decision> & { cls: MatchClass; counterparts: SideRef[]; reason: string; nextStep: string | null; replace?: boolean };

/** Writes the node's decision; a second one without `replace` is a bug in the stage order. */
export function setDecision(n: Node, d: DecisionInput): void {
  if (n.decision && !d.replace) throw new Error(`internal: ${at(n.ref)} classified twice`);
  n.decision = {
    cls: d.cls,
    counterparts: d.counterparts,
    score: d.score ?? null,
    runnerUp: d.runnerUp ?? null,
    margin: d.margin ?? null,
    difference: d.difference ?? null,
    reason: d.reason,
    nextStep: d.nextStep,
    forced: d.forced ?? false,
    flag: d.flag ?? null,
    crossCurrency: d.crossCurrency ?? false,
  };
}

/** Optimal one-to-one pairing of two node lists (already in tie-break order) under a cost. */
export function optimal<R extends Node, C extends Node>(unmatchedCost: number, rows: R[], cols: C[], cost: (r: R, c: C) => number | null): { row: R; col: C; cost: number }[] {
  const edges: CandidateEdge[] = [];
  for (const [i, r] of rows.entries())
    for (const [j, c] of cols.entries()) {
      const v = cost(r, c);
      if (v !== null) edges.push({ row: i, col: j, cost: v });
    }
  return solveAssignment(rows.length, cols.length, edges, unmatchedCost).map((p) => ({ row: rows[p.row]!, col: cols[p.col]!, cost: p.cost }));
}

/** The payment nodes a decision names as counterparts. */
export function paymentsOf(pays: readonly PayNode[], refs: readonly SideRef[]): PayNode[] {
  return pays.filter((p) => refs.some((r) => r.side === 'payment' && r.file === p.ref.file && r.line === p.ref.line));
}
