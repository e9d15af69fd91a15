/**
 * A large OpenAI usage export read and folded on two cores. The file is cut into ranges at line
 * starts just before the CSV layer's chunk boundaries, so every range yields the very batches
 * one thread would. Worker threads fold the ranges into aggregators of their own; the main
 * thread merges them in file order (UsageAggregator.merge), adding their counts and issues as
 * one thread would have in turn. Where that could differ, the rest of the file is read here
 * instead, from the range on: a range that holds a quote or an overlong line (a line start
 * could be a guess), a repeat of a bucket an earlier range or file has seen, a worker's failure.
 * The SHA-256 is computed on a thread of its own. Both threads read plain lines straight from
 * their bytes (sources/parallel/fast-lines.ts; SPENDRECON_FAST_LINES=0 reads every line as text).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../../worker-file.js';
import type { InputFileReport, InputIssue } from '../../model.js';
import { CHUNK_BYTES, columnMask, type CsvFile } from '../../sources/csv.js';
import { usageRowReader } from '../../sources/openai-usage.js';
import { lastLineStartBefore, plainRangeLines, type RangeSpec } from '../../sources/parallel/range-scan.js';
import type { Period } from '../../time.js';
import { finishFile, type OpenedFile, type Progress } from '../inputs.js';
import type { UsageFold } from '../usage-fold.js';
import { foldRows } from './fold-rows.js';
import { PART_COUNTERS, type FoldWorkerData, type FromWorker, type PartCounts, type ToWorker } from './protocol.js';

const MiB = 1024 * 1024;
/** Below this a file is read on the main thread: starting the workers costs more than they save. */
const MIN_BYTES = envBytes('SPENDRECON_PARALLEL_MIN_BYTES', 32 * MiB);
/** Range size: each range's groups are posted whole, so a range is a few days of a month's export. */
const RANGE_BYTES = envBytes('SPENDRECON_RANGE_BYTES', 32 * MiB);
/** Ranges: the main thread and one worker thread take turns. */
const WORKERS = 2;

function envBytes(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

/** The compiled worker, or its one-file build (src/worker-file.ts). */
const workerFile = () => compiledWorker(import.meta.url, 'stages/usage-parallel', 'worker');

/** Whether this file is folded on worker threads: a large UTF-8 OpenAI usage CSV, two cores, not --strict (it stops at the first bad row). */
export function foldsInParallel(f: OpenedFile, strict: boolean): boolean {
  if (strict || f.input.type !== 'csv' || f.reader.format !== 'openai-usage-csv') return false;
  if (Number(process.env.SPENDRECON_THREADS ?? 2) < 2 || availableParallelism() < 2) return false;
  const csv = f.input.csv;
  return csv.bytes >= MIN_BYTES && csv.encoding.encoding === 'utf-8' && csv.newline !== '\r' && workerFile() !== null;
}

/** Byte offsets cutting the file into ranges: [0, …, size], each inner one a line start just before a chunk boundary. */
function cuts(csv: CsvFile): number[] {
  const n = Math.max(WORKERS, Math.ceil(csv.bytes / RANGE_BYTES));
  const out = [0];
  for (let i = 1; i < n; i++) {
    const boundary = Math.round((csv.bytes * i) / n / CHUNK_BYTES) * CHUNK_BYTES;
    const at = boundary > 0 && boundary < csv.bytes ? lastLineStartBefore(csv.path, boundary) : null;
    if (at !== null && at > out[out.length - 1]!) out.push(at);
  }
  out.push(csv.bytes);
  return out;
}

function hashOnThread(path: string): { digest: Promise<string>; stop: () => void } {
  // one buffer read into again and again: a stream's fresh buffer per chunk cost ~0.25 s of page faults at 1.27 GB
  const code = `const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
try {
  const h = require('node:crypto').createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = fs.openSync(workerData, 'r');
  try {
    for (let pos = 0, n; (n = fs.readSync(fd, buf, 0, buf.length, pos)) > 0; pos += n) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  parentPort.postMessage(h.digest('hex'));
} catch (e) {
  parentPort.postMessage({ error: e.message });
}`;
  const w = new Worker(code, { eval: true, workerData: path });
  const digest = new Promise<string>((resolve, reject) => {
    w.once('message', (m: string | { error: string }) => {
      void w.terminate();
      if (typeof m === 'string') resolve(m);
      else reject(new Error(m.error));
    });
    w.once('error', reject);
  });
  digest.catch(() => {});
  return { digest, stop: () => void w.terminate() };
}

type Outcome = Exclude<FromWorker, { kind: 'lines' }> | { kind: 'unsafe'; range: number };

/**
 * The worker thread, handed every other range (1, 3, 5, …) one at a time: it counts the range's
 * lines and checks it is safe to cut (else it is `unsafe`), then folds it once told where its
 * lines start. The main thread folds the ranges in between meanwhile.
 */
class Helper {
  private readonly worker: Worker;
  private readonly outcomes = new Map<number, Outcome>();
  private wake: (() => void) | null = null;
  private closed = false;

  constructor(
    private readonly at: number[],
    data: FoldWorkerData,
    file: string,
  ) {
    // the process's 32 MB semi-spaces (bin/spendrecon) are per heap; a worker's short-lived cells need less
    this.worker = new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 24 } });
    this.worker.on('message', (m: FromWorker) => this.settle(m.kind === 'lines' ? { kind: 'unsafe', range: m.range } : m));
    // a worker that fails or exits while it holds a range gives it back; one done with it has nothing to give back
    const lost = (reason: string) => {
      if (!this.closed && !this.outcomes.has(this.given)) this.settle({ kind: 'failed', range: this.given, reason });
    };
    this.worker.on('error', (e) => lost(e.message));
    this.worker.on('exit', (code) => lost(`the worker thread exited (code ${code})`));
    this.give(1);
  }

  private given = -1;

  private give(range: number): void {
    if (this.closed || range >= this.at.length - 1) return;
    this.given = range;
    this.worker.postMessage({ kind: 'range', range, start: this.at[range]!, end: this.at[range + 1]! } satisfies ToWorker);
  }

  private settle(o: Outcome): void {
    this.outcomes.set(o.range, o);
    if (o.kind === 'done') this.give(o.range + 2);
    else this.closed = true;
    this.wake?.();
  }

  /** Where the lines of `range` (one of the worker's) start, and the period they are folded for. */
  go(range: number, firstLine: number, period: Period | null): void {
    if (range < this.at.length - 1) this.worker.postMessage({ kind: 'go', range, firstLine, period } satisfies ToWorker);
  }

  async outcome(range: number): Promise<Outcome> {
    for (;;) {
      const o = this.outcomes.get(range);
      if (o) {
        this.outcomes.delete(range);
        return o;
      }
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }

  stop(): void {
    this.closed = true;
    void this.worker.terminate();
  }
}

