/**
 * Deciding a matched group (a forced pair, a one-to-one pair, a many-to-one group): its class,
 * which lines are fees of the parent charge, and the reason, next step and flag every member
 * shares.
 */
import type { Provenance } from '../../model.js';
import { sum, type Decimal } from '../../money.js';
import { compareAmounts, feeCap, largest, syntheticLine, uniform } from './amounts.js';
import { planChargeTexts, planProductOf, type MatchContext } from './context.js';
import { at, cardLabel, money, payLabel, round4 } from './format.js';
import { NO_MONEY_STATUSES, setDecision, type AmountCheck, type CardNode, type Flag, type Node, type PayNode } from './nodes.js';
import { scoreOf } from './signals.js';
import type { AmountDifference, MatchClass, RunnerUp, ScoreBreakdown } from './types.js';

export interface GroupHow {
  forced: boolean;
  /** The score already computed (with texts); null = compute it here. */
  score: ScoreBreakdown | null;
  runnerUp: Map<Node, RunnerUp> | null;
  margin: number | null;
}

/** What the texts of a group are made of. */
interface GroupFacts {
  ps: PayNode[];
  cs: CardNode[];
  check: AmountCheck | null;
  payCur: string | null;
  payTotal: Decimal;
  cardCur: string;
  cardTotal: Decimal;
  payText: string;
  cardText: string;
  forcedText: string;
  amountText: string;
  difference: AmountDifference | null;
  key: string;
  refs: Provenance[];
}

interface GroupTexts {
  reason: string;
  nextStep: string | null;
  flag: Flag | null;
}

/**
 * Classifies the payments `ps` with the card lines `cs` as one transaction.
 * Reads: ctx, facts, `pulledIn`. Writes: `decision` of every member, `pulledIn` = 'fee' of fee lines no pattern names.
 */
export function decideGroup(ctx: MatchContext, ps: PayNode[], cs: CardNode[], how: GroupHow): void {
  const payCur = uniform(ps.map((p) => p.p.currency));
  const payTotal = sum(ps.map((p) => p.p.amount));
  const synthetic = syntheticLine(cs);
  const check = payCur !== null && synthetic.currency !== '' ? compareAmounts(ctx, payTotal, payCur, synthetic) : null;
  const score = how.score ?? (check ? scoreOf(ctx, ps, cs, check) : null);
  const cls = groupClass(ps, cs, payTotal, check);
  const { parent, fees, charges } = splitFees(ctx, cs);
  const difference = cls === 'matched' ? null : (check?.difference() ?? null);
  const facts: GroupFacts = {
    ps,
    cs,
    check,
    payCur,
    payTotal,
    cardCur: synthetic.currency || (cs[0]?.line.currency ?? ''),
    cardTotal: sum(cs.map((c) => c.line.amount)),
    payText: ps.map(payLabel).join(' + '),
    cardText: charges.map(cardLabel).join(' + ') + (fees.length ? ` + fee ${fees.map(cardLabel).join(' + ')}` : ''),
    forcedText: how.forced ? (check && !check.ok ? ' Forced by a reviewer override although outside the limits.' : ' Forced by a reviewer override.') : '',
    amountText: check ? check.text() : 'amounts in several currencies; not compared',
    difference,
    key: `group:${[...ps.map((p) => at(p.ref)), ...cs.map((c) => at(c.ref))].join(',')}`,
    refs: [...ps.map((p) => p.p.src), ...cs.map((c) => c.line.src)],
  };
  const { reason, nextStep, flag } = groupTexts(cls, facts);
  const runnerFor = (n: Node) => how.runnerUp?.get(n) ?? null;
  const marginFor = (n: Node) => {
    const ru = runnerFor(n);
    return ru && score ? round4(ru.cost - score.total) : how.margin;
  };
  const shared = { cls, score, reason, nextStep, forced: how.forced, flag, crossCurrency: check?.crossCurrency ?? false };
  for (const p of ps) setDecision(p, { ...shared, counterparts: cs.map((c) => c.ref), runnerUp: runnerFor(p), margin: marginFor(p), difference });
  for (const c of charges)
    setDecision(c, {
      ...shared,
      counterparts: [...ps.map((p) => p.ref), ...(c === parent ? fees.map((f) => f.ref) : [])],
      runnerUp: runnerFor(c),
      margin: marginFor(c),
      difference: c === parent ? difference : null,
    });
  for (const f of fees) decideFee(f, parent, ps, how.forced, score);
}

