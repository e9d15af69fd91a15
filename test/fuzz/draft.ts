/**
 * What a fuzz variant is (input files, command line, planted secrets) and the helpers the
 * kinds in kinds.ts build them with: the usual inputs, one cell changed, a file cut or flipped.
 */
import type { Row } from './csv-text.js';
import type { Reading } from './money-count.js';
import { col, COST_TEXT, FIXTURE, fixtureBytes, fixtureRows, plantInCells, toCsv, USAGE_TEXT, type PlantedKey, type Rand, type Secrets } from './gen.js';

export interface VariantFile {
  /** Path under the variant's input directory. */
  path: string;
  bytes?: Buffer;
  /** A symbolic link instead of a file: its target, relative to the link's directory. */
  symlink?: string;
  /** Not an input of the run (the target of a link from a scanned directory). */
  aside?: boolean;
  /** Set on cost inputs: how the harness counts the money they hold. */
  money?: 'csv' | 'json' | 'jsonl';
  /** The readings of the money the file holds when its bytes no longer show it (a quote left open). */
  holds?: Reading[];
}

export type Runner = 'worker' | 'child';

export interface Variant {
  index: number;
  kind: string;
  /** What the mutation did, for the failure message. */
  note: string;
  files: VariantFile[];
  /** argv after the program name; `@in/` and `@out/` stand for the variant's directories. */
  args: string[];
  keys: PlantedKey[];
  runner: Runner;
}

export interface Ctx {
  rand: Rand;
  secrets: Secrets;
}
export type Draft = Omit<Variant, 'index' | 'kind' | 'keys' | 'runner'> & { runner?: Runner };
export interface Kind {
  kind: string;
  build(c: Ctx): Draft;
  /** Run as a real child process: the exit code and stdio of the actual program are checked. */
  runner?: Runner;
}

const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Shanghai'];

/** `report` on the given inputs, writing every output format into @out/. */
export function reportArgs(c: Ctx, costs: string[], usage: string[], extra: string[] = []): string[] {
  const args = ['report', '--costs', ...costs.map((p) => `@in/${p}`)];
  if (usage.length) args.push('--usage', ...usage.map((p) => `@in/${p}`));
  args.push('--json', '--out', '@out/report.xlsx', '--csv', '@out/csv', '--focus', '@out/focus.csv', '--tz', c.rand.pick(ZONES));
  if (c.rand.chance(0.25)) args.push('--split-days');
  if (c.rand.chance(0.25)) args.push('--fail-on', c.rand.pick(['info', 'warning', 'error']));
  return [...args, ...extra];
}

/** The cost fixture as rows with 1–2 keys planted in its text cells. */
export function costRows(c: Ctx, path: string = FIXTURE.cost): Row[] {
  const rows = fixtureRows(path);
  plantInCells(rows, COST_TEXT, c.secrets, c.rand, c.rand.int(1, 2));
  return rows;
}

export function usageRows(c: Ctx, path: string = FIXTURE.usage): Row[] {
  const rows = fixtureRows(path);
  plantInCells(rows, USAGE_TEXT, c.secrets, c.rand, c.rand.int(1, 2));
  return rows;
}

export const dataRow = (c: Ctx, rows: Row[]) => rows[c.rand.int(1, rows.length - 1)]!;

/** The usual pair: one cost export (given) and the month's usage export. */
export function costAndUsage(c: Ctx, cost: VariantFile, note: string, extra: string[] = []): Draft {
  const usage: VariantFile = { path: 'usage/completions_usage.csv', bytes: toCsv(usageRows(c)) };
  return { note, files: [cost, usage], args: reportArgs(c, [cost.path], [usage.path], extra) };
}

/** One cell of a random data row of the cost export replaced. */
export function costCell(c: Ctx, column: string, value: (c: Ctx) => string): Draft {
  const rows = costRows(c);
  const row = dataRow(c, rows);
  const v = value(c);
  row[col(rows[0]!, column)] = v;
  return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, `${column} = ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`);
}

