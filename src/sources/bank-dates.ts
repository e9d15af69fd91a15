/**
 * Pure parsers for the date cells of card and bank statements: the formats statement profiles
 * name (month names in English, German, French and Dutch; instants with a zone), the day/month
 * order of an ambiguous date column, and the statement period that gives year-less dates their
 * year. Every failure is a message precise enough to put on an InputIssue as is.
 */
import { addDays, isCalendarDate, localDateOf, type LocalDate } from '../time.js';

// ---------------------------------------------------------------------------
// Dates

export const DATE_FORMATS = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'DD-MM-YYYY',
  'MM-DD-YYYY',
  'DD.MM.YY',
  'MM/DD/YY',
  'DD/MM/YY',
  'YYYY年MM月DD日',
  'YYYYMMDD',
  'MM/DD',
  'DD MMM YYYY',
  'DD MMM YY',
  'DD-MMM-YYYY',
  'DD-MMM-YY',
  'instant',
  'auto',
] as const;
/**
 * `MMM` is a month name: English, German, French or Dutch, abbreviated (`Feb`, `Okt`, `févr.`,
 * `mrt`) or in full (`June`, `März`), any case; `D` may be one digit (`1 Apr 2026`).
 * `instant` is an ISO 8601 date-time with its zone (`2018-02-25 12:34:56 +0000`,
 * `2026-11-03T18:22:05.000Z`): the date is the local calendar date in DateContext.timeZone.
 * `auto` is `NN/NN/YYYY` (also with `.` or `-`) whose day/month order is decided from
 * the whole column (resolveDateOrder); `MM/DD` has no year and takes it from the period;
 * `YY` is a two-digit year placed in a century by the pivot (DateContext.twoDigitYearPivot);
 * `DD/MM/YY` and `MM/DD/YY` have one shape, so a profile names the order (no `auto` for them).
 */
export type DateFormat = (typeof DATE_FORMATS)[number];
export type DateOrder = 'DMY' | 'MDY';

/** A date may carry a wall-clock time after it (`2026-10-03 14:22:10`); the date is what counts. */
const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?)?`;
const DATE_RE: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})${TIME}$`),
  'YYYY/MM/DD': new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})${TIME}$`),
  'DD/MM/YYYY': new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`),
  'MM/DD/YYYY': new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})${TIME}$`),
  'DD.MM.YYYY': new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4})${TIME}$`),
  'DD-MM-YYYY': new RegExp(String.raw`^(\d{1,2})-(\d{1,2})-(\d{4})${TIME}$`),
  'MM-DD-YYYY': new RegExp(String.raw`^(\d{1,2})-(\d{1,2})-(\d{4})${TIME}$`),
  'DD.MM.YY': new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{2})${TIME}$`),
  'MM/DD/YY': new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{2})${TIME}$`),
  'DD/MM/YY': new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{2})${TIME}$`),
  YYYY年MM月DD日: new RegExp(String.raw`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日${TIME}$`),
  YYYYMMDD: new RegExp(String.raw`^(\d{4})(\d{2})(\d{2})${TIME}$`),
  'MM/DD': new RegExp(String.raw`^(\d{1,2})/(\d{1,2})${TIME}$`),
  'DD MMM YYYY': new RegExp(String.raw`^(\d{1,2})\s+(\p{L}+)\.?\s+(\d{4})${TIME}$`, 'u'),
  'DD MMM YY': new RegExp(String.raw`^(\d{1,2})\s+(\p{L}+)\.?\s+(\d{2})${TIME}$`, 'u'),
  'DD-MMM-YYYY': new RegExp(String.raw`^(\d{1,2})-(\p{L}+)\.?-(\d{4})${TIME}$`, 'u'),
  'DD-MMM-YY': new RegExp(String.raw`^(\d{1,2})-(\p{L}+)\.?-(\d{2})${TIME}$`, 'u'),
  instant: /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i,
  auto: new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})${TIME}$`),
};