function groupClass(ps: PayNode[], cs: CardNode[], payTotal: Decimal, check: AmountCheck | null): MatchClass {
  if (ps.some((p) => p.p.kind === 'subscription') || cs.some((c) => c.subscription)) return 'subscription_not_api';
  if (ps.some((p) => p.p.status === 'refunded') || payTotal.sign() < 0) return 'refund';
  if (ps.every((p) => NO_MONEY_STATUSES.has(p.p.status))) return 'failed_payment_with_hold';
  return check?.ok && check.exact ? 'matched' : 'matched_fx_difference';
}

/** The parent charge (the largest provider charge) and the fee lines that travel with it. Writes: `pulledIn` = 'fee'. */
function splitFees(ctx: MatchContext, cs: CardNode[]): { parent: CardNode; fees: CardNode[]; charges: CardNode[] } {
  const parent = largest(cs.some((c) => c.provider !== null && !c.feeLike) ? cs.filter((c) => c.provider !== null && !c.feeLike) : cs);
  const cap = feeCap(ctx.o, parent.line.amount);
  // a fee travels with its charge whatever the payment's fate (matched, refunded, plan, failed)
  const fees = cs.filter((c) => c !== parent && (c.feeLike || c.provider === null || c.line.amount.abs().cmp(cap) <= 0));
  for (const f of fees) if (f.provider === null && f.pulledIn === null) f.pulledIn = 'fee';
  return { parent, fees, charges: cs.filter((c) => !fees.includes(c)) };
}

function groupTexts(cls: MatchClass, g: GroupFacts): GroupTexts {
  switch (cls) {
    case 'matched':
      return { reason: `matched: ${g.payText} ↔ ${g.cardText}; ${g.amountText}.${g.forcedText}`, nextStep: null, flag: null };
    case 'matched_fx_difference':
      return fxDifferenceTexts(g);
    case 'subscription_not_api': {
      const plan = planProductOf([...g.cs, ...g.ps]);
      const { nextStep, message } = planChargeTexts(plan);
      return {
        reason: `${plan} plan charge, not API credit: ${g.payText} ↔ ${g.cardText}; ${g.amountText}.${g.forcedText}`,
        nextStep,
        flag: {
          key: g.key,
          severity: 'warning',
          cls,
          subject: g.cardText,
          amount: g.cardTotal,
          currency: g.cardCur,
          message,
          nextStep,
          refs: g.refs,
        },
      };
    }
    case 'refund':
      return refundTexts(g);
    case 'failed_payment_with_hold': {
      const nextStep = g.cs.some((c) => c.line.status === 'posted')
        ? `The bank posted a charge for a failed top-up: send the statement line and reference ${g.ps.map((p) => p.p.reference).join(', ')} to provider support and ask for a refund; do not count it as credit.`
        : 'The top-up failed but the bank holds the money: the hold normally drops within 7–10 days; if it posts as a charge, ask provider support for a refund. Do not pay again because of the hold.';
      return {
        reason: `the provider recorded the payment as ${g.ps.map((p) => p.p.status).join('/')} but the bank shows ${g.cardText}; ${g.amountText}.${g.forcedText}`,
        nextStep,
        flag: {
          key: g.key,
          severity: 'warning',
          cls,
          subject: g.cardText,
          amount: g.cardTotal,
          currency: g.cardCur,
          message: 'failed top-up that still left a bank hold',
          nextStep,
          refs: g.refs,
        },
      };
    }
    default:
      throw new Error(`unexpected class ${cls}`);
  }
}

