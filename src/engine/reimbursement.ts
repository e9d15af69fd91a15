/**
 * Reimbursement and cost allocation (SPEC §5.2): what each cost centre and cardholder paid
 * to the provider, in the currency the card was actually charged in, with the receipt that
 * proves it, and each charge split over projects by their billed usage in the period.
 *
 * Pure and deterministic: the reconciliation's classification of every provider card line
 * decides where the line goes; amounts are the card line's own (the bank's real FX) and are
 * never converted. Every provider card line lands in exactly one of three places — API
 * charges, ChatGPT subscriptions, not claimed — so the three add up to the provider lines of
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
 */
import type { CardLine, PaymentRecord, Provenance, Severity } from '../model.js';
import { allocateByWeight, Decimal, ratio } from '../money.js';
import type { LocalDate } from '../time.js';
import type { LineClassification, MatchClass, MatchResult, SideRef } from './matching/index.js';

// ---------------------------------------------------------------------------
// Input

/** Billed usage of one project in the period: the weight of its share of every charge. */
export interface ProjectUsage {
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
  /** Project names and cost centres from the config, for projects `byProject` leaves unnamed. */
  projects?: Readonly<Record<string, { name?: string; costCenter?: string }>>;
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
  /** fx_fee: the charge the fee belongs to. */
  parent: Provenance | null;
  flags: ReimbursementFlag[];
  /** API charges: shares that add up to `amount` exactly. Subscriptions: empty (never allocated). */
  shares: AllocationShare[];
}

export interface NotClaimedLine {
  src: Provenance;
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
  projectId: string;
  projectName: string | null;
  projectCostCenter: string | null;
  currency: string;
  amount: Decimal;
}

export interface AllocationBasisRow {
  projectId: string;
  projectName: string | null;
  projectCostCenter: string | null;
  billed: Decimal;
  /** billed / sum of billed (display only). */
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
  /** The weights every API charge was split by (projects with billed usage > 0), in project-id order. */
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
  'ChatGPT subscription charges on the same cards are listed separately: they are not API credit and are not allocated to projects.',
  'Each API charge is split over projects in proportion to their billed usage in the period (cost export), by largest remainder to the currency’s minor unit, so the shares add up to the charge exactly. Without billed usage the whole charge is one unallocated share.',
  'The receipt is the reference of the payment the charge was matched to; a foreign-transaction fee carries the receipt of its charge.',
  'The cardholder comes from the card’s last four digits (on the statement line, else on the matched payment) looked up in the configured cardholders; the cost centre is the cardholder’s.',
];

