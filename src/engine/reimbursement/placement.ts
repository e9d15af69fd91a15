/** Where each provider card line goes: API charges, plan subscriptions, or not claimed (and why). */
import type { CardLine } from '../../model.js';
import type { LocalDate } from '../../time.js';
import type { LineClassification, SideRef } from '../matching/index.js';
import { at } from './util.js';

export type Placement = { where: 'api' | 'subscription' } | { where: 'not_claimed'; reason: string };

/** Where one provider card line goes; `parentOf` resolves a fee's parent charge. */
export function decidePlacement(
  c: LineClassification,
  line: CardLine | undefined,
  period: { from: LocalDate; to: LocalDate },
  depth: number,
  parentOf: (ref: SideRef) => { c: LineClassification; placement: Placement } | null,
): Placement {
  const status = line?.status ?? c.status;
  if (c.notCounted === 'overlap_duplicate') {
    return { where: 'not_claimed', reason: `repeat of ${c.duplicateOf ? at(c.duplicateOf) : 'a line'} in an overlapping statement: claimed once, there` };
  }
  if (c.notCounted === 'superseded_pending') {
    const twin = c.counterparts.find((r) => r.side === 'card');
    return { where: 'not_claimed', reason: `pending authorisation later posted${twin ? ` as ${at(twin)}` : ''}: the posted line is the one claimed` };
  }
  if (c.date < period.from || c.date > period.to) {
    return { where: 'not_claimed', reason: `dated ${c.date}, outside the period ${period.from} to ${period.to}: claim it with its own period` };
  }
  if (status === 'declined' || status === 'reversed') {
    return { where: 'not_claimed', reason: `the bank shows this attempt as ${status}: no money moved` };
  }
  if (c.class === 'authorization_reversed') {
    return { where: 'not_claimed', reason: 'authorisation and its reversal net to zero: no money moved' };
  }
  if (status === 'pending') {
    return { where: 'not_claimed', reason: 'still pending at the bank: claim it once it posts' };
  }
  if (c.class === 'fx_fee') {
    const parentRef = c.counterparts.find((r) => r.side === 'card');
    const parent = parentRef && depth < 3 ? parentOf(parentRef) : null;
    if (parent && parent.placement.where === 'not_claimed') {
      return { where: 'not_claimed', reason: `fee on ${at(parentRef!)}, which is not claimed (${parent.placement.reason})` };
    }
    if (parent && parent.placement.where === 'subscription') return { where: 'subscription' };
    return { where: 'api' };
  }
  if (c.class === 'subscription_not_api') return { where: 'subscription' };
  if (c.class === 'pending_authorization' || c.class === 'unmatched_payment') {
    return { where: 'not_claimed', reason: 'a pending authorisation the provider never confirmed: no money moved yet' };
  }
  return { where: 'api' };
}
