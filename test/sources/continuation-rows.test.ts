/**
 * Continuation rows (issue #9): one transaction written over several rows, the later ones
 * dateless and moneyless (OCBC's merchant line, Rakuten's 現地利用額 row). The profile's
 * `continuation` attaches them to the transaction above; each row still has one fate.
 */
import { describe, expect, it } from 'vitest';
import type { CsvRow } from '../../src/sources/csv.js';
import { parseStatementRows } from '../../src/sources/statement.js';
import { resolveProfiles, statementProfileSchema, type StatementProfileInput } from '../../src/sources/statement-profile.js';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** rows read + the fates they got: records, other lines (skipped), rejected rows — the conservation identity. */
function accounted(r: { records: unknown[]; skipped: number; issues: { rejected: boolean }[] }): number {
  return r.records.length + r.skipped + r.issues.filter((i) => i.rejected).length;
}

describe('OCBC (Singapore): the detail of each transaction on the dateless next row', () => {
  it('sg-ocbc takes its own fixture and fits no other statement fixture', async () => {
    expect(await fixturesFitting(['sg-ocbc'])).toEqual({ 'sg-ocbc': ['sg-ocbc-2026-11.csv'] });
  });

  it('reads every line: DD/MM/YYYY, Withdrawals/Deposits, SGD, the next row joined to the description', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('sg-ocbc-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['sg-ocbc', 6]);
    expect(issues).toEqual([]);
    const sgd = (line: number, date: string, posted: string, amount: string, text: string) => [line, date, posted, 'posted', amount, 'SGD', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      sgd(7, '2026-11-28', '2026-11-28', '27.45', 'DEBIT PURCHASE / 26/11/26  12-3456 OPENAI *CHATGPT SUBSCR OPENAI.COM   US'),
      // the fee is its own charge; "FOR: 27.45 SGD" is the SGD amount it was charged on, not a foreign original
      sgd(9, '2026-11-28', '2026-11-28', '0.27', 'CCY CONVERSION FEE / FOR: 27.45 SGD'),
      sgd(11, '2026-11-25', '2026-11-25', '-5200', 'GIRO - SALARY / ACME PTE LTD SALARY NOV'),
      sgd(13, '2026-11-24', '2026-11-24', '134.2', 'DEBIT PURCHASE / 12-3456 ANTHROPIC                 US 21/11/26'),
      sgd(15, '2026-11-24', '2026-11-24', '1.34', 'CCY CONVERSION FEE / FOR: 134.20 SGD'),
      sgd(17, '2026-11-20', '2026-11-20', '100', 'CASH WITHDRAWAL  ATM / 12-3456 OCBC-123 BRANCH          S'),
      sgd(19, '2026-11-18', '2026-11-19', '12.8', 'DEBIT PURCHASE / 12-3456 KOPI CORNER (TPY)       S 16/11/26'),
      sgd(21, '2026-11-12', '2026-11-12', '23.1', 'DEBIT PURCHASE / 10/11/26  12-3456 GRAB* A-7XKQ2M SINGAPORE'),
      sgd(23, '2026-11-05', '2026-11-05', '1250', 'DEBIT PURCHASE / 12-3456 COURTS MEGASTORE        S 03/11/26'),
      sgd(25, '2026-11-03', '2026-11-03', '-500', 'FUNDS TRANSFER / FROM 123-654321-001 J TAN'),
      // a transaction with no continuation row is read as it is
      sgd(27, '2026-11-01', '2026-11-01', '-0.42', 'INTEREST CREDIT'),
    ]);
    // 4 preamble lines + 10 continuation rows are the other lines; the blank line and the header are not rows
    expect([rows, skipped]).toEqual([25, 14]);
    expect(accounted({ records, skipped, issues })).toBe(rows);
  });
});

// a small layout of our own, to try each rule of the option on rows at hand
const BASE = {
  name: 'cont-test',
  label: 'continuation test layout',
  header: { columns: ['Date', 'Text', 'Amount'], optional: ['Booked'] },
  columns: { transactionDate: 'Date', postedDate: 'Booked', description: 'Text', amount: 'Amount' },
  currency: 'EUR',
  amountSign: 'charges-negative',
  dates: { formats: ['YYYY-MM-DD'] },
  continuation: { join: 'description' },
} satisfies StatementProfileInput;

function profile(over: Partial<StatementProfileInput> = {}) {
  return statementProfileSchema.parse({ ...BASE, ...over });
}

/** Lines of a CSV split on commas, numbered from 1. */
function rows(...lines: string[]): CsvRow[] {
  return lines.map((l, i) => ({ line: i + 1, fields: l.split(',') }));
}

const read = (p: ReturnType<typeof profile>, r: CsvRow[]) => parseStatementRows(r, p, { file: 'c.csv' });

