/** Small helpers of the reimbursement build: minor units, keys, orders and money text. */
import type { Decimal } from '../../money.js';
import type { CurrencyAmount } from './types.js';

export { minorUnits } from '../../money.js';
import { minorUnits } from '../../money.js';

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
