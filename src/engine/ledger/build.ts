/**
 * Credit ledger (SPEC §4.4): opening balance + paid top-ups + grants − daily billed usage
 * − expired credit, rolled forward day by day per provider and organisation in the reporting
 * zone: each provider's ledger is built alone (providers.ts splits the input and merges the
 * results), with that provider's credit validity.
 *
 * Credit is held in FIFO lots (one per purchase or grant). Usage draws from the oldest
 * lot; usage beyond every lot is a debt (negative balance) that the next top-up pays
 * first. Each lot expires on the same local date N months after it was bought.
 * Pure and deterministic: records in, results out, every ordering has an explicit key.
 * The rules a reader of the workbook needs are in LEDGER_RULES.
 */
import type { Exception } from '../../model.js';
import { checkAutoRecharge } from './auto-recharge.js';
import { checkClosing, closingMismatch } from './closing.js';
import { classifyPayments } from './credits.js';
import { buildExpiringSoon, expiringSoonException } from './expiry.js';
import { readSettings, ledgerOrganizations, openingsByOrganization, organizationMapping, type LedgerSettings } from './inputs.js';
import { rollOrganization } from './roll.js';
import { eventLog, type RollContext } from './state.js';
import {
  IGNORE_REASONS,
  LEDGER_RULES,
  type ClosingCheck,
  type IgnoredItem,
  type IgnoreReason,
  type LedgerDay,
  type LedgerEvent,
  type LedgerInput,
  type LedgerResult,
  type ProviderLedger,
} from './types.js';
import { ledgerInputsByProvider, mergeProviderLedgers } from './providers.js';
import { cmpPayment, orgKey } from './util.js';
import { usageByOrganization } from './usage.js';

export function buildCreditLedger(input: LedgerInput): LedgerResult {
  let lotSeq = 0;
  // lot ids run across providers and organisations so every id in the result is unique
  const newLotId = () => `L${String(++lotSeq).padStart(4, '0')}`;
  const parts = ledgerInputsByProvider(input).map(({ provider, input: one }) => ({
    provider,
    months: one.creditValidityMonths!,
    ledger: buildProviderLedger(one, newLotId),
  }));
  return mergeProviderLedgers(parts);
}

/** One provider's ledger, every organisation of it rolled separately. */
function buildProviderLedger(input: LedgerInput, newLotId: () => string): ProviderLedger {
  const st = readSettings(input);
  const { period, tz, currency, asOf, checkDate } = st;
  const exceptions: Exception[] = [];
  const ignored: IgnoredItem[] = [];
  const events = eventLog(period);
  const mapOrg = organizationMapping(input, st.openingsIn, exceptions);
  const openings = openingsByOrganization(st.openingsIn, mapOrg, period, currency, exceptions);
  const simEnd = [period.to, asOf, checkDate].reduce((a, b) => (b > a ? b : a));
  const paymentsSorted = [...input.payments].sort(cmpPayment);
  const credit = classifyPayments(paymentsSorted, { tz, currency, simEnd, mapOrg, events, exceptions, ignored });
  const usageByOrg = usageByOrganization(input.usage, mapOrg);
  const organizations = ledgerOrganizations(openings, credit, usageByOrg, simEnd, ignored);

  const roll = newRollContext(st, simEnd, newLotId, { openings, credit, usageByOrg, exceptions, ignored, events });
  for (const org of organizations) rollOrganization(roll, org);

  const autoRecharge = checkAutoRecharge(paymentsSorted, { mapOrg, tz, currency, limit: st.limit, period, events, exceptions });
  const expiringSoon = buildExpiringSoon(roll.asOfLots, asOf);
  const expiring = expiringSoonException(expiringSoon, asOf, currency);
  if (expiring) exceptions.push(expiring);

  // the dashboard's balance against the computed one
  let closingCheck: ClosingCheck | undefined;
  if (input.closingBalanceReported) {
    closingCheck = checkClosing(input.closingBalanceReported, checkDate, st.tolerance, {
      organizations,
      balanceAt: roll.balanceAt,
      lastUsageDate: roll.lastUsageDate,
      usageByOrg,
      payments: paymentsSorted,
      mapOrg,
      tz,
      lots: roll.lotsOut,
      openings,
      ignored,
      currency,
    });
    if (!closingCheck.matches) exceptions.push(closingMismatch(closingCheck, checkDate, currency));
  }

  const sortedEvents = attachEvents(events.sorted(), roll.days);
  return {
    period: { from: period.from, to: period.to, timezone: tz },
    currency,
    organizations,
    days: roll.days,
    lots: roll.lotsOut,
    events: sortedEvents,
    expiringSoon,
    closing: roll.closing,
    ...(closingCheck ? { closingCheck } : {}),
    autoRecharge,
    ignored,
    ignoredCounts: countIgnored(ignored),
    exceptions,
    rules: LEDGER_RULES,
  };
}

type RollInputs = Pick<RollContext, 'openings' | 'credit' | 'usageByOrg' | 'exceptions' | 'ignored' | 'events'>;

/** The shared state every organisation's roll reads and appends to, empty outputs to start. */
function newRollContext(st: LedgerSettings, simEnd: RollContext['simEnd'], newLotId: () => string, inputs: RollInputs): RollContext {
  const { openings, credit, usageByOrg, exceptions, ignored, events } = inputs;
  return {
    period: st.period,
    currency: st.currency,
    simEnd,
    asOf: st.asOf,
    creditMonths: st.creditMonths,
    grantMonths: st.grantMonths,
    openings,
    credit,
    usageByOrg,
    exceptions,
    ignored,
    events,
    days: [],
    lotsOut: [],
    closing: [],
    asOfLots: [],
    balanceAt: new Map(),
    lastUsageDate: new Map(),
    newLotId,
  };
}

/** Each event's message goes to its organisation's day row (events outside the rolled days have none). */
function attachEvents(events: LedgerEvent[], days: readonly LedgerDay[]): LedgerEvent[] {
  const rowIndex = new Map<string, LedgerDay>();
  for (const d of days) rowIndex.set(`${orgKey(d.organization)}\u0000${d.date}`, d);
  for (const ev of events) rowIndex.get(`${orgKey(ev.organization)}\u0000${ev.date}`)?.events.push(ev.message);
  return events;
}

function countIgnored(ignored: readonly IgnoredItem[]): Record<IgnoreReason, number> {
  const counts = Object.fromEntries(IGNORE_REASONS.map((r) => [r, 0])) as Record<IgnoreReason, number>;
  for (const i of ignored) counts[i.reason]++;
  return counts;
}
