/**
 * What the provider CSV export readers (OpenAI and Claude Console usage and cost) share: the
 * header on line 1, rows in the CSV layer's batches, and the same words for the same faults.
 */
import type { InputIssue } from '../model.js';
import { headerIndex, issue, type ReadBatch } from './contract.js';
import { type CsvFile, type CsvRow, headerRepeatMessage } from './csv.js';

/** Column name → index in this header (case- and space-insensitive), -1 where absent. */
export function columnAt(header: readonly string[]): (name: string) => number {
  const idx = headerIndex(header);
  return (name) => idx.get(name) ?? -1;
}

/**
 * The data rows of an export whose header is its first line, batch by batch as the CSV layer
 * streams them. Each row is counted and handed to `onRow` with its batch; a faulty first line
 * is a row too (it cannot be the header).
 */
export async function* exportBatches<R>(csv: CsvFile, options: Parameters<CsvFile['batches']>[0], onRow: (row: CsvRow, batch: ReadBatch<R>) => void): AsyncGenerator<ReadBatch<R>> {
  let first = true;
  for await (const rows of csv.batches(options)) {
    const batch: ReadBatch<R> = { records: [], issues: [], skipped: 0, rows: 0 };
    for (const row of rows) {
      const isHeader = first;
      first = false;
      if (isHeader && !row.fault) continue;
      batch.rows++;
      onRow(row, batch);
    }
    if (batch.rows) yield batch;
  }
}

/** A row's outcome into its batch (the row itself already counted): an issue that rejects nothing leaves the row skipped. */
export function addOutcome<R extends object>(batch: ReadBatch<R>, out: R | InputIssue | 'skip'): void {
  if (out === 'skip') batch.skipped++;
  else if ('severity' in out) {
    batch.issues.push(out as InputIssue);
    if (!(out as InputIssue).rejected) batch.skipped++;
  } else batch.records.push(out);
}

/** The header column a CSV fault begins in, when known. */
export function faultColumn(fault: NonNullable<CsvRow['fault']>, header: readonly string[]): string | null {
  return fault.field === null ? null : (header[fault.field] ?? null);
}

export function widthMessage(width: number, found: number): string {
  return `expected ${width} columns as in the header, found ${found}`;
}

/** The header again within the data (exports concatenated): said, not rejected. */
export function headerRepeatIssue(file: string, line: number): InputIssue {
  return issue('info', file, line, null, headerRepeatMessage(line), false);
}

/** Whether none of these cells holds anything. */
export function allEmpty(f: readonly string[], cells: readonly number[]): boolean {
  for (const i of cells) if (f[i] !== '' && f[i] !== undefined) return false;
  return true;
}

/** A row of the wrong width; empty-day rows are sometimes written with one delimiter too many, which is no fault. */
export function wrongWidth(f: readonly string[], width: number, empty: boolean): boolean {
  return f.length !== width && !(empty && f.length === width + 1 && f[width] === '');
}
