/**
 * A large usage export read on two cores: cut at line starts into ranges that worker threads
 * parse while the main thread folds their rows in file order, in the very batches the
 * single-threaded reader yields (range-scan.ts), with the same records, issues and line
 * numbers. A range that holds a quote or an overlong line (where a line start could be a
 * guess) is read from its start on the main thread, and so is the rest of the file.
 * The SHA-256 is computed on a thread of its own.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { UsageRecord } from '../../model.js';
import type { ReadBatch } from '../contract.js';
import type { CsvFile } from '../csv.js';
import { addOutcome } from '../export-rows.js';
import type { UsageRowReader } from '../openai-usage.js';
import { OPENAI } from '../openai-fields.js';
import { RECORD_SLOTS, type ChunkMessage, type DimTuple, type WorkerData, type WorkerMessage } from './protocol.js';
import { lineStartAfter, scanRange, type RangeSpec } from './range-scan.js';

const MiB = 1024 * 1024;
/** Below this a file is read on the main thread: starting workers costs ~50 ms. */
const MIN_BYTES = envBytes('SPENDRECON_PARALLEL_MIN_BYTES', 32 * MiB);
/** Range size: small enough that the ranges parsed ahead of the main thread stay a few MB of numbers. */
const RANGE_BYTES = envBytes('SPENDRECON_RANGE_BYTES', 32 * MiB);
const WORKERS = 2;
/** Ranges handed out beyond the one the main thread is folding (bounds the memory held in messages). */
const LOOKAHEAD = 3;

