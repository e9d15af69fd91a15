#!/usr/bin/env node
// @ts-check
/**
 * CPU profile of the `report` job, summarised (diagnostic; not part of `npm run bench`).
 *
 *   node bench/profile.mjs [--size 1m] [--top 25] [--dir /tmp/spendrecon-prof]
 *   node bench/profile.mjs FILE.cpuprofile [--top 25]        only summarise an existing profile
 *
 * Runs `node --cpu-prof --cpu-prof-dir=DIR bin/spendrecon report --usage U --costs C --tz UTC
 * --out T.xlsx --json` on bench/data/<size> (generate it first: node bench/run.mjs --sizes 1m,
 * or bench/generate.mjs), then reads the .cpuprofile JSON and prints
 *   - self time per function (name + file:line), top N, with % of the profile;
 *   - self time per module (a dist/ file, a node_modules package, node internals, GC);
 *   - inclusive time of the top functions (where a phase spends its time, callees included).
 * The profile stays outside the repository (default /tmp/spendrecon-prof); nothing is committed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const top = Number(opt('--top', 25));
const given = args.find((a) => a.endsWith('.cpuprofile'));

function shortUrl(url) {
  if (!url) return '';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  if (u.startsWith(ROOT)) return u.slice(ROOT.length + 1);
  return u;
}
function moduleOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native/builtin)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = u.slice(nm + 'node_modules/'.length).split('/');
    return `npm:${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (u.startsWith('node:')) return 'node internals';
  if (u.startsWith(ROOT)) return u.slice(ROOT.length + 1);
  return u;
}

export function summarise(profile, n = 25) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map(); // node id → µs
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = i + 1 < timeDeltas.length ? timeDeltas[i + 1] : 0; // sample i lasts until the next one
    self.set(samples[i], (self.get(samples[i]) ?? 0) + Math.max(0, dt));
  }
  let total = 0;
  for (const v of self.values()) total += v;
  const fnKey = (node) => {
    const cf = node.callFrame;
    const name = cf.functionName || '(anonymous)';
    return `${name}  ${shortUrl(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ''}`;
  };
  const fnSelf = new Map();
  const modSelf = new Map();
  for (const [id, us] of self) {
    const node = byId.get(id);
    const k = fnKey(node);
    fnSelf.set(k, (fnSelf.get(k) ?? 0) + us);
    const m = moduleOf(node.callFrame.url, node.callFrame.functionName);
    modSelf.set(m, (modSelf.get(m) ?? 0) + us);
  }
  // inclusive: each node's subtree time, attributed once per function per stack (no double count under recursion)
  const parent = new Map();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const fnIncl = new Map();
  for (const [id, us] of self) {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = fnKey(byId.get(cur));
      if (seen.has(k)) continue;
      seen.add(k);
      fnIncl.set(k, (fnIncl.get(k) ?? 0) + us);
    }
  }
  const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [];
  lines.push(`profile: ${(total / 1e6).toFixed(2)} s sampled, ${samples.length.toLocaleString('en-US')} samples`);
  lines.push('', `top ${n} functions by self time:`);
  for (const [k, us] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, n)) lines.push(`${ms(us)} ${pct(us)}  ${k}`);
  lines.push('', 'self time by module:');
  for (const [k, us] of [...modSelf].sort((a, b) => b[1] - a[1]).slice(0, 20)) lines.push(`${ms(us)} ${pct(us)}  ${k}`);
  lines.push('', `top ${n} functions by inclusive time (callees included):`);
  for (const [k, us] of [...fnIncl]
    .filter(([k]) => !k.startsWith('(root)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n))
    lines.push(`${ms(us)} ${pct(us)}  ${k}`);
  return lines.join('\n');
}

let file = given;
if (!file) {
  const size = opt('--size', '1m');
  const dir = opt('--dir', '/tmp/spendrecon-prof');
  const data = join(HERE, 'data', size);
  const manifest = JSON.parse(readFileSync(join(data, 'manifest.json'), 'utf8'));
  mkdirSync(dir, { recursive: true });
  const before = new Set(readdirSync(dir));
  const t0 = performance.now();
  const r = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      join(ROOT, 'bin', 'spendrecon'),
      'report',
      '--usage',
      join(data, manifest.usage.file),
      '--costs',
      join(data, manifest.cost.file),
      '--tz',
      'UTC',
      '--out',
      join(dir, `${size}.xlsx`),
      '--json',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  process.stdout.write(`profiled run on bench/data/${size}: exit ${r.status}, ${((performance.now() - t0) / 1000).toFixed(1)} s wall (profiling adds overhead)\n`);
  const fresh = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  if (!fresh.length) throw new Error(`no .cpuprofile written in ${dir}`);
  file = join(dir, fresh.sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs)[0]);
  process.stdout.write(`profile: ${file}\n`);
}
process.stdout.write(`${summarise(JSON.parse(readFileSync(file, 'utf8')), top)}\n`);
