/**
 * `spendrecon profile FILE` end to end (issue 9): the printed profile is pasted into a config
 * as is, and `inspect` then reads the file with it — the loop the README describes.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const REAL = join(ROOT, 'fixtures', 'statements', 'real');
let work: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'spendrecon-profile-'));
});

/** The JSON block between the "Proposed profile" line and "Why:", as a person would copy it. */
function pasted(stdout: string): unknown {
  const start = stdout.indexOf('\n{');
  const end = stdout.indexOf('\nWhy:');
  return JSON.parse(stdout.slice(start, end));
}

describe('spendrecon profile', () => {
  it('prints a profile that, pasted into the config, makes inspect read the file; the unreadable row is named before and after', async () => {
    const file = join(REAL, 'us-bofa-checking-2026-11.csv');
    const r = await cli(['profile', file, '--currency', 'USD', '--name', 'my-bofa'], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1); // one row (the opening balance, no amount) does not read
    expect(r.stdout).toMatch(/Rows this profile cannot read \(1\):\n {2}line 8, column "Amount": expected an amount, found an empty cell/);
    expect(r.stdout).toMatch(/First rows as this profile reads them[^\n]*\n.*line +date +amount +currency +status +description\n {2}9 +2026-11-03 +20\.00 +USD +posted +OPENAI/);
    const profile = pasted(r.stdout);
    const config = join(work, 'spendrecon.config.json');
    writeFileSync(config, JSON.stringify({ statementProfiles: [profile] }));
    const again = await cli(['inspect', file, '--config', config, '--json'], work);
    expect(again.code).toBe(0);
    const [ins] = JSON.parse(again.stdout);
    expect(ins).toMatchObject({ recognised: true, records: 4, problems: [{ severity: 'error', line: 8, column: 'Amount' }] });
    expect(ins.reasons[0]).toMatch(/profile "my-bofa"/);
  });

  it('--json: the proposal, the reasons and what to check, exit 1 when the direction of unsigned amounts is unknown', async () => {
    const r = await cli(['profile', join(REAL, 'nl-ing-2026-11.csv'), '--json'], work);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.profile).toMatchObject({ name: 'nl-ing', currency: 'EUR', columns: { amount: 'Bedrag (EUR)' } });
    expect(s.attention.join('\n')).toMatch(/"Af Bij" \(Af\/Bij\) looks like the direction/);
    expect(s.records).toHaveLength(5);
  });

  it('exit 0 when every row reads and nothing is a guess', async () => {
    const ok = await cli(['profile', join(ROOT, 'fixtures', 'statements', 'fintech-2026-10.csv')], work);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/10 of 10 data rows read\.\n$/);
  });

  it('exit 2 with the reason when there is no header row, or when --name is not a profile name', async () => {
    const [none, bad] = await Promise.all([
      cli(['profile', join(REAL, 'us-wells-fargo-2026-11.csv')], work),
      cli(['profile', join(REAL, 'wise-2026-11.csv'), '--name', 'Not Valid'], work),
    ]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/no profile proposed: no header row: line 1 is already data/);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^spendrecon: --name: lower-case letters/);
  });
});
