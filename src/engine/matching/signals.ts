/**
 * The score signals, in one place: every cost a pairing stage puts on a candidate pair is
 * built here from the named signals (`amount`, `date`, `text`, `pending`, `status`,
 * `group_size`) and the options' weights. Lower is better; a pair is taken only below
 * 2 × unmatchedCost (the assignment's "leave both unmatched" option).
 */
import { ratio } from '../../money.js';
import { compareAmounts } from './amounts.js';
import { crossProvider, pairBarrier, planProductOf, type MatchContext } from './context.js';
import { round4 } from './format.js';
import { NO_MONEY_STATUSES, type AmountCheck, type CardNode, type PairScore, type PayNode } from './nodes.js';
import { lineSimilarity, textSimilarity } from './text.js';
import type { ScoreBreakdown, ScoreSignal } from './types.js';

// ----- date ---------------------------------------------------------------

/** Where the card's transaction or posting date falls in the payment's window; null when outside. */
function dateWindow(ctx: MatchContext, p: PayNode, c: CardNode): { norm: number; delta: number } | null {
  const { windowDaysBefore: before, windowDaysAfter: after } = ctx.o;
  let best: { norm: number; delta: number } | null = null;
  for (const d of c.postedDay === null ? [c.day] : [c.day, c.postedDay]) {
    const delta = d - p.day;
    if (Number.isNaN(delta) || delta < -before || delta > after) continue;
    // days count the same in both directions, so one day early is as close as one day late
    const norm = Math.abs(delta) / Math.max(before, after, 1);
    if (!best || norm < best.norm) best = { norm, delta };
  }
  return best;
}

function dateSignal(ctx: MatchContext, p: PayNode, c: CardNode, explain: boolean): ScoreSignal {
  const w = dateWindow(ctx, p, c)!;
  const d = w.delta;
  return {
    name: 'date',
    cost: round4(ctx.o.dateWeight * w.norm),
    detail: !explain
      ? ''
      : d === 0
        ? `card dated the payment's local date ${p.date}`
        : `card dated ${Math.abs(d)} day(s) ${d > 0 ? 'after' : 'before'} the payment's local date ${p.date}`,
  };
}

// ----- text ---------------------------------------------------------------

/** textSimilarity with the run's memo (the same descriptions recur on every pair). */
function similarity(ctx: MatchContext, p: PayNode, c: CardNode): number {
  const key = `${p.k}|${c.k}`;
  let v = ctx.simMemo.get(key);
  if (v === undefined) {
    v = textSimilarity(p.p, c.line, ctx.textMemo);
    ctx.simMemo.set(key, v);
  }
  return v;
}

// ----- payment ↔ card lines -------------------------------------------------

/** Limits that do not depend on the amount; null when the pair may be considered. */
export function pairLimit(ctx: MatchContext, p: PayNode, c: CardNode): { why: () => string; interesting: boolean } | null {
  const barrier = pairBarrier(ctx, p, c);
  if (barrier) return { why: () => barrier, interesting: true };
  if (p.p.amount.sign() !== c.line.amount.sign()) return { why: () => 'signs differ', interesting: false };
  if (p.p.cardLast4 && c.line.cardLast4 && p.p.cardLast4 !== c.line.cardLast4)
    return { why: () => `different card (payment card ${p.p.cardLast4}, statement card ${c.line.cardLast4})`, interesting: true };
  if (c.subscription && p.p.kind !== 'subscription') return { why: () => `the card line is a ${planProductOf([c])} plan charge and the payment is API credit`, interesting: true };
  if (!dateWindow(ctx, p, c))
    return {
      why: () =>
        `card date ${c.line.transactionDate}${c.line.postedDate ? `/${c.line.postedDate}` : ''} is outside ${ctx.o.windowDaysBefore} day(s) before to ${ctx.o.windowDaysAfter} after the payment date ${p.date}`,
      interesting: true,
    };
  return null;
}

/** Limits, then the amount, then the cost (without texts) of one payment with one card line. */
export function pairScore(ctx: MatchContext, p: PayNode, c: CardNode): PairScore {
  const delta = c.day - p.day;
  const limit = pairLimit(ctx, p, c);
  if (limit) return { ok: false, why: limit.why, delta, interesting: limit.interesting };
  const check = compareAmounts(ctx, p.p.amount, p.p.currency, c.line);
  if (!check.ok) return { ok: false, why: check.text, delta, interesting: true };
  return { ok: true, check, delta, score: scoreOf(ctx, [p], [c], check, false) };
}

/** The cost of a pair or group; `explain` = false skips the texts (candidate pairs are many, shown ones few). */
export function scoreOf(ctx: MatchContext, ps: PayNode[], cs: CardNode[], check: AmountCheck, explain = true): ScoreBreakdown {
  const o = ctx.o;
  const signals: ScoreSignal[] = [{ name: 'amount', cost: round4(o.amountWeight * check.norm), detail: explain ? check.text() : '' }];
  // date and text: the weakest member pair counts (a group is as good as its worst link)
  let date: ScoreSignal | null = null;
  let sim = 0;
  for (const p of ps)
    for (const c of cs) {
      if (dateWindow(ctx, p, c)) {
        const s = dateSignal(ctx, p, c, explain);
        if (!date || s.cost > date.cost) date = s;
      }
      if (!c.feeLike && c.provider !== null) sim = Math.max(sim, similarity(ctx, p, c));
    }
  signals.push(date ?? { name: 'date', cost: round4(o.dateWeight), detail: 'dates outside the window (forced)' });
  signals.push({
    name: 'text',
    cost: round4(o.textWeight * (1 - sim)),
    detail: sim === 1 ? 'reference found in the card text' : `description similarity ${(Math.round(sim * 100) / 100).toString()}`,
  });
  const pending = cs.filter((c) => c.line.status === 'pending').length;
  if (pending) signals.push({ name: 'pending', cost: round4(o.pendingPenalty), detail: 'card line still pending' });
  if (ps.some((p) => NO_MONEY_STATUSES.has(p.p.status)) && cs.some((c) => c.line.status === 'posted'))
    signals.push({ name: 'status', cost: round4(o.statusPenalty), detail: 'payment failed/void but the card line is posted' });
  const extra = ps.length + cs.length - 2;
  if (extra > 0) signals.push({ name: 'group_size', cost: round4(o.groupMemberPenalty * extra), detail: `${ps.length} payment(s) with ${cs.length} card line(s)` });
  return { total: round4(signals.reduce((a, s) => a + s.cost, 0)), signals };
}