/** What a parallel read did, per file (the latest 100; for tests and the bench). */
export interface ParallelRun {
  file: string;
  ranges: number;
  merged: number;
  /** Where the main thread took over, and why; null when every range was merged. */
  readHereFrom: { range: number; line: number; why: 'unsafe' | 'repeat' | 'failed'; reason?: string } | null;
}
export const parallelRuns: ParallelRun[] = [];

function addCounts(report: InputFileReport, c: PartCounts): void {
  for (const k of PART_COUNTERS) report[k] += c[k];
}

/**
 * The threads of a parallel read, started as soon as the file is opened: the worker loads its
 * code and counts its first range, and the hash runs, while the cost export (which gives the
 * period) is read on the main thread.
 */
export class ParallelStart {
  readonly at: number[];
  readonly hash: ReturnType<typeof hashOnThread>;
  readonly helper: Helper;
  readonly reader: ReturnType<typeof usageRowReader>;
  readonly base: Omit<RangeSpec, 'start' | 'end' | 'firstLine'>;
  readonly csv: CsvFile;

  constructor(
    readonly file: OpenedFile,
    split: boolean,
  ) {
    if (file.input.type !== 'csv') throw new Error('not a CSV file');
    const csv = file.input.csv;
    this.csv = csv;
    const header = csv.head[0]?.fields ?? [];
    this.reader = usageRowReader(header, file.display);
    const col = this.reader.col;
    this.base = { path: csv.path, size: csv.bytes, bomBytes: csv.encoding.bomBytes, delimiter: csv.delimiter, width: col.width, need: columnMask(col.used) };
    this.at = cuts(csv);
    this.hash = hashOnThread(csv.path);
    this.helper = new Helper(this.at, { header, file: file.display, spec: this.base, split }, workerFile()!);
  }

  stop(): void {
    this.helper.stop();
    this.hash.stop();
  }
}

/** Reads and folds a usage file as readRecords + UsageFold would on one thread, with the same counts, issues and groups. */
export async function foldUsageParallel(
  started: ParallelStart,
  fold: UsageFold,
  opts: { earlyPeriod: Period | null },
  issues: InputIssue[],
  ctx: { onProgress?: Progress; bytesBefore?: number; bytesTotal?: number },
): Promise<void> {
  const { file: f, csv, at, hash, helper, reader, base } = started;
  const period = opts.earlyPeriod;
  const run: ParallelRun = { file: f.display, ranges: at.length - 1, merged: 0, readHereFrom: null };
  if (parallelRuns.push(run) > 100) parallelRuns.shift();
  const progress = () =>
    ctx.onProgress?.({ file: f.display, rows: f.report.rowsRead, bytesRead: (ctx.bytesBefore ?? 0) + csv.bytesRead, bytesTotal: ctx.bytesTotal ?? f.report.bytes });
  const spec = (r: number, firstLine: number, end = at[r + 1]!): RangeSpec => ({ ...base, start: at[r]!, end, firstLine });
  try {
    let firstLine = 1;
    for (let r = 0; r < at.length - 1; r++) {
      let why: NonNullable<ParallelRun['readHereFrom']>['why'] | null = null;
      if (r % 2 === 0) {
        // the main thread's range, folded here in turn: exactly one thread's reading of it
        const lines = plainRangeLines(spec(r, firstLine));
        if (lines === null) why = 'unsafe';
        else {
          helper.go(r + 1, firstLine + lines, period);
          csv.bytesRead += foldRows(spec(r, firstLine), r === 0, reader, f, fold, issues);
          firstLine += lines;
        }
      } else {
        const o = await helper.outcome(r);
        if (o.kind === 'done' && fold.agg.merge(o.partial)) {
          fold.checkSize(f);
          addCounts(f.report, o.counts);
          for (const i of o.issues) issues.push(i);
          csv.bytesRead += at[r + 1]! - at[r]!;
          firstLine += o.lines;
          run.merged++;
        } else why = o.kind === 'done' ? 'repeat' : o.kind;
        if (why) run.readHereFrom = { range: r, line: firstLine, why, ...(o.kind === 'failed' ? { reason: o.reason } : {}) };
      }
      if (why) {
        run.readHereFrom ??= { range: r, line: firstLine, why };
        helper.stop();
        csv.bytesRead += foldRows(spec(r, firstLine, csv.bytes), r === 0, reader, f, fold, issues);
        progress();
        break;
      }
      progress();
    }
    csv.sha256 = await hash.digest;
  } finally {
    started.stop();
  }
  await finishFile(f);
}
