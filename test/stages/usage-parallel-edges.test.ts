/**
 * Edges of the two-core usage fold (src/stages/usage-parallel/): small hostile files whose cut
 * points fall where a reading could differ (a BOM, CRLF, a line end exactly at a chunk boundary,
 * a CRLF split by it, a header repeat starting a range, no last line end, one range or two, a
 * quote or an overlong line in the main thread's or the worker's range, buckets out of order,
 * off the grid, a day wide, hourly groups with --split-days). Each is read on one
 * thread and on two: groups, counts, issues (lines, order) must be the same. The worker is the
 * compiled one: `npx tsc -p tsconfig.json` first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// read when the modules load: every file takes the parallel path, ranges of about one chunk
process.env.SPENDRECON_PARALLEL_MIN_BYTES = '1';
process.env.SPENDRECON_RANGE_BYTES = String(256 * 1024);

const { readInputs } = await import('../../src/stages/read.js');
const { parseConfig } = await import('../../src/config.js');
const { foldUsageParallel, ParallelStart, parallelRuns } = await import('../../src/stages/usage-parallel/index.js');
const { TAKEN } = await import('../../src/stages/usage-parallel/protocol.js');
const { openInputs } = await import('../../src/stages/inputs.js');
const { allReaders } = await import('../../src/stages/readers.js');
const { UsageFold } = await import('../../src/stages/usage-fold.js');
const { UsageAggregator } = await import('../../src/engine/usage.js');
const { resolvePeriod } = await import('../../src/stages/period.js');
const { PriceTable } = await import('../../src/engine/prices.js');
const { CHUNK_BYTES } = await import('../../src/sources/csv.js');

const FX = join(import.meta.dirname, '..', '..', 'fixtures', 'openai');
const COSTS = join(FX, 'cost_2026-10-01_2026-10-31.csv');
const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens,region';
const OCT1 = 1790812800; // 2026-10-01T00:00Z

const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');

/** One usage row; `project` may be padded to place the next line start exactly. */
function row(start: number, width: number, project: string, tokens: number, user = 'user-1'): string {
  const end = start + width;
  return [
    start,
    end,
    iso(start),
    iso(end),
    project,
    '1.0',
    user,
    'key_1',
    'gpt-4o-mini-2024-07-18',
    'False',
    'default',
    `${tokens}.0`,
    '7',
    '0.0',
    ...Array(10).fill('0.0'),
    'us',
  ].join(',');
}

/** Seeded PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A file built line by line: `rows(i)` gives the i-th line; `until(bytes)` adds lines up to
 * exactly `bytes` (the last one padded), so the next line starts there.
 */
class FileText {
  private parts: string[] = [];
  bytes = 0;
  constructor(
    private readonly eol: string,
    bom: boolean,
  ) {
    this.add(`${bom ? '\uFEFF' : ''}${HEADER}`);
  }
  add(line: string, eol = this.eol): this {
    const text = line + eol;
    this.parts.push(text);
    this.bytes += Buffer.byteLength(text);
    return this;
  }
  /** Rows from `next(i)` until the next line starts at byte `at` (the last row's project padded). */
  until(at: number, next: (i: number) => [number, number, string, number], lastEol = this.eol): this {
    for (let i = 0; ; i++) {
      const [s, w, p, t] = next(i);
      const plain = Buffer.byteLength(row(s, w, p, t) + lastEol);
      if (this.bytes + plain + 400 < at) {
        this.add(row(s, w, p, t));
        continue;
      }
      const pad = at - this.bytes - plain;
      if (pad < 0) throw new Error('cannot pad');
      return this.add(row(s, w, p + 'x'.repeat(pad), t), lastEol);
    }
  }
  text(lastEol = true): string {
    const all = this.parts.join('');
    return lastEol ? all : all.slice(0, all.length - this.eol.length);
  }
}

