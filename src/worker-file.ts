/**
 * Where built code is: a compiled worker thread's file (a worker needs a file of its own) and
 * the other files bin/bundle.mjs builds, for a module that may be running from dist/, from a
 * one-file build (dist/cli.bundle.cjs), or — in tests — from src/.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, sep as pathSep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

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
  const loader = join(distOf(file) ?? dirname(file), 'code-cache.cjs');
  return new Worker(`require(${JSON.stringify(loader)}).requireCached(${JSON.stringify(file)});`, { ...options, eval: true });
}
