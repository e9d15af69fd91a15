/**
 * The generator's toolbox: a seeded random source, the bundled fixtures as rows, planted
 * secrets and hostile text. Everything derives from the seed, so a failure reruns exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from '../helpers.js';
import { parseCsv, writeCsv, type Row } from './csv-text.js';

export const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'fixtures');

/** The fixtures the variants are cut from (paths under fixtures/). */
export const FIXTURE = {
  cost: 'openai/cost_2026-10-01_2026-10-31.csv',
  costLate: 'openai/cost_2026-10-25_2026-11-07.csv',
  costOld: 'openai/cost_2026-09-01_2026-09-30_old.csv',
  usage: 'openai/completions_usage_2026-10-01_2026-10-31.csv',
  usageMinute: 'openai/completions_usage_2026-10-31_minute.csv',
  usageDaily: 'openai/completions_usage_2026-09-28_2026-10-03_daily.csv',
  embeddings: 'openai/embeddings_usage_2026-10-01_2026-10-31.csv',
  costJson: 'openai/api/costs_2026-11-08_2026-11-14.json',
  usageJsonl: 'openai/api/usage_completions_2026-11-01_2026-11-14.jsonl',
  payments: 'demo/payments_2026-10.csv',
  usCard: 'demo/us-card-2026-10.csv',
  cmbCard: 'demo/cmb-credit-card-2026-10.csv',
} as const;

const cache = new Map<string, Buffer>();
export function fixtureBytes(path: string): Buffer {
  let b = cache.get(path);
  if (!b) cache.set(path, (b = readFileSync(join(FIXTURES, path))));
  return b;
}

/** A fixture CSV as rows; row 0 is the header. */
export function fixtureRows(path: string): Row[] {
  return parseCsv(fixtureBytes(path).toString('utf8'));
}

export const toCsv = (rows: Row[], eol?: (i: number) => string) => Buffer.from(writeCsv(rows, eol), 'utf8');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class Rand {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  chars(n: number, alphabet = ALNUM): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(0, alphabet.length - 1)];
    return s;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
  shuffle<T>(items: T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}

/** Secrets planted in a variant; every one must be absent from every output byte. */
export interface PlantedKey {
  key: string;
  /** True when a word character stands right before `sk-` (no word boundary there). */
  glued: boolean;
}

export class Secrets {
  readonly keys: PlantedKey[] = [];
  constructor(private readonly rand: Rand) {}
  /** A fresh key shaped like a real one, with something before it, sometimes glued to a word. */
  key(mayGlue = true): string {
    const key = `sk-proj-${this.rand.chars(40)}`;
    const glue = mayGlue ? this.rand.pick(['', '', ' ', 'token=', 'x_', 'Bearer ', 'id:', 'key']) : '';
    this.keys.push({ key, glued: /\w$/.test(glue) });
    return `${glue}${key}`;
  }
}

/** Terminal escapes and control characters that must not reach a terminal or break a workbook. */
export function hostileText(rand: Rand): string {
  return rand.pick([
    '\x1b[2J\x1b[31mRED\x1b[0m',
    '\x1b]0;owned\x07title',
    'bell\x07back\x08space',
    'nul\x00byte',
    'vt\x0bff\x0c',
    'csi\u009b31m',
    'del\x7f',
    'line\u2028sep',
    '=HYPERLINK("http://x","y")',
    '\x1b[1A\x1b[2Kerased',
  ]);
}

/** Indexes of a header's columns by name (first wins, like any reader). */
export function col(header: Row, name: string): number {
  return header.indexOf(name);
}

/** Plants `count` keys into random data rows at the named text columns (those present). */
export function plantInCells(rows: Row[], columns: string[], secrets: Secrets, rand: Rand, count: number): void {
  const present = columns.map((c) => col(rows[0]!, c)).filter((i) => i >= 0);
  if (!present.length || rows.length < 2) return;
  for (let n = 0; n < count; n++) {
    const row = rows[rand.int(1, rows.length - 1)]!;
    const at = rand.pick(present);
    if (at < row.length) row[at] = rand.chance(0.5) ? secrets.key() : `${row[at]} ${secrets.key()}`;
  }
}

export const COST_TEXT = ['line_item', 'user_id', 'api_key_id', 'project_id', 'project_name', 'organization_name', 'user_email', 'quantity_unit'];
export const USAGE_TEXT = ['user_id', 'api_key_id', 'project_id', 'model', 'service_tier'];
export const PAYMENT_TEXT = ['reference', 'description', 'organization'];
export const CARD_TEXT = ['Description', 'Memo', 'Category'];
