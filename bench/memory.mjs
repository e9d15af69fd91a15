#!/usr/bin/env node
// @ts-check
/**
 * Where the memory of a `report` run goes (diagnostic; not part of `npm run bench`).
 *
 *   node --expose-gc bench/memory.mjs [--size 1m] [--experiment] [--patch-flatten]
 *
 * Runs the same job in-process through dist/ (runReport, then the workbook) and prints RSS and
 * V8 heap at each phase: peak while reading (sampled on every progress callback), heap that
 * survives a full GC once runReport returned (what the result and anything it references
 * keeps alive), and the workbook phase.
 *
 * --experiment additionally re-reads the usage file with dist's own CSV reader and
 * UsageAggregator twice, each in a fresh process — as the pipeline does, and with the
 * dimension strings of each NEW group copied into fresh flat strings — and prints time, peak
 * heap and the heap each variant retains. papaparse
 * returns fields as V8 sliced strings that point into the ~256 KiB chunk they were cut from;
 * a group that keeps such a field keeps the whole chunk alive.
 *
 * --patch-flatten runs the whole job with that fix applied in-process (the pipeline's
 * UsageAggregator, monkey-patched from here; src/ untouched), to measure its effect end to end.
 */
import { join, dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import os from 'node:os';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

const args = process.argv.slice(2);
const size = args.includes('--size') ? args[args.indexOf('--size') + 1] : '1m';
const experiment = args.includes('--experiment');
const variantArg = args.includes('--variant') ? args[args.indexOf('--variant') + 1] : null;

const gc = globalThis.gc;
if (typeof gc !== 'function') {
  process.stderr.write('run with: node --expose-gc bench/memory.mjs [--size 1m] [--experiment]\n');
  process.exit(2);
}
const dir = join(HERE, 'data', size);
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const usagePath = join(dir, manifest.usage.file);
const costPath = join(dir, manifest.cost.file);

const MB = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;
const snap = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, ext: m.external + m.arrayBuffers };
};
const settle = () => {
  gc();
  gc();
  return snap();
};
const line = (label, s) => process.stdout.write(`${label.padEnd(48)} rss ${MB(s.rss).padStart(8)}   heapUsed ${MB(s.heap).padStart(8)}   external ${MB(s.ext).padStart(6)}\n`);

if (variantArg) {
  const { openInput } = await dist('sources/index.js');
  const { usageCsvReader } = await dist('sources/openai-usage.js');
  const { UsageAggregator } = await dist('engine/usage.js');
  const copy = (s) => (s === null ? null : Buffer.from(s, 'latin1').toString('latin1')); // a fresh flat string
  const before = settle();
  const agg = new UsageAggregator();
  if (variantArg === 'copy') {
    // copy the dimension strings once per NEW group (Map.set is only called for new groups):
    // the fix this experiment stands for costs ~225k copies, not 5 per row
    const groups = agg.groups; // TypeScript-private, a plain property at run time
    const set = groups.set.bind(groups);
    groups.set = (k, g) => {
      g.projectId = copy(g.projectId);
      g.apiKeyId = copy(g.apiKeyId);
      g.userId = copy(g.userId);
      g.model = copy(g.model);
      g.serviceTier = copy(g.serviceTier);
      return set(copy(k), g); // the key too: a template-literal key is a cons string whose leaves are the slices
    };
  }
  const input = await openInput(usagePath);
  const detection = usageCsvReader.detect(input);
  const t = performance.now();
  let n = 0;
  let peakHeap = 0;
  let peakRss = 0;
  for await (const batch of usageCsvReader.read(input, detection, { timezone: 'UTC', displayPath: 'usage.csv' })) {
    for (const r of batch.records) {
      agg.add(r);
      n++;
    }
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
  }
  const secs = (performance.now() - t) / 1000;
  const after = settle();
  const label = variantArg === 'copy' ? 'strings copied per new group' : 'as the pipeline does';
  process.stdout.write(
    `experiment (${label.padEnd(24)}): ${n.toLocaleString('en-US')} records → ${agg.size.toLocaleString('en-US')} groups in ${secs.toFixed(1)} s; ` +
      `peak heapUsed ${MB(peakHeap)}, peak rss ${MB(peakRss)}; heap retained by the groups after GC ${MB(after.heap - before.heap)} (${((after.heap - before.heap) / agg.size).toFixed(0)} B/group)\n`,
  );
  process.exit(0);
}

