/** The result of a run: one classification per provider line and per payment, totals, exceptions, rates and notes. */
import type { Exception, Provenance } from '../../model.js';
import { SEVERITY_RANK } from '../../model.js';
import { Decimal } from '../../money.js';
import type { ProviderId } from '../../providers.js';
import type { LocalDate } from '../../time.js';
import { providerOf, type MatchContext } from './context.js';
import { at, cmpRefs, cmpStr, dedupeRefs, dedupeSideRefs, money } from './format.js';
import { inScope, NO_MONEY_STATUSES, type CardNode, type Decision, type Flag, type Node, type PayNode } from './nodes.js';
import { divideRounded } from './rates.js';
import type { ResolvedOverrides } from './overrides.js';
import {
  MATCH_CLASSES,
  type ClassTotal,
  type CurrencyTotal,
  type FxRateUsed,
  type LineClassification,
  type MatchClass,
  type MatchResult,
  type MatchSide,
  type NotCountedReason,
} from './types.js';

/** Reads everything the stages wrote; writes nothing. */
export function buildResult(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[], overrides: ResolvedOverrides): MatchResult {
  const classTotals = new ClassTotals();
  const whose = reportedProviders(cards, pays);
  const card = cardRows(cards, classTotals, whose);
  const payment = paymentRows(pays, classTotals, whose);
  const fxRates: FxRateUsed[] = [...ctx.rates.values()]
    .sort((a, b) => cmpStr(a.from, b.from) || cmpStr(a.to, b.to))
    .map((r) => ({ from: r.from, to: r.to, rate: divideRounded(r.num, r.den, 6).normalize(), source: r.source, samples: r.samples }));
  return {
    timezone: ctx.o.timezone,
    classifications: [...card.rows, ...payment.rows],
    exceptions: exceptionsOf(cards, pays, overrides.problems),
    classTotals: classTotals.list(),
    card: { lines: card.all.list(), counted: card.counted.list(), overlapDuplicates: card.overlap.list(), supersededPending: card.superseded.list() },
    payments: { all: payment.all.list(), counted: payment.counted.list(), overlapDuplicates: payment.overlap.list(), noMoneyMoved: payment.noMoney.list() },
    leftOut: { count: card.leftOut.count(), totals: card.leftOut.list() },
    fxRates,
    notes: [...ctx.notes].sort(),
    overrides: { forced: overrides.forcedCount, forbidden: overrides.forbiddenCount, problems: [...overrides.problems] },
  };
}

function cardRows(cards: readonly CardNode[], classTotals: ClassTotals, whose: (n: Node) => ProviderId | null) {
  const rows: LineClassification[] = [];
  const [leftOut, all, counted, overlap, superseded] = [new Totals(), new Totals(), new Totals(), new Totals(), new Totals()];
  for (const c of cards) {
    const l = c.line;
    const scoped = c.dupOf ? inScope(c.dupOf) : inScope(c);
    if (!scoped) {
      leftOut.add(l.currency, l.amount);
      continue;
    }
    const d = c.decision!;
    const notCounted: NotCountedReason | null = c.dupOf ? 'overlap_duplicate' : c.supersededBy ? 'superseded_pending' : null;
    all.add(l.currency, l.amount);
    if (notCounted === 'overlap_duplicate') overlap.add(l.currency, l.amount);
    else if (notCounted === 'superseded_pending') superseded.add(l.currency, l.amount);
    else {
      counted.add(l.currency, l.amount);
      classTotals.add('card', d.cls, l.currency, l.amount);
    }
    let reason = d.reason;
    if (c.pulledIn === 'forced') reason += ' (The description matches no provider pattern; a reviewer override pulled it in.)';
    if (!c.dupOf && c.notes.length && !reason.includes(c.notes[0]!)) reason += ` Note: ${c.notes.join('; ')}.`;
    if (l.fee && !l.fee.isZero()) reason += ` The bank printed a fee of ${money(l.fee, l.currency)} on this line (not in the amount).`;
    rows.push(classification(c, whose(c), d, reason, notCounted, l.amount, l.currency, l.transactionDate, l.status, l.description, l.reference, c.dupOf?.line.src ?? null));
  }
  return { rows, leftOut, all, counted, overlap, superseded };
}

function paymentRows(pays: readonly PayNode[], classTotals: ClassTotals, whose: (n: Node) => ProviderId | null) {
  const rows: LineClassification[] = [];
  const [all, counted, overlap, noMoney] = [new Totals(), new Totals(), new Totals(), new Totals()];
  for (const p of pays) {
    const r = p.p;
    const d = p.decision!;
    all.add(r.currency, r.amount);
    const moved = r.kind !== 'grant' && (!NO_MONEY_STATUSES.has(r.status) || d.cls === 'failed_payment_with_hold');
    const notCounted: NotCountedReason | null = p.dupOf ? 'overlap_duplicate' : moved ? null : 'no_money_moved';
    if (notCounted === 'overlap_duplicate') overlap.add(r.currency, r.amount);
    else if (notCounted === 'no_money_moved') noMoney.add(r.currency, r.amount);
    else {
      counted.add(r.currency, r.amount);
      classTotals.add('payment', d.cls, r.currency, r.amount);
    }
    rows.push(classification(p, whose(p), d, d.reason, notCounted, r.amount, r.currency, p.date, r.status, r.description, r.reference || null, p.dupOf?.p.src ?? null));
  }
  return { rows, all, counted, overlap, noMoney };
}

