/** Text similarity of payments and card lines: references found in the card text, else trigram overlap. */
import type { CardLine, PaymentRecord } from '../../model.js';

export interface TextMemo {
  alnum: Map<string, string>;
  trigrams: Map<string, Set<string>>;
}

export function alnum(s: string, memo?: TextMemo): string {
  let v = memo?.alnum.get(s);
  if (v === undefined) {
    v = s.toUpperCase().replace(/[^\p{L}\p{N}]+/gu, '');
    memo?.alnum.set(s, v);
  }
  return v;
}

function trigrams(s: string, memo?: TextMemo): Set<string> {
  let out = memo?.trigrams.get(s);
  if (out === undefined) {
    const t = ` ${s
      .toUpperCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()} `;
    out = new Set<string>();
    for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
    memo?.trigrams.set(s, out);
  }
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const g of a) if (b.has(g)) common++;
  return (2 * common) / (a.size + b.size);
}

/**
 * Text similarity of a payment and a card line in [0, 1]: 1 when the receipt reference
 * appears in the card text (some banks print it), else trigram overlap of descriptions.
 */
export function textSimilarity(payment: Pick<PaymentRecord, 'reference' | 'description'>, line: Pick<CardLine, 'description' | 'reference'>, memo?: TextMemo): number {
  const ref = alnum(payment.reference, memo);
  const cardText = alnum(`${line.description} ${line.reference ?? ''}`, memo);
  if (ref.length >= 4 && cardText.includes(ref)) return 1;
  const cardRef = alnum(line.reference ?? '', memo);
  if (cardRef.length >= 4 && alnum(`${payment.reference} ${payment.description}`, memo).includes(cardRef)) return 1;
  return dice(trigrams(payment.description, memo), trigrams(line.description, memo));
}

export function lineSimilarity(a: CardLine, b: CardLine): number {
  if (a.reference && b.reference && alnum(a.reference) !== '' && alnum(a.reference) === alnum(b.reference)) return 1;
  return dice(trigrams(a.description), trigrams(b.description));
}
