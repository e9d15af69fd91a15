/** Stage 3, pending → posted: a pending line posted in a later export is one transaction, counted once (as the posted line). */
import type { MatchContext } from './context.js';
import { at, money } from './format.js';
import { open, optimal, setDecision, type CardNode } from './nodes.js';
import { pendingPostedCost } from './signals.js';

/** Reads: ctx, facts, `decision`. Writes: the pending line's `supersededBy` and `decision`, the posted line's `notes`. */
export function pendingToPosted(ctx: MatchContext, cards: readonly CardNode[]): void {
  const pend = cards.filter((c) => open(c) && c.line.status === 'pending');
  const posted = cards.filter((c) => open(c) && c.line.status === 'posted');
  if (!pend.length || !posted.length) return;
  const pairs = optimal(ctx.o.unmatchedCost, pend, posted, (a, b) => pendingPostedCost(ctx, a, b));
  for (const { row: a, col: b } of pairs) {
    a.supersededBy = b;
    b.notes.push(`replaces the pending line ${at(a.ref)} of an earlier export`);
    setDecision(a, {
      cls: 'pending_authorization',
      counterparts: [b.ref],
      reason: `pending authorisation later posted as ${at(b.ref)} (${b.line.transactionDate}, ${money(b.line.amount, b.line.currency)}): the posted line is the transaction and this one is not counted again`,
      nextStep: null,
    });
  }
}