function fxDifferenceTexts(g: GroupFacts): GroupTexts {
  const { difference, check } = g;
  const diffText = difference ? `difference ${money(difference.amount, difference.currency)} (${difference.basis})` : 'difference not computable';
  const within = check?.ok === true;
  const nextStep =
    within && check?.crossCurrency && difference
      ? `Book the ${money(difference.amount.abs(), difference.currency)} FX difference as a bank currency-conversion cost; nothing to chase.`
      : difference
        ? `A reviewer paired these although they differ by ${money(difference.amount.abs(), difference.currency)}: keep the receipt that explains the difference with the workbook.`
        : 'A reviewer paired these although their amounts cannot be compared: keep the receipt that explains it with the workbook.';
  return {
    reason: `matched with ${within ? 'an FX' : 'an amount'} difference: ${g.payText} ↔ ${g.cardText}; ${g.amountText}; ${diffText}.${g.forcedText}`,
    nextStep,
    flag: {
      key: g.key,
      severity: 'info',
      cls: 'matched_fx_difference',
      subject: `${g.payText} ↔ ${g.cardText}`,
      amount: difference?.amount ?? null,
      currency: difference?.currency ?? null,
      message: within ? `card and payment differ within the FX tolerance: ${diffText}` : `forced pair outside the matching limits: ${diffText}`,
      nextStep,
      refs: g.refs,
    },
  };
}

function refundTexts(g: GroupFacts): GroupTexts {
  if (g.payTotal.sign() < 0) {
    const nextStep = 'Nothing to chase: the refund is on the card. Check the refunded credit is gone from the balance.';
    return {
      reason: `refund recorded in the payment history and on the card: ${g.payText} ↔ ${g.cardText}; ${g.amountText}.${g.forcedText}`,
      nextStep,
      flag: {
        key: g.key,
        severity: 'info',
        cls: 'refund',
        subject: g.cardText,
        amount: g.cardTotal,
        currency: g.cardCur,
        message: 'refund on the card matches the payment history',
        nextStep,
        refs: g.refs,
      },
    };
  }
  const nextStep =
    'The payment is marked refunded but the refund is not on these statements: check the next statement; if it never arrives, ask provider support with the reference.';
  return {
    reason: `refunded payment: ${g.payText} ↔ charge ${g.cardText}; ${g.amountText}.${g.forcedText}`,
    nextStep,
    flag: {
      key: g.key,
      severity: 'warning',
      cls: 'refund',
      subject: g.payText,
      amount: g.payTotal,
      currency: g.payCur,
      message: 'payment marked refunded; the charge is on the card, the refund is not (yet)',
      nextStep,
      refs: g.refs,
    },
  };
}

/** A fee line's decision, naming its parent charge. Writes: the fee's `decision`. */
export function decideFee(f: CardNode, parent: CardNode, ps: PayNode[], forced: boolean, score: ScoreBreakdown | null): void {
  const nextStep = `Book ${money(f.line.amount, f.line.currency)} as a bank foreign-transaction fee on the charge ${at(parent.ref)}; it is not API credit.`;
  setDecision(f, {
    cls: 'fx_fee',
    counterparts: [parent.ref, ...ps.map((p) => p.ref)],
    score,
    reason: `foreign-transaction fee ${money(f.line.amount, f.line.currency)} (${f.line.description}) attached to its parent charge ${cardLabel(parent)}${f.pulledIn === 'fee' ? '; the description does not name the provider, the parent does' : ''}`,
    nextStep,
    forced,
    flag: {
      key: `fee:${at(f.ref)}`,
      severity: 'info',
      cls: 'fx_fee',
      subject: cardLabel(f),
      amount: f.line.amount,
      currency: f.line.currency,
      message: `foreign-transaction fee on ${at(parent.ref)}`,
      nextStep,
      refs: [f.line.src, parent.line.src],
    },
  });
}
