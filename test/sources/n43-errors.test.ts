/**
 * Norma 43 bad input: the file's own totals not matching its movements, bad fields, wrong-length
 * lines, records out of place. Each case changes one thing in the fixture's lines and checks the
 * issue names the line, the character positions and what was expected.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputIssue } from '../../src/model.js';
import { cardLastFour, parseN43, type N43Line } from '../../src/sources/n43-parse.js';
import { decodeN43, detectN43, splitN43Lines } from '../../src/sources/n43.js';
import { open, REAL } from './real-statement-helpers.js';

const FIXTURE = splitN43Lines(decodeN43(readFileSync(join(REAL, 'es-norma43-2026-11.n43'))).text);
/** The fixture's lines by role: the 22 of the ChatGPT charge, the ATM withdrawal (no 23), the 33 and the 88. */
const CHATGPT = 2;
const ATM = 20;
const END = 23;
const EOF = 24;

/** The fixture with `text` written over line `line` from 1-based character `at`. */
function put(line: number, at: number, text: string, lines: readonly N43Line[] = FIXTURE): N43Line[] {
  return lines.map((l) => (l.line === line ? { line, text: l.text.slice(0, at - 1) + text + l.text.slice(at - 1 + text.length) } : l));
}

function issuesOf(lines: readonly N43Line[]): InputIssue[] {
  return parseN43(lines, 'es.n43').issues;
}

const brief = (i: InputIssue) => [i.severity, i.line, i.column, i.rejected, i.amount?.toString() ?? null, i.currency];

describe("Norma 43: the file's own totals", () => {
  it('the fixture as written has none to report', () => {
    expect(issuesOf(FIXTURE)).toEqual([]);
  });

  it('a movement missing: the debit count and sum of record 33 do not match, and the 88 count is off by one', () => {
    const issues = issuesOf(FIXTURE.filter((l) => l.line !== ATM));
    expect(issues.map(brief)).toEqual([
      ['error', END, 'number of debits (characters 21–25)', false, null, null],
      ['warning', EOF, 'number of records (characters 21–26)', false, null, null],
    ]);
    expect(issues[0]!.message).toContain('has 6 debits summing 181.26 EUR');
    expect(issues[0]!.message).toContain('says 7 summing 241.26');
    expect(issues[1]!.message).toContain('counts 23 records, the file has 22');
  });

  it('a movement amount changed: the sums differ though the counts agree', () => {
    const issues = issuesOf(put(CHATGPT, 29, '00000000002400'));
    expect(issues.map(brief)).toEqual([['error', END, 'number of debits (characters 21–25)', false, null, null]]);
    expect(issues[0]!.message).toMatch(/7 debits summing 242\.26 EUR .* says 7 summing 241\.26/);
  });

  it('a final balance that is not initial + credits − debits', () => {
    const issues = issuesOf(put(END, 60, '00000001380513'));
    expect(issues.map(brief)).toEqual([['error', END, 'final balance (characters 60–73)', false, null, null]]);
    expect(issues[0]!.message).toBe('final balance 13805.13 EUR is not the initial balance 12500.00 (line 1) + credits 1546.38 − debits 241.26 = 13805.12');
  });

  it('an overdrawn start (sign 1) turns the expected final balance', () => {
    const issues = issuesOf(put(1, 33, '1'));
    expect(issues.map(brief)).toEqual([['error', END, 'final balance (characters 60–73)', false, null, null]]);
    expect(issues[0]!.message).toContain('initial balance -12500.00');
  });
});

describe("Norma 43: each account's totals on its own end record", () => {
  const TWO = splitN43Lines(decodeN43(readFileSync(join(REAL, 'es-norma43-two-accounts-2026-11.n43'))).text);
  it('a wrong debit sum on the second account is reported on its 33 (line 14), in its currency', () => {
    const issues = issuesOf(put(14, 26, '00000000034600', TWO));
    expect(issues.map(brief)).toEqual([
      ['error', 14, 'number of debits (characters 21–25)', false, null, null],
      ['error', 14, 'final balance (characters 60–73)', false, null, null],
    ]);
    expect(issues[0]!.message).toContain('account 0081 0456 0007654321 has 2 debits summing 345.00 USD (lines 9–14)');
  });

  it('a second account header before the first account ends', () => {
    const issues = issuesOf(TWO.filter((l) => l.line !== 8));
    expect(issues.map(brief)).toEqual([
      ['warning', 1, null, false, null, null],
      ['warning', 15, 'number of records (characters 21–26)', false, null, null],
    ]);
    expect(issues[0]!.message).toContain('has no end-of-account record 33 before the next account header on line 9');
  });
});

