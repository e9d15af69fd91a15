/** Finding and opening inputs (src/sources/index.ts): links, loops, special files, depth. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { jsonDeeperThan, MAX_JSON_DEPTH } from '../../src/sources/openai-api-json.js';
import { expandInputs, exportReaders, InputError, openInput, recognise, type FoundFile } from '../../src/sources/index.js';

const COSTS = join(import.meta.dirname, '..', '..', 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv');
const USAGE_JSONL = join(import.meta.dirname, '..', '..', 'fixtures', 'openai', 'api', 'usage_completions_2026-11-01_2026-11-14.jsonl');

let d: string;
beforeEach(() => {
  d = mkdtempSync(join(tmpdir(), 'spendrecon-scan-'));
});

const rel = (files: FoundFile[]) => files.map((f) => ({ ...f, path: f.path.slice(d.length + 1), aliases: f.aliases?.map((a) => a.slice(d.length + 1)) }));

describe('expandInputs', () => {
  it('follows a symbolic link to a file and one to a directory; a file reached by three paths is one file', async () => {
    mkdirSync(join(d, 'scan', 'real'), { recursive: true });
    mkdirSync(join(d, 'outside'));
    copyFileSync(COSTS, join(d, 'outside', 'other.csv'));
    copyFileSync(COSTS, join(d, 'scan', 'real', 'costs.csv'));
    symlinkSync(join(d, 'outside'), join(d, 'scan', 'a-out')); // a directory outside the scan
    symlinkSync(join(d, 'scan', 'real'), join(d, 'scan', 'dirlink'));
    symlinkSync(join(d, 'scan', 'real', 'costs.csv'), join(d, 'scan', 'b-link.csv'));
    linkSync(join(d, 'scan', 'real', 'costs.csv'), join(d, 'scan', 'c-hard.csv'));
    const notices: string[] = [];
    const files = rel(await expandInputs([join(d, 'scan')], d, (m) => notices.push(m)));
    // a path without links names the file; the link to a directory already scanned is not followed again
    expect(files).toEqual([
      { path: 'scan/a-out/other.csv', explicit: false },
      { path: 'scan/c-hard.csv', explicit: false, aliases: ['scan/b-link.csv', 'scan/real/costs.csv'] },
    ]);
    expect(notices).toEqual(['scan/dirlink is the same directory as scan/real; scanned once']);
  });

  it('names a loop back to a directory being scanned, and a link that points to itself, without following them', async () => {
    mkdirSync(join(d, 'a', 'b'), { recursive: true });
    symlinkSync('../..', join(d, 'a', 'b', 'up'));
    symlinkSync('self.csv', join(d, 'self.csv'));
    const notices: string[] = [];
    const files = await expandInputs([d], d, (m) => notices.push(m));
    const byPath = new Map(rel(files).map((f) => [f.path, f.problem]));
    expect(byPath.get('a/b/up')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/symbolic link loop: it leads back to .*, which is being scanned/) });
    expect(byPath.get('self.csv')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/loop of symbolic links/) });
  });

  it('lists a FIFO and a broken link met while scanning as problems (never opened); named explicitly a FIFO is an InputError', async () => {
    const fifo = join(d, 'pipe.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    symlinkSync(join(d, 'gone.csv'), join(d, 'broken.csv'));
    const byPath = new Map(rel(await expandInputs([d], d)).map((f) => [f.path, f.problem?.message]));
    expect(byPath.get('pipe.csv')).toMatch(/FIFO \(named pipe\), not a regular file/);
    expect(byPath.get('broken.csv')).toMatch(/symbolic link to nothing/);
    await expect(expandInputs([fifo], d)).rejects.toThrow(InputError);
    await expect(expandInputs([fifo], d)).rejects.toThrow(/pipe\.csv: it is a FIFO/);
    // openInput refuses it too (inspect opens files without the scan)
    await expect(openInput(fifo)).rejects.toThrow(/FIFO/);
  });

  it('scans the data extensions the README names: .csv .tsv .json .jsonl .ndjson .xlsx .xls, not .txt or .md', async () => {
    for (const f of ['a.csv', 'b.tsv', 'c.json', 'd.jsonl', 'e.ndjson', 'f.txt', 'g.md', 'h.xlsx', 'i.xls', 'j.pdf']) writeFileSync(join(d, f), 'x\n');
    expect(rel(await expandInputs([d], d)).map((f) => f.path)).toEqual(['a.csv', 'b.tsv', 'c.json', 'd.jsonl', 'e.ndjson', 'h.xlsx', 'i.xls']);
    // a glob names what it wants, whatever the extension
    expect(rel(await expandInputs([join(d, '*.txt')], d)).map((f) => f.path)).toEqual(['f.txt']);
  });

  it('the same directory given twice (to --usage and --costs) is scanned once, silently', async () => {
    copyFileSync(COSTS, join(d, 'costs.csv'));
    const notices: string[] = [];
    expect(rel(await expandInputs([d, d, join(d, '*.csv')], d, (m) => notices.push(m)))).toEqual([{ path: 'costs.csv', explicit: false }]);
    expect(notices).toEqual([]);
  });
});

describe('JSON nesting', () => {
  it('jsonDeeperThan counts levels of arrays and objects without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(jsonDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDeeperThan({ data: [{ results: [{ amount: { value: '1' } }] }] }, 6)).toBe(false);
    expect(jsonDeeperThan({ data: [{ results: [{ amount: { value: [] } }] }] }, 6)).toBe(true);
  });

  it('openInput stops a too-deep document with FILE: JSON nested deeper than N levels', async () => {
    writeFileSync(join(d, 'deep.json'), `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    await expect(openInput(join(d, 'deep.json'), { display: 'deep.json' })).rejects.toThrow(`deep.json: JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it('a too-deep line of a .jsonl export is a bad row with its line number, the other lines are read', async () => {
    const lines = readFileSync(USAGE_JSONL, 'utf8').trimEnd().split('\n');
    writeFileSync(join(d, 'usage.jsonl'), `${[lines[0], `${'['.repeat(100_000)}${']'.repeat(100_000)}`, ...lines.slice(1)].join('\n')}\n`);
    const input = await openInput(join(d, 'usage.jsonl'));
    const rec = recognise(input, exportReaders);
    const issues: { line: number; message: string }[] = [];
    let records = 0;
    for await (const b of rec.reader!.read(input, rec.detection!, { timezone: 'UTC', displayPath: 'usage.jsonl', statementPeriod: null })) {
      issues.push(...b.issues);
      records += b.records.length;
    }
    expect(issues).toEqual([expect.objectContaining({ line: 2, message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels; the line is left out` })]);
    expect(records).toBeGreaterThan(0);
  });
});
