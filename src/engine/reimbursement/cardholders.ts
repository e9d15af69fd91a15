/** Whose card paid each provider line, and the cardholder's cost centre. */
import type { CardLine, PaymentRecord } from '../../model.js';
import type { LineClassification, SideRef } from '../matching/index.js';
import { NO_COST_CENTRE, UNKNOWN_CARDHOLDER, type CardholderConfig } from './types.js';
import { key } from './util.js';

export interface Lookups {
  lineByKey: Map<string, CardLine>;
  payByKey: Map<string, PaymentRecord>;
  classByKey: Map<string, LineClassification>;
}

export interface Cardholder {
  name: string;
  costCentre: string;
  known: boolean;
}

/**
 * The card of a line: its own, else its payments', else its counterpart lines', else the one
 * card every other line of the same statement file points to (a card export without a card
 * column, where an unexplained charge has no payment to name its card).
 */
export function cardholderResolver(
  classifications: readonly LineClassification[],
  cardholders: Readonly<Record<string, CardholderConfig>>,
  { lineByKey, payByKey, classByKey }: Lookups,
) {
  let fileCard: Map<string, string | null> | null = null;
  const cardOfFile = (file: string): string | null => {
    if (!fileCard) {
      const seen = new Map<string, Set<string>>();
      for (const x of classifications) {
        if (x.side !== 'card') continue;
        const l4 = directLast4(x);
        if (!l4) continue;
        const set = seen.get(x.src.file) ?? new Set<string>();
        set.add(l4);
        seen.set(x.src.file, set);
      }
      fileCard = new Map([...seen].map(([f, set]) => [f, set.size === 1 ? [...set][0]! : null]));
    }
    return fileCard.get(file) ?? null;
  };
  const fromPayments = (refs: SideRef[]): string | null => {
    for (const r of refs) {
      if (r.side !== 'payment') continue;
      const l4 = payByKey.get(key(r))?.cardLast4;
      if (l4) return l4;
    }
    return null;
  };
  const directLast4 = (c: LineClassification): string | null => {
    const own = lineByKey.get(key(c.src))?.cardLast4 ?? null;
    if (own) return own;
    const direct = fromPayments(c.counterparts);
    if (direct) return direct;
    for (const r of c.counterparts) {
      if (r.side !== 'card') continue;
      const l4 = lineByKey.get(key(r))?.cardLast4;
      if (l4) return l4;
      const other = classByKey.get(key(r));
      const viaPayments = other ? fromPayments(other.counterparts) : null;
      if (viaPayments) return viaPayments;
    }
    return null;
  };
  const last4Of = (c: LineClassification): string | null => directLast4(c) ?? cardOfFile(c.src.file);
  const holderOf = (last4: string | null): Cardholder => {
    const h = last4 === null ? undefined : cardholders[last4];
    if (!h) return { name: UNKNOWN_CARDHOLDER, costCentre: NO_COST_CENTRE, known: false };
    return { name: h.name, costCentre: h.costCenter ?? NO_COST_CENTRE, known: true };
  };
  return { last4Of, holderOf };
}
