/**
 * The ledger per provider: credit bought from one provider never pays another's usage, so the
 * input is split by provider, each part rolled as its own ledger (build.ts) with that
 * provider's credit validity, and the parts merged into one result whose records say whose
 * credit they are. A run of one provider gives exactly the ledger it gave before providers.
 */
import { Decimal } from '../../money.js';
import type { Exception } from '../../model.js';
import { DEFAULT_PROVIDER, provider as providerDescription, providerName } from '../../providers.js';
import {
  IGNORE_REASONS,
  type ExpiringLot,
  type ExpiringSoon,
  type ExpiringWindow,
  type IgnoreReason,
  type LedgerInput,
  type LedgerResult,
  type OfProvider,
  type OpeningBalance,
  type ProviderLedger,
} from './types.js';
import { cmpStr } from './util.js';

/** Providers in the order the ledger shows them: the default provider first, then by id. */
function cmpProvider(a: string, b: string): number {
  if (a === b) return 0;
  if (a === DEFAULT_PROVIDER) return -1;
  if (b === DEFAULT_PROVIDER) return 1;
  return cmpStr(a, b);
}

function openingsOf(input: LedgerInput): readonly OpeningBalance[] {
  const ob = input.openingBalance;
  return ob === undefined ? [] : Array.isArray(ob) ? (ob as readonly OpeningBalance[]) : [ob as OpeningBalance];
}

/** The providers any record names; the default provider when there is nothing at all (an empty ledger as before). */
function ledgerProviderIds(input: LedgerInput): string[] {
  const ids = new Set<string>();
  for (const p of input.payments) ids.add(p.provider);
  for (const u of input.usage) ids.add(u.provider ?? DEFAULT_PROVIDER);
  for (const o of openingsOf(input)) ids.add(o.provider ?? DEFAULT_PROVIDER);
  if (input.closingBalanceReported?.provider) ids.add(input.closingBalanceReported.provider);
  if (ids.size === 0) ids.add(DEFAULT_PROVIDER);
  return [...ids].sort(cmpProvider);
}

/**
 * Each provider's part of the input. Credit validity: `creditValidityMonths` when the caller
 * sets it (it wins, for every provider), else the provider description's `creditExpiryMonths`.
 * The reported closing balance goes to the provider it names, else the only provider, else the default one.
 */
export function ledgerInputsByProvider(input: LedgerInput): { provider: string; input: LedgerInput }[] {
  const ids = ledgerProviderIds(input);
  const rep = input.closingBalanceReported;
  const repProvider = rep?.provider ?? (ids.length === 1 ? ids[0]! : DEFAULT_PROVIDER);
  const openings = openingsOf(input);
  return ids.map((id) => {
    const mine = openings.filter((o) => (o.provider ?? DEFAULT_PROVIDER) === id);
    const { closingBalanceReported: _rep, openingBalance: _ob, ...rest } = input;
    const one: LedgerInput = {
      ...rest,
      payments: input.payments.filter((p) => p.provider === id),
      usage: input.usage.filter((u) => (u.provider ?? DEFAULT_PROVIDER) === id),
      creditValidityMonths: input.creditValidityMonths ?? providerDescription(id).creditExpiryMonths,
      ...(mine.length ? { openingBalance: mine } : {}),
      ...(rep && repProvider === id ? { closingBalanceReported: rep } : {}),
    };
    return { provider: id, input: one };
  });
}

const tag = <T extends object>(provider: string, items: readonly T[]): OfProvider<T>[] => items.map((x) => ({ provider, ...x }));

