/**
 * Rows of a byte range of a usage export through the reader and the fold, in the batches the
 * single-threaded reader makes (the range starts at a line start on the CSV layer's chunk grid,
 * so each batch holds the rows one chunk completes): what a worker does with its range, and
 * what the main thread does with the rest of a file it cannot cut safely.
 */
import type { InputIssue, UsageRecord } from '../../model.js';
import type { ReadBatch } from '../../sources/contract.js';
import type { CsvRow } from '../../sources/csv.js';
import { addOutcome } from '../../sources/export-rows.js';
import type { UsageRowReader } from '../../sources/openai-usage.js';
import { FastRangeScan, fastLinesOn } from '../../sources/parallel/fast-lines.js';
import { PlainLines } from '../../sources/parallel/plain-line.js';
import { scanRange, type RangeSpec } from '../../sources/parallel/range-scan.js';
import { type AccountedFile, takeBatch } from '../fates.js';
import type { UsageFold } from '../usage-fold.js';

const newBatch = (): ReadBatch<UsageRecord> => ({ records: [], issues: [], skipped: 0, rows: 0 });

/** Returns the bytes read. `skipHeader`: the range starts the file, whose first line is the header. */
export function foldRows(spec: RangeSpec, skipHeader: boolean, reader: UsageRowReader, f: AccountedFile, fold: UsageFold, issues: InputIssue[]): number {
  let batch = newBatch();
  let first = skipHeader;
  let bytes = 0;
  const take = () => {
    takeBatch(f, batch, false, issues, (r) => fold.fold(f, r, issues));
    batch = newBatch();
  };
  const onRow = (row: CsvRow) => {
    const isHeader = first;
    first = false;
    if (isHeader && !row.fault) return;
    batch.rows++;
    addOutcome(batch, reader.readRow(row));
  };
  const onRecord = (r: UsageRecord) => {
    first = false;
    batch.rows++;
    batch.records.push(r);
  };
  const plain = fastLinesOn() ? new PlainLines(reader.col, spec.delimiter, reader.file) : null;
  const chunks: Iterable<{ rows?: CsvRow[]; closes: boolean; bytes: number }> = plain?.usable
    ? new FastRangeScan(spec, plain, { record: onRecord, row: onRow }).chunks()
    : scanRange(spec);
  for (const chunk of chunks) {
    if (chunk.rows) for (const row of chunk.rows) onRow(row);
    bytes += chunk.bytes;
    if (chunk.closes) take();
  }
  take();
  return bytes;
}
