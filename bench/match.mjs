#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench:match`: `spendrecon match` on generated month-long US-card statements
 * (bench/generate-match.mjs: 25 statement lines per provider line, mostly 50.00
 * auto-recharges) per size; prints statement rows/s, wall, CPU and peak RSS (GNU time),
 * beside the figures of issue #14 before the run-graph matching, and the classes found
 * beside what the generator put in.
 *
 *   node bench/match.mjs [--sizes 500,2000,5000] [--timeout SECONDS]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMatch, MATCH_DEFAULT_SEED, MATCH_GENERATOR_VERSION } from './generate-match.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
/** Issue #14, measured before this bench existed (same scenario, 2 shared cores). */
const BASELINE = {
  500: { wallS: 5.8, rssMB: 261, note: '' },
  2000: { wallS: 108, rssMB: 1400, note: '' },
  5000: { wallS: 125, rssMB: 4500, note: 'crashed: JavaScript heap out of memory' },
};

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('--sizes', '500,2000,5000').split(',').map(Number);
const timeout = Number(arg('--timeout', '600'));

function data(lines) {
  const dir = join(HERE, 'data', `match-${lines}`);
  const manifest = join(dir, 'manifest.json');
  const fresh = existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).version === MATCH_GENERATOR_VERSION;
  if (!fresh) {
    const g = generateMatch(lines, MATCH_DEFAULT_SEED);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'payments.csv'), g.payments);
    writeFileSync(join(dir, 'us-card.csv'), g.statement);
    writeFileSync(manifest, JSON.stringify({ version: MATCH_GENERATOR_VERSION, seed: MATCH_DEFAULT_SEED, lines, truth: g.truth }, null, 2));
  }
  return { dir, truth: JSON.parse(readFileSync(manifest, 'utf8')).truth };
}

function run(dir) {
  const timing = join(dir, 'time.txt');
  const out = join(dir, 'out.json');
  // --period: the default period is found by a spread over every date (a stack overflow at 125k lines, src/pipeline.ts)
  const args = ['-f', '%e %U %S %M %x', '-o', timing, process.execPath, join(ROOT, 'bin', 'spendrecon'), 'match'];
  args.push(
    '--payments',
    join(dir, 'payments.csv'),
    '--statement',
    join(dir, 'us-card.csv'),
    '--tz',
    'America/New_York',
    '--period',
    '2026-10',
    '--json',
    '--out',
    join(dir, 'match.xlsx'),
  );
  const r = spawnSync('/usr/bin/time', args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeout * 1000, maxBuffer: 1 << 30 });
  writeFileSync(out, r.stdout ?? '');
  const [wall, user, sys, rssKB, code] = (readFileSync(timing, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { wall, cpu: user + sys, rssMB: rssKB / 1024, code, stderr: String(r.stderr ?? ''), json: code === 0 ? JSON.parse(readFileSync(out, 'utf8')) : null };
}

const pct = (a, b) => `${((100 * a) / b).toFixed(0)} %`;
process.stdout.write('lines  statement  wall s  cpu s  rows/s   peak MB | before: wall s  peak MB | classes found/generated\n');
let failed = false;
/** Sizes and classes whose count differs from the generator's. */
const wrong = [];
for (const n of sizes) {
  const { dir, truth } = data(n);
  const r = run(dir);
  const b = BASELINE[n];
  const before = b ? `${String(b.wallS).padStart(6)} ${String(b.rssMB).padStart(8)}${b.note ? ` (${b.note})` : ''}` : '     -        -';
  const count = (side, cls) => r.json?.reconciliation.filter((x) => x.side === side && x.class === cls).length ?? 0;
  // found/generated for every class the generator expects a count of (card side, then payments)
  const sideText = (side) =>
    Object.entries(truth.expected[side])
      .map(([cls, want]) => `${cls} ${count(side, cls)}/${want}`)
      .join(', ');
  const classes = r.json ? `card: ${sideText('card')}; payments: ${sideText('payment')}` : `exit ${r.code}: ${r.stderr.trim().split('\n').pop()}`;
  if (r.json)
    for (const side of ['card', 'payment']) for (const [cls, want] of Object.entries(truth.expected[side])) if (count(side, cls) !== want) wrong.push(`${n} ${side} ${cls}`);
  if (r.code !== 0) failed = true;
  process.stdout.write(
    `${String(n).padStart(5)} ${String(truth.statementLines).padStart(10)} ${r.wall.toFixed(2).padStart(7)} ${r.cpu.toFixed(2).padStart(6)} ${String(Math.round(truth.statementLines / r.wall)).padStart(8)} ${r.rssMB.toFixed(0).padStart(8)} | ${before} | ${classes}` +
      (b ? ` | wall ${pct(r.wall, b.wallS)}, RSS ${pct(r.rssMB, b.rssMB)} of before` : '') +
      '\n',
  );
}
if (wrong.length) process.stdout.write(`classes found ≠ generated: ${wrong.join('; ')}\n`);
process.exit(failed ? 1 : 0);
