/** How API charges are split over projects: by the billed usage of the charge's own provider's projects in the period, to the minor unit. */
import { projectLookup } from '../../config.js';
import { allocateByWeight, Decimal, ratio } from '../../money.js';
import { DEFAULT_PROVIDER, provider as describe, PROVIDERS, type ProviderId } from '../../providers.js';
import { UNALLOCATED_PROJECT, type AllocationBasisRow, type AllocationShare, type ReimbursementInput } from './types.js';
import { cmpStr, minorUnits } from './util.js';

/** One provider's weights (its projects with billed usage > 0, in id order) or why it has none. */
export interface ProviderBasis {
  rows: AllocationBasisRow[];
  reason: string | null;
}

/**
 * The allocation basis of every provider: an OpenAI top-up is split over OpenAI projects only,
 * an Anthropic one over Anthropic workspaces only. `allocationBasis` lists them all (provider
 * order, then project id); `unallocatedReason` is set only when no provider has any basis.
 */
export function allocationBasisOf(input: ReimbursementInput): {
  allocationBasis: AllocationBasisRow[];
  unallocatedReason: string | null;
  byProvider: Map<ProviderId, ProviderBasis>;
} {
  const byProvider = new Map<ProviderId, ProviderBasis>();
  const known = PROVIDERS.map((p) => p.id);
  const given = [...new Set(input.byProject.map(usageProvider))].filter((id) => !known.includes(id)).sort(cmpStr);
  for (const id of [...known, ...given]) byProvider.set(id, providerBasis(input, id));
  const allocationBasis = [...byProvider.values()].flatMap((b) => b.rows);
  let unallocatedReason: string | null = null;
  if (allocationBasis.length === 0) {
    unallocatedReason =
      input.byProject.length === 0
        ? 'no billed usage to allocate by: no cost export for the period was given'
        : 'no project has billed usage above zero in the period, so there is nothing to allocate by';
  }
  return { allocationBasis, unallocatedReason, byProvider };
}

/** A usage row without a provider is the default provider's (summaries from before providers). */
const usageProvider = (p: ReimbursementInput['byProject'][number]): ProviderId => p.provider ?? DEFAULT_PROVIDER;

function providerBasis(input: ReimbursementInput, id: ProviderId): ProviderBasis {
  const settings = projectLookup(input.projects ?? {});
  const own = input.byProject.filter((p) => usageProvider(p) === id);
  const positive = own.filter((p) => p.billed.sign() > 0).sort((a, b) => cmpStr(a.projectId, b.projectId));
  const billedSum = positive.reduce((s, p) => s.plus(p.billed), Decimal.ZERO);
  const rows: AllocationBasisRow[] = positive.map((p) => ({
    provider: id,
    projectId: p.projectId,
    projectName: p.projectName ?? settings(id, p.projectId)?.name ?? null,
    projectCostCenter: p.costCenter ?? settings(id, p.projectId)?.costCenter ?? null,
    billed: p.billed,
    weight: ratio(p.billed, billedSum) ?? 0,
  }));
  if (rows.length) return { rows, reason: null };
  const d = PROVIDERS.find((p) => p.id === id) ? describe(id) : null;
  const whose = d ? `${d.name}'s ${d.projectDimension}s` : `the provider ${id}'s projects`;
  return { rows, reason: own.length === 0 ? `no billed usage of ${whose} in the period to allocate by` : `none of ${whose} has billed usage above zero in the period` };
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
