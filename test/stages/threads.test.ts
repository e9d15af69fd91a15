/**
 * The fold worker bin/spendrecon starts before it loads the CLI (src/stages/usage-parallel/threads.ts):
 * started only for a `report` naming a large usage file, taken by the read stage, stopped
 * when the read does not want it, replaced when it died before it was taken. The worker is the
 * compiled one: `npx tsc -p tsconfig.json` first (npm test does).
 */
import { mkdtempSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MIN_BYTES, prestartFoldWorker, reportUsageArgs, startEarlyFoldWorker } from '../../src/stages/usage-parallel/threads.js';
import { cli, ROOT } from '../e2e/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'spendrecon-threads-'));
/** A sparse file just large enough to be read on two cores (only its size is looked at here). */
const large = join(dir, 'large.csv');
const fd = openSync(large, 'w');
ftruncateSync(fd, MIN_BYTES);
closeSync(fd);
const small = join(dir, 'small.csv');
writeFileSync(small, 'start_time\n');

/** The worker in the slot bin/spendrecon leaves it in (not taken). */
function earlyWorker(): Worker {
  const slot = (globalThis as Record<symbol, { worker: Worker } | undefined>)[Symbol.for('spendrecon.foldWorker.early')];
  expect(slot).toBeDefined();
  return slot!.worker;
}
const exited = (w: Worker) => new Promise<number>((r) => w.once('exit', r));
const started: Worker[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((w) => w.terminate()));
  // nothing left for the next test
  expect(prestartFoldWorker([small], dir, false)).toBeUndefined();
});

describe('which command lines start a fold worker before the CLI loads', () => {
  it('reads the --usage values of report as commander does', () => {
    expect(reportUsageArgs(['report', '--usage', 'a.csv', 'b/', '--costs', 'c.csv'])).toEqual(['a.csv', 'b/']);
    expect(reportUsageArgs(['report', '--costs', 'c.csv', '--usage=a.csv', '--usage', 'd.csv'])).toEqual(['a.csv', 'd.csv']);
    expect(reportUsageArgs(['--no-color', 'report', '--usage'])).toEqual([]);
    expect(reportUsageArgs(['inspect', '--usage', 'a.csv'])).toBeNull();
    expect(reportUsageArgs(['--usage', 'a.csv'])).toBeNull();
  });
});

describe('the early fold worker', () => {
  it('is the worker the read stage takes, once', () => {
    startEarlyFoldWorker(['report', '--usage', small, large, '--costs', small], dir);
    const early = earlyWorker();
    const taken = prestartFoldWorker([small, large], dir, false);
    expect(taken).toBe(early);
    started.push(taken!);
    // the next read (none here) starts its own
    const next = prestartFoldWorker([large], dir, false);
    expect(next).toBeDefined();
    started.push(next!);
    expect(next).not.toBe(taken);
  });

  it('is not started for small files, --strict or another command', () => {
    startEarlyFoldWorker(['report', '--usage', small], dir);
    startEarlyFoldWorker(['report', '--usage', large, '--strict'], dir);
    startEarlyFoldWorker(['inspect', '--usage', large], dir);
    expect(prestartFoldWorker([small], dir, false)).toBeUndefined();
  });

  it('is stopped when the read does not want it (--strict reaches the CLI another way, a file gone)', async () => {
    startEarlyFoldWorker(['report', '--usage', large], dir);
    const stopped = exited(earlyWorker());
    expect(prestartFoldWorker([large], dir, true)).toBeUndefined();
    await expect(stopped).resolves.toBeTypeOf('number');
  });

  it('is replaced when it died before it was taken', async () => {
    startEarlyFoldWorker(['report', '--usage', large], dir);
    const early = earlyWorker();
    await early.terminate();
    const taken = prestartFoldWorker([large], dir, false);
    expect(taken).toBeDefined();
    started.push(taken!);
    expect(taken).not.toBe(early);
  });
});

describe('bin/spendrecon with the early worker', () => {
  it('gives the report one thread gives, and exits', async () => {
    const fx = (p: string) => join(ROOT, 'fixtures', 'openai', p);
    const args = (out: string) => [
      'report',
      '--usage',
      fx('completions_usage_2026-10-01_2026-10-31.csv'),
      '--costs',
      fx('cost_2026-10-01_2026-10-31.csv'),
      '--tz',
      'UTC',
      '--out',
      out,
      '--json',
    ];
    // every usage file is large enough: the worker starts in bin/spendrecon and folds ranges
    const two = await cli(args(join(dir, 'two.xlsx')), dir, { SPENDRECON_PARALLEL_MIN_BYTES: '1', SPENDRECON_RANGE_BYTES: '4096', SPENDRECON_DEBUG: '1' });
    const one = await cli(args(join(dir, 'one.xlsx')), dir, { SPENDRECON_THREADS: '1' });
    expect(two.code, two.stderr).toBe(0);
    expect(one.code, one.stderr).toBe(0);
    expect(two.stderr).toContain('fold worker: the one started before the CLI loaded');
    const doc = (s: string) => {
      const { workbooks: _w, html: _h, ...rest } = JSON.parse(s) as Record<string, unknown>;
      return rest;
    };
    expect(doc(two.stdout)).toEqual(doc(one.stdout));
    // the fold worker, its fold done, draws the page's charts (worker-file.ts offerSpareWorker)
    expect(two.stderr).toContain('chart-worker.bundle.cjs: on the spare thread');
  });

  it('hashes the file it folds when the file it guessed and began hashing is another', async () => {
    const fx = (p: string) => join(ROOT, 'fixtures', 'openai', p);
    const cost = fx('cost_2026-10-01_2026-10-31.csv');
    // the cost export named first under --usage: bin/spendrecon's guess, recognised as costs by the read
    const args = (out: string) => ['report', '--usage', cost, fx('completions_usage_2026-10-01_2026-10-31.csv'), '--costs', cost, '--tz', 'UTC', '--out', out, '--json'];
    const two = await cli(args(join(dir, 'two.xlsx')), dir, { SPENDRECON_PARALLEL_MIN_BYTES: '1', SPENDRECON_RANGE_BYTES: '4096', SPENDRECON_DEBUG: '1' });
    const one = await cli(args(join(dir, 'one.xlsx')), dir, { SPENDRECON_THREADS: '1' });
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toContain('fold worker: the one started before the CLI loaded');
    expect(two.stderr).toContain('fold worker: the file hashed while waiting is not the one to fold, hashed anew');
    const inputs = (s: string) => (JSON.parse(s) as { inputs: { file: string; sha256: string }[] }).inputs.map((i) => [i.file, i.sha256]);
    expect(inputs(two.stdout)).toEqual(inputs(one.stdout));
    expect(new Set(inputs(two.stdout).map(([, h]) => h)).size).toBe(2);
  });
});
