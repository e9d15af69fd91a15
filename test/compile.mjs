// npm test's first step: the build (dist/ and its one-file bundle, which the end-to-end tests run) and the type checks of
// the tests and the bench scripts, side by side. tsc is single-threaded, so one after the other
// left a core idle for ~10 s; each still fails the step on its own errors.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const configs = ['tsconfig.json', 'tsconfig.test.json', 'tsconfig.bench.json'];
const run = (args) =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
// the one-file build (bin/bundle.mjs) follows the build it bundles
const steps = configs.map((c) => (c === 'tsconfig.json' ? run([tsc, '-p', c]).then((code) => (code === 0 ? run(['bin/bundle.mjs']) : code)) : run([tsc, '-p', c])));
const codes = await Promise.all(steps);
const failed = configs.filter((_, i) => codes[i] !== 0);
if (failed.length) {
  console.error(`tsc (or the bundle after it) failed for ${failed.join(', ')}`);
  process.exit(1);
}
