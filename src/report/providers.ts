/**
 * The run read per provider, for every output: which providers meet in it (a provider column
 * is shown only where more than one does, so a one-provider month keeps its layout) and each
 * provider's totals (engine/by-provider.ts).
 */
import { providerBreakdown, providersOf, type ProviderBreakdownInput, type ProviderTotals } from '../engine/by-provider.js';
import type { ReportResult } from '../results.js';

function breakdownInput(r: ReportResult): ProviderBreakdownInput {
  return { rows: r.attribution?.attributed ?? [], crossCheck: r.attribution?.crossCheck ?? [], payments: r.payments, period: r.period, ledger: r.ledger };
}

/** The provider ids the run's records name, the default provider first. */
function reportProviders(r: ReportResult): string[] {
  return providersOf(breakdownInput(r));
}

/** Whether a provider column is needed: more than one provider appears in the run. */
export function providersMeet(r: ReportResult): boolean {
  return reportProviders(r).length > 1;
}

export function reportByProvider(r: ReportResult): ProviderTotals[] {
  return providerBreakdown(breakdownInput(r));
}
