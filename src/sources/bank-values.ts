/**
 * Pure parsers for the cells of card and bank statements: amounts written every way banks
 * write them, currencies, card numbers (dates: bank-dates.ts). Nothing here reads files or
 * knows about profiles; every failure is a message precise enough to put on an InputIssue as is.
 */
import { Decimal, MAX_AMOUNT_DIGITS } from '../money.js';
import { shownText } from './csv.js';

// ---------------------------------------------------------------------------
// Amounts

export type DecimalMark = '.' | ',';
export type ThousandsSeparator = ',' | '.' | ' ' | "'" | '';

export interface NumberFormat {
  decimalMark: DecimalMark;
  /** '' when the file never groups digits. */
  thousandsSeparator: ThousandsSeparator;
}

const DEFAULT_NUMBER_FORMAT: NumberFormat = { decimalMark: '.', thousandsSeparator: ',' };

export type ParsedAmount =
  | {
      ok: true;
      /**
       * The value with the cell's own sign marks applied: `-12`, `(12)`, `12-` and
       * `12 DR` are negative (DR lowers an account balance), `12 CR` positive.
       */
      value: Decimal;
      /** An ISO currency code written in the cell (`20.00(USD)`, `USD 20.00`), else null. */
      currency: string | null;
      /** `DR`/`CR` markers say the direction outright, whatever the file's sign convention. */
      direction: 'debit' | 'credit' | null;
    }
  | { ok: false; error: string };

/** Names banks print instead of ISO codes. */
const CURRENCY_ALIASES: Record<string, string> = {
  RMB: 'CNY',
  人民币: 'CNY',
  美元: 'USD',
  欧元: 'EUR',
  英镑: 'GBP',
  日元: 'JPY',
  港币: 'HKD',
  港元: 'HKD',
};

/** `usd`, ` USD `, `RMB`, `人民币` → the ISO code; null when the text is not a currency. */
export function normaliseCurrency(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const alias = CURRENCY_ALIASES[t.toUpperCase()] ?? CURRENCY_ALIASES[t];
  if (alias) return alias;
  return /^[A-Za-z]{3}$/.test(t) ? t.toUpperCase() : null;
}

const REGION_SUFFIX = /^(.*?\d)\s*\(\s*([A-Za-z]{2})\s*\)$/u;

/**
 * `20.00(US)`, `-3.90(CN)`: an amount followed by a two-letter region code (where the card was
 * used; a region is not a currency) → the amount text and the region; else the text unchanged.
 */
export function splitRegionCode(text: string): { text: string; region: string | null } {
  const m = REGION_SUFFIX.exec(text.normalize('NFKC').trim());
  return m ? { text: m[1]!, region: m[2]!.toUpperCase() } : { text, region: null };
}

export function isBlank(text: string | undefined | null): boolean {
  return text === undefined || text === null || text.trim() === '';
}

