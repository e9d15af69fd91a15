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
  it('prints a profile that, pasted into the config, makes inspect read the file; the opening-balance row is skipped by the pattern it proposes', async () => {
    const file = join(REAL, 'us-bofa-checking-2026-11.csv');
    const r = await cli(['profile', file, '--currency', 'USD', '--name', 'my-bofa'], work);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/skip pattern "Beginning balance as of [^"]*": line 8 reports a balance/);
    expect(r.stdout).toMatch(/First rows as this profile reads them[^\n]*\n.*line +date +amount +currency +status +description\n {2}9 +2026-11-03 +20\.00 +USD +posted +OPENAI/);
    const profile = pasted(r.stdout);
    const config = join(work, 'spendrecon.config.json');
    writeFileSync(config, JSON.stringify({ statementProfiles: [profile] }));
    const again = await cli(['inspect', file, '--config', config, '--json'], work);
    expect(again.code).toBe(0);
    const [ins] = JSON.parse(again.stdout);
    expect(ins).toMatchObject({ recognised: true, records: 4, problems: [] });
    expect(ins.reasons[0]).toMatch(/profile "my-bofa"/);
  });

  it('--json: the proposal with its direction column and the reasons, exit 0 when nothing is left to check', async () => {
    const r = await cli(['profile', join(REAL, 'nl-ing-2026-11.csv'), '--json'], work);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.profile).toMatchObject({ name: 'nl-ing-custom', currency: 'EUR', columns: { amount: 'Bedrag (EUR)', direction: 'Af Bij' }, directionMap: { Af: 'out', Bij: 'in' } });
    expect(s.reasons.join('\n')).toMatch(/"Af Bij" says the direction of each unsigned amount/);
    expect(s.attention).toEqual([]);
    expect(s.records).toHaveLength(5);
  });

  it('a header-less file: the guesses are listed under "Check before use" (exit 1), and the pasted profile reads it', async () => {
    const file = join(REAL, 'ca-td-2026-11.csv');
    const r = await cli(['profile', file, '--currency', 'CAD', '--name', 'my-td'], work);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Check before use:\n( {2}! .*\n)* {2}! which of "Column 3" and "Column 4" holds the charges is a guess/);
    const profile = pasted(r.stdout) as { header: { row: string } };
    expect(profile.header.row).toBe('none');
    const config = join(work, 'td.config.json');
    writeFileSync(config, JSON.stringify({ statementProfiles: [profile] }));
    const again = await cli(['inspect', file, '--config', config, '--json'], work);
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ recognised: true, records: 7, problems: [] });
  });

  it('an Excel workbook: proposed from its first sheet (header on row 7 below the preamble), and the pasted profile makes inspect read it', async () => {
    const file = join(REAL, 'es-santander-movimientos.xlsx');
    const r = await cli(['profile', file, '--name', 'my-santander'], work);
    expect([r.stderr, r.code]).toEqual(['', 0]);
    expect(r.stdout).toMatch(/sheet "Sheet1" of an Excel workbook/);
    expect(r.stdout).toMatch(/\n {2}10 +2026-11-25 +-1890\.00 +EUR +posted +Transferencia Recibida/);
    const config = join(work, 'santander.config.json');
    writeFileSync(config, JSON.stringify({ statementProfiles: [pasted(r.stdout)] }));
    const again = await cli(['inspect', file, '--config', config, '--json'], work);
    const [ins] = JSON.parse(again.stdout);
    expect(ins).toMatchObject({ recognised: true, records: 7, problems: [] });
    expect(ins.reasons[0]).toMatch(/profile "my-santander"/);
  });

  it('exit 0 when every row reads and nothing is a guess', async () => {
    const ok = await cli(['profile', join(ROOT, 'fixtures', 'statements', 'fintech-2026-10.csv')], work);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/10 of 10 data rows read\.\n$/);
  });

  it('exit 2 with the reason when no row is dated, or when --name is not a profile name', async () => {
    const notes = join(work, 'notes.csv');
    writeFileSync(notes, 'a,b,c\nsome,text,here\n');
    const [none, bad] = await Promise.all([cli(['profile', notes], work), cli(['profile', join(REAL, 'wise-2026-11.csv'), '--name', 'Not Valid'], work)]);
    expect(none.code).toBe(2);
    expect(none.stdout).toMatch(/no profile proposed: no row has a date/);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^spendrecon: --name: lower-case letters/);
  });
});
