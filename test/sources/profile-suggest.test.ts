/**
 * `spendrecon profile` (issue 9): the suggester, run on every statement fixture as if no
 * profile knew the layout, must propose a profile that reads the file as its built-in
 * profile does (same lines, dates, amounts, signs and currencies). Layouts no built-in reads
 * are held to what can be said of them; what it cannot settle must be said, not guessed.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { CardLine } from '../../src/model.js';
import { CsvFile } from '../../src/sources/csv.js';
import type { OpenedInput } from '../../src/sources/contract.js';
import { openInput } from '../../src/sources/index.js';
import { makeStatementReader, statementReader, type StatementDetection } from '../../src/sources/statement.js';
import { builtinProfiles, resolveProfiles, statementProfileSchema } from '../../src/sources/statement-profile.js';
import { suggestionExitCode, suggestProfile, type ProfileSuggestion } from '../../src/sources/profile-suggest.js';
import { chooseAmount, amountColumns, numberFinding, signFinding, type ColumnCells } from '../../src/sources/profile-evidence.js';
import { dateFinding } from '../../src/sources/profile-evidence-dates.js';
import { directionFinding, originalFinding, signaturePattern, summaryRowPatterns } from '../../src/sources/profile-evidence-roles.js';

const OLD = join(import.meta.dirname, '../../fixtures/statements');
const REAL = join(OLD, 'real');
const withExtension = (ext: string) => (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith(ext))
    .map((n) => join(dir, n));
const csvs = withExtension('.csv');
const workbooks = withExtension('.xlsx');

/** A CSV as the statement reader is given it; an .xlsx as its first sheet's grid. */
async function open(path: string): Promise<OpenedInput> {
  if (path.endsWith('.xlsx')) return openInput(path);
  return { path, type: 'csv', csv: await CsvFile.open(path) };
}

async function readWith(path: string, profiles: ReturnType<typeof resolveProfiles>): Promise<{ profile: string | null; records: CardLine[] }> {
  const reader = makeStatementReader(profiles);
  const input = await open(path);
  const det = reader.detect(input) as StatementDetection | null;
  if (!det) return { profile: null, records: [] };
  const records: CardLine[] = [];
  for await (const b of reader.read(input, det, { timezone: 'UTC', displayPath: path })) records.push(...b.records);
  return { profile: det.profile, records };
}

const view = (r: CardLine) => [r.src.line, r.transactionDate, r.amount.toString(), r.currency];

/** Which built-in reads each fixture (some of its rows), found by reading it, not from a list kept by hand. */
async function builtinOf(path: string) {
  const det = statementReader.detect(await open(path)) as StatementDetection | null;
  if (!det || det.missingRequired.length > 0) return null;
  const read = await readWith(path, builtinProfiles());
  return read.records.length ? builtinProfiles().find((p) => p.name === det.profile)! : null;
}

/** The file has its built-in's currency column (an optional one may be absent, as fr-bank's Devise is from Fortuneo's file). */
async function namesCurrency(path: string, builtin: NonNullable<Awaited<ReturnType<typeof builtinOf>>>): Promise<boolean> {
  const column = builtin.columns.currency;
  if (column === undefined) return false;
  const det = statementReader.detect(await open(path)) as StatementDetection;
  if (det.headerLine === 0) return true;
  const input = await open(path);
  const rows = input.type === 'csv' ? input.csv.head : input.type === 'sheet' ? input.sheet.rows : [];
  const header = rows.find((r) => r.line === det.headerLine);
  const key = (s: string) => s.normalize('NFKC').trim().toLowerCase();
  return !!header && header.fields.some((f) => [column].flat().some((c) => key(c) === key(f)));
}