/** One exception per flag key (cards first), then the overrides not applied; most severe first. */
function exceptionsOf(cards: readonly CardNode[], pays: readonly PayNode[], problems: readonly string[]): Exception[] {
  const flags = new Map<string, Flag>();
  for (const n of [...cards, ...pays] as Node[]) {
    const f = n.decision?.flag;
    if (!f) continue;
    if (n.side === 'card' && !(n.dupOf ? inScope(n.dupOf as CardNode) : inScope(n as CardNode))) continue;
    if (!flags.has(f.key)) flags.set(f.key, f);
  }
  const exceptions: Exception[] = [...flags.values()].map((f) => ({
    severity: f.severity,
    class: f.cls,
    subject: f.subject,
    amount: f.amount,
    currency: f.currency,
    message: f.message,
    nextStep: f.nextStep,
    refs: dedupeRefs(f.refs),
  }));
  for (const problem of problems)
    exceptions.push({
      severity: 'warning',
      class: 'override_not_applied',
      subject: 'overrides',
      amount: null,
      currency: null,
      message: problem,
      nextStep: 'Fix the override (file names and line numbers as shown on the Reconciliation sheet) and run again.',
      refs: [],
    });
  exceptions.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmpRefs(a.refs, b.refs) || cmpStr(a.class, b.class) || cmpStr(a.message, b.message));
  return exceptions;
}

/**
 * The provider each row is reported under: its own, or, for a line no descriptor names (a
 * bank fee, a line an override pulled in), that of what it was grouped with.
 */
function reportedProviders(cards: readonly CardNode[], pays: readonly PayNode[]): (n: Node) => ProviderId | null {
  const byRef = new Map<string, Node>([...cards, ...pays].map((n) => [`${n.side}|${at(n.ref)}`, n]));
  return (n) => {
    const own = providerOf(n.dupOf ?? n);
    if (own !== null) return own;
    for (const r of n.decision?.counterparts ?? []) {
      const m = byRef.get(`${r.side}|${at(r)}`);
      const p = m ? providerOf(m) : null;
      if (p !== null) return p;
    }
    return null;
  };
}

function classification(
  n: Node,
  provider: ProviderId | null,
  d: Decision,
  reason: string,
  notCounted: NotCountedReason | null,
  amount: Decimal,
  currency: string,
  date: LocalDate,
  status: string,
  description: string,
  reference: string | null,
  duplicateOf: Provenance | null,
): LineClassification {
  return {
    side: n.side,
    provider,
    src: n.side === 'card' ? n.line.src : n.p.src,
    class: d.cls,
    amount,
    currency,
    date,
    status,
    description,
    reference,
    counterparts: dedupeSideRefs(d.counterparts),
    score: d.score,
    runnerUp: d.runnerUp,
    margin: d.margin,
    difference: d.difference,
    reason,
    nextStep: d.nextStep,
    counted: notCounted === null,
    notCounted,
    duplicateOf,
    forced: d.forced,
  };
}

/** Counted rows per side, class and currency, in (side, class order, currency) order. */
class ClassTotals {
  private readonly m = new Map<string, ClassTotal>();
  add(side: MatchSide, cls: MatchClass, currency: string, amount: Decimal): void {
    const key = `${side}|${cls}|${currency}`;
    const t = this.m.get(key) ?? { side, class: cls, currency, count: 0, total: Decimal.ZERO };
    t.count++;
    t.total = t.total.plus(amount);
    this.m.set(key, t);
  }
  list(): ClassTotal[] {
    const order = new Map<string, number>(MATCH_CLASSES.map((c, i) => [c, i]));
    return [...this.m.values()].sort((a, b) => cmpStr(a.side, b.side) || order.get(a.class)! - order.get(b.class)! || cmpStr(a.currency, b.currency));
  }
}

class Totals {
  private readonly m = new Map<string, CurrencyTotal>();
  add(currency: string, amount: Decimal): void {
    const t = this.m.get(currency) ?? { currency, count: 0, total: Decimal.ZERO };
    t.count++;
    t.total = t.total.plus(amount);
    this.m.set(currency, t);
  }
  count(): number {
    let n = 0;
    for (const t of this.m.values()) n += t.count;
    return n;
  }
  list(): CurrencyTotal[] {
    return [...this.m.values()].sort((a, b) => cmpStr(a.currency, b.currency));
  }
}