// ----- the costs of the other pairings ----------------------------------------

/** A pending line and its posted twin in a later export; null when they cannot be one transaction. */
export function pendingPostedCost(ctx: MatchContext, a: CardNode, b: CardNode): number | null {
  const { windowDaysBefore: before, windowDaysAfter: after } = ctx.o;
  const la = a.line;
  const lb = b.line;
  // the twin lives in another export; two lines in one file are two purchases
  if (crossProvider(a, b) || a.ref.file === b.ref.file || la.currency !== lb.currency || la.amount.sign() !== lb.amount.sign()) return null;
  if (la.cardLast4 && lb.cardLast4 && la.cardLast4 !== lb.cardLast4) return null;
  if (a.subscription !== b.subscription || a.feeLike !== b.feeLike) return null;
  const delta = b.day - a.day;
  if (Number.isNaN(delta) || delta < -before || delta > after) return null;
  let amountNorm: number;
  if (la.amount.eq(lb.amount)) amountNorm = 0;
  else if (la.originalAmount && lb.originalAmount && la.originalCurrency === lb.originalCurrency && la.originalAmount.eq(lb.originalAmount)) amountNorm = 0;
  else if (a.foreign || b.foreign) {
    // a foreign authorisation is often converted again when it posts
    const diff = la.amount.minus(lb.amount).abs();
    const tol = ctx.o.fxTolerancePercent.times(lb.amount.abs()).shiftLeft(2);
    if (diff.cmp(tol) > 0) return null;
    amountNorm = ratio(diff, tol) ?? 1;
  } else return null;
  const dateNorm = Math.abs(delta) / Math.max(before, after, 1);
  return round4(ctx.o.amountWeight * amountNorm + ctx.o.dateWeight * dateNorm + ctx.o.textWeight * (1 - lineSimilarity(la, lb)));
}

/** A refunded payment and a negative card line: amount, days after the payment (up to refundWindowDays), text. */
export function refundCost(ctx: MatchContext, p: PayNode, c: CardNode): number | null {
  if (pairBarrier(ctx, p, c)) return null;
  if (p.p.cardLast4 && c.line.cardLast4 && p.p.cardLast4 !== c.line.cardLast4) return null;
  if (c.subscription !== (p.p.kind === 'subscription')) return null;
  const delta = c.day - p.day;
  if (Number.isNaN(delta) || delta < -ctx.o.windowDaysBefore || delta > ctx.o.refundWindowDays) return null;
  const check = compareAmounts(ctx, p.p.amount, p.p.currency, c.line);
  if (!check.ok) return null;
  return round4(
    ctx.o.amountWeight * check.norm + ctx.o.dateWeight * (Math.max(delta, 0) / Math.max(ctx.o.refundWindowDays, 1)) + ctx.o.textWeight * (1 - textSimilarity(p.p, c.line)),
  );
}

/** An authorisation and its reversal: same amount, within reversalWindowDays after, text; a pending authorisation is the usual one reversed. */
export function reversalCost(ctx: MatchContext, a: CardNode, r: CardNode): number | null {
  const win = ctx.o.reversalWindowDays;
  const la = a.line;
  const lr = r.line;
  if (crossProvider(a, r) || la.currency !== lr.currency) return null;
  if (la.cardLast4 && lr.cardLast4 && la.cardLast4 !== lr.cardLast4) return null;
  const sameAmount =
    la.amount.abs().eq(lr.amount.abs()) ||
    (la.originalAmount && lr.originalAmount && la.originalCurrency === lr.originalCurrency && la.originalAmount.abs().eq(lr.originalAmount.abs()));
  if (!sameAmount) return null;
  const delta = r.day - a.day;
  if (Number.isNaN(delta) || delta < 0 || delta > win) return null;
  // No date cost within the window: which of equal holds a reversal releases is not told by the
  // lag, and any cost growing with it makes shifting a long chain of equal holds cheaper than
  // pairing it (n pairs each a step less late outweigh the first hold and last reversal left
  // over). Equal costs pair them in order.
  // a pending authorisation is the usual thing to be reversed
  return round4(ctx.o.textWeight * (1 - lineSimilarity(la, lr)) + (la.status === 'posted' ? 0.1 : 0));
}

/** A failed payment and a declined/reversed card attempt: the pair limits, amount, date, text. */
export function attemptCost(ctx: MatchContext, p: PayNode, c: CardNode): number | null {
  if (pairLimit(ctx, p, c)) return null;
  const check = compareAmounts(ctx, p.p.amount, p.p.currency, c.line);
  if (!check.ok) return null;
  return round4(ctx.o.amountWeight * check.norm + ctx.o.dateWeight * dateWindow(ctx, p, c)!.norm + ctx.o.textWeight * (1 - textSimilarity(p.p, c.line)));
}
