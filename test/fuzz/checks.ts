/**
 * What every fuzz run must satisfy (issue #8, "Every cent, every run"): an exit code of 0, 1
 * or 2; no stack trace; no planted key anywhere in the output; inputs only read; and, when
 * the run succeeded, a conservation section that holds and accounts for every cent read.
 */
import { readFileSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import JSZip from 'jszip';
import { addExact, equalExact, parseExact, showExact, ZERO, type Exact } from './exact.js';
import { countCsvMoney, countJsonMoney, type Reading } from './money-count.js';
import { inputChanges, listFiles, sha256, type Placed, type RunResult } from './run.js';
import type { PlantedKey } from './gen.js';
import type { VariantFile } from './variants.js';

export interface Failure {
  /** The failure class: what broke, the same words for every variant it breaks. */
  cls: string;
  detail: string;
}

const STACK = [/^ {4}at /m, /^\s+at .*\((file|node):/m, /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/, /Maximum call stack/i, /unexpected error/i];
// C0 controls but tab/LF/CR: what every terminal acts on (ESC starts an escape sequence)
const TERMINAL_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

function around(text: string, at: number, len: number): string {
  return JSON.stringify(text.slice(Math.max(0, at - 40), at + len + 20));
}

interface KeyPiece {
  piece: string;
  glued: boolean;
}

/** Ten-character pieces of each key's random part: a key cut short still leaks through them. */
function keyPieces(keys: PlantedKey[]): KeyPiece[] {
  const pieces: KeyPiece[] = [];
  for (const k of keys) {
    const body = k.key.slice('sk-proj-'.length);
    for (let i = 0; i + 10 <= body.length; i++) pieces.push({ piece: body.slice(i, i + 10), glued: k.glued });
  }
  return pieces;
}

function findLeak(text: string, pieces: KeyPiece[]): string | null {
  for (const p of pieces) {
    const at = text.indexOf(p.piece);
    if (at >= 0) return around(text, at, p.piece.length);
  }
  return null;
}

/** Every output text: stdout, stderr, each file written, each part inside each .xlsx. */
async function outputTexts(p: Placed, r: RunResult): Promise<{ texts: [string, string][]; failures: Failure[] }> {
  const texts: [string, string][] = [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ];
  const failures: Failure[] = [];
  for (const f of listFiles(p.outDir)) {
    const name = relative(p.outDir, f);
    const bytes = readFileSync(f);
    if (!f.endsWith('.xlsx')) {
      texts.push([name, bytes.toString('utf8')]);
      continue;
    }
    try {
      const zip = await JSZip.loadAsync(bytes);
      for (const part of Object.values(zip.files)) if (!part.dir) texts.push([`${name}:${part.name}`, await part.async('string')]);
    } catch (e) {
      failures.push({ cls: 'workbook is not a zip', detail: `${name}: ${(e as Error).message}` });
    }
  }
  return { texts, failures };
}

/** Exit 2 on a variant is always about its input: the message must say which file. */
function namesAnInput(p: Placed, stderr: string): boolean {
  return stderr.includes(p.inDir) || p.variant.files.some((f) => stderr.includes(basename(f.path)));
}

function stdioFailures(p: Placed, r: RunResult): Failure[] {
  const out: Failure[] = [];
  if (r.crash) out.push({ cls: 'crash or hang', detail: clip(r.crash, 600) });
  else if (r.code !== 0 && r.code !== 1 && r.code !== 2) out.push({ cls: 'exit code not 0, 1 or 2', detail: `exit ${r.code}` });
  for (const [name, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    const hit = STACK.map((re) => re.exec(text)).find((m) => m);
    if (hit) out.push({ cls: 'stack trace or internal error shown', detail: `${name}: ${around(text, hit.index, hit[0].length)}` });
    const ctl = TERMINAL_CONTROL.exec(text);
    if (ctl) out.push({ cls: 'raw control character / terminal escape on stdio', detail: `${name}: ${around(text, ctl.index, 1)}` });
  }
  if (r.code === 2 && r.stderr.trim() === '') out.push({ cls: 'exit 2 without a message', detail: 'stderr empty' });
  else if (r.code === 2 && !namesAnInput(p, r.stderr)) out.push({ cls: 'exit 2 message names no input file', detail: clip(JSON.stringify(r.stderr), 200) });
  return out;
}

interface Equation {
  name?: string;
  file?: string | null;
  currency?: string;
  left?: string;
  right?: string;
  holds?: boolean;
}

function conservationFailures(json: Record<string, unknown>): { failures: Failure[]; equations: Equation[] | null } {
  const c = json.conservation as { holds?: unknown; equations?: unknown } | undefined;
  if (!c || typeof c !== 'object') return { failures: [{ cls: 'conservation section missing', detail: '--json has no "conservation"' }], equations: null };
  const failures: Failure[] = [];
  const equations = Array.isArray(c.equations) ? (c.equations as Equation[]) : [];
  if (c.holds !== true) failures.push({ cls: 'conservation does not hold', detail: `holds = ${JSON.stringify(c.holds)}` });
  if (!Array.isArray(c.equations)) failures.push({ cls: 'conservation does not hold', detail: 'no "equations" array' });
  for (const e of equations) {
    const left = parseExact(String(e.left ?? ''));
    const right = parseExact(String(e.right ?? ''));
    const label = `${e.name} (${e.file ?? 'all'}, ${e.currency}): ${e.left} vs ${e.right}`;
    if (e.holds !== true) failures.push({ cls: 'conservation equation fails', detail: label });
    else if (!left || !right || !equalExact(left, right)) failures.push({ cls: 'conservation equation says it holds but its sides differ', detail: label });
  }
  return { failures, equations };
}

interface InputEntry {
  file: string;
  sha256?: string;
  format?: string | null;
}

function expectedMoney(p: Placed, f: VariantFile): Reading[] | null {
  if (f.holds) return f.holds;
  const bytes = readFileSync(resolve(p.inDir, f.path));
  if (f.money === 'csv') return countCsvMoney(bytes);
  return countJsonMoney(bytes, f.money === 'jsonl');
}

/** The entry on `inputs` for a variant file: by content, else by path. */
function inputEntryOf(p: Placed, f: VariantFile, inputs: InputEntry[]): InputEntry | undefined {
  const abs = resolve(p.inDir, f.path);
  const byPath = inputs.find((i) => resolve(p.outDir, i.file) === abs);
  if (byPath) return byPath;
  const sha = sha256(readFileSync(abs));
  return inputs.find((i) => i.sha256 === sha);
}

/** The "read" side of a file's equations (file null: the run's): per currency, the one named for reading if several. */
function readSide(equations: Equation[], file: string | null, cwd: string): Exact | null {
  const same = (e: Equation) =>
    file === null ? e.file === null || e.file === undefined : typeof e.file === 'string' && (e.file === file || resolve(cwd, e.file) === resolve(cwd, file));
  // money equations only (row counts have no currency); the signed one, not the magnitudes
  const mine = equations.filter((e) => same(e) && e.currency !== null && e.currency !== undefined);
  if (!mine.length) return null;
  let sum = ZERO;
  for (const cur of new Set(mine.map((e) => e.currency))) {
    const ofCur = mine.filter((e) => e.currency === cur);
    const e = ofCur.find((x) => /^money read/i.test(x.name ?? '')) ?? ofCur.find((x) => /read/i.test(x.name ?? '')) ?? ofCur[0]!;
    sum = addExact(sum, parseExact(String(e.left ?? '')) ?? ZERO);
  }
  return sum;
}

interface CostInput {
  path: string;
  /** The file as the tool names it on `inputs` (and, so the harness assumes, in equations). */
  shownAs: string;
  want: Reading[];
}

const showReadings = (want: Reading[]) => (want.length === 1 ? showExact(want[0]!.sum) : want.map((r) => `${showExact(r.sum)} (${r.label})`).join(' or '));

/** Each input on `inputs`; the cost inputs among them with the money they hold. */
function costInputs(p: Placed, json: Record<string, unknown>): { costs: CostInput[]; failures: Failure[] } {
  const inputs = (Array.isArray(json.inputs) ? json.inputs : []) as InputEntry[];
  const costs: CostInput[] = [];
  const failures: Failure[] = [];
  for (const f of p.variant.files) {
    if (f.aside || f.symlink === '.' || f.symlink === '..') continue;
    const entry = inputEntryOf(p, f, inputs);
    if (!entry) failures.push({ cls: 'input file silently skipped (not on inputs)', detail: f.path });
    else if (f.money && /cost/i.test(entry.format ?? '')) {
      const want = expectedMoney(p, f);
      if (want) costs.push({ path: f.path, shownAs: entry.file, want });
    }
  }
  return { costs, failures };
}

/** Every total the files' readings can add up to (few: most files have one reading). */
function possibleTotals(costs: CostInput[]): Exact[] {
  let totals: Exact[] = [ZERO];
  for (const c of costs) {
    const next: Exact[] = [];
    for (const t of totals) for (const r of c.want) if (!next.some((n) => equalExact(n, addExact(t, r.sum)))) next.push(addExact(t, r.sum));
    totals = next.slice(0, 256);
  }
  return totals;
}

/** The read side against the money held: per file when equations name files, else in total. */
function moneyFailures(p: Placed, costs: CostInput[], equations: Equation[]): Failure[] {
  const failures: Failure[] = [];
  if (!equations.some((e) => typeof e.file === 'string')) {
    const got = readSide(equations, null, p.outDir);
    const want = possibleTotals(costs);
    if (costs.length && got === null) failures.push({ cls: 'money read not accounted (no equation for the cost file)', detail: 'no equation at all' });
    else if (got !== null && !want.some((w) => equalExact(w, got)))
      failures.push({ cls: 'money read ≠ money the input holds', detail: `cost inputs hold ${want.map(showExact).join(' or ')}, conservation read side ${showExact(got)}` });
    return failures;
  }
  for (const c of costs) {
    const got = readSide(equations, c.shownAs, p.outDir);
    if (got === null) failures.push({ cls: 'money read not accounted (no equation for the cost file)', detail: `${c.path} holds ${showReadings(c.want)}` });
    else if (!c.want.some((r) => equalExact(r.sum, got)))
      failures.push({ cls: 'money read ≠ money the input holds', detail: `${c.path}: input holds ${showReadings(c.want)}, conservation read side ${showExact(got)}` });
  }
  return failures;
}

/** Without a conservation section: how far billed + rejected is from what the inputs hold (a hint). */
function fallbackAccounting(json: Record<string, unknown>, expected: Exact): string {
  const t = (json.totals ?? {}) as Record<string, unknown>;
  const billed = parseExact(String(t.costExport ?? t.billed ?? '0')) ?? ZERO;
  const rejected = parseExact(String(t.rejectedAmount ?? '0')) ?? ZERO;
  const cutOff = parseExact(String(t.splitOutside ?? '0')) ?? ZERO;
  const seen = addExact(addExact(billed, rejected), cutOff);
  const verdict = equalExact(seen, expected) ? 'equal' : 'differ';
  return `; cost inputs hold ${showExact(expected)}, totals.costExport + rejectedAmount + splitOutside = ${showExact(seen)} (${verdict})`;
}

function successFailures(p: Placed, r: RunResult): Failure[] {
  if (r.crash || (r.code !== 0 && r.code !== 1) || !p.argv.includes('--json')) return [];
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch (e) {
    return [{ cls: 'stdout of --json is not JSON', detail: `${(e as Error).message}: ${JSON.stringify(r.stdout.slice(0, 120))}` }];
  }
  const failures: Failure[] = [];
  if (!listFiles(p.outDir).some((f) => f.endsWith('report.xlsx'))) failures.push({ cls: 'succeeded but wrote no workbook', detail: `exit ${r.code}` });
  const c = conservationFailures(json);
  const inputs = costInputs(p, json);
  failures.push(...c.failures, ...inputs.failures);
  if (c.equations) failures.push(...moneyFailures(p, inputs.costs, c.equations));
  else
    c.failures[0]!.detail += fallbackAccounting(
      json,
      inputs.costs.reduce((t, x) => addExact(t, x.want[0]!.sum), ZERO),
    );
  return failures;
}

/** Every check but the second reader's (run once for all workbooks: see openpyxl.ts). */
export async function checkRun(p: Placed, r: RunResult): Promise<Failure[]> {
  const failures = stdioFailures(p, r);
  const { texts, failures: zipFailures } = await outputTexts(p, r);
  failures.push(...zipFailures);
  const pieces = keyPieces(p.variant.keys);
  for (const [name, text] of texts) {
    for (const glued of [false, true]) {
      const leak = findLeak(
        text,
        pieces.filter((p) => p.glued === glued),
      );
      const cls = glued ? 'planted key in output (glued to a word, as in `x_sk-…`)' : 'planted key in output';
      if (leak) failures.push({ cls, detail: `${name}: ${clip(leak, 200)}` });
    }
  }
  for (const change of inputChanges(p)) failures.push({ cls: 'input modified', detail: change });
  failures.push(...successFailures(p, r));
  return failures;
}