function envBytes(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

/** The compiled worker (tests run the sources, whose worker is the built one in dist/). */
function workerFile(): string | null {
  const here = fileURLToPath(new URL('./usage-worker.js', import.meta.url));
  const built = here.replace(/([/\\])src([/\\]sources[/\\]parallel[/\\])/, '$1dist$2');
  return existsSync(here) ? here : existsSync(built) ? built : null;
}

/**
 * Opt-in (SPENDRECON_THREADS=2) until it measures faster: on the shared 2-core machine it was
 * built on (load 9-14) the two workers took about twice the CPU of one thread and the run got slower.
 */
export function parallelEligible(csv: CsvFile): boolean {
  if (Number(process.env.SPENDRECON_THREADS ?? 1) < 2 || availableParallelism() < 2) return false;
  return csv.bytes >= MIN_BYTES && csv.encoding.encoding === 'utf-8' && csv.newline !== '\r' && workerFile() !== null;
}

/** Byte offsets cutting the file into ranges that start at line starts: [0, …, size]. */
function cuts(csv: CsvFile): number[] {
  const n = Math.max(WORKERS, Math.ceil(csv.bytes / RANGE_BYTES));
  const out = [0];
  for (let i = 1; i < n; i++) {
    const at = lineStartAfter(csv.path, Math.floor((csv.bytes * i) / n), csv.bytes);
    if (at !== null && at > out[out.length - 1]! && at < csv.bytes) out.push(at);
  }
  out.push(csv.bytes);
  return out;
}

function hashOnThread(path: string): { digest: Promise<string>; stop: () => void } {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
const h = require('node:crypto').createHash('sha256');
const s = require('node:fs').createReadStream(workerData, { highWaterMark: 1 << 20 });
s.on('data', (c) => h.update(c)).on('end', () => parentPort.postMessage(h.digest('hex'))).on('error', (e) => parentPort.postMessage({ error: e.message }));`;
  const w = new Worker(code, { eval: true, workerData: path });
  const digest = new Promise<string>((resolve, reject) => {
    w.once('message', (m: string | { error: string }) => {
      void w.terminate();
      if (typeof m === 'string') resolve(m);
      else reject(new Error(m.error));
    });
    w.once('error', reject);
  });
  // awaited at the end of the file; a run stopped before then (--strict) must not fail on it
  digest.catch(() => {});
  return { digest, stop: () => void w.terminate() };
}

/** Two workers handed ranges in order; each range's messages queued until the main thread takes them. */
class Pool {
  private readonly workers: { worker: Worker; running: number | null; dims: DimTuple[] }[] = [];
  private readonly queues = new Map<number, (WorkerMessage & { worker: number })[]>();
  private wake: (() => void) | null = null;
  private nextRange = 0;
  /** The range the main thread is folding. */
  private current = 0;

  constructor(
    private readonly cuts: number[],
    data: WorkerData,
    file: string,
  ) {
    for (let w = 0; w < WORKERS; w++) {
      // the process's 32 MB semi-spaces (bin/spendrecon) are per heap: a worker's short-lived cells need less
      const slot = { worker: new Worker(file, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 24 } }), running: null as number | null, dims: [] as DimTuple[] };
      slot.worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'chunk') slot.dims.push(...m.dims);
        else slot.running = null;
        this.enqueue(m.range, { ...m, worker: w });
        this.pump();
      });
      // a worker that fails leaves its range to the main thread
      slot.worker.on('error', () => {
        if (slot.running !== null) this.enqueue(slot.running, { kind: 'unsafe', range: slot.running, worker: w });
        slot.running = -1;
      });
      this.workers.push(slot);
    }
    this.pump();
  }

  /** Hands the next ranges to idle workers, at most LOOKAHEAD beyond the one being folded. */
  private pump(): void {
    for (const slot of this.workers) {
      if (slot.running !== null || this.nextRange >= this.cuts.length - 1 || this.nextRange > this.current + LOOKAHEAD) continue;
      const range = this.nextRange++;
      slot.running = range;
      slot.worker.postMessage({ range, start: this.cuts[range]!, end: this.cuts[range + 1]! });
    }
  }

  private enqueue(range: number, m: WorkerMessage & { worker: number }): void {
    let q = this.queues.get(range);
    if (!q) this.queues.set(range, (q = []));
    q.push(m);
    this.wake?.();
  }

  dimsOf(worker: number): DimTuple[] {
    return this.workers[worker]!.dims;
  }

  /** The next message of `range`, in the order its worker sent them. */
  async next(range: number): Promise<WorkerMessage & { worker: number }> {
    if (range !== this.current) {
      this.current = range;
      this.pump();
    }
    for (;;) {
      const m = this.queues.get(range)?.shift();
      if (m) return m;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }

  stop(): void {
    for (const w of this.workers) void w.worker.terminate();
  }
}

const newBatch = (): ReadBatch<UsageRecord> => ({ records: [], issues: [], skipped: 0, rows: 0 });

/** The rows of one worker chunk into the batch: records rebuilt from numbers, other rows read again here. */
function addChunk(batch: ReadBatch<UsageRecord>, m: ChunkMessage, dims: DimTuple[], lineOffset: number, file: string, reader: UsageRowReader): void {
  batch.rows += m.rows;
  batch.skipped += m.skipped;
  let raw = 0;
  const again = (upTo: number) => {
    for (; raw < m.raws.length && m.raws[raw]!.at <= upTo; raw++) {
      const r = m.raws[raw]!;
      addOutcome(batch, reader.readRow({ line: r.line + lineOffset, fields: r.fields }));
    }
  };
  const n = m.nums;
  for (let i = 0; i < m.records; i++) {
    again(i);
    const o = i * RECORD_SLOTS;
    const d = dims[n[o + 8]!]!;
    batch.records.push({
      src: { file, line: n[o]! + lineOffset },
      provider: OPENAI,
      start: n[o + 1]!,
      end: n[o + 2]!,
      projectId: d[0] as string | null,
      userId: d[1] as string | null,
      apiKeyId: d[2] as string | null,
      model: d[3] as string | null,
      batch: d[4] as boolean | null,
      serviceTier: d[5] as string | null,
      requests: n[o + 3]!,
      inputTokens: n[o + 4]!,
      outputTokens: n[o + 5]!,
      cachedTokens: n[o + 6]!,
      cacheWriteTokens: n[o + 7]!,
      other: null,
      variant: null,
    });
  }
  again(Number.POSITIVE_INFINITY);
}

/** The rest of the file from a line start, read here: the rows into batches as the single-threaded reader makes them. */
function* readHere(spec: RangeSpec, skipHeader: boolean, pending: ReadBatch<UsageRecord>, reader: UsageRowReader, csv: CsvFile): Generator<ReadBatch<UsageRecord>> {
  let batch = pending;
  let first = skipHeader;
  for (const chunk of scanRange(spec)) {
    for (const row of chunk.rows) {
      const isHeader = first;
      first = false;
      if (isHeader && !row.fault) continue;
      batch.rows++;
      addOutcome(batch, reader.readRow(row));
    }
    csv.bytesRead += chunk.bytes;
    if (chunk.closes) {
      if (batch.rows || batch.records.length) yield batch;
      batch = newBatch();
    }
  }
}

/** The usage export's batches, parsed on worker threads; the same as the single-threaded reader's. */
export async function* readUsageParallel(csv: CsvFile, header: string[], file: string, reader: UsageRowReader): AsyncGenerator<ReadBatch<UsageRecord>> {
  const worker = workerFile()!;
  const at = cuts(csv);
  const base = { path: csv.path, size: csv.bytes, bomBytes: csv.encoding.bomBytes, delimiter: csv.delimiter, width: reader.col.width, need: needMask(reader.col.used) };
  const hash = hashOnThread(csv.path);
  const pool = new Pool(at, { header, file, spec: base }, worker);
  let lineOffset = 0;
  let pending = newBatch();
  try {
    for (let r = 0; r < at.length - 1; r++) {
      let m = await pool.next(r);
      let chunks = 0;
      for (; m.kind === 'chunk'; m = await pool.next(r), chunks++) {
        addChunk(pending, m, pool.dimsOf(m.worker), lineOffset, file, reader);
        csv.bytesRead += m.bytes;
        if (m.closes) {
          if (pending.rows || pending.records.length) yield pending;
          pending = newBatch();
        }
      }
      if (m.kind === 'done') {
        lineOffset += m.lines;
        continue;
      }
      // a range given back after some of its rows were folded cannot be read again here without counting them twice
      if (chunks) throw new Error(`a parse thread failed in the middle of ${file}${m.reason ? `: ${m.reason}` : ''}`);
      pool.stop();
      yield* readHere({ ...base, start: at[r]!, end: csv.bytes, firstLine: lineOffset + 1 }, r === 0, pending, reader, csv);
      break;
    }
    csv.sha256 = await hash.digest;
  } finally {
    pool.stop();
    hash.stop();
  }
}

function needMask(columns: readonly number[]): boolean[] {
  const mask: boolean[] = [];
  for (const c of columns) if (c >= 0) mask[c] = true;
  return mask;
}
