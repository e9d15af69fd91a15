/** Stage 7a, fees: a foreign-transaction fee line is attached to its parent charge on the same statement. */
import { ratio } from '../../money.js';
import { feeCap } from './amounts.js';
import { crossProvider, type MatchContext } from './context.js';
import { at, money } from './format.js';
import { decideFee } from './group.js';
import { inScope, paymentsOf, type CardNode, type PayNode } from './nodes.js';

/**
 * Each open fee line takes the closest-shaped charge before it (within feeWindowDays), one fee per charge.
 * Reads: ctx, facts, `dupOf`, `decision`, `supersededBy`. Writes: the fee's `decision` and `pulledIn`; amends the parent's and its payments' decisions (or the parent's `notes`).
 */
export function attachFees(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  const fees = cards.filter((c) => c.dupOf === null && c.decision === null && c.supersededBy === null && c.feeLike);
  const taken = new Set<CardNode>();
  for (const f of fees) {
    const lf = f.line;
    let best: { c: CardNode; score: number } | null = null;
    for (const c of cards) {
      const lc = c.line;
      if (c === f || c.feeLike || crossProvider(c, f) || c.dupOf !== null || c.supersededBy !== null || taken.has(c)) continue;
      if (c.ref.file !== f.ref.file || lc.currency !== lf.currency || lc.amount.sign() !== lf.amount.sign()) continue;
      if (lc.status !== 'posted' && lc.status !== 'pending') continue;
      if (lc.cardLast4 && lf.cardLast4 && lc.cardLast4 !== lf.cardLast4) continue;
      const delta = f.day - c.day;
      if (Number.isNaN(delta) || delta < 0 || delta > ctx.o.feeWindowDays) continue;
      const cap = feeCap(ctx.o, lc.amount);
      if (lf.amount.abs().cmp(cap) > 0) continue;
      const foreign = c.foreign || (c.decision?.crossCurrency ?? false);
      // a generic fee line only follows a foreign charge; one naming the provider may follow any provider charge
      if (!foreign && !(f.provider !== null && f.provider === c.provider)) continue;
      const share = ratio(lf.amount.abs(), lc.amount.abs()) ?? 1;
      const score = Math.abs(share - ctx.o.fxTolerancePercent.toNumber() / 100) + 0.1 * delta;
      if (!best || score < best.score) best = { c, score };
    }
    if (!best || !inScope(best.c)) continue; // a fee of some other merchant's charge
    const parent = best.c;
    taken.add(parent);
    if (f.provider === null) f.pulledIn = 'fee';
    const ps = parent.decision ? paymentsOf(pays, parent.decision.counterparts) : [];
    decideFee(f, parent, ps, false, null);
    if (parent.decision) {
      parent.decision.counterparts.push(f.ref);
      parent.decision.reason += ` Foreign-transaction fee ${money(lf.amount, lf.currency)} on ${at(f.ref)}.`;
    } else parent.notes.push(`foreign-transaction fee ${money(lf.amount, lf.currency)} on ${at(f.ref)}`);
    for (const p of ps) p.decision?.counterparts.push(f.ref);
  }
}