/** Month names as banks print them (lower case), English first; listed as data so a language is one more row. */
const MONTH_NAMES: readonly (readonly string[])[] = [
  // en
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'],
  ['', '', '', '', '', '', '', '', 'sept', '', '', ''],
  // de
  ['', '', 'mär', '', 'mai', '', '', '', '', 'okt', '', 'dez'],
  ['januar', 'februar', 'märz', '', '', 'juni', 'juli', '', '', 'oktober', '', 'dezember'],
  ['jän', '', 'mrz', '', '', '', '', '', '', '', '', ''],
  // fr
  ['janv', 'févr', 'mars', 'avr', 'mai', 'juin', 'juil', 'août', 'sept', 'oct', 'nov', 'déc'],
  ['janvier', 'février', 'mars', 'avril', '', '', 'juillet', '', 'septembre', 'octobre', 'novembre', 'décembre'],
  ['', 'fév', '', '', '', '', '', 'aou', '', '', '', 'dec'],
  // nl
  ['', '', 'mrt', '', 'mei', '', '', '', '', 'okt', '', ''],
  ['januari', 'februari', 'maart', '', '', '', '', 'augustus', '', '', '', ''],
];
const MONTH_NUMBER: ReadonlyMap<string, number> = new Map(MONTH_NAMES.flatMap((row) => row.flatMap((name, i) => (name ? [[name, i + 1] as const] : []))));

/** `Feb`, `févr`, `März` → 2, 2, 3; null when the word is no month name this reader knows. */
export function monthNumber(name: string): number | null {
  return MONTH_NUMBER.get(name.normalize('NFC').toLowerCase()) ?? null;
}

/** A statement period as local dates, inclusive; `source` says where it came from (for messages). */
export interface StatementPeriodHint {
  from: LocalDate;
  to: LocalDate;
  source: string;
}

export interface DateContext {
  /** The resolved order for `auto`; 'either' when no date in the column tells the orders apart. */
  order?: DateOrder | 'either' | null;
  /** Why `auto` could not be resolved (from resolveDateOrder), to repeat on each row. */
  orderError?: string | null;
  /** The statement period, for `MM/DD` dates. */
  period?: StatementPeriodHint | null;
  /** Two-digit years below this are 20YY, the others 19YY (POSIX strptime's %y uses 69). */
  twoDigitYearPivot?: number;
  /** IANA zone whose calendar date an `instant` falls on; UTC when not given. */
  timeZone?: string;
}

/** The POSIX %y rule: 00–68 → 2000–2068, 69–99 → 1969–1999. */
export const DEFAULT_TWO_DIGIT_YEAR_PIVOT = 69;

export type ParsedDate =
  | {
      ok: true;
      date: LocalDate;
      format: DateFormat;
      /** Year-less dates: days outside the statement period after choosing the year (0 = inside). */
      daysOutsidePeriod?: number;
    }
  | { ok: false; error: string };

