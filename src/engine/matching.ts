/**
 * Reconciliation of payments (top-ups, receipts) with card-statement lines, SPEC §4.3.
 *
 * Pure and deterministic: records in, one classification per provider card line and per
 * payment out, plus exceptions and totals. Stages, in order (each works on what the
 * earlier ones left):
 *
 *   1. provider lines by descriptor; identical lines repeated across overlapping
 *      statement files (and repeated payment rows) are counted once
 *   2. reviewer overrides: forced pairs are taken as they are, forbidden pairs never match
 *   3. pending → posted: a pending line posted in a later export is one transaction
 *   4. one-to-one matching: hard limits, a cost per pair, optimal assignment
 *   5. many-to-one: a size-capped subset-sum (charge + FX fee ↔ payment, charge ↔ payment + tax)
 *   6. refunds linked to refunded payments; authorisation + reversal netting
 *   7. FX-fee lines attached to their parent charge; declined/reversed attempts
 *   8. duplicate attempts; whatever is left is unmatched (or pending, refund, subscription)
 *
 * Scores are plain numbers (they are not money); every amount comparison is exact
 * Decimal arithmetic, FX rates are kept as exact fractions.
 */
import type { CardLine, Exception, PaymentRecord, Provenance, Severity } from '../model.js';
import { SEVERITY_RANK } from '../model.js';
import { Decimal, ratio, sum } from '../money.js';
import { isCalendarDate, localDateOf, type LocalDate } from '../time.js';
import { solveAssignment, type CandidateEdge } from './assignment.js';
import { compileDescriptorPattern, type MatchOptions, type MatchOverrides, type OverridePair } from './matching-config.js';

export {
  compileDescriptorPattern,
  DEFAULT_DESCRIPTOR_PATTERNS,
  DEFAULT_FEE_PATTERNS,
  DEFAULT_SUBSCRIPTION_PATTERNS,
  defaultMatchOptions,
  matchingConfigSchema,
  matchOverridesSchema,
  parseMatchingConfig,
  parseMatchOverrides,
} from './matching-config.js';
export type { MatchingConfig, MatchingConfigInput, MatchOptions, MatchOverrides, OverridePair } from './matching-config.js';

// ---------------------------------------------------------------------------
// Classes

export const MATCH_CLASSES = [
  'matched',
  'matched_fx_difference',
  'pending_authorization',
  'authorization_reversed',
  'duplicate_charge',
  'refund',
  'fx_fee',
  'subscription_not_api',
  'unmatched_card_charge',
  'unmatched_payment',
  'failed_payment_with_hold',
] as const;
export type MatchClass = (typeof MATCH_CLASSES)[number];
export type MatchSide = 'card' | 'payment';

// ---------------------------------------------------------------------------
// Result

export interface SideRef {
  side: MatchSide;
  file: string;
  line: number;
}

export interface ScoreSignal {
  name: 'amount' | 'date' | 'text' | 'pending' | 'status' | 'group_size';
  cost: number;
  detail: string;
}

export interface ScoreBreakdown {
  /** Sum of the signal costs; lower is better; a pair is taken only below 2 × unmatchedCost. */
  total: number;
  signals: ScoreSignal[];
}

/** The best alternative the chosen counterpart beat (or "leave both unmatched"). */
export type RunnerUp = { kind: 'candidate'; refs: SideRef[]; cost: number } | { kind: 'unmatched'; cost: number };

export interface AmountDifference {
  /** Card minus payment, in `currency` (the card's): positive = the card was charged more. */
  amount: Decimal;
  currency: string;
  basis: string;
}

export type NotCountedReason = 'overlap_duplicate' | 'superseded_pending' | 'no_money_moved';

export interface LineClassification {
  side: MatchSide;
  src: Provenance;
  class: MatchClass;
  amount: Decimal;
  currency: string;
  /** Card: transaction date as printed; payment: local date of paid_at in the statement zone. */
  date: LocalDate;
  status: string;
  description: string;
  reference: string | null;
  counterparts: SideRef[];
  score: ScoreBreakdown | null;
  runnerUp: RunnerUp | null;
  /** runner-up cost − chosen cost; negative when the optimum gave the locally better candidate to another row. */
  margin: number | null;
  difference: AmountDifference | null;
  reason: string;
  nextStep: string | null;
  /** Whether the amount is in the class totals (false for repeats, superseded pendings, payments that moved no money). */
  counted: boolean;
  notCounted: NotCountedReason | null;
  /** The identical line/row in another file this one repeats. */
  duplicateOf: Provenance | null;
  forced: boolean;
}

export interface CurrencyTotal {
  currency: string;
  count: number;
  total: Decimal;
}

export interface ClassTotal extends CurrencyTotal {
  side: MatchSide;
  class: MatchClass;
}

export interface FxRateUsed {
  from: string;
  to: string;
  /** 1 `from` = `rate` `to`, shown rounded to 6 decimals; comparisons use the exact fraction. */
  rate: Decimal;
  source: 'config' | 'statement';
  samples: number;
}

export interface MatchResult {
  timezone: string;
  /** Card lines (date, file, line order), then payments (paid_at, file, line order). */
  classifications: LineClassification[];
  exceptions: Exception[];
  /** Counted rows only, per side, class and currency. */
  classTotals: ClassTotal[];
  card: {
    /** Provider lines (descriptor, attached fee lines, forced lines), all copies. */
    lines: CurrencyTotal[];
    counted: CurrencyTotal[];
    overlapDuplicates: CurrencyTotal[];
    supersededPending: CurrencyTotal[];
  };
  payments: {
    all: CurrencyTotal[];
    counted: CurrencyTotal[];
    overlapDuplicates: CurrencyTotal[];
    noMoneyMoved: CurrencyTotal[];
  };
  /** Card lines that are not the provider's: counted and left out. */
  leftOut: { count: number; totals: CurrencyTotal[] };
  fxRates: FxRateUsed[];
  notes: string[];
  overrides: { forced: number; forbidden: number; problems: string[] };
}

/** The §5.3 `reconciliation` rows of the JSON output. */
export function reconciliationRows(result: MatchResult): {
  side: MatchSide;
  file: string;
  line: number;
  class: MatchClass;
  amount: string;
  currency: string;
  counterpart: { file: string; line: number } | null;
}[] {
  return result.classifications.map((c) => {
    const first = c.counterparts[0];
    return {
      side: c.side,
      file: c.src.file,
      line: c.src.line,
      class: c.class,
      amount: c.amount.toString(),
      currency: c.currency,
      counterpart: first ? { file: first.file, line: first.line } : null,
    };
  });
}

// ---------------------------------------------------------------------------
// Exact helpers

/** a / b rounded half away from zero to `scale` decimals (display of rates and FX differences). */
export function divideRounded(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.isZero()) throw new RangeError('divideRounded: division by zero');
  let num = a.units * 10n ** BigInt(b.scale + scale);
  let den = b.units * 10n ** BigInt(a.scale);
  if (den < 0n) {
    den = -den;
    num = -num;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return Decimal.of(neg ? -q : q, scale);
}

/** An exact FX rate: 1 `from` = num/den `to`. */
interface Rate {
  from: string;
  to: string;
  num: Decimal;
  den: Decimal;
  source: 'config' | 'statement';
  samples: number;
}

function rateText(r: Rate): string {
  return `1 ${r.from} = ${divideRounded(r.num, r.den, 6).toString()} ${r.to}`;
}

function cmpRate(a: Rate, b: Rate): number {
  return a.num.times(b.den).cmp(b.num.times(a.den));
}

