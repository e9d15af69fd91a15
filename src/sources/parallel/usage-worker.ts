/**
 * Worker thread: parses byte ranges of an OpenAI usage export and hands the main thread each
 * chunk's rows as numbers (a row's dimensions as the index of a tuple sent once). A row that
 * is not a plain record (an issue, an image-size variant, other metrics) goes back as its cells,
 * for the main thread to read again with its true line number.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { usageRowReader } from '../openai-usage.js';
import { plainRangeLines, scanRange, type RangeSpec } from './range-scan.js';
import { RECORD_SLOTS, type ChunkMessage, type RangeJob, type WorkerData, type WorkerMessage } from './protocol.js';

const data = workerData as WorkerData;
const reader = usageRowReader(data.header, data.file);
const dimIds = new Map<string, number>();

/** A dimension in a tuple key: length-prefixed, so no cell text can make two tuples one key. */
const part = (v: string | null) => (v === null ? '-' : `${v.length}:${v}`);

function post(m: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(m, transfer);
}

function runRange(job: RangeJob): void {
  const spec: RangeSpec = { ...data.spec, start: job.start, end: job.end, firstLine: 1 };
  const lines = plainRangeLines(spec);
  if (lines === null) {
    post({ kind: 'unsafe', range: job.range });
    return;
  }
  let skipHeader = job.range === 0;
  for (const chunk of scanRange(spec)) {
    const nums = new Float64Array(chunk.rows.length * RECORD_SLOTS);
    const m: ChunkMessage = { kind: 'chunk', range: job.range, closes: chunk.closes, bytes: chunk.bytes, rows: 0, skipped: 0, records: 0, nums, dims: [], raws: [] };
    for (const row of chunk.rows) {
      if (skipHeader) {
        skipHeader = false;
        if (!row.fault) continue;
      }
      m.rows++;
      const out = reader.readRow(row);
      if (out === 'skip') m.skipped++;
      else if ('severity' in out || out.other !== null || out.variant !== null) m.raws.push({ at: m.records, line: row.line, fields: row.fields });
      else {
        const key = `${part(out.projectId)}${part(out.userId)}${part(out.apiKeyId)}${part(out.model)}${out.batch}${part(out.serviceTier)}`;
        let id = dimIds.get(key);
        if (id === undefined) {
          id = dimIds.size;
          dimIds.set(key, id);
          m.dims.push([out.projectId, out.userId, out.apiKeyId, out.model, out.batch, out.serviceTier]);
        }
        const o = m.records++ * RECORD_SLOTS;
        nums[o] = row.line;
        nums[o + 1] = out.start;
        nums[o + 2] = out.end;
        nums[o + 3] = out.requests;
        nums[o + 4] = out.inputTokens;
        nums[o + 5] = out.outputTokens;
        nums[o + 6] = out.cachedTokens;
        nums[o + 7] = out.cacheWriteTokens;
        nums[o + 8] = id;
      }
    }
    post(m, [nums.buffer]);
  }
  post({ kind: 'done', range: job.range, lines });
}

parentPort!.on('message', (job: RangeJob) => {
  try {
    runRange(job);
  } catch (e) {
    // the main thread reads the range itself, and meets the problem there with its own message
    post({ kind: 'unsafe', range: job.range, reason: e instanceof Error ? e.message : String(e) });
  }
});