/** The providers' ledgers as one: records tagged and listed provider by provider (events and expiring lots by date). */
export function mergeProviderLedgers(parts: readonly { provider: string; months: number; ledger: ProviderLedger }[]): LedgerResult {
  const first = parts[0]!.ledger;
  const several = parts.length > 1;
  const organizations: (string | null)[] = [];
  for (const { ledger } of parts) for (const o of ledger.organizations) if (!organizations.includes(o)) organizations.push(o);
  const closingPart = parts.find((p) => p.ledger.closingCheck);
  const ignoredCounts = Object.fromEntries(IGNORE_REASONS.map((r) => [r, 0])) as Record<IgnoreReason, number>;
  for (const { ledger } of parts) for (const r of IGNORE_REASONS) ignoredCounts[r] += ledger.ignoredCounts[r];
  const order = new Map(parts.map((p, i) => [p.provider, i]));
  const byDate =
    <T extends { provider: string }>(date: (t: T) => string) =>
    (a: T, b: T) =>
      cmpStr(date(a), date(b)) || order.get(a.provider)! - order.get(b.provider)!;
  return {
    period: first.period,
    currency: first.currency,
    providers: parts.map((p) => p.provider),
    organizations,
    accounts: parts.flatMap(({ provider, ledger }) => ledger.organizations.map((organization) => ({ provider, organization }))),
    days: parts.flatMap(({ provider, ledger }) => tag(provider, ledger.days)),
    lots: parts.flatMap(({ provider, ledger }) => tag(provider, ledger.lots)),
    events: parts.flatMap(({ provider, ledger }) => tag(provider, ledger.events)).sort(byDate((e) => e.date)),
    expiringSoon: mergeExpiringSoon(
      parts,
      byDate((l: OfProvider<ExpiringLot>) => l.expiresOn),
    ),
    closing: parts.flatMap(({ provider, ledger }) => tag(provider, ledger.closing)),
    ...(closingPart ? { closingCheck: { provider: closingPart.provider, ...closingPart.ledger.closingCheck! } } : {}),
    autoRecharge: parts.flatMap(({ provider, ledger }) => tag(provider, ledger.autoRecharge)),
    ignored: parts.flatMap(({ provider, ledger }) => tag(provider, ledger.ignored)),
    ignoredCounts,
    exceptions: parts.flatMap(({ provider, ledger }) => (several ? ledger.exceptions.map((e) => namedFor(provider, e)) : ledger.exceptions)),
    rules: several ? [...first.rules, providerRule(parts)] : first.rules,
  };
}

function mergeExpiringSoon(
  parts: readonly { provider: string; ledger: ProviderLedger }[],
  cmpLots: (a: OfProvider<ExpiringLot>, b: OfProvider<ExpiringLot>) => number,
): ExpiringSoon<OfProvider<ExpiringLot>> {
  const window = (pick: (s: ExpiringSoon) => ExpiringWindow): ExpiringWindow<OfProvider<ExpiringLot>> => {
    const w = pick(parts[0]!.ledger.expiringSoon);
    return {
      days: w.days,
      until: w.until,
      amount: parts.reduce((s, p) => s.plus(pick(p.ledger.expiringSoon).amount), Decimal.ZERO),
      lots: parts.flatMap((p) => tag(p.provider, pick(p.ledger.expiringSoon).lots)).sort(cmpLots),
    };
  };
  return { asOf: parts[0]!.ledger.expiringSoon.asOf, within30: window((s) => s.within30), within60: window((s) => s.within60), within90: window((s) => s.within90) };
}

/** Where two providers meet, an exception's subject says whose credit it is about. */
function namedFor(provider: string, e: Exception): Exception {
  return { ...e, subject: `${providerName(provider)}: ${e.subject}` };
}

/** The rule a reader needs where providers meet; validity as the parts were rolled (the configured one, if any). */
function providerRule(parts: readonly { provider: string; months: number }[]): string {
  const validity = parts.map((p) => `${providerName(p.provider)} ${p.months} months`).join(', ');
  return `Each provider's and organisation's credit is rolled separately: a top-up of one provider never pays another's usage. A purchased lot stays valid for its provider's period (${validity}; creditValidityMonths in the config, when set, applies to every provider).`;
}
