/**
 * Money and dates as receipts print them (`$1,250.00`, `€20.00 EUR`, `-$20.00`, `October 2, 2026`),
 * read exactly: amounts into Decimal, never through a float.
 */
import { Decimal } from '../../money.js';
import { parseLocalDateTime } from '../../time.js';
import { monthNumber } from '../bank-dates.js';

/** Symbols as Stripe prints them in en-US: a bare `$` is US dollars, other dollars carry a prefix. */
const SYMBOLS: Record<string, string> = {
  $: 'USD',
  US$: 'USD',
  CA$: 'CAD',
  A$: 'AUD',
  AU$: 'AUD',
  NZ$: 'NZD',
  HK$: 'HKD',
  S$: 'SGD',
  SGD: 'SGD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  'JP¥': 'JPY',
  'CN¥': 'CNY',
  '₹': 'INR',
  R$: 'BRL',
  CHF: 'CHF',
};

// a sign counts only right before the symbol: "Sales tax - $4.56" is a label and a positive amount
const MONEY = /([-−(]?)((?:[A-Z]{1,2})?[$€£¥₹]|CHF|SGD)\s?(\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)\)?(?:\s+([A-Z]{3})\b)?/g;

export interface MoneyText {
  amount: Decimal;
  currency: string;
}

/** Every amount with a currency symbol in a piece of text, in order. */
export function moneyTokens(text: string): MoneyText[] {
  const out: MoneyText[] = [];
  for (const m of text.matchAll(MONEY)) {
    const symbolCurrency = SYMBOLS[m[2]!];
    const code = m[4] ?? null;
    // `$20.00 USD`: the code names the currency; a code that contradicts a non-dollar symbol is not money we can trust
    const currency = code ?? symbolCurrency;
    if (!currency || (code && symbolCurrency && symbolCurrency !== code && !m[2]!.endsWith('$'))) continue;
    const amount = Decimal.parseAmount(m[3]!.replace(/,/g, ''));
    if (!amount) continue;
    out.push({ amount: m[1] ? amount.neg() : amount, currency });
  }
  return out;
}

/** The one amount a field holds (the first, as in `Amount paid $20.00`); null when it has none. */
export function parseMoneyText(text: string): MoneyText | null {
  return moneyTokens(text)[0] ?? null;
}

/** A month name as receipts print it (`October`, `Oct.`), through the statement readers' table of names. */
function monthOf(name: string): number | null {
  return monthNumber(name.replace(/\.$/, ''));
}

/** `October 2, 2026`, `Oct 2, 2026`, `2 October 2026` or `2026-10-02` → `2026-10-02`; null otherwise. */
export function parseDocumentDate(text: string): string | null {
  const s = text.trim();
  let y: number | null = null;
  let mo: number | null = null;
  let d: number | null = null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})\b/.exec(s);
  const mdy = /^([A-Za-z]+\.?) (\d{1,2}),? (\d{4})\b/.exec(s);
  const dmy = /^(\d{1,2}) ([A-Za-z]+\.?),? (\d{4})\b/.exec(s);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (mdy) [y, mo, d] = [Number(mdy[3]), monthOf(mdy[1]!), Number(mdy[2])];
  else if (dmy) [y, mo, d] = [Number(dmy[3]), monthOf(dmy[2]!), Number(dmy[1])];
  if (y === null || mo === null || d === null) return null;
  const date = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  // round-trip through the calendar: 31 September is no date
  return parseLocalDateTime(date, 'UTC') === null ? null : date;
}

/**
 * A printed date without a time is taken at 12:00 UTC that day: its date is then the same
 * local date in every zone from UTC−12 to UTC+11, the rule cost buckets follow (SPEC §3).
 */
export function instantOfPrintedDate(date: string): number {
  return parseLocalDateTime(`${date} 12:00`, 'UTC')!;
}

/** A date-time as the billing page shows it (`Oct 2, 2026, 2:15 PM`), in the browser's zone = the reporting zone. */
export function parsePageDateTime(text: string, tz: string): number | null {
  const m = /^(.+?\d{4}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AP]M)?$/i.exec(text.trim());
  const date = parseDocumentDate(m ? m[1]! : text);
  if (!date) return null;
  if (!m) return parseLocalDateTime(date, tz);
  let h = Number(m[2]);
  const ampm = m[5]?.toUpperCase();
  if (ampm && (h < 1 || h > 12)) return null;
  if (ampm === 'PM' && h !== 12) h += 12;
  if (ampm === 'AM' && h === 12) h = 0;
  return parseLocalDateTime(`${date} ${String(h).padStart(2, '0')}:${m[3]}:${m[4] ?? '00'}`, tz);
}
