/** Messages between the main thread and the usage parse workers. */
import type { RangeSpec } from './range-scan.js';

/** Numbers per record: line (in its range), start, end, requests, input, output, cached, cache-write tokens, dimension tuple. */
export const RECORD_SLOTS = 9;

export interface WorkerData {
  header: string[];
  file: string;
  spec: Omit<RangeSpec, 'start' | 'end' | 'firstLine'>;
}

export interface RangeJob {
  range: number;
  start: number;
  end: number;
}

/** (project, user, key, model, batch, tier) of a record. */
export type DimTuple = (string | boolean | null)[];

export interface ChunkMessage {
  kind: 'chunk';
  range: number;
  closes: boolean;
  bytes: number;
  /** Rows read (the header of range 0 not counted). */
  rows: number;
  /** Empty buckets. */
  skipped: number;
  records: number;
  nums: Float64Array;
  /** Tuples first met in this chunk, numbered on from the worker's last one. */
  dims: DimTuple[];
  /** Rows to read again on the main thread: before the record numbered `at` of this chunk. */
  raws: { at: number; line: number; fields: string[] }[];
}

export type WorkerMessage = ChunkMessage | { kind: 'done'; range: number; lines: number } | { kind: 'unsafe'; range: number; reason?: string };
