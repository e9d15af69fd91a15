/** The classes and the result of payment ↔ card-line matching (SPEC §4.3): what the stages produce. */
import type { Exception, Provenance } from '../../model.js';
import type { Decimal } from '../../money.js';
import type { ProviderId } from '../../providers.js';
import type { LocalDate } from '../../time.js';

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
  /** The payment's provider, or the line's (by descriptor; a fee line no descriptor names: its parent's); null only for a forced line grouped with nothing that has one. */
  provider: ProviderId | null;
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