function money(d: Decimal, currency: string): string {
  return `${d.toDisplay(Math.max(2, d.normalize().scale))} ${currency}`;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function dayNumber(date: string): number {
  if (!isCalendarDate(date)) return Number.NaN;
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

interface TextMemo {
  alnum: Map<string, string>;
  trigrams: Map<string, Set<string>>;
}

function alnum(s: string, memo?: TextMemo): string {
  let v = memo?.alnum.get(s);
  if (v === undefined) {
    v = s.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');
    memo?.alnum.set(s, v);
  }
  return v;
}

function trigrams(s: string, memo?: TextMemo): Set<string> {
  let out = memo?.trigrams.get(s);
  if (out === undefined) {
    const t = ` ${s.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
    out = new Set<string>();
    for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
    memo?.trigrams.set(s, out);
  }
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return (2 * common) / (a.size + b.size);
}

/**
 * Text similarity of a payment and a card line in [0, 1]: 1 when the receipt reference
 * appears in the card text (some banks print it), else trigram overlap of descriptions.
 */
export function textSimilarity(payment: Pick<PaymentRecord, 'reference' | 'description'>, line: Pick<CardLine, 'description' | 'reference'>, memo?: TextMemo): number {
  const ref = alnum(payment.reference, memo);
  const cardText = alnum(`${line.description} ${line.reference ?? ''}`, memo);
  if (ref.length >= 4 && cardText.includes(ref)) return 1;
  const cardRef = alnum(line.reference ?? '', memo);
  if (cardRef.length >= 4 && alnum(`${payment.reference} ${payment.description}`, memo).includes(cardRef)) return 1;
  return dice(trigrams(payment.description, memo), trigrams(line.description, memo));
}

function lineSimilarity(a: CardLine, b: CardLine): number {
  if (a.reference && b.reference && alnum(a.reference) !== '' && alnum(a.reference) === alnum(b.reference)) return 1;
  return dice(trigrams(a.description), trigrams(b.description));
}

// ---------------------------------------------------------------------------
// Internal state

interface Flag {
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

interface Decision {
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

interface NearMiss {
  ref: SideRef;
  why: string;
  distance: number;
}

interface CardNode {
  side: 'card';
  k: number;
  line: CardLine;
  ref: SideRef;
  day: number;
  postedDay: number | null;
  provider: boolean;
  subscription: boolean;
  feeLike: boolean;
  foreign: boolean;
  pulledIn: null | 'fee' | 'forced';
  dupOf: CardNode | null;
  supersededBy: CardNode | null;
  decision: Decision | null;
  notes: string[];
  nearMiss: NearMiss | null;
}

interface PayNode {
  side: 'payment';
  k: number;
  p: PaymentRecord;
  ref: SideRef;
  date: LocalDate;
  day: number;
  dupOf: PayNode | null;
  decision: Decision | null;
  notes: string[];
  nearMiss: NearMiss | null;
}

type Node = CardNode | PayNode;

interface Amounted {
  amount: Decimal;
  currency: string;
  originalAmount: Decimal | null;
  originalCurrency: string | null;
}

interface AmountCheck {
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

type PairScore = { ok: true; score: ScoreBreakdown; check: AmountCheck; delta: number } | { ok: false; why: () => string; delta: number; interesting: boolean };

const NO_MONEY_STATUSES = new Set(['failed', 'void']);

// ---------------------------------------------------------------------------

/**
 * Classifies every provider card line and every payment exactly once (SPEC §4.3).
 * Non-provider card lines are counted in `leftOut` and otherwise untouched.
 */
export function matchPaymentsToCardLines(
  payments: readonly PaymentRecord[],
  lines: readonly CardLine[],
  options: MatchOptions,
  overrides?: MatchOverrides,
): MatchResult {
  return new MatchRun(payments, lines, options, overrides ?? { force: [], forbid: [] }).run();
}

class MatchRun {
  private readonly cards: CardNode[];
  private readonly pays: PayNode[];
  private readonly descriptor: RegExp[];
  private readonly subscription: RegExp[];
  private readonly fee: RegExp[];
  private readonly rates = new Map<string, Rate>();
  private readonly forbidden = new Set<string>();
  private readonly notes = new Set<string>();
  private readonly textMemo: TextMemo = { alnum: new Map(), trigrams: new Map() };
  private readonly simMemo = new Map<string, number>();
  private readonly overrideProblems: string[] = [];
  private forcedCount = 0;
  private forbiddenCount = 0;
  private readonly pct: Decimal;
  private readonly allowance: Decimal;

  constructor(
    payments: readonly PaymentRecord[],
    lines: readonly CardLine[],
    private readonly o: MatchOptions,
    private readonly overrides: MatchOverrides,
  ) {
    this.descriptor = o.descriptorPatterns.map(compileDescriptorPattern);
    this.subscription = o.subscriptionPatterns.map(compileDescriptorPattern);
    this.fee = o.feePatterns.map(compileDescriptorPattern);
    this.pct = o.fxTolerancePercent;
    this.allowance = o.fxFeeAllowance;
    const sortedLines = [...lines].sort(
      (a, b) => cmpStr(a.transactionDate, b.transactionDate) || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line,
    );
    this.cards = sortedLines.map((line, k) => {
      const desc = line.description.replace(/\s+/g, ' ').trim();
      const subscription = this.subscription.some((r) => r.test(desc));
      return {
        side: 'card',
        k,
        line,
        ref: { side: 'card', file: line.src.file, line: line.src.line },
        day: dayNumber(line.transactionDate),
        postedDay: line.postedDate ? dayNumber(line.postedDate) : null,
        provider: subscription || this.descriptor.some((r) => r.test(desc)),
        subscription,
        feeLike: this.fee.some((r) => r.test(desc)),
        foreign: line.originalCurrency !== null && line.originalCurrency !== line.currency,
        pulledIn: null,
        dupOf: null,
        supersededBy: null,
        decision: null,
        notes: [],
        nearMiss: null,
      } satisfies CardNode;
    });
    const sortedPays = [...payments].sort((a, b) => a.paidAt - b.paidAt || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line);
    this.pays = sortedPays.map((p, k) => {
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
    this.buildRates();
  }

  run(): MatchResult {
    this.markOverlapDuplicates();
    this.applyOverrides();
    this.pendingToPosted();
    this.oneToOne();
    this.manyToOne();
    // a reversal sits next to its authorisation (days); a refund can follow its payment by weeks,
    // so reversals are paired first and refunds take what is left
    this.netReversals();
    this.linkRefunds();
    this.attachFees();
    this.declinedAttempts();
    this.duplicateAttempts();
    this.leftovers();
    this.copyToDuplicates();
    return this.result();
  }

  // ----- eligibility ------------------------------------------------------

  /** A provider line (or one pulled in) that is the counted copy. */
  private inScope(c: CardNode): boolean {
    return (c.provider || c.pulledIn !== null) && c.dupOf === null;
  }

  private open(c: CardNode): boolean {
    return this.inScope(c) && c.decision === null && c.supersededBy === null;
  }

  private openPay(p: PayNode): boolean {
    return p.dupOf === null && p.decision === null;
  }

  // ----- FX rates -----------------------------------------------------------

  private buildRates(): void {
    const derived = new Map<string, Rate[]>();
    for (const c of this.cards) {
      const l = c.line;
      if (!c.foreign || l.originalAmount === null || l.originalCurrency === null) continue;
      if (l.amount.isZero() || l.originalAmount.isZero()) continue;
      const key = `${l.originalCurrency}>${l.currency}`;
      const list = derived.get(key) ?? [];
      list.push({ from: l.originalCurrency, to: l.currency, num: l.amount.abs(), den: l.originalAmount.abs(), source: 'statement', samples: 1 });
      derived.set(key, list);
    }
    for (const [key, list] of [...derived].sort((a, b) => cmpStr(a[0], b[0]))) {
      // the median of the bank's own conversions is robust to one odd line
      const sorted = [...list].sort(cmpRate);
      const med = sorted[Math.floor((sorted.length - 1) / 2)]!;
      this.rates.set(key, { ...med, samples: list.length });
    }
    for (const r of this.o.fxRates) {
      this.rates.set(`${r.from}>${r.to}`, { from: r.from, to: r.to, num: r.rate, den: Decimal.fromInt(1), source: 'config', samples: 0 });
      this.rates.delete(`${r.to}>${r.from}`);
    }
  }

  private rate(from: string, to: string): Rate | null {
    const direct = this.rates.get(`${from}>${to}`);
    if (direct) return direct;
    const inv = this.rates.get(`${to}>${from}`);
    return inv ? { ...inv, from, to, num: inv.den, den: inv.num } : null;
  }

  // ----- amount comparison ------------------------------------------------

  private compareAmounts(payAmount: Decimal, payCurrency: string, line: Amounted): AmountCheck {
    const P = payAmount.abs();
    if (line.originalAmount !== null && line.originalCurrency === payCurrency) {
      const O = line.originalAmount.abs();
      const diff = O.minus(P);
      const difference = () => (diff.isZero() ? null : { amount: diff, currency: payCurrency, basis: 'original amount on the statement' });
      if (!diff.isZero())
        return { ok: false, exact: false, norm: 1, difference, crossCurrency: false, text: () => `original amount ${money(O, payCurrency)} differs from ${money(P, payCurrency)}; the original currency must match exactly` };
      return { ok: true, exact: true, norm: 0, difference: () => null, crossCurrency: false, text: () => `same amount in the original currency (${money(O, payCurrency)})` };
    }
    const L = line.amount.abs();
    if (line.currency === payCurrency) {
      const diff = L.minus(P);
      const tol = this.o.sameCurrencyTolerance;
      const difference = () => (diff.isZero() ? null : { amount: diff, currency: payCurrency, basis: 'same currency' });
      if (diff.abs().cmp(tol) > 0)
        return {
          ok: false,
          exact: false,
          norm: 1,
          difference,
          crossCurrency: false,
          text: () => `${money(L, payCurrency)} differs from ${money(P, payCurrency)} by ${money(diff.abs(), payCurrency)}${tol.isZero() ? '; the same currency must match exactly' : ` (tolerance ${money(tol, payCurrency)})`}`,
        };
      return {
        ok: true,
        exact: diff.isZero(),
        norm: tol.isZero() ? 0 : (ratio(diff.abs(), tol) ?? 0),
        difference,
        crossCurrency: false,
        text: () => (diff.isZero() ? `same amount (${money(P, payCurrency)})` : `${money(L, payCurrency)} vs ${money(P, payCurrency)}, within ${money(tol, payCurrency)}`),
      };
    }
    const r = this.rate(payCurrency, line.currency);
    if (!r) {
      const note = `no ${payCurrency}→${line.currency} rate (none in the config, no statement line with both amounts): ${payCurrency} payments are compared only with ${payCurrency} amounts on the statement`;
      this.notes.add(note);
      return { ok: false, exact: false, norm: 1, difference: () => null, crossCurrency: true, text: () => note, noRate: { from: payCurrency, to: line.currency } };
    }
    // |L − P·num/den| ≤ pct% · P·num/den + allowance, multiplied through by den: exact
    const expectedScaled = P.times(r.num);
    const diffScaled = L.times(r.den).minus(expectedScaled);
    const tolScaled = this.pct.times(expectedScaled).shiftLeft(2).plus(this.allowance.times(r.den));
    const expected = () => divideRounded(expectedScaled, r.den, 2);
    const difference = () => ({ amount: divideRounded(diffScaled, r.den, 4).normalize(), currency: line.currency, basis: `converted at ${rateText(r)} (${r.source === 'config' ? 'config' : `median of ${r.samples} statement line(s)`})` });
    if (diffScaled.abs().cmp(tolScaled) > 0)
      return {
        ok: false,
        exact: false,
        norm: 1,
        difference,
        crossCurrency: true,
        text: () => `${money(L, line.currency)} vs ${money(P, payCurrency)} ≈ ${money(expected(), line.currency)} at ${rateText(r)}: off by more than ${this.pct.toString()}% + ${money(this.allowance, line.currency)}`,
      };
    return {
      ok: true,
      exact: diffScaled.isZero(),
      norm: ratio(diffScaled.abs(), tolScaled) ?? 0,
      difference: () => (diffScaled.isZero() ? null : difference()),
      crossCurrency: true,
      text: () => `${money(L, line.currency)} vs ${money(P, payCurrency)} ≈ ${money(expected(), line.currency)} at ${rateText(r)}, within ${this.pct.toString()}% + ${money(this.allowance, line.currency)}`,
    };
  }

  // ----- pair limits and cost -------------------------------------------

  private window(p: PayNode, c: CardNode): { norm: number; delta: number } | null {
    const { windowDaysBefore: before, windowDaysAfter: after } = this.o;
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

  private isForbidden(p: PayNode, c: CardNode): boolean {
    return this.forbidden.has(`${p.k}|${c.k}`);
  }

  /** Limits that do not depend on the amount; null when the pair may be considered. */
  private pairLimit(p: PayNode, c: CardNode): { why: () => string; interesting: boolean } | null {
    if (this.isForbidden(p, c)) return { why: () => 'forbidden by an override', interesting: true };
    if (p.p.amount.sign() !== c.line.amount.sign()) return { why: () => 'signs differ', interesting: false };
    if (p.p.cardLast4 && c.line.cardLast4 && p.p.cardLast4 !== c.line.cardLast4)
      return { why: () => `different card (payment card ${p.p.cardLast4}, statement card ${c.line.cardLast4})`, interesting: true };
    if (c.subscription && p.p.kind !== 'subscription') return { why: () => 'the card line is a ChatGPT plan charge and the payment is API credit', interesting: true };
    if (!this.window(p, c))
      return {
        why: () => `card date ${c.line.transactionDate}${c.line.postedDate ? `/${c.line.postedDate}` : ''} is outside ${this.o.windowDaysBefore} day(s) before to ${this.o.windowDaysAfter} after the payment date ${p.date}`,
        interesting: true,
      };
    return null;
  }

  private dateSignal(p: PayNode, c: CardNode, explain: boolean): ScoreSignal {
    const w = this.window(p, c)!;
    const d = w.delta;
    return {
      name: 'date',
      cost: round4(this.o.dateWeight * w.norm),
      detail: !explain ? '' : d === 0 ? `card dated the payment's local date ${p.date}` : `card dated ${Math.abs(d)} day(s) ${d > 0 ? 'after' : 'before'} the payment's local date ${p.date}`,
    };
  }

  private pairScore(p: PayNode, c: CardNode): PairScore {
    const delta = c.day - p.day;
    const limit = this.pairLimit(p, c);
    if (limit) return { ok: false, why: limit.why, delta, interesting: limit.interesting };
    const check = this.compareAmounts(p.p.amount, p.p.currency, c.line);
    if (!check.ok) return { ok: false, why: check.text, delta, interesting: true };
    return { ok: true, check, delta, score: this.scoreOf([p], [c], check, false) };
  }

  /** The cost of a pair or group; `explain` = false skips the texts (candidate pairs are many, shown ones few). */
  private scoreOf(ps: PayNode[], cs: CardNode[], check: AmountCheck, explain = true): ScoreBreakdown {
    const o = this.o;
    const signals: ScoreSignal[] = [{ name: 'amount', cost: round4(o.amountWeight * check.norm), detail: explain ? check.text() : '' }];
    // date and text: the weakest member pair counts (a group is as good as its worst link)
    let date: ScoreSignal | null = null;
    let sim = 0;
    for (const p of ps)
      for (const c of cs) {
        if (this.window(p, c)) {
          const s = this.dateSignal(p, c, explain);
          if (!date || s.cost > date.cost) date = s;
        }
        if (!c.feeLike && c.provider) sim = Math.max(sim, this.similarity(p, c));
      }
    signals.push(date ?? { name: 'date', cost: round4(o.dateWeight), detail: 'dates outside the window (forced)' });
    signals.push({ name: 'text', cost: round4(o.textWeight * (1 - sim)), detail: sim === 1 ? 'reference found in the card text' : `description similarity ${(Math.round(sim * 100) / 100).toString()}` });
    const pending = cs.filter((c) => c.line.status === 'pending').length;
    if (pending) signals.push({ name: 'pending', cost: round4(o.pendingPenalty), detail: 'card line still pending' });
    if (ps.some((p) => NO_MONEY_STATUSES.has(p.p.status)) && cs.some((c) => c.line.status === 'posted'))
      signals.push({ name: 'status', cost: round4(o.statusPenalty), detail: 'payment failed/void but the card line is posted' });
    const extra = ps.length + cs.length - 2;
    if (extra > 0) signals.push({ name: 'group_size', cost: round4(o.groupMemberPenalty * extra), detail: `${ps.length} payment(s) with ${cs.length} card line(s)` });
    return { total: round4(signals.reduce((a, s) => a + s.cost, 0)), signals };
  }

  private noteNearMiss(node: Node, other: Node, why: () => string, distance: number): void {
    if (!node.nearMiss || distance < node.nearMiss.distance) node.nearMiss = { ref: other.ref, why: why(), distance };
  }

  /** textSimilarity with the per-run text memo (the same descriptions recur on every pair). */
  private similarity(p: PayNode, c: CardNode): number {
    const key = `${p.k}|${c.k}`;
    let v = this.simMemo.get(key);
    if (v === undefined) {
      v = textSimilarity(p.p, c.line, this.textMemo);
      this.simMemo.set(key, v);
    }
    return v;
  }

  // ----- stage 1: repeats across files -------------------------------------

  private markOverlapDuplicates(): void {
    const firstOf = new Map<string, CardNode>();
    const seenInFile = new Map<string, number>();
    for (const c of this.cards) {
      const l = c.line;
      // different profiles are different banks or accounts, never overlapping exports of one
      const key = [
        l.profile,
        l.transactionDate,
        l.postedDate ?? '',
        l.amount.toString(),
        l.currency,
        l.description.replace(/\s+/g, ' ').trim().toUpperCase(),
        l.reference ?? '',
        l.status,
        l.cardLast4 ?? '',
        l.originalAmount?.toString() ?? '',
        l.originalCurrency ?? '',
      ].join('\u0001');
      // the n-th identical line of one file pairs with the n-th of another file:
      // identical lines inside one file are real repeats (e.g. duplicate attempts)
      const fileKey = `${key}\u0002${c.ref.file}`;
      const n = (seenInFile.get(fileKey) ?? 0) + 1;
      seenInFile.set(fileKey, n);
      const occ = `${key}\u0002#${n}`;
      const first = firstOf.get(occ);
      if (first) c.dupOf = first;
      else firstOf.set(occ, c);
    }
    const firstPay = new Map<string, PayNode>();
    const seenPay = new Map<string, number>();
    for (const p of this.pays) {
      const r = p.p;
      const key = [r.paidAt, r.reference, r.amount.toString(), r.currency, r.status, r.kind, r.cardLast4 ?? '', r.organization ?? ''].join('\u0001');
      const fileKey = `${key}\u0002${p.ref.file}`;
      const n = (seenPay.get(fileKey) ?? 0) + 1;
      seenPay.set(fileKey, n);
      const occ = `${key}\u0002#${n}`;
      const first = firstPay.get(occ);
      if (first) p.dupOf = first;
      else firstPay.set(occ, p);
    }
  }

  // ----- stage 2: overrides -----------------------------------------------

  private findCard(ref: { file: string; line: number }): CardNode | null {
    const exact = this.cards.filter((c) => c.ref.file === ref.file && c.ref.line === ref.line);
    const hits = exact.length ? exact : this.cards.filter((c) => baseName(c.ref.file) === baseName(ref.file) && c.ref.line === ref.line);
    if (hits.length !== 1) return null;
    const c = hits[0]!;
    return c.dupOf ?? c;
  }

  private findPayments(ref: OverridePair['payment']): PayNode[] {
    if ('reference' in ref) {
      const want = ref.reference.trim();
      return this.pays.filter((p) => p.dupOf === null && p.p.reference.trim() === want);
    }
    const exact = this.pays.filter((p) => p.ref.file === ref.file && p.ref.line === ref.line);
    const hits = exact.length ? exact : this.pays.filter((p) => baseName(p.ref.file) === baseName(ref.file) && p.ref.line === ref.line);
    return hits.length === 1 ? [hits[0]!.dupOf ?? hits[0]!] : [];
  }

  private resolvePair(pair: OverridePair, list: 'force' | 'forbid', i: number): { p: PayNode; c: CardNode } | null {
    const where = `overrides ${list}[${i}]`;
    const c = this.findCard(pair.card);
    const ps = this.findPayments(pair.payment);
    const payText = 'reference' in pair.payment ? `reference "${pair.payment.reference}"` : `${pair.payment.file}:${pair.payment.line}`;
    if (!c) {
      this.overrideProblems.push(`${where}: card line ${pair.card.file}:${pair.card.line} is not in the statements given; the override was not applied`);
      return null;
    }
    if (ps.length === 0) {
      this.overrideProblems.push(`${where}: payment ${payText} is not in the payment history given; the override was not applied`);
      return null;
    }
    if (ps.length > 1) {
      this.overrideProblems.push(`${where}: payment ${payText} names ${ps.length} payments; name one by {"file", "line"}; the override was not applied`);
      return null;
    }
    return { p: ps[0]!, c };
  }

  private applyOverrides(): void {
    this.overrides.forbid.forEach((pair, i) => {
      const r = this.resolvePair(pair, 'forbid', i);
      if (!r) return;
      this.forbidden.add(`${r.p.k}|${r.c.k}`);
      this.forbiddenCount++;
    });
    const edges: { p: PayNode; c: CardNode }[] = [];
    this.overrides.force.forEach((pair, i) => {
      const r = this.resolvePair(pair, 'force', i);
      if (!r) return;
      if (this.isForbidden(r.p, r.c)) {
        this.overrideProblems.push(`overrides force[${i}]: the same pair is also forbidden; the force was not applied`);
        return;
      }
      if (!edges.some((e) => e.p === r.p && e.c === r.c)) edges.push(r);
    });
    if (!edges.length) return;
    // pairs sharing a payment or a line form one forced group
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
    for (const g of [...groups.keys()].sort((a, b) => a - b)) {
      const grp = groups.get(g)!;
      const ps = [...grp.ps].sort((a, b) => a.k - b.k);
      const cs = [...grp.cs].sort((a, b) => a.k - b.k);
      for (const c of cs) if (!c.provider) c.pulledIn = 'forced';
      this.forcedCount += ps.length * cs.length;
      this.decideGroup(ps, cs, { forced: true, score: null, runnerUp: null, margin: null });
    }
  }

  // ----- stage 3: pending → posted ----------------------------------------

  private pendingToPosted(): void {
    const pend = this.cards.filter((c) => this.open(c) && c.line.status === 'pending');
    const posted = this.cards.filter((c) => this.open(c) && c.line.status === 'posted');
    if (!pend.length || !posted.length) return;
    const { windowDaysBefore: before, windowDaysAfter: after } = this.o;
    const pairs = this.optimal(pend, posted, (a, b) => {
      const la = a.line;
      const lb = b.line;
      // the twin lives in another export; two lines in one file are two purchases
      if (a.ref.file === b.ref.file || la.currency !== lb.currency || la.amount.sign() !== lb.amount.sign()) return null;
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
        const tol = this.pct.times(lb.amount.abs()).shiftLeft(2);
        if (diff.cmp(tol) > 0) return null;
        amountNorm = ratio(diff, tol) ?? 1;
      } else return null;
      const dateNorm = Math.abs(delta) / Math.max(before, after, 1);
      return round4(this.o.amountWeight * amountNorm + this.o.dateWeight * dateNorm + this.o.textWeight * (1 - lineSimilarity(la, lb)));
    });
    for (const { row: a, col: b } of pairs) {
      a.supersededBy = b;
      b.notes.push(`replaces the pending line ${at(a.ref)} of an earlier export`);
      this.setDecision(a, {
        cls: 'pending_authorization',
        counterparts: [b.ref],
        reason: `pending authorisation later posted as ${at(b.ref)} (${b.line.transactionDate}, ${money(b.line.amount, b.line.currency)}): the posted line is the transaction and this one is not counted again`,
        nextStep: null,
      });
    }
  }

  // ----- stage 4: one to one ------------------------------------------------

  private matchablePays(): PayNode[] {
    return this.pays.filter((p) => this.openPay(p) && p.p.kind !== 'grant');
  }

  private oneToOne(): void {
    const rows = this.matchablePays();
    const cols = this.cards.filter((c) => this.open(c) && c.provider && !c.feeLike && (c.line.status === 'pending' || c.line.status === 'posted'));
    const scores = new Map<string, PairScore & { ok: true }>();
    const edges: CandidateEdge[] = [];
    rows.forEach((p, i) => {
      cols.forEach((c, j) => {
        const dist = Math.abs(c.day - p.day);
        if (!(dist <= 31)) return;
        const s = this.pairScore(p, c);
        if (s.ok) {
          scores.set(`${i}|${j}`, s);
          edges.push({ row: i, col: j, cost: s.score.total });
        } else if (s.interesting) {
          this.noteNearMiss(c, p, s.why, dist);
          this.noteNearMiss(p, c, s.why, dist);
        }
      });
    });
    const U = this.o.unmatchedCost;
    // the two cheapest candidates of every row and column give each match its runner-up
    const better = (a: CandidateEdge, b: CandidateEdge | undefined) => !b || a.cost < b.cost || (a.cost === b.cost && a.row + a.col < b.row + b.col);
    const bestOfRow = rows.map(() => [] as CandidateEdge[]);
    const bestOfCol = cols.map(() => [] as CandidateEdge[]);
    for (const e of edges)
      for (const top of [bestOfRow[e.row]!, bestOfCol[e.col]!]) {
        if (better(e, top[0])) top.unshift(e);
        else if (better(e, top[1])) top.splice(1, 0, e);
        top.length = Math.min(top.length, 2);
      }
    for (const pair of solveAssignment(rows.length, cols.length, edges, U)) {
      const p = rows[pair.row]!;
      const c = cols[pair.col]!;
      const s = scores.get(`${pair.row}|${pair.col}`)!;
      s.score = this.scoreOf([p], [c], s.check);
      const altForCard = bestOfCol[pair.col]!.find((e) => e.row !== pair.row);
      const altForPay = bestOfRow[pair.row]!.find((e) => e.col !== pair.col);
      const ruCard: RunnerUp = altForCard ? { kind: 'candidate', refs: [rows[altForCard.row]!.ref], cost: altForCard.cost } : { kind: 'unmatched', cost: 2 * U };
      const ruPay: RunnerUp = altForPay ? { kind: 'candidate', refs: [cols[altForPay.col]!.ref], cost: altForPay.cost } : { kind: 'unmatched', cost: 2 * U };
      this.decideGroup([p], [c], {
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

  // ----- stage 5: many to one ----------------------------------------------

  private manyToOne(): void {
    const cap = this.o.maxGroupSize;
    if (cap < 2) return;
    const pays = this.matchablePays();
    const lines = this.cards.filter(
      (c) => c.dupOf === null && c.decision === null && c.supersededBy === null && (c.provider || c.feeLike) && (c.line.status === 'pending' || c.line.status === 'posted'),
    );
    const isParent = (c: CardNode) => c.provider && !c.feeLike;
    interface Group {
      ps: PayNode[];
      cs: CardNode[];
      score: ScoreBreakdown;
      check: AmountCheck;
      order: number;
    }
    const found: Group[] = [];
    const limit = 2 * this.o.unmatchedCost;
    const MAX_CANDIDATES = 10;
    const near = <T extends Node>(xs: T[], anchor: Node) =>
      xs.map((x) => ({ x, d: Math.abs(x.day - anchor.day) })).sort((a, b) => a.d - b.d || a.x.k - b.x.k).slice(0, MAX_CANDIDATES).map((e) => e.x).sort((a, b) => a.k - b.k);

    // one payment ↔ several lines (charge + fee, split charge)
    for (const p of pays) {
      const cands = near(
        lines.filter((c) => !this.pairLimit(p, c)),
        p,
      );
      for (const subset of subsets(cands, 2, cap)) {
        const cur = subset[0]!.line.currency;
        if (subset.some((c) => c.line.currency !== cur)) continue;
        const parent = largest(subset);
        if (!isParent(parent)) continue;
        const check = this.compareAmounts(p.p.amount, p.p.currency, syntheticLine(subset));
        if (!check.ok) continue;
        const score = this.scoreOf([p], subset, check, false);
        if (score.total < limit) found.push({ ps: [p], cs: subset, score, check, order: found.length });
      }
    }
    // one line ↔ several payments (a top-up and its tax line)
    for (const c of lines.filter(isParent)) {
      const cands = near(
        pays.filter((p) => !this.pairLimit(p, c)),
        c,
      );
      for (const subset of subsets(cands, 2, cap)) {
        const cur = subset[0]!.p.currency;
        if (subset.some((p) => p.p.currency !== cur)) continue;
        const check = this.compareAmounts(sum(subset.map((p) => p.p.amount)), cur, c.line);
        if (!check.ok) continue;
        const score = this.scoreOf(subset, [c], check, false);
        if (score.total < limit) found.push({ ps: subset, cs: [c], score, check, order: found.length });
      }
    }
    const firstK = (g: Group) => Math.min(...g.ps.map((p) => p.k * 2), ...g.cs.map((c) => c.k * 2 + 1));
    found.sort((a, b) => a.score.total - b.score.total || firstK(a) - firstK(b) || a.order - b.order);
    // disjoint groups, cheapest first (set packing; the leftovers are few by now)
    const used = new Set<Node>();
    for (const g of found) {
      const members: Node[] = [...g.ps, ...g.cs];
      if (members.some((m) => used.has(m))) continue;
      members.forEach((m) => used.add(m));
      const rival = found.find((o) => o !== g && [...o.ps, ...o.cs].some((m) => members.includes(m)));
      const runnerUp: RunnerUp = rival
        ? { kind: 'candidate', refs: [...rival.ps, ...rival.cs].filter((m) => !members.includes(m)).map((m) => m.ref), cost: rival.score.total }
        : { kind: 'unmatched', cost: this.o.unmatchedCost * members.length };
      this.decideGroup(g.ps, g.cs, { forced: false, score: this.scoreOf(g.ps, g.cs, g.check), runnerUp: new Map(members.map((m) => [m, runnerUp])), margin: null });
    }
  }

  // ----- deciding a matched group -------------------------------------------

  private decideGroup(ps: PayNode[], cs: CardNode[], how: { forced: boolean; score: ScoreBreakdown | null; runnerUp: Map<Node, RunnerUp> | null; margin: number | null }): void {
    const payCur = uniform(ps.map((p) => p.p.currency));
    const payTotal = sum(ps.map((p) => p.p.amount));
    const synthetic = syntheticLine(cs);
    const check = payCur !== null && synthetic.currency !== '' ? this.compareAmounts(payTotal, payCur, synthetic) : null;
    const score = how.score ?? (check ? this.scoreOf(ps, cs, check) : null);
    const subscription = ps.some((p) => p.p.kind === 'subscription') || cs.some((c) => c.subscription);
    const refund = ps.some((p) => p.p.status === 'refunded') || payTotal.sign() < 0;
    const failed = ps.every((p) => NO_MONEY_STATUSES.has(p.p.status));
    const cls: MatchClass = subscription
      ? 'subscription_not_api'
      : refund
        ? 'refund'
        : failed
          ? 'failed_payment_with_hold'
          : check && check.ok && check.exact
            ? 'matched'
            : 'matched_fx_difference';
    const parent = largest(cs.some((c) => c.provider && !c.feeLike) ? cs.filter((c) => c.provider && !c.feeLike) : cs);
    const feeCap = this.pct.times(parent.line.amount.abs()).shiftLeft(2).plus(this.allowance);
    // a fee travels with its charge whatever the payment's fate (matched, refunded, plan, failed)
    const fees = cs.filter((c) => c !== parent && (c.feeLike || !c.provider || c.line.amount.abs().cmp(feeCap) <= 0));
    for (const f of fees) if (!f.provider && f.pulledIn === null) f.pulledIn = 'fee';
    const charges = cs.filter((c) => !fees.includes(c));
    const payText = ps.map(payLabel).join(' + ');
    const cardText = charges.map(cardLabel).join(' + ') + (fees.length ? ` + fee ${fees.map(cardLabel).join(' + ')}` : '');
    const forcedText = how.forced ? (check && !check.ok ? ' Forced by a reviewer override although outside the limits.' : ' Forced by a reviewer override.') : '';
    const amountText = check ? check.text() : 'amounts in several currencies; not compared';
    const difference = cls === 'matched' ? null : (check?.difference() ?? null);
    const key = `group:${[...ps.map((p) => at(p.ref)), ...cs.map((c) => at(c.ref))].join(',')}`;
    const refs = [...ps.map((p) => p.p.src), ...cs.map((c) => c.line.src)];
    const cardCur = synthetic.currency || (cs[0]?.line.currency ?? '');
    const cardTotal = sum(cs.map((c) => c.line.amount));

    let reason: string;
    let nextStep: string | null = null;
    let flag: Flag | null = null;
    switch (cls) {
      case 'matched':
        reason = `matched: ${payText} ↔ ${cardText}; ${amountText}.${forcedText}`;
        break;
      case 'matched_fx_difference': {
        const diffText = difference ? `difference ${money(difference.amount, difference.currency)} (${difference.basis})` : 'difference not computable';
        const within = check !== null && check.ok;
        reason = `matched with ${within ? 'an FX' : 'an amount'} difference: ${payText} ↔ ${cardText}; ${amountText}; ${diffText}.${forcedText}`;
        nextStep =
          within && check.crossCurrency && difference
            ? `Book the ${money(difference.amount.abs(), difference.currency)} FX difference as a bank currency-conversion cost; nothing to chase.`
            : difference
              ? `A reviewer paired these although they differ by ${money(difference.amount.abs(), difference.currency)}: keep the receipt that explains the difference with the workbook.`
              : 'A reviewer paired these although their amounts cannot be compared: keep the receipt that explains it with the workbook.';
        flag = {
          key,
          severity: 'info',
          cls,
          subject: `${payText} ↔ ${cardText}`,
          amount: difference?.amount ?? null,
          currency: difference?.currency ?? null,
          message: within ? `card and payment differ within the FX tolerance: ${diffText}` : `forced pair outside the matching limits: ${diffText}`,
          nextStep,
          refs,
        };
        break;
      }
      case 'subscription_not_api':
        reason = `ChatGPT plan charge, not API credit: ${payText} ↔ ${cardText}; ${amountText}.${forcedText}`;
        nextStep = 'Book it as a ChatGPT subscription, not as API spend; consider paying the plan with a separate card.';
        flag = {
          key,
          severity: 'warning',
          cls,
          subject: cardText,
          amount: cardTotal,
          currency: cardCur,
          message: 'a ChatGPT plan was charged on the card used for API credit',
          nextStep,
          refs,
        };
        break;
      case 'refund':
        if (payTotal.sign() < 0) {
          reason = `refund recorded in the payment history and on the card: ${payText} ↔ ${cardText}; ${amountText}.${forcedText}`;
          nextStep = 'Nothing to chase: the refund is on the card. Check the refunded credit is gone from the balance.';
          flag = { key, severity: 'info', cls, subject: cardText, amount: cardTotal, currency: cardCur, message: 'refund on the card matches the payment history', nextStep, refs };
        } else {
          reason = `refunded payment: ${payText} ↔ charge ${cardText}; ${amountText}.${forcedText}`;
          nextStep = 'The payment is marked refunded but the refund is not on these statements: check the next statement; if it never arrives, ask provider support with the reference.';
          flag = { key, severity: 'warning', cls, subject: payText, amount: payTotal, currency: payCur, message: 'payment marked refunded; the charge is on the card, the refund is not (yet)', nextStep, refs };
        }
        break;
      case 'failed_payment_with_hold':
        reason = `the provider recorded the payment as ${ps.map((p) => p.p.status).join('/')} but the bank shows ${cardText}; ${amountText}.${forcedText}`;
        nextStep =
          cs.some((c) => c.line.status === 'posted')
            ? `The bank posted a charge for a failed top-up: send the statement line and reference ${ps.map((p) => p.p.reference).join(', ')} to provider support and ask for a refund; do not count it as credit.`
            : 'The top-up failed but the bank holds the money: the hold normally drops within 7–10 days; if it posts as a charge, ask provider support for a refund. Do not pay again because of the hold.';
        flag = { key, severity: 'warning', cls, subject: cardText, amount: cardTotal, currency: cardCur, message: 'failed top-up that still left a bank hold', nextStep, refs };
        break;
      default:
        throw new Error(`unexpected class ${cls}`);
    }
    const runnerFor = (n: Node) => how.runnerUp?.get(n) ?? null;
    const marginFor = (n: Node) => {
      const ru = runnerFor(n);
      return ru && score ? round4(ru.cost - score.total) : how.margin;
    };
    for (const p of ps)
      this.setDecision(p, {
        cls,
        counterparts: cs.map((c) => c.ref),
        score,
        runnerUp: runnerFor(p),
        margin: marginFor(p),
        difference,
        reason,
        nextStep,
        forced: how.forced,
        flag,
        crossCurrency: check?.crossCurrency ?? false,
      });
    for (const c of charges)
      this.setDecision(c, {
        cls,
        counterparts: [...ps.map((p) => p.ref), ...(c === parent ? fees.map((f) => f.ref) : [])],
        score,
        runnerUp: runnerFor(c),
        margin: marginFor(c),
        difference: c === parent ? difference : null,
        reason,
        nextStep,
        forced: how.forced,
        flag,
        crossCurrency: check?.crossCurrency ?? false,
      });
    for (const f of fees) this.decideFee(f, parent, ps, how.forced, score);
  }

  private decideFee(f: CardNode, parent: CardNode, ps: PayNode[], forced: boolean, score: ScoreBreakdown | null): void {
    const nextStep = `Book ${money(f.line.amount, f.line.currency)} as a bank foreign-transaction fee on the charge ${at(parent.ref)}; it is not API credit.`;
    this.setDecision(f, {
      cls: 'fx_fee',
      counterparts: [parent.ref, ...ps.map((p) => p.ref)],
      score,
      reason: `foreign-transaction fee ${money(f.line.amount, f.line.currency)} (${f.line.description}) attached to its parent charge ${cardLabel(parent)}${f.pulledIn === 'fee' ? '; the description does not name the provider, the parent does' : ''}`,
      nextStep,
      forced,
      flag: {
        key: `fee:${at(f.ref)}`,
        severity: 'info',
        cls: 'fx_fee',
        subject: cardLabel(f),
        amount: f.line.amount,
        currency: f.line.currency,
        message: `foreign-transaction fee on ${at(parent.ref)}`,
        nextStep,
        refs: [f.line.src, parent.line.src],
      },
    });
  }

  // ----- stage 6: refunds and reversals -------------------------------------

  private linkRefunds(): void {
    const refunded = this.pays.filter((p) => p.dupOf === null && p.p.status === 'refunded' && p.p.amount.sign() > 0);
    const negatives = this.cards.filter((c) => this.open(c) && !c.feeLike && c.line.amount.sign() < 0 && c.line.status !== 'declined');
    if (!refunded.length || !negatives.length) return;
    const pairs = this.optimal(refunded, negatives, (p, c) => {
      if (this.isForbidden(p, c)) return null;
      if (p.p.cardLast4 && c.line.cardLast4 && p.p.cardLast4 !== c.line.cardLast4) return null;
      if (c.subscription !== (p.p.kind === 'subscription')) return null;
      const delta = c.day - p.day;
      if (Number.isNaN(delta) || delta < -this.o.windowDaysBefore || delta > this.o.refundWindowDays) return null;
      const check = this.compareAmounts(p.p.amount, p.p.currency, c.line);
      if (!check.ok) return null;
      return round4(
        this.o.amountWeight * check.norm + this.o.dateWeight * (Math.max(delta, 0) / Math.max(this.o.refundWindowDays, 1)) + this.o.textWeight * (1 - textSimilarity(p.p, c.line)),
      );
    });
    for (const { row: p, col: c } of pairs) {
      const charge = p.decision ? p.decision.counterparts.filter((r) => r.side === 'card') : [];
      const nextStep = 'Nothing to chase: the refund is on the card. Check the refunded credit is gone from the balance.';
      const refs = [p.p.src, c.line.src, ...charge.map(toProv)];
      const flag: Flag = {
        key: `refund:${at(p.ref)}`,
        severity: 'info',
        cls: c.subscription ? 'subscription_not_api' : 'refund',
        subject: payLabel(p),
        amount: c.line.amount,
        currency: c.line.currency,
        message: `refund of payment ${p.p.reference || at(p.ref)} on the card ${at(c.ref)}`,
        nextStep,
        refs,
      };
      this.setDecision(c, {
        cls: c.subscription ? 'subscription_not_api' : 'refund',
        counterparts: [p.ref, ...charge],
        reason: `refund on the card of ${payLabel(p)}${charge.length ? `, charged as ${charge.map(at).join(', ')}` : ''}`,
        nextStep,
        flag,
      });
      if (p.decision) {
        p.decision.counterparts.push(c.ref);
        p.decision.reason += ` Refunded on the card as ${at(c.ref)}.`;
        p.decision.nextStep = nextStep;
        p.decision.flag = flag;
        for (const ch of charge) {
          const node = this.cards.find((x) => x.ref.file === ch.file && x.ref.line === ch.line);
          if (node?.decision) {
            node.decision.counterparts.push(c.ref);
            node.decision.reason += ` Refunded as ${at(c.ref)}.`;
            node.decision.nextStep = nextStep;
            node.decision.flag = flag;
          }
        }
      } else {
        this.setDecision(p, {
          cls: p.p.kind === 'subscription' ? 'subscription_not_api' : 'refund',
          counterparts: [c.ref],
          reason: `refunded payment; its refund is on the card as ${cardLabel(c)}; the original charge is not on these statements`,
          nextStep,
          flag,
        });
      }
    }
  }

  private netReversals(): void {
    const auths = this.cards.filter(
      (c) =>
        this.inScope(c) &&
        c.supersededBy === null &&
        !c.subscription &&
        !c.feeLike &&
        c.line.amount.sign() > 0 &&
        c.line.status !== 'declined' &&
        (c.decision === null || (c.decision.cls === 'failed_payment_with_hold' && !c.decision.forced && c.decision.counterparts.every((r) => r.side === 'payment'))),
    );
    const reversals = this.cards.filter((c) => this.open(c) && !c.subscription && !c.feeLike && c.line.amount.sign() < 0 && c.line.status !== 'declined');
    if (!auths.length || !reversals.length) return;
    const win = this.o.reversalWindowDays;
    const pairs = this.optimal(auths, reversals, (a, r) => {
      const la = a.line;
      const lr = r.line;
      if (la.currency !== lr.currency) return null;
      if (la.cardLast4 && lr.cardLast4 && la.cardLast4 !== lr.cardLast4) return null;
      const sameAmount =
        la.amount.abs().eq(lr.amount.abs()) || (la.originalAmount && lr.originalAmount && la.originalCurrency === lr.originalCurrency && la.originalAmount.abs().eq(lr.originalAmount.abs()));
      if (!sameAmount) return null;
      const delta = r.day - a.day;
      if (Number.isNaN(delta) || delta < 0 || delta > win) return null;
      // a pending authorisation is the usual thing to be reversed
      return round4(this.o.dateWeight * (delta / Math.max(win, 1)) + this.o.textWeight * (1 - lineSimilarity(la, lr)) + (la.status === 'posted' ? 0.1 : 0));
    });
    for (const { row: a, col: r } of pairs) {
      const payRefs = a.decision ? a.decision.counterparts : [];
      const nextStep = 'Nothing to do: the authorisation was reversed and nets to zero. Do not pay again because of it.';
      const flag: Flag = {
        key: `reversal:${at(a.ref)}`,
        severity: 'info',
        cls: 'authorization_reversed',
        subject: cardLabel(a),
        amount: a.line.amount,
        currency: a.line.currency,
        message: `authorisation ${at(a.ref)} reversed by ${at(r.ref)} (nets to zero)`,
        nextStep,
        refs: [a.line.src, r.line.src, ...payRefs.map(toProv)],
      };
      const failedText = payRefs.length ? `; the provider recorded the payment ${payRefs.map(at).join(', ')} as failed` : '';
      this.setDecision(a, {
        cls: 'authorization_reversed',
        counterparts: [r.ref, ...payRefs],
        reason: `authorisation of ${money(a.line.amount, a.line.currency)} reversed by ${cardLabel(r)}${failedText}`,
        nextStep,
        flag,
        replace: true,
      });
      this.setDecision(r, {
        cls: 'authorization_reversed',
        counterparts: [a.ref, ...payRefs],
        reason: `reversal of the authorisation ${cardLabel(a)}`,
        nextStep,
        flag,
      });
      for (const pr of payRefs) {
        const p = this.pays.find((x) => x.ref.file === pr.file && x.ref.line === pr.line)!;
        this.setDecision(p, {
          cls: 'authorization_reversed',
          counterparts: [a.ref, r.ref],
          reason: `${p.p.status} payment whose bank hold ${at(a.ref)} was released by ${at(r.ref)}: no money moved`,
          nextStep,
          flag,
          replace: true,
        });
      }
    }
  }

  // ----- stage 7: fees and declined attempts --------------------------------

  private attachFees(): void {
    const fees = this.cards.filter((c) => c.dupOf === null && c.decision === null && c.supersededBy === null && c.feeLike);
    const taken = new Set<CardNode>();
    for (const f of fees) {
      const lf = f.line;
      let best: { c: CardNode; score: number } | null = null;
      for (const c of this.cards) {
        const lc = c.line;
        if (c === f || c.feeLike || c.dupOf !== null || c.supersededBy !== null || taken.has(c)) continue;
        if (c.ref.file !== f.ref.file || lc.currency !== lf.currency || lc.amount.sign() !== lf.amount.sign()) continue;
        if (lc.status !== 'posted' && lc.status !== 'pending') continue;
        if (lc.cardLast4 && lf.cardLast4 && lc.cardLast4 !== lf.cardLast4) continue;
        const delta = f.day - c.day;
        if (Number.isNaN(delta) || delta < 0 || delta > this.o.feeWindowDays) continue;
        const cap = this.pct.times(lc.amount.abs()).shiftLeft(2).plus(this.allowance);
        if (lf.amount.abs().cmp(cap) > 0) continue;
        const foreign = c.foreign || (c.decision?.crossCurrency ?? false);
        // a generic fee line only follows a foreign charge; one naming the provider may follow any provider charge
        if (!foreign && !(f.provider && c.provider)) continue;
        const share = ratio(lf.amount.abs(), lc.amount.abs()) ?? 1;
        const score = Math.abs(share - this.pct.toNumber() / 100) + 0.1 * delta;
        if (!best || score < best.score) best = { c, score };
      }
      if (!best || !this.inScope(best.c)) continue; // a fee of some other merchant's charge
      const parent = best.c;
      taken.add(parent);
      if (!f.provider) f.pulledIn = 'fee';
      const ps = parent.decision ? this.pays.filter((p) => parent.decision!.counterparts.some((r) => r.side === 'payment' && r.file === p.ref.file && r.line === p.ref.line)) : [];
      this.decideFee(f, parent, ps, false, null);
      if (parent.decision) {
        parent.decision.counterparts.push(f.ref);
        parent.decision.reason += ` Foreign-transaction fee ${money(lf.amount, lf.currency)} on ${at(f.ref)}.`;
      } else parent.notes.push(`foreign-transaction fee ${money(lf.amount, lf.currency)} on ${at(f.ref)}`);
      for (const p of ps) p.decision?.counterparts.push(f.ref);
    }
  }

  private declinedAttempts(): void {
    const attempts = this.cards.filter((c) => this.open(c) && (c.line.status === 'declined' || c.line.status === 'reversed'));
    if (!attempts.length) return;
    const failed = this.pays.filter((p) => this.openPay(p) && NO_MONEY_STATUSES.has(p.p.status) && p.p.kind !== 'grant');
    const pairs = this.optimal(failed, attempts.filter((c) => !c.subscription), (p, c) => {
      if (this.isForbidden(p, c) || this.pairLimit(p, c)) return null;
      const check = this.compareAmounts(p.p.amount, p.p.currency, c.line);
      if (!check.ok) return null;
      return round4(this.o.amountWeight * check.norm + this.o.dateWeight * this.window(p, c)!.norm + this.o.textWeight * (1 - textSimilarity(p.p, c.line)));
    });
    const nextStep = 'Nothing to do: the attempt was declined or reversed by the bank and moved no money. Do not pay again because of it.';
    for (const c of attempts) {
      const pair = pairs.find((x) => x.col === c);
      const word = c.line.status === 'declined' ? 'declined' : 'reversed';
      const flag: Flag = {
        key: `attempt:${at(c.ref)}`,
        severity: 'info',
        cls: 'authorization_reversed',
        subject: cardLabel(c),
        amount: c.line.amount,
        currency: c.line.currency,
        message: `the bank shows this attempt as ${word}`,
        nextStep,
        refs: [c.line.src, ...(pair ? [pair.row.p.src] : [])],
      };
      if (c.subscription) {
        this.setDecision(c, {
          cls: 'subscription_not_api',
          counterparts: [],
          reason: `ChatGPT plan attempt ${word} by the bank: no money moved`,
          nextStep: null,
        });
        continue;
      }
      this.setDecision(c, {
        cls: 'authorization_reversed',
        counterparts: pair ? [pair.row.ref] : [],
        reason: `the bank shows this authorisation as ${word}: it moved no money${pair ? `; it was the attempt of ${payLabel(pair.row)}` : ''}`,
        nextStep,
        flag,
      });
      if (pair)
        this.setDecision(pair.row, {
          cls: 'authorization_reversed',
          counterparts: [c.ref],
          reason: `${pair.row.p.status} payment; the bank ${word} the attempt ${at(c.ref)}: no money moved`,
          nextStep,
          flag,
        });
    }
  }

  // ----- stage 8: duplicates and leftovers ----------------------------------

  private duplicateAttempts(): void {
    const anchors = this.cards.filter(
      (c) => this.inScope(c) && c.decision !== null && ['matched', 'matched_fx_difference', 'failed_payment_with_hold'].includes(c.decision.cls) && c.decision.counterparts.some((r) => r.side === 'payment'),
    );
    for (const c of this.cards) {
      if (!this.open(c) || c.subscription || c.feeLike || c.line.amount.sign() <= 0) continue;
      if (c.line.status !== 'pending' && c.line.status !== 'posted') continue;
      const anchor = anchors.find((a) => a.line.currency === c.line.currency && a.line.amount.eq(c.line.amount) && a.day === c.day);
      if (!anchor) continue;
      const payRefs = anchor.decision!.counterparts.filter((r) => r.side === 'payment');
      const pending = c.line.status === 'pending';
      const nextStep = pending
        ? 'A repeated attempt left an extra authorisation: it normally drops off within 7–10 days. Do not pay again.'
        : `The card was charged more than once for one top-up: ask provider support for a refund of the extra charge (payment ${payRefs.map(at).join(', ')}), or dispute it with the bank.`;
      this.setDecision(c, {
        cls: 'duplicate_charge',
        counterparts: [anchor.ref, ...payRefs],
        reason: `same amount on the same day as ${cardLabel(anchor)}, which the payment ${payRefs.map(at).join(', ')} already explains; the provider recorded one payment`,
        nextStep,
        flag: {
          key: `dup:${at(c.ref)}`,
          severity: pending ? 'warning' : 'error',
          cls: 'duplicate_charge',
          subject: cardLabel(c),
          amount: c.line.amount,
          currency: c.line.currency,
          message: `${pending ? 'extra authorisation' : 'duplicate charge'} for one payment (also charged as ${at(anchor.ref)})`,
          nextStep,
          refs: [c.line.src, anchor.line.src, ...payRefs.map(toProv)],
        },
      });
    }
  }

  private why(n: Node): string {
    const parts: string[] = [];
    if (n.nearMiss) parts.push(`nearest candidate ${at(n.nearMiss.ref)} was rejected: ${n.nearMiss.why}`);
    else parts.push(`no ${n.side === 'card' ? 'payment' : 'card line'} within the date window with a compatible amount`);
    if (n.notes.length) parts.push(n.notes.join('; '));
    return parts.join('; ');
  }

  private leftovers(): void {
    for (const c of this.cards) {
      if (!this.open(c)) continue;
      const l = c.line;
      const label = cardLabel(c);
      if (c.subscription) {
        const nextStep = 'Book it as a ChatGPT subscription, not as API spend; consider paying the plan with a separate card.';
        this.setDecision(c, {
          cls: 'subscription_not_api',
          counterparts: [],
          reason: `ChatGPT plan ${l.amount.sign() < 0 ? 'refund' : 'charge'} (descriptor), not API credit; no subscription payment in the history matches it`,
          nextStep,
          flag: { key: `sub:${at(c.ref)}`, severity: 'warning', cls: 'subscription_not_api', subject: label, amount: l.amount, currency: l.currency, message: 'a ChatGPT plan was charged on the card used for API credit', nextStep, refs: [l.src] },
        });
      } else if (l.amount.sign() < 0) {
        const orig = this.cards.find(
          (o) => this.inScope(o) && o.decision !== null && ['matched', 'matched_fx_difference'].includes(o.decision.cls) && o.line.currency === l.currency && o.line.amount.eq(l.amount.neg()) && o.day <= c.day,
        );
        const nextStep = orig
          ? `The card shows a refund of a top-up the payment history still lists as paid: check the credit balance and mark the payment refunded.`
          : 'A refund or credit from the provider with no payment marked refunded: find the refund receipt on the billing page and record it.';
        this.setDecision(c, {
          cls: 'refund',
          counterparts: orig ? [orig.ref] : [],
          reason: orig ? `refund on the card of the charge ${cardLabel(orig)}; no payment is marked refunded` : `credit from the provider (${money(l.amount, l.currency)}) with no payment marked refunded`,
          nextStep,
          flag: { key: `refund-card:${at(c.ref)}`, severity: 'warning', cls: 'refund', subject: label, amount: l.amount, currency: l.currency, message: 'refund on the card not recorded in the payment history', nextStep, refs: [l.src, ...(orig ? [orig.line.src] : [])] },
        });
      } else if (l.status === 'pending') {
        const nextStep = 'Bank shows a pending authorisation the provider never confirmed: wait for release, do not pay again.';
        this.setDecision(c, {
          cls: 'pending_authorization',
          counterparts: [],
          reason: `pending authorisation with no confirmed payment and no posted line in a later export; ${this.why(c)}`,
          nextStep,
          flag: { key: `pending:${at(c.ref)}`, severity: 'warning', cls: 'pending_authorization', subject: label, amount: l.amount, currency: l.currency, message: 'pending authorisation the provider never confirmed', nextStep, refs: [l.src] },
        });
      } else {
        const nextStep = c.feeLike
          ? 'A fee line naming the provider with no parent charge on the same statement: check the statement that holds the charge, or ask the bank what it is for.'
          : "No top-up in the payment history explains this charge: download its receipt from the provider's billing page and add it to the payment history; check it was not bought for another organisation; otherwise dispute it with the bank.";
        this.setDecision(c, {
          cls: 'unmatched_card_charge',
          counterparts: [],
          reason: `${c.feeLike ? 'looks like a foreign-transaction fee but no parent charge was found; ' : ''}${this.why(c)}`,
          nextStep,
          flag: { key: `card:${at(c.ref)}`, severity: 'error', cls: 'unmatched_card_charge', subject: label, amount: l.amount, currency: l.currency, message: 'card charge to the provider not explained by any payment', nextStep, refs: [l.src] },
        });
      }
    }
    for (const p of this.pays) {
      if (!this.openPay(p)) continue;
      const r = p.p;
      const label = payLabel(p);
      if (r.kind === 'grant') {
        this.setDecision(p, { cls: 'unmatched_payment', counterparts: [], reason: 'grant (credit given by the provider): no card charge is expected and none is looked for', nextStep: null });
      } else if (r.kind === 'subscription') {
        this.setDecision(p, {
          cls: 'subscription_not_api',
          counterparts: [],
          reason: `ChatGPT plan payment, not API credit; no card line on these statements matches it; ${this.why(p)}`,
          nextStep: null,
        });
      } else if (r.status === 'refunded') {
        const nextStep = 'Check the next statement for the refund; if it never arrives, ask provider support with the reference.';
        this.setDecision(p, {
          cls: 'refund',
          counterparts: [],
          reason: `refunded payment; neither its charge nor its refund is on these statements; ${this.why(p)}`,
          nextStep,
          flag: { key: `refund-pay:${at(p.ref)}`, severity: 'warning', cls: 'refund', subject: label, amount: r.amount, currency: r.currency, message: 'payment marked refunded but no refund on the card statements', nextStep, refs: [r.src] },
        });
      } else if (NO_MONEY_STATUSES.has(r.status)) {
        // a failed or void attempt that left nothing on the card moved no money: not an exception
        this.setDecision(p, { cls: 'unmatched_payment', counterparts: [], reason: `${r.status} payment with no card line: no money moved, nothing to reconcile`, nextStep: null });
      } else if (r.status === 'pending') {
        const nextStep = 'The provider still shows this payment as pending: check again once it settles.';
        this.setDecision(p, {
          cls: 'unmatched_payment',
          counterparts: [],
          reason: `payment still pending at the provider and no card line yet; ${this.why(p)}`,
          nextStep,
          flag: { key: `pay:${at(p.ref)}`, severity: 'info', cls: 'unmatched_payment', subject: label, amount: r.amount, currency: r.currency, message: 'pending payment with no card line yet', nextStep, refs: [r.src] },
        });
      } else {
        const nextStep =
          `No card charge explains this payment: check that the statements cover ${p.date} to ${this.o.windowDaysAfter} days later` +
          (r.cardLast4 ? `, that card ${r.cardLast4} is among them` : '') +
          (r.kind === 'invoice' ? ', or whether the invoice was paid by bank transfer' : '') +
          '; add the missing statement.';
        this.setDecision(p, {
          cls: 'unmatched_payment',
          counterparts: [],
          reason: `paid, but no card line matches; ${this.why(p)}`,
          nextStep,
          flag: { key: `pay:${at(p.ref)}`, severity: 'warning', cls: 'unmatched_payment', subject: label, amount: r.amount, currency: r.currency, message: 'payment not found on the card statements', nextStep, refs: [r.src] },
        });
      }
    }
  }

  private copyToDuplicates(): void {
    for (const n of [...this.cards, ...this.pays] as Node[]) {
      const orig = n.dupOf;
      if (!orig) continue;
      if (n.side === 'card' && !this.inScope(orig as CardNode)) continue; // a repeat of a line left out is left out too
      const d = orig.decision!;
      const nextStep = 'Nothing to do: overlapping exports repeat lines; this one is counted once.';
      n.decision = {
        ...d,
        counterparts: [...d.counterparts],
        flag: {
          key: `overlap:${at(n.ref)}`,
          severity: 'info',
          cls: d.cls,
          subject: n.side === 'card' ? cardLabel(n as CardNode) : payLabel(n as PayNode),
          amount: n.side === 'card' ? (n as CardNode).line.amount : (n as PayNode).p.amount,
          currency: n.side === 'card' ? (n as CardNode).line.currency : (n as PayNode).p.currency,
          message: `identical to ${at(orig.ref)} (overlapping ${n.side === 'card' ? 'statement' : 'payment history'} files); counted once`,
          nextStep,
          refs: [n.side === 'card' ? (n as CardNode).line.src : (n as PayNode).p.src, n.side === 'card' ? (orig as CardNode).line.src : (orig as PayNode).p.src],
        },
        nextStep: d.nextStep,
        reason: `same ${n.side === 'card' ? 'line' : 'row'} as ${at(orig.ref)} in another file (overlapping exports): counted once, there, as ${d.cls}`,
      };
    }
  }

  // ----- plumbing ------------------------------------------------------------

  private setDecision(
    n: Node,
    d: Partial<Decision> & { cls: MatchClass; counterparts: SideRef[]; reason: string; nextStep: string | null; replace?: boolean },
  ): void {
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
  private optimal<R extends Node, C extends Node>(rows: R[], cols: C[], cost: (r: R, c: C) => number | null): { row: R; col: C; cost: number }[] {
    const edges: CandidateEdge[] = [];
    rows.forEach((r, i) =>
      cols.forEach((c, j) => {
        const v = cost(r, c);
        if (v !== null) edges.push({ row: i, col: j, cost: v });
      }),
    );
    return solveAssignment(rows.length, cols.length, edges, this.o.unmatchedCost).map((p) => ({ row: rows[p.row]!, col: cols[p.col]!, cost: p.cost }));
  }

  private result(): MatchResult {
    const classifications: LineClassification[] = [];
    const leftOut = new Totals();
    const cardAll = new Totals();
    const cardCounted = new Totals();
    const cardOverlap = new Totals();
    const cardSuperseded = new Totals();
    const payAll = new Totals();
    const payCounted = new Totals();
    const payOverlap = new Totals();
    const payNoMoney = new Totals();
    const classTotals = new Map<string, ClassTotal>();
    const addClass = (side: MatchSide, cls: MatchClass, currency: string, amount: Decimal) => {
      const key = `${side}|${cls}|${currency}`;
      const t = classTotals.get(key) ?? { side, class: cls, currency, count: 0, total: Decimal.ZERO };
      t.count++;
      t.total = t.total.plus(amount);
      classTotals.set(key, t);
    };
    for (const c of this.cards) {
      const l = c.line;
      const scoped = c.dupOf ? this.inScope(c.dupOf) : this.inScope(c);
      if (!scoped) {
        leftOut.add(l.currency, l.amount);
        continue;
      }
      const d = c.decision!;
      const notCounted: NotCountedReason | null = c.dupOf ? 'overlap_duplicate' : c.supersededBy ? 'superseded_pending' : null;
      cardAll.add(l.currency, l.amount);
      if (notCounted === 'overlap_duplicate') cardOverlap.add(l.currency, l.amount);
      else if (notCounted === 'superseded_pending') cardSuperseded.add(l.currency, l.amount);
      else {
        cardCounted.add(l.currency, l.amount);
        addClass('card', d.cls, l.currency, l.amount);
      }
      let reason = d.reason;
      if (c.pulledIn === 'forced') reason += ' (The description matches no provider pattern; a reviewer override pulled it in.)';
      if (!c.dupOf && c.notes.length && !reason.includes(c.notes[0]!)) reason += ` Note: ${c.notes.join('; ')}.`;
      if (l.fee && !l.fee.isZero()) reason += ` The bank printed a fee of ${money(l.fee, l.currency)} on this line (not in the amount).`;
      classifications.push(this.classification(c, d, reason, notCounted, l.amount, l.currency, l.transactionDate, l.status, l.description, l.reference, c.dupOf?.line.src ?? null));
    }
    for (const p of this.pays) {
      const r = p.p;
      const d = p.decision!;
      payAll.add(r.currency, r.amount);
      const moved = r.kind !== 'grant' && (!NO_MONEY_STATUSES.has(r.status) || d.cls === 'failed_payment_with_hold');
      const notCounted: NotCountedReason | null = p.dupOf ? 'overlap_duplicate' : moved ? null : 'no_money_moved';
      if (notCounted === 'overlap_duplicate') payOverlap.add(r.currency, r.amount);
      else if (notCounted === 'no_money_moved') payNoMoney.add(r.currency, r.amount);
      else {
        payCounted.add(r.currency, r.amount);
        addClass('payment', d.cls, r.currency, r.amount);
      }
      classifications.push(this.classification(p, d, d.reason, notCounted, r.amount, r.currency, p.date, r.status, r.description, r.reference || null, p.dupOf?.p.src ?? null));
    }

    const flags = new Map<string, Flag>();
    for (const n of [...this.cards, ...this.pays] as Node[]) {
      const f = n.decision?.flag;
      if (!f) continue;
      if (n.side === 'card' && !(n.dupOf ? this.inScope(n.dupOf as CardNode) : this.inScope(n as CardNode))) continue;
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
    for (const problem of this.overrideProblems)
      exceptions.push({ severity: 'warning', class: 'override_not_applied', subject: 'overrides', amount: null, currency: null, message: problem, nextStep: 'Fix the override (file names and line numbers as shown on the Reconciliation sheet) and run again.', refs: [] });
    exceptions.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || cmpRefs(a.refs, b.refs) || cmpStr(a.class, b.class) || cmpStr(a.message, b.message));

    const order = new Map<string, number>(MATCH_CLASSES.map((c, i) => [c, i]));
    const totals = [...classTotals.values()].sort(
      (a, b) => cmpStr(a.side, b.side) || order.get(a.class)! - order.get(b.class)! || cmpStr(a.currency, b.currency),
    );
    const fxRates: FxRateUsed[] = [...this.rates.values()]
      .sort((a, b) => cmpStr(a.from, b.from) || cmpStr(a.to, b.to))
      .map((r) => ({ from: r.from, to: r.to, rate: divideRounded(r.num, r.den, 6).normalize(), source: r.source, samples: r.samples }));
    return {
      timezone: this.o.timezone,
      classifications,
      exceptions,
      classTotals: totals,
      card: { lines: cardAll.list(), counted: cardCounted.list(), overlapDuplicates: cardOverlap.list(), supersededPending: cardSuperseded.list() },
      payments: { all: payAll.list(), counted: payCounted.list(), overlapDuplicates: payOverlap.list(), noMoneyMoved: payNoMoney.list() },
      leftOut: { count: leftOut.count(), totals: leftOut.list() },
      fxRates,
      notes: [...this.notes].sort(),
      overrides: { forced: this.forcedCount, forbidden: this.forbiddenCount, problems: [...this.overrideProblems] },
    };
  }

  private classification(
    n: Node,
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
}

// ---------------------------------------------------------------------------
// Small helpers

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

function at(ref: { file: string; line: number }): string {
  return `${ref.file}:${ref.line}`;
}

function toProv(r: SideRef): Provenance {
  return { file: r.file, line: r.line };
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

function cardLabel(c: CardNode): string {
  const l = c.line;
  return `card line ${at(c.ref)} (${l.transactionDate}, ${l.description.trim()}, ${money(l.amount, l.currency)}${l.originalAmount && l.originalCurrency ? ` = ${money(l.originalAmount, l.originalCurrency)}` : ''}${l.status !== 'posted' ? `, ${l.status}` : ''})`;
}

function payLabel(p: PayNode): string {
  const r = p.p;
  return `payment ${r.reference || '(no reference)'} (${at(p.ref)}, ${p.date}, ${money(r.amount, r.currency)}, ${r.status} ${r.kind})`;
}

function uniform(xs: (string | null)[]): string | null {
  const first = xs[0];
  return first !== undefined && first !== null && xs.every((x) => x === first) ? first : null;
}

function largest(cs: CardNode[]): CardNode {
  let best = cs[0]!;
  for (const c of cs) if (c.line.amount.abs().cmp(best.line.amount.abs()) > 0) best = c;
  return best;
}

function syntheticLine(cs: CardNode[]): Amounted {
  const cur = uniform(cs.map((c) => c.line.currency));
  const origCur = uniform(cs.map((c) => c.line.originalCurrency));
  const allOrig = cs.every((c) => c.line.originalAmount !== null);
  return {
    amount: sum(cs.map((c) => c.line.amount)),
    currency: cur ?? '',
    originalAmount: allOrig && origCur ? sum(cs.map((c) => c.line.originalAmount!)) : null,
    originalCurrency: allOrig && origCur ? origCur : null,
  };
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

function dedupeRefs(refs: Provenance[]): Provenance[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = at(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function dedupeSideRefs(refs: SideRef[]): SideRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.side}|${at(r)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function cmpRefs(a: Provenance[], b: Provenance[]): number {
  const x = a[0];
  const y = b[0];
  if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
  return cmpStr(x.file, y.file) || x.line - y.line;
}