describe('suggested profiles read the fixtures as the built-in profiles do', async () => {
  const files = [...csvs(OLD), ...csvs(REAL), ...workbooks(REAL)];
  const known = (await Promise.all(files.map(async (f) => ({ f, builtin: await builtinOf(f) })))).filter((x) => x.builtin);

  it('covers every fixture a built-in reads', () => {
    expect(known.length).toBeGreaterThanOrEqual(18);
  });

  // Fixtures the suggester does not yet read as their built-in does; `it.fails` flags the day it does.
  const suggesterGaps: Record<string, string> = {
    'real/fr-credit-mutuel-montant-2026-11.csv':
      "Date de valeur (the earlier of the two dates on line 5: '01/11/2026' beside Date '06/11/2026') is taken as the transaction date instead of Date",
    'real/de-deutsche-bank-umsaetze-2026-11.csv':
      "the closing 'Kontostand;30.11.2026;;;3.366,64;EUR' line has a date in Wert, so it counts as a data row: Währung is then filled on 6 of 7 rows, under the 90 % a currency column needs, and the file is said to name no currency",
    'real/de-postbank-umsaetze-2026-11.csv':
      "the closing 'Kontostand;1.12.2026;;;2151,19;EUR' line has a date in Wert, so it counts as a data row: Währung is then filled on 6 of 7 rows, under the 90 % a currency column needs, and the file is said to name no currency",
    'real/cn-icbc-credit-card-2026-11.csv':
      "the merchant's 交易金额(支出)/(收入) pair (20.00 美元 on line 9) is taken as the amount and 交易币种 as the currency, instead of the billed 记账金额(支出)/(收入) (145.32) in 记账币种 人民币",
    'real/cn-cgb-credit-card-2026-11.csv':
      "the merchant's 交易金额 (20.00 美元 on line 3) is taken as the amount and 交易货币 as the currency, instead of the billed 入账金额 (145.32) in 入账货币 人民币",
  };
  for (const { f, builtin } of known) {
    const name = f.slice(OLD.length + 1);
    (name in suggesterGaps ? it.fails : it)(name in suggesterGaps ? `${name} (not yet: ${suggesterGaps[name]})` : name, async () => {
      // the account currency is what a user knows and passes with --currency when the file never says it
      const currency = (await namesCurrency(f, builtin!)) ? undefined : builtin!.currency;
      const s = await suggestProfile(f, { currency });
      expect(s.problem).toBeNull();
      expect(statementProfileSchema.safeParse(s.profile).success).toBe(true);
      const others = resolveProfiles([s.profile]).filter((p) => p.name !== builtin!.name);
      const mine = await readWith(f, others);
      expect(mine.profile).toBe(s.profile!.name);
      const theirs = await readWith(f, builtinProfiles());
      expect(theirs.profile).toBe(builtin!.name);
      // the same lines, each with the same date, amount (so sign) and currency
      expect(mine.records.map(view)).toEqual(theirs.records.map(view));
      // what the suggestion reports is what the reader read
      expect(s.records.map((r) => [r.line, r.date, r.amount, r.currency])).toEqual(mine.records.map(view));
      expect(s.builtin).toBe(builtin!.name);
    });
  }
});

describe('workbooks', () => {
  it('a sheet mixing typed numbers and an amount written as text with a decimal comma: one mark reads them all, and the reader reads each as it is written', async () => {
    const zip = await JSZip.loadAsync(readFileSync(join(REAL, 'es-bbva-movimientos.xlsx')));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    const edited = sheet.replace(/<c r="F9"([^>]*)><v>-18.15<\/v><\/c>/, '<c r="F9"$1 t="inlineStr"><is><t>-1.018,15</t></is></c>');
    expect(edited).not.toBe(sheet);
    zip.file('xl/worksheets/sheet1.xml', edited);
    const path = join(mkdtempSync(join(tmpdir(), 'suggest-xlsx-')), 'bbva-text-amount.xlsx');
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const s = await suggestProfile(path);
    expect(s.profile).toMatchObject({ columns: { amount: 'Importe', currency: 'Divisa' }, numbers: { decimalMark: ',', thousandsSeparator: '.' } });
    expect(s.profile).not.toHaveProperty('delimiter');
    expect(s.reasons.join('\n')).toMatch(/amounts written as text have a decimal comma \(e\.g\. "-1\.018,15"\)/);
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => r.amount)).toEqual(['-2150', '21.78', '46.35', '1018.15', '25', '750', '4.84']);
  });
});

