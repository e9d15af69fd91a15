/**
 * Time rules (SPEC §3). Instants are UTC epoch seconds. Local dates are derived in the
 * configured IANA zone from the zone data: an instant's date through Intl (what date-fns-tz
 * reads too; see zonedDate), a local wall time's instant with date-fns-tz; results are memoised
 * per zone and instant because exports repeat the same bucket start on thousands of rows.
 */
// the one function alone: date-fns-tz's index (formatInTimeZone) loads date-fns's formatter and
// its locales, ≈0.13 s of every run's start-up
import { fromZonedTime } from 'date-fns-tz/fromZonedTime';

/** Seconds since 1970-01-01T00:00:00Z. */
export type EpochSeconds = number;
/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;

export const SPLIT_DAYS_RULE =
  'With --split-days, each daily cost bucket is spread over the local dates of the hourly or minute usage behind it, ' +
  'in proportion to that usage (per hour of usage); where only daily usage exists, the midpoint rule applies.';

export const BUCKET_PLACEMENT_RULE =
  'Each usage or cost bucket is placed on the local date (in the reporting time zone) that contains its midpoint. ' +
  'For 1-day UTC buckets this is the UTC date in any zone within ±12 h; 1-hour and 1-minute buckets land exactly.';

export function isValidTimeZone(tz: string): boolean {
  if (!tz) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const localDateMemo = new Map<string, Map<number, LocalDate>>();

/** The calendar date in `tz` that contains the instant. */
export function localDateOf(t: EpochSeconds, tz: string): LocalDate {
  let memo = localDateMemo.get(tz);
  if (!memo) {
    memo = new Map();
    localDateMemo.set(tz, memo);
  }
  let d = memo.get(t);
  if (d === undefined) {
    d = zonedDate(t, tz);
    if (memo.size > 2_000_000) memo.clear();
    memo.set(t, d);
  }
  return d;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The date by Intl, not date-fns-tz's toZonedTime: that builds a Date in the machine's zone,
 * which cannot hold a day the machine's zone skipped (Pacific/Apia's 2011-12-30 read as the 31st).
 */
function zonedDate(t: EpochSeconds, tz: string): LocalDate {
  let f = dayFormats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(tz, f);
  }
  let y = '';
  let m = '';
  let d = '';
  for (const p of f.formatToParts(t * 1000)) {
    if (p.type === 'year') y = p.value;
    else if (p.type === 'month') m = p.value;
    else if (p.type === 'day') d = p.value;
  }
  return `${y.padStart(4, '0')}-${m}-${d}`;
}

/** UTC dates by day number (days since 1970-01-01), each worked out once: rows of a day share it. */
const utcDates = new Map<number, LocalDate>();

/** The UTC calendar date of an instant. */
export function utcDateOf(t: EpochSeconds): LocalDate {
  const day = Math.floor(t / 86400);
  let d = utcDates.get(day);
  if (d === undefined) {
    if (utcDates.size >= 100_000) utcDates.clear();
    d = new Date(day * 86400_000).toISOString().slice(0, 10);
    utcDates.set(day, d);
  }
  return d;
}

/** The instant a UTC calendar date starts (utcDateOf's inverse). */
export function utcDayStart(day: LocalDate): EpochSeconds {
  return Date.parse(`${day}T00:00:00Z`) / 1000;
}

/** Midpoint rule of SPEC §3: a bucket [start, end) belongs to the local date of its midpoint. */
export function placeOnLocalDate(start: EpochSeconds, end: EpochSeconds, tz: string): LocalDate {
  return localDateOf(Math.floor((start + end) / 2), tz);
}

export function isoUtc(t: EpochSeconds): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

