/** Stage 8b, leftovers: whatever no stage explained is unmatched, or pending, a refund or a plan charge on its own. */
import { crossProvider, planChargeTexts, planProductOf, type MatchContext } from './context.js';
import { providerName } from '../../providers.js';
import { at, cardLabel, money, payLabel } from './format.js';
import { inScope, NO_MONEY_STATUSES, open, openPay, setDecision, type CardNode, type Flag, type Node, type PayNode } from './nodes.js';

/** Reads: ctx, facts, `decision`, `nearMiss`, `notes`. Writes: `decision` of every open line and payment. */
export function leftovers(ctx: MatchContext, cards: readonly CardNode[], pays: readonly PayNode[]): void {
  for (const c of cards) if (open(c)) leftoverCard(cards, c);
  for (const p of pays) if (openPay(p)) leftoverPayment(p, ctx.o.windowDaysAfter);
}

/** Why nothing matched: the nearest rejected candidate, or that there was none, and the node's notes. */
function whyUnmatched(n: Node): string {
  const parts: string[] = [];
  if (n.nearMiss) parts.push(`nearest candidate ${at(n.nearMiss.ref)} was rejected: ${n.nearMiss.why}`);
  else parts.push(`no ${n.side === 'card' ? 'payment' : 'card line'} within the date window with a compatible amount`);
  if (n.notes.length) parts.push(n.notes.join('; '));
  return parts.join('; ');
}
/** An unmatched row's exception text, plus the other provider's candidate when that was the nearest (SPEC: never paired across providers). */
function withNearMiss(n: Node, message: string): string {
  const other = n.nearMiss?.otherProvider;
  return other ? `${message}; the nearest candidate, ${at(n.nearMiss!.ref)}, is ${providerName(other)}'s and two providers are never paired` : message;
}

/** A credit on the card no payment explains: the refund of a matched charge, or from the provider. */
function cardRefund(cards: readonly CardNode[], c: CardNode): void {
  const l = c.line;
  const label = cardLabel(c);
  const orig = cards.find(
    (o) =>
      inScope(o) &&
      !crossProvider(o, c) &&
      o.decision !== null &&
      ['matched', 'matched_fx_difference'].includes(o.decision.cls) &&
      o.line.currency === l.currency &&
      o.line.amount.eq(l.amount.neg()) &&
      o.day <= c.day,
  );
  const nextStep = orig
    ? `The card shows a refund of a top-up the payment history still lists as paid: check the credit balance and mark the payment refunded.`
    : 'A refund or credit from the provider with no payment marked refunded: find the refund receipt on the billing page and record it.';
  setDecision(c, {
    cls: 'refund',
    counterparts: orig ? [orig.ref] : [],
    reason: orig
      ? `refund on the card of the charge ${cardLabel(orig)}; no payment is marked refunded`
      : `credit from the provider (${money(l.amount, l.currency)}) with no payment marked refunded`,
    nextStep,
    flag: {
      key: `refund-card:${at(c.ref)}`,
      severity: 'warning',
      cls: 'refund',
      subject: label,
      amount: l.amount,
      currency: l.currency,
      message: 'refund on the card not recorded in the payment history',
      nextStep,
      refs: [l.src, ...(orig ? [orig.line.src] : [])],
    },
  });
}

