/**
 * Issue #8, "Every cent, every run": seeded variants of the bundled fixtures (truncated,
 * concatenated, mixed line ends, absurd numbers, escapes, planted keys, links, deep JSON…)
 * through the CLI. One assertion lists every failing variant with its cause and the seed.
 * SPENDRECON_FUZZ_SEED and SPENDRECON_FUZZ_RUNS choose the variants; SPENDRECON_FUZZ_KEEP=1
 * keeps their files. `npm test` runs it once, with the end-to-end tests (test/run-tz.mjs): the
 * variants pick their zones themselves. The variants are split over two test files
 * (fuzz.test.ts: even indices, fuzz-odd.test.ts: odd), so the two test workers run them side by
 * side: as one file of ~20–27 s it was often the last of the end-to-end pass, on one core.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './gen.js';
import { runFuzz } from './fuzz.js';
import { KINDS } from './variants.js';

const DEFAULT_SEED = 20261108;

export function fuzzSuite(index: number, of: number): void {
  const seed = Number(process.env.SPENDRECON_FUZZ_SEED ?? DEFAULT_SEED) >>> 0;
  const runs = Number(process.env.SPENDRECON_FUZZ_RUNS ?? KINDS.length);
  describe('fuzz: every cent, every run', () => {
    it(`variants ${index} mod ${of} of ${runs} from seed ${seed}: exit 0/1/2, no stack, no key, inputs untouched, conservation holds, openpyxl opens`, async () => {
      if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npx tsc -p tsconfig.json (npm test does)');
      const outcome = await runFuzz(seed, runs, { index, of });
      for (const n of outcome.notes) console.warn(`fuzz: ${n}`);
      expect(outcome.ran).toBe(Math.ceil((runs - index) / of));
      expect(outcome.failed.length, outcome.text).toBe(0);
    }, 600_000);
  });
}
