/** Small text and ordering helpers of the matching stages: labels, money, refs, day numbers. */
import type { Provenance } from '../../model.js';
import type { Decimal } from '../../money.js';
import { isCalendarDate } from '../../time.js';
import type { CardNode, PayNode } from './nodes.js';
import type { SideRef } from './types.js';

export function money(d: Decimal, currency: string): string {
  return `${d.toDisplay(Math.max(2, d.normalize().scale))} ${currency}`;
}

export function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Days since the epoch of a calendar date (NaN when it is not one), for date windows. */
export function dayNumber(date: string): number {
  if (!isCalendarDate(date)) return Number.NaN;
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
}

/** Scores are rounded to 1e-4 so equal costs compare equal (the assignment quantises the same way). */
export const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

export function at(ref: { file: string; line: number }): string {
  return `${ref.file}:${ref.line}`;
}

export function toProv(r: SideRef): Provenance {
  return { file: r.file, line: r.line };
}

export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function cardLabel(c: CardNode): string {
  const l = c.line;
  return `card line ${at(c.ref)} (${l.transactionDate}, ${l.description.trim()}, ${money(l.amount, l.currency)}${l.originalAmount && l.originalCurrency ? ` = ${money(l.originalAmount, l.originalCurrency)}` : ''}${l.status !== 'posted' ? `, ${l.status}` : ''})`;
}

export function payLabel(p: PayNode): string {
  const r = p.p;
  return `payment ${r.reference || '(no reference)'} (${at(p.ref)}, ${p.date}, ${money(r.amount, r.currency)}, ${r.status} ${r.kind})`;
}

export function dedupeRefs(refs: Provenance[]): Provenance[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = at(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function dedupeSideRefs(refs: SideRef[]): SideRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const k = `${r.side}|${at(r)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function cmpRefs(a: Provenance[], b: Provenance[]): number {
  const x = a[0];
  const y = b[0];
  if (!x || !y) return (x ? 0 : 1) - (y ? 0 : 1);
  return cmpStr(x.file, y.file) || x.line - y.line;
}
