/** Stage 1 (repeats across files) and its counterpart at the end: repeats get their original's class. */
import { at, cardLabel, payLabel } from './format.js';
import { inScope, type CardNode, type Node, type PayNode } from './nodes.js';

/**
 * Identical lines repeated across overlapping statement files (and repeated payment rows)
 * point to their first copy. Reads: facts. Writes: `dupOf`.
 */
export function markOverlapDuplicates(cards: readonly CardNode[], pays: readonly PayNode[]): void {
  const firstOf = new Map<string, CardNode>();
  const seenInFile = new Map<string, number>();
  for (const c of cards) {
    const l = c.line;
    // different profiles are different banks or accounts, never overlapping exports of one
    const key = [
      l.profile,
      l.transactionDate,
      l.postedDate ?? '',
      l.amount.toString(),
      l.currency,
      l.description.replace(/\s+/g, ' ').trim().toUpperCase(),
      l.reference ?? '',
      l.status,
      l.cardLast4 ?? '',
      l.originalAmount?.toString() ?? '',
      l.originalCurrency ?? '',
    ].join('\u0001');
    // the n-th identical line of one file pairs with the n-th of another file:
    // identical lines inside one file are real repeats (e.g. duplicate attempts)
    const fileKey = `${key}\u0002${c.ref.file}`;
    const n = (seenInFile.get(fileKey) ?? 0) + 1;
    seenInFile.set(fileKey, n);
    const occ = `${key}\u0002#${n}`;
    const first = firstOf.get(occ);
    if (first) c.dupOf = first;
    else firstOf.set(occ, c);
  }
  const firstPay = new Map<string, PayNode>();
  const seenPay = new Map<string, number>();
  for (const p of pays) {
    const r = p.p;
    const key = [r.provider, r.paidAt, r.reference, r.amount.toString(), r.currency, r.status, r.kind, r.cardLast4 ?? '', r.organization ?? ''].join('\u0001');
    const fileKey = `${key}\u0002${p.ref.file}`;
    const n = (seenPay.get(fileKey) ?? 0) + 1;
    seenPay.set(fileKey, n);
    const occ = `${key}\u0002#${n}`;
    const first = firstPay.get(occ);
    if (first) p.dupOf = first;
    else firstPay.set(occ, p);
  }
}

/** Each repeat takes its original's class with an info flag of its own. Reads: `dupOf`, the original's `decision`. Writes: the repeat's `decision`. */
export function copyToDuplicates(cards: readonly CardNode[], pays: readonly PayNode[]): void {
  for (const n of [...cards, ...pays] as Node[]) {
    const orig = n.dupOf;
    if (!orig) continue;
    if (n.side === 'card' && !inScope(orig as CardNode)) continue; // a repeat of a line left out is left out too
    const d = orig.decision!;
    const nextStep = 'Nothing to do: overlapping exports repeat lines; this one is counted once.';
    n.decision = {
      ...d,
      counterparts: [...d.counterparts],
      flag: {
        key: `overlap:${at(n.ref)}`,
        severity: 'info',
        cls: d.cls,
        subject: n.side === 'card' ? cardLabel(n as CardNode) : payLabel(n as PayNode),
        amount: n.side === 'card' ? (n as CardNode).line.amount : (n as PayNode).p.amount,
        currency: n.side === 'card' ? (n as CardNode).line.currency : (n as PayNode).p.currency,
        message: `identical to ${at(orig.ref)} (overlapping ${n.side === 'card' ? 'statement' : 'payment history'} files); counted once`,
        nextStep,
        refs: [n.side === 'card' ? (n as CardNode).line.src : (n as PayNode).p.src, n.side === 'card' ? (orig as CardNode).line.src : (orig as PayNode).p.src],
      },
      nextStep: d.nextStep,
      reason: `same ${n.side === 'card' ? 'line' : 'row'} as ${at(orig.ref)} in another file (overlapping exports): counted once, there, as ${d.cls}`,
    };
  }
}
