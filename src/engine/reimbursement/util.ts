/** Small helpers of the reimbursement build: minor units, keys, orders and money text. */
import type { Decimal } from '../../money.js';
import type { CurrencyAmount } from './types.js';

// ---------------------------------------------------------------------------
// Currency minor units

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'PYG', 'UGX', 'XAF', 'XOF']);
const THREE_DECIMAL = new Set(['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

/** Decimals of the currency's minor unit (ISO 4217): 0 for JPY/KRW, 3 for KWD/BHD/OMR/JOD/TND, else 2. */
export function minorUnits(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}

// ---------------------------------------------------------------------------
// Small helpers

export const key = (r: { file: string; line: number }): string => `${r.file}\u0000${r.line}`;
export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
export const at = (r: { file: string; line: number }): string => `${r.file}:${r.line}`;

/** Cents when the amount is whole cents, every digit otherwise: a message never hides a digit. */
export function money(d: Decimal, currency: string): string {
  const n = d.normalize();
  return `${n.scale <= minorUnits(currency) ? d.toDisplay(minorUnits(currency)) : n.toString()} ${currency}`;
}

export function addTo(list: CurrencyAmount[], currency: string, amount: Decimal): void {
  const t = list.find((x) => x.currency === currency);
  if (t) t.amount = t.amount.plus(amount);
  else list.push({ currency, amount });
}

/** Home currency first, then alphabetical. */
export function sortTotals(list: CurrencyAmount[], home: string): CurrencyAmount[] {
  return list.sort((a, b) => (a.currency === home ? -1 : b.currency === home ? 1 : cmpStr(a.currency, b.currency)));
}

/** "(…)" labels (unknown cardholder, no cost centre) sort after real names. */
export function cmpLabel(a: string, b: string): number {
  const pa = a.startsWith('(');
  const pb = b.startsWith('(');
  if (pa !== pb) return pa ? 1 : -1;
  return cmpStr(a, b);
}
