/**
 * What every stage reads and none changes, once the overrides are resolved: the options,
 * the run's FX rates and the forbidden pairs; plus two caches and the run's notes log
 * (append-only: amount comparisons record a missing rate there).
 */
import { provider, providerName, type ProviderId } from '../../providers.js';
import type { MatchOptions } from './config.js';
import type { CardNode, Node, PayNode } from './nodes.js';
import type { Rate } from './rates.js';
import type { TextMemo } from './text.js';

export interface MatchContext {
  readonly o: MatchOptions;
  readonly rates: ReadonlyMap<string, Rate>;
  /** `paymentK|cardK` of the pairs a reviewer forbade. */
  readonly forbidden: ReadonlySet<string>;
  /** Append-only notes for the result (e.g. no rate between two currencies). */
  readonly notes: Set<string>;
  readonly textMemo: TextMemo;
  /** textSimilarity per `paymentK|cardK`: the same pairs are scored in several stages. */
  readonly simMemo: Map<string, number>;
}

export function makeContext(o: MatchOptions, rates: ReadonlyMap<string, Rate>, forbidden: ReadonlySet<string>): MatchContext {
  return { o, rates, forbidden, notes: new Set(), textMemo: { alnum: new Map(), trigrams: new Map() }, simMemo: new Map() };
}

export function forbiddenKey(p: PayNode, c: CardNode): string {
  return `${p.k}|${c.k}`;
}

export function isForbidden(ctx: MatchContext, p: PayNode, c: CardNode): boolean {
  return ctx.forbidden.has(forbiddenKey(p, c));
}

/** The plan product (ChatGPT, Claude.ai) of the first member with a provider: a group's members share one (crossProvider). */
export function planProductOf(nodes: readonly Node[]): string {
  const id = nodes.map(providerOf).find((p) => p !== null);
  if (!id) throw new Error('internal: a plan charge with no provider');
  return provider(id).planProduct;
}

/** What a plan charge on the API card asks of the reader, and its flag's words: one text wherever the class is decided. */
export function planChargeTexts(plan: string): { nextStep: string; message: string } {
  return {
    nextStep: `Book it as a ${plan} subscription, not as API spend; consider paying the plan with a separate card.`,
    message: `a ${plan} plan was charged on the card used for API credit`,
  };
}

/** A node's provider: a payment's from its record, a line's from its descriptor (null: a line no descriptor names). */
export function providerOf(n: Node): ProviderId | null {
  return n.side === 'payment' ? n.p.provider : n.provider;
}

/**
 * Two nodes of different providers are never one transaction (SPEC: the provider rule). A line
 * no descriptor names (a bank fee) has no provider of its own and goes with whatever it is
 * grouped with, whose own provider is checked. Every pairing stage asks this, through
 * `pairBarrier` for a payment and a line, directly for two lines.
 */
export function crossProvider(a: Node, b: Node): boolean {
  const pa = providerOf(a);
  const pb = providerOf(b);
  return pa !== null && pb !== null && pa !== pb;
}

/** Why a payment and a card line may never be paired, whatever their amounts and dates: a reviewer forbade it, or they are two providers'. */
export function pairBarrier(ctx: MatchContext, p: PayNode, c: CardNode): string | null {
  if (isForbidden(ctx, p, c)) return 'forbidden by an override';
  if (crossProvider(p, c)) return `the card line is ${providerName(c.provider!)}'s (descriptor) and the payment is ${providerName(p.p.provider)}'s: two providers are never paired`;
  return null;
}
