/**
 * Worker thread: folds ranges of an OpenAI usage export into an aggregator of its own and
 * posts its groups (UsageAggregator.partial), counts and issues for the main thread to merge
 * in file order. A range is first counted and checked to be safe to cut; it is folded once the
 * main thread says where its lines start (it counts the range before: its own).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UsageAggregator } from '../../engine/usage.js';
import type { InputIssue } from '../../model.js';
import { usageRowReader } from '../../sources/openai-usage.js';
import { plainRangeLines, type RangeSpec } from '../../sources/parallel/range-scan.js';
import type { Period } from '../../time.js';
import { emptyReport } from '../fates.js';
import { UsageFold } from '../usage-fold.js';
import { foldRows } from './fold-rows.js';
import { PART_COUNTERS, type FoldWorkerData, type FromWorker, type PartCounts, type ToWorker } from './protocol.js';

const data = workerData as FoldWorkerData;
const reader = usageRowReader(data.header, data.file);
const counted = new Map<number, { spec: RangeSpec; lines: number }>();

const post = (m: FromWorker) => parentPort!.postMessage(m);

function foldRange(range: number, spec: RangeSpec, lines: number, period: Period | null): FromWorker {
  const report = emptyReport(data.file, 'usage', '', '');
  const issues: InputIssue[] = [];
  const fold = new UsageFold(new UsageAggregator(data.split), period, data.split, false);
  foldRows(spec, range === 0, reader, { report }, fold, issues);
  // exact money cannot cross threads as a Decimal: usage rows carry none, and a part that does is read on the main thread
  if (report.money.length || issues.some((i) => i.amount !== null)) return { kind: 'failed', range, reason: 'money in a usage row' };
  const counts = Object.fromEntries(PART_COUNTERS.map((c) => [c, report[c]])) as PartCounts;
  return { kind: 'done', range, lines, counts, issues, partial: fold.agg.partial() };
}

/** Where a range's lines start and the period, when the main thread says so before the range is counted. */
const starts = new Map<number, { firstLine: number; period: Period | null }>();

function foldIfReady(range: number): void {
  const c = counted.get(range);
  const go = starts.get(range);
  if (!c || go === undefined) return;
  counted.delete(range);
  starts.delete(range);
  post(foldRange(range, { ...c.spec, firstLine: go.firstLine }, c.lines, go.period));
}

parentPort!.on('message', (m: ToWorker) => {
  try {
    if (m.kind === 'range') {
      const spec: RangeSpec = { ...data.spec, start: m.start, end: m.end, firstLine: 1 };
      const lines = plainRangeLines(spec);
      if (lines === null) post({ kind: 'lines', range: m.range, lines });
      else counted.set(m.range, { spec, lines });
    } else starts.set(m.range, { firstLine: m.firstLine, period: m.period });
    foldIfReady(m.range);
  } catch (e) {
    // the main thread reads the range itself, and meets the problem there with its own message
    post({ kind: 'failed', range: m.range, reason: e instanceof Error ? e.message : String(e) });
  }
});
