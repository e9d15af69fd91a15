/** The credit ledger's input and result (SPEC §4.4), and the rules the workbook prints. */
import type { Decimal } from '../../money.js';
import type { Exception, PaymentRecord, Provenance } from '../../model.js';
import { PROVIDERS } from '../../providers.js';
import type { EpochSeconds, LocalDate, Period } from '../../time.js';

// ---------------------------------------------------------------------------
// Input

export interface OpeningBalance {
  amount: Decimal;
  /** The balance at the start of this local date, before that day's top-ups and usage. */
  date: LocalDate;
  /** Omitted/null: the organisation of records that name none (see `defaultOrganization`). */
  organization?: string | null;
  /** When the part of the opening balance not traced to known purchases expires; never if omitted. */
  expiresOn?: LocalDate | null;
  /** The provider whose credit it is; default DEFAULT_PROVIDER (src/providers.ts). */
  provider?: string;
}

/** Billed usage of one organisation on one local date (summed by the caller from the cost export). */
export interface DailyUsage {
  /** The provider billed; default DEFAULT_PROVIDER. */
  provider?: string;
  organization: string | null;
  date: LocalDate;
  amount: Decimal;
  refs?: Provenance[];
}

/** The balance the provider's dashboard shows. */
export interface ReportedClosingBalance {
  amount: Decimal;
  /** End of this local date; default: the period end. */
  date?: LocalDate;
  /** The organisation it belongs to; default: the only one, or the sum of all. */
  organization?: string | null;
  /** The provider whose dashboard shows it; default: the only provider in the ledger, else DEFAULT_PROVIDER. */
  provider?: string;
}

export interface LedgerInput {
  /** Reporting zone: payments are placed on `localDateOf(paidAt, timezone)`. Must equal `period.timezone`. */
  timezone: string;
  period: Period;
  /** Ledger currency; payments in another currency are left out and flagged. Default USD. */
  currency?: string;
  openingBalance?: OpeningBalance | readonly OpeningBalance[];
  /** May include payments before the period (and before the opening date) so lots and expiries are right. */
  payments: readonly PaymentRecord[];
  usage: readonly DailyUsage[];
  /** Per organisation and calendar month (local date) of the auto-recharge charges. */
  autoRechargeMonthlyLimit?: Decimal;
  closingBalanceReported?: ReportedClosingBalance;
  /** A reported closing within this of the computed one matches. Default 0.01 (the dashboard shows cents). */
  closingTolerance?: Decimal;
  /** Date of the forward look at expiring credit (end of that day). Default: the period end. */
  asOf?: LocalDate;
  /** Months a purchased lot stays valid, for every provider. Default: each provider's `creditExpiryMonths`. */
  creditValidityMonths?: number;
  /** Months a grant stays valid. Default 12 (assumed like purchases unless configured). */
  grantValidityMonths?: number;
  /** Organisation for records that name none. Default: the only organisation named anywhere, if exactly one. */
  defaultOrganization?: string;
}

// ---------------------------------------------------------------------------
// Result

export type LotKind = 'manual' | 'auto_recharge' | 'invoice' | 'grant' | 'opening' | 'usage_credit';

/** One purchase or grant of credit, as it stands at the end of the period. */
export interface Lot {
  id: string;
  organization: string | null;
  kind: LotKind;
  reference: string | null;
  /** Local purchase date; null for the part of an opening balance of unknown purchase date. */
  purchasedOn: LocalDate | null;
  paidAt: EpochSeconds | null;
  /** The amount bought or granted. */
  purchased: Decimal;
  /**
   * What the lot held when the roll-forward took it in: `purchased` for lots bought during
   * the roll, the inferred unused part for lots bought before the opening-balance date.
   */
  carriedIn: Decimal;
  /** Part of the purchase that paid off a negative balance when it arrived. */
  appliedToDebt: Decimal;
  /** Drawn by usage. */
  consumed: Decimal;
  expired: Decimal;
  /** carriedIn = appliedToDebt + consumed + expired + remaining. */
  remaining: Decimal;
  /** First local date on which the lot can no longer be used; null: never expires. */
  expiresOn: LocalDate | null;
  src: Provenance | null;
}

export interface LedgerDay {
  date: LocalDate;
  organization: string | null;
  opening: Decimal;
  /** topUps + grants. */
  in: Decimal;
  topUps: Decimal;
  grants: Decimal;
  /** Billed usage of the day (negative when the day's billing was a credit). */
  out: Decimal;
  expired: Decimal;
  /** closing = opening + in − out − expired. */
  closing: Decimal;
  /** Sum of unused lots at the end of the day. */
  available: Decimal;
  /** Negative balance owed at the end of the day (≥ 0); closing = available − debt. */
  debt: Decimal;
  events: string[];
}

export type LedgerEventKind =
  | 'opening_balance'
  | 'top_up'
  | 'grant'
  | 'top_up_paid_debt'
  | 'balance_negative'
  | 'usage_credit'
  | 'credit_expired'
  | 'auto_recharge_limit_reached'
  | 'auto_recharge_over_limit'
  | 'auto_recharge_declined'
  | 'payment_ignored';

export interface LedgerEvent {
  date: LocalDate;
  organization: string | null;
  kind: LedgerEventKind;
  amount: Decimal | null;
  message: string;
  refs: Provenance[];
}

export interface ExpiringLot {
  lotId: string;
  organization: string | null;
  reference: string | null;
  kind: LotKind;
  purchasedOn: LocalDate | null;
  expiresOn: LocalDate;
  /** Unused at the end of `asOf`; expires unless used first. */
  amount: Decimal;
  src: Provenance | null;
}

