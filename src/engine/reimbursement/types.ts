/**
 * Reimbursement and cost allocation (SPEC §5.2): what each cost centre and cardholder paid
 * to the provider, in the currency the card was actually charged in, with the receipt that
 * proves it, and each charge split over projects by their billed usage in the period.
 *
 * Pure and deterministic: the reconciliation's classification of every provider card line
 * decides where the line goes; amounts are the card line's own (the bank's real FX) and are
 * never converted. Every provider card line lands in exactly one of three places — API
 * charges, plan subscriptions (ChatGPT, Claude.ai), not claimed — so the three add up to the provider lines of
 * the statements (`tieOut`).
 *
 * Which lines are claimed (money actually left the card, status posted, in the period):
 *   matched, matched_fx_difference     the top-up and its receipt
 *   fx_fee                             follows its parent charge (a real cost of buying the credit)
 *   refund                             negative lines reduce the total; a refunded charge stays claimed
 *   unmatched_card_charge              claimed, flagged: no receipt
 *   duplicate_charge                   claimed, flagged: the provider owes a refund
 *   failed_payment_with_hold           claimed when posted, flagged: no credit was bought
 *   subscription_not_api               a separate section, never allocated to API projects
 * Not claimed: pending lines (claim them when they post), declined/reversed attempts,
 * authorisations netted by their reversal, repeats of a line in an overlapping statement,
 * pending lines superseded by their posted twin, lines dated outside the period.
 *
 * This module: the input and result types, and the rules the workbook prints.
 */
import type { CardLine, PaymentRecord, Provenance, Severity } from '../../model.js';
import type { Decimal } from '../../money.js';
import { PROVIDERS, type ProviderId } from '../../providers.js';
import type { LocalDate } from '../../time.js';
import type { MatchClass, MatchResult } from '../matching/index.js';

// ---------------------------------------------------------------------------
// Input

/** Billed usage of one project in the period: the weight of its share of every charge. */
export interface ProjectUsage {
  /** Whose project (an OpenAI project, an Anthropic workspace); absent: the default provider's. */
  provider?: ProviderId;
  projectId: string;
  projectName: string | null;
  costCenter: string | null;
  billed: Decimal;
}

export interface CardholderConfig {
  name: string;
  costCenter?: string;
}

export interface ReimbursementInput {
  reconciliation: MatchResult;
  /** Card lines as read (for card last4, posted date and the original-currency amount). */
  cardLines: readonly CardLine[];
  /** Payments as read (receipt references and card last4 of the matched payments). */
  payments: readonly PaymentRecord[];
  /** Billed usage per project in the period; may be empty (then nothing is allocated). */
  byProject: readonly ProjectUsage[];
  /** Card last4 → cardholder. */
  cardholders: Readonly<Record<string, CardholderConfig>>;
  /** Project names and cost centres from the config (keyed as `projects` there), for projects `byProject` leaves unnamed. */
  projects?: Readonly<Record<string, { provider?: string; id?: string; name?: string; costCenter?: string }>>;
  homeCurrency: string;
  /** Currency of `byProject` billed (the cost export's); only its proportions matter. Default: homeCurrency. */
  usageCurrency?: string;
  period: { from: LocalDate; to: LocalDate; label: string; timezone: string };
}

// ---------------------------------------------------------------------------
// Result

export const UNKNOWN_CARDHOLDER = '(unknown cardholder)';
export const NO_COST_CENTRE = '(no cost centre)';
export const UNALLOCATED_PROJECT = '(unallocated)';

export type ReimbursementFlagKind =
  | 'no_receipt'
  | 'duplicate_charge'
  | 'failed_top_up_charged'
  | 'currency_not_home'
  | 'unknown_cardholder'
  | 'fx_fee'
  | 'fx_difference'
  | 'refund';

export interface ReimbursementFlag {
  kind: ReimbursementFlagKind;
  /** A few words for a cell ("No receipt", "FX fee on line 9"). */
  label: string;
  /** The whole story, for the exceptions list. */
  message: string;
}

export interface AllocationShare {
  projectId: string;
  projectName: string | null;
  /** The project's cost centre (where the cost is allocated), not the cardholder's. */
  projectCostCenter: string | null;
  amount: Decimal;
  /** Why the share is unallocated; null for a project share. */
  reason: string | null;
}

export type ChargeSection = 'api' | 'subscription';

export interface ReimbursementCharge {
  src: Provenance;
  /** The card line's provider (the reconciliation's; a fee line: its parent's). */
  provider: ProviderId;
  section: ChargeSection;
  /** Transaction date as printed on the statement. */
  date: LocalDate;
  postedDate: LocalDate | null;
  description: string;
  /** As actually charged to the card (the bank's conversion); positive = charge, negative = refund. */
  amount: Decimal;
  currency: string;
  /** The amount at the merchant, for foreign charges (information only). */
  originalAmount: Decimal | null;
  originalCurrency: string | null;
  cardLast4: string | null;
  cardholder: string;
  costCentre: string;
  class: MatchClass;
  /** References of the matched payments (the receipts), in payment order; empty when none. */
  receipts: string[];
  /** `receipts` joined for a cell; null when there is no receipt. */
  receipt: string | null;
  /** The receipt documents (display paths) of the matched payments read from receipts or invoices; empty when none. */
  receiptFiles: string[];
  /** fx_fee: the charge the fee belongs to. */
  parent: Provenance | null;
  flags: ReimbursementFlag[];
  /** API charges: shares that add up to `amount` exactly. Subscriptions: empty (never allocated). */
  shares: AllocationShare[];
}

