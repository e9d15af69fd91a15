// Runs the whole vitest suite once per time zone: the reporting zone in the config
// must win over the machine's, so results may not depend on TZ (DESIGN.md, Tests).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const zones = (process.env.SPENDRECON_TEST_ZONES ?? 'UTC,America/Los_Angeles,Asia/Shanghai').split(',');
const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');
let passed = 0;
let failed = 0;
for (const tz of zones) {
  process.stderr.write(`\n=== TZ=${tz} ===\n`);
  const r = spawnSync(process.execPath, [vitest, 'run', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TZ: tz },
  });
  if (r.status === 0) passed++;
  else failed++;
}
console.log(`\ntime zones: ${zones.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
