#!/usr/bin/env node
// After `tsc`: dist/cli.js and the ~200 modules it imports as one file, dist/cli.bundle.mjs
// (packages stay external, loaded from node_modules as before). Node's ESM loader resolves,
// reads and links each module on every start: the bundle starts in ~200 ms instead of ~370 ms
// (README, Performance). bin/spendrecon runs it only when it is at least as new as dist/cli.js,
// so a plain `tsc` rebuild is never shadowed by a stale bundle. The usage fold's worker thread
// (dist/stages/usage-parallel/worker.js) gets a bundle of its own beside it, on the same terms,
// with its packages (zod, papaparse, date-fns-tz) inside: it loads in ~125 ms instead of ~200 ms,
// and it starts folding that much sooner.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
try {
  const worker = join(root, 'dist', 'stages', 'usage-parallel');
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' };
  await Promise.all([
    build({ ...common, entryPoints: [join(root, 'dist', 'cli.js')], outfile: join(root, 'dist', 'cli.bundle.mjs') }),
    build({
      ...common,
      packages: undefined,
      // papaparse is CommonJS: its require() calls get one
      banner: { js: "import { createRequire as __spendreconRequire } from 'node:module'; const require = __spendreconRequire(import.meta.url);" },
      entryPoints: [join(worker, 'worker.js')],
      outfile: join(worker, 'worker.bundle.mjs'),
    }),
  ]);
} catch (e) {
  process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