function ymd(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function fullYear(yy: number, ctx: DateContext): number {
  return yy < (ctx.twoDigitYearPivot ?? DEFAULT_TWO_DIGIT_YEAR_PIVOT) ? 2000 + yy : 1900 + yy;
}

/** Parses a date cell with the first of `formats` whose shape fits; a cell that fits none is an error, never a default. */
export function parseDate(text: string, formats: readonly DateFormat[], ctx: DateContext = {}): ParsedDate {
  const s = text.normalize('NFKC').trim();
  const want = formats.join(' or ');
  if (s === '') return { ok: false, error: `expected a date (${want}), found an empty cell` };
  for (const format of formats) {
    const m = DATE_RE[format].exec(s);
    if (!m) continue;
    const n = (i: number): number => Number(m[i]);
    let y: number;
    let mo: number;
    let d: number;
    let shownFormat: string = format;
    switch (format) {
      case 'YYYY-MM-DD':
      case 'YYYY/MM/DD':
      case 'YYYY年MM月DD日':
      case 'YYYYMMDD':
        [y, mo, d] = [n(1), n(2), n(3)];
        break;
      case 'DD/MM/YYYY':
      case 'DD.MM.YYYY':
      case 'DD-MM-YYYY':
        [d, mo, y] = [n(1), n(2), n(3)];
        break;
      case 'MM/DD/YYYY':
      case 'MM-DD-YYYY':
        [mo, d, y] = [n(1), n(2), n(3)];
        break;
      case 'DD.MM.YY':
      case 'DD/MM/YY':
        [d, mo, y] = [n(1), n(2), fullYear(n(3), ctx)];
        break;
      case 'MM/DD/YY':
        [mo, d, y] = [n(1), n(2), fullYear(n(3), ctx)];
        break;
      case 'DD MMM YYYY':
      case 'DD MMM YY':
      case 'DD-MMM-YYYY':
      case 'DD-MMM-YY': {
        const month = monthNumber(m[2]!);
        if (month === null) return { ok: false, error: `${JSON.stringify(text)}: "${m[2]}" is not a month name (${format}: English, German, French or Dutch)` };
        [d, mo, y] = [n(1), month, format.endsWith('YYYY') ? n(3) : fullYear(n(3), ctx)];
        break;
      }
      case 'auto': {
        const r = autoOrder(text, n(1), n(3), ctx);
        if ('error' in r) return { ok: false, error: r.error };
        [d, mo, shownFormat] = [r.d, r.mo, r.shown];
        y = n(4);
        break;
      }
      case 'instant':
        return instantDate(text, m, ctx.timeZone ?? 'UTC');
      case 'MM/DD':
        return yearlessDate(text, n(1), n(2), ctx);
    }
    const date = ymd(y, mo, d);
    if (!isCalendarDate(date)) return { ok: false, error: `${JSON.stringify(text)} is not a calendar date (${shownFormat})` };
    return { ok: true, date, format };
  }
  return { ok: false, error: `expected a date (${want}), found ${JSON.stringify(text)}` };
}

/** `auto`: the day/month order of `a/b/YYYY` from the column (ctx.order), or from a value no order could misread. */
function autoOrder(text: string, a: number, b: number, ctx: DateContext): { d: number; mo: number; shown: string } | { error: string } {
  if (ctx.orderError) return { error: ctx.orderError };
  let d: number;
  let mo: number;
  if (ctx.order === 'DMY') [d, mo] = [a, b];
  else if (ctx.order === 'MDY') [mo, d] = [a, b];
  // no column-wide order: only a value that no order could misread is accepted
  else if (a === b || a > 12) [d, mo] = [a, b];
  else if (b > 12) [mo, d] = [a, b];
  else {
    return {
      error: `${JSON.stringify(text)} fits both DD/MM/YYYY and MM/DD/YYYY; set the profile's date order (dates.formats "DD/MM/YYYY" or "MM/DD/YYYY" instead of "auto")`,
    };
  }
  return { d, mo, shown: d === a && a !== b ? 'DD/MM/YYYY' : 'MM/DD/YYYY' };
}

/** `MM/DD` without a year: the year that places it in (or nearest after) the statement period. */
function yearlessDate(text: string, mo: number, d: number, ctx: DateContext): ParsedDate {
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return { ok: false, error: `${JSON.stringify(text)} is not a calendar date (MM/DD)` };
  if (!ctx.period) {
    return {
      ok: false,
      error: `${JSON.stringify(text)} has no year and the statement has no period line; give the statement period (e.g. --period) so the year can be chosen`,
    };
  }
  const placed = placeMonthDay(mo, d, ctx.period);
  if (!placed) return { ok: false, error: `${JSON.stringify(text)} is not a calendar date in any year near the statement period ${ctx.period.from}..${ctx.period.to}` };
  return { ok: true, date: placed.date, format: 'MM/DD', daysOutsidePeriod: placed.daysOutside };
}

/** A date-time with its zone → the calendar date it falls on in `tz` (a 23:30 -05:00 charge is the next day in UTC). */
function instantDate(text: string, m: RegExpExecArray, tz: string): ParsedDate {
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const wall = ymd(y, mo, d);
  if (!isCalendarDate(wall) || h > 23 || mi > 59 || sec > 59) return { ok: false, error: `${JSON.stringify(text)} is not a calendar date and time (instant)` };
  const zone = m[7]!.toUpperCase();
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offsetMinutes = (digits[0] === '-' ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    if (Math.abs(offsetMinutes) > 14 * 60 || Number(digits.slice(3, 5)) > 59) return { ok: false, error: `${JSON.stringify(text)} has no valid UTC offset (${zone})` };
  }
  const epoch = Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 - offsetMinutes * 60;
  return { ok: true, date: localDateOf(epoch, tz), format: 'instant' };
}

/** Whether a cell has the shape of one of the formats (no calendar check): tells data rows from trailer lines. */
export function looksLikeDate(text: string, formats: readonly DateFormat[]): boolean {
  const s = text.normalize('NFKC').trim();
  return s !== '' && formats.some((f) => DATE_RE[f].test(s));
}

export type DateOrderResolution = { ok: true; order: DateOrder | 'either'; reason: string } | { ok: false; error: string };

/**
 * Decides the day/month order of an `auto` date column from ALL its values, never row
 * by row: a first field above 12 means DD/MM, a second above 12 means MM/DD. When every
 * value fits both orders (and some differ between them), it is an error asking for the
 * order to be set in the profile. 'either' means no value is ambiguous.
 */
export function resolveDateOrder(values: Iterable<string>, column = 'the date column'): DateOrderResolution {
  let dmy: string | null = null;
  let mdy: string | null = null;
  let ambiguous: string | null = null;
  for (const v of values) {
    const m = DATE_RE.auto.exec(v.normalize('NFKC').trim());
    if (!m) continue;
    const a = Number(m[1]);
    const b = Number(m[3]);
    if (a > 12 && b > 12) continue; // no order makes it a date: that row's own error
    if (a > 12) dmy ??= v.trim();
    else if (b > 12) mdy ??= v.trim();
    else if (a !== b) ambiguous ??= v.trim();
  }
  if (dmy && mdy) {
    return { ok: false, error: `${column} mixes day/month orders: "${dmy}" needs DD/MM/YYYY but "${mdy}" needs MM/DD/YYYY` };
  }
  if (dmy) return { ok: true, order: 'DMY', reason: `${column}: "${dmy}" can only be DD/MM/YYYY` };
  if (mdy) return { ok: true, order: 'MDY', reason: `${column}: "${mdy}" can only be MM/DD/YYYY` };
  if (ambiguous) {
    return {
      ok: false,
      error: `every date in ${column} fits both DD/MM/YYYY and MM/DD/YYYY (e.g. "${ambiguous}"); set the profile's date order (dates.formats "DD/MM/YYYY" or "MM/DD/YYYY" instead of "auto")`,
    };
  }
  return { ok: true, order: 'either', reason: `${column}: no date is ambiguous` };
}

function dayNumber(date: LocalDate): number {
  // Date.parse of a bare YYYY-MM-DD is UTC midnight, so this is TZ-independent
  return Math.round(Date.parse(date) / 86_400_000);
}

/** Statements list the past: a year-less date is not placed more than this after the period's end. */
const MAX_DAYS_AFTER_PERIOD = 31;

/**
 * The year for a year-less month/day: the latest year that does not put the date more
 * than 31 days after the statement period's end (statements list past transactions).
 * A statement running 2026-12-05..2027-01-04 puts `12/28` in 2026 and `01/03` in 2027.
 * `daysOutside` says how far the date lies outside the period (0 = inside).
 */
export function placeMonthDay(month: number, day: number, period: { from: LocalDate; to: LocalDate }): { date: LocalDate; daysOutside: number } | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const fromN = dayNumber(period.from);
  const toN = dayNumber(period.to);
  const yTo = Number(period.to.slice(0, 4));
  // down to four years back, so that 02/29 finds a leap year
  for (let y = yTo + 1; y >= yTo - 4; y--) {
    const date = ymd(y, month, day);
    if (!isCalendarDate(date)) continue;
    const n = dayNumber(date);
    if (n > toN + MAX_DAYS_AFTER_PERIOD) continue;
    return { date, daysOutside: n < fromN ? fromN - n : n > toN ? n - toN : 0 };
  }
  return null;
}

