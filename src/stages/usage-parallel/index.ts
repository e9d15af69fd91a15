/**
 * A large OpenAI usage export read and folded on two cores. The file is cut into ranges at line
 * starts just before the CSV layer's chunk boundaries, so every range yields the very batches
 * one thread would. A shared counter hands each range to whichever thread is free (the main
 * thread or the worker), which folds it into an aggregator of its own as if it began the file;
 * the main thread merges the parts in file order (UsageAggregator.merge), adding their counts
 * and issues (moved to their lines) as one thread would have in turn. A part that cannot be
 * taken as it is (an issue whose line cannot be moved, rows outside the period it was folded
 * without) is folded again here, in turn. Where merging could differ, the rest of the file is
 * read here instead, from the range on: a range that holds a quote or an overlong line (a line
 * start could be a guess), a repeat of a bucket an earlier range or file has seen, a worker's failure.
 * The worker also takes the file's SHA-256 (worker.ts), and once the fold is in it is kept as the
 * process's spare thread, which draws the page's charts. Both threads read plain lines straight from
 * their bytes (sources/parallel/fast-lines.ts; SPENDRECON_FAST_LINES=0 reads every line as text).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import type { UsagePartial } from '../../engine/usage.js';
import type { InputFileReport, InputIssue } from '../../model.js';
import { CHUNK_BYTES, columnMask, type CsvFile, headerRepeatMessage } from '../../sources/csv.js';
import { usageRowReader } from '../../sources/openai-usage.js';
import { lastLineStartBefore, type RangeSpec } from '../../sources/parallel/range-scan.js';
import type { Period } from '../../time.js';
import { finishFile, type OpenedFile, type Progress } from '../inputs.js';
import type { UsageFold } from '../usage-fold.js';
import { offerSpareWorker } from '../../worker-file.js';
import { foldAgain, foldPart, foldRows } from './fold-rows.js';
import { envBytes, foldWorker, MiB, MIN_BYTES, threadsAllowed, workerFile } from './threads.js';
import {
  AHEAD,
  type FoldedPart,
  type FoldWorkerData,
  type FromWorker,
  type HashReply,
  MERGED,
  messagesIn,
  PART_COUNTERS,
  type PartCounts,
  rangeSpec,
  TAKEN,
  type ToWorker,
} from './protocol.js';

/** Range size: each range's groups are posted whole, so a range is a few days of a month's export. */
const RANGE_BYTES = envBytes('SPENDRECON_RANGE_BYTES', 32 * MiB);
/** The smallest of the smaller last ranges (cuts). */
const TAIL_MIN = envBytes('SPENDRECON_RANGE_TAIL_MIN', 4 * MiB);
/** Threads folding ranges (the main thread and one worker): a file is cut into at least this many. */
const WORKERS = 2;
/** Whether this file is folded on worker threads: a large UTF-8 OpenAI usage CSV, when threads are allowed. */
export function foldsInParallel(f: OpenedFile, strict: boolean): boolean {
  if (f.input.type !== 'csv' || f.reader.format !== 'openai-usage-csv') return false;
  const csv = f.input.csv;
  return csv.bytes >= MIN_BYTES && csv.encoding.encoding === 'utf-8' && csv.newline !== '\r' && threadsAllowed(strict);
}

/**
 * Byte offsets cutting the file into ranges: [0, …, size], each inner one a line start just
 * before a chunk boundary. The last ranges are a half, a quarter and an eighth of RANGE_BYTES
 * (where that is at least TAIL_MIN): the thread that takes the last range is the one the other
 * waits for at the fold's end, up to a whole range's time (~0.1 s at 32 MiB) with ranges alike.
 */
