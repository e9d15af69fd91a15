/**
 * Reconciliation of payments (top-ups, receipts) with card-statement lines, SPEC §4.3.
 *
 * Pure and deterministic: records in, one classification per provider card line and per
 * payment out, plus exceptions and totals. The stages below run in this order, each on what
 * the earlier ones left (a node's `decision` is set once; the stages that amend one say so).
 * Every stage names what it reads and writes of the nodes (nodes.ts) in its doc comment; the
 * context it reads (options, rates, forbidden pairs) is fixed once the overrides are resolved.
 *
 * Scores are plain numbers (they are not money; signals.ts); every amount comparison is exact
 * Decimal arithmetic, FX rates are kept as exact fractions.
 */
import type { CardLine, PaymentRecord } from '../../model.js';
import { declinedAttempts, duplicateAttempts } from './attempts.js';
import type { MatchOptions, MatchOverrides } from './config.js';
import { makeContext } from './context.js';
import { copyToDuplicates, markOverlapDuplicates } from './duplicates.js';
import { attachFees } from './fees.js';
import { leftovers } from './leftovers.js';
import { manyToOne } from './many-to-one.js';
import { buildNodes } from './nodes.js';
import { oneToOne } from './one-to-one.js';
import { applyForcedGroups, resolveOverrides } from './overrides.js';
import { pendingToPosted } from './pending.js';
import { buildRates } from './rates.js';
import { linkRefunds, netPostedReversals, netReversals } from './refunds.js';
import { buildResult } from './result.js';
import type { MatchResult } from './types.js';

/**
 * Classifies every provider card line and every payment exactly once (SPEC §4.3).
 * Non-provider card lines are counted in `leftOut` and otherwise untouched.
 */
export function matchPaymentsToCardLines(payments: readonly PaymentRecord[], lines: readonly CardLine[], options: MatchOptions, overrides?: MatchOverrides): MatchResult {
  const { cards, pays } = buildNodes(payments, lines, options);
  const rates = buildRates(cards, options);
  // 1. identical lines repeated across overlapping statement files (and repeated payment rows) count once
  markOverlapDuplicates(cards, pays);
  // 2. reviewer overrides: forbidden pairs never match, forced pairs are taken as they are
  const resolved = resolveOverrides(cards, pays, overrides ?? { force: [], forbid: [] });
  const ctx = makeContext(options, rates, resolved.forbidden);
  applyForcedGroups(ctx, resolved.forcedGroups);
  // 3. a pending line posted in a later export is one transaction
  pendingToPosted(ctx, cards);
  // 4. one-to-one: hard limits, a cost per pair, optimal assignment
  oneToOne(ctx, cards, pays);
  // 5. many-to-one: charge + FX fee ↔ payment, charge ↔ payment + tax
  manyToOne(ctx, cards, pays);
  // 6. reversals next to their authorisation first (days); refunds, weeks later, take what is left;
  //    a posted line no payment explains is netted only with what the refunds left
  netReversals(ctx, cards, pays);
  linkRefunds(ctx, cards, pays);
  netPostedReversals(ctx, cards, pays);
  // 7. FX-fee lines attached to their parent charge; attempts the bank declined or reversed
  attachFees(ctx, cards, pays);
  declinedAttempts(ctx, cards, pays);
  // 8. repeated charges for one payment; whatever is left is unmatched (or pending, refund, plan)
  duplicateAttempts(cards);
  leftovers(ctx, cards, pays);
  copyToDuplicates(cards, pays);
  return buildResult(ctx, cards, pays, resolved);
}
