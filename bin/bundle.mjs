#!/usr/bin/env node
// After `tsc`: dist/cli.js and the ~200 modules it imports as one file, dist/cli.bundle.mjs
// (packages stay external but zod, loaded from node_modules as before). Node's ESM loader resolves,
// reads and links each module on every start: the bundle starts in ~200 ms instead of ~370 ms
// (README, Performance). bin/spendrecon runs it only when it is at least as new as dist/cli.js,
// so a plain `tsc` rebuild is never shadowed by a stale bundle. The usage fold's worker thread
// (dist/stages/usage-parallel/worker.js) gets a bundle of its own beside it, on the same terms,
// with its packages (zod, papaparse, date-fns-tz) inside: it loads in ~125 ms instead of ~200 ms,
// and it starts folding that much sooner. The chart thread (dist/report/html/chart-worker.js)
// gets one too, with vega and vega-lite inside: ~110 modules of ~60 packages, which the ESM
// loader took ~0.45 s to resolve and link on every run that draws a chart; bundled, its first
// two charts come in 310–560 ms instead of 740–1010 ms (the same SVG). And exceljs's Workbook
// class, for the workbooks (src/report/workbook.ts).
//
// Then V8's code cache of the two CommonJS builds (exceljs's Workbook, and vega with vega-lite as
// dist/report/html/vega-charts.cjs, which the chart thread loads instead of bundling them): the
// demo is run once through bin/spendrecon (so with its V8 flags) with SPENDRECON_WRITE_CODE_CACHE=1,
// into a temporary folder, and each file's cache is written beside it (src/code-cache.ts). A
// failed run leaves no cache, and the builds work without one.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** Every dependency (and its subpaths) except `inside`, for esbuild's `external`. */
function outsideBut(inside) {
  const deps = Object.keys(require(join(root, 'package.json')).dependencies).filter((d) => d !== inside);
  return [...deps, ...deps.map((d) => `${d}/*`)];
}

try {
  const worker = join(root, 'dist', 'stages', 'usage-parallel');
  const charts = join(root, 'dist', 'report', 'html');
  const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' };
  // a thread's file with its packages inside; CommonJS ones (papaparse) get a require() for their calls
  const withPackages = (dir, name) => ({
    ...common,
    packages: undefined,
    banner: { js: "import { createRequire as __spendreconRequire } from 'node:module'; const require = __spendreconRequire(import.meta.url);" },
    entryPoints: [join(dir, `${name}.js`)],
    outfile: join(dir, `${name}.bundle.mjs`),
  });
  // old caches go first: a cache is only ever of the build beside it
  for (const dir of [join(root, 'dist'), charts]) for (const f of readdirSync(dir)) if (f.endsWith('.v8cache')) rmSync(join(dir, f));
  // vega-canvas loads the optional `canvas` package with a top-level await (CommonJS has none): the
  // charts are drawn to SVG without a canvas, so its two functions answer null, as they do without it
  const noCanvas = {
    name: 'no-canvas',
    setup(b) {
      b.onResolve({ filter: /^vega-canvas$/ }, () => ({ path: 'vega-canvas', namespace: 'no-canvas' }));
      b.onLoad({ filter: /.*/, namespace: 'no-canvas' }, () => ({ contents: 'export const canvas = () => null; export const image = () => null;' }));
    },
  };
  await Promise.all([
    // zod inside: its ~95 modules, resolved and linked by the ESM loader on every start, took ~30 ms more
    // (import 263 → 230 ms, medians of 6); the other packages stay outside (most are loaded only when needed)
    build({ ...common, packages: undefined, external: outsideBut('zod'), entryPoints: [join(root, 'dist', 'cli.js')], outfile: join(root, 'dist', 'cli.bundle.mjs') }),
    build(withPackages(worker, 'worker')),
    // vega and vega-lite stay outside: the chart thread loads them from vega-charts.cjs (svg-render.ts)
    build({ ...withPackages(charts, 'chart-worker'), external: ['vega', 'vega-lite'] }),
    build({
      ...common,
      packages: undefined,
      format: 'cjs',
      plugins: [noCanvas],
      stdin: { contents: "export * as vega from 'vega'; export * as vegaLite from 'vega-lite';", resolveDir: root, loader: 'js' },
      outfile: join(charts, 'vega-charts.cjs'),
    }),
    // exceljs's Workbook class (src/report/workbook.ts loadExcelJs), CommonJS as exceljs is, named
    // by its version: the loader takes only the installed version's
    build({
      ...common,
      packages: undefined,
      format: 'cjs',
      entryPoints: [require.resolve('exceljs/lib/doc/workbook.js')],
      outfile: join(root, 'dist', `exceljs-${require('exceljs/package.json').version}-workbook.cjs`),
    }),
  ]);
} catch (e) {
  process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'spendrecon-cache-'));
try {
  const env = { ...process.env, SPENDRECON_WRITE_CODE_CACHE: '1' };
  const r = spawnSync(process.execPath, [join(root, 'bin', 'spendrecon'), 'demo', '--out', join(out, 'demo.xlsx')], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) process.stderr.write(`bundle: no code cache (the demo run exited ${r.status}): ${r.stderr.trim().split('\n').pop()}\n`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
