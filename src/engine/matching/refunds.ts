/**
 * Stage 6, refunds and reversals. A reversal sits next to its authorisation (days); a refund
 * can follow its payment by weeks, so reversals of authorisations are paired first, refunds
 * take what is left, and posted lines no payment explains only what the refunds left.
 */
import type { MatchContext } from './context.js';
import { at, cardLabel, money, payLabel, toProv } from './format.js';
import { inScope, open, optimal, setDecision, type CardNode, type Flag, type PayNode } from './nodes.js';
import { refundCost, reversalCost } from './signals.js';

/**
 * An authorisation (a pending line, or a failed payment's hold) and its reversal net to zero.
 * Reads: ctx, facts, `decision`, `supersededBy`. Writes: `decision` of both lines and of the failed payment (replacing its hold decision).
 */
export function netReversals(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  netPairs(
    ctx,
    reversible(cards).filter((c) => c.decision !== null || c.line.status === 'pending'),
    reversalLines(cards),
    pays,
  );
}

/**
 * A posted line no payment explains, netted with a negative line the refunds left. After the
 * refunds, not with the holds: a refunded payment documents its refund line, while a posted
 * line days before it is usually a repeat of a matched charge (the duplicate stage's), and
 * which one took the negative line would otherwise hang on a day's weight.
 * Reads and writes as netReversals.
 */
export function netPostedReversals(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  netPairs(
    ctx,
    reversible(cards).filter((c) => c.decision === null && c.line.status !== 'pending'),
    reversalLines(cards),
    pays,
  );
}

/** Positive lines a reversal may net: undecided ones, and the holds of failed payments. */
function reversible(cards: readonly CardNode[]): CardNode[] {
  return cards.filter(
    (c) =>
      inScope(c) &&
      c.supersededBy === null &&
      !c.subscription &&
      !c.feeLike &&
      c.line.amount.sign() > 0 &&
      c.line.status !== 'declined' &&
      (c.decision === null || (c.decision.cls === 'failed_payment_with_hold' && !c.decision.forced && c.decision.counterparts.every((r) => r.side === 'payment'))),
  );
}

/** Open negative provider lines that may reverse an authorisation. */
export function reversalLines(cards: readonly CardNode[]): CardNode[] {
  return cards.filter((c) => open(c) && !c.subscription && !c.feeLike && c.line.amount.sign() < 0 && c.line.status !== 'declined');
}

function netPairs(ctx: MatchContext, auths: CardNode[], reversals: CardNode[], pays: readonly PayNode[]): void {
  if (!auths.length || !reversals.length) return;
  const pairs = optimal(ctx.o.unmatchedCost, auths, reversals, (a, r) => reversalCost(ctx, a, r));
  for (const { row: a, col: r } of pairs) {
    const payRefs = a.decision ? a.decision.counterparts : [];
    const nextStep = 'Nothing to do: the authorisation was reversed and nets to zero. Do not pay again because of it.';
    const flag: Flag = {
      key: `reversal:${at(a.ref)}`,
      severity: 'info',
      cls: 'authorization_reversed',
      subject: cardLabel(a),
      amount: a.line.amount,
      currency: a.line.currency,
      message: `authorisation ${at(a.ref)} reversed by ${at(r.ref)} (nets to zero)`,
      nextStep,
      refs: [a.line.src, r.line.src, ...payRefs.map(toProv)],
    };
    const failedText = payRefs.length ? `; the provider recorded the payment ${payRefs.map(at).join(', ')} as failed` : '';
    setDecision(a, {
      cls: 'authorization_reversed',
      counterparts: [r.ref, ...payRefs],
      reason: `authorisation of ${money(a.line.amount, a.line.currency)} reversed by ${cardLabel(r)}${failedText}`,
      nextStep,
      flag,
      replace: true,
    });
    setDecision(r, {
      cls: 'authorization_reversed',
      counterparts: [a.ref, ...payRefs],
      reason: `reversal of the authorisation ${cardLabel(a)}`,
      nextStep,
      flag,
    });
    for (const pr of payRefs) {
      const p = pays.find((x) => x.ref.file === pr.file && x.ref.line === pr.line)!;
      setDecision(p, {
        cls: 'authorization_reversed',
        counterparts: [a.ref, r.ref],
        reason: `${p.p.status} payment whose bank hold ${at(a.ref)} was released by ${at(r.ref)}: no money moved`,
        nextStep,
        flag,
        replace: true,
      });
    }
  }
}

/**
 * A refunded payment is linked to the refund on the card; its charge (if matched) learns of it.
 * Reads: ctx, facts, `decision`. Writes: the refund line's `decision`; amends the payment's and its charge's decisions.
 */
export function linkRefunds(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  const refunded = pays.filter((p) => p.dupOf === null && p.p.status === 'refunded' && p.p.amount.sign() > 0);
  const negatives = cards.filter((c) => open(c) && !c.feeLike && c.line.amount.sign() < 0 && c.line.status !== 'declined');
  if (!refunded.length || !negatives.length) return;
  const pairs = optimal(ctx.o.unmatchedCost, refunded, negatives, (p, c) => refundCost(ctx, p, c));
  for (const { row: p, col: c } of pairs) {
    const charge = p.decision ? p.decision.counterparts.filter((r) => r.side === 'card') : [];
    const nextStep = 'Nothing to chase: the refund is on the card. Check the refunded credit is gone from the balance.';
    const refs = [p.p.src, c.line.src, ...charge.map(toProv)];
    const flag: Flag = {
      key: `refund:${at(p.ref)}`,
      severity: 'info',
      cls: c.subscription ? 'subscription_not_api' : 'refund',
      subject: payLabel(p),
      amount: c.line.amount,
      currency: c.line.currency,
      message: `refund of payment ${p.p.reference || at(p.ref)} on the card ${at(c.ref)}`,
      nextStep,
      refs,
    };
    setDecision(c, {
      cls: c.subscription ? 'subscription_not_api' : 'refund',
      counterparts: [p.ref, ...charge],
      reason: `refund on the card of ${payLabel(p)}${charge.length ? `, charged as ${charge.map(at).join(', ')}` : ''}`,
      nextStep,
      flag,
    });
    if (p.decision) {
      p.decision.counterparts.push(c.ref);
      p.decision.reason += ` Refunded on the card as ${at(c.ref)}.`;
      p.decision.nextStep = nextStep;
      p.decision.flag = flag;
      for (const ch of charge) {
        const node = cards.find((x) => x.ref.file === ch.file && x.ref.line === ch.line);
        if (node?.decision) {
          node.decision.counterparts.push(c.ref);
          node.decision.reason += ` Refunded as ${at(c.ref)}.`;
          node.decision.nextStep = nextStep;
          node.decision.flag = flag;
        }
      }
    } else {
      setDecision(p, {
        cls: p.p.kind === 'subscription' ? 'subscription_not_api' : 'refund',
        counterparts: [c.ref],
        reason: `refunded payment; its refund is on the card as ${cardLabel(c)}; the original charge is not on these statements`,
        nextStep,
        flag,
      });
    }
  }
}
