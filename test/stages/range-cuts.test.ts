/**
 * Where a large usage export is cut for the two threads (src/stages/usage-parallel/index.ts
 * `cuts`): ranges of about RANGE_BYTES, the last three a half, a quarter and an eighth of it, so
 * that at the fold's end the thread holding the last range keeps the other waiting only briefly;
 * a file too small for that is cut evenly. Folded exactly as one thread folds it either way. The
 * worker is the compiled one: `npx tsc -p tsconfig.json` first (npm test does).
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHUNK = 256 * 1024;
// read when the modules load: ranges of 8 chunks, the smaller last ones down to one chunk
process.env.SPENDRECON_PARALLEL_MIN_BYTES = '1';
process.env.SPENDRECON_RANGE_BYTES = String(8 * CHUNK);
process.env.SPENDRECON_RANGE_TAIL_MIN = String(CHUNK);

const { ParallelStart } = await import('../../src/stages/usage-parallel/index.js');
const { CHUNK_BYTES } = await import('../../src/sources/csv.js');
const { openInputs } = await import('../../src/stages/inputs.js');
const { allReaders } = await import('../../src/stages/readers.js');
const { parseConfig } = await import('../../src/config.js');
const { runReport } = await import('../../src/pipeline.js');

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'openai');
const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens,region';
const OCT1 = 1790812800; // 2026-10-01T00:00Z
const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');

/** A usage export of about `bytes`: minute buckets in time order over October, three projects. */
function usageFile(bytes: number): string {
  const lines = [HEADER];
  let size = HEADER.length + 1;
  for (let i = 0; size < bytes; i++) {
    const start = OCT1 + Math.floor(i / 3) * 60;
    const tokens = 100 + ((i * 7919) % 5000);
    const line = [
      start,
      start + 60,
      iso(start),
      iso(start + 60),
      `proj_${i % 3}`,
      '2.0',
      `user-${i % 5}`,
      `key_${i % 4}`,
      'gpt-4o-mini-2024-07-18',
      'False',
      'default',
      `${tokens}.0`,
      '17.0',
      ...Array(11).fill('0.0'),
      'us',
    ].join(',');
    lines.push(line);
    size += line.length + 1;
  }
  const path = join(mkdtempSync(join(tmpdir(), 'spendrecon-cuts-')), 'usage.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The byte sizes of the ranges the file is cut into. */
async function rangeSizes(path: string): Promise<number[]> {
  process.env.SPENDRECON_THREADS = '2';
  const [file] = await openInputs([path], ['usage'], allReaders(parseConfig({}, 'test', 'UTC')), process.cwd(), [], () => {});
  const started = new ParallelStart(file!, false);
  started.stop(true);
  return started.at.slice(1).map((at, i) => at - started.at[i]!);
}

async function report(threads: '1' | '2', path: string) {
  process.env.SPENDRECON_THREADS = threads;
  const r = await runReport({
    usage: [path],
    costs: [join(FX, 'cost_2026-10-01_2026-10-31.csv')],
    config: parseConfig({}, 'test', 'UTC'),
    period: { month: '2026-10' },
    strict: false,
  });
  return { inputs: r.inputs, exceptions: r.exceptions, totals: r.totals, summaries: r.attribution?.summaries };
}

/** A line of the file is at most this long: a cut is at the last line start before its chunk boundary. */
const LINE = 200;

describe('a usage export cut into ranges for two threads', () => {
  it('ends in ranges of a half, a quarter and an eighth of the range size, and folds as one thread does', async () => {
    expect(CHUNK_BYTES).toBe(CHUNK);
    const path = usageFile(24 * CHUNK + 1000);
    const sizes = await rangeSizes(path);
    const tail = sizes.slice(-3);
    for (const [i, want] of [4 * CHUNK, 2 * CHUNK, CHUNK].entries()) {
      expect(tail[i]).toBeGreaterThan(want - 2 * LINE);
      expect(tail[i]).toBeLessThan(want + 1000 + 2 * LINE);
    }
    const bulk = sizes.slice(0, -3);
    expect(bulk.length).toBeGreaterThanOrEqual(2);
    for (const s of bulk) expect(s).toBeLessThanOrEqual(8 * CHUNK + 2 * LINE);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(statSync(path).size);
    expect(await report('2', path)).toEqual(await report('1', path));
  });

  it('is cut evenly when it is too small for the smaller last ranges', async () => {
    const sizes = await rangeSizes(usageFile(12 * CHUNK));
    expect(sizes).toHaveLength(2);
    expect(Math.abs(sizes[0]! - sizes[1]!)).toBeLessThan(CHUNK);
  });
});
