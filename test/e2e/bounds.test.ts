/**
 * A run past a memory bound (src/memory-bounds.ts) ends as a user error: exit 2, one line
 * naming the file and what to do, no stack trace, no output written (issue #14).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const fx = (p: string) => join(ROOT, 'fixtures', p);

describe('memory bounds on the command line', () => {
  it('statement lines and usage groups', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-bounds-'));
    const out = join(dir, 'm.xlsx');
    const m = await cli(['match', '--payments', fx('payments/for-us-card-2026-10.csv'), '--statement', fx('statements/us-card-2026-10.csv'), '--tz', 'UTC', '--out', out], dir, {
      SPENDRECON_MAX_STATEMENT_LINES: '5',
    });
    expect(m.code).toBe(2);
    expect(m.stderr.trim()).toMatch(/^spendrecon: \S*us-card-2026-10\.csv: more than 5 lines, .*shorter range or split the file, or give Node more memory \(NODE_OPTIONS=/);
    expect(m.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);

    const r = await cli(
      ['report', '--usage', fx('openai/completions_usage_2026-10-01_2026-10-31.csv'), '--costs', fx('openai/cost_2026-10-01_2026-10-31.csv'), '--tz', 'UTC', '--out', out],
      dir,
      { SPENDRECON_MAX_USAGE_GROUPS: '5' },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^spendrecon: \S*completions_usage_2026-10-01_2026-10-31\.csv: more than 5 usage groups/);
    expect(existsSync(out)).toBe(false);
  });

  it('a run that stops while reading the costs ends: the usage threads started early are stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-early-'));
    const config = join(dir, 'spendrecon.config.json');
    writeFileSync(config, JSON.stringify({ organizations: ['org-not-in-the-export'] }));
    const out = join(dir, 'r.xlsx');
    // every file takes the two-core path, whose worker and hash threads start before the costs are read
    const r = await cli(
      [
        'report',
        '--usage',
        fx('openai/completions_usage_2026-10-01_2026-10-31.csv'),
        '--costs',
        fx('openai/cost_2026-10-01_2026-10-31.csv'),
        '--config',
        config,
        '--tz',
        'UTC',
        '--out',
        out,
      ],
      dir,
      { SPENDRECON_PARALLEL_MIN_BYTES: '1' },
      20_000,
    );
    expect(r.signal, 'the run did not end by itself').toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"organizations" \(org-not-in-the-export\) leaves no cost rows/);
    expect(existsSync(out)).toBe(false);
  });
});