// ---------------------------------------------------------------------------
// Currency minor units

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'PYG', 'UGX', 'XAF', 'XOF']);
const THREE_DECIMAL = new Set(['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

/** Decimals of the currency's minor unit (ISO 4217): 0 for JPY/KRW, 3 for KWD/BHD/OMR/JOD/TND, else 2. */
export function minorUnits(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

// ---------------------------------------------------------------------------
// Small helpers

const key = (r: { file: string; line: number }): string => `${r.file}\u0000${r.line}`;
const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const at = (r: { file: string; line: number }): string => `${r.file}:${r.line}`;

/** Cents when the amount is whole cents, every digit otherwise: a message never hides a digit. */
function money(d: Decimal, currency: string): string {
  const n = d.normalize();
  return `${n.scale <= minorUnits(currency) ? d.toDisplay(minorUnits(currency)) : n.toString()} ${currency}`;
}

function addTo(list: CurrencyAmount[], currency: string, amount: Decimal): void {
  const t = list.find((x) => x.currency === currency);
  if (t) t.amount = t.amount.plus(amount);
  else list.push({ currency, amount });
}

/** Home currency first, then alphabetical. */
function sortTotals(list: CurrencyAmount[], home: string): CurrencyAmount[] {
  return list.sort((a, b) => (a.currency === home ? -1 : b.currency === home ? 1 : cmpStr(a.currency, b.currency)));
}

/** "(…)" labels (unknown cardholder, no cost centre) sort after real names. */
function cmpLabel(a: string, b: string): number {
  const pa = a.startsWith('(');
  const pb = b.startsWith('(');
  if (pa !== pb) return pa ? 1 : -1;
  return cmpStr(a, b);
}

type Placement = { where: 'api' | 'subscription' } | { where: 'not_claimed'; reason: string };

// ---------------------------------------------------------------------------
// The workbook's content

export function buildReimbursement(input: ReimbursementInput): ReimbursementResult {
  const home = input.homeCurrency.toUpperCase();
  const { period } = input;
  const lineByKey = new Map(input.cardLines.map((l) => [key(l.src), l]));
  const payByKey = new Map(input.payments.map((p) => [key(p.src), p]));
  const cards = input.reconciliation.classifications.filter((c) => c.side === 'card');
  const classByKey = new Map(cards.map((c) => [key(c.src), c]));

  // --- allocation weights: projects with billed usage > 0, in id order (ties of the split go to the earlier)
  const cfgProjects = input.projects ?? {};
  const positive = input.byProject.filter((p) => p.billed.sign() > 0).sort((a, b) => cmpStr(a.projectId, b.projectId));
  const billedSum = positive.reduce((s, p) => s.plus(p.billed), Decimal.ZERO);
  const allocationBasis: AllocationBasisRow[] = positive.map((p) => ({
    projectId: p.projectId,
    projectName: p.projectName ?? cfgProjects[p.projectId]?.name ?? null,
    projectCostCenter: p.costCenter ?? cfgProjects[p.projectId]?.costCenter ?? null,
    billed: p.billed,
    weight: ratio(p.billed, billedSum) ?? 0,
  }));
  let unallocatedReason: string | null = null;
  if (positive.length === 0) {
    unallocatedReason =
      input.byProject.length === 0
        ? 'no billed usage to allocate by: no cost export for the period was given'
        : 'no project has billed usage above zero in the period, so there is nothing to allocate by';
  }

  // --- where each provider card line goes
  const placements = new Map<string, Placement>();
  const placeOf = (c: LineClassification, depth = 0): Placement => {
    const k = key(c.src);
    const known = placements.get(k);
    if (known) return known;
    const p = decidePlacement(c, lineByKey.get(k), period, depth, (ref) => {
      const parent = classByKey.get(key(ref));
      return parent && depth < 3 ? { c: parent, placement: placeOf(parent, depth + 1) } : null;
    });
    placements.set(k, p);
    return p;
  };

  // --- cardholder of each line: its own card, else its payments', else its counterpart lines',
  // else the one card every other line of the same statement file points to (a card export
  // without a card column, where an unexplained charge has no payment to name its card)
  let fileCard: Map<string, string | null> | null = null;
  const cardOfFile = (file: string): string | null => {
    if (!fileCard) {
      const seen = new Map<string, Set<string>>();
      for (const x of input.reconciliation.classifications) {
        if (x.side !== 'card') continue;
        const l4 = directLast4(x);
        if (!l4) continue;
        const set = seen.get(x.src.file) ?? new Set<string>();
        set.add(l4);
        seen.set(x.src.file, set);
      }
      fileCard = new Map([...seen].map(([f, set]) => [f, set.size === 1 ? [...set][0]! : null]));
    }
    return fileCard.get(file) ?? null;
  };
  const last4Of = (c: LineClassification): string | null => directLast4(c) ?? cardOfFile(c.src.file);
  const directLast4 = (c: LineClassification): string | null => {
    const own = lineByKey.get(key(c.src))?.cardLast4 ?? null;
    if (own) return own;
    const fromPayments = (refs: SideRef[]): string | null => {
      for (const r of refs) {
        if (r.side !== 'payment') continue;
        const l4 = payByKey.get(key(r))?.cardLast4;
        if (l4) return l4;
      }
      return null;
    };
    const direct = fromPayments(c.counterparts);
    if (direct) return direct;
    for (const r of c.counterparts) {
      if (r.side !== 'card') continue;
      const l4 = lineByKey.get(key(r))?.cardLast4;
      if (l4) return l4;
      const other = classByKey.get(key(r));
      const viaPayments = other ? fromPayments(other.counterparts) : null;
      if (viaPayments) return viaPayments;
    }
    return null;
  };
  const holderOf = (last4: string | null): { name: string; costCentre: string; known: boolean } => {
    const h = last4 === null ? undefined : input.cardholders[last4];
    if (!h) return { name: UNKNOWN_CARDHOLDER, costCentre: NO_COST_CENTRE, known: false };
    return { name: h.name, costCentre: h.costCenter ?? NO_COST_CENTRE, known: true };
  };

  const charges: ReimbursementCharge[] = [];
  const notClaimed: NotClaimedLine[] = [];
  const exceptions: ReimbursementException[] = [];
  const tie = new Map<string, ReimbursementTieOut>();
  const tieOf = (currency: string): ReimbursementTieOut => {
    let t = tie.get(currency);
    if (!t) tie.set(currency, (t = { currency, providerLines: Decimal.ZERO, api: Decimal.ZERO, subscriptions: Decimal.ZERO, notClaimed: Decimal.ZERO, difference: Decimal.ZERO }));
    return t;
  };

  for (const c of cards) {
    const line = lineByKey.get(key(c.src));
    const last4 = last4Of(c);
    const holder = holderOf(last4);
    const placement = placeOf(c);
    const t = tieOf(c.currency);
    t.providerLines = t.providerLines.plus(c.amount);
    if (placement.where === 'not_claimed') {
      t.notClaimed = t.notClaimed.plus(c.amount);
      notClaimed.push({
        src: c.src,
        date: c.date,
        description: c.description,
        amount: c.amount,
        currency: c.currency,
        status: line?.status ?? (c.status as CardLine['status']),
        class: c.class,
        cardLast4: last4,
        cardholder: holder.name,
        costCentre: holder.costCentre,
        reason: placement.reason,
      });
      continue;
    }
    if (placement.where === 'api') t.api = t.api.plus(c.amount);
    else t.subscriptions = t.subscriptions.plus(c.amount);

    const payRefs = c.counterparts.filter((r) => r.side === 'payment').map((r) => payByKey.get(key(r))).filter((p): p is PaymentRecord => p !== undefined);
    const parentRef = c.class === 'fx_fee' ? (c.counterparts.find((r) => r.side === 'card') ?? null) : null;
    const flags: ReimbursementFlag[] = [];
    const flag = (kind: ReimbursementFlagKind, label: string, message: string): void => {
      flags.push({ kind, label, message });
    };
    const near = (r: { file: string; line: number }): string => (r.file === c.src.file ? `line ${r.line}` : at(r));
    let receipts: string[] = [];
    switch (c.class) {
      case 'matched':
      case 'subscription_not_api':
        receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
        break;
      case 'matched_fx_difference': {
        receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
        const d = c.difference;
        if (d) {
          const word = d.amount.sign() >= 0 ? 'more' : 'less';
          flag('fx_difference', `${money(d.amount.abs(), d.currency)} ${word} than the receipt`, `the card was charged ${money(d.amount.abs(), d.currency)} ${word} than the receipt (${d.basis}); the card amount is what is claimed`);
        } else flag('fx_difference', 'differs from the receipt', 'the card amount differs from the receipt; the card amount is what is claimed');
        break;
      }
      case 'fx_fee':
        receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
        flag('fx_fee', `FX fee on ${parentRef ? near(parentRef) : 'a charge'}`, `bank foreign-transaction fee on the charge ${parentRef ? at(parentRef) : '(not found)'}; it carries that charge's receipt`);
        break;
      case 'refund': {
        receipts = payRefs.map((p) => p.reference).filter((r) => r !== '');
        const refunded = receipts.join(', ') || 'the payment';
        const refundLine = c.counterparts.find((r) => r.side === 'card' && (classByKey.get(key(r))?.amount.sign() ?? 0) < 0);
        if (c.amount.sign() < 0) {
          if (receipts.length) flag('refund', 'Refund', `refund of ${refunded}: reduces the total`);
          else flag('refund', 'Refund, not in the payment history', 'refund or credit from the provider with no refunded payment in the history: reduces the total');
        } else if (refundLine) {
          flag('refund', `Refunded on ${near(refundLine)}`, `the provider marked ${refunded} refunded; the refund is ${at(refundLine)}`);
        } else {
          flag('refund', 'Refunded, refund not on the statement yet', `the provider marked ${refunded} refunded; the refund is not on these statements yet`);
        }
        if (c.amount.sign() > 0 && receipts.length === 0) flag('no_receipt', 'No receipt', 'no payment in the history explains this charge');
        break;
      }
      case 'duplicate_charge': {
        const anchor = c.counterparts.find((r) => r.side === 'card');
        const refs = payRefs.map((p) => p.reference).filter((r) => r !== '');
        const first = [anchor ? `the first charge is ${at(anchor)}` : '', refs.length ? `receipt ${refs.join(', ')}` : ''].filter((x) => x).join(', ');
        flag('duplicate_charge', `Duplicate${anchor ? ` of ${near(anchor)}` : ''}: refund due`, `charged again for one payment${first ? ` (${first})` : ''}: ask the provider or the bank for a refund`);
        break;
      }
      case 'failed_payment_with_hold': {
        const refs = payRefs.map((p) => `${p.reference || at(p.src)} (${p.status})`);
        flag('failed_top_up_charged', 'Failed top-up charged: refund due', `the bank posted a charge for a top-up the provider recorded as failed${refs.length ? `: ${refs.join(', ')}` : ''}; no credit was bought, ask the provider for a refund`);
        break;
      }
      case 'unmatched_card_charge':
        flag('no_receipt', 'No receipt', 'no payment in the history explains this charge: add its receipt from the billing page');
        break;
      default:
        break;
    }
    if (c.currency.toUpperCase() !== home) {
      flag('currency_not_home', `Charged in ${c.currency}, not ${home}`, `charged in ${c.currency}, not the home currency ${home}; shown as charged, not converted`);
    }
    if (!holder.known) {
      flag(
        'unknown_cardholder',
        last4 ? `Unknown card ${last4}` : 'Unknown card',
        last4 ? `card ${last4} is not among the configured cardholders` : 'the card is not known (no last four digits on the line or its payment)',
      );
    }

    const section: ChargeSection = placement.where;
    const shares = section === 'api' ? allocate(c.amount, c.currency, allocationBasis, unallocatedReason) : [];
    const charge: ReimbursementCharge = {
      src: c.src,
      section,
      date: c.date,
      postedDate: line?.postedDate ?? null,
      description: c.description,
      amount: c.amount,
      currency: c.currency,
      originalAmount: line?.originalAmount ?? null,
      originalCurrency: line?.originalCurrency ?? null,
      cardLast4: last4,
      cardholder: holder.name,
      costCentre: holder.costCentre,
      class: c.class,
      receipts,
      receipt: receipts.length ? receipts.join(', ') : null,
      parent: parentRef ? { file: parentRef.file, line: parentRef.line } : null,
      flags,
      shares,
    };
    charges.push(charge);
    for (const f of flags) {
      const ex = PER_CARD.has(f.kind) ? null : exceptionFor(f, charge);
      if (ex) exceptions.push(ex);
    }
  }
  exceptions.push(...perCardExceptions(charges));
  for (const t of tie.values()) t.difference = t.providerLines.minus(t.api.plus(t.subscriptions).plus(t.notClaimed));

  // --- order: a fee right after its charge; charges by (currency, date, file, line)
  const sortKey = new Map<string, [string, string, string, number, number]>();
  const chargeByKey = new Map(charges.map((ch) => [key(ch.src), ch]));
  for (const ch of charges) {
    const parent = ch.parent ? chargeByKey.get(key(ch.parent)) : undefined;
    const base = parent ?? ch;
    sortKey.set(key(ch.src), [base.currency === home ? '' : base.currency, base.date, base.src.file, base.src.line, parent ? 1 : 0]);
  }
  const cmpCharge = (a: ReimbursementCharge, b: ReimbursementCharge): number => {
    const ka = sortKey.get(key(a.src))!;
    const kb = sortKey.get(key(b.src))!;
    return cmpStr(ka[0], kb[0]) || cmpStr(ka[1], kb[1]) || cmpStr(ka[2], kb[2]) || ka[3] - kb[3] || ka[4] - kb[4] || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line;
  };

  // --- groups: cost centre → cardholder
  const centres = new Map<string, CostCentreGroup>();
  const holders = new Map<string, CardholderGroup>();
  for (const ch of charges) {
    let cc = centres.get(ch.costCentre);
    if (!cc) centres.set(ch.costCentre, (cc = { costCentre: ch.costCentre, cardholders: [], apiTotals: [], subscriptionTotals: [], totals: [] }));
    const hk = `${ch.costCentre}\u0000${ch.cardholder}`;
    let h = holders.get(hk);
    if (!h) {
      h = { name: ch.cardholder, known: ch.cardholder !== UNKNOWN_CARDHOLDER, costCentre: ch.costCentre, cardLast4: [], charges: [], subscriptions: [], apiTotals: [], subscriptionTotals: [], totals: [] };
      holders.set(hk, h);
      cc.cardholders.push(h);
    }
    if (ch.cardLast4 && !h.cardLast4.includes(ch.cardLast4)) h.cardLast4.push(ch.cardLast4);
    (ch.section === 'api' ? h.charges : h.subscriptions).push(ch);
    for (const target of [h, cc]) {
      addTo(ch.section === 'api' ? target.apiTotals : target.subscriptionTotals, ch.currency, ch.amount);
      addTo(target.totals, ch.currency, ch.amount);
    }
  }
  const costCentres = [...centres.values()].sort((a, b) => cmpLabel(a.costCentre, b.costCentre));
  for (const cc of costCentres) {
    cc.cardholders.sort((a, b) => cmpLabel(a.name, b.name));
    for (const h of cc.cardholders) {
      h.cardLast4.sort();
      h.charges.sort(cmpCharge);
      h.subscriptions.sort(cmpCharge);
      sortTotals(h.apiTotals, home);
      sortTotals(h.subscriptionTotals, home);
      sortTotals(h.totals, home);
    }
    sortTotals(cc.apiTotals, home);
    sortTotals(cc.subscriptionTotals, home);
    sortTotals(cc.totals, home);
  }

  // --- totals
  const apiTotals: CurrencyAmount[] = [];
  const subscriptionTotals: CurrencyAmount[] = [];
  const projectTotals = new Map<string, ProjectAllocationTotal>();
  for (const ch of charges) {
    addTo(ch.section === 'api' ? apiTotals : subscriptionTotals, ch.currency, ch.amount);
    for (const s of ch.shares) {
      const pk = `${s.projectId}\u0000${ch.currency}`;
      const p = projectTotals.get(pk);
      if (p) p.amount = p.amount.plus(s.amount);
      else projectTotals.set(pk, { projectId: s.projectId, projectName: s.projectName, projectCostCenter: s.projectCostCenter, currency: ch.currency, amount: s.amount });
    }
  }
  const basisOrder = new Map(allocationBasis.map((b, i) => [b.projectId, i]));
  const sevRank = { error: 0, warning: 1, info: 2 } as const;
  notClaimed.sort((a, b) => cmpStr(a.date, b.date) || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line);
  exceptions.sort(
    (a, b) => sevRank[a.severity] - sevRank[b.severity] || cmpStr(a.kind, b.kind) || cmpStr(a.date, b.date) || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line,
  );
  return {
    period,
    homeCurrency: home,
    usageCurrency: (input.usageCurrency ?? home).toUpperCase(),
    allocationBasis,
    unallocatedReason,
    costCentres,
    notClaimed,
    projectTotals: [...projectTotals.values()].sort(
      (a, b) => (a.currency === home ? 0 : 1) - (b.currency === home ? 0 : 1) || cmpStr(a.currency, b.currency) || (basisOrder.get(a.projectId) ?? 1e9) - (basisOrder.get(b.projectId) ?? 1e9) || cmpStr(a.projectId, b.projectId),
    ),
    apiTotals: sortTotals(apiTotals, home),
    subscriptionTotals: sortTotals(subscriptionTotals, home),
    tieOut: [...tie.values()].sort((a, b) => (a.currency === home ? -1 : b.currency === home ? 1 : cmpStr(a.currency, b.currency))),
    exceptions,
    rules: REIMBURSEMENT_RULES,
  };
}

/** Shares of one charge, largest remainder at the currency's minor unit (or the amount's finer scale). */
export function allocate(amount: Decimal, currency: string, basis: readonly AllocationBasisRow[], unallocatedReason: string | null): AllocationShare[] {
  if (basis.length === 0) {
    return [{ projectId: UNALLOCATED_PROJECT, projectName: null, projectCostCenter: null, amount, reason: unallocatedReason ?? 'no billed usage to allocate by' }];
  }
  const scale = Math.max(minorUnits(currency), amount.normalize().scale);
  const parts = allocateByWeight(amount, basis.map((b) => b.billed), scale);
  return basis.map((b, i) => ({ projectId: b.projectId, projectName: b.projectName, projectCostCenter: b.projectCostCenter, amount: parts[i]!, reason: null }));
}

/** Where one provider card line goes; `parentOf` resolves a fee's parent charge. */
function decidePlacement(
  c: LineClassification,
  line: CardLine | undefined,
  period: { from: LocalDate; to: LocalDate },
  depth: number,
  parentOf: (ref: SideRef) => { c: LineClassification; placement: Placement } | null,
): Placement {
  const status = line?.status ?? c.status;
  if (c.notCounted === 'overlap_duplicate') {
    return { where: 'not_claimed', reason: `repeat of ${c.duplicateOf ? at(c.duplicateOf) : 'a line'} in an overlapping statement: claimed once, there` };
  }
  if (c.notCounted === 'superseded_pending') {
    const twin = c.counterparts.find((r) => r.side === 'card');
    return { where: 'not_claimed', reason: `pending authorisation later posted${twin ? ` as ${at(twin)}` : ''}: the posted line is the one claimed` };
  }
  if (c.date < period.from || c.date > period.to) {
    return { where: 'not_claimed', reason: `dated ${c.date}, outside the period ${period.from} to ${period.to}: claim it with its own period` };
  }
  if (status === 'declined' || status === 'reversed') {
    return { where: 'not_claimed', reason: `the bank shows this attempt as ${status}: no money moved` };
  }
  if (c.class === 'authorization_reversed') {
    return { where: 'not_claimed', reason: 'authorisation and its reversal net to zero: no money moved' };
  }
  if (status === 'pending') {
    return { where: 'not_claimed', reason: 'still pending at the bank: claim it once it posts' };
  }
  if (c.class === 'fx_fee') {
    const parentRef = c.counterparts.find((r) => r.side === 'card');
    const parent = parentRef && depth < 3 ? parentOf(parentRef) : null;
    if (parent && parent.placement.where === 'not_claimed') {
      return { where: 'not_claimed', reason: `fee on ${at(parentRef!)}, which is not claimed (${parent.placement.reason})` };
    }
    if (parent && parent.placement.where === 'subscription') return { where: 'subscription' };
    return { where: 'api' };
  }
  if (c.class === 'subscription_not_api') return { where: 'subscription' };
  if (c.class === 'pending_authorization' || c.class === 'unmatched_payment') {
    return { where: 'not_claimed', reason: 'a pending authorisation the provider never confirmed: no money moved yet' };
  }
  return { where: 'api' };
}

function exceptionFor(f: ReimbursementFlag, ch: ReimbursementCharge): ReimbursementException | null {
  const base = { cardholder: ch.cardholder, costCentre: ch.costCentre, src: ch.src, date: ch.date, description: ch.description, amount: ch.amount, currency: ch.currency, kind: f.kind, count: 1 };
  switch (f.kind) {
    case 'no_receipt':
      return { ...base, severity: 'error', message: `Charge with no receipt: ${f.message}.`, nextStep: "Download the receipt from the provider's billing page and add it to the payment history, or ask the cardholder for it." };
    case 'duplicate_charge':
      return { ...base, severity: 'error', message: `Duplicate charge: ${f.message}.`, nextStep: 'Reimburse it only with the refund request attached; the refund will reduce a later claim.' };
    case 'failed_top_up_charged':
      return { ...base, severity: 'warning', message: `Charge for a failed top-up: ${f.message}.`, nextStep: 'Ask provider support for a refund with the statement line and the payment reference.' };
    default:
      return null;
  }
}

/** Flags whose fix is one per card (a config entry, a currency decision): one exception per card and currency. */
const PER_CARD = new Set<ReimbursementFlagKind>(['unknown_cardholder', 'currency_not_home']);

function perCardExceptions(charges: readonly ReimbursementCharge[]): ReimbursementException[] {
  const out = new Map<string, ReimbursementException>();
  for (const ch of charges) {
    for (const f of ch.flags) {
      if (!PER_CARD.has(f.kind)) continue;
      const k = `${f.kind}\u0000${ch.cardholder}\u0000${ch.cardLast4 ?? ''}\u0000${ch.currency}`;
      const e = out.get(k);
      if (e) {
        e.amount = e.amount.plus(ch.amount);
        e.count++;
        e.description = `${e.count} charges${ch.cardLast4 ? ` on card ${ch.cardLast4}` : ''}`;
        continue;
      }
      const unknown = f.kind === 'unknown_cardholder';
      out.set(k, {
        severity: 'warning',
        kind: f.kind,
        cardholder: ch.cardholder,
        costCentre: ch.costCentre,
        src: ch.src,
        date: ch.date,
        description: ch.description,
        amount: ch.amount,
        currency: ch.currency,
        count: 1,
        message: unknown ? `Cardholder unknown: ${f.message}.` : `Currency: ${f.message}.`,
        nextStep: unknown
          ? ch.cardLast4
            ? `Add "${ch.cardLast4}" to "cardholders" in the config with the cardholder's name and cost centre.`
            : 'Find whose card it is (the statement file) and record the card on its payments, or add the card to "cardholders" in the config.'
          : 'Reimburse in the card currency as charged, or book the conversion separately at the bank’s rate.',
      });
    }
  }
  return [...out.values()];
}
