/**
 * V8's code cache of the one-file CommonJS builds (src/code-cache.ts): a file runs as require()
 * would run it with or without a cache, a cache is only ever given to V8 for the very source it
 * was made from, and the caches the install writes (bin/bundle.mjs) are taken by the CLI's runs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCacheUse, requireCached, writeCodeCaches } from '../src/code-cache.js';
import { startWorker } from '../src/worker-file.js';
import { cli, ROOT } from './e2e/run-cli.js';

const source = (n: number) =>
  `const path = require('node:path');\nexports.answer = ${n};\nexports.base = path.basename(__filename);\nexports.self = module.exports === exports;\nexports.twice = (x) => x * 2;\n`;

afterEach(() => {
  delete process.env.SPENDRECON_WRITE_CODE_CACHE;
});

describe('code cache', () => {
  it('runs a CommonJS file as require would, writes its cache on request and takes it for the same source only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-cache-'));
    const file = join(dir, 'lib.cjs');
    writeFileSync(file, source(41));
    const first = requireCached(file) as { answer: number; base: string; self: boolean; twice: (x: number) => number };
    expect(first).toMatchObject({ answer: 41, base: 'lib.cjs', self: true });
    expect(codeCacheUse['lib.cjs']).toBe('none');
    // writing: bin/bundle.mjs's demo run
    process.env.SPENDRECON_WRITE_CODE_CACHE = '1';
    expect((requireCached(file) as { twice: (x: number) => number }).twice(21)).toBe(42);
    writeCodeCaches();
    delete process.env.SPENDRECON_WRITE_CODE_CACHE;
    const cache = readFileSync(`${file}.v8cache`);
    expect(cache.subarray(0, 32).equals(createHash('sha256').update(source(41)).digest())).toBe(true);
    expect(cache.length).toBeGreaterThan(32);
    expect((requireCached(file) as { answer: number }).answer).toBe(41);
    expect(codeCacheUse['lib.cjs']).toBe('accepted');
    // other source of the same length: the cache is not V8's to judge (its own check compares lengths)
    writeFileSync(file, source(43));
    expect(readFileSync(file).length).toBe(source(41).length);
    expect((requireCached(file) as { answer: number }).answer).toBe(43);
    expect(codeCacheUse['lib.cjs']).toBe('none');
  });

  it('the caches the install wrote are taken by the CLI, with its V8 flags, on the main and the chart thread', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spendrecon-cache-')), 'demo.xlsx');
    const r = await cli(['demo', '--out', out], ROOT, { SPENDRECON_DEBUG: '1' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('code cache of cli.bundle.cjs: accepted');
    expect(r.stderr).toContain('code cache of vega-charts.cjs: accepted');
    expect(r.stderr).toMatch(/code cache of exceljs-[\d.]+-workbook\.cjs: accepted/);
  });

  it("a thread of a one-file build runs through the built loader, and a build that throws is the thread's error", async () => {
    const dist = join(mkdtempSync(join(tmpdir(), 'spendrecon-cache-')), 'dist');
    mkdirSync(join(dist, 'x'), { recursive: true });
    copyFileSync(join(ROOT, 'dist', 'code-cache.cjs'), join(dist, 'code-cache.cjs'));
    writeFileSync(join(dist, 'x', 'good.bundle.cjs'), "require('node:worker_threads').parentPort.postMessage(require('node:path').basename(__filename));");
    writeFileSync(join(dist, 'x', 'bad.bundle.cjs'), "throw new Error('boom');");
    const good = startWorker(join(dist, 'x', 'good.bundle.cjs'));
    expect(await new Promise((resolve, reject) => good.once('message', resolve).once('error', reject))).toBe('good.bundle.cjs');
    await good.terminate();
    const bad = startWorker(join(dist, 'x', 'bad.bundle.cjs'));
    const e = await new Promise<Error>((resolve) => bad.once('error', resolve));
    expect(e.message).toBe('boom');
  });
});
