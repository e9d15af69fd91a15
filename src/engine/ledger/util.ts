/** Small helpers of the ledger: organisation labels and order, money text, months, checks of the input. */
import { Decimal } from '../../money.js';
import type { PaymentRecord } from '../../model.js';
import { minorUnits } from '../../money.js';
import { isCalendarDate, lastDayOfMonth, type LocalDate } from '../../time.js';
import type { LotKind } from './types.js';

const NO_ORG_LABEL = '(no organisation)';
export const DEFAULT_TOLERANCE = Decimal.from('0.01');

export function orgLabel(org: string | null): string {
  return org ?? NO_ORG_LABEL;
}

/** A map key that keeps null apart from every name. */
export function orgKey(org: string | null): string {
  return org === null ? '0' : `1${org}`;
}

export function cmpOrg(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function minDec(a: Decimal, b: Decimal): Decimal {
  return a.cmp(b) <= 0 ? a : b;
}

/** Money in a message, at the currency's minor unit ("9.27"); the exact figure stays in the event's amount. */
export function fmt(d: Decimal, currency: string): string {
  return d.toDisplay(minorUnits(currency));
}

/** Same local date `months` later; a day that month lacks (29 Feb, 31st) falls to its last day. */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  if (!isCalendarDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  const month = `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}`;
  const lastDay = Number(lastDayOfMonth(month).slice(8, 10));
  return `${month}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

export function cmpPayment(a: PaymentRecord, b: PaymentRecord): number {
  return a.paidAt - b.paidAt || cmpStr(a.src.file, b.src.file) || a.src.line - b.src.line || cmpStr(a.reference, b.reference);
}

export function refLabel(kind: PaymentRecord['kind'] | LotKind, reference: string | null): string {
  if (!reference) return '';
  const word = kind === 'invoice' ? 'invoice' : kind === 'grant' ? 'grant' : 'receipt';
  return ` (${word} ${reference})`;
}

export function requireDate(date: string, what: string): void {
  if (!isCalendarDate(date)) throw new RangeError(`${what}: not a date (YYYY-MM-DD): ${date}`);
}

export function requireMonths(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a whole number of months ≥ 1, got ${n}`);
  return n;
}
