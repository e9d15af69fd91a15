/**
 * What money a cost input holds, counted by the harness itself (exact, BigInt) so that the
 * tool's conservation "read" side can be checked against something it did not compute.
 */
import { addExact, parseExact, ZERO, type Exact } from './exact.js';
import { parseCsv } from './csv-text.js';

/**
 * Two readings of a CSV: `strict` counts rows as wide as their header, `lenient` every row
 * whose amount_value cell is a number (a short or long row still shows its amount). A reader
 * may take either view of a malformed row; money outside both is money lost or invented.
 */
export interface CsvMoney {
  strict: Exact;
  lenient: Exact;
  /** False when no header naming amount_value was seen: the file holds no readable money. */
  hasAmountColumn: boolean;
}

const HEADER_CELL = 'amount_value';

function headerOf(row: string[]): Map<string, number> {
  const m = new Map<string, number>();
  row.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

/** Counts amount_value over the rows; a repeated header (two exports concatenated) restarts the layout. */
export function countCsvMoney(bytes: Buffer): CsvMoney {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let amountAt = -1;
  let width = 0;
  let strict = ZERO;
  let lenient = ZERO;
  let hasAmountColumn = false;
  for (const row of parseCsv(text)) {
    const header = headerOf(row);
    if (header.has(HEADER_CELL)) {
      amountAt = header.get(HEADER_CELL)!;
      width = row.length;
      hasAmountColumn = true;
      continue;
    }
    if (amountAt < 0) continue;
    const amount = parseExact(row[amountAt] ?? '');
    if (!amount) continue;
    lenient = addExact(lenient, amount);
    if (row.length === width) strict = addExact(strict, amount);
  }
  return { strict, lenient, hasAmountColumn };
}

const JSON_AMOUNT = /"amount"\s*:\s*\{\s*"value"\s*:\s*("?)([^",}\s]*)\1/g;

/**
 * Admin API cost pages (.json, or .jsonl one page per line): the `amount.value` of every
 * result, read from the text so no digit passes through a float. Null when the text is not
 * JSON (a truncated page): what it holds is then not defined, and the tool must refuse it.
 */
export function countJsonMoney(bytes: Buffer, jsonLines: boolean): CsvMoney | null {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const docs = jsonLines ? text.split('\n').filter((l) => l.trim() !== '') : [text];
  let sum = ZERO;
  for (const doc of docs) {
    try {
      JSON.parse(doc);
    } catch {
      if (!jsonLines) return null;
      continue; // a bad line holds no readable money; the others still do
    }
    for (const m of doc.matchAll(JSON_AMOUNT)) {
      const v = parseExact(m[2] ?? '');
      if (v) sum = addExact(sum, v);
    }
  }
  return { strict: sum, lenient: sum, hasAmountColumn: true };
}