describe('what the new profile options read, proposed from the evidence', () => {
  const suggest = (name: string, currency?: string) => suggestProfile(join(REAL, name), { currency });

  it('Bank of America checking: the summary block is preamble; the amount-less opening-balance row gets a skip pattern', async () => {
    const s = await suggest('us-bofa-checking-2026-11.csv', 'USD');
    expect(s.profile).toMatchObject({
      header: { columns: ['Date', 'Description', 'Amount', 'Running Bal.'] },
      columns: { transactionDate: 'Date', amount: 'Amount' },
      amountSign: 'charges-negative',
      dates: { formats: ['MM/DD/YYYY'] },
    });
    expect(s.headerLine).toBe(7);
    const skip = s.profile!.skip!.patterns!;
    expect(skip).toHaveLength(1);
    // the same row of next month's file is skipped too; a transaction naming a balance is not
    expect(new RegExp(skip[0]!, 'iu').test('12/01/2026 Beginning balance as of 12/01/2026 1,020.00')).toBe(true);
    expect(new RegExp(skip[0]!, 'iu').test('11/03/2026 BALANCE TRANSFER FEE -5.00')).toBe(false);
    expect(s.reasons.join('\n')).toMatch(/line 8 reports a balance/);
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => r.amount)).toEqual(['20', '-3468.55', '1250', '406.52']);
    expect(suggestionExitCode(s)).toBe(0);
  });

  it.each([
    ['nl-ing-2026-11.csv', 'Af Bij', { Af: 'out', Bij: 'in' }, 0, 2], // the third Bij row is 0,00
    ['cn-alipay-2026-11.csv', '收/支', { 支出: 'out', 收入: 'in', 不计收支: 'neither' }, 2, 1],
    ['cn-wechat-pay-2026-11.csv', '收/支', { 支出: 'out', 收入: 'in', '/': 'neither' }, 3, 1],
  ])('%s: unsigned amounts take their direction from "%s"; "neither" rows are skipped, not read as charges', async (name, column, map, neither, moneyIn) => {
    const s = await suggest(name);
    expect(s.profile!.columns.direction).toBe(column);
    expect(s.profile!.directionMap).toEqual(map);
    expect(s.profile!.amountSign).toBeUndefined();
    expect(s.unread).toEqual([]);
    expect(s.records).toHaveLength(s.dataRows - neither);
    expect(s.records.filter((r) => r.amount.startsWith('-'))).toHaveLength(moneyIn);
    expect(s.reasons.join('\n')).toMatch(new RegExp(`"${column}" says the direction`));
  });

  it('ING Netherlands: YYYYMMDD dates, a decimal comma, EUR from the amount header, Bij as money in; nothing left to check', async () => {
    const s = await suggest('nl-ing-2026-11.csv');
    expect(s.profile).toMatchObject({ currency: 'EUR', numbers: { decimalMark: ',' }, dates: { formats: ['YYYYMMDD'] } });
    expect(s.records[4]).toMatchObject({ date: '2026-11-05', amount: '-1020', currency: 'EUR' });
    expect(suggestionExitCode(s)).toBe(0);
  });

  it('unsigned amounts whose direction no column states are flagged as charges to check', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'suggest-')), 'unsigned-2026-11.csv');
    writeFileSync(
      file,
      ['Date,Text,Amount,Kind', '2026-11-03,OPENAI,20.00,Kartenzahlung', '2026-11-05,SALARY,2500.00,Eingang', '2026-11-09,ANTHROPIC,5.00,Kartenzahlung', ''].join('\n'),
    );
    const s = await suggestProfile(file, { currency: 'EUR' });
    expect(s.profile!.columns.direction).toBeUndefined();
    expect(s.attention.join('\n')).toMatch(/unsigned.*"Kind" \(Kartenzahlung\/Eingang\) looks like the direction.*set columns.direction and directionMap/);
    expect(suggestionExitCode(s)).toBe(1);
  });

  it.each([
    ['us-wells-fargo-2026-11.csv', 'USD', ['Date', 'Amount', 'Column 3', 'Column 4', 'Description']],
    ['ca-td-2026-11.csv', 'CAD', ['Date', 'Description', 'Debit', 'Credit', 'Column 5']],
  ])('%s: no header row, so header.row "none", columns by position named by role, and a signature no other fixture fits', async (name, currency, columns) => {
    const s = await suggest(name, currency);
    expect(s.profile!.header).toMatchObject({ row: 'none', columns });
    expect(s.profile!.header.signature).toHaveLength(columns.length);
    expect(s.profile!.header.maxPreambleLines).toBeUndefined();
    expect(s.unread).toEqual([]);
    expect(s.records.length).toBe(s.dataRows);
    const alone = makeStatementReader(resolveProfiles([s.profile]).slice(0, 1));
    for (const other of [...csvs(OLD), ...csvs(REAL)].filter((f) => !f.endsWith(name))) expect(alone.detect(await open(other)), other).toBeNull();
  });

  it('TD: the day/month order and which column holds the charges cannot be proved from the file, so both are flagged', async () => {
    const s = await suggest('ca-td-2026-11.csv', 'CAD');
    expect(s.attention.join('\n')).toMatch(/day\/month order of "Column 1" is a guess/);
    expect(s.attention.join('\n')).toMatch(/which of "Column 3" and "Column 4" holds the charges is a guess/);
    expect(suggestionExitCode(s)).toBe(1);
  });

  it.each(['de-dkb-2026-11.csv', 'de-sparkasse-camt-2026-11.csv'])('%s: two-digit years read as 20YY with the default pivot, and the reason says so', async (name) => {
    const s = await suggest(name);
    expect(s.profile!.dates).toMatchObject({ formats: ['DD.MM.YY'] });
    expect(s.profile!.dates.twoDigitYearPivot).toBeUndefined();
    expect(s.reasons.join('\n')).toMatch(/two-digit years 26 read as 2026 \(the default pivot 69/);
    expect(s.records.every((r) => r.date.startsWith('2026-'))).toBe(true);
  });

  it('two-digit years at or above the default pivot get a pivot above them, flagged', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'suggest-')), 'old-bank-2071-11.csv');
    writeFileSync(file, ['Datum;Text;Betrag', '03.11.71;OPENAI;-20,00', '05.11.71;GEHALT;2.500,00', '09.11.71;ANTHROPIC;-5,00', ''].join('\n'));
    const s = await suggestProfile(file, { currency: 'EUR' });
    expect(s.profile!.dates).toMatchObject({ formats: ['DD.MM.YY'], twoDigitYearPivot: 72 });
    expect(s.records.map((r) => r.date)).toEqual(['2071-11-03', '2071-11-05', '2071-11-09']);
    expect(s.attention.join('\n')).toMatch(/would be 1971 with the default pivot/);
    expect(suggestionExitCode(s)).toBe(1);
  });

  it('China Merchants Bank 2027-01: repayment rows without 交易日 take 记账日; 交易地金额 is the original amount with its region codes', async () => {
    const s = await suggest('cn-cmb-credit-card-2027-01.csv');
    expect(s.profile).toMatchObject({
      currency: 'CNY',
      amountSign: 'charges-positive',
      dates: { formats: ['MM/DD'], emptyTransactionDate: 'posted-date' },
      columns: { transactionDate: '交易日', postedDate: '记账日', amount: '人民币金额', originalAmount: '交易地金额' },
      originalRegions: { US: 'USD', CN: 'CNY' },
    });
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => [r.line, r.date, r.amount])).toEqual([
      [3, '2026-12-28', '-2.46'],
      [4, '2026-12-29', '-512.3'],
      [5, '2026-12-31', '-40'],
      [6, '2026-12-30', '145.32'],
      [7, '2026-12-30', '2.18'],
      [8, '2027-01-02', '48.9'],
      [9, '2027-01-03', '-3.9'],
      [10, '2027-01-05', '72.66'],
      [11, '2027-01-06', '1200'],
    ]);
    expect(suggestionExitCode(s)).toBe(0);
  });

  it('a region code no table knows is named for the user to map', () => {
    const f = originalFinding([{ index: 5, name: 'Local amount', cells: ['20.00(US)', '7.00(ZZ)', '3.00'] }], { decimalMark: '.', thousandsSeparator: ',' })!;
    expect(f.regions).toEqual({ US: 'USD' });
    expect(f.attention).toMatch(/region code ZZ in "Local amount": add the currency spent there to "originalRegions"/);
  });

  it('a file that never names its currency gets the placeholder XXX and a request to set it', async () => {
    const s = await suggest('us-amex-2026-11.csv');
    expect(s.profile!.currency).toBe('XXX');
    expect(s.attention.join('\n')).toMatch(/set "currency"/);
    expect(suggestionExitCode(s)).toBe(1);
  });

  it('a file with no dated row at all: nothing to propose (exit 2)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'suggest-')), 'notes.csv');
    writeFileSync(file, 'a,b,c\nsome,text,here\n');
    const s = await suggestProfile(file);
    expect(s.problem).toMatch(/no row has a date/);
    expect(suggestionExitCode(s)).toBe(2);
  });
});

