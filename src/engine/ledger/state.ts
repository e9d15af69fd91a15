/** The ledger's working records: lots while days roll, classified credit payments, usage by date, the event log. */
import type { Decimal } from '../../money.js';
import type { Exception, PaymentRecord, Provenance } from '../../model.js';
import type { LocalDate, Period } from '../../time.js';
import type { IgnoredItem, LedgerDay, LedgerEvent, Lot, LotKind, OpeningBalance, OrganizationClosing } from './types.js';
import { addMonthsClamped, cmpOrg, cmpStr } from './util.js';

/** A lot while the roll-forward runs: the published Lot plus whether its expiry was applied. */
export interface LotState extends Lot {
  expiryDone: boolean;
}

/** The published copy of a lot (its state is mutated as days roll). */
export function snapshotLot(l: LotState): Lot {
  const { expiryDone: _done, ...lot } = l;
  return lot;
}

/** A credit-adding payment after classification. */
export interface CreditPayment {
  p: PaymentRecord;
  org: string | null;
  date: LocalDate;
}

/** Events are sorted by (date, organisation, phase within the day, instant, creation order). */
export interface PendingEvent {
  ev: LedgerEvent;
  phase: number;
  time: number;
  seq: number;
}

export const PHASE_OPENING = 0;
export const PHASE_EXPIRY = 1;
export const PHASE_PAYMENT = 2;
export const PHASE_USAGE = 3;

/** Billed usage of one organisation per local date. */
export type UsageByDate = Map<LocalDate, { amount: Decimal; refs: Provenance[] }>;

/** Events of the period in the order they happened; creation order breaks the last ties. */
export interface EventLog {
  push(ev: LedgerEvent, phase: number, time: number): void;
  /** The events sorted by (date, organisation, phase, instant, creation order). */
  sorted(): LedgerEvent[];
}

export function eventLog(period: Period): EventLog {
  const pending: PendingEvent[] = [];
  let seq = 0;
  return {
    push(ev, phase, time) {
      if (ev.date >= period.from && ev.date <= period.to) pending.push({ ev, phase, time, seq: seq++ });
    },
    sorted() {
      pending.sort((a, b) => cmpStr(a.ev.date, b.ev.date) || cmpOrg(a.ev.organization, b.ev.organization) || a.phase - b.phase || a.time - b.time || a.seq - b.seq);
      return pending.map((p) => p.ev);
    },
  };
}

/** What the per-organisation roll reads (settings, classified records) and writes (result parts). */
export interface RollContext {
  period: Period;
  currency: string;
  simEnd: LocalDate;
  asOf: LocalDate;
  creditMonths: number;
  grantMonths: number;
  openings: Map<string | null, OpeningBalance>;
  credit: readonly CreditPayment[];
  usageByOrg: Map<string | null, UsageByDate>;
  exceptions: Exception[];
  ignored: IgnoredItem[];
  events: EventLog;
  newLotId: () => string;
  days: LedgerDay[];
  lotsOut: Lot[];
  closing: OrganizationClosing[];
  asOfLots: Lot[];
  balanceAt: Map<string | null, Map<LocalDate, Decimal>>;
  lastUsageDate: Map<string | null, LocalDate>;
}

/** One organisation's running state while its days roll. */
export interface OrgRoll {
  org: string | null;
  /** Lots in the order usage draws them (oldest first); `head` skips the used-up ones. */
  lots: LotState[];
  head: number;
  available: Decimal;
  debt: Decimal;
  /** A run of negative closing days; lowest and lowestOn cover only the days inside the period. */
  negativeSince: LocalDate | null;
  lowest: Decimal;
  lowestOn: LocalDate | null;
}

export const inPeriod = (period: Period, d: LocalDate): boolean => d >= period.from && d <= period.to;

/** When a lot of this kind bought on `date` expires; opening rests and billing credits never do. */
export function expiryOf(ctx: RollContext, kind: LotKind, date: LocalDate): LocalDate | null {
  return kind === 'opening' || kind === 'usage_credit' ? null : addMonthsClamped(date, kind === 'grant' ? ctx.grantMonths : ctx.creditMonths);
}
