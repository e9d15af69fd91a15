/**
 * Evidence for `spendrecon profile`: the merchant's amount written inside a row's text
 * (Rakuten Card's continuation row "現地利用額 20.00 USD 換算レート 156.000"), and the
 * `originalInText` pattern that reads it back. Pure: texts in, a finding out.
 */
import { parseAmount, type NumberFormat } from './bank-values.js';
import { isIsoCurrency } from './profile-evidence-roles.js';

export interface OriginalTextFinding {
  /** For profile.continuation.pattern: the start every such row shares. */
  rowPattern: string;
  /** For profile.originalInText.pattern, with named groups amount and currency. */
  pattern: string;
  /** How the amount in the text is written, when not as the profile's amounts are. */
  numbers: NumberFormat | null;
  reason: string;
}

// a number, then a currency code that is a word of its own
const AMOUNT_CODE = /(?<![\p{L}\p{N}.,])(\d(?:[\d.,]*\d)?)\s*([A-Z]{3})(?![\p{L}])/u;
const FORMATS: NumberFormat[] = [
  { decimalMark: '.', thousandsSeparator: ',' },
  { decimalMark: ',', thousandsSeparator: '.' },
];
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Every text holds a number followed by a currency code, after the same words (or none):
 * the pattern reads them, and is checked to read each one with the profile's number format
 * (`fmt`), else the other decimal mark. Null when any text does not fit.
 */
export function originalTextFinding(texts: readonly string[], fmt: NumberFormat | null = null): OriginalTextFinding | null {
  if (texts.length === 0) return null;
  const hits = texts.map((t) => ({ t, m: AMOUNT_CODE.exec(t) }));
  if (hits.some((h) => !h.m || !isIsoCurrency(h.m[2]!))) return null;
  const labels = new Set(hits.map((h) => h.t.slice(0, h.m!.index).trim()));
  if (labels.size !== 1) return null;
  const label = [...labels][0]!;
  const amount = '(?<amount>\\d(?:[\\d.,]*\\d)?)\\s*(?<currency>[A-Z]{3})\\b';
  const pattern = label ? `${escapeRe(label)}\\s*${amount}` : `^${amount}`;
  const word = /^[\p{L}\p{N}]+/u.exec(label)?.[0];
  const rowPattern = word ? `^${escapeRe(word)}` : '^\\d(?:[\\d.,]*\\d)?\\s*[A-Z]{3}\\b';
  const numbers = [...(fmt ? [fmt] : []), ...FORMATS].find((f) => hits.every((h) => parseAmount(new RegExp(pattern, 'iu').exec(h.t)?.groups?.amount ?? '', f).ok));
  if (!numbers) return null;
  const same = !fmt || (numbers.decimalMark === fmt.decimalMark && numbers.thousandsSeparator === fmt.thousandsSeparator);
  const first = hits[0]!.m!;
  return {
    rowPattern,
    pattern,
    numbers: same ? null : numbers,
    reason: `${texts.length === 1 ? 'the row holds' : `the ${texts.length} rows each hold`} an amount and a currency code${label ? ` after "${label}"` : ''} (${first[1]} ${first[2]}): the merchant's original amount, read by originalInText ${JSON.stringify(pattern)}`,
  };
}