export function usageCell(c: Ctx, column: string, value: string): Draft {
  const rows = usageRows(c);
  rows
    .slice(1)
    .filter(() => c.rand.chance(0.02))
    .concat([dataRow(c, rows)])
    .forEach((r) => {
      r[col(rows[0]!, column)] = value;
    });
  const cost: VariantFile = { path: 'costs/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' };
  const usage: VariantFile = { path: 'usage/usage.csv', bytes: toCsv(rows) };
  return {
    note: `usage ${column} = ${value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value}`,
    files: [cost, usage],
    args: reportArgs(c, [cost.path], [usage.path]),
  };
}

export function truncated(c: Ctx, bytes: Buffer): { bytes: Buffer; note: string } {
  const at = c.rand.int(1, bytes.length - 1);
  return { bytes: bytes.subarray(0, at), note: `cut at byte ${at} of ${bytes.length}` };
}

export function flipped(c: Ctx, bytes: Buffer): { bytes: Buffer; note: string } {
  const b = Buffer.from(bytes);
  const at = c.rand.int(0, b.length - 1);
  const bit = 1 << c.rand.int(0, 7);
  const was = b[at]!;
  b[at] = was ^ bit;
  return { bytes: b, note: `byte ${at} 0x${was.toString(16)} → 0x${b[at]!.toString(16)}` };
}

/** Wraps a JSON text in `depth` arrays: valid JSON that a recursive reader cannot walk. */
export const nestedArrays = (text: string, depth: number) => `${'['.repeat(depth)}${text}${']'.repeat(depth)}`;

/** A bad file beside good exports in one directory given to both --costs and --usage. */
export function scanned(c: Ctx, bad: VariantFile, note: string): Draft {
  const files: VariantFile[] = [
    bad,
    { path: 'exports/cost_2026-10.csv', bytes: toCsv(costRows(c)), money: 'csv' },
    { path: 'exports/usage_2026-10.csv', bytes: toCsv(usageRows(c)) },
  ];
  return { note, files, args: reportArgs(c, ['exports'], ['exports']) };
}

/** The file named explicitly or found by scanning, at random: the two take different paths. */
export function scannedOr(c: Ctx, cost: VariantFile, note: string): Draft {
  if (c.rand.chance(0.5)) return costAndUsage(c, cost, `${note}, named explicitly`);
  return scanned(c, { ...cost, path: 'exports/cost_changed.csv' }, `${note}, found by scanning`);
}

export function extraColumn(c: Ctx, name: string, value: (c: Ctx) => string): Draft {
  const rows = costRows(c);
  const at = c.rand.int(0, rows[0]!.length);
  rows.forEach((r, i) => {
    r.splice(at, 0, i === 0 ? name : value(c));
  });
  return costAndUsage(c, { path: 'costs/cost.csv', bytes: toCsv(rows), money: 'csv' }, `column ${JSON.stringify(name.length > 30 ? `${name.slice(0, 30)}…` : name)} at ${at}`);
}

export interface StatementFiles {
  payments: Buffer;
  usCard: Buffer;
  cmb: Buffer;
}

/** The demo's whole job (costs, usage, payments, two card statements), with a change applied. */
export function withStatements(c: Ctx, change: (f: StatementFiles) => string): Draft {
  const f: StatementFiles = { payments: fixtureBytes(FIXTURE.payments), usCard: fixtureBytes(FIXTURE.usCard), cmb: fixtureBytes(FIXTURE.cmbCard) };
  const note = change(f);
  const files: VariantFile[] = [
    { path: 'costs/cost.csv', bytes: toCsv(costRows(c)), money: 'csv' },
    { path: 'usage/usage.csv', bytes: toCsv(usageRows(c)) },
    { path: 'billing/payments.csv', bytes: f.payments },
    { path: 'bank/us-card.csv', bytes: f.usCard },
    { path: 'bank/cmb.csv', bytes: f.cmb },
  ];
  const args = reportArgs(
    c,
    ['costs/cost.csv'],
    ['usage/usage.csv'],
    ['--payments', '@in/billing/payments.csv', '--statement', '@in/bank/us-card.csv', '@in/bank/cmb.csv', '--period', '2026-10'],
  );
  return { note, files, args };
}
