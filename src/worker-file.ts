/**
 * Where a compiled worker thread's code is: a worker needs a file of its own, and the module
 * that starts it may be running from dist/, from the one-file build (dist/cli.bundle.mjs), or —
 * in tests — from src/.
 */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * dist/<dir>/<name>.js for the module at `moduleUrl` (which lives in <dir>): beside it in dist/,
 * under dist/ from the one-file build, or, for tests that run the sources, the built one in
 * dist/. Its own one-file build (<name>.bundle.mjs, bin/bundle.mjs) when that is not older.
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
  const bundle = file.replace(/\.js$/, '.bundle.mjs');
  return existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(file).mtimeMs ? bundle : file;
}