/** `dir`: beside another file (inputs are read in the order of their paths). */
function write(text: string, dir = mkdtempSync(join(tmpdir(), 'spendrecon-edges-')), name = 'usage.csv'): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function readWith(threads: '1' | '2', usage: string[], splitDays: boolean, fast = true) {
  process.env.SPENDRECON_THREADS = threads;
  process.env.SPENDRECON_FAST_LINES = fast ? '1' : '0';
  const before = parallelRuns.length;
  const r = await readInputs(
    { usage, costs: [COSTS], config: parseConfig({}, 'test', 'UTC'), period: { month: '2026-10' }, strict: false, splitDays },
    { attribution: true, reconciliation: false, ledger: false },
  );
  await r.settled; // the usage file's hash, which ends after the fold
  return { runs: parallelRuns.slice(before), seen: { reports: r.files.map((f) => f.report), issues: r.issues, groups: r.usageGroups } };
}

/** The usage file's report (the files are listed by path, and where the fixtures sort depends on the checkout's path). */
const usageReport = (seen: Awaited<ReturnType<typeof readWith>>['seen']) => seen.reports.find((r) => r.kind === 'usage')!;

/** One thread's and two threads' reading alike (plain lines read from their bytes or not); returns what the parallel read did. */
async function expectSame(path: string, splitDays = false) {
  const one = await readWith('1', [path], splitDays);
  const two = await readWith('2', [path], splitDays);
  const textOnly = await readWith('2', [path], splitDays, false);
  expect(one.runs).toEqual([]);
  expect(two.runs.length, 'the parallel path needs the built worker: run `npx tsc -p tsconfig.json`').toBe(1);
  expect(two.seen).toEqual(one.seen);
  expect(textOnly.seen).toEqual(one.seen);
  return { one: one.seen, run: two.runs[0]! };
}

/** Rows every ten minutes from October 1 on, four projects each time: ~2.5 days a range. */
const tenMinutes = (i: number) => [OCT1 + Math.floor(i / 4) * 600, 60, `proj_${i % 4}`, 1000 + i] as [number, number, string, number];

/** Minute rows of October 1, four projects a minute. */
const minutes = (from: number) => (i: number) => [OCT1 + (from + Math.floor(i / 4)) * 60, 60, `proj_${i % 4}`, 1000 + i] as [number, number, string, number];

