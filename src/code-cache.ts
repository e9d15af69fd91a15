/**
 * A one-file CommonJS build (bin/bundle.mjs: the CLI, its fold and chart threads, exceljs's
 * Workbook class, vega and vega-lite) run with V8's code cache of it: the bytecode of its
 * functions as the build's runs left them, so a run does not parse and compile ~5 MB of
 * JavaScript again (a 1M-row report 4.48 → 3.84 s wall, 7.08 → 6.13 s CPU; README, Performance).
 *
 * The cache (FILE.v8cache beside FILE) is written by bin/bundle.mjs, which runs a fixture report
 * and the demo with SPENDRECON_WRITE_CODE_CACHE=1 after building. It begins with the SHA-256 of the source it was
 * made from: a cache of other source is never given to V8 (whose own check compares lengths).
 * V8 refuses one made by another V8 or with other flags (a node flag the user gives, a test
 * runner); then the file is compiled as without a cache. Nothing here is ever written at run time.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { Script } from 'node:vm';

const HASH_BYTES = 32;
const writing = () => process.env.SPENDRECON_WRITE_CODE_CACHE === '1';

/** What became of each file's cache in this thread (for tests; SPENDRECON_DEBUG prints it). */
export const codeCacheUse: Record<string, 'accepted' | 'rejected' | 'none'> = {};

/**
 * Scripts of this thread whose cache is to be written (only when writing): one list for every
 * copy of this module the thread runs (bin/spendrecon's, the one inside a one-file build).
 */
const REGISTRY = Symbol.for('spendrecon.codeCache.toWrite');
const toWrite: Map<string, { script: Script; hash: Buffer }> = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Map()) as Map<string, { script: Script; hash: Buffer }>;

/** `require(file)` of a self-contained CommonJS file, compiled with its code cache where one fits. */
export function requireCached(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const hash = createHash('sha256').update(source).digest();
  const cacheFile = `${file}.v8cache`;
  let cachedData: Buffer | undefined;
  if (!writing() && existsSync(cacheFile)) {
    const bytes = readFileSync(cacheFile);
    if (bytes.length > HASH_BYTES && bytes.subarray(0, HASH_BYTES).equals(hash)) cachedData = bytes.subarray(HASH_BYTES);
  }
  // Node's own CommonJS wrapper, so the file runs as require() would run it
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const use = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  codeCacheUse[basename(file)] = use;
  if (process.env.SPENDRECON_DEBUG) process.stderr.write(`code cache of ${basename(file)}: ${use}\n`);
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (writing()) {
    if (toWrite.size === 0) process.on('exit', writeCodeCaches);
    toWrite.set(cacheFile, { script, hash });
  }
  return module.exports;
}

/** When writing (bin/bundle.mjs): each file's cache as its functions are compiled now, replaced atomically (also on exit). */
export function writeCodeCaches(): void {
  if (!writing()) return;
  for (const [cacheFile, { script, hash }] of toWrite) {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([hash, script.createCachedData()]));
    renameSync(tmp, cacheFile);
  }
}
