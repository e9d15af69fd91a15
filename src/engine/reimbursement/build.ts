/** The build order of the reimbursement: place every provider card line, then group and total. */
import type { CardLine, PaymentRecord } from '../../model.js';
import { Decimal } from '../../money.js';
import type { LineClassification } from '../matching/index.js';
import { DEFAULT_PROVIDER, type ProviderId } from '../../providers.js';
import { allocate, allocationBasisOf, type ProviderBasis } from './allocation.js';
import { cardholderResolver, type Cardholder, type Lookups } from './cardholders.js';
import { exceptionFor, PER_CARD, perCardExceptions } from './exceptions.js';
import { receiptsAndFlags } from './flags.js';
import { groupByCostCentre, reimbursementTotals, sortProjectTotals } from './groups.js';
import { decidePlacement, type Placement } from './placement.js';
import {
  REIMBURSEMENT_RULES,
  type ChargeSection,
  type NotClaimedLine,
  type ReimbursementCharge,
  type ReimbursementException,
  type ReimbursementInput,
  type ReimbursementResult,
  type ReimbursementTieOut,
} from './types.js';
import { cmpStr, key, sortTotals } from './util.js';

export function buildReimbursement(input: ReimbursementInput): ReimbursementResult {
  const home = input.homeCurrency.toUpperCase();
  const { period } = input;
  const cards = input.reconciliation.classifications.filter((c) => c.side === 'card');
  const lookups: Lookups = {
    lineByKey: new Map(input.cardLines.map((l) => [key(l.src), l])),
    payByKey: new Map(input.payments.map((p) => [key(p.src), p])),
    classByKey: new Map(cards.map((c) => [key(c.src), c])),
  };
  const { allocationBasis, unallocatedReason, byProvider } = allocationBasisOf(input);
  const placeOf = placementResolver(lookups, period);
  const { last4Of, holderOf } = cardholderResolver(input.reconciliation.classifications, input.cardholders, lookups);

  const charges: ReimbursementCharge[] = [];
  const notClaimed: NotClaimedLine[] = [];
  const exceptions: ReimbursementException[] = [];
  const tie = new Map<string, ReimbursementTieOut>();
  const tieOf = (currency: string): ReimbursementTieOut => {
    let t = tie.get(currency);
    if (!t) tie.set(currency, (t = { currency, providerLines: Decimal.ZERO, api: Decimal.ZERO, subscriptions: Decimal.ZERO, notClaimed: Decimal.ZERO, difference: Decimal.ZERO }));
    return t;
  };

  // every provider card line lands in exactly one place, tallied on the tie-out as it does
  for (const c of cards) {
    const line = lookups.lineByKey.get(key(c.src));
    const last4 = last4Of(c);
    const holder = holderOf(last4);
    const placement = placeOf(c);
    const t = tieOf(c.currency);
    t.providerLines = t.providerLines.plus(c.amount);
    if (placement.where === 'not_claimed') {
      t.notClaimed = t.notClaimed.plus(c.amount);
      notClaimed.push(notClaimedLine(c, line, last4, holder, placement.reason));
      continue;
    }
    if (placement.where === 'api') t.api = t.api.plus(c.amount);
    else t.subscriptions = t.subscriptions.plus(c.amount);
    const charge = claimedCharge(c, placement.where, { line, last4, holder, home, lookups, byProvider, unallocatedReason });
    charges.push(charge);
    for (const f of charge.flags) {
      const ex = PER_CARD.has(f.kind) ? null : exceptionFor(f, charge);
      if (ex) exceptions.push(ex);
    }
  }
  exceptions.push(...perCardExceptions(charges));
  for (const t of tie.values()) t.difference = t.providerLines.minus(t.api.plus(t.subscriptions).plus(t.notClaimed));

  const costCentres = groupByCostCentre(charges, home);
  const { apiTotals, subscriptionTotals, projectTotals } = reimbursementTotals(charges);
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
    projectTotals: sortProjectTotals(projectTotals.values(), allocationBasis, home),
    apiTotals: sortTotals(apiTotals, home),
    subscriptionTotals: sortTotals(subscriptionTotals, home),
    tieOut: [...tie.values()].sort((a, b) => (a.currency === home ? -1 : b.currency === home ? 1 : cmpStr(a.currency, b.currency))),
    exceptions,
    rules: REIMBURSEMENT_RULES,
  };
}