describe('two-core usage fold at its edges', () => {
  afterEach(() => {
    delete process.env.SPENDRECON_THREADS;
    delete process.env.SPENDRECON_FAST_LINES;
  });

  it('lines the byte-level path leaves to the text way: a quoted field over a chunk boundary, a character split by one, a 100 kB line', async () => {
    const f = new FileText('\n', false).until(CHUNK_BYTES - 30, minutes(0));
    // the quote opens before the boundary, its line end is after it; plain lines follow
    f.add(`${OCT1 + 9000 * 60},${OCT1 + 9001 * 60},,,proj_q,1.0,"a\nb",key_1,gpt-4o-mini-2024-07-18,False,default,5.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us`);
    f.until(2 * CHUNK_BYTES - 100, minutes(2000));
    // a run of two-byte characters across the next boundary, one of them cut in two
    const s = OCT1 + 4000 * 60;
    const before = Buffer.byteLength(`${s},${s + 60},${iso(s)},${iso(s + 60)},`);
    f.add(row(s, 60, `${(100 - before) % 2 ? '' : 'x'}${'ü'.repeat(200)}`, 3));
    // a bad row after each: their issues name their lines
    const bad = (f: FileText) => f.add('1790900000,soon,,,p,1.0,u,k,m,False,default,1.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us');
    bad(f.until(2 * CHUNK_BYTES + 5000, minutes(4500))).until(3 * CHUNK_BYTES + 1000, minutes(5000));
    bad(f.add(row(OCT1 + 8000 * 60, 60, 'p'.repeat(100_000), 4)).until(3 * CHUNK_BYTES + 200_000, minutes(9000)));
    f.until(4 * CHUNK_BYTES + 5000, minutes(12000));
    const text = f.text();
    const bytes = Buffer.from(text);
    expect(bytes[2 * CHUNK_BYTES]! & 0xc0, 'a continuation byte starts the third chunk').toBe(0x80);
    const { one } = await expectSame(write(text));
    expect(usageReport(one).rowsUsed).toBeGreaterThan(2000);
    expect(one.groups.some((g) => g.projectId?.endsWith('üü'))).toBe(true);
    expect(one.issues.filter((i) => i.message.includes('"soon"'))).toHaveLength(2);
  });

  it('a file of one range (under a chunk) is read alike', async () => {
    const f = new FileText('\n', true).until(100_000, minutes(0));
    const { run, one } = await expectSame(write(f.text(false)));
    expect(run.ranges).toBe(1);
    expect(usageReport(one).rowsUsed).toBeGreaterThan(300);
  });

  it('two ranges, BOM, CRLF, no last line end: line numbers after the cut are the same', async () => {
    const f = new FileText('\r\n', true).until(CHUNK_BYTES + 90_000, minutes(0));
    f.add('1790900000,soon,,,p,1.0,u,k,m,False,default,1.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us');
    const { run, one } = await expectSame(write(f.text(false)));
    // the second range's part counted its lines from 1: its issue is moved to its line in the file
    expect(run).toMatchObject({ ranges: 2, merged: 2, redone: 0, readHereFrom: null });
    const bad = one.issues.find((i) => i.severity === 'error')!;
    // the header is line 1: the bad row's line is the file's line count
    expect(bad.line).toBe(f.text(false).split('\n').length);
  });

  it('a line end exactly at a chunk boundary, a CRLF split by one, a header repeat starting a range', async () => {
    const f = new FileText('\n', false).until(CHUNK_BYTES, minutes(0));
    // the line starting at the boundary repeats the header; the next one ends with CR | LF across the next boundary
    f.add(HEADER).until(2 * CHUNK_BYTES + 1, minutes(2000), '\r\n');
    f.until(3 * CHUNK_BYTES + 50_000, minutes(6000));
    const text = f.text();
    expect(text.slice(CHUNK_BYTES, CHUNK_BYTES + HEADER.length)).toBe(HEADER);
    expect(text.slice(2 * CHUNK_BYTES - 1, 2 * CHUNK_BYTES + 1)).toBe('\r\n');
    const { run, one } = await expectSame(write(text));
    expect(run.ranges).toBeGreaterThanOrEqual(3);
    // the repeated header's message names its line: made anew at the line in the file, not folded again
    expect(run).toMatchObject({ redone: 0, readHereFrom: null });
    expect(one.issues.map((i) => i.message).join('\n')).toContain('header repeats');
  });

  it('a quote in the main thread`s first range, and one in the worker`s last range', async () => {
    const quoted = (f: FileText) =>
      f.add(`${OCT1 + 9000 * 60},${OCT1 + 9001 * 60},,,"proj_q",1.0,"a\nb",key_1,gpt-4o-mini-2024-07-18,False,default,5.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us`);
    const first = quoted(new FileText('\n', false)).until(2 * CHUNK_BYTES + 10_000, minutes(0));
    const a = await expectSame(write(first.text()));
    expect(a.run.readHereFrom).toMatchObject({ range: 0, line: 1, why: 'unsafe' });
    const last = quoted(new FileText('\n', false).until(CHUNK_BYTES + 100_000, minutes(0)));
    const b = await expectSame(write(last.until(CHUNK_BYTES + 150_000, minutes(3000)).text(false)));
    expect(b.run).toMatchObject({ ranges: 2, readHereFrom: { range: 1, why: 'unsafe' } });
  });

  it('a line over the splitter`s 1 MiB bound in the worker`s range', async () => {
    const f = new FileText('\n', false).until(CHUNK_BYTES * 4, minutes(0));
    f.add(row(OCT1 + 7000 * 60, 60, 'p'.repeat(1024 * 1024 + 10), 1)).until(CHUNK_BYTES * 9, minutes(8000));
    const { run, one } = await expectSame(write(f.text()));
    expect(run.readHereFrom).toMatchObject({ why: 'unsafe' });
    expect(one.issues.length).toBeGreaterThan(0);
  });

  it('buckets out of order, off the grid, a day wide, with and without --split-days', async () => {
    const r = rng(3);
    // a few groups, each many rows in random order: sorted pairs, then the Map, then a slot per bucket;
    // repeats and conflicts only within one range (a repeat across ranges is read here: tested below)
    let range = 0;
    // minute rows of one day per range: past 720 buckets of its 1440 the group takes a slot per bucket
    const scattered = (i: number): [number, number, string, number] => {
      const kind = i % 20;
      const day = OCT1 + 86400 * (2 * range + (i % 2));
      if (kind === 0) return [day, 86400, `daily_${range}`, 5];
      if (kind === 1) return [day + 3600 * Math.floor(r() * 24), 3600, `hourly_${range}`, 7];
      const minute = Math.floor(r() * 1440);
      const start = OCT1 + 86400 * 2 * range + minute * 60 + (kind === 3 ? 7 : 0);
      return [start, 60, `min_${range}`, (minute % 5) + (r() < 0.03 ? 1 : 0)];
    };
    const f = new FileText('\n', false);
    for (range = 0; range < 4; range++) f.until(CHUNK_BYTES * (range + 1), scattered);
    const path = write(f.text());
    for (const split of [false, true]) {
      const { run, one } = await expectSame(path, split);
      expect(run).toMatchObject({ ranges: 4, merged: 4, redone: 0, readHereFrom: null });
      expect(usageReport(one).duplicates).toBeGreaterThan(0);
      expect(one.issues.some((i) => i.message.includes('conflicting repeat'))).toBe(true);
    }
  });

  it('a bucket of the first range repeated in the worker`s range: that range and the rest read here', async () => {
    const f = new FileText('\n', false).until(CHUNK_BYTES, minutes(0));
    f.add(row(OCT1, 60, 'proj_0', 1000))
      .add(row(OCT1 + 60, 60, 'proj_1', 99))
      .until(CHUNK_BYTES * 2 + 5000, minutes(3000));
    const { run, one } = await expectSame(write(f.text()), true);
    expect(run.readHereFrom).toMatchObject({ range: 1, why: 'repeat' });
    expect(usageReport(one).duplicates).toBe(1);
    expect(one.issues.filter((i) => i.message.includes('conflicting repeat'))).toHaveLength(1);
  });

  it('ranges the worker folded before the period came: those holding a day outside it are folded again here', async () => {
    // September 30 in the first two ranges, October 1 on after (a day every ~100 kB): the period is October
    const SEP30 = OCT1 - 86400;
    const f = new FileText('\n', false).until(CHUNK_BYTES + 20_000, (i) => [SEP30 + i * 60, 60, `proj_${i % 3}`, 100 + i]);
    f.until(4 * CHUNK_BYTES - 1000, tenMinutes);
    const path = write(f.text());
    const one = await readWith('1', [path], false);
    process.env.SPENDRECON_THREADS = '2';
    const config = parseConfig({}, 'test', 'UTC');
    const [file] = await openInputs([path], ['usage'], allReaders(config), process.cwd(), [], () => {});
    const started = new ParallelStart(file!, false);
    const ranges = started.at.length - 1;
    expect(ranges).toBeLessThanOrEqual(4);
    // the worker has taken every range (and posted each before taking the next) with no period said
    while (Atomics.load(started.shared, TAKEN) <= ranges) await new Promise((r) => setTimeout(r, 10));
    const period = resolvePeriod({ month: '2026-10' }, 'UTC', [], []);
    const fold = new UsageFold(new UsageAggregator(false), period, false, false);
    const issues: never[] = [];
    await (await foldUsageParallel(started, fold, { earlyPeriod: period, release: true }, issues, {})).hashed;
    const run = parallelRuns.at(-1)!;
    expect(run.redone).toBe(2);
    expect(run.merged).toBe(ranges - 2);
    // nothing was released before the ranges redone here: the later ones still let go of past days
    expect(run.released).toBeGreaterThan(0);
    expect(run.restored).toBeNull();
    expect(file!.report).toEqual(usageReport(one.seen));
    expect(fold.agg.finish(PriceTable.load(config.prices))).toEqual(one.seen.groups);
    expect(usageReport(one.seen).outOfPeriod).toBeGreaterThan(1000);
  });

  describe('seen buckets released as the read goes on (memory bounded by the groups)', () => {
    /** Five ranges of rows in time order (~12 days), then `tail` lines in the last range and rows to its end. */
    const released = (tail: (f: FileText) => void) => {
      const f = new FileText('\n', false).until(4 * CHUNK_BYTES + 3000, tenMinutes);
      tail(f);
      return write(f.until(5 * CHUNK_BYTES - 1000, (i) => tenMinutes(i + 8000)).text());
    };

    it('rows in time order: the days (hours, with --split-days) before each merged range`s latest are released, none met again', async () => {
      const path = released(() => {});
      for (const split of [false, true]) {
        const { run, one } = await expectSame(path, split);
        expect(run).toMatchObject({ ranges: 5, merged: 5, readHereFrom: null, restored: null });
        expect(run.released).toBeGreaterThan(split ? 200 : 20);
        expect(usageReport(one).duplicates).toBe(0);
      }
    });

    it('a repeat of a released day`s row (identical, and conflicting): put back, then judged as one thread judges it', async () => {
      // the first and sixth rows of October 1 again, the second with other values
      const path = released((f) => f.add(row(OCT1, 60, 'proj_0', 1000)).add(row(OCT1 + 600, 60, 'proj_1', 99)));
      for (const split of [false, true]) {
        const { run, one } = await expectSame(path, split);
        expect(run.restored).toMatchObject({ range: 4 });
        expect(run.restored!.groups).toBe(run.released);
        expect(run.readHereFrom).toMatchObject({ range: 4, why: 'repeat' });
        expect(usageReport(one).duplicates).toBe(1);
        expect(one.issues.filter((i) => i.message.includes('conflicting repeat'))).toHaveLength(1);
      }
    });

    it('a released day`s new group: the day, let go with its index, put back first, the group added alike', async () => {
      const { run, one } = await expectSame(released((f) => f.add(row(OCT1, 60, 'proj_new', 5))));
      expect(run).toMatchObject({ merged: 5, readHereFrom: null, restored: { range: 4 } });
      expect(one.groups.filter((g) => g.projectId === 'proj_new')).toHaveLength(1);
    });

    it('an earlier file`s groups are never released: the last file repeating one of them is judged alike', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'spendrecon-edges-'));
      const a = write(new FileText('\n', false).until(3 * CHUNK_BYTES + 3000, tenMinutes).text(), dir, 'a.csv');
      // days after a's, then a's first row again
      const b = new FileText('\n', false).until(3 * CHUNK_BYTES + 3000, (i) => tenMinutes(i + 8000));
      const bPath = write(
        b
          .add(row(OCT1, 60, 'proj_0', 1000))
          .until(4 * CHUNK_BYTES, (i) => tenMinutes(i + 20000))
          .text(),
        dir,
        'b.csv',
      );
      const one = await readWith('1', [a, bPath], false);
      const two = await readWith('2', [a, bPath], false);
      expect(two.seen).toEqual(one.seen);
      expect(two.runs.map((r) => r.released)).toEqual([0, expect.any(Number)]);
      expect(two.runs[1]!.released).toBeGreaterThan(0);
      expect(two.runs[1]!.readHereFrom).toMatchObject({ why: 'repeat' });
      expect(one.seen.reports.filter((r) => r.kind === 'usage').map((r) => r.duplicates)).toEqual([0, 1]);
    });

    it('rows read here after released days (a quote): put back first, a repeat among them judged alike', async () => {
      const quoted = `${OCT1 + 700 * 600},${OCT1 + 700 * 600 + 60},,,proj_q,1.0,"a\nb",key_1,gpt-4o-mini-2024-07-18,False,default,5.0,1,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,us`;
      const { run, one } = await expectSame(released((f) => f.add(quoted).add(row(OCT1, 60, 'proj_0', 1000))));
      expect(run.readHereFrom).toMatchObject({ range: 4, why: 'unsafe' });
      expect(run.restored).toMatchObject({ range: 4 });
      expect(usageReport(one).duplicates).toBe(1);
    });
  });
});
