/**
 * The built-in statement profiles validated at build time (bin/bundle.mjs writes
 * dist/builtin-profiles.json; src/sources/statement-profile.ts builtinProfiles): a start takes
 * that copy only when it was made from the JSON the build ships, and it is what validating
 * them again gives. The build is the compiled one: `npx tsc -p tsconfig.json && node
 * bin/bundle.mjs` first (npm test does).
 */
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinProfiles, builtinProfilesDocument, type StatementProfile } from '../../src/sources/statement-profile.js';

const ROOT = join(import.meta.dirname, '..', '..');
type Doc = { source: string; profiles: StatementProfile[] };

/** A copy of dist/'s modules in a folder of its own with `doc` as its validated copy, and its builtinProfiles. */
async function builtWith(doc: Doc | string): Promise<StatementProfile[]> {
  const dir = mkdtempSync(join(tmpdir(), 'spendrecon-built-'));
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (f) => !/\.(cjs|v8cache|d\.ts)$/.test(f) && !f.endsWith('builtin-profiles.json') });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'dist', 'builtin-profiles.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  const m = (await import(pathToFileURL(join(dir, 'dist', 'sources', 'statement-profile.js')).href)) as { builtinProfiles: () => StatementProfile[] };
  return m.builtinProfiles();
}

describe('built-in profiles validated at build time', () => {
  it('the build wrote what validating the shipped JSON gives', () => {
    const built = JSON.parse(readFileSync(join(ROOT, 'dist', 'builtin-profiles.json'), 'utf8')) as Doc;
    const fresh = builtinProfilesDocument();
    expect(built.source).toBe(fresh.source);
    expect(built.profiles).toEqual(fresh.profiles);
    // run from src/ (no build beside it) the profiles are validated here, to the same
    expect(builtinProfiles()).toEqual(fresh.profiles);
  });

  it('is taken when made from the same JSON, and only then', async () => {
    const fresh = builtinProfilesDocument();
    // a marked copy shows which one a start took
    const marked = { source: fresh.source, profiles: fresh.profiles.map((p, i) => (i === 0 ? { ...p, label: 'from the build' } : p)) };
    expect((await builtWith(marked))[0]!.label).toBe('from the build');
    // made from other JSON (a profile edited since the build): validated again
    const other = await builtWith({ ...marked, source: 'f'.repeat(64) });
    expect(other).toEqual(fresh.profiles);
    // unreadable: validated again
    expect(await builtWith('{"source": ')).toEqual(fresh.profiles);
  });
});
