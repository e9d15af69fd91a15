#!/usr/bin/env node
// After `tsc`: dist/cli.js and the ~200 modules it imports as one CommonJS file, dist/cli.bundle.cjs
// (packages stay external but zod and the few every run loads at start, see below). Node's ESM loader resolves,
// reads and links each module on every start: the bundle starts in ~200 ms instead of ~370 ms
// (README, Performance). bin/spendrecon runs it only when it is at least as new as dist/cli.js,
// so a plain `tsc` rebuild is never shadowed by a stale bundle. The usage fold's worker thread
// (dist/stages/usage-parallel/worker.js) gets a bundle of its own beside it, on the same terms,
// with its packages (zod, papaparse, date-fns-tz) inside: it loads in ~125 ms instead of ~200 ms,
// and it starts folding that much sooner. The chart thread (dist/report/html/chart-worker.js)
// gets one too; vega and vega-lite (~110 modules of ~60 packages, which the ESM loader took
// ~0.45 s to resolve and link on every run that draws a chart) are one CommonJS file of their
// own, dist/report/html/vega-charts.cjs. And exceljs's Workbook class, for the workbooks
// (src/report/workbook.ts).
//
// Then V8's code cache of the CommonJS builds (the CLI, its two threads, exceljs's Workbook,
// vega-charts): a report on a fixture and the demo are run through bin/spendrecon (so with its V8
// flags) with SPENDRECON_WRITE_CODE_CACHE=1, into a temporary folder, and each file's cache is
// written beside it (src/code-cache.ts). A failed run leaves none, and the builds work without.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** Every dependency (and its subpaths) except `inside`, for esbuild's `external`. */
function outsideBut(...inside) {
  const deps = Object.keys(require(join(root, 'package.json')).dependencies).filter((d) => !inside.includes(d));
  return [...deps, ...deps.map((d) => `${d}/*`)];
}

try {
  const worker = join(root, 'dist', 'stages', 'usage-parallel');
  const charts = join(root, 'dist', 'report', 'html');
  // every build is one CommonJS file with its packages inside (but those a build names outside),
  // so that it runs with its code cache (src/code-cache.ts; Node 20 takes none for an ES module)
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };
  // built from our modules: their dynamic imports become require() (the packages' CommonJS builds,
  // or require() of an ES module, which Node >= 20.19 does), import.meta.url the file's own URL
  const ours = (dir, name) => ({
    ...common,
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__spendreconModuleUrl' },
    banner: { js: '"use strict";\nconst __spendreconModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    entryPoints: [join(dir, `${name}.js`)],
    outfile: join(dir, `${name}.bundle.cjs`),
  });
  // old caches go first: a cache is only ever of the build beside it (and the ES-module bundle of the CLI, before it was CommonJS)
  for (const dir of [join(root, 'dist'), worker, charts]) for (const f of readdirSync(dir)) if (f.endsWith('.v8cache')) rmSync(join(dir, f));
  for (const f of [join(root, 'dist', 'cli.bundle.mjs'), join(worker, 'worker.bundle.mjs'), join(charts, 'chart-worker.bundle.mjs')]) rmSync(f, { force: true });
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
    // (import 263 → 230 ms, medians of 6); so are the small packages every run loads at start
    // (commander, cli-progress, date-fns-tz and date-fns, papaparse), which then come from the code
    // cache instead of node_modules' loader: `--version` 0.17 → 0.16 s, main() reached at ~140 ms
    // instead of ~200 ms, a 1M-row report 1.78 → 1.73 s (medians of 8, alternating). The others
    // stay outside: each is loaded only when needed (exceljs, jszip, unpdf, postal-mime, vega)
    build({ ...ours(join(root, 'dist'), 'cli'), external: outsideBut('zod', 'commander', 'cli-progress', 'date-fns', 'date-fns-tz', 'papaparse') }),
    build(ours(worker, 'worker')),
    // vega and vega-lite stay outside: the chart thread loads them from vega-charts.cjs (svg-render.ts)
    build({ ...ours(charts, 'chart-worker'), external: ['vega', 'vega-lite'] }),
    build({
      ...common,
      plugins: [noCanvas],
      stdin: { contents: "export * as vega from 'vega'; export * as vegaLite from 'vega-lite';", resolveDir: root, loader: 'js' },
      outfile: join(charts, 'vega-charts.cjs'),
    }),
    // the code-cache loader as CommonJS too, for the threads: a worker that import()s the ES module
    // starts Node's ES-module loader first (src/worker-file.ts startWorker)
    build({ ...common, entryPoints: [join(root, 'dist', 'code-cache.js')], outfile: join(root, 'dist', 'code-cache.cjs') }),
    // exceljs's Workbook class (src/report/workbook.ts loadExcelJs), CommonJS as exceljs is, named
    // by its version: the loader takes only the installed version's
    build({
      ...common,
      entryPoints: [require.resolve('exceljs/lib/doc/workbook.js')],
      outfile: join(root, 'dist', `exceljs-${require('exceljs/package.json').version}-workbook.cjs`),
    }),
  ]);
} catch (e) {
  process.stderr.write(`bundle: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

// the built-in statement profiles through their schema once, here: each start read this copy
// instead of validating them again (~25 ms; src/sources/statement-profile.ts builtinProfiles),
// as long as it was made from the JSON the build ships (its SHA-256 is in the file)
try {
  const { builtinProfilesDocument } = await import(pathToFileURL(join(root, 'dist', 'sources', 'statement-profile.js')).href);
  const file = join(root, 'dist', 'builtin-profiles.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(builtinProfilesDocument()));
  renameSync(`${file}.tmp`, file);
} catch (e) {
  process.stderr.write(`bundle: the built-in profiles: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

const out = mkdtempSync(join(tmpdir(), 'spendrecon-cache-'));
try {
  // first a report whose usage export is folded on two threads (as a large one is), for the fold
  // worker's cache; then the demo, whose run writes the others (each run writes what it loaded)
  const fx = (f) => join(root, 'fixtures', 'openai', f);
  const runs = [
    ['report', '--usage', fx('completions_usage_2026-10-01_2026-10-31.csv'), '--costs', fx('cost_2026-10-01_2026-10-31.csv'), '--out', join(out, 'report.xlsx')],
    ['demo', '--out', join(out, 'demo.xlsx')],
  ];
  const env = { ...process.env, SPENDRECON_WRITE_CODE_CACHE: '1', SPENDRECON_PARALLEL_MIN_BYTES: '1', SPENDRECON_RANGE_BYTES: '262144' };
  for (const args of runs) {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'spendrecon'), ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) process.stderr.write(`bundle: the ${args[0]} run for the code cache exited ${r.status}: ${r.stderr.trim().split('\n').pop()}\n`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