/** Where each provider card line goes, remembered; a fee follows its parent charge (at most 3 deep). */
function placementResolver(lookups: Lookups, period: ReimbursementInput['period']): (c: LineClassification) => Placement {
  const placements = new Map<string, Placement>();
  const placeOf = (c: LineClassification, depth = 0): Placement => {
    const k = key(c.src);
    const known = placements.get(k);
    if (known) return known;
    const p = decidePlacement(c, lookups.lineByKey.get(k), period, depth, (ref) => {
      const parent = lookups.classByKey.get(key(ref));
      return parent && depth < 3 ? { c: parent, placement: placeOf(parent, depth + 1) } : null;
    });
    placements.set(k, p);
    return p;
  };
  return (c) => placeOf(c);
}

function notClaimedLine(c: LineClassification, line: CardLine | undefined, last4: string | null, holder: Cardholder, reason: string): NotClaimedLine {
  return {
    src: c.src,
    provider: providerOfLine(c),
    date: c.date,
    description: c.description,
    amount: c.amount,
    currency: c.currency,
    status: line?.status ?? (c.status as CardLine['status']),
    class: c.class,
    cardLast4: last4,
    cardholder: holder.name,
    costCentre: holder.costCentre,
    reason,
  };
}

interface ChargeFacts {
  line: CardLine | undefined;
  last4: string | null;
  holder: Cardholder;
  home: string;
  lookups: Lookups;
  byProvider: ReadonlyMap<ProviderId, ProviderBasis>;
  unallocatedReason: string | null;
}

/** A classification's provider; null only for a line a reviewer forced alone, which is then the default provider's. */
const providerOfLine = (c: LineClassification): ProviderId => c.provider ?? DEFAULT_PROVIDER;

/** A claimed line: its receipts and flags, and for an API charge its shares of the projects. */
function claimedCharge(c: LineClassification, section: ChargeSection, f: ChargeFacts): ReimbursementCharge {
  const payRefs = c.counterparts
    .filter((r) => r.side === 'payment')
    .map((r) => f.lookups.payByKey.get(key(r)))
    .filter((p): p is PaymentRecord => p !== undefined);
  const parentRef = c.class === 'fx_fee' ? (c.counterparts.find((r) => r.side === 'card') ?? null) : null;
  const { receipts, flags } = receiptsAndFlags(c, { payRefs, parentRef, classByKey: f.lookups.classByKey, home: f.home, holder: f.holder, last4: f.last4 });
  const provider = providerOfLine(c);
  const basis = f.byProvider.get(provider);
  // with no usage anywhere the general reason says it; else the provider's own reason
  const shares = section === 'api' ? allocate(c.amount, c.currency, basis?.rows ?? [], f.unallocatedReason ?? basis?.reason ?? null) : [];
  return {
    src: c.src,
    provider,
    section,
    date: c.date,
    postedDate: f.line?.postedDate ?? null,
    description: c.description,
    amount: c.amount,
    currency: c.currency,
    originalAmount: f.line?.originalAmount ?? null,
    originalCurrency: f.line?.originalCurrency ?? null,
    cardLast4: f.last4,
    cardholder: f.holder.name,
    costCentre: f.holder.costCentre,
    class: c.class,
    receipts,
    receipt: receipts.length ? receipts.join(', ') : null,
    // only where the receipt is shown: a refund or fee carries its charge's receipt too
    receiptFiles: receipts.length ? [...new Set(payRefs.map((p) => p.receiptFile).filter((f): f is string => !!f))] : [],
    parent: parentRef ? { file: parentRef.file, line: parentRef.line } : null,
    flags,
    shares,
  };
}