describe('evidence over the whole column', () => {
  const col = (name: string, cells: string[], index = 0): ColumnCells => ({ index, name, cells });

  it("a single day above 12 anywhere decides DD/MM; with none, the rows' sort order decides; failing that it is flagged as a guess", () => {
    expect(dateFinding(col('d', ['01/02/2026', '05/02/2026', '14/02/2026']), false)!.format).toBe('DD/MM/YYYY');
    expect(dateFinding(col('d', ['01/02/2026', '01/05/2026', '02/14/2026']), true)!.format).toBe('MM/DD/YYYY');
    // sorted by date only when read day first: 1 Feb, 5 Feb, 3 Mar, 8 Apr, 9 Apr, 2 May, 7 May
    const sorted = dateFinding(col('d', ['01/02/2026', '05/02/2026', '03/03/2026', '08/04/2026', '09/04/2026', '02/05/2026', '07/05/2026']), false)!;
    expect(sorted).toMatchObject({ format: 'DD/MM/YYYY', attention: null });
    const guess = dateFinding(col('d', ['01/02/2026', '02/03/2026']), true)!;
    expect(guess.format).toBe('DD/MM/YYYY');
    expect(guess.attention).toMatch(/guess/);
  });

  it('the decimal mark comes from cells that read under one mark only', () => {
    expect(numberFinding(['-43,06', '1.198,20', '20', '1.450']).format).toEqual({ decimalMark: ',', thousandsSeparator: '.' });
    expect(numberFinding(['1 150,00', '21,74']).format).toEqual({ decimalMark: ',', thousandsSeparator: ' ' });
    expect(numberFinding(['1,250.00', '-20.00', '7']).format.decimalMark).toBe('.');
  });

  it('two money columns never both filled are a debit/credit pair; names say which is which', () => {
    const cols = [col('Out', ['20.00', '', '5.00', '12.00']), col('In', ['', '500.00', '', ''], 1)];
    const pair = chooseAmount(amountColumns(cols, { decimalMark: '.', thousandsSeparator: ',' }), 4);
    expect(pair).toMatchObject({ kind: 'pair', debit: { col: { name: 'Out' } }, credit: { col: { name: 'In' } } });
    expect(pair!.kind === 'pair' && pair!.attention).toMatch(/guess/);
    const named = chooseAmount(amountColumns([col('Credit', ['', '5.00', '']), col('Debit', ['1.00', '', '2.00'], 1)], { decimalMark: '.', thousandsSeparator: ',' }), 3);
    expect(named).toMatchObject({ kind: 'pair', debit: { col: { name: 'Debit' } }, attention: null });
  });

  it('a direction column: two or three recurring words for out, in or neither; the one nearest the amount', () => {
    const amount = col('Betrag', ['5,00', '7,00', '9,00', '1,00'], 3);
    expect(directionFinding([col('S/H', ['S', 'H', 'S', 'S'], 4)], amount, 4)!.map).toEqual({ S: 'out', H: 'in' });
    const far = col('Type', ['Debit', 'Credit', 'Debit', 'Debit'], 0);
    const near = col('Dr/Cr', ['DR', 'CR', 'DR', 'DR'], 2);
    expect(directionFinding([far, near], amount, 4)!.col.name).toBe('Dr/Cr');
    // a value that is no direction word, or no "out" at all, is not a direction column
    expect(directionFinding([col('Kind', ['Debit', 'Credit', 'Fee', 'Debit'], 4)], amount, 4)).toBeNull();
    expect(directionFinding([col('Kind', ['Credit', 'Credit', 'Credit', 'H'], 4)], amount, 4)).toBeNull();
  });

  it('a header-less signature: each column by its cells, blank allowed where seen, and it fits every row it came from', () => {
    const fmt = { decimalMark: '.', thousandsSeparator: ',' } as const;
    const cols = [
      col('c1', ['11/28/2026', '1/5/2027']),
      col('c2', ['-1,250.00', '20.00']),
      col('c3', ['*', '*']),
      col('c4', ['', '1042']),
      col('c5', ['PAYROLL', '']),
      col('c6', ['$5.00', '7']),
    ];
    const sig = cols.map((c) => signaturePattern(c, fmt));
    expect(sig.slice(0, 4)).toEqual(['^\\d+\\/\\d+\\/\\d+$', '^[-+]?[\\d,]*\\.?\\d+$', '^\\*$', '^\\d*$']);
    cols.forEach((c, i) => {
      for (const cell of c.cells) expect(new RegExp(sig[i]!, 'iu').test(cell), `${sig[i]} on ${cell}`).toBe(true);
    });
    expect(new RegExp(sig[1]!, 'iu').test('Amount')).toBe(false);
  });

  it('balance and subtotal rows without an amount or a date become skip patterns; transactions naming a balance do not', () => {
    const row = (description: string, dated: boolean, hasAmount: boolean) => ({ text: `x ${description}`, description, dated, hasAmount });
    expect(
      summaryRowPatterns([
        row('Opening balance 01.11.2026', true, false),
        row('Zwischensumme Seite 1', false, true),
        row('Balance transfer fee', true, true),
        row('Closing balance', true, true),
      ]),
    ).toEqual(['Opening balance \\d+\\.\\d+\\.\\d+', 'Zwischensumme Seite \\d+']);
  });

  it('balances and identifiers are never the amount', () => {
    const cols = [col('Balance', ['100.00', '80.00']), col('Account #', ['-41002', '-41002'], 1), col('Value', ['-20.00', '-5.00'], 2)];
    const a = chooseAmount(amountColumns(cols, { decimalMark: '.', thousandsSeparator: ',' }), 2);
    expect(a).toMatchObject({ kind: 'single', amount: { col: { name: 'Value' } } });
  });

  it('the sign of most amounts is the sign of a charge, with the money-in rows as evidence', () => {
    const [amount] = amountColumns([col('Amount', ['12.00', '30.00', '-500.00'])], { decimalMark: '.', thousandsSeparator: ',' });
    const s = signFinding(amount!, ['SHOP', 'OPENAI', 'PAYMENT - THANK YOU']);
    expect(s).toMatchObject({ sign: 'charges-positive', attention: null });
    expect(s.reason).toMatch(/1 of 3 amounts .* negative.*0 are positive and 1 negative/);
  });
});

