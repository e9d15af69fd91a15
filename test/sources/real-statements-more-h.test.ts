/**
 * Layouts that share a header (issue #9, ninth pass): detection gives a header tie to the
 * profile that reads the first rows, so U.S. Bank's ISO-dated USD file is no longer taken by
 * Tangerine's M/D/YYYY profile (fixtures/statements/real/, sources in its README).
 * Every line of every fixture is checked.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStatementReader, type StatementDetection } from '../../src/sources/statement.js';
import { resolveProfiles, type StatementProfileInput } from '../../src/sources/statement-profile.js';
import { fittingProfiles, fixturesFitting, open, readReal, readStatement, view } from './real-statement-helpers.js';

/** Writes text (UTF-8) to a new temporary file and returns its path. */
function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'real-h-')), name);
  writeFileSync(path, text);
  return path;
}

/** A user profile over the header `Booked,Text,Value`; the two below differ only in how dates and numbers are written. */
function sameHeader(name: string, formats: string[], decimalMark: '.' | ','): StatementProfileInput {
  return {
    name,
    label: name,
    header: { columns: ['Booked', 'Text', 'Value'] },
    columns: { transactionDate: 'Booked', description: 'Text', amount: 'Value' },
    currency: 'EUR',
    amountSign: 'charges-negative',
    dates: { formats: formats as never },
    numbers: { decimalMark },
  } as StatementProfileInput;
}

const ISO_POINT = sameHeader('iso-point', ['YYYY-MM-DD'], '.');
const DOTTED_COMMA = sameHeader('dotted-comma', ['DD.MM.YYYY'], ',');
const ISO_COMMA = sameHeader('iso-comma', ['YYYY-MM-DD'], ',');

async function detect(profiles: StatementProfileInput[], text: string): Promise<StatementDetection | null> {
  const reader = makeStatementReader(resolveProfiles(profiles));
  return reader.detect(await open(tempFile('tie.csv', text))) as StatementDetection | null;
}

const ISO_FILE = 'Booked,Text,Value\n2026-11-03,OPENAI,-20.00\n2026-11-04,ANTHROPIC,-5.10\n';
const DOTTED_FILE = 'Booked;Text;Value\n03.11.2026;OPENAI;-20,00\n04.11.2026;ANTHROPIC;-5,10\n';

describe('a header tie goes to the profile that reads the first rows', () => {
  it('takes each file with the profile whose date format reads it, in either order of the profiles', async () => {
    for (const order of [
      [ISO_POINT, DOTTED_COMMA],
      [DOTTED_COMMA, ISO_POINT],
    ]) {
      expect((await detect(order, ISO_FILE))?.profile).toBe('iso-point');
      expect((await detect(order, DOTTED_FILE))?.profile).toBe('dotted-comma');
    }
  });

  it('says so, and still lists the other profile as a runner-up', async () => {
    const d = (await detect([DOTTED_COMMA, ISO_POINT], ISO_FILE))!;
    expect(d.reasons).toContain('header tie with "dotted-comma": this profile reads 2 of the first 2 rows, better than the other');
    expect(fittingProfiles(d)).toEqual(['iso-point', 'dotted-comma']);
  });

  it('with the same dates, the number format decides: "-20.00" is not a decimal-comma amount', async () => {
    for (const order of [
      [ISO_COMMA, ISO_POINT],
      [ISO_POINT, ISO_COMMA],
    ]) {
      expect((await detect(order, ISO_FILE))?.profile).toBe('iso-point');
    }
    const isoCommaFile = 'Booked;Text;Value\n2026-11-03;OPENAI;-20,00\n2026-11-04;ANTHROPIC;-5,10\n';
    expect((await detect([ISO_POINT, ISO_COMMA], isoCommaFile))?.profile).toBe('iso-comma');
  });

  it('when both read the rows alike the earlier profile wins, with no tie reason (user profiles come first)', async () => {
    const twin = { ...ISO_POINT, name: 'iso-twin' };
    const d = (await detect([twin, ISO_POINT], ISO_FILE))!;
    expect(d.profile).toBe('iso-twin');
    expect(d.reasons.some((r) => r.startsWith('header tie'))).toBe(false);
    // a file with no data rows is read equally badly by both: the earlier profile, as before
    expect((await detect([DOTTED_COMMA, ISO_POINT], 'Booked,Text,Value\n'))?.profile).toBe('dotted-comma');
  });

  it('only a tie: a profile whose header fits better is not overturned by reading the rows', async () => {
    // four required columns beat three (header confidence), though only the looser profile reads the dates
    const specific = { ...sameHeader('specific', ['DD.MM.YYYY'], '.'), header: { columns: ['Booked', 'Text', 'Value', 'Card'] } };
    const loose = { ...ISO_POINT, name: 'loose', header: { columns: ['Booked', 'Text', 'Value'], optional: ['Card'] } };
    const d = (await detect([loose, specific], 'Booked,Text,Value,Card\n2026-11-03,OPENAI,-20.00,4821\n'))!;
    expect(d.profile).toBe('specific');
    expect(fittingProfiles(d)).toEqual(['specific', 'loose']);
  });
});