describe('the continuation option', () => {
  it('joins every following dateless, moneyless row to the description; an originalInText pattern then reads the original from it', () => {
    const p = profile({ originalInText: { pattern: 'ORIG (?<amount>[\\d.]+) (?<currency>[A-Z]{3})' } });
    const r = read(p, rows('Date,Text,Amount,Booked', '2026-11-02,CARD,-18.40,2026-11-03', ',OPENAI *CHATGPT,,', ',ORIG 20.00 USD,,', '2026-11-04,RENT,-900.00,2026-11-04'));
    expect(r.issues).toEqual([]);
    expect(r.records.map((c) => [c.src.line, c.description, c.amount.toString(), c.originalAmount?.toString() ?? null, c.originalCurrency])).toEqual([
      [2, 'CARD / OPENAI *CHATGPT / ORIG 20.00 USD', '18.4', '20', 'USD'],
      [5, 'RENT', '900', null, null],
    ]);
    expect([r.rows, r.skipped]).toEqual([4, 2]);
  });

  it('join "original": the row is read for the original amount only, the description stays the merchant', () => {
    const p = profile({ originalInText: { pattern: 'ORIG (?<amount>[\\d.]+) (?<currency>[A-Z]{3})' }, continuation: { join: 'original' } });
    const r = read(p, rows('Date,Text,Amount', '2026-11-02,ANTHROPIC,-18.40', ',ORIG 20.00 USD,'));
    expect(r.records.map((c) => [c.description, c.originalAmount?.toString(), c.originalCurrency])).toEqual([['ANTHROPIC', '20', 'USD']]);
  });

  it('a continuation row with no transaction above is an error naming its line and the date column, and is counted as rejected', () => {
    const r = read(profile(), rows('Date,Text,Amount', ',STRAY TEXT,', '2026-11-02,CARD,-5.00'));
    expect(r.records.map((c) => c.src.line)).toEqual([3]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ severity: 'error', file: 'c.csv', line: 2, column: 'Date', rejected: true, amount: null });
    expect(r.issues[0]!.message).toContain('no transaction precedes this one: "STRAY TEXT"');
    expect([r.rows, accounted(r)]).toEqual([2, 2]); // the header row is not one of the rows
  });

  it('after a repeated header a continuation row has no transaction above it', () => {
    const r = read(profile(), rows('Date,Text,Amount', '2026-11-02,CARD,-5.00', 'Date,Text,Amount', ',MORE,'));
    expect(r.records[0]!.description).toBe('CARD');
    expect(r.issues.filter((i) => i.rejected).map((i) => i.line)).toEqual([4]);
    expect(accounted(r)).toBe(r.rows);
  });

  it('a dateless row that holds money is not a continuation: it is rejected with its money, never folded into the row above', () => {
    const r = read(profile(), rows('Date,Text,Amount', '2026-11-02,CARD,-5.00', ',SECOND CHARGE,-7.00'));
    expect(r.records.map((c) => c.description)).toEqual(['CARD']);
    expect(r.issues.map((i) => [i.line, i.column, i.rejected, i.amount?.toString()])).toEqual([[3, 'Date', true, '-7']]);
    expect(accounted(r)).toBe(r.rows);
  });

  it('with a pattern only matching rows continue; another dateless row is still an error', () => {
    const p = profile({ continuation: { join: 'description', pattern: '^FX ' } });
    const r = read(p, rows('Date,Text,Amount', '2026-11-02,CARD,-5.00', ',FX 6.00 USD,', ',NOT MINE,'));
    expect(r.records.map((c) => c.description)).toEqual(['CARD / FX 6.00 USD']);
    expect(r.issues.map((i) => [i.line, i.rejected])).toEqual([[4, true]]);
    expect(accounted(r)).toBe(r.rows);
  });

  it('the rows continuing a rejected transaction stay other lines; the transaction is rejected once with its money', () => {
    const r = read(profile(), rows('Date,Text,Amount', '2026-13-02,CARD,-5.00', ',DETAIL,', '2026-11-03,OK,-1.00'));
    expect(r.records.map((c) => c.src.line)).toEqual([4]);
    expect(r.issues.map((i) => [i.line, i.rejected, i.amount?.toString()])).toEqual([[2, true, '-5']]);
    expect([r.rows, r.skipped, accounted(r)]).toEqual([3, 1, 3]);
  });

  it('a trailer line is still a trailer, not a continuation', () => {
    const p = profile({ trailer: { patterns: ['^Total'] } });
    const r = read(p, rows('Date,Text,Amount', '2026-11-02,CARD,-5.00', ',Total 1 transaction,'));
    expect(r.records[0]!.description).toBe('CARD');
    expect(r.skipped).toBe(1);
  });
});

describe('the continuation option in a profile', () => {
  it('defaults to joining the description', () => {
    expect(profile({ continuation: {} }).continuation).toEqual({ join: 'description' });
  });

  it('"original" without originalInText, an unknown join and a bad pattern are refused with their JSON paths', () => {
    const problems = (over: object) => {
      try {
        resolveProfiles([{ ...BASE, ...over }]);
        return [];
      } catch (e) {
        return (e as { problems: { path: string; message: string }[] }).problems.map((p) => p.path);
      }
    };
    expect(problems({ continuation: { join: 'original' } })).toEqual(['statementProfiles[0].continuation.join']);
    expect(problems({ continuation: { join: 'memo' } })).toEqual(['statementProfiles[0].continuation.join']);
    expect(problems({ continuation: { pattern: '(' } })).toEqual(['statementProfiles[0].continuation.pattern']);
    expect(problems({ continuation: { when: 'no-date' } })).toEqual(['statementProfiles[0].continuation']);
  });
});