function leftoverCard(cards: readonly CardNode[], c: CardNode): void {
  const l = c.line;
  const label = cardLabel(c);
  if (c.subscription) {
    const plan = planProductOf([c]);
    const { nextStep, message } = planChargeTexts(plan);
    setDecision(c, {
      cls: 'subscription_not_api',
      counterparts: [],
      reason: `${plan} plan ${l.amount.sign() < 0 ? 'refund' : 'charge'} (descriptor), not API credit; no subscription payment in the history matches it`,
      nextStep,
      flag: {
        key: `sub:${at(c.ref)}`,
        severity: 'warning',
        cls: 'subscription_not_api',
        subject: label,
        amount: l.amount,
        currency: l.currency,
        message,
        nextStep,
        refs: [l.src],
      },
    });
  } else if (l.amount.sign() < 0) {
    cardRefund(cards, c);
  } else if (l.status === 'pending') {
    const nextStep = 'Bank shows a pending authorisation the provider never confirmed: wait for release, do not pay again.';
    setDecision(c, {
      cls: 'pending_authorization',
      counterparts: [],
      reason: `pending authorisation with no confirmed payment and no posted line in a later export; ${whyUnmatched(c)}`,
      nextStep,
      flag: {
        key: `pending:${at(c.ref)}`,
        severity: 'warning',
        cls: 'pending_authorization',
        subject: label,
        amount: l.amount,
        currency: l.currency,
        message: 'pending authorisation the provider never confirmed',
        nextStep,
        refs: [l.src],
      },
    });
  } else {
    const nextStep = c.feeLike
      ? 'A fee line naming the provider with no parent charge on the same statement: check the statement that holds the charge, or ask the bank what it is for.'
      : "No top-up in the payment history explains this charge: download its receipt from the provider's billing page and add it to the payment history; check it was not bought for another organisation; otherwise dispute it with the bank.";
    setDecision(c, {
      cls: 'unmatched_card_charge',
      counterparts: [],
      reason: `${c.feeLike ? 'looks like a foreign-transaction fee but no parent charge was found; ' : ''}${whyUnmatched(c)}`,
      nextStep,
      flag: {
        key: `card:${at(c.ref)}`,
        severity: 'error',
        cls: 'unmatched_card_charge',
        subject: label,
        amount: l.amount,
        currency: l.currency,
        message: withNearMiss(c, 'card charge to the provider not explained by any payment'),
        nextStep,
        refs: [l.src],
      },
    });
  }
}

function leftoverPayment(p: PayNode, windowDaysAfter: number): void {
  const r = p.p;
  if (r.kind === 'grant') {
    setDecision(p, {
      cls: 'unmatched_payment',
      counterparts: [],
      reason: 'grant (credit given by the provider): no card charge is expected and none is looked for',
      nextStep: null,
    });
  } else if (r.kind === 'subscription') {
    setDecision(p, {
      cls: 'subscription_not_api',
      counterparts: [],
      reason: `${planProductOf([p])} plan payment, not API credit; no card line on these statements matches it; ${whyUnmatched(p)}`,
      nextStep: null,
    });
  } else if (r.status === 'refunded') {
    const nextStep = 'Check the next statement for the refund; if it never arrives, ask provider support with the reference.';
    setDecision(p, {
      cls: 'refund',
      counterparts: [],
      reason: `refunded payment; neither its charge nor its refund is on these statements; ${whyUnmatched(p)}`,
      nextStep,
      flag: paymentFlag(p, `refund-pay:${at(p.ref)}`, 'warning', 'refund', 'payment marked refunded but no refund on the card statements', nextStep),
    });
  } else if (NO_MONEY_STATUSES.has(r.status)) {
    // a failed or void attempt that left nothing on the card moved no money: not an exception
    setDecision(p, { cls: 'unmatched_payment', counterparts: [], reason: `${r.status} payment with no card line: no money moved, nothing to reconcile`, nextStep: null });
  } else if (r.status === 'pending') {
    const nextStep = 'The provider still shows this payment as pending: check again once it settles.';
    setDecision(p, {
      cls: 'unmatched_payment',
      counterparts: [],
      reason: `payment still pending at the provider and no card line yet; ${whyUnmatched(p)}`,
      nextStep,
      flag: paymentFlag(p, `pay:${at(p.ref)}`, 'info', 'unmatched_payment', 'pending payment with no card line yet', nextStep),
    });
  } else {
    const nextStep =
      `No card charge explains this payment: check that the statements cover ${p.date} to ${windowDaysAfter} days later` +
      (r.cardLast4 ? `, that card ${r.cardLast4} is among them` : '') +
      (r.kind === 'invoice' ? ', or whether the invoice was paid by bank transfer' : '') +
      '; add the missing statement.';
    setDecision(p, {
      cls: 'unmatched_payment',
      counterparts: [],
      reason: `paid, but no card line matches; ${whyUnmatched(p)}`,
      nextStep,
      flag: paymentFlag(p, `pay:${at(p.ref)}`, 'warning', 'unmatched_payment', withNearMiss(p, 'payment not found on the card statements'), nextStep),
    });
  }
}

/** The exception a leftover payment raises, carrying the payment's own amount, currency and row. */
function paymentFlag(p: PayNode, key: string, severity: Flag['severity'], cls: Flag['cls'], message: string, nextStep: string): Flag {
  return { key, severity, cls, subject: payLabel(p), amount: p.p.amount, currency: p.p.currency, message, nextStep, refs: [p.p.src] };
}
