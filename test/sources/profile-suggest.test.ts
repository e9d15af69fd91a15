/**
 * `spendrecon profile` (issue 9): the suggester, run on every statement fixture as if no
 * profile knew the layout, must propose a profile that reads the file as its built-in
 * profile does (same lines, dates, amounts, signs and currencies). Layouts no built-in reads
 * are held to what can be said of them; what it cannot settle must be said, not guessed.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardLine } from '../../src/model.js';
import { CsvFile } from '../../src/sources/csv.js';
import type { OpenedInput } from '../../src/sources/contract.js';
import { makeStatementReader, statementReader, type StatementDetection } from '../../src/sources/statement.js';
import { builtinProfiles, resolveProfiles, statementProfileSchema } from '../../src/sources/statement-profile.js';
import { suggestionExitCode, suggestProfile, type ProfileSuggestion } from '../../src/sources/profile-suggest.js';
import { chooseAmount, amountColumns, dateFinding, numberFinding, signFinding, type ColumnCells } from '../../src/sources/profile-evidence.js';

const OLD = join(import.meta.dirname, '../../fixtures/statements');
const REAL = join(OLD, 'real');
const csvs = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.csv')).map((n) => join(dir, n));

async function open(path: string): Promise<OpenedInput> {
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

describe('suggested profiles read the fixtures as the built-in profiles do', async () => {
  const files = [...csvs(OLD), ...csvs(REAL)];
  const known = (await Promise.all(files.map(async (f) => ({ f, builtin: await builtinOf(f) })))).filter((x) => x.builtin);

  it('covers every fixture a built-in reads', () => {
    expect(known.length).toBeGreaterThanOrEqual(18);
  });

  for (const { f, builtin } of known) {
    it(f.slice(OLD.length + 1), async () => {
      // the account currency is what a user knows and passes with --currency when the file never says it
      const currency = builtin!.columns.currency === undefined ? builtin!.currency : undefined;
      const s = await suggestProfile(f, { currency });
      expect(s.problem).toBeNull();
      expect(statementProfileSchema.safeParse(s.profile).success).toBe(true);
      const others = resolveProfiles([s.profile]).filter((p) => p.name !== builtin!.name);
      const mine = await readWith(f, others);
      expect(mine.profile).toBe(s.profile!.name);
      const theirs = await readWith(f, builtinProfiles());
      expect(theirs.profile).toBe(builtin!.name);
      const byLine = new Map(mine.records.map((r) => [r.src.line, view(r)]));
      for (const r of theirs.records) expect(byLine.get(r.src.line)).toEqual(view(r));
      // what the suggestion reports is what the reader read
      expect(s.records.map((r) => [r.line, r.date, r.amount, r.currency])).toEqual(mine.records.map(view));
      expect(s.builtin).toBe(builtin!.name);
    });
  }
});

describe('layouts no built-in reads', () => {
  const suggest = (name: string, currency?: string) => suggestProfile(join(REAL, name), { currency });

  it('Bank of America checking: the summary block is preamble; the amount-less opening-balance row is listed as unread', async () => {
    const s = await suggest('us-bofa-checking-2026-11.csv', 'USD');
    expect(s.profile).toMatchObject({ header: { columns: ['Date', 'Description', 'Amount', 'Running Bal.'] }, columns: { transactionDate: 'Date', amount: 'Amount' }, amountSign: 'charges-negative', dates: { formats: ['MM/DD/YYYY'] } });
    expect(s.headerLine).toBe(7);
    expect(s.unread).toEqual([{ line: 8, column: 'Amount', message: expect.stringContaining('empty cell') }]);
    expect(s.records.map((r) => r.amount)).toEqual(['20', '-3468.55', '1250', '406.52']);
    expect(suggestionExitCode(s)).toBe(1);
  });

  it.each(['nl-ing-2026-11.csv', 'cn-alipay-2026-11.csv', 'cn-wechat-pay-2026-11.csv'])('%s: every row reads, and the unsigned amounts and the direction column are named as needing attention', async (name) => {
    const s = await suggest(name);
    expect(s.unread).toEqual([]);
    expect(s.records.length).toBe(s.dataRows);
    expect(s.records.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.date) && !r.amount.startsWith('-'))).toBe(true);
    expect(s.attention.join('\n')).toMatch(/unsigned.*looks like the direction/);
    expect(suggestionExitCode(s)).toBe(1);
  });

  it('ING Netherlands: YYYYMMDD dates, a decimal comma, EUR from the amount header', async () => {
    const s = await suggest('nl-ing-2026-11.csv');
    expect(s.profile).toMatchObject({ currency: 'EUR', numbers: { decimalMark: ',' }, dates: { formats: ['YYYYMMDD'] } });
    expect(s.records[4]).toMatchObject({ date: '2026-11-05', amount: '1020', currency: 'EUR' });
  });

  it.each(['us-wells-fargo-2026-11.csv', 'ca-td-2026-11.csv'])('%s: no header row, so nothing to propose (exit 2)', async (name) => {
    const s = await suggest(name);
    expect(s.profile).toBeNull();
    expect(s.problem).toMatch(/no header row: line 1 is already data/);
    expect(suggestionExitCode(s)).toBe(2);
  });

  it.each(['de-dkb-2026-11.csv', 'de-sparkasse-camt-2026-11.csv'])('%s: two-digit years are said to be unreadable', async (name) => {
    const s = await suggest(name);
    expect(s.profile).toBeNull();
    expect(s.problem).toMatch(/two-digit year/);
  });

  it('China Merchants Bank 2027-01 (its built-in rejects every row over the region codes in 交易地金额): the amounts read, the rows without 交易日 are listed', async () => {
    const s = await suggest('cn-cmb-credit-card-2027-01.csv');
    expect(s.profile).toMatchObject({ currency: 'CNY', amountSign: 'charges-positive', dates: { formats: ['MM/DD'] }, columns: { amount: '人民币金额' } });
    expect(s.unread.map((u) => [u.line, u.column])).toEqual([[3, '交易日'], [4, '交易日'], [5, '交易日']]);
    expect(s.records.map((r) => [r.date, r.amount])).toEqual([
      ['2026-12-30', '145.32'],
      ['2026-12-30', '2.18'],
      ['2027-01-02', '48.9'],
      ['2027-01-03', '-3.9'],
      ['2027-01-05', '72.66'],
      ['2027-01-06', '1200'],
    ]);
  });

  it('a file that never names its currency gets the placeholder XXX and a request to set it', async () => {
    const s = await suggest('us-amex-2026-11.csv');
    expect(s.profile!.currency).toBe('XXX');
    expect(s.attention.join('\n')).toMatch(/set "currency"/);
    expect(suggestionExitCode(s)).toBe(1);
  });
});

describe('evidence over the whole column', () => {
  const col = (name: string, cells: string[], index = 0): ColumnCells => ({ index, name, cells });

  it('a single day above 12 anywhere decides DD/MM; with none, the rows\' sort order decides; failing that it is flagged as a guess', () => {
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
