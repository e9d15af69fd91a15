/** The reimbursement's groups (cost centre → cardholder, charges in order) and its totals. */
import {
  UNKNOWN_CARDHOLDER,
  type AllocationBasisRow,
  type CardholderGroup,
  type CostCentreGroup,
  type CurrencyAmount,
  type ProjectAllocationTotal,
  type ReimbursementCharge,
} from './types.js';
import { addTo, cmpLabel, cmpStr, key, sortTotals } from './util.js';

/** Charges in order: a fee right after its charge; charges by (currency, home first; date, file, line). */
function chargeOrder(charges: readonly ReimbursementCharge[], home: string): (a: ReimbursementCharge, b: ReimbursementCharge) => number {
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
  return cmpCharge;
}

/** Cost centres and their cardholders ("(…)" labels last), each with its charges in order and totals. */
export function groupByCostCentre(charges: readonly ReimbursementCharge[], home: string): CostCentreGroup[] {
  const cmpCharge = chargeOrder(charges, home);
  const centres = new Map<string, CostCentreGroup>();
  const holders = new Map<string, CardholderGroup>();
  for (const ch of charges) {
    let cc = centres.get(ch.costCentre);
    if (!cc) centres.set(ch.costCentre, (cc = { costCentre: ch.costCentre, cardholders: [], apiTotals: [], subscriptionTotals: [], totals: [] }));
    const hk = `${ch.costCentre}\u0000${ch.cardholder}`;
    let h = holders.get(hk);
    if (!h) {
      h = {
        name: ch.cardholder,
        known: ch.cardholder !== UNKNOWN_CARDHOLDER,
        costCentre: ch.costCentre,
        cardLast4: [],
        charges: [],
        subscriptions: [],
        apiTotals: [],
        subscriptionTotals: [],
        totals: [],
      };
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
  return costCentres;
}

/** Totals of the API charges and of the subscriptions per currency, and of each project's shares. */
export function reimbursementTotals(charges: readonly ReimbursementCharge[]): {
  apiTotals: CurrencyAmount[];
  subscriptionTotals: CurrencyAmount[];
  projectTotals: Map<string, ProjectAllocationTotal>;
} {
  const apiTotals: CurrencyAmount[] = [];
  const subscriptionTotals: CurrencyAmount[] = [];
  const projectTotals = new Map<string, ProjectAllocationTotal>();
  for (const ch of charges) {
    addTo(ch.section === 'api' ? apiTotals : subscriptionTotals, ch.currency, ch.amount);
    for (const s of ch.shares) {
      // a project id is one provider's: the same id under two providers stays two totals
      const pk = `${ch.provider}\u0000${s.projectId}\u0000${ch.currency}`;
      const p = projectTotals.get(pk);
      if (p) p.amount = p.amount.plus(s.amount);
      else
        projectTotals.set(pk, {
          provider: ch.provider,
          projectId: s.projectId,
          projectName: s.projectName,
          projectCostCenter: s.projectCostCenter,
          currency: ch.currency,
          amount: s.amount,
        });
    }
  }
  return { apiTotals, subscriptionTotals, projectTotals };
}

/** Project totals: home currency first, then by currency; projects in the order of the allocation basis. */
export function sortProjectTotals(projectTotals: Iterable<ProjectAllocationTotal>, allocationBasis: readonly AllocationBasisRow[], home: string): ProjectAllocationTotal[] {
  const basisOrder = new Map(allocationBasis.map((b, i) => [`${b.provider}\u0000${b.projectId}`, i]));
  const order = (t: ProjectAllocationTotal) => basisOrder.get(`${t.provider}\u0000${t.projectId}`) ?? 1e9;
  return [...projectTotals].sort(
    (a, b) =>
      (a.currency === home ? 0 : 1) - (b.currency === home ? 0 : 1) ||
      cmpStr(a.currency, b.currency) ||
      order(a) - order(b) ||
      cmpStr(a.provider, b.provider) ||
      cmpStr(a.projectId, b.projectId),
  );
}
