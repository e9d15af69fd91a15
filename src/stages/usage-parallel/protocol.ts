/** Messages between the read stage and the threads that fold parts of a usage export. */
import type { UsagePartial } from '../../engine/usage.js';
import type { InputIssue } from '../../model.js';
import type { RangeSpec } from '../../sources/parallel/range-scan.js';
import type { Period } from '../../time.js';

export interface FoldWorkerData {
  header: string[];
  /** The file as the report names it. */
  file: string;
  spec: Omit<RangeSpec, 'start' | 'end' | 'firstLine'>;
  split: boolean;
}

/** The counters of a file's report a part of it adds to. */
export const PART_COUNTERS = ['rowsRead', 'emptyBuckets', 'rowsUsed', 'outOfPeriod', 'duplicates', 'rowsRejected'] as const;
export type PartCounts = Record<(typeof PART_COUNTERS)[number], number>;

/**
 * A range to look at, then (once the lines before it are counted) to fold from its first line's
 * number. The period comes with `go`: the worker starts while the cost export that gives it is read.
 */
export type ToWorker = { kind: 'range'; range: number; start: number; end: number } | { kind: 'go'; range: number; firstLine: number; period: Period | null };

export type FromWorker =
  /** Cutting at the range is not safe (a quote, an overlong line): the main thread reads from there. */
  | { kind: 'lines'; range: number; lines: null }
  | { kind: 'done'; range: number; lines: number; counts: PartCounts; issues: InputIssue[]; partial: UsagePartial }
  | { kind: 'failed'; range: number; reason: string };
