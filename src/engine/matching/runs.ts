/**
 * Runs of interchangeable candidates for the one-to-one stage: rows (payments) whose every
 * fact the pair cost and the hard limits read is equal form a run, and so do columns (card
 * lines). Any payment of a run scores exactly as any other of it
 * against any card line (and the other way round), so the candidate graph is built between
 * runs: a month of 50.00 auto-recharges is a few runs a day, not thousands of rows.
 *
 * What a pair cost reads (signals.ts pairScore): day, provider, amount, currency, failed/void, plan,
 * card last 4, description; of a line also posting day, original amount, status; and the
 * references, but only where one is found in the other side's text — such rows and lines,
 * and those a reviewer forbade a pair of, are runs of their own.
 */
import { isForbidden, type MatchContext } from './context.js';
import { NO_MONEY_STATUSES, type CardNode, type PairScore, type PayNode } from './nodes.js';
import { pairScore } from './signals.js';
import { alnum } from './text.js';

export interface Run<N> {
  /** Indices into the stage's row or column list, ascending: every node of one key. */
  members: number[];
  rep: N;
}

export interface RunPair {
  row: number;
  col: number;
  score: PairScore & { ok: true };
}

/** Refuses a candidate graph whose edges would not fit in memory; a clear message instead of a crash. */
const MAX_RUN_EDGES = 4_000_000;

export class MatchingLimitError extends Error {}

/** Rows and columns a found reference (or a forbidden pair) makes unlike any other. */
export function singular(ctx: MatchContext, rows: readonly PayNode[], cols: readonly CardNode[]): { rows: Set<number>; cols: Set<number> } {
  const out = { rows: new Set<number>(), cols: new Set<number>() };
  const memo = ctx.textMemo;
  // a payment reference inside a card text (textSimilarity's first test)
  const payRefs = indexByText(rows.map((p) => alnum(p.p.reference, memo)));
  for (const [j, c] of cols.entries())
    for (const i of within(alnum(`${c.line.description} ${c.line.reference ?? ''}`, memo), payRefs)) {
      out.rows.add(i);
      out.cols.add(j);
    }
  // a card reference inside a payment's reference and description (its second test)
  const cardRefs = indexByText(cols.map((c) => alnum(c.line.reference ?? '', memo)));
  for (const [i, p] of rows.entries())
    for (const j of within(alnum(`${p.p.reference} ${p.p.description}`, memo), cardRefs)) {
      out.rows.add(i);
      out.cols.add(j);
    }
  if (ctx.forbidden.size) {
    for (const [i, p] of rows.entries())
      for (const [j, c] of cols.entries())
        if (isForbidden(ctx, p, c)) {
          out.rows.add(i);
          out.cols.add(j);
        }
  }
  return out;
}

interface TextIndex {
  byText: Map<string, number[]>;
  lengths: number[];
}

/** Texts of at least 4 characters (shorter ones never count as found), by text and length. */
function indexByText(texts: string[]): TextIndex {
  const byText = new Map<string, number[]>();
  texts.forEach((t, i) => {
    if (t.length < 4) return;
    const at = byText.get(t);
    if (at) at.push(i);
    else byText.set(t, [i]);
  });
  return { byText, lengths: [...new Set([...byText.keys()].map((t) => t.length))] };
}

/** Indices of the indexed texts that occur in `hay`: every substring of an indexed length is looked up. */
function* within(hay: string, idx: TextIndex): Generator<number> {
  for (const L of idx.lengths) for (let i = 0; i + L <= hay.length; i++) yield* idx.byText.get(hay.slice(i, i + L)) ?? [];
}

export function payKey(p: PayNode): string {
  const r = p.p;
  return [p.day, r.provider, r.amount.toString(), r.currency, NO_MONEY_STATUSES.has(r.status), r.kind === 'subscription', r.cardLast4 ?? '', r.description].join('\u0001');
}

export function cardKey(c: CardNode): string {
  const l = c.line;
  return [
    c.day,
    c.postedDay,
    l.amount.toString(),
    l.currency,
    l.originalAmount?.toString() ?? '',
    l.originalCurrency ?? '',
    l.status,
    l.cardLast4 ?? '',
    c.subscription,
    c.provider,
    c.feeLike,
    l.description,
  ].join('\u0001');
}

/** Nodes of equal keys, wherever they are in the order (members ascending); a singular node is a run of its own. Runs in order of their first member. */
export function runsOf<N>(nodes: readonly N[], key: (n: N) => string, single: Set<number>): Run<N>[] {
  const runs: Run<N>[] = [];
  const byKey = new Map<string, Run<N>>();
  nodes.forEach((n, i) => {
    const k = single.has(i) ? null : key(n);
    const run = k === null ? undefined : byKey.get(k);
    if (run) run.members.push(i);
    else {
      const fresh = { members: [i], rep: n };
      runs.push(fresh);
      if (k !== null) byKey.set(k, fresh);
    }
  });
  return runs;
}

/** Column runs by transaction day and by posting day (a line is in the window by either). */
function byDay(runs: readonly Run<CardNode>[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const put = (d: number | null, j: number) => {
    if (d === null || Number.isNaN(d)) return;
    const at = out.get(d);
    if (at) {
      if (at[at.length - 1] !== j) at.push(j);
    } else out.set(d, [j]);
  };
  runs.forEach((r, j) => {
    put(r.rep.day, j);
    put(r.rep.postedDay, j);
  });
  return out;
}

/**
 * Every allowed run pair: a line whose transaction or posting day is in the payment's window
 * (and, as always, within a month of it). Throws MatchingLimitError above MAX_RUN_EDGES.
 */
export function runPairs(ctx: MatchContext, rowRuns: readonly Run<PayNode>[], colRuns: readonly Run<CardNode>[]): RunPair[] {
  const days = byDay(colRuns);
  const seen = new Int32Array(colRuns.length).fill(-1);
  const out: RunPair[] = [];
  const { windowDaysBefore: before, windowDaysAfter: after } = ctx.o;
  rowRuns.forEach((rr, i) => {
    const p = rr.rep;
    if (Number.isNaN(p.day)) return;
    for (let d = p.day - before; d <= p.day + after; d++)
      for (const j of days.get(d) ?? []) {
        if (seen[j] === i) continue;
        seen[j] = i;
        const c = colRuns[j]!.rep;
        if (!(Math.abs(c.day - p.day) <= 31)) continue;
        const score = pairScore(ctx, p, c);
        if (!score.ok) continue;
        out.push({ row: i, col: j, score });
        if (out.length > MAX_RUN_EDGES) throw limitError(rowRuns, colRuns);
      }
  });
  return out;
}

function limitError(rowRuns: readonly Run<PayNode>[], colRuns: readonly Run<CardNode>[]): MatchingLimitError {
  const n = (rs: readonly Run<unknown>[]) => rs.reduce((a, r) => a + r.members.length, 0);
  return new MatchingLimitError(
    `matching: ${n(rowRuns)} payments and ${n(colRuns)} card lines give more than ${MAX_RUN_EDGES.toLocaleString('en-US')} distinct candidate pairs ` +
      `(${rowRuns.length} payment and ${colRuns.length} card-line groups); reconcile a shorter period (--since/--until) or fewer statements at a time`,
  );
}
