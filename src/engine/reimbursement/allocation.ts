/** How API charges are split over projects: by their billed usage in the period, to the minor unit. */
import { allocateByWeight, Decimal, ratio } from '../../money.js';
import { UNALLOCATED_PROJECT, type AllocationBasisRow, type AllocationShare, type ReimbursementInput } from './types.js';
import { cmpStr, minorUnits } from './util.js';

/** Projects with billed usage > 0, in id order (ties of the split go to the earlier), or why there are none. */
export function allocationBasisOf(input: ReimbursementInput): { allocationBasis: AllocationBasisRow[]; unallocatedReason: string | null } {
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
  return { allocationBasis, unallocatedReason };
}

/** Shares of one charge, largest remainder at the currency's minor unit (or the amount's finer scale). */
export function allocate(amount: Decimal, currency: string, basis: readonly AllocationBasisRow[], unallocatedReason: string | null): AllocationShare[] {
  if (basis.length === 0) {
    return [{ projectId: UNALLOCATED_PROJECT, projectName: null, projectCostCenter: null, amount, reason: unallocatedReason ?? 'no billed usage to allocate by' }];
  }
  const scale = Math.max(minorUnits(currency), amount.normalize().scale);
  const parts = allocateByWeight(
    amount,
    basis.map((b) => b.billed),
    scale,
  );
  return basis.map((b, i) => ({ projectId: b.projectId, projectName: b.projectName, projectCostCenter: b.projectCostCenter, amount: parts[i]!, reason: null }));
}
