/**
 * Evidence for `spendrecon profile`: which of two amount columns is in the account's currency.
 * Card exports print the merchant's amount beside its currency ("bedrag", "munt") and then
 * what the card was charged ("bedrag in EUR"); the charge is the amount, the other the original.
 */
import type { AmountColumn } from './profile-evidence.js';
import { type ColumnCells, nonBlank } from './profile-evidence.js';
import { isCurrencyColumn, isIsoCurrency } from './profile-evidence-roles.js';

export interface AccountAmountFinding {
  amount: AmountColumn;
  original: AmountColumn;
  originalCurrency: ColumnCells;
  code: string;
  reason: string;
}

/** A currency code written in a column's header: "bedrag in EUR", "Amount (GBP)". */
function codeInHeader(name: string): string | null {
  const m = /(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])/.exec(name);
  return m && isIsoCurrency(m[1]!) ? m[1]! : null;
}

/** Which of two amount columns is the account's and which the merchant's, and the account's code; null when nothing says. */
function rolesOf(
  chosen: AmountColumn,
  other: AmountColumn,
  cur: ColumnCells,
  given: string | undefined,
): { amount: AmountColumn; original: AmountColumn; code: string; why: string } | null {
  const [a, b] = [codeInHeader(chosen.col.name), codeInHeader(other.col.name)];
  const fits = (code: string) => given === undefined || given.toUpperCase() === code;
  const named = (code: string) => `its header names ${code}${given ? ', the account currency given' : ''}`;
  if (a && !b) return fits(a) ? { amount: chosen, original: other, code: a, why: named(a) } : null;
  if (b && !a) return fits(b) ? { amount: other, original: chosen, code: b, why: named(b) } : null;
  if (a || b || given === undefined) return null;
  // no header names a currency: the one named original/local/foreign, else the one printed beside the currency column, is in that currency
  const beside = (c: AmountColumn) => Math.abs(c.col.index - cur.index) === 1;
  const by = chosen.secondary !== other.secondary ? 'secondary' : beside(chosen) !== beside(other) ? 'beside' : null;
  if (!by) return null;
  const chosenIsOriginal = by === 'secondary' ? chosen.secondary : beside(chosen);
  const [original, amount] = chosenIsOriginal ? [chosen, other] : [other, chosen];
  const how = by === 'secondary' ? 'its header says so' : `it is printed beside "${cur.name}"`;
  return { amount, original, code: given.toUpperCase(), why: `${given.toUpperCase()} is the account currency given, and "${original.col.name}" the merchant's amount (${how})` };
}

/**
 * A currency column holds other codes than the account's (its code named by one amount
 * column's header, or given), and on every row in the account's code two full amount columns
 * agree: one is what the account was charged, the other the merchant's original amount in the
 * currency column's currency (Up Bank's "Subtotal (AUD)" beside "Currency" and
 * "Subtotal (Transaction Currency)"; a card export's "bedrag", "munt", "bedrag in EUR").
 */
export function accountCurrencyAmount(
  chosen: AmountColumn,
  cands: readonly AmountColumn[],
  cols: readonly ColumnCells[],
  rows: number,
  given: string | undefined,
): AccountAmountFinding | null {
  const currencyCols = cols.filter((c) => isCurrencyColumn(c, rows));
  for (const other of cands) {
    if (other === chosen || other.filled < 0.8 * rows) continue;
    for (const cur of currencyCols) {
      const roles = rolesOf(chosen, other, cur, given);
      if (!roles) continue;
      const { amount, original, code } = roles;
      const codes = [...new Set(nonBlank(cur.cells).map((c) => c.trim().toUpperCase()))];
      if (!codes.some((c) => c !== code)) continue;
      const inCode = cur.cells.flatMap((c, r) => (c.trim().toUpperCase() === code ? [r] : []));
      const agree = inCode.filter((r) => {
        const [x, y] = [original.values[r], amount.values[r]];
        return x?.ok && y?.ok && x.value.eq(y.value);
      });
      if (inCode.length === 0 || agree.length < inCode.length) continue;
      return {
        amount,
        original,
        originalCurrency: cur,
        code,
        reason: `"${amount.col.name}" is the amount: ${roles.why}; "${original.col.name}" is the original amount in "${cur.name}" (${codes.join(', ')}): on the ${inCode.length} row${inCode.length > 1 ? 's' : ''} in ${code} the two agree`,
      };
    }
  }
  return null;
}
