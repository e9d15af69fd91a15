/**
 * Where built code is: a compiled worker thread's file (a worker needs a file of its own) and
 * the other files bin/bundle.mjs builds, for a module that may be running from dist/, from a
 * one-file build (dist/cli.bundle.cjs), or — in tests — from src/.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, sep as pathSep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * dist/<dir>/<name>.js for the module at `moduleUrl` (which lives in <dir>): beside it in dist/,
 * under dist/ from the one-file build, or, for tests that run the sources, the built one in
 * dist/. Its own one-file build (<name>.bundle.cjs, bin/bundle.mjs) when that is not older.
 * Null when it is not built.
 */
export function compiledWorker(moduleUrl: string, dir: string, name: string): string | null {
  const here = fileURLToPath(new URL(`./${name}.js`, moduleUrl));
  const fromBundle = fileURLToPath(new URL(`./${dir}/${name}.js`, moduleUrl));
  const sep = '[/\\\\]';
  const inDir = `${sep}${dir.split('/').join(sep)}${sep}`;
  const built = here.replace(new RegExp(`${sep}src(${inDir})`), (m) => m.replace(/src/, 'dist'));
  const endsRight = new RegExp(`${inDir}${name}\\.js$`);
  const file = [here, fromBundle, built].find((f) => endsRight.test(f) && existsSync(f));
  if (!file) return null;
  const bundle = file.replace(/\.js$/, '.bundle.cjs');
  return existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(file).mtimeMs ? bundle : file;
}

/** The dist/ folder a built file is in (the last one in its path), null for a file outside one (tests that run the sources). */
function distOf(file: string): string | null {
  const at = file.lastIndexOf(`${pathSep}dist${pathSep}`);
  return at < 0 ? null : file.slice(0, at + `${pathSep}dist`.length);
}

/**
 * A file bin/bundle.mjs builds, `inDist` under dist/, for the module at `moduleUrl` when that
 * module runs from dist/ (its own file or a one-file build); null otherwise or when it is not built.
 */
export function builtFile(moduleUrl: string, inDist: string): string | null {
  const dist = distOf(fileURLToPath(moduleUrl));
  const file = dist === null ? null : join(dist, inDist);
  return file !== null && existsSync(file) ? file : null;
}

/**
 * A worker thread running `file` (from compiledWorker): a one-file build (.cjs) through its code
 * cache, by a line of code the worker evaluates that requires the loader's CommonJS build
 * (dist/code-cache.cjs, which bin/bundle.mjs builds with the others: an import() of the ES module
 * started Node's ES-module loader in the thread first, and the fold worker folded ~60 ms later);
 * a failure to load is the worker's 'error', as with a file. Else the file as it is.
 */
export function startWorker(file: string, options: WorkerOptions = {}): Worker {
  if (!file.endsWith('.cjs')) return new Worker(file, options);
  const loader = loaderFor(file);
  return new Worker(`require(${JSON.stringify(loader)}).requireCached(${JSON.stringify(file)});`, { ...options, eval: true });
}

/** The code-cache loader's CommonJS build that runs a one-file build (.cjs) through its cache. */
const loaderFor = (file: string) => join(distOf(file) ?? dirname(file), 'code-cache.cjs');

/**
 * A thread whose job is done, kept for the next (one per process, found by every copy of this
 * module): the fold worker once the fold is in (stages/usage-parallel), which the chart thread
 * takes instead of starting one. A new thread costs ~30 ms of CPU to start and ~50 ms more
 * compiling Node's own modules in it; after the fold that is the second core's time while the
 * hash and the charts share it.
 */
const SPARE = Symbol.for('spendrecon.spareWorker');
const spare = globalThis as { [SPARE]?: Worker };

/** The message a spare thread takes a new job by: what it runs instead of its own job, as startWorker's line would (see becomesOn). */
interface Become {
  spendreconBecome: { loader: string; file: string };
}

/**
 * Keeps `w` (started by startWorker from a one-file build, its listeners here removed) for the
 * next startSpareOr. It may still be finishing its own job (the fold worker's hash, on a port of
 * its own); a new job runs beside that in its event loop.
 */
export function offerSpareWorker(w: Worker): void {
  void spare[SPARE]?.terminate();
  w.unref();
  // while it waits, a failure of its own is no one's: it is stopped, not thrown at the process
  w.on('error', spareFailed);
  spare[SPARE] = w;
}

function spareFailed(this: Worker): void {
  if (spare[SPARE] === this) delete spare[SPARE];
  void this.terminate();
}

/** The spare thread running `file` (a one-file build) when there is one, else a new thread (startWorker). */
export function startSpareOr(file: string, options: WorkerOptions = {}): Worker {
  const w = spare[SPARE];
  // only a one-file build can be run in a thread that has run another (see becomesOn); a spare
  // not taken is left as it is: it may still be finishing its own job (the fold worker's hash)
  if (!w || !file.endsWith('.cjs')) return startWorker(file, options);
  delete spare[SPARE];
  w.off('error', spareFailed);
  if (process.env.SPENDRECON_DEBUG) process.stderr.write(`${basename(file)}: on the spare thread\n`);
  w.ref();
  w.postMessage({ spendreconBecome: { loader: loaderFor(file), file } } satisfies Become);
  return w;
}

/**
 * In a thread that may be offered as a spare: when message `m` gives it a new job, its own
 * listener `own` is removed and the job's code runs (it listens from the next message on); true then.
 */
export function becomesOn(m: unknown, own: Parameters<NonNullable<typeof parentPort>['off']>[1]): boolean {
  const job = typeof m === 'object' && m !== null ? (m as Partial<Become>).spendreconBecome : undefined;
  if (!job) return false;
  parentPort!.off('message', own);
  (createRequire(import.meta.url)(job.loader) as { requireCached(file: string): unknown }).requireCached(job.file);
  return true;
}
