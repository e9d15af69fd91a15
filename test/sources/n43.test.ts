/**
 * The Norma 43 reader on its fixtures (fixtures/statements/real/es-norma43-*.n43, layout sources
 * in its README): every movement line checked, and recognition both ways — the N43 reader takes
 * no CSV fixture, no CSV statement profile takes an N43 file.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardLine, Detection, InputIssue } from '../../src/model.js';
import { expandInputs } from '../../src/sources/index.js';
import { detectN43, n43Reader } from '../../src/sources/n43.js';
import { statementReader } from '../../src/sources/statement.js';
import { open, REAL, STATEMENT_FIXTURES, view } from './real-statement-helpers.js';

const ONE = join(REAL, 'es-norma43-2026-11.n43');
const TWO = join(REAL, 'es-norma43-two-accounts-2026-11.n43');

async function readN43(path: string): Promise<{ detection: Detection; records: CardLine[]; issues: InputIssue[]; rows: number; skipped: number }> {
  const input = await open(path);
  const detection = n43Reader.detect(input);
  if (!detection) throw new Error(`not detected: ${path}`);
  const out = { detection, records: [] as CardLine[], issues: [] as InputIssue[], rows: 0, skipped: 0 };
  for await (const b of n43Reader.read(input, detection, { timezone: 'UTC', displayPath: path.split('/').pop()! })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
    out.rows += b.rows;
    out.skipped += b.skipped;
  }
  return out;
}

describe('Norma 43: one EUR account (CRLF, Latin-1, every record 80 characters)', () => {
  it('reads one card line per movement record 22, texts from its 23 records, the USD original from its 24', async () => {
    const r = await readN43(ONE);
    expect(r.issues).toEqual([]);
    const card = '1234';
    expect(r.records.map(view)).toEqual([
      [2, '2026-11-03', '2026-11-03', 'posted', '23', 'EUR', null, null, card, null, 'COMPRA TARJ. 4176XXXXXXXX1234 OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-06', '2026-11-06', 'posted', '46.38', 'EUR', '50', 'USD', card, null, 'COMPRA TARJ. 4176XXXXXXXX1234 ANTHROPIC SAN FRANCISCO US'],
      [8, '2026-11-06', '2026-11-06', 'posted', '1.39', 'EUR', null, null, card, null, 'COMISIÓN CAMBIO DIVISA TARJ. 4176XXXXXXXX1234'],
      [10, '2026-11-12', '2026-11-13', 'posted', '92.71', 'EUR', '100', 'USD', card, null, 'COMPRA TARJ. 4176XXXXXXXX1234 OPENAI *API OPENAI.COM CA'],
      [14, '2026-11-13', '2026-11-13', 'posted', '2.78', 'EUR', null, null, card, null, 'COMISIÓN CAMBIO DIVISA TARJ. 4176XXXXXXXX1234'],
      [16, '2026-11-18', '2026-11-18', 'posted', '-46.38', 'EUR', '-50', 'USD', card, null, 'DEVOLUCION COMPRA TARJ. 4176XXXXXXXX1234 ANTHROPIC'],
      [19, '2026-11-20', '2026-11-20', 'posted', '-1500', 'EUR', null, null, null, '0000004711', 'TRANSFERENCIA CLIENTE SA'],
      [20, '2026-11-24', '2026-11-24', 'posted', '60', 'EUR', null, null, null, null, 'CAJERO AUTOMATICO'],
      [21, '2026-11-30', '2026-11-30', 'posted', '15', 'EUR', null, null, null, null, 'COMISIÓN MANTENIMIENTO'],
    ]);
    expect(r.records.every((l) => l.profile === 'norma43' && l.fee === null)).toBe(true);
    // every line is a record (9) or one of the 15 header, text, currency, totals and end lines
    expect([r.rows, r.skipped]).toEqual([24, 15]);
  });

  it('is recognised by its content, sure of it, and says what it saw', async () => {
    const d = detectN43(await open(ONE))!;
    expect(d.format).toBe('norma43');
    expect(d.confidence).toBeGreaterThan(0.95);
    expect(d.reasons.join('\n')).toMatch(/24 of 24 lines .* 1 account, 9 movement, 9 text, 3 currency, 1 account-end, 1 end-of-file/);
    expect(d.reasons.join('\n')).toMatch(/latin1/);
  });
});

describe('Norma 43: two accounts (EUR and USD, LF, trailing blanks dropped)', () => {
  it('reads each account in its own currency, short lines padded, both accounts totals checked', async () => {
    const r = await readN43(TWO);
    expect(r.issues).toEqual([]);
    expect(r.records.map(view)).toEqual([
      [2, '2026-11-04', '2026-11-04', 'posted', '23', 'EUR', null, null, '0101', null, 'COMPRA TARJETA 5402XXXXXXXX0101 OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-15', '2026-11-15', 'posted', '-250', 'EUR', null, null, null, '0000000812', 'TRASPASO DESDE CUENTA USD'],
      [6, '2026-11-30', '2026-11-30', 'posted', '9', 'EUR', null, null, null, null, 'COMISION MANTENIMIENTO'],
      [10, '2026-11-07', '2026-11-07', 'posted', '75', 'USD', null, null, '0202', null, 'COMPRA TARJETA 5402XXXXXXXX0202 ANTHROPIC'],
      [12, '2026-11-15', '2026-11-15', 'posted', '270', 'USD', null, null, null, '0000000812', 'TRASPASO A CUENTA EUR'],
    ]);
    expect(detectN43(await open(TWO))!.reasons.join('\n')).toMatch(/15 lines shorter than 80 characters/);
  });
});

describe('Norma 43 recognition against the CSV statement profiles', () => {
  it('takes no CSV statement fixture', async () => {
    const taken: string[] = [];
    for (const f of STATEMENT_FIXTURES) if (detectN43(await open(f))) taken.push(f);
    expect(STATEMENT_FIXTURES.length).toBeGreaterThan(60);
    expect(taken).toEqual([]);
  });

  it('no CSV statement profile takes (or fits) a Norma 43 file', async () => {
    for (const f of [ONE, TWO]) expect(statementReader.detect(await open(f))).toBeNull();
  });
});

describe('Norma 43 files in a folder', () => {
  it('a scan finds .n43 files (named .txt or .aeb they must be named explicitly)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-n43-scan-'));
    for (const name of ['bank.n43', 'bank.N43', 'bank.txt', 'bank.aeb']) copyFileSync(ONE, join(dir, name));
    expect((await expandInputs([dir], dir)).map((f) => basename(f.path))).toEqual(['bank.N43', 'bank.n43']);
  });
});
