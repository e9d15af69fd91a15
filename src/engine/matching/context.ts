/**
 * What every stage reads and none changes, once the overrides are resolved: the options,
 * the run's FX rates and the forbidden pairs; plus two caches and the run's notes log
 * (append-only: amount comparisons record a missing rate there).
 */
import type { MatchOptions } from './config.js';
import type { CardNode, PayNode } from './nodes.js';
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