describe('a layout made up here', () => {
  const dir = mkdtempSync(join(tmpdir(), 'suggest-'));

  it('preamble, DR/CR markers, a status column and a totals trailer all land in the profile and read back', async () => {
    const file = join(dir, 'acme-bank-2026-11.csv');
    writeFileSync(
      file,
      [
        'ACME Bank plc;statement',
        'Account;12345678',
        'Posted on;Narrative;Value;State',
        '03.11.2026;OPENAI *API;"20,00 DR";Booked',
        '05.11.2026;SALARY NOVEMBER;"2.500,00 CR";Booked',
        '28.11.2026;ANTHROPIC;"5,00 DR";Pending',
        'Closing balance;;"2.475,00 CR";',
        '',
      ].join('\r\n'),
    );
    const s: ProfileSuggestion = await suggestProfile(file, { currency: 'GBP' });
    expect(s.profile).toMatchObject({
      name: 'acme-bank',
      header: { columns: ['Posted on', 'Narrative', 'Value', 'State'], maxPreambleLines: 4 },
      delimiter: ';',
      columns: { transactionDate: 'Posted on', description: 'Narrative', amount: 'Value', status: 'State' },
      currency: 'GBP',
      statusMap: { Booked: 'posted', Pending: 'pending' },
      numbers: { decimalMark: ',' },
      trailer: { patterns: ['^Closing'] },
    });
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => [r.date, r.amount, r.status])).toEqual([
      ['2026-11-03', '20', 'posted'],
      ['2026-11-05', '-2500', 'posted'],
      ['2026-11-28', '5', 'pending'],
    ]);
    expect(suggestionExitCode(s)).toBe(0);
  });
});
