/** Messages between the read stage and the thread that folds parts of a usage export. */
import type { UsagePartial } from '../../engine/usage.js';
import type { InputIssue } from '../../model.js';
import type { RangeSpec } from '../../sources/parallel/range-scan.js';
import type { Period } from '../../time.js';
import type { MessagePort } from 'node:worker_threads';
import { envBytes, MiB } from './threads.js';

export interface FoldWorkerData {
  header: string[];
  /** The file as the report names it. */
  file: string;
  spec: Omit<RangeSpec, 'start' | 'end' | 'firstLine'>;
  split: boolean;
  /** Byte offsets of the ranges: range i is [at[i], at[i + 1]). */
  at: number[];
  /** Shared counters (Int32Array over a SharedArrayBuffer): see TAKEN and MERGED. */
  shared: SharedArrayBuffer;
}

/** Range r of the file as a spec to fold, its lines numbered from `firstLine` (to `end`: the rest of the file, when the main thread takes over). */
export function rangeSpec(base: FoldWorkerData['spec'], at: readonly number[], r: number, firstLine: number, end = at[r + 1]!): RangeSpec {
  return { ...base, start: at[r]!, end, firstLine };
}

/** A turn of the event loop, so the other thread's messages sent meanwhile are taken in. */
export const messagesIn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Shared counter: the next range to take (Atomics.add hands each range to exactly one thread). */
export const TAKEN = 0;
/** Shared counter: ranges the main thread has merged; a thread folds at most AHEAD ranges past it. */
export const MERGED = 1;
/** Parts folded but not yet merged, at most: bounds the memory they hold while the main thread is busy. */
export const AHEAD = 4;

/** The counters of a file's report a part of it adds to. */
export const PART_COUNTERS = ['rowsRead', 'emptyBuckets', 'rowsUsed', 'outOfPeriod', 'duplicates', 'rowsRejected'] as const;
export type PartCounts = Record<(typeof PART_COUNTERS)[number], number>;

/**
 * What to fold (first), then the period, once the cost export that gives it is read (null: none,
 * every row is in it). Ranges begun before it are folded without one and checked when merged.
 */
export type ToWorker = { kind: 'start'; data: FoldWorkerData; hashPort: MessagePort } | { kind: 'period'; period: Period | null };

/**
 * The file's SHA-256, which the worker takes as well (worker.ts): hashing is one thread's
 * sequential work (~1.8 GB/s here) and the worker hashes when it would otherwise wait — for its
 * first range, for its turn — and after the fold, when the main thread's attribution and
 * outputs (~0.4 s on one thread) leave the second core free. A file larger than this is hashed
 * between the worker's ranges as well, so that about this much is left for after the fold.
 */
export const HASH_IN_TAIL = envBytes('SPENDRECON_HASH_TAIL_BYTES', 256 * MiB);

/**
 * The worker's answer on the hash's own port (held open until then: the process waits for it);
 * null when it could not read the file (the hash is taken again elsewhere, which meets the cause with its message).
 */
export type HashReply = { digest: string | null };

/**
 * A range folded on its own: its groups, counts and issues, as if it began the file (line
 * numbers from 1), with or without the period (`withPeriod`).
 */
export interface FoldedPart {
  kind: 'done';
  range: number;
  lines: number;
  counts: PartCounts;
  issues: InputIssue[];
  partial: UsagePartial;
  withPeriod: boolean;
}

export type FromWorker =
  | FoldedPart
  /** Cutting at the range is not safe (a quote, an overlong line): the main thread reads from there. */
  | { kind: 'unsafe'; range: number }
  | { kind: 'failed'; range: number; reason: string };
