import type ExcelJS from 'exceljs';
import type { LineClassification, MatchResult, ScoreBreakdown, RunnerUp } from '../../engine/matching/index.js';
import { HEADER_FONT, type Column, writeTable, type WrittenTable } from '../table.js';
import { bridgeKeyOf, bridgeKeys } from '../tie-out.js';

export const RECONCILIATION = 'Reconciliation';

/** One row per card line ↔ payment pair; a side met again (many-to-one) repeats its text, not its amount. */
export interface ReconciliationRow {
  class: string;
  card: LineClassification | null;
  payment: LineClassification | null;
  paymentClass: string | null;
  /** False on the second and later rows of a side, so sums count each line once. */
  cardFirst: boolean;
  paymentFirst: boolean;
}

const key = (file: string, line: number) => `${file}\u0000${line}`;

function reconciliationTableRows(r: MatchResult): ReconciliationRow[] {
  const payments = new Map<string, LineClassification>();
  for (const c of r.classifications) if (c.side === 'payment') payments.set(key(c.src.file, c.src.line), c);
  const rows: ReconciliationRow[] = [];
  const paymentShown = new Set<string>();
  for (const c of r.classifications) {
    if (c.side !== 'card') continue;
    const partners = c.counterparts.filter((x) => x.side === 'payment').map((x) => payments.get(key(x.file, x.line)) ?? null);
    if (partners.length === 0) partners.push(null);
    partners.forEach((p, i) => {
      const pk = p ? key(p.src.file, p.src.line) : '';
      rows.push({ class: c.class, card: c, payment: p, paymentClass: p?.class ?? null, cardFirst: i === 0, paymentFirst: p !== null && !paymentShown.has(pk) });
      if (p) paymentShown.add(pk);
    });
  }
  for (const p of payments.values()) {
    if (paymentShown.has(key(p.src.file, p.src.line))) continue;
    rows.push({ class: p.class, card: null, payment: p, paymentClass: p.class, cardFirst: false, paymentFirst: true });
  }
  return rows;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

const NOT_COUNTED = 'not counted';

/** A card line's status, and 'not counted' on its first row when its amount is left out of the totals. */
const status = (c: LineClassification, first: boolean) => (first && !c.counted ? `${c.status}, ${NOT_COUNTED}` : c.status);

function describeScore(s: ScoreBreakdown | null): string | null {
  if (!s) return null;
  return s.signals.map((x) => `${x.name} ${round2(x.cost)}`).join(', ');
}

function describeRunnerUp(r: RunnerUp | null): string | null {
  if (!r) return null;
  if (r.kind === 'unmatched') return `leave unmatched (cost ${round2(r.cost)})`;
  return `${r.refs.map((x) => `${x.file}:${x.line}`).join(' + ')} (cost ${round2(r.cost)})`;
}

/** Card lines and payments side by side, with the score breakdown, runner-up and margin of each match. */
export function writeReconciliation(ws: ExcelJS.Worksheet, result: MatchResult, currency: string, shorten: (text: string) => string = (t) => t): WrittenTable {
  // the Summary bridge sums the hidden keys: a class, or a pair across currencies
  const rows = reconciliationTableRows(result);
  const t = writeTable<ReconciliationRow>(ws, reconciliationColumns(bridgeKeys(result), currency, shorten), rows, { currency });
  markNotCounted(ws, t, rows);
  return t;
}

/** Grey italic: an amount left out of the tie-out's sums, still shown. */
const LEFT_OUT_FONT = { name: 'Calibri', size: 11, italic: true, color: { argb: 'FF7F7F7F' } } as const;

/**
 * The yes/no counted columns are hidden (width), so a line left out of the tie-out says so
 * where a reader adds up: its amount in grey italics and "not counted" in bold in the text
 * beside it. In plain text under a reference it read as part of the reference.
 */
function markNotCounted(ws: ExcelJS.Worksheet, t: WrittenTable, rows: readonly ReconciliationRow[]): void {
  const sides = [
    { line: (r: ReconciliationRow) => (r.cardFirst ? r.card : null), text: 'Card description, status', amount: 'Card amount' },
    { line: (r: ReconciliationRow) => (r.paymentFirst ? r.payment : null), text: 'Receipt / reference', amount: 'Payment amount' },
  ];
  rows.forEach((r, i) => {
    const row = ws.getRow(t.firstDataRow + i);
    for (const side of sides) {
      const line = side.line(r);
      if (!line || line.counted) continue;
      row.getCell(t.col(side.amount)).font = LEFT_OUT_FONT;
      const cell = row.getCell(t.col(side.text));
      const text = typeof cell.value === 'string' ? cell.value : '';
      if (!text.endsWith(NOT_COUNTED)) continue;
      const before = text.slice(0, -NOT_COUNTED.length);
      cell.value = { richText: [...(before ? [{ text: before }] : []), { text: NOT_COUNTED, font: HEADER_FONT }] };
    }
  });
}

function reconciliationColumns(keys: ReturnType<typeof bridgeKeys>, currency: string, shorten: (text: string) => string): Column<ReconciliationRow>[] {
  const src = (c: LineClassification | null) => (c ? shorten(`${c.src.file}:${c.src.line}`) : null);
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const lines = (...parts: (string | null)[]) => parts.filter((x) => x !== null).join('\n') || null;
  const runnerUp = (r: ReconciliationRow) => {
    const t = describeRunnerUp(r.card?.runnerUp ?? r.payment?.runnerUp ?? null);
    return t === null ? null : `runner-up: ${shorten(t)}`;
  };
  // widths bounded and related texts sharing a column, so the sheet prints one page wide at 60 % or more (issue #12),
  // with ~65 px to spare: three money columns growing to 99,999.99 still fit. The long texts (Why, Next step,
  // Sources) get the width, so a row is a few lines tall; the yes/no counted columns stay, hidden, for the Summary's sums.
  return [
    { header: 'Class', type: 'text', value: (r) => r.class, maxWidth: 12, wrap: true },
    { header: 'Card date', type: 'date', value: (r) => (r.card ? r.card.date : null), maxWidth: 10 },
    { header: 'Card description, status', type: 'text', value: (r) => (r.card ? lines(r.card.description, status(r.card, r.cardFirst)) : null), maxWidth: 13, wrap: true },
    { header: 'Card amount', type: 'money', value: (r) => (r.card && r.cardFirst ? r.card.amount : null), currency: (r) => r.card?.currency ?? currency },
    { header: 'Card currency', type: 'text', value: (r) => r.card?.currency ?? null, hidden: true },
    { header: 'Card counted', type: 'text', value: (r) => (r.card && r.cardFirst ? yes(r.card.counted) : null), hidden: true },
    { header: 'Card bridge line', type: 'text', value: (r) => (r.cardFirst ? bridgeKeyOf(keys, r.card) : null), hidden: true },
    { header: 'Payment date', type: 'date', value: (r) => (r.payment ? r.payment.date : null), maxWidth: 10 },
    {
      header: 'Receipt / reference',
      type: 'text',
      value: (r) => (r.payment ? lines(r.payment.reference, r.paymentFirst && !r.payment.counted ? NOT_COUNTED : null) : null),
      maxWidth: 14,
      wrap: true,
    },
    { header: 'Payment class', type: 'text', value: (r) => r.paymentClass, hidden: true },
    { header: 'Payment amount', type: 'money', value: (r) => (r.payment && r.paymentFirst ? r.payment.amount : null), currency: (r) => r.payment?.currency ?? currency },
    { header: 'Payment currency', type: 'text', value: (r) => r.payment?.currency ?? null, hidden: true },
    { header: 'Payment counted', type: 'text', value: (r) => (r.payment && r.paymentFirst ? yes(r.payment.counted) : null), hidden: true },
    { header: 'Payment bridge line', type: 'text', value: (r) => (r.paymentFirst ? bridgeKeyOf(keys, r.payment) : null), hidden: true },
    {
      header: 'Difference',
      type: 'money',
      value: (r) => (r.card?.difference ?? r.payment?.difference)?.amount ?? null,
      currency: (r) => (r.card?.difference ?? r.payment?.difference)?.currency ?? currency,
      maxWidth: 12,
    },
    {
      header: 'Score',
      type: 'number',
      value: (r) => (r.card?.score ? round2(r.card.score.total) : r.payment?.score ? round2(r.payment.score.total) : null),
      minWidth: 6,
      maxWidth: 7,
    },
    {
      header: 'Score breakdown, runner-up',
      type: 'text',
      value: (r) => lines(describeScore(r.card?.score ?? r.payment?.score ?? null), runnerUp(r)),
      maxWidth: 16,
      wrap: true,
    },
    {
      header: 'Margin',
      type: 'number',
      value: (r) => {
        const m = r.card?.margin ?? r.payment?.margin ?? null;
        return m === null ? null : round2(m);
      },
      minWidth: 6,
      maxWidth: 7,
    },
    {
      header: 'Why',
      type: 'text',
      value: (r) => shorten([r.card?.reason, r.payment && r.payment.reason !== r.card?.reason ? r.payment.reason : null].filter(Boolean).join(' / ')) || null,
      maxWidth: 41,
      wrap: true,
    },
    { header: 'Next step', type: 'text', value: (r) => r.card?.nextStep ?? r.payment?.nextStep ?? null, maxWidth: 29, wrap: true },
    { header: 'Sources', type: 'text', value: (r) => lines(r.card ? `card ${src(r.card)}` : null, r.payment ? `payment ${src(r.payment)}` : null), maxWidth: 21, wrap: true },
  ];
}