export interface ExpiringWindow<L = ExpiringLot> {
  days: number;
  /** Last date of the window (asOf + days), inclusive. */
  until: LocalDate;
  amount: Decimal;
  lots: L[];
}

export interface ExpiringSoon<L = ExpiringLot> {
  asOf: LocalDate;
  within30: ExpiringWindow<L>;
  within60: ExpiringWindow<L>;
  within90: ExpiringWindow<L>;
}

export interface OrganizationClosing {
  organization: string | null;
  /** End of the period. */
  balance: Decimal;
  available: Decimal;
  debt: Decimal;
  /** First local date rolled (opening-balance date or first record). */
  rolledFrom: LocalDate;
}

export interface ClosingCheck {
  date: LocalDate;
  /** The organisations whose computed balances were summed (one, unless the report named none). */
  organizations: (string | null)[];
  reported: Decimal;
  computed: Decimal;
  /** reported − computed. */
  difference: Decimal;
  matches: boolean;
  likelyCauses: string[];
}

export interface AutoRechargeMonth {
  organization: string | null;
  /** `YYYY-MM` of the local dates. */
  month: string;
  limit: Decimal | null;
  /** Paid auto-recharge charges in the month. */
  total: Decimal;
  count: number;
  reachedOn: LocalDate | null;
  /** Paid auto top-ups that took the month's total beyond the limit. */
  overLimit: { reference: string; date: LocalDate; amount: Decimal; src: Provenance }[];
}

export type IgnoreReason =
  | 'subscription_not_api_credit'
  | 'refunded'
  | 'failed'
  | 'pending'
  | 'void'
  | 'other_currency'
  | 'not_positive'
  | 'after_ledger_end'
  | 'before_opening_balance'
  | 'used_before_opening_balance'
  | 'expired_before_opening_balance';

export const IGNORE_REASONS: readonly IgnoreReason[] = [
  'subscription_not_api_credit',
  'refunded',
  'failed',
  'pending',
  'void',
  'other_currency',
  'not_positive',
  'after_ledger_end',
  'before_opening_balance',
  'used_before_opening_balance',
  'expired_before_opening_balance',
];

/** A payment or usage amount that did not enter the roll-forward, and why. */
export interface IgnoredItem {
  what: 'payment' | 'usage';
  reason: IgnoreReason;
  date: LocalDate;
  organization: string | null;
  amount: Decimal;
  reference: string | null;
  refs: Provenance[];
}

/** One provider's ledger: its organisations rolled as if it were the only provider. */
export interface ProviderLedger {
  period: { from: LocalDate; to: LocalDate; timezone: string };
  currency: string;
  organizations: (string | null)[];
  days: LedgerDay[];
  lots: Lot[];
  events: LedgerEvent[];
  expiringSoon: ExpiringSoon;
  closing: OrganizationClosing[];
  closingCheck?: ClosingCheck;
  autoRecharge: AutoRechargeMonth[];
  ignored: IgnoredItem[];
  ignoredCounts: Record<IgnoreReason, number>;
  exceptions: Exception[];
  rules: readonly string[];
}

/** The providers' consumer plans by name, for the rule text (no provider named in code). */
const PLAN_PRODUCTS = PROVIDERS.map((p) => p.planProduct).join(', ');

/** A ledger record tagged with the provider whose credit it is. */
export type OfProvider<T> = T & { provider: string };

/**
 * The ledger of every provider: each (provider, organisation) rolled separately, the records
 * of all of them in one list each, tagged with their provider (`organizations` lists each
 * name once; a (provider, organisation) pair is an account, see `accounts`).
 */
export interface LedgerResult extends Omit<ProviderLedger, 'days' | 'lots' | 'events' | 'expiringSoon' | 'closing' | 'closingCheck' | 'autoRecharge' | 'ignored'> {
  /** Provider ids the ledger rolled, in order. */
  providers: string[];
  accounts: { provider: string; organization: string | null }[];
  days: OfProvider<LedgerDay>[];
  lots: OfProvider<Lot>[];
  events: OfProvider<LedgerEvent>[];
  expiringSoon: ExpiringSoon<OfProvider<ExpiringLot>>;
  closing: OfProvider<OrganizationClosing>[];
  closingCheck?: OfProvider<ClosingCheck>;
  autoRecharge: OfProvider<AutoRechargeMonth>[];
  ignored: OfProvider<IgnoredItem>[];
}

export const LEDGER_RULES: readonly string[] = [
  'A payment is placed on the local date (reporting time zone) of its paid-at instant; usage on the local date the cost export was placed on.',
  'Within a day: credit expiring that day expires first, then top-ups and grants in time order, then the day’s billed usage (the cost export has no time of day).',
  `Only paid manual, auto-recharge and invoice payments add purchased credit; paid grants add granted credit. Plan subscriptions (${PLAN_PRODUCTS}) never add API credit. Failed, pending, void and refunded payments add nothing (a refunded payment is treated as never credited).`,
  'Credit is used oldest first (one lot per purchase or grant). Usage beyond all credit makes the balance negative; the next top-up pays that first and only the rest becomes available.',
  'A lot expires on the same local date one year (12 months) after purchase, at the start of that day; a lot bought on 29 February expires on 28 February. Grants are assumed to expire like purchases unless configured.',
  'An opening balance is the balance at the start of its date. Payments before that date are taken as the newest credit still unused (oldest-first use leaves the newest), so their expiries are kept; any rest of the opening balance has an unknown purchase date and never expires unless an expiry date is configured.',
  'Without an opening balance the ledger starts at zero on the earliest payment or usage date given (or the period start), so the payment history and usage must go back to the first top-up for the balance to be right.',
  'The auto-recharge limit applies per organisation and calendar month (local dates) to paid auto-recharge charges.',
];
