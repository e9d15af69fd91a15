/**
 * A usage export folded on worker threads (src/stages/usage-parallel/) must give what one
 * thread gives: the same groups, counts per file, issues with their lines and order, totals and
 * SHA-256 — on the fixtures, on a generated file with hostile cells cut into many ranges, and
 * where a range cannot be merged (a quote; a bucket repeated across ranges or files) and the
 * rest is read on the main thread. The worker is the compiled one: `npx tsc -p tsconfig.json`
 * first (npm test does).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// small ranges so that a few MB make many of them (read when the module loads)
process.env.SPENDRECON_PARALLEL_MIN_BYTES = '1';
process.env.SPENDRECON_RANGE_BYTES = String(300 * 1024);
// the file's hash taken between the worker's ranges too, not only after the fold (protocol.ts HASH_IN_TAIL)
process.env.SPENDRECON_HASH_TAIL_BYTES = String(100 * 1024);

const { runReport } = await import('../../src/pipeline.js');
const { parseConfig } = await import('../../src/config.js');
const { parallelRuns } = await import('../../src/stages/usage-parallel/index.js');
const { fastLineCounts } = await import('../../src/sources/parallel/fast-lines.js');

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'openai');
const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens,region';

/** The report job's read-side results with the usage read on `threads` threads; `fast`: plain lines read from their bytes (SPENDRECON_FAST_LINES). */
async function reportWith(threads: '1' | '2', usage: string[], fast = true) {
  process.env.SPENDRECON_THREADS = threads;
  process.env.SPENDRECON_FAST_LINES = fast ? '1' : '0';
  const before = parallelRuns.length;
  const r = await runReport({ usage, costs: [join(FX, 'cost_2026-10-01_2026-10-31.csv')], config: parseConfig({}, 'test', 'UTC'), period: { month: '2026-10' }, strict: false });
  const runs = parallelRuns.slice(before);
  return {
    runs,
    seen: {
      inputs: r.inputs,
      exceptions: r.exceptions,
      totals: r.totals,
      summaries: r.attribution?.summaries,
      crossCheck: r.attribution?.crossCheck,
    },
  };
}

