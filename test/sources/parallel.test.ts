/**
 * The usage export read on worker threads (src/sources/parallel/) must give what the
 * single-threaded reader gives: the same batches, records, issues with their lines, row counts
 * and SHA-256 — on the fixtures, and on a generated file with hostile cells cut into many
 * ranges. The worker is the compiled one: `npx tsc -p tsconfig.json` first (npm test does).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

// small ranges so that a few MB make many of them (read when the module loads)
process.env.SPENDRECON_PARALLEL_MIN_BYTES = '1';
process.env.SPENDRECON_RANGE_BYTES = String(300 * 1024);

const { exportReaders, openInput, recognise } = await import('../../src/sources/index.js');
const { parallelEligible } = await import('../../src/sources/parallel/usage-parallel.js');

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'openai');
const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens,region';

async function readWith(threads: '1' | '2', path: string) {
  process.env.SPENDRECON_THREADS = threads;
  const input = await openInput(path);
  if (input.type !== 'csv') throw new Error('not CSV');
  const rec = recognise(input, exportReaders);
  if (rec.reader?.format !== 'openai-usage-csv' || !rec.detection) throw new Error(`not a usage export: ${path}`);
  const parallel = parallelEligible(input.csv);
  const batches: unknown[] = [];
  for await (const b of rec.reader.read(input, rec.detection, { timezone: 'UTC', displayPath: 'usage.csv', statementPeriod: null })) batches.push(b);
  return { parallel, batches, sha256: input.csv.sha256 };
}

async function expectSame(path: string) {
  const one = await readWith('1', path);
  const two = await readWith('2', path);
  expect(one.parallel).toBe(false);
  expect(two.parallel, 'the parallel path needs the built worker: run `npx tsc -p tsconfig.json`').toBe(true);
  expect(two.batches).toEqual(one.batches);
  expect(two.sha256).toBe(one.sha256);
  return one;
}

/** Seeded PRNG (mulberry32): the same hostile file every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');

/** A good minute row, or one of the hostile kinds the reader must name, every so often. */
function hostileExport(rows: number, seed: number, extra: (i: number) => string | null = () => null): string {
  const r = rng(seed);
  const projects = ['proj_a', 'proj_ü漢字', '', 'proj_"x'.replace('"', 'q')];
  const models = ['gpt-4o-mini-2024-07-18', 'gpt-5-mini-2025-08-07', ''];
  const lines = [`\uFEFF${HEADER}`];
  let prev = '';
  const start0 = 1790812800; // 2026-10-01T00:00Z
  for (let i = 0; i < rows; i++) {
    const s = start0 + Math.floor(i / 4) * 60;
    const tokens = Math.floor(r() * 1e6);
    const cached = Math.floor(tokens * r() * 0.5);
    const cells = [
      s,
      s + 60,
      iso(s),
      iso(s + 60),
      projects[i % 4],
      `${1 + (i % 7)}.0`,
      r() < 0.2 ? '' : `user-${i % 5}`,
      `key_${i % 3}`,
      models[i % 3],
      i % 11 ? 'False' : 'TRUE',
      'default',
      `${tokens}.0`,
      `${Math.floor(r() * 1e5)}`,
      `${cached}.0`,
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      '0.0',
      'us',
    ];
    let line = cells.join(',');
    const x = r();
    if (x < 0.004) line = line.replace(`${tokens}.0`, `${tokens}x`);
    else if (x < 0.008) line = line.replace(String(s), 'soon');
    else if (x < 0.012) line = line.split(',').slice(1).join(',');
    else if (x < 0.014) line = HEADER;
    else if (x < 0.02) line = `${s},${s + 60},${iso(s)},${iso(s + 60)}${','.repeat(r() < 0.5 ? 21 : 22)}`;
    else if (x < 0.026 && prev) line = prev;
    else if (x < 0.03 && prev) line = prev.replace(/,(\d+)\.0,/, (_m, n) => `,${Number(n) + 1}.0,`);
    else if (x < 0.033) line = '';
    else if (x < 0.04) line = `${line}\r`;
    lines.push(extra(i) ?? line);
    if (line.includes(',')) prev = line;
  }
  // the last line without a line end
  return lines.join('\n');
}

function write(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spendrecon-parallel-')), name);
  writeFileSync(path, text);
  return path;
}

describe('usage export on worker threads', () => {
  beforeAll(() => {
    delete process.env.SPENDRECON_THREADS;
  });
  afterEach(() => {
    delete process.env.SPENDRECON_THREADS;
  });

  it('reads the fixtures exactly as one thread does', async () => {
    for (const f of ['completions_usage_2026-10-01_2026-10-31.csv', 'completions_usage_2026-10-31_minute.csv', 'completions_usage_2026-09-28_2026-10-03_daily.csv']) {
      await expectSame(join(FX, f));
    }
  });

  it('reads a generated file with hostile cells, cut into many ranges, exactly as one thread does', async () => {
    const one = await expectSame(write('usage.csv', hostileExport(14000, 7)));
    const issues = one.batches.flatMap((b) => (b as { issues: { line: number; message: string }[] }).issues);
    // the hostile kinds are there, with lines from every part of the file
    expect(issues.some((i) => i.message.includes('whole non-negative count'))).toBe(true);
    expect(issues.some((i) => i.message.includes('header repeats'))).toBe(true);
    expect(issues.some((i) => i.message.includes('columns as in the header'))).toBe(true);
    expect(Math.max(...issues.map((i) => i.line))).toBeGreaterThan(12000);
  });

  it('reads the rest of the file on the main thread from the range holding a quote, the same as one thread', async () => {
    const quoted = (i: number) =>
      i === 9000 ? `1791000000,1791000060,,,"proj_q",1.0,"a\nb",key_1,gpt-5-mini-2025-08-07,False,default,5.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us` : null;
    const one = await expectSame(write('usage.csv', hostileExport(14000, 11, quoted)));
    const records = one.batches.flatMap((b) => (b as { records: { projectId: string | null }[] }).records);
    expect(records.some((r) => r.projectId === 'proj_q')).toBe(true);
  });
});
