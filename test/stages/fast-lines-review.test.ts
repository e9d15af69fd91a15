/**
 * Review of the byte-level usage path (sources/parallel/plain-line.ts, fast-lines.ts): a seeded
 * file of lines mixing plain ones with every near-plain spelling a cell may have (counts with
 * leading zeros, 15/16 digits, `.00`; ISO cells with Z, +00:00, no offset; batch spellings;
 * spaces, tabs, lone CRs, blank and CR-only lines, a missing or extra delimiter, dimension
 * texts that share length and last bytes), read on one thread as text, on two with the byte
 * path, and on two without it: groups, counts and issues alike. The worker is the compiled
 * one: `npx tsc -p tsconfig.json` first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { prng } from '../helpers.js';

process.env.SPENDRECON_PARALLEL_MIN_BYTES = '1';
process.env.SPENDRECON_RANGE_BYTES = String(256 * 1024);

const { readInputs } = await import('../../src/stages/read.js');
const { parseConfig } = await import('../../src/config.js');
const { parallelRuns } = await import('../../src/stages/usage-parallel/index.js');
const { fastLineCounts } = await import('../../src/sources/parallel/fast-lines.js');

const COSTS = join(import.meta.dirname, '..', '..', 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv');
const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens';
const OCT1 = 1790812800;

const iso = (s: number, form: number) => {
  const t = new Date(s * 1000).toISOString();
  return [t.replace('.000Z', '+00:00'), t.replace('.000Z', 'Z'), t.replace('.000Z', ''), t, '', t.replace('.000Z', '-00:00')][form]!;
};
/** Texts of one length whose last bytes differ in one place, or not at all (cell-cache slots). */
const DIMS = ['proj_aaaa1', 'proj_bbbb1', 'proj_aaaa2', 'proj_aaab1', 'qroj_aaaa1', '', 'null', ' proj_a', 'proj_a ', 'proj\ta', 'proj\ra'];
const COUNTS = ['0', '1', '12.0', '007', '00', '1.00', '+5', '1e3', '999999999999999', '9999999999999999', '9007199254740991.0', '', ' 1', '1.', '.0'];
const BATCH = ['', 'True', 'False', 'true', 'FALSE', '1', '0', ' true', 'yes', 'TRUE '];

function usageFile(seed: number, lines: number): string {
  const r = prng(seed);
  const pick = <T>(a: readonly T[], plain = 0.7): T => (r() < plain ? a[0]! : a[Math.floor(r() * a.length)]!);
  const out = [HEADER];
  for (let i = 0; i < lines; i++) {
    const s = OCT1 + Math.floor(r() * 28) * 86400 + (r() < 0.5 ? 0 : Math.floor(r() * 24) * 3600);
    const w = (s - OCT1) % 86400 === 0 && r() < 0.5 ? 86400 : 3600;
    const cells = [
      String(s),
      String(s + w),
      iso(s, Math.floor(r() * 6)),
      iso(s + w, Math.floor(r() * 6)),
      pick(DIMS, 0.3),
      pick(COUNTS),
      pick(DIMS, 0.3),
      `key_${Math.floor(r() * 3)}`,
      r() < 0.9 ? 'gpt-4o-mini' : 'gpt-4ö',
      pick(BATCH),
      'default',
      String(1000 + i),
      pick(COUNTS),
      pick(['0', '5', '2000'], 0.8),
    ];
    const shape = r();
    if (shape < 0.01) cells.push('');
    else if (shape < 0.02) cells.pop();
    out.push(cells.join(','));
    if (r() < 0.005) out.push(r() < 0.5 ? '' : '\r');
  }
  return `${out.join(seed % 2 ? '\r\n' : '\n')}\n`;
}

async function readWith(threads: '1' | '2', path: string, fast: boolean) {
  process.env.SPENDRECON_THREADS = threads;
  process.env.SPENDRECON_FAST_LINES = fast ? '1' : '0';
  const before = parallelRuns.length;
  const r = await readInputs(
    { usage: [path], costs: [COSTS], config: parseConfig({}, 'test', 'UTC'), period: { month: '2026-10' }, strict: false, splitDays: false },
    { attribution: true, reconciliation: false, ledger: false },
  );
  await r.settled; // the usage file's hash, which ends after the fold
  return { runs: parallelRuns.slice(before), seen: { reports: r.files.map((f) => f.report), issues: r.issues, groups: r.usageGroups } };
}

describe('byte-level usage lines read as the text path reads them', () => {
  afterEach(() => {
    delete process.env.SPENDRECON_THREADS;
    delete process.env.SPENDRECON_FAST_LINES;
  });

  for (const seed of [1, 2]) {
    it(`seeded near-plain lines (seed ${seed}, ${seed % 2 ? 'CRLF' : 'LF'})`, async () => {
      const path = join(mkdtempSync(join(tmpdir(), 'fast-review-')), 'usage.csv');
      writeFileSync(path, usageFile(seed, 8_000));
      const one = await readWith('1', path, false);
      const plainBefore = fastLineCounts.plain;
      const two = await readWith('2', path, true);
      const textOnly = await readWith('2', path, false);
      expect(two.runs.length, 'the parallel path needs the built worker: run `npx tsc -p tsconfig.json`').toBe(1);
      expect(fastLineCounts.plain - plainBefore, 'some lines took the byte path on this thread').toBeGreaterThan(100);
      expect(two.seen).toEqual(one.seen);
      expect(textOnly.seen).toEqual(one.seen);
      expect(one.seen.issues.length).toBeGreaterThan(100);
    });
  }
});
