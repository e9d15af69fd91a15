// The suite, in two parts (DESIGN.md, Tests):
// - the unit tests, once per time zone: the reporting zone in the config must win over the
//   machine's, so results may not depend on TZ;
// - the end-to-end tests (the real CLI on files, the fuzz harness) once, under a zone that is
//   neither UTC nor the usual reporting zones: every run there sets its zone by --tz or the
//   config, so the machine's zone is only one more way to be wrong, and running them three
//   times tripled the suite (5–8 min on a busy 2-core machine) without checking anything new.
// Arguments (file filters) run just those files under every zone, as before.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

// Two zones either side of UTC, one with DST: a result that depends on the machine's zone differs
// between them. UTC itself is the weakest check (local and UTC dates agree there), and a third
// pass took ~40 s of a suite over its 3-minute budget; SPENDRECON_TEST_ZONES=UTC,... adds it back.
const zones = (process.env.SPENDRECON_TEST_ZONES ?? 'America/Los_Angeles,Asia/Shanghai').split(',');
const e2eZone = process.env.SPENDRECON_E2E_ZONE ?? 'Australia/Adelaide';
const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');
const END_TO_END = ['test/e2e/**', 'test/fuzz/**'];
const args = process.argv.slice(2);

// Files that change process-wide state (the provider registry, environment variables that switch
// the read path) run isolated; the other unit tests share their worker's modules (--no-isolate),
// which halves a unit pass (34 s → 17 s on 2 cores): each file no longer imports exceljs, vega and
// the readers anew.
// Files that change process-wide state run isolated. Their results cannot depend on the machine's
// zone, so they run once, with the end-to-end pass: the two-thread checks compare one thread with
// two under a configured zone, the third-provider run reads the fixtures' config (Europe/Berlin),
// and the system-zone test sets TZ itself to four zones.
const STATEFUL = [
  'test/third-provider.test.ts',
  'test/stages/usage-parallel.test.ts',
  'test/stages/usage-parallel-edges.test.ts',
  'test/stages/fast-lines-review.test.ts',
  'test/stages/range-cuts.test.ts',
  'test/time-system-zone.test.ts',
];
const WORKERS = ['--maxWorkers=2', '--minWorkers=1'];

// The unit passes of a whole run go side by side, one test worker each: their start-ups and last
// files no longer leave a core idle (two zones one after the other with two workers each took 59 s,
// side by side 46 s). Each one's output is printed when it ends, so the two do not interleave.
const UNIT_WORKERS = ['--maxWorkers=1', '--minWorkers=1'];
const unitArgs = [...[...END_TO_END, ...STATEFUL].flatMap((g) => ['--exclude', g]), '--no-isolate', ...UNIT_WORKERS];
const phases = args.length
  ? zones.map((tz) => [{ tz, what: args }])
  : [
      zones.map((tz) => ({ tz, what: unitArgs, buffered: true })),
      [{ tz: e2eZone, what: ['test/e2e', 'test/fuzz', ...STATEFUL, ...WORKERS], label: 'end-to-end (and the isolated files)' }],
    ];

/** One vitest run under a zone; its output live, or (buffered) all at once when it ends. */
function runOne(run) {
  const head = `\n=== ${run.label ?? 'unit'} tests, TZ=${run.tz} ===\n`;
  if (!run.buffered) process.stderr.write(head);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...run.what], { stdio: run.buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit', env: { ...process.env, TZ: run.tz } });
    const out = [];
    child.stdout?.on('data', (b) => out.push(b));
    child.stderr?.on('data', (b) => out.push(b));
    child.on('close', (code) => {
      if (run.buffered) process.stderr.write(`${head}${Buffer.concat(out).toString('utf8')}`);
      resolve({ ...run, ok: code === 0, seconds: ((Date.now() - t0) / 1000).toFixed(0) });
    });
  });
}

const results = [];
for (const phase of phases) results.push(...(await Promise.all(phase.map(runOne))));
for (const r of results) console.log(`${r.ok ? 'passed' : 'FAILED'}  ${r.label ?? 'unit'} tests under TZ=${r.tz} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
