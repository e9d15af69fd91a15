/** Stages 7b and 8a: attempts the bank declined or reversed, and repeated charges for one payment. */
import { crossProvider, planProductOf, type MatchContext } from './context.js';
import { at, cardLabel, payLabel, toProv } from './format.js';
import { inScope, NO_MONEY_STATUSES, open, openPay, optimal, setDecision, type CardNode, type Flag, type PayNode } from './nodes.js';
import { attemptCost } from './signals.js';

/**
 * Declined/reversed card attempts move no money; each is paired with the failed payment it was, if any.
 * Reads: ctx, facts, `decision`. Writes: `decision` of the attempts and their failed payments.
 */
export function declinedAttempts(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  const attempts = cards.filter((c) => open(c) && (c.line.status === 'declined' || c.line.status === 'reversed'));
  if (!attempts.length) return;
  const failed = pays.filter((p) => openPay(p) && NO_MONEY_STATUSES.has(p.p.status) && p.p.kind !== 'grant');
  const pairs = optimal(
    ctx.o.unmatchedCost,
    failed,
    attempts.filter((c) => !c.subscription),
    (p, c) => attemptCost(ctx, p, c),
  );
  const nextStep = 'Nothing to do: the attempt was declined or reversed by the bank and moved no money. Do not pay again because of it.';
  for (const c of attempts) {
    const pair = pairs.find((x) => x.col === c);
    const word = c.line.status === 'declined' ? 'declined' : 'reversed';
    const flag: Flag = {
      key: `attempt:${at(c.ref)}`,
      severity: 'info',
      cls: 'authorization_reversed',
      subject: cardLabel(c),
      amount: c.line.amount,
      currency: c.line.currency,
      message: `the bank shows this attempt as ${word}`,
      nextStep,
      refs: [c.line.src, ...(pair ? [pair.row.p.src] : [])],
    };
    if (c.subscription) {
      setDecision(c, {
        cls: 'subscription_not_api',
        counterparts: [],
        reason: `${planProductOf([c])} plan attempt ${word} by the bank: no money moved`,
        nextStep: null,
      });
      continue;
    }
    setDecision(c, {
      cls: 'authorization_reversed',
      counterparts: pair ? [pair.row.ref] : [],
      reason: `the bank shows this authorisation as ${word}: it moved no money${pair ? `; it was the attempt of ${payLabel(pair.row)}` : ''}`,
      nextStep,
      flag,
    });
    if (pair)
      setDecision(pair.row, {
        cls: 'authorization_reversed',
        counterparts: [c.ref],
        reason: `${pair.row.p.status} payment; the bank ${word} the attempt ${at(c.ref)}: no money moved`,
        nextStep,
        flag,
      });
  }
}

/**
 * An open charge of the same amount on the same day as a matched one is a duplicate of it.
 * Reads: facts, `decision`. Writes: `decision` of the duplicates.
 */
export function duplicateAttempts(cards: readonly CardNode[]): void {
  const anchors = cards.filter(
    (c) =>
      inScope(c) &&
      c.decision !== null &&
      ['matched', 'matched_fx_difference', 'failed_payment_with_hold'].includes(c.decision.cls) &&
      c.decision.counterparts.some((r) => r.side === 'payment'),
  );
  for (const c of cards) {
    if (!open(c) || c.subscription || c.feeLike || c.line.amount.sign() <= 0) continue;
    if (c.line.status !== 'pending' && c.line.status !== 'posted') continue;
    const anchor = anchors.find((a) => !crossProvider(a, c) && a.line.currency === c.line.currency && a.line.amount.eq(c.line.amount) && a.day === c.day);
    if (!anchor) continue;
    const payRefs = anchor.decision!.counterparts.filter((r) => r.side === 'payment');
    const pending = c.line.status === 'pending';
    const nextStep = pending
      ? 'A repeated attempt left an extra authorisation: it normally drops off within 7–10 days. Do not pay again.'
      : `The card was charged more than once for one top-up: ask provider support for a refund of the extra charge (payment ${payRefs.map(at).join(', ')}), or dispute it with the bank.`;
    setDecision(c, {
      cls: 'duplicate_charge',
      counterparts: [anchor.ref, ...payRefs],
      reason: `same amount on the same day as ${cardLabel(anchor)}, which the payment ${payRefs.map(at).join(', ')} already explains; the provider recorded one payment`,
      nextStep,
      flag: {
        key: `dup:${at(c.ref)}`,
        severity: pending ? 'warning' : 'error',
        cls: 'duplicate_charge',
        subject: cardLabel(c),
        amount: c.line.amount,
        currency: c.line.currency,
        message: `${pending ? 'extra authorisation' : 'duplicate charge'} for one payment (also charged as ${at(anchor.ref)})`,
        nextStep,
        refs: [c.line.src, anchor.line.src, ...payRefs.map(toProv)],
      },
    });
  }
}