const patchFlatten = args.includes('--patch-flatten');
if (patchFlatten) {
  // what-if, without touching src/: the pipeline's own UsageAggregator, but each NEW group
  // stores flat copies of its key and dimension strings (see --experiment)
  const { UsageAggregator } = await dist('engine/usage.js');
  const copy = (s) => (s === null ? null : Buffer.from(s, 'latin1').toString('latin1'));
  const add = UsageAggregator.prototype.add;
  UsageAggregator.prototype.add = function (r) {
    if (!this.__flat) {
      this.__flat = true;
      const groups = this.groups;
      const set = groups.set.bind(groups);
      groups.set = (k, g) => {
        for (const f of ['projectId', 'apiKeyId', 'userId', 'model', 'serviceTier']) g[f] = copy(g[f]);
        return set(copy(k), g);
      };
    }
    return add.call(this, r);
  };
  process.stdout.write('(patched: UsageAggregator stores flat string copies per new group)\n');
}

const { runReport } = await dist('pipeline.js');
const { loadConfig } = await dist('config.js');
const { writeReportWorkbook } = await dist('report/index.js');

process.stdout.write(
  `memory of a report run on bench/data/${size} (${manifest.usage.rows.toLocaleString('en-US')} rows, ${MB(manifest.usage.bytes)} usage CSV), node ${process.version}\n`,
);
const start = settle();
line('start (modules loaded, after GC)', start);
const peak = { rss: 0, heap: 0, ext: 0 };
let batches = 0;
const fileTimes = {};
const config = await loadConfig(undefined, 'UTC');
const t0 = performance.now();
const result = await runReport({
  usage: [usagePath],
  costs: [costPath],
  config,
  period: {},
  strict: false,
  cwd: ROOT,
  onProgress: (p) => {
    const file = typeof p === 'string' ? p : p.file;
    const now = performance.now();
    const f = (fileTimes[file] ??= { first: now, last: now });
    f.last = now;
    if (++batches % 16) return;
    const s = snap();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], s[k]);
  },
});
const t1 = performance.now();
let lastRead = t0;
for (const [file, f] of Object.entries(fileTimes)) {
  process.stdout.write(`  read ${file.split('/').pop()}: until ${((f.last - t0) / 1000).toFixed(1)} s after start\n`);
  lastRead = Math.max(lastRead, f.last);
}
process.stdout.write(`  after the last batch read: ${((t1 - lastRead) / 1000).toFixed(1)} s more in runReport (aggregation finish, attribution, summaries)\n`);
line(`peak while reading (sampled, ${batches} batches)`, peak);
line('runReport returned (before GC)', snap());
const kept = settle();
line('runReport returned, after full GC (retained)', kept);
const attributed = result.attribution?.attributed ?? result.attribution?.rows ?? result.attributed ?? [];
const cross = result.attribution?.crossCheck ?? result.crossCheck ?? [];
process.stdout.write(
  `  result: ${attributed.length.toLocaleString('en-US')} attributed rows, ${cross.length.toLocaleString('en-US')} cross-check rows, ${result.exceptions.length} exceptions; runReport ${((t1 - t0) / 1000).toFixed(1)} s\n`,
);
const out = join(os.tmpdir(), `spendrecon-memory-${process.pid}.xlsx`);
await writeReportWorkbook(result, out);
const t2 = performance.now();
line(`workbook written (${((t2 - t1) / 1000).toFixed(1)} s), before GC`, snap());
line('workbook written, after GC', settle());
const { rmSync } = await import('node:fs');
rmSync(out, { force: true });

if (experiment) {
  // each variant in its own process, so one cannot leave garbage behind for the other
  const { spawnSync } = await import('node:child_process');
  for (const variant of ['pipeline', 'copy']) {
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--size', size, '--variant', variant], { encoding: 'utf8' });
    process.stdout.write(r.stdout + r.stderr);
  }
}
