/**
 * The fuzz run end to end: generate variants from a seed, run them, check each, and say in
 * one readable text which variants broke which rule — with the seed to rerun them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { checkRun, type Failure } from './checks.js';
import { openInOpenpyxl } from './openpyxl.js';
import { listFiles, placeVariant, runAsChild, runInWorker, type Placed, type RunResult } from './run.js';
import { generateVariants, type Variant } from './variants.js';

export interface FuzzOutcome {
  seed: number;
  runs: number;
  /** The variants of this part that were run. */
  ran: number;
  failed: Variant[];
  /** The text for the assertion message: classes first, then each failing variant. */
  text: string;
  /** Notes that are not failures (a check that could not run). */
  notes: string[];
}

const DETAILS_PER_CLASS = 2;

async function runAll(placed: Placed[], scratch: string): Promise<RunResult[]> {
  const inWorker = placed.filter((p) => p.variant.runner === 'worker');
  const workerResults = await runInWorker(inWorker, scratch);
  const byIndex = new Map<number, RunResult>();
  inWorker.forEach((p, i) => {
    byIndex.set(p.variant.index, workerResults[i]!);
  });
  for (const p of placed) if (p.variant.runner !== 'worker') byIndex.set(p.variant.index, runAsChild(p));
  return placed.map((p) => byIndex.get(p.variant.index)!);
}

function describeFailures(v: Variant, failures: Failure[]): string {
  const lines = [`#${v.index} ${v.kind} [${v.runner}] (${v.note})`];
  const byClass = new Map<string, string[]>();
  for (const f of failures) byClass.set(f.cls, [...(byClass.get(f.cls) ?? []), f.detail]);
  for (const [cls, details] of byClass) {
    const more = details.length > DETAILS_PER_CLASS ? ` (+${details.length - DETAILS_PER_CLASS} more)` : '';
    lines.push(`    - ${cls}: ${details.slice(0, DETAILS_PER_CLASS).join(' | ')}${more}`);
  }
  return lines.join('\n');
}

function summarise(seed: number, runs: number, results: [Variant, Failure[]][], notes: string[]): string {
  const failing = results.filter(([, f]) => f.length);
  const classes = new Map<string, number[]>();
  for (const [v, fs] of failing) for (const cls of new Set(fs.map((f) => f.cls))) classes.set(cls, [...(classes.get(cls) ?? []), v.index]);
  return [
    `fuzz: ${failing.length} of ${results.length} variants failed; rerun with SPENDRECON_FUZZ_SEED=${seed} SPENDRECON_FUZZ_RUNS=${runs}`,
    ...notes.map((n) => `note: ${n}`),
    'failure classes:',
    ...[...classes].sort((a, b) => b[1].length - a[1].length).map(([cls, ids]) => `  ${cls}: ${ids.map((i) => `#${i}`).join(' ')}`),
    'variants:',
    ...failing.map(([v, f]) => `  ${describeFailures(v, f)}`),
  ].join('\n');
}

/** `part`: only the variants whose index is `index` modulo `of` (a suite split over test files runs them side by side). */
export async function runFuzz(seed: number, runs: number, part = { index: 0, of: 1 }): Promise<FuzzOutcome> {
  const scratch = mkdtempSync(join(tmpdir(), 'spendrecon-fuzz-'));
  try {
    const variants = generateVariants(seed, runs).filter((v) => v.index % part.of === part.index);
    const placed = variants.map((v) => placeVariant(v, scratch));
    const results = await runAll(placed, scratch);
    const checked: [Variant, Failure[]][] = [];
    for (let i = 0; i < placed.length; i++) checked.push([placed[i]!.variant, await checkRun(placed[i]!, results[i]!)]);
    const workbooks = placed.flatMap((p, i) =>
      listFiles(p.outDir)
        .filter((f) => f.endsWith('.xlsx'))
        .map((f) => [f, i] as const),
    );
    const second = openInOpenpyxl(workbooks.map(([f]) => f));
    const notes = second.unavailable ? [`openpyxl check skipped: ${second.unavailable}`] : [];
    if (process.env.SPENDRECON_FUZZ_KEEP) notes.push(`inputs and outputs kept in ${scratch}`);
    for (const [f, i] of workbooks) {
      const error = second.errors.get(f);
      if (error) checked[i]![1].push({ cls: 'openpyxl cannot open the workbook', detail: `${relative(placed[i]!.outDir, f)}: ${error}` });
      const long = second.tooLong.get(f);
      if (long) checked[i]![1].push({ cls: "a cell over Excel's 32,767 characters", detail: `${relative(placed[i]!.outDir, f)}: ${long}` });
    }
    const failed = checked.filter(([, f]) => f.length).map(([v]) => v);
    return { seed, runs, ran: variants.length, failed, text: summarise(seed, runs, checked, notes), notes };
  } finally {
    if (!process.env.SPENDRECON_FUZZ_KEEP) rmSync(scratch, { recursive: true, force: true });
  }
}