describe('Norma 43: bad movement records are rejected with their money', () => {
  it('no calendar date', () => {
    const issues = issuesOf(put(CHATGPT, 11, '261131'));
    expect(issues.map(brief)).toEqual([['error', CHATGPT, 'operation date (characters 11–16)', true, '23', 'EUR']]);
    expect(issues[0]!.message).toContain('expected a date as YYMMDD (the operation date), found "261131"');
  });

  it('an amount with a letter: rejected, and the totals then miss it', () => {
    const issues = issuesOf(put(CHATGPT, 29, '0000000000230O'));
    expect(issues.map(brief)).toEqual([
      ['error', CHATGPT, 'amount (characters 29–42)', true, null, 'EUR'],
      ['error', END, 'number of debits (characters 21–25)', false, null, null],
    ]);
    expect(issues[0]!.message).toBe('movement 22: expected 14 digits (the amount), found "0000000000230O"');
  });

  it('a debit/credit code other than 1 or 2: the unsigned amount is named', () => {
    const [i] = issuesOf(put(CHATGPT, 28, '3'));
    expect(brief(i!)).toEqual(['error', CHATGPT, 'debit/credit code (character 28)', true, '23', 'EUR']);
    expect(i!.message).toContain('expected 1 (debit) or 2 (credit)');
  });

  it('a line longer than 80 characters with text after character 80', () => {
    const lines = FIXTURE.map((l) => (l.line === CHATGPT ? { ...l, text: `${l.text}X1` } : l));
    const [i, ...rest] = issuesOf(lines);
    expect(brief(i!)).toEqual(['error', CHATGPT, 'characters 81–82', true, '23', 'EUR']);
    expect(i!.message).toBe('movement 22: expected a record of 80 characters, found 82 ("X1" after character 80)');
    expect(rest).toEqual([]);
  });

  it('blanks after character 80 are only blanks', () => {
    const lines = FIXTURE.map((l) => (l.line === CHATGPT ? { ...l, text: `${l.text}   ` } : l));
    expect(issuesOf(lines)).toEqual([]);
  });

  it('a line cut before its amount ends', () => {
    const lines = FIXTURE.map((l) => (l.line === ATM ? { ...l, text: l.text.slice(0, 35) } : l));
    const [i] = issuesOf(lines);
    expect(brief(i!)).toEqual(['error', ATM, 'amount (characters 29–42)', true, null, 'EUR']);
    expect(i!.message).toBe('movement 22: expected 14 digits (the amount), found "0000000" and the end of the line (character 35)');
  });
});

describe('Norma 43: records out of place and unknown codes', () => {
  it('an unknown record code is rejected naming characters 1–2', () => {
    const [i] = issuesOf(put(ATM, 1, '29'));
    expect(brief(i!)).toEqual(['error', ATM, 'record code (characters 1–2)', true, null, null]);
    expect(i!.message).toContain('found "29"');
  });

  it('a 23 with no movement before it, a 22 before any account header', () => {
    const text23 = FIXTURE.find((l) => l.line === 3)!.text;
    const text22 = FIXTURE.find((l) => l.line === CHATGPT)!.text;
    const issues = issuesOf([
      { line: 1, text: text22 },
      { line: 2, text: FIXTURE[0]!.text },
      { line: 3, text: text23 },
    ]);
    expect(issues.slice(0, 2).map(brief)).toEqual([
      ['error', 1, 'record code (characters 1–2)', true, '23', null],
      ['error', 3, 'record code (characters 1–2)', true, null, null],
    ]);
    expect(issues[0]!.message).toContain('outside any account');
    // rows = records + rejected lines + skipped lines: each line counted once
    const parsed = parseN43(
      [
        { line: 1, text: text22 },
        { line: 2, text: FIXTURE[0]!.text },
        { line: 3, text: text23 },
      ],
      'es.n43',
    );
    expect([parsed.rows, parsed.records.length, parsed.issues.filter((i) => i.rejected).length, parsed.skipped]).toEqual([3, 0, 2, 1]);
  });

  it('an unknown currency number on the account header rejects its movements, each with its amount', () => {
    const parsed = parseN43(put(1, 48, '999'), 'es.n43');
    expect(parsed.records).toEqual([]);
    expect(parsed.issues[0]!.message).toContain('found "999", which this reader does not know');
    expect(parsed.issues.filter((i) => i.rejected).map((i) => i.amount!.toString())).toEqual(['23', '46.38', '1.39', '92.71', '2.78', '-46.38', '-1500', '60', '15']);
  });

  it('an original currency it does not know: a warning, the movement kept without its original', () => {
    const parsed = parseN43(put(7, 5, '000'), 'es.n43');
    expect(parsed.issues.map(brief)).toEqual([['warning', 7, 'original currency code (characters 5–7)', false, null, null]]);
    expect(parsed.records.find((r) => r.src.line === 4)!.originalAmount).toBeNull();
  });

  it('a file cut short: no 33 and no 88 are warnings naming the account header and the last line', () => {
    const issues = issuesOf(FIXTURE.filter((l) => l.line < END));
    expect(issues.map(brief)).toEqual([
      ['warning', 1, null, false, null, null],
      ['warning', 22, null, false, null, null],
    ]);
    expect(issues[0]!.message).toContain('has no end-of-account record 33 before the end of the file');
  });
});

describe('Norma 43 detection', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spendrecon-n43-'));
  it('wants an account header 11 first, with digits where the spec has them', async () => {
    const good = FIXTURE.map((l) => l.text).join('\r\n');
    const cases: [string, string, boolean][] = [
      ['good.n43', good, true],
      [
        'movement-first.n43',
        FIXTURE.slice(1)
          .map((l) => l.text)
          .join('\n'),
        false,
      ],
      ['letters-in-balance.n43', good.replace('00000001250000', '0000000125OOOO'), false],
      ['csv.n43', 'Date,Description,Amount\n2026-11-03,OPENAI,23.00\n', false],
    ];
    for (const [name, text, expected] of cases) {
      const path = join(dir, name);
      writeFileSync(path, text, 'latin1');
      expect([name, detectN43(await open(path)) !== null]).toEqual([name, expected]);
    }
  });
});

describe('card last four in a movement text', () => {
  it('reads masked card numbers, not other digits', () => {
    expect(cardLastFour('COMPRA TARJ. 4176XXXXXXXX1234 OPENAI')).toBe('1234');
    expect(cardLastFour('PAGO TARJETA **** 9876')).toBe('9876');
    expect(cardLastFour('TRANSFERENCIA 000012345678')).toBeNull();
    expect(cardLastFour('XXXX')).toBeNull();
  });
});