/** All three ways alike (one thread; two, with plain lines read from their bytes or not); returns what the parallel read did per file. */
async function expectSame(usage: string[]) {
  const one = await reportWith('1', usage);
  const plainBefore = fastLineCounts.plain;
  const two = await reportWith('2', usage);
  const plainRead = fastLineCounts.plain - plainBefore;
  const textOnly = await reportWith('2', usage, false);
  expect(one.runs).toEqual([]);
  expect(two.runs.length, 'the parallel path needs the built worker: run `npx tsc -p tsconfig.json`').toBe(usage.length);
  expect(textOnly.seen).toEqual(one.seen);
  expect(two.seen).toEqual(one.seen);
  expect(fastLineCounts.plain - plainBefore, 'SPENDRECON_FAST_LINES=0 reads no line from its bytes').toBe(plainRead);
  return { one, runs: two.runs, plainRead };
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

describe('usage export folded on worker threads', () => {
  afterEach(() => {
    delete process.env.SPENDRECON_THREADS;
    delete process.env.SPENDRECON_FAST_LINES;
  });

  it('reads the fixtures exactly as one thread does', async () => {
    for (const f of ['completions_usage_2026-10-01_2026-10-31.csv', 'completions_usage_2026-10-31_minute.csv', 'completions_usage_2026-09-28_2026-10-03_daily.csv']) {
      const { runs } = await expectSame([join(FX, f)]);
      expect(runs[0]!.readHereFrom).toBeNull();
    }
  });

  it('folds a generated file with hostile cells, cut into many ranges, exactly as one thread does', async () => {
    // repeats only within reach of their first row's range: every range is merged
    const { one, runs } = await expectSame([write('usage.csv', hostileExport(14000, 7))]);
    expect(runs[0]!.ranges).toBeGreaterThan(5);
    // every range's part merged, its issues moved to their lines in the file
    expect(runs[0]).toMatchObject({ merged: runs[0]!.ranges, redone: 0, readHereFrom: null });
    const messages = one.seen.exceptions.map((e) => e.message).join('\n');
    expect(messages).toContain('whole non-negative count');
    expect(messages).toContain('header repeats');
    expect(messages).toContain('columns as in the header');
    expect(one.seen.inputs[0]!.duplicates).toBeGreaterThan(0);
  });

  it('reads the rest of the file on the main thread from the range holding a quote', async () => {
    const quoted = (i: number) =>
      i === 9000 ? `1791000000,1791000060,,,"proj_q",1.0,"a\nb",key_1,gpt-5-mini-2025-08-07,False,default,5.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us` : null;
    const { runs } = await expectSame([write('usage.csv', hostileExport(14000, 11, quoted))]);
    expect(runs[0]!.readHereFrom).toMatchObject({ why: 'unsafe' });
    expect(runs[0]!.merged).toBeGreaterThan(0);
  });

  it('reads the rest on the main thread where a range repeats buckets of an earlier range or file', async () => {
    const text = hostileExport(6000, 5);
    // two exports pasted together: the second half repeats the first, range by range
    const pasted = write('pasted.csv', `${text}\n${text.slice(text.indexOf('\n') + 1)}`);
    const a = await expectSame([pasted]);
    expect(a.runs[0]!.readHereFrom).toMatchObject({ why: 'repeat' });
    // the same file twice under two names: the first range of the one read second (folded on its
    // own, as every range is) repeats the other
    const copy = write('copy.csv', readFileSync(pasted, 'utf8'));
    const b = await expectSame([pasted, copy]);
    expect(b.runs[1]!.readHereFrom).toMatchObject({ why: 'repeat', range: 0 });
    const second = b.one.seen.inputs.find((i) => i.file === b.runs[1]!.file)!;
    expect(second.rowsUsed).toBe(0);
    expect(second.duplicates).toBe(second.rowsRead - second.emptyBuckets - second.rowsRejected);
  });

  it('reads lines at the edges of the byte-level path as the text path does, LF and CRLF', async () => {
    const text = hostileExport(14000, 13, edgeLine);
    for (const [name, body] of [
      ['edges.csv', text],
      ['edges-crlf.csv', text.replace(/\n/g, '\r\n')],
    ] as const) {
      const { one, plainRead, runs } = await expectSame([write(name, body)]);
      expect(runs[0]!.readHereFrom).toBeNull();
      expect(plainRead).toBeGreaterThan(1000);
      const messages = one.seen.exceptions.map((e) => e.message).join('\n');
      for (const cell of ['12.5', '1e3', '+5']) expect(messages).toContain(cell);
      expect(messages).toContain('True/False');
      expect(messages).toContain('to include cached');
      expect(messages).toContain('the two time columns disagree');
    }
  });
});

/** Cells of a good row at minute `s` (the hostile export's 25 columns), to spoil one at a time. */
function goodCells(s: number): string[] {
  return [
    String(s),
    String(s + 60),
    iso(s),
    iso(s + 60),
    'proj_edge',
    '2.0',
    'user-edge',
    'key_edge',
    'gpt-4o-mini-2024-07-18',
    'False',
    'default',
    '100.0',
    '7',
    '10.0',
    ...Array(10).fill('0.0'),
    'us',
  ];
}

/** A good row with some cells changed. */
const edit =
  (change: (c: string[], s: number) => void) =>
  (c: string[], s: number): string => {
    change(c, s);
    return c.join(',');
  };
const put = (i: number, v: string) => edit((c) => void (c[i] = v));

/** Every 29th row, a line at an edge of what the byte-level path reads; each is read alike either way. */
const EDGES: ((c: string[], s: number) => string)[] = [
  put(5, '12.0'),
  put(5, '12.5'),
  put(11, '1e3'),
  put(11, '+5'),
  put(11, '12.'),
  put(11, '12.00'),
  put(12, '007'),
  put(12, '1234567890123456'),
  put(12, '123456789012345'),
  put(12, ''),
  put(6, 'user-ü'),
  put(6, 'user\tx'),
  put(4, 'proj\rx'),
  (c) => `${c.join(',')},`,
  (c) => c.slice(0, 24).join(','),
  (c) => `${c.slice(0, 4).join(',')}${','.repeat(21)}`,
  (c) => `${c.slice(0, 2).join(',')}${','.repeat(23)}`,
  edit((c) => {
    c[2] = c[2]!.replace('+00:00', '');
    c[3] = c[3]!.replace('+00:00', '');
  }),
  edit((c) => void (c[2] = c[2]!.replace('+00:00', 'Z'))),
  edit((c) => void (c[2] = c[2]!.replace('T', ' '))),
  edit((c) => void (c[3] = c[3]!.replace(':00+', ':00.000+'))),
  edit((c, s) => void (c[2] = iso(s + 3600))),
  edit((c) => void c.splice(2, 2, '', '')),
  put(9, 'TRUE'),
  put(9, 'True'),
  put(9, 'true'),
  put(9, '1'),
  put(9, ' true'),
  put(9, 'yes'),
  put(9, ''),
  put(13, '1000.0'),
  edit((c, s) => void (c[0] = `${s}.0`)),
  edit((c, s) => void (c[1] = String(s + 61))),
  edit((c) => {
    c[8] = '';
    c[10] = '';
  }),
];

function edgeLine(i: number): string | null {
  if (i % 29 !== 3) return null;
  const s = 1790812800 + Math.floor(i / 4) * 60;
  return EDGES[Math.floor(i / 29) % EDGES.length]!(goodCells(s), s);
}
