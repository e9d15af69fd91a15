/**
 * `spendrecon inspect --suggest-profile FILE`, the other spelling of `spendrecon
 * profile FILE` (issue 9): the same proposal, the same exit code; one file only.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const REAL = join(ROOT, 'fixtures', 'statements', 'real');
let work: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('build first: npm run build (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'spendrecon-suggest-'));
});

describe('inspect --suggest-profile', () => {
  it('prints what `profile FILE` prints, with its exit code (1: a header-less file leaves guesses to check)', async () => {
    const file = join(REAL, 'ca-td-2026-11.csv');
    const [alias, profile] = await Promise.all([cli(['inspect', '--suggest-profile', file], work), cli(['profile', file], work)]);
    expect(alias.stderr).toBe('');
    expect(alias.stdout).toMatch(/^.*ca-td-2026-11\.csv\n\nProposed profile/);
    expect([alias.code, alias.stdout]).toEqual([profile.code, profile.stdout]);
    expect(alias.code).toBe(1);
  });

  it('--json: the same proposal document, exit 0 when nothing is left to check', async () => {
    const file = join(REAL, 'nl-ing-2026-11.csv');
    const [alias, profile] = await Promise.all([cli(['inspect', file, '--suggest-profile', '--json'], work), cli(['profile', file, '--json'], work)]);
    expect(alias.code).toBe(0);
    expect(JSON.parse(alias.stdout)).toEqual(JSON.parse(profile.stdout));
    expect(JSON.parse(alias.stdout).profile).toMatchObject({ columns: { direction: 'Af Bij' } });
  });

  it('more than one file is a usage error (exit 2), nothing on stdout', async () => {
    const r = await cli(['inspect', '--suggest-profile', join(REAL, 'ca-td-2026-11.csv'), join(REAL, 'nl-ing-2026-11.csv')], work);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--suggest-profile takes one statement file, got 2/);
  });
});