const PERIOD_FULL_DATE = /(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?|(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/gu;
const PERIOD_MONTH = /(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)|(?<![\d/.-])(\d{4})[-/](\d{1,2})(?![\d/.-])/u;

/**
 * Finds the statement period in preamble (or trailer) lines: a line with two full dates
 * (`账单周期 2026/12/05-2027/01/04`, `Zeitraum: 01.10.2026 - 31.10.2026`) is a range; else
 * a statement month (`2026年12月`, `2026-12`); else a single full date is taken as the
 * closing date of a one-month statement. Day/month-ambiguous slash dates are not used.
 */
export function findPeriodHint(lines: readonly string[]): StatementPeriodHint | null {
  let single: StatementPeriodHint | null = null;
  let month: StatementPeriodHint | null = null;
  for (const raw of lines) {
    const line = raw.normalize('NFKC');
    const dates: LocalDate[] = [];
    for (const m of line.matchAll(PERIOD_FULL_DATE)) {
      const date = m[1] !== undefined ? ymd(Number(m[1]), Number(m[2]), Number(m[3])) : ymd(Number(m[6]), Number(m[5]), Number(m[4]));
      if (isCalendarDate(date)) dates.push(date);
    }
    if (dates.length >= 2) {
      // ISO dates sort as text in time order.
      const [from, to] = [dates[0]!, dates[1]!].sort();
      return { from: from!, to: to!, source: raw.trim() };
    }
    if (!month) {
      const m = PERIOD_MONTH.exec(line);
      if (m) {
        const y = Number(m[1] ?? m[3]);
        const mo = Number(m[2] ?? m[4]);
        if (mo >= 1 && mo <= 12) {
          const from = ymd(y, mo, 1);
          const to = addDays(mo === 12 ? ymd(y + 1, 1, 1) : ymd(y, mo + 1, 1), -1);
          month = { from, to, source: raw.trim() };
        }
      }
    }
    if (!single && dates.length === 1) single = { from: addDays(dates[0]!, -30), to: dates[0]!, source: raw.trim() };
  }
  return month ?? single;
}