describe('U.S. Bank and Tangerine: one header, told apart by their rows', () => {
  it('each fixture is taken by its own profile, the other listed as a runner-up', async () => {
    expect(await fixturesFitting(['us-usbank', 'ca-tangerine'])).toEqual({
      'ca-tangerine': ['ca-tangerine-credit-card-2026-11.csv', 'us-usbank-credit-card-2026-11.csv'],
      'us-usbank': ['ca-tangerine-credit-card-2026-11.csv', 'us-usbank-credit-card-2026-11.csv'],
    });
    const usbank = await readReal('us-usbank-credit-card-2026-11.csv');
    expect(usbank.detection.profile).toBe('us-usbank');
    expect(usbank.detection.reasons).toContain('header tie with "ca-tangerine": this profile reads 6 of the first 6 rows, better than the other');
    const tangerine = await readReal('ca-tangerine-credit-card-2026-11.csv');
    expect(tangerine.detection.profile).toBe('ca-tangerine');
    // Tangerine comes first in the built-in list and reads its rows: no tie to break
    expect(tangerine.detection.reasons.some((r) => r.startsWith('header tie'))).toBe(false);
  });

  it('U.S. Bank: every cell quoted, ISO dates, charges negative, the payment and a refund positive, the padded Name as is', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('us-usbank-credit-card-2026-11.csv');
    expect([detection.headerLine, issues, skipped, rows]).toEqual([1, [], 0, 6]);
    const row = (line: number, date: string, amount: string, text: string) => [line, date, null, 'posted', amount, 'USD', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-28', '20', 'OPENAI *CHATGPT SUBSCR  SAN FRANCISCO CA'),
      row(3, '2026-11-24', '108.25', 'ANTHROPIC               SAN FRANCISCO CA'),
      row(4, '2026-11-19', '15.91', 'CHIPOTLE 3293          SANTA CLARA   CA'),
      row(5, '2026-11-17', '-1327.9', 'PAYMENT   THANK YOU'),
      row(6, '2026-11-09', '-12.5', 'ANTHROPIC               SAN FRANCISCO CA'),
      row(7, '2026-11-03', '1050', 'OPENAI *API             SAN FRANCISCO CA'),
    ]);
  });

  it('a U.S. Bank file with one M/D/YYYY date among ISO ones: us-usbank reads more of it, and the odd date is an error on its line', async () => {
    const text = [
      '"Date","Transaction","Name","Memo","Amount"',
      '"2026-11-28","DEBIT","OPENAI *CHATGPT SUBSCR  SAN FRANCISCO CA","24692166332100458812731; 05734; ; ; ;","-20.00"',
      '"11/27/2026","DEBIT","ANTHROPIC               SAN FRANCISCO CA","24431066328458859822737; 07372; ; ; ;","-108.25"',
      '"2026-11-17","CREDIT","PAYMENT   THANK YOU","WEB AUTOMTC; 00300; ; ; ;","1327.90"',
      '',
    ].join('\n');
    const { detection, records, issues } = await readStatement(tempFile('usbank.csv', text));
    expect(detection.profile).toBe('us-usbank');
    expect(records.map((r) => r.src.line)).toEqual([2, 4]);
    expect(issues.map((i) => [i.severity, i.line, i.column])).toEqual([['error', 3, 'Date']]);
    expect(issues[0]!.message).toContain('11/27/2026');
  });
});