function cuts(csv: CsvFile): number[] {
  let tail: number[] = [];
  for (let size = RANGE_BYTES / 2; size >= TAIL_MIN && tail.length < 3; size /= 2) tail.push(size);
  let tailBytes = tail.reduce((a, b) => a + b, 0);
  if (csv.bytes < WORKERS * RANGE_BYTES + tailBytes) [tail, tailBytes] = [[], 0];
  const bulk = csv.bytes - tailBytes;
  const n = Math.max(WORKERS, Math.ceil(bulk / RANGE_BYTES));
  const targets: number[] = [];
  for (let i = 1; i < n; i++) targets.push((bulk * i) / n);
  for (let at = bulk, i = 0; i < tail.length; at += tail[i++]!) targets.push(at);
  const out = [0];
  for (const target of targets) {
    const boundary = Math.round(target / CHUNK_BYTES) * CHUNK_BYTES;
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

/**
 * The worker thread: it takes ranges from the shared counter and posts what became of each.
 * A worker that fails or exits gives back the range it held (the main thread reads from there).
 */
class Helper {
  private readonly worker: Worker;
  private readonly outcomes = new Map<number, FromWorker>();
  private wake: (() => void) | null = null;
  private lost: string | null = null;
  /** The file's SHA-256 from the worker (protocol.ts HASH_IN_TAIL); null when it could not hash the file, failed or was stopped first. */
  readonly hashed: Promise<string | null>;
  /** Its own listeners on the worker (only these are taken off when it is kept: Node's Worker has some of its own). */
  private readonly listeners: Record<'message' | 'error' | 'exit', Parameters<Worker['on']>[1]>;

  /** `early`: a worker started before the file was known (prestartFoldWorker), else one is started here. */
  constructor(data: FoldWorkerData, file: string, early?: Worker) {
    this.worker = early ?? foldWorker(file);
    const { port1, port2 } = new MessageChannel();
    this.hashed = new Promise((resolve) => {
      port1.once('message', (m: HashReply) => {
        port1.close();
        resolve(m.digest);
      });
      // the worker failed or was stopped before it said
      port1.once('close', () => resolve(null));
    });
    this.worker.postMessage({ kind: 'start', data, hashPort: port2 } satisfies ToWorker, [port2]);
    const lost = (reason: string) => {
      this.lost ??= reason;
      this.wake?.();
    };
    this.listeners = {
      message: (m: FromWorker) => {
        this.outcomes.set(m.range, m);
        this.wake?.();
      },
      error: (e: Error) => lost(e.message),
      exit: (code: number) => lost(`the worker thread exited (code ${code})`),
    };
    for (const [event, fn] of Object.entries(this.listeners)) this.worker.on(event, fn);
  }

  /** The period, once known: for the ranges the worker begins from now on. */
  period(period: Period | null): void {
    this.worker.postMessage({ kind: 'period', period } satisfies ToWorker);
  }

  /** What became of range `range`, if the worker has said (or failed); `peek`: left to be taken later. */
  ready(range: number, peek = false): FromWorker | undefined {
    const o = this.outcomes.get(range);
    if (o) {
      if (!peek) this.outcomes.delete(range);
      return o;
    }
    return this.lost === null ? undefined : { kind: 'failed', range, reason: this.lost };
  }

  async outcome(range: number): Promise<FromWorker> {
    for (;;) {
      const o = this.ready(range);
      if (o) return o;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }

  stop(): void {
    if (this.lost === 'kept') return;
    this.lost ??= 'stopped';
    void this.worker.terminate();
  }

  /**
   * Every range is in: the worker has no more to take (its loop ends on the shared counter), so
   * it is kept as the process's spare thread (worker-file.ts), which the charts take instead of
   * starting one; stopped as before when it failed.
   */
  keep(): void {
    if (this.lost !== null) {
      this.stop();
      return;
    }
    this.lost = 'kept';
    for (const [event, fn] of Object.entries(this.listeners)) this.worker.off(event, fn);
    offerSpareWorker(this.worker);
  }
}

/** What a parallel read did, per file (the latest 100; for tests and the bench). */
export interface ParallelRun {
  file: string;
  ranges: number;
  /** Ranges folded on their own (on either thread) and merged. */
  merged: number;
  /** Ranges folded again here, in turn: their part held an issue whose line could not be moved, or rows outside the period it was folded without. */
  redone: number;
  /** Where the main thread took over, and why; null when every range was merged or redone. */
  readHereFrom: { range: number; line: number; why: 'unsafe' | 'repeat' | 'failed'; reason?: string } | null;
  /** Groups whose seen buckets were released as the read went on (see Releaser); 0 when the file was not the last usage input. */
  released: number;
  /** Where released groups had to be put back (rows out of time order, or a range read here), and how many. */
  restored: { range: number; groups: number } | null;
}
export const parallelRuns: ParallelRun[] = [];

function addCounts(report: InputFileReport, c: PartCounts): void {
  for (const k of PART_COUNTERS) report[k] += c[k];
}

/**
 * The threads of a parallel read, started as soon as the file is opened: the worker loads its
 * code and folds ranges while the cost export (which gives the period) is read on the main
 * thread, and takes the file's hash as well (protocol.ts HASH_IN_TAIL): a thread of its own for
 * it cost ~30 ms of CPU to start and shared two cores three ways after the fold.
 */
export class ParallelStart {
  readonly at: number[];
  #hash: ReturnType<typeof hashOnThread> | null = null;
  #digest: Promise<string> | null = null;
  #aborted = false;
  readonly helper: Helper;
  readonly reader: ReturnType<typeof usageRowReader>;
  readonly base: Omit<RangeSpec, 'start' | 'end' | 'firstLine'>;
  readonly csv: CsvFile;
  readonly shared: Int32Array;

  /** `period`: when the request gives it, known before any cost row is read; `early`: a worker already started (prestartFoldWorker). */
  constructor(
    readonly file: OpenedFile,
    readonly split: boolean,
    period?: Period | null,
    early?: Worker,
  ) {
    if (file.input.type !== 'csv') throw new Error('not a CSV file');
    const csv = file.input.csv;
    this.csv = csv;
    const header = csv.head[0]?.fields ?? [];
    this.reader = usageRowReader(header, file.display);
    const col = this.reader.col;
    this.base = { path: csv.path, size: csv.bytes, bomBytes: csv.encoding.bomBytes, delimiter: csv.delimiter, width: col.width, need: columnMask(col.used) };
    this.at = cuts(csv);
    const shared = new SharedArrayBuffer(8);
    this.shared = new Int32Array(shared);
    this.helper = new Helper({ header, file: file.display, spec: this.base, split, at: this.at, shared }, workerFile()!, early);
    if (period !== undefined) this.helper.period(period);
  }

  spec(r: number, firstLine: number, end?: number): RangeSpec {
    return rangeSpec(this.base, this.at, r, firstLine, end);
  }

  /**
   * The file's SHA-256: the worker's (it hashes while it would wait and after the fold), or, when
   * the worker could not give it, one taken on a thread of its own (the cause of a failure to
   * read the file is met there, with its message).
   */
  digest(): Promise<string> {
    if (this.#digest) return this.#digest;
    this.#digest = this.helper.hashed.then((d) => {
      if (d !== null) return d;
      if (this.#aborted) throw new Error('the read was stopped');
      return this.hashOnItsOwn();
    });
    this.#digest.catch(() => {});
    return this.#digest;
  }

  /**
   * The hash on a thread of its own, started now (once): the worker will not give it — it was
   * stopped and the rest of the file is read here, in one synchronous pass, so a start left to
   * the promise above would wait for that pass to end.
   */
  hashOnItsOwn(): Promise<string> {
    this.#hash ??= hashOnThread(this.csv.path);
    return this.#hash.digest;
  }

  /** The worker stopped; the hash too when `abort` (the run failed: nobody waits for it). */
  stop(abort = false): void {
    this.helper.stop();
    if (abort) {
      this.#aborted = true;
      this.#hash?.stop();
    }
  }
}

/**
 * What became of range r, the next to merge: while it is not ready, the main thread takes the
 * next range and folds it here (at most AHEAD past those merged); with none left, it waits.
 */
async function outcomeOf(r: number, s: ParallelStart, own: Map<number, FromWorker>, period: Period | null, onIdle?: (free: 'thread') => void): Promise<FromWorker> {
  const ranges = s.at.length - 1;
  for (;;) {
    const o = own.get(r) ?? s.helper.ready(r);
    if (o) {
      own.delete(r);
      return o;
    }
    const mine = Atomics.load(s.shared, TAKEN) - r < AHEAD ? Atomics.add(s.shared, TAKEN, 1) : ranges;
    if (mine >= ranges) {
      // nothing left to take here: a wait, which the caller may use once (see ReportRequest.onIdle)
      if (!s.helper.ready(r, true)) onIdle?.('thread');
      return s.helper.outcome(r);
    }
    own.set(mine, foldPart(mine, s.spec(mine, 1), s.reader, s.split, period));
    await messagesIn();
  }
}

/**
 * A part's issue at its line in the file: the part counted its lines from 1, `offset` lines
 * come before it. The one message that names its own line (a repeated header) is made anew;
 * null for any other that names it (it could not be moved: the part is folded again here).
 */
function relocated(i: InputIssue, offset: number): InputIssue | null {
  if (offset === 0 || i.line === null) return i;
  const line = i.line + offset;
  if (i.message === headerRepeatMessage(i.line)) return { ...i, line, message: headerRepeatMessage(line) };
  return i.message.includes(`line ${i.line}`) ? null : { ...i, line };
}

/**
 * The part's issues at their lines in the file, or null when it must be folded again here, in
 * turn: an issue that cannot be moved, or rows of a day outside the period it was folded without.
 */
function partIssues(o: FoldedPart, offset: number, fold: UsageFold, period: Period | null): InputIssue[] | null {
  if (!o.withPeriod && period !== null && o.partial.groups.some((g) => !fold.keepsDay(g.slot - (g.slot % 86400)))) return null;
  const out: InputIssue[] = [];
  for (const i of o.issues) {
    const moved = relocated(i, offset);
    if (!moved) return null;
    out.push(moved);
  }
  return out;
}

/**
 * The seen buckets (repeat verdicts, SPEC §3) of a parallel read bounded by the groups, not the
 * rows: once a part is merged, the groups of the days before its latest are released — an
 * export in time order never comes back to them. Only while reading the run's last usage input
 * (an earlier file's groups are kept: keepAll; no later file can meet what is released). A part
 * or a row that would meet a released group puts them all back first, from the file's rows up
 * to where it is, folded again (foldAgain), and releases no more in this file: verdicts are
 * exactly those of a read that never released anything, at the cost of one more read of that
 * much of the file when rows are out of time order.
 */
class Releaser {
  private on: boolean;

  constructor(
    private readonly s: ParallelStart,
    private readonly fold: UsageFold,
    private readonly period: Period | null,
    release: boolean,
    private readonly run: ParallelRun,
  ) {
    this.on = release && process.env.SPENDRECON_RELEASE_SEEN !== '0';
    if (this.on) fold.agg.keepAll();
  }

  /** Merges part `r` (UsageAggregator.merge), putting back released groups first if it meets one, and releasing after. */
  merge(r: number, p: UsagePartial): boolean {
    if (this.fold.agg.meetsReleased(p)) this.restore(r);
    if (!this.fold.agg.merge(p)) return false;
    if (this.on) {
      let latest = -Infinity;
      for (const g of p.groups) if (g.slot > latest) latest = g.slot;
      const before = this.fold.agg.releasedGroups;
      this.fold.agg.release(latest);
      this.run.released += this.fold.agg.releasedGroups - before;
    }
    return true;
  }

  /**
   * Released groups put back from the rows before range `r` (before rows are folded here, or a
   * part meets one); no more released once any was put back, so the file is folded again at most
   * once. With nothing released yet (a range redone before any release: the period came late)
   * releasing goes on.
   */
  restore(r: number): void {
    const groups = this.fold.agg.releasedGroups;
    if (groups === 0) return;
    this.on = false;
    this.fold.agg.restore(foldAgain(this.s.spec(0, 1, this.s.at[r]), this.s.reader, this.s.split, this.period));
    this.run.restored = { range: r, groups };
  }
}

/**
 * Reads and folds a usage file as readRecords + UsageFold would on one thread, with the same
 * counts, issues and groups. Returns once the rows are folded; the promise it resolves to
 * settles when the file's hash is on its report (the hash ends after the fold).
 */
export async function foldUsageParallel(
  started: ParallelStart,
  fold: UsageFold,
  opts: { earlyPeriod: Period | null; release: boolean },
  issues: InputIssue[],
  ctx: { onProgress?: Progress; onIdle?: (free: 'thread') => void; bytesBefore?: number; bytesTotal?: number },
): Promise<{ hashed: Promise<void> }> {
  const { file: f, csv, at, helper, reader } = started;
  const period = opts.earlyPeriod;
  const run: ParallelRun = { file: f.display, ranges: at.length - 1, merged: 0, redone: 0, readHereFrom: null, released: 0, restored: null };
  const seen = new Releaser(started, fold, period, opts.release, run);
  if (parallelRuns.push(run) > 100) parallelRuns.shift();
  const progress = () =>
    ctx.onProgress?.({ file: f.display, rows: f.report.rowsRead, bytesRead: (ctx.bytesBefore ?? 0) + csv.bytesRead, bytesTotal: ctx.bytesTotal ?? f.report.bytes });
  helper.period(period);
  const own = new Map<number, FromWorker>();
  try {
    let firstLine = 1;
    for (let r = 0; r < at.length - 1; r++) {
      const o = await outcomeOf(r, started, own, period, ctx.onIdle);
      const why = o.kind === 'done' ? null : o.kind;
      const moved = o.kind === 'done' ? partIssues(o, firstLine - 1, fold, period) : null;
      if (o.kind === 'done' && !moved) {
        seen.restore(r);
        csv.bytesRead += foldRows(started.spec(r, firstLine), r === 0, reader, f, fold, issues);
        run.redone++;
      } else if (o.kind === 'done' && seen.merge(r, o.partial)) {
        fold.checkSize(f);
        addCounts(f.report, o.counts);
        for (const i of moved!) issues.push(i);
        csv.bytesRead += at[r + 1]! - at[r]!;
        run.merged++;
      } else {
        run.readHereFrom = { range: r, line: firstLine, why: why ?? 'repeat', ...(o.kind === 'failed' ? { reason: o.reason } : {}) };
        helper.stop();
        // the rest is read here: the second core is free for the hash now
        void started.hashOnItsOwn();
        seen.restore(r);
        csv.bytesRead += foldRows(started.spec(r, firstLine, csv.bytes), r === 0, reader, f, fold, issues);
        progress();
        break;
      }
      firstLine += (o as FoldedPart).lines;
      Atomics.store(started.shared, MERGED, r + 1);
      Atomics.notify(started.shared, MERGED);
      progress();
    }
    if (run.readHereFrom === null) helper.keep();
  } catch (e) {
    started.stop(true);
    throw e;
  } finally {
    started.stop();
  }
  // the report is finished (its hash and size) once the hash, which ends after the fold, is in
  const hashed = started.digest().then((d) => {
    csv.sha256 = d;
    return finishFile(f);
  });
  hashed.catch(() => {});
  return { hashed };
}
