import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import { inspectFiles } from '../src/inspect.js';
import { n43Reader } from '../src/sources/n43.js';
import { statementReader } from '../src/sources/statement.js';

const REAL = join(import.meta.dirname, '..', 'fixtures', 'statements', 'real');

describe('inspect', () => {
  it("shows a statement's first rows as its profile reads them (Shift_JIS sniffed as Windows-1252)", async () => {
    const [ins] = await inspectFiles([join(REAL, 'jp-mufg-2026-11.csv')], parseConfig({ timezone: 'Asia/Tokyo' }), REAL, [statementReader]);
    expect(ins!.encoding).toBe('shift_jis');
    expect(ins!.encodingReason).toBe("the profile's encoding; sniffed windows-1252");
    expect(ins!.firstRows[0]!.slice(0, 3)).toEqual(['2026/11/4', 'カード', 'ＭＵＦＧ']);
    expect(ins!.problemCount).toBe(0);
  });

  it('keeps the sniffed reading when the profile agrees with it', async () => {
    const [ins] = await inspectFiles([join(REAL, 'us-citi-2026-11.csv')], parseConfig({ timezone: 'UTC' }), REAL, [statementReader]);
    expect(ins!.encoding).toBe('utf-8');
    expect(ins!.encodingReason).not.toContain("profile's encoding");
  });

  it('shows a fixed-width Norma 43 file by its own decoding and its first lines whole, not as CSV cells', async () => {
    const [ins] = await inspectFiles([join(REAL, 'es-norma43-2026-11.n43')], parseConfig({ timezone: 'Europe/Madrid' }), REAL, [n43Reader, statementReader]);
    expect(ins!.format).toBe('norma43');
    expect(ins!.encoding).toBe('latin1');
    expect(ins!.delimiter).toBeNull();
    expect(ins!.firstRows[0]).toHaveLength(1);
    expect(ins!.firstRows[0]![0]).toMatch(/^11\d{18}/);
    expect(ins!.firstRows[1]![0]).toMatch(/^22 {4}/);
  });
});