describe('ANZ (Australia): no header row, rows of 3 to 8 cells', () => {
  it('the fixture: DD/MM/YYYY, signed amounts with trailing zeros dropped, three cells a row', async () => {
    expect(await fixturesFitting(['au-anz'])).toEqual({ 'au-anz': ['au-anz-2026-11.csv'] });
    const { detection, records, issues, skipped, rows } = await readReal('au-anz-2026-11.csv');
    expect([detection.profile, detection.headerLine, issues, skipped, rows]).toEqual(['au-anz', 0, [], 0, 7]);
    const row = (line: number, date: string, amount: string, text: string) => [line, date, null, 'posted', amount, 'AUD', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(1, '2026-11-30', '-5', 'REVERSAL OF ACCOUNT SERVICING FEE MINIMUM $2000 IN DEPOSITS RECEIVED'),
      row(2, '2026-11-30', '5', 'ACCOUNT SERVICING FEE'),
      row(3, '2026-11-28', '31.02', 'VISA DEBIT PURCHASE CARD 4821 OPENAI *CHATGPT SUBSCR SAN FRANCISCO'),
      row(4, '2026-11-24', '108.5', 'VISA DEBIT PURCHASE CARD 4821 ANTHROPIC SAN FRANCISCO'),
      row(5, '2026-11-20', '900', 'ANZ INTERNET BANKING FUNDS TFER TRANSFER 482113 TO RENTAL MANAGER'),
      row(6, '2026-11-14', '-2707.85', 'TRANSFER FROM EXAMPLE PTY LTD WAGES 48211300'),
      row(7, '2026-11-03', '13.99', 'VISA DEBIT PURCHASE CARD 4821 NETFLIX COM MELBOURNE'),
    ]);
  });

  it('rows of 3, 5 and 8 cells in one file, DD/MM/YY dates: each read, its detail cells joined to the text', async () => {
    const text = [
      '03/11/26,"-31.02","VISA DEBIT PURCHASE CARD 4821 OPENAI *CHATGPT SUBSCR SAN FRANCISCO"',
      '05/11/26,"-900.00","ANZ INTERNET BANKING FUNDS TFER","TRANSFER 482113","RENTAL MANAGER"',
      '14/11/26,"2707.85","TRANSFER FROM EXAMPLE PTY LTD","WAGES 48211300","EXAMPLE PTY LTD","","",""',
      '',
    ].join('\n');
    const { detection, records, issues } = await readStatement(tempFile('anz.csv', text));
    expect(detection.profile).toBe('au-anz');
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.src.line, r.transactionDate, r.amount.toString(), r.description])).toEqual([
      [1, '2026-11-03', '31.02', 'VISA DEBIT PURCHASE CARD 4821 OPENAI *CHATGPT SUBSCR SAN FRANCISCO'],
      [2, '2026-11-05', '900', 'ANZ INTERNET BANKING FUNDS TFER / TRANSFER 482113 / RENTAL MANAGER'],
      [3, '2026-11-14', '-2707.85', 'TRANSFER FROM EXAMPLE PTY LTD / WAGES 48211300 / EXAMPLE PTY LTD'],
    ]);
  });

  it('a row wider than the eight columns is not ANZ; a row under three cells is not either', async () => {
    for (const text of ['03/11/2026,-31.02,OPENAI,a,b,c,d,e,f\n', '03/11/2026,-31.02\n']) {
      expect(fittingProfiles(await detect([], text))).not.toContain('au-anz');
    }
  });

  it("CommBank's header-less rows (a signed balance in the 4th cell) are not taken for ANZ, even with no credit among them", async () => {
    const text = '03/11/2026,"-31.12","OPENAI *CHATGPT SUBSCR SAN FRANCISCO US","+4384.08"\n05/11/2026,"-4.50","SAMPLE CAFE SYDNEY","+4379.58"\n';
    expect(fittingProfiles(await detect([], text))).toEqual(['au-commbank']);
  });
});

describe('rows.maxMissingCells: further for a layout without a header row only', () => {
  const headerless = (maxMissingCells: number): StatementProfileInput =>
    ({
      name: 'short-rows',
      label: 'short rows',
      header: { columns: ['D', 'A', 'T', 'X', 'Y'], row: 'none', signature: ['^\\d{4}-\\d{2}-\\d{2}$', '^-?\\d', '\\S', '', ''] },
      columns: { transactionDate: 'D', description: 'T', amount: 'A' },
      currency: 'EUR',
      amountSign: 'charges-negative',
      dates: { formats: ['YYYY-MM-DD'] },
      rows: { maxMissingCells },
    }) as StatementProfileInput;

  it('with a header row, more than 3 is refused with the reason; without one, up to 7 but fewer than the columns', () => {
    const withHeader = { ...sameHeader('h', ['YYYY-MM-DD'], '.'), rows: { maxMissingCells: 4 } };
    expect(() => resolveProfiles([withHeader])).toThrow(
      /statementProfiles\[0\]\.rows\.maxMissingCells: at most 3 cells short of a header row; up to 7 only for a layout without one/,
    );
    expect(() => resolveProfiles([headerless(4)])).not.toThrow();
    expect(() => resolveProfiles([headerless(5)])).toThrow(/rows\.maxMissingCells: a row must keep at least one of the 5 columns/);
    expect(() =>
      resolveProfiles([
        {
          ...headerless(4),
          header: { ...headerless(4).header, columns: ['D', 'A', 'T', 'X', 'Y', 'Z', 'W', 'V', 'U'], signature: Array(9).fill('') },
          rows: { maxMissingCells: 8 },
        },
      ]),
    ).toThrow(/maxMissingCells/);
  });

  it('unset, a header-less row must have every column, as before', async () => {
    const text = '2026-11-03,-20.00,OPENAI\n2026-11-04,-5.10,ANTHROPIC\n';
    expect(await detect([headerless(0)], text)).toBeNull();
    expect((await detect([headerless(2)], text))?.profile).toBe('short-rows');
    expect(await detect([headerless(1)], text)).toBeNull();
  });
});