export interface NotClaimedLine {
  src: Provenance;
  provider: ProviderId;
  date: LocalDate;
  description: string;
  amount: Decimal;
  currency: string;
  status: CardLine['status'];
  class: MatchClass;
  cardLast4: string | null;
  cardholder: string;
  costCentre: string;
  reason: string;
}

export interface CurrencyAmount {
  currency: string;
  amount: Decimal;
}

export interface CardholderGroup {
  name: string;
  /** Whether the card(s) are in `cardholders` of the config. */
  known: boolean;
  costCentre: string;
  cardLast4: string[];
  /** API charges, fees and refunds, in (currency, date, file, line) order, a fee after its charge. */
  charges: ReimbursementCharge[];
  subscriptions: ReimbursementCharge[];
  apiTotals: CurrencyAmount[];
  subscriptionTotals: CurrencyAmount[];
  totals: CurrencyAmount[];
}

export interface CostCentreGroup {
  costCentre: string;
  cardholders: CardholderGroup[];
  apiTotals: CurrencyAmount[];
  subscriptionTotals: CurrencyAmount[];
  totals: CurrencyAmount[];
}

export interface ProjectAllocationTotal {
  provider: ProviderId;
  projectId: string;
  projectName: string | null;
  projectCostCenter: string | null;
  currency: string;
  amount: Decimal;
}

export interface AllocationBasisRow {
  provider: ProviderId;
  projectId: string;
  projectName: string | null;
  projectCostCenter: string | null;
  billed: Decimal;
  /** billed / sum of billed of the same provider's projects (display only). */
  weight: number;
}

export interface ReimbursementException {
  severity: Severity;
  kind: ReimbursementFlagKind;
  cardholder: string;
  costCentre: string;
  /** The charge concerned (the first one, when `count` > 1). */
  src: Provenance;
  date: LocalDate;
  description: string;
  /** Sum over the charges concerned. */
  amount: Decimal;
  currency: string;
  /** Charges concerned: 1, except for an unknown card or a foreign currency (one exception per card and currency). */
  count: number;
  message: string;
  nextStep: string;
}

export interface ReimbursementTieOut {
  currency: string;
  /** Every provider line of the statements (all copies), as the reconciliation counts them. */
  providerLines: Decimal;
  api: Decimal;
  subscriptions: Decimal;
  notClaimed: Decimal;
  /** providerLines − (api + subscriptions + notClaimed): always zero. */
  difference: Decimal;
}

export interface ReimbursementResult {
  period: ReimbursementInput['period'];
  homeCurrency: string;
  /** Currency of `allocationBasis` billed. */
  usageCurrency: string;
  /** The weights the API charges were split by (projects with billed usage > 0), per provider (a charge uses its own provider's), in provider then project-id order. */
  allocationBasis: AllocationBasisRow[];
  /** Why charges were not allocated to projects (no usage); null when they were. */
  unallocatedReason: string | null;
  costCentres: CostCentreGroup[];
  notClaimed: NotClaimedLine[];
  projectTotals: ProjectAllocationTotal[];
  apiTotals: CurrencyAmount[];
  subscriptionTotals: CurrencyAmount[];
  tieOut: ReimbursementTieOut[];
  exceptions: ReimbursementException[];
  rules: readonly string[];
}

export const REIMBURSEMENT_RULES: readonly string[] = [
  'Amounts are as actually charged to the card, in the card’s currency (the bank’s own conversion); nothing is converted. A card in another currency than the home currency is flagged.',
  'Claimed: posted provider lines dated in the period that the reconciliation classed as matched top-ups (with or without an FX difference), their foreign-transaction fees, refunds (negative, they reduce the total), charges with no receipt, duplicate charges and charges for failed top-ups (the last three flagged).',
  'Not claimed: pending lines (claim them once posted), declined or reversed attempts, authorisations netted by their reversal, repeats of a line in an overlapping statement, pending lines replaced by their posted twin, and lines dated outside the period.',
  `Plan subscription charges (${PROVIDERS.map((p) => p.planProduct).join(', ')}) on the same cards are listed separately: they are not API credit and are not allocated to projects.`,
  'Each API charge is split over the projects of its own provider in proportion to their billed usage in the period (cost export), by largest remainder to the currency’s minor unit, so the shares add up to the charge exactly. Without billed usage the whole charge is one unallocated share.',
  'The receipt is the reference of the payment the charge was matched to; a foreign-transaction fee carries the receipt of its charge.',
  'The cardholder comes from the card’s last four digits (on the statement line, else on the matched payment) looked up in the configured cardholders; the cost centre is the cardholder’s.',
];