// Longest first, so `US$` is stripped whole rather than leaving `US`.
const CURRENCY_SYMBOLS = ['US$', 'HK$', 'NZ$', 'A$', 'C$', 'S$', 'R$', '$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '฿', '₫'];
// U+2212 minus, U+2012 figure dash, U+2013 en dash: printed minus signs NFKC leaves alone.
const MINUS_CHARS = ['-', '\u2212', '\u2012', '\u2013'];
const CODE_SUFFIX = /^(.*?)\s*\(\s*([A-Za-z]{3}|[\u4e00-\u9fff]{2,3})\s*\)$/u;
const CODE_TRAILING = /^(.*?[\d)])\s*([A-Za-z]{3}|[\u4e00-\u9fff]{2,3})$/u;
const CODE_LEADING = /^([A-Za-z]{3}|[\u4e00-\u9fff]{2,3})\s*([-+(\d.,\u2212\u2012\u2013$€£¥].*)$/u;
const DRCR_TRAILING = /^(.*?)\s*(?<![A-Za-z])(DR|CR)\.?$/i;

/**
 * Parses an amount cell exactly (Decimal.parse on a cleaned string, never a float).
 * Accepts `-12.00`, `(12.00)`, `12.00-`, `12.00 DR`/`CR`, U+2212 minus, `-($67.00)`
 * (both marks mean negative; they never cancel), currency symbols, a currency code in
 * the cell (`20.00(USD)`), and the decimal mark and digit grouping of `fmt`.
 */
export function parseAmount(text: string, fmt: NumberFormat = DEFAULT_NUMBER_FORMAT): ParsedAmount {
  const shown = JSON.stringify(text);
  // NFKC folds full-width digits, parentheses and ￥, and turns no-break spaces into spaces.
  let s = text
    .normalize('NFKC')
    .replace(/[\u2019\u2032]/g, "'")
    .trim();
  if (s === '') return { ok: false, error: 'expected an amount, found an empty cell' };

  let currency: string | null = null;
  let direction: 'debit' | 'credit' | null = null;
  let minusMarks = 0;
  let parens = false;
  let plus = false;

  for (let guard = 0; guard < 12; guard++) {
    s = s.trim();
    let m: RegExpExecArray | null;
    if ((m = DRCR_TRAILING.exec(s)) && m[1] !== '') {
      if (direction) return { ok: false, error: `${shown} has more than one DR/CR marker` };
      direction = m[2]!.toUpperCase() === 'DR' ? 'debit' : 'credit';
      s = m[1]!;
      continue;
    }
    const code = matchCurrencyCode(s);
    if (code) {
      if (currency && currency !== code.currency) return { ok: false, error: `${shown} names two currencies (${currency}, ${code.currency})` };
      currency = code.currency;
      s = code.rest;
      continue;
    }
    const first = s[0] ?? '';
    const last = s[s.length - 1] ?? '';
    if (MINUS_CHARS.includes(first)) {
      minusMarks++;
      s = s.slice(1);
      continue;
    }
    if (first === '+') {
      plus = true;
      s = s.slice(1);
      continue;
    }
    if (first === '(' && last === ')') {
      if (parens) return { ok: false, error: `${shown} has nested parentheses` };
      parens = true;
      s = s.slice(1, -1);
      continue;
    }
    if (s.length > 1 && MINUS_CHARS.includes(last)) {
      minusMarks++;
      s = s.slice(0, -1);
      continue;
    }
    const sym = CURRENCY_SYMBOLS.find((x) => s.startsWith(x) || s.endsWith(x));
    if (sym) {
      s = s.startsWith(sym) ? s.slice(sym.length) : s.slice(0, -sym.length);
      continue;
    }
    break;
  }

  if (minusMarks > 1) return { ok: false, error: `${shown} has more than one minus sign` };
  const negative = minusMarks > 0 || parens;
  if (plus && (negative || direction === 'debit')) return { ok: false, error: `${shown} has both a plus sign and a negative mark` };
  if (negative && direction === 'credit') return { ok: false, error: `${shown} is marked CR (a credit) but also negative` };

  const digits = parseDigits(s, fmt, shown);
  if (!digits.ok) return digits;
  const value = Decimal.parseAmount(digits.text);
  if (value === null) {
    const huge = Decimal.parse(digits.text) !== null;
    return { ok: false, error: huge ? `${shownText(text)} is not an amount below 10^${MAX_AMOUNT_DIGITS}` : `${shown} is not a number` };
  }
  const neg = negative || direction === 'debit';
  return { ok: true, value: neg ? value.abs().neg() : value, currency, direction };
}

/** A known currency code ending (`20.00(USD)`, `20.00 USD`) or starting (`USD 20.00`) a cell, and the rest. */
function matchCurrencyCode(s: string): { currency: string; rest: string } | null {
  const tail = CODE_SUFFIX.exec(s) ?? CODE_TRAILING.exec(s);
  if (tail && tail[1] !== '') {
    const c = normaliseCurrency(tail[2]!);
    if (c) return { currency: c, rest: tail[1]! };
  }
  const lead = CODE_LEADING.exec(s);
  if (lead) {
    const c = normaliseCurrency(lead[1]!);
    if (c) return { currency: c, rest: lead[2]! };
  }
  return null;
}

/** Unsigned digits with the file's separators → plain `1234.56`, or why not. */
function parseDigits(s: string, fmt: NumberFormat, shown: string): { ok: true; text: string } | { ok: false; error: string } {
  const dm = fmt.decimalMark;
  const ts = fmt.thousandsSeparator;
  const body = s.trim();
  if (body === '' || !/\d/.test(body)) return { ok: false, error: `expected an amount, found ${shown}` };
  const allowed = new Set(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', dm, ...(ts ? [ts] : [])]);
  for (const ch of body) {
    if (!allowed.has(ch)) {
      if ((ch === '.' || ch === ',') && ch !== dm)
        return { ok: false, error: `${shown} uses "${ch}", which this profile uses neither as decimal mark ("${dm}") nor as thousands separator (${ts ? `"${ts}"` : 'none'})` };
      return { ok: false, error: `${shown} has an unexpected character "${ch}" in the number` };
    }
  }
  const at = body.indexOf(dm);
  if (at !== body.lastIndexOf(dm)) {
    return { ok: false, error: `${shown} has more than one decimal mark "${dm}"${dm === '.' ? '; if "." groups thousands here, set numbers.decimalMark to ","' : ''}` };
  }
  const intPart = at < 0 ? body : body.slice(0, at);
  const fracPart = at < 0 ? '' : body.slice(at + 1);
  if (ts && fracPart.includes(ts)) {
    return { ok: false, error: `${shown} has a thousands separator "${ts}" after the decimal mark "${dm}"; the profile's decimal mark may be wrong` };
  }
  let whole = intPart;
  if (ts && intPart.includes(ts)) {
    const groups = intPart.split(ts);
    const western = /^\d{1,3}$/.test(groups[0]!) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
    // Indian grouping (1,23,45,678): pairs before the last group of three.
    const indian = groups.length > 2 && /^\d{1,2}$/.test(groups[0]!) && groups.slice(1, -1).every((g) => /^\d{2}$/.test(g)) && /^\d{3}$/.test(groups[groups.length - 1]!);
    if (!western && !indian) {
      const hint = ts === ',' || ts === '.' ? `; if "${ts}" is the decimal mark here, set numbers.decimalMark to "${ts}"` : '';
      return { ok: false, error: `${shown} groups digits with "${ts}" but not in threes${hint}` };
    }
    whole = groups.join('');
  }
  return { ok: true, text: `${whole === '' ? '0' : whole}${fracPart === '' ? '' : `.${fracPart}`}` };
}

// ---------------------------------------------------------------------------
// Other cells

/** The last four digits of a card number cell (`1234`, `**** 1234`, `XXXX-XXXX-XXXX-1234`); null when fewer. */
export function lastFour(text: string): string | null {
  const digits = text.normalize('NFKC').replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : null;
}
