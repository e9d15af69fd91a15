/**
 * Evidence for `spendrecon profile`: which money columns are running balances. A header names
 * a balance ("Saldo", "Balance"); a file without a header does not, and a balance column reads
 * as money on every row like the amount does. What gives it away is arithmetic: from one row
 * to the next the balance moves by exactly another column's amount (exact Decimal sums).
 */
import type { Decimal } from '../money.js';
import type { AmountColumn } from './profile-evidence.js';

export interface BalanceFinding {
  balance: AmountColumn;
  /** The column whose amounts the balance moves by. */
  by: AmountColumn;
  reason: string;
}

const valueAt = (c: AmountColumn, r: number): Decimal | null => {
  const v = c.values[r];
  return v?.ok ? v.value : null;
};

// B[i+1] − B[i] = ±A[i+1] (a balance after each row) or ±A[i] (before it); reversed date order or the
// other sign convention turn one into another, so which of them fits says nothing more
const AMOUNT_ROWS = [1, 0] as const;

/** How many of the row-to-row steps of `b` equal ±`a` of the row `amountRow` after the first, of the steps where `a` moves money. */
function stepsMatched(b: AmountColumn, a: AmountColumn, rows: number, amountRow: 0 | 1): { steps: number; hits: number } {
  let steps = 0;
  let same = 0;
  let opposite = 0;
  for (let r = 0; r + 1 < rows; r++) {
    const [b0, b1, amt] = [valueAt(b, r), valueAt(b, r + 1), valueAt(a, r + amountRow)];
    if (!b0 || !b1 || !amt || amt.isZero()) continue;
    steps++;
    const move = b1.minus(b0);
    if (move.eq(amt)) same++;
    else if (move.eq(amt.neg())) opposite++;
  }
  return { steps, hits: Math.max(same, opposite) };
}

/**
 * The money columns that are running balances of another: on 80 % of at least two row-to-row
 * steps (where the other column is not zero), the column moves by exactly that column's amount.
 */
export function runningBalances(cands: readonly AmountColumn[], rows: number): BalanceFinding[] {
  const out: BalanceFinding[] = [];
  for (const b of cands) {
    for (const a of cands) {
      if (a === b) continue;
      const best = AMOUNT_ROWS.map((at) => stepsMatched(b, a, rows, at)).sort((x, y) => y.hits - x.hits)[0]!;
      if (best.steps < 2 || best.hits < 0.8 * best.steps) continue;
      out.push({
        balance: b,
        by: a,
        reason: `"${b.col.name}" is a running balance, not the amount: from one row to the next it moves by exactly the "${a.col.name}" of one of the two rows on ${best.hits} of ${best.steps} steps`,
      });
      break;
    }
  }
  return out;
}
