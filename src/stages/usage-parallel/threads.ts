/**
 * Whether a usage file is folded on two threads, and the fold worker itself — started as early
 * as a run can know it will be wanted. This module needs nothing but Node's own modules and
 * worker-file.ts, so that bin/spendrecon can load it (from dist/) before the CLI's ~2 MB build:
 * a worker started there loads its code on the second core while the first loads the CLI,
 * reads the config and recognises the inputs, instead of after.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { compiledWorker, startWorker } from '../../worker-file.js';

export const MiB = 1024 * 1024;

export function envBytes(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

/** Below this a file is read on the main thread: starting the workers costs more than they save. */
export const MIN_BYTES = envBytes('SPENDRECON_PARALLEL_MIN_BYTES', 32 * MiB);

/** The compiled worker, or its one-file build (src/worker-file.ts). */
export const workerFile = () => compiledWorker(import.meta.url, 'stages/usage-parallel', 'worker');

/** Whether a read may use worker threads: two cores, not --strict (it stops at the first bad row), the worker built. */
export function threadsAllowed(strict: boolean): boolean {
  return !strict && Number(process.env.SPENDRECON_THREADS ?? 2) >= 2 && availableParallelism() >= 2 && workerFile() !== null;
}

/** A fold worker: a young generation of its own, sized for the short-lived cells of a range's batches. */
export function foldWorker(file: string, hash?: string): Worker {
  return startWorker(file, { resourceLimits: { maxYoungGenerationSizeMb: 24 }, workerData: { hash } });
}

/** The first usage input named that is a file large enough to be read on two cores, as a path (a folder or a glob: not known yet, none). */
function largeFileNamed(usage: readonly string[], cwd: string): string | undefined {
  for (const u of usage) {
    const path = resolve(cwd, u);
    try {
      const s = statSync(path);
      if (s.isFile() && s.size >= MIN_BYTES) return path;
    } catch {}
  }
  return undefined;
}

/** The worker bin/spendrecon started, for the CLI's one-file build (a module copy of its own) to find: one slot per process. */
const EARLY = Symbol.for('spendrecon.foldWorker.early');
interface Early {
  worker: Worker;
  /** It failed to load or exited before the read stage took it: a fresh one is started instead, whose failure the read sees. */
  gone: boolean;
}
const slot = globalThis as { [EARLY]?: Early };

/**
 * The `--usage` values of a `report` command line (commander's variadic option: the words after
 * it up to the next option, or `--usage=FILE`), null for another command. Only a guess at what
 * the CLI will parse: a wrong guess starts a worker for nothing (stopped when the read begins)
 * or none (started then, as without this), never a different read.
 */
export function reportUsageArgs(argv: readonly string[]): string[] | null {
  const command = argv.find((a) => !a.startsWith('-'));
  if (command !== 'report') return null;
  const usage: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--usage=')) usage.push(a.slice('--usage='.length));
    else if (a === '--usage') for (; i + 1 < argv.length && !argv[i + 1]!.startsWith('-'); i++) usage.push(argv[i + 1]!);
  }
  return usage;
}

/**
 * bin/spendrecon, before it loads the CLI: a fold worker for a `report` whose command line names
 * a large usage file. It does not keep the process alive (a run that fails early just exits); the
 * read stage takes it (prestartFoldWorker) or stops it.
 */
export function startEarlyFoldWorker(argv: readonly string[], cwd: string): void {
  const usage = reportUsageArgs(argv);
  const large = usage?.length && !slot[EARLY] && threadsAllowed(argv.includes('--strict')) ? largeFileNamed(usage, cwd) : undefined;
  if (!large) return;
  // it hashes the file while it waits for its first range (worker.ts)
  const worker = foldWorker(workerFile()!, large);
  worker.unref();
  const early: Early = { worker, gone: false };
  const gone = () => {
    early.gone = true;
  };
  worker.once('error', gone);
  worker.once('exit', gone);
  slot[EARLY] = early;
}

/**
 * A fold worker started as the read begins, when a usage input named on the command line is a
 * file large enough to be read on two cores: it loads its code (~0.1 s) while the inputs are
 * recognised, instead of after — or the one bin/spendrecon started even before (startEarlyFoldWorker).
 * Undefined otherwise (an early one is stopped); the read stage stops it if no file needs it.
 */
export function prestartFoldWorker(usage: readonly string[], cwd: string, strict: boolean): Worker | undefined {
  const early = slot[EARLY];
  delete slot[EARLY];
  const large = threadsAllowed(strict) ? largeFileNamed(usage, cwd) : undefined;
  const wanted = large !== undefined;
  if (early && (!wanted || early.gone)) void early.worker.terminate();
  if (!wanted) return undefined;
  if (early && !early.gone) {
    if (process.env.SPENDRECON_DEBUG) process.stderr.write('fold worker: the one started before the CLI loaded\n');
    early.worker.ref();
    return early.worker;
  }
  return foldWorker(workerFile()!, large);
}
