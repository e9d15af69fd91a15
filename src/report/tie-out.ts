/**
 * The card ↔ payments tie-out as a bridge an accountant can sign: per currency, from the
 * counted card charges to the counted payments, one line per class (payments − card lines
 * of that class), and each pair across currencies on its own line in both currencies. The
 * bridge ends at the payments total, so its last line (the difference) is always 0.
 */
import type { LineClassification, MatchResult } from '../engine/matching/index.js';
import { Decimal, sum } from '../money.js';
import { push } from '../lists.js';

/** Which bridge line a counted line lands on: its class, or its cross-currency pair. */
export type BridgeKey = string;

export interface BridgeLine {
  key: BridgeKey;
  label: string;
  cardCount: number;
  cardAmount: Decimal;
  paymentCount: number;
  paymentAmount: Decimal;
  /** paymentAmount − cardAmount: what this line adds on the way from card total to payments total. */
  step: Decimal;
}

export interface Bridge {
  currency: string;
  cardTotal: Decimal;
  lines: BridgeLine[];
  paymentTotal: Decimal;
  /** cardTotal + Σ steps − paymentTotal: zero whenever every counted line is on exactly one line. */
  difference: Decimal;
}

const at = (c: { src: { file: string; line: number } }) => `${c.src.file}:${c.src.line}`;
const refKey = (file: string, line: number, side: string) => `${side}\u0000${file}\u0000${line}`;

/** A counted line whose counterpart on the other side is in another currency. */
function crossPartner(c: LineClassification, byRef: Map<string, LineClassification>): LineClassification | null {
  for (const x of c.counterparts) {
    if (x.side === c.side) continue;
    const other = byRef.get(refKey(x.file, x.line, x.side));
    if (other && other.currency !== c.currency) return other;
  }
  return null;
}

/** The bridge line of each counted classification (keyed by side, file and line). */
export function bridgeKeys(r: MatchResult): Map<string, BridgeKey> {
  const byRef = new Map(r.classifications.map((c) => [refKey(c.src.file, c.src.line, c.side), c]));
  const keys = new Map<string, BridgeKey>();
  for (const c of r.classifications) {
    if (!c.counted) continue;
    const partner = crossPartner(c, byRef);
    const card = c.side === 'card' ? c : partner;
    keys.set(refKey(c.src.file, c.src.line, c.side), partner && card ? `pair ${at(card)}` : c.class);
  }
  return keys;
}

export function bridgeKeyOf(keys: Map<string, BridgeKey>, c: LineClassification | null): BridgeKey | null {
  return c ? (keys.get(refKey(c.src.file, c.src.line, c.side)) ?? null) : null;
}

function pairLabel(members: LineClassification[], byRef: Map<string, LineClassification>, currency: string): string {
  const own = members.map((m) => `${m.side === 'card' ? 'card line' : 'payment'} ${at(m)}`).join(', ');
  const partners = new Map<string, LineClassification>();
  for (const m of members) {
    const p = crossPartner(m, byRef);
    if (p) partners.set(at(p), p);
  }
  const other = [...partners.values()].map((p) => `${p.amount.toString()} ${p.currency} (${p.side === 'card' ? 'card line' : 'payment'} ${at(p)})`).join(', ');
  return `pair across currencies: ${own} in ${currency} ↔ ${other}`;
}

/** One bridge per currency seen on either side, classes in name order, pairs after them. */
export function cardPaymentBridges(r: MatchResult): Bridge[] {
  const keys = bridgeKeys(r);
  const byRef = new Map(r.classifications.map((c) => [refKey(c.src.file, c.src.line, c.side), c]));
  const counted = r.classifications.filter((c) => c.counted);
  const currencies = [...new Set(counted.map((c) => c.currency))].sort();
  return currencies.map((currency) => {
    const mine = counted.filter((c) => c.currency === currency);
    const groups = new Map<BridgeKey, LineClassification[]>();
    for (const c of mine) {
      push(groups, bridgeKeyOf(keys, c)!, c);
    }
    const order = [...groups.keys()].sort((a, b) => Number(a.startsWith('pair ')) - Number(b.startsWith('pair ')) || (a < b ? -1 : a > b ? 1 : 0));
    const lines = order.map((key): BridgeLine => {
      const members = groups.get(key)!;
      const cards = members.filter((c) => c.side === 'card');
      const pays = members.filter((c) => c.side === 'payment');
      const cardAmount = sum(cards.map((c) => c.amount));
      const paymentAmount = sum(pays.map((c) => c.amount));
      const label = key.startsWith('pair ') ? pairLabel(members, byRef, currency) : key;
      return { key, label, cardCount: cards.length, cardAmount, paymentCount: pays.length, paymentAmount, step: paymentAmount.minus(cardAmount) };
    });
    const cardTotal = r.card.counted.find((c) => c.currency === currency)?.total ?? Decimal.ZERO;
    const paymentTotal = r.payments.counted.find((c) => c.currency === currency)?.total ?? Decimal.ZERO;
    const difference = cardTotal.plus(sum(lines.map((l) => l.step))).minus(paymentTotal);
    return { currency, cardTotal, lines, paymentTotal, difference };
  });
}
