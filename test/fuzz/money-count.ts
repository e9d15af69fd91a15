/**
 * What money a cost input holds, counted by the harness itself (exact, BigInt) so that the
 * tool's conservation "read" side can be checked against something it did not compute.
 */
import { addExact, equalExact, parseExact, ZERO, type Exact } from './exact.js';
import { parseCsv } from './csv-text.js';

/**
 * The readings of a file a correct reader may take; its read side must equal one of them.
 * A malformed row may be read as holding its amount or as holding none (`whole rows` counts
 * only rows as wide as their header), and an exotic number (`1e309`, 400 digits) may be
 * money or may be refused as not an amount. Money outside every reading is lost or invented.
 */
export interface Reading {
  label: string;
  sum: Exact;
}

// More integer digits than any bill has: a reader may refuse such text as not an amount.
const MAX_PLAIN_INT_DIGITS = 30;
const isExotic = (text: string) => /[eE]/.test(text) || (/^\s*[+-]?(\d*)/.exec(text)?.[1]?.length ?? 0) > MAX_PLAIN_INT_DIGITS;

class Tally {
  private sums = new Map<string, Exact>();
  add(text: string, wholeRow: boolean): void {
    const v = parseExact(text);
    if (!v) return;
    for (const rows of wholeRow ? ['any row', 'whole rows'] : ['any row']) {
      for (const numbers of isExotic(text) ? ['exotic numbers as money'] : ['exotic numbers as money', 'exotic numbers refused']) {
        const key = `${rows}, ${numbers}`;
        this.sums.set(key, addExact(this.sums.get(key) ?? ZERO, v));
      }
    }
  }
  readings(): Reading[] {
    const keys = ['any row, exotic numbers as money', 'whole rows, exotic numbers as money', 'any row, exotic numbers refused', 'whole rows, exotic numbers refused'];
    const out: Reading[] = [];
    for (const k of keys) {
      const sum = this.sums.get(k) ?? ZERO;
      if (!out.some((r) => equalExact(r.sum, sum))) out.push({ label: k, sum });
    }
    return out;
  }
}

function headerOf(row: string[]): Map<string, number> {
  const m = new Map<string, number>();
  row.forEach((h, i) => {
    const k = h.trim().toLowerCase();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

/** Counts amount_value over the rows; a repeated header (two exports concatenated) restarts the layout. */
export function countCsvMoney(bytes: Buffer): Reading[] {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let amountAt = -1;
  let width = 0;
  const tally = new Tally();
  for (const row of parseCsv(text)) {
    const header = headerOf(row);
    if (header.has('amount_value')) {
      amountAt = header.get('amount_value')!;
      width = row.length;
      continue;
    }
    if (amountAt >= 0) tally.add(row[amountAt] ?? '', row.length === width);
  }
  return tally.readings();
}

const JSON_AMOUNT = /"amount"\s*:\s*\{\s*"value"\s*:\s*("?)([^",}\s]*)\1/g;

/**
 * Admin API cost pages (.json, or .jsonl one page per line): the `amount.value` of every
 * result, read from the text so no digit passes through a float. Null when the text is not
 * JSON (a truncated page): what it holds is then not defined, and the tool must refuse it.
 */
export function countJsonMoney(bytes: Buffer, jsonLines: boolean): Reading[] | null {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const docs = jsonLines ? text.split('\n').filter((l) => l.trim() !== '') : [text];
  const tally = new Tally();
  for (const doc of docs) {
    try {
      JSON.parse(doc);
    } catch {
      if (!jsonLines) return null;
      continue; // a bad line holds no readable money; the others still do
    }
    for (const m of doc.matchAll(JSON_AMOUNT)) tally.add(m[2] ?? '', true);
  }
  return tally.readings();
}
