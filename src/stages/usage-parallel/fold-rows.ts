/**
 * Rows of a byte range of a usage export through the reader and the fold, in the batches the
 * single-threaded reader makes (the range starts at a line start on the CSV layer's chunk grid,
 * so each batch holds the rows one chunk completes): what a worker does with its range, and
 * what the main thread does with the rest of a file it cannot cut safely.
 */
import { UsageAggregator } from '../../engine/usage.js';
import type { InputIssue, UsageRecord } from '../../model.js';
import type { ReadBatch } from '../../sources/contract.js';
import type { CsvRow } from '../../sources/csv.js';
import { addOutcome } from '../../sources/export-rows.js';
import type { UsageRowReader } from '../../sources/openai-usage.js';
import { type CutCheck, FastRangeScan, fastLinesOn } from '../../sources/parallel/fast-lines.js';
import { PlainLines } from '../../sources/parallel/plain-line.js';
import { plainRangeLines, scanRange, type RangeSpec } from '../../sources/parallel/range-scan.js';
import type { Period } from '../../time.js';
import { type AccountedFile, emptyReport, takeBatch } from '../fates.js';
import { UsageFold } from '../usage-fold.js';
import { PART_COUNTERS, type FromWorker, type PartCounts } from './protocol.js';

const newBatch = (): ReadBatch<UsageRecord> => ({ records: [], issues: [], skipped: 0, rows: 0 });

/**
 * Returns the bytes read. `skipHeader`: the range starts the file, whose first line is the header.
 * `cut`: the range was cut from the file for a thread, and is folded only if cutting there is safe
 * (else `cut.unsafe`, and what was folded is to be dropped); `cut.lines` gets its line ends.
 */
export function foldRows(spec: RangeSpec, skipHeader: boolean, reader: UsageRowReader, f: AccountedFile, fold: UsageFold, issues: InputIssue[], cut?: CutCheck): number {
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
  // the byte-level scan checks a cut range in its one pass (not the file's start: its header goes the text way)
  const checkApart = cut && !(plain?.usable && spec.start > 0);
  if (checkApart) {
    const lines = plainRangeLines(spec);
    if (lines === null) {
      cut.unsafe = true;
      return 0;
    }
    cut.lines = lines;
  }
  const chunks: Iterable<{ rows?: CsvRow[]; closes: boolean; bytes: number }> = plain?.usable
    ? new FastRangeScan(spec, plain, { record: onRecord, row: onRow }, checkApart ? undefined : cut).chunks()
    : scanRange(spec);
  for (const chunk of chunks) {
    if (chunk.rows) for (const row of chunk.rows) onRow(row);
    bytes += chunk.bytes;
    if (chunk.closes) take();
  }
  take();
  return bytes;
}

/**
 * One range folded on its own, on whichever thread takes it: checked to be safe to cut (else
 * `unsafe`), then folded into an aggregator of its own as if it began the file (its lines
 * numbered from `spec.firstLine`), with the period when known (`period` undefined: not yet).
 */
export function foldPart(range: number, spec: RangeSpec, reader: UsageRowReader, split: boolean, period: Period | null | undefined): FromWorker {
  const report = emptyReport(reader.file, 'usage', '', '');
  const issues: InputIssue[] = [];
  const fold = new UsageFold(new UsageAggregator(split), period ?? null, split, false);
  const cut: CutCheck = { unsafe: false, lines: 0 };
  foldRows(spec, range === 0, reader, { report }, fold, issues, cut);
  if (cut.unsafe) return { kind: 'unsafe', range };
  const { lines } = cut;
  // exact money cannot cross threads as a Decimal: usage rows carry none, and a part that does is read on the main thread
  if (report.money.length || issues.some((i) => i.amount !== null)) return { kind: 'failed', range, reason: 'money in a usage row' };
  const counts = Object.fromEntries(PART_COUNTERS.map((c) => [c, report[c]])) as PartCounts;
  return { kind: 'done', range, lines, counts, issues, partial: fold.agg.partial(), withPeriod: period !== undefined };
}

/**
 * The rows of `spec` (from the file's start) folded again into a fresh aggregator, for the seen
 * buckets of their groups (UsageAggregator.restore): counts and issues were taken the first time.
 */
export function foldAgain(spec: RangeSpec, reader: UsageRowReader, split: boolean, period: Period | null): UsageAggregator {
  const fold = new UsageFold(new UsageAggregator(split), period, split, false);
  foldRows(spec, spec.start === 0, reader, { report: emptyReport(reader.file, 'usage', '', '') }, fold, []);
  return fold.agg;
}
