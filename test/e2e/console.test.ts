/**
 * What the CLI prints: through one sink that redacts and shows control characters, and a
 * reader that stops early (`| head -c 50`) ends the output quietly, exit code unchanged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { printInspection, type Inspection } from '../../src/inspect.js';
import { jsonText } from '../../src/report/json.js';
import { terminalSink } from '../../src/terminal.js';

const ROOT = join(import.meta.dirname, '..', '..');
const KEY = 'sk-ant-api03-Zq8RmW2xLt5VbN9cKp4HsJ7dF1gYe3uAoI6-AA';

/** Runs the CLI with its stdout (or stderr) closed by the reader before anything is written. */
function runWithClosed(which: 'stdout' | 'stderr'): Promise<{ code: number | null; other: string }> {
  const out = mkdtempSync(join(tmpdir(), 'spendrecon-pipe-'));
  const args = [
    join(ROOT, 'bin', 'spendrecon'),
    'report',
    '--costs',
    join(ROOT, 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv'),
    '--period',
    '2026-10',
    '--tz',
    'UTC',
    '--json',
    '--out',
    join(out, 'r.xlsx'),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child[which].destroy();
  const keep = which === 'stdout' ? child.stderr : child.stdout;
  let other = '';
  keep.setEncoding('utf8').on('data', (d: string) => (other += d));
  return new Promise((done) => child.on('close', (code) => done({ code, other })));
}

describe('a reader that goes away', () => {
  it('closed stdout: no stack trace, the exit code the run decided', async () => {
    const r = await runWithClosed('stdout');
    expect(r.other).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.other).toMatch(/billed \(cost export\)/); // the summary still reached stderr
    expect(r.code).toBe(0);
  });
  it('closed stderr: the JSON still arrives whole on stdout', async () => {
    const r = await runWithClosed('stderr');
    expect(JSON.parse(r.other).period.from).toBe('2026-10-01');
    expect(r.code).toBe(0);
  });
});

function collect(): { sink: ReturnType<typeof terminalSink>; text: () => string } {
  const s = new PassThrough();
  let text = '';
  s.setEncoding('utf8').on('data', (d: string) => (text += d));
  return { sink: terminalSink(s), text: () => text };
}

describe('inspect printing', () => {
  it('shows escape codes and newlines from a file visibly and redacts keys, also in a row cut to the line', () => {
    const ins: Inspection = {
      file: `exports/${KEY}.csv`,
      recognised: true,
      format: 'openai-usage',
      label: 'usage',
      confidence: 1,
      reasons: ['header matches'],
      otherCandidates: [],
      encoding: 'utf-8',
      encodingReason: 'valid UTF-8',
      delimiter: ',',
      header: [],
      missingRequired: [],
      unknownColumns: ['region\u001b]0;pwned\u0007', 'a\nb'],
      firstRows: [['x'.repeat(140), KEY]],
      rowsRead: 1,
      records: 1,
      emptyBuckets: 0,
      problems: [{ severity: 'error', line: 2, column: 'model', message: `bad value "\u001b[31m${KEY}"` }],
      problemCount: 1,
    };
    const c = collect();
    printInspection([ins], c.sink);
    const t = c.text();
    expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(t).toContain('region\u241b]0;pwned\u2407, a\u240ab');
    expect(t).not.toContain(KEY.slice(20, 32));
    expect(t).not.toContain(KEY.slice(13, 20)); // not even the start of the key in the cut row
    expect(t).toContain('sk-ant-api03-…6-AA');
  });
});

describe('jsonText', () => {
  it('redacts values and property names, escapes C1 controls, stays exact JSON', () => {
    const doc = { [KEY]: { name: `x ${KEY}`, csi: 'a\u009bb', del: '\u007f' } };
    const t = jsonText(doc);
    expect(t).not.toContain(KEY.slice(20, 32));
    expect(t).not.toMatch(/[\u007f-\u009f]/);
    const back = JSON.parse(t) as Record<string, { name: string; csi: string; del: string }>;
    expect(Object.keys(back)).toEqual(['sk-ant-api03-…6-AA']);
    expect(back['sk-ant-api03-…6-AA']).toEqual({ name: 'x sk-ant-api03-…6-AA', csi: 'a\u009bb', del: '\u007f' });
  });

  it('redacts a key split by an invisible character, where the text holds no `sk-`', () => {
    const hidden = `s\u200b${KEY.slice(1)}`;
    const t = jsonText({ rows: [{ note: `a ${hidden}` }], [hidden]: 1 });
    expect(t).not.toContain(KEY.slice(20, 32));
    expect(JSON.parse(t)).toEqual({ rows: [{ note: 'a sk-ant-api03-…6-AA' }], 'sk-ant-api03-…6-AA': 1 });
  });

  it('is JSON.stringify with two spaces where nothing is key-shaped', () => {
    const doc = { a: [1, 'sk', 'k-'], 'b c': { d: null, e: 'ask-me' } };
    expect(jsonText(doc)).toBe(JSON.stringify(doc, null, 2));
  });
});
