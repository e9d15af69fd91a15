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

/**
 * The chosen amount names no currency, but another full amount column's header names one (the
 * account's, when given), and a currency column holds other codes too: on every row in that
 * code the two amounts agree, so the chosen column is the original amount in the currency
 * column's currency, and the other is what the account was charged.
 */
export function accountCurrencyAmount(
  chosen: AmountColumn,
  cands: readonly AmountColumn[],
  cols: readonly ColumnCells[],
  rows: number,
  given: string | undefined,
): AccountAmountFinding | null {
  if (codeInHeader(chosen.col.name)) return null;
  const currencyCols = cols.filter((c) => isCurrencyColumn(c, rows));
  for (const amount of cands) {
    const code = codeInHeader(amount.col.name);
    if (amount === chosen || !code || amount.filled < 0.8 * rows || (given !== undefined && given.toUpperCase() !== code)) continue;
    for (const cur of currencyCols) {
      const codes = [...new Set(nonBlank(cur.cells).map((c) => c.trim().toUpperCase()))];
      if (!codes.some((c) => c !== code)) continue;
      const inCode = cur.cells.flatMap((c, r) => (c.trim().toUpperCase() === code ? [r] : []));
      const agree = inCode.filter((r) => {
        const [a, b] = [chosen.values[r], amount.values[r]];
        return a?.ok && b?.ok && a.value.eq(b.value);
      });
      if (inCode.length === 0 || agree.length < inCode.length) continue;
      return {
        amount,
        original: chosen,
        originalCurrency: cur,
        code,
        reason: `"${amount.col.name}" is the amount: its header names ${code}${given ? ', the account currency given' : ''}; "${chosen.col.name}" is the original amount in "${cur.name}" (${codes.join(', ')}): on the ${inCode.length} row${inCode.length > 1 ? 's' : ''} in ${code} the two agree`,
      };
    }
  }
  return null;
}