export function addDays(date: LocalDate, n: number): LocalDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The instant local midnight starts `date` in `tz` (DST-correct). */
function startOfLocalDate(date: LocalDate, tz: string): EpochSeconds {
  let t = Math.round(fromZonedTime(`${date}T00:00:00`, tz).getTime() / 1000);
  // where clocks jump forward at midnight (America/Santiago, Asia/Beirut) 00:00 does not exist:
  // the day starts at the first instant whose local date is `date`
  for (let i = 0; i < 16 && localDateOf(t, tz) < date; i++) t += 900;
  return t;
}

/** Parses a local wall-clock text (no offset) in `tz`; null when it is not a date-time. */
export function parseLocalDateTime(text: string, tz: string): EpochSeconds | null {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/.exec(text.trim());
  if (!m || !isCalendarDate(m[1]!)) return null;
  const wall = `${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}`;
  const ms = fromZonedTime(wall, tz).getTime();
  return Number.isFinite(ms) ? Math.round(ms / 1000) : null;
}

/**
 * Parses an ISO-8601 instant. Text without an offset is read as UTC unless `tzForLocal`
 * is given (payment history allows local wall-clock times in the configured zone).
 */
export function parseIsoInstant(text: string, tzForLocal?: string): EpochSeconds | null {
  const s = text.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  if (!m) return null;
  if (!isCalendarDate(m[1]!)) return null;
  if (m[6] === undefined) {
    if (tzForLocal) return parseLocalDateTime(`${m[1]} ${m[2]}:${m[3]}:${m[4] ?? '00'}`, tzForLocal);
  }
  const offset = m[6] === undefined || m[6].toUpperCase() === 'Z' ? 'Z' : m[6].length === 5 ? `${m[6].slice(0, 3)}:${m[6].slice(3)}` : m[6];
  const ms = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${m[5] ?? ''}${offset}`);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}

/** A reporting period: local dates, inclusive, and the half-open UTC range they cover. */
export interface Period {
  from: LocalDate;
  to: LocalDate;
  timezone: string;
  utcStart: EpochSeconds;
  utcEnd: EpochSeconds;
  /** `2026-10` for a whole calendar month, else `2026-10-03_2026-10-17`. */
  label: string;
}

export function makePeriod(from: LocalDate, to: LocalDate, tz: string): Period {
  if (!isCalendarDate(from)) throw new RangeError(`not a date (YYYY-MM-DD): ${from}`);
  if (!isCalendarDate(to)) throw new RangeError(`not a date (YYYY-MM-DD): ${to}`);
  if (to < from) throw new RangeError(`period ends (${to}) before it starts (${from})`);
  const wholeMonth = from.endsWith('-01') && to === lastDayOfMonth(from.slice(0, 7));
  return {
    from,
    to,
    timezone: tz,
    utcStart: startOfLocalDate(from, tz),
    utcEnd: startOfLocalDate(addDays(to, 1), tz),
    label: wholeMonth ? from.slice(0, 7) : `${from}_${to}`,
  };
}

export function lastDayOfMonth(month: string): LocalDate {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0));
  return d.toISOString().slice(0, 10);
}

/** `--period 2026-10` → the whole month as local dates. */
export function monthPeriod(month: string, tz: string): Period {
  const last = lastDayOfMonth(month);
  return makePeriod(`${month}-01`, last, tz);
}

export function inPeriod(start: EpochSeconds, end: EpochSeconds, p: Period): boolean {
  const mid = Math.floor((start + end) / 2);
  return mid >= p.utcStart && mid < p.utcEnd;
}

/** Number of calendar months a period touches, counting partial months pro rata by days. */
export function monthsSpanned(p: Period): { months: string[]; days: number } {
  const months: string[] = [];
  let d = p.from;
  let days = 0;
  while (d <= p.to) {
    const m = d.slice(0, 7);
    if (months[months.length - 1] !== m) months.push(m);
    days++;
    d = addDays(d, 1);
  }
  return { months, days };
}

/** Days in a calendar month `YYYY-MM`. */
export function daysInMonth(month: string): number {
  return Number(lastDayOfMonth(month).slice(8));
}
