/** The ledger's input checked and sorted out: settings, which organisation each record belongs to, opening balances. */
import type { Decimal } from '../../money.js';
import type { Exception } from '../../model.js';
import type { LocalDate, Period } from '../../time.js';
import type { CreditPayment, UsageByDate } from './state.js';
import type { IgnoredItem, LedgerInput, OpeningBalance } from './types.js';
import { cmpOrg, cmpStr, DEFAULT_TOLERANCE, orgLabel, requireDate, requireMonths } from './util.js';

/** The checked settings of one ledger run. */
export interface LedgerSettings {
  period: Period;
  tz: string;
  currency: string;
  creditMonths: number;
  grantMonths: number;
  tolerance: Decimal;
  limit: Decimal | null;
  asOf: LocalDate;
  checkDate: LocalDate;
  openingsIn: readonly OpeningBalance[];
}

/** Throws a RangeError naming the setting that is wrong (the caller's input, not a file). */
export function readSettings(input: LedgerInput): LedgerSettings {
  const { period, timezone: tz } = input;
  if (period.timezone !== tz) {
    throw new RangeError(`ledger time zone ${tz} differs from the period's ${period.timezone}`);
  }
  const currency = (input.currency ?? 'USD').toUpperCase();
  const creditMonths = requireMonths(input.creditValidityMonths ?? 12, 'creditValidityMonths');
  const grantMonths = requireMonths(input.grantValidityMonths ?? 12, 'grantValidityMonths');
  const tolerance = (input.closingTolerance ?? DEFAULT_TOLERANCE).abs();
  const limit = input.autoRechargeMonthlyLimit ?? null;
  const asOf = input.asOf ?? period.to;
  requireDate(asOf, 'asOf');
  const checkDate = input.closingBalanceReported?.date ?? period.to;
  requireDate(checkDate, 'closingBalanceReported.date');
  const ob = input.openingBalance;
  const openingsIn: readonly OpeningBalance[] = ob === undefined ? [] : Array.isArray(ob) ? (ob as readonly OpeningBalance[]) : [ob as OpeningBalance];
  for (const o of openingsIn) {
    requireDate(o.date, 'openingBalance.date');
    if (o.expiresOn) requireDate(o.expiresOn, 'openingBalance.expiresOn');
  }
  for (const u of input.usage) requireDate(u.date, 'usage date');
  return { period, tz, currency, creditMonths, grantMonths, tolerance, limit, asOf, checkDate, openingsIn };
}

/** Records naming no organisation go to the default, or to the only one named (said in an info exception). */
export function organizationMapping(input: LedgerInput, openingsIn: readonly OpeningBalance[], exceptions: Exception[]): (o: string | null | undefined) => string | null {
  const named = new Set<string>();
  for (const p of input.payments) if (p.organization !== null) named.add(p.organization);
  for (const u of input.usage) if (u.organization !== null) named.add(u.organization);
  for (const o of openingsIn) if (o.organization != null) named.add(o.organization);
  let nullOrg: string | null = null;
  if (input.defaultOrganization !== undefined) nullOrg = input.defaultOrganization;
  else if (named.size === 1) nullOrg = [...named][0]!;
  const anyUnnamed = input.payments.some((p) => p.organization === null) || input.usage.some((u) => u.organization === null) || openingsIn.some((o) => o.organization == null);
  if (anyUnnamed && nullOrg !== null && input.defaultOrganization === undefined) {
    exceptions.push({
      severity: 'info',
      class: 'organization_assumed',
      subject: `organization ${nullOrg}`,
      amount: null,
      currency: null,
      message: `Payments or usage without an organisation were assigned to ${nullOrg}, the only organisation named in the inputs.`,
      nextStep: 'If they belong to another organisation, fill in the organisation column of the payment history.',
      refs: input.payments.filter((p) => p.organization === null).map((p) => p.src),
    });
  }
  return (o) => (o == null ? nullOrg : o);
}

/** One opening balance per organisation; one dated after the period cannot be rolled backwards: left out, said so. */
export function openingsByOrganization(
  openingsIn: readonly OpeningBalance[],
  mapOrg: (o: string | null | undefined) => string | null,
  period: Period,
  currency: string,
  exceptions: Exception[],
): Map<string | null, OpeningBalance> {
  const openings = new Map<string | null, OpeningBalance>();
  for (const o of openingsIn) {
    const org = mapOrg(o.organization);
    if (openings.has(org)) throw new RangeError(`two opening balances for ${orgLabel(org)}`);
    openings.set(org, o);
  }
  for (const [org, o] of [...openings]) {
    if (o.date > period.to) {
      openings.delete(org);
      exceptions.push({
        severity: 'warning',
        class: 'opening_balance_after_period',
        subject: `organization ${orgLabel(org)}`,
        amount: o.amount,
        currency,
        message: `The opening balance is dated ${o.date}, after the period ends (${period.to}); it was not used and the ledger starts at zero.`,
        nextStep: 'Give an opening balance dated on or before the period start.',
        refs: [],
      });
    }
  }
  return openings;
}

/** The organisations the ledger rolls, in order; usage of one with nothing before the end is recorded as ignored. */
export function ledgerOrganizations(
  openings: Map<string | null, OpeningBalance>,
  credit: readonly CreditPayment[],
  usageByOrg: Map<string | null, UsageByDate>,
  simEnd: LocalDate,
  ignored: IgnoredItem[],
): (string | null)[] {
  const orgSet = new Set<string | null>(openings.keys());
  for (const c of credit) orgSet.add(c.org);
  for (const [org, m] of usageByOrg) for (const d of m.keys()) if (d <= simEnd) orgSet.add(org);
  for (const [org, m] of usageByOrg) {
    if (orgSet.has(org)) continue;
    for (const [d, u] of [...m].sort((a, b) => cmpStr(a[0], b[0]))) {
      ignored.push({ what: 'usage', reason: 'after_ledger_end', date: d, organization: org, amount: u.amount, reference: null, refs: u.refs });
    }
  }
  return [...orgSet].sort(cmpOrg);
}
