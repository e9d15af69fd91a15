/**
 * The suggester's rules for the layouts its fixtures once failed on (issue 9), each on a
 * small input made up here: Shift_JIS bytes, whole-yen amounts, a debit/credit pair each
 * filled on few rows, running balances, header-less odd rows, an amount in the account
 * currency beside one in the merchant's, and a non-`"` quote.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { amountColumns, chooseAmount, type ColumnCells } from '../../src/sources/profile-evidence.js';
import { quoteFinding, shiftJisFinding } from '../../src/sources/profile-suggest-open.js';
import { runningBalances } from '../../src/sources/profile-evidence-balance.js';
import { accountCurrencyAmount } from '../../src/sources/profile-evidence-currency.js';
import { sectionRowPatterns, summaryRowPatterns, zeroRowPatterns } from '../../src/sources/profile-evidence-roles.js';
import { suggestProfile } from '../../src/sources/profile-suggest.js';
import { transactionFirst } from '../../src/sources/profile-evidence-dates.js';
import { findLayout } from '../../src/sources/profile-layout.js';
import { originalTextFinding } from '../../src/sources/profile-evidence-text.js';
import { CsvFile } from '../../src/sources/csv.js';
import { makeStatementReader } from '../../src/sources/statement.js';
import { resolveProfiles } from '../../src/sources/statement-profile.js';
import type { CardLine } from '../../src/model.js';

const col = (name: string, cells: string[], index = 0): ColumnCells => ({ index, name, cells });
const POINT = { decimalMark: '.', thousandsSeparator: ',' } as const;

describe('encoding from the bytes', () => {
  // "日付,カード,ＯＰＥＮＡＩ,3120\r\n" in Shift_JIS
  const sjis = Buffer.from('93fa95742c834a815b83682c826e826f826482668260826d2c333132300d0a', 'hex');

  it('valid Shift_JIS pairs decoding to kana and kanji are Shift_JIS', () => {
    expect(shiftJisFinding(sjis)).toMatchObject({ encoding: 'shift_jis' });
    expect(shiftJisFinding(sjis)!.reason).toMatch(/3 kana and 2 kanji/);
  });

  it('Windows-1252 accented letters are not: a lead byte before a comma or a space is no pair', () => {
    expect(shiftJisFinding(Buffer.from('Caf\xe9,M\xfcller GmbH,12.00\r\n', 'latin1'))).toBeNull();
    // capitals only are half-width kana bytes, but no full-width kana: still not Shift_JIS
    expect(shiftJisFinding(Buffer.from('M\xdcNCHEN \xc4RZTE,\x8a\x8a,12.00\r\n', 'latin1'))).toBeNull();
    expect(shiftJisFinding(Buffer.from('plain ascii,12.00\n'))).toBeNull();
  });
});

describe('whole-unit amounts', () => {
  it('a column named 金額 (Japanese) is money even without decimals', () => {
    expect(amountColumns([col('利用金額', ['3120', '660', '-3000'])], POINT).map((c) => c.col.name)).toEqual(['利用金額']);
  });

  it('unnamed whole numbers are money only in a currency without a minor unit, and not when one value repeats', () => {
    const cols = [col('Column 3', ['11402', '3120', '-1200'], 2), col('Column 4', ['1', '1', '1'], 3)];
    expect(amountColumns(cols, POINT)).toEqual([]);
    expect(amountColumns(cols, POINT, true).map((c) => c.col.name)).toEqual(['Column 3']);
  });
});

describe('a debit/credit pair each filled on few rows', () => {
  const pairOf = (out: string[], inn: string[]) => chooseAmount(amountColumns([col('Uit', out), col('In', inn, 1)], POINT), out.length);

  it('is a pair when together they cover most rows, though each covers under half (an opening-balance row has neither)', () => {
    const pair = pairOf(['20.00', '', '5.00', '', '', '1.00'], ['', '7.00', '', '3.00', '', '']);
    expect(pair).toMatchObject({ kind: 'pair', debit: { col: { name: 'Uit' } }, credit: { col: { name: 'In' } } });
    expect(pair!.reason).toMatch(/never both filled on a row, one of them on 5 of 6 rows/);
    // together on only half the rows: no pair
    expect(pairOf(['20.00', '', '', '', '', '1.00'], ['', '7.00', '', '', '', ''])).toBeNull();
  });

  it('one row in twenty with both filled is rare enough; one in four is not', () => {
    const out = Array.from({ length: 20 }, (_, i) => (i % 3 ? `${i}.50` : ''));
    const inn = out.map((c, i) => (c ? (i === 1 ? '2.00' : '') : `${i}.25`));
    expect(pairOf(out, inn)).toMatchObject({ kind: 'pair', reason: expect.stringMatching(/both filled on only 1 row,/) });
    expect(pairOf(['1.00', '', '2.00', '3.00'], ['4.00', '5.00', '', ''])).toBeNull();
  });
});

describe('running balances are not the amount', () => {
  const cols = (balance: string[], amount: string[]) => amountColumns([col('Column 4', balance, 3), col('Column 7', amount, 6)], POINT);

  it('a column that moves by exactly another column from row to row is a balance, whichever comes first', () => {
    // balance before each row, oldest first: 100 − 20 = 80, 80 + 5 = 85, 85 − 1.25 = 83.75
    const [balance, amount] = cols(['100.00', '80.00', '85.00', '83.75'], ['-20.00', '5.00', '-1.25', '-3.00']);
    const found = runningBalances([balance!, amount!], 4);
    expect(found.map((f) => [f.balance.col.name, f.by.col.name])).toEqual([['Column 4', 'Column 7']]);
    expect(found[0]!.reason).toMatch(/moves by exactly the "Column 7" of one of the two rows on 3 of 3 steps/);
    // and chooseAmount, left with the rest, takes the amount (the balance came first before)
    expect(chooseAmount([balance!, amount!], 4)).toMatchObject({ amount: { col: { name: 'Column 4' } } });
  });

  it('the same for a balance after each row, newest first, with charges positive', () => {
    const [balance, amount] = cols(['83.75', '85.00', '80.00', '100.00'], ['1.25', '-5.00', '20.00', '0.00']);
    const found = runningBalances([balance!, amount!], 4);
    expect(found.map((f) => f.balance.col.name)).toEqual(['Column 4']);
    expect(found[0]!.reason).toMatch(/on 3 of 3 steps/);
  });

  it('two amount columns that do not add up are no balance', () => {
    const [a, b] = cols(['100.00', '80.00', '85.00', '83.75'], ['-20.00', '7.00', '-1.25', '-3.00']);
    expect(runningBalances([a!, b!], 4)).toEqual([]);
  });
});

describe('the quote character from the cells', () => {
  const rows = (cells: string[][]) => cells.map((fields, i) => ({ line: i + 1, fields }));

  it("a column wrapped in ' on most rows: quote '", () => {
    const found = quoteFinding(
      rows([
        ['02-11-2026', "'Huur november'"],
        ['05-11-2026', "'Kosten'"],
        ['20-11-2026', "'ICS'"],
        ['28-11-2026', "'OPENAI'"],
        ['30-11-2026', "'Etentje", " bedankt'"],
      ]),
    );
    expect(found).toMatchObject({ quote: "'" });
    expect(found!.reason).toMatch(/4 of 5 filled cells of column 2/);
    // one cell in two wrapped is no convention
    expect(
      quoteFinding(
        rows([
          ['1', "'a'"],
          ['2', "'b'"],
          ['3', 'c'],
          ['4', 'd'],
        ]),
      ),
    ).toBeNull();
  });

  it('apostrophes inside names wrap nothing', () => {
    expect(
      quoteFinding(
        rows([
          ["O'Brien", '1.00'],
          ["McDonald's", '2.00'],
          ["'t Hoekje", '3.00'],
        ]),
      ),
    ).toBeNull();
  });
});

describe('dateless rows of a header-less file', () => {
  const row = (line: number, ...fields: string[]) => ({ line, fields });
  const data = [row(2, '2026/11/3', 'OPENAI', '3120', '1', '1', '3120', ''), row(4, '2026/11/20', 'AMAZON', '-1200', '1', '1', '-1200', '')];

  it('card-holder and total lines get one skip pattern per shape, which next month’s names and totals fit too', () => {
    const { patterns, dropped } = sectionRowPatterns(
      [row(1, 'GOLD CARD USER 様', '1234-5678-9012-3***', 'GOLD CARD'), row(3, '家族カード 様', '1234-5678-9012-4***', 'GOLD CARD'), row(5, '', '', '', '', '', '1920', '')],
      data,
    );
    expect(patterns).toEqual(['^\\D+ \\d+-\\d+-\\d+-\\d+\\*\\*\\* \\D+$', '^-?\\d+$']);
    expect(dropped).toEqual([]);
    expect(new RegExp(patterns[0]!, 'iu').test('OTHER NAME 様 9876-5432-1098-7*** AMAZON CARD')).toBe(true);
    expect(new RegExp(patterns[1]!, 'iu').test('-350')).toBe(true);
  });

  it('a pattern that would also skip a dated row is dropped', () => {
    expect(sectionRowPatterns([row(3, 'NOTE', 'x', '5')], [row(2, 'n/a', 'OPENAI', '20')])).toEqual({ patterns: [], dropped: [3] });
  });

  it('a card-holder line before the first dated row does not hide that the file has no header', () => {
    const layout = findLayout([row(1, 'USER 様', '1234-****', 'GOLD CARD'), ...data, row(5, '', '', '', '', '', '1920', '')]);
    expect(layout).toMatchObject({ headerless: true, data: [{ line: 2 }, { line: 4 }], sections: [{ line: 1 }, { line: 5 }], trailer: [] });
    // a row as wide as the data before it is still refused: a preamble line, which a header-less profile cannot cut
    expect(findLayout([row(1, 'Statement', 'November', '', '', '', '', ''), ...data])).toHaveProperty('problem');
  });
});

describe('two amounts: the account currency is the amount, the other the original', () => {
  const COMMA = { decimalMark: ',', thousandsSeparator: '.' } as const;
  const cols = [col('bedrag', ['-20,00', '-42,10', '135,77'], 5), col('munt', ['USD', 'EUR', 'EUR'], 8), col('bedrag in EUR', ['-18,52', '-42,10', '135,77'], 10)];
  const pick = (given?: string, columns = cols) => {
    const cands = amountColumns(columns, COMMA);
    const first = chooseAmount(cands, 3);
    return first?.kind === 'single' ? accountCurrencyAmount(first.amount, cands, columns, 3, given) : null;
  };

  it('the column whose header names a currency, when it agrees with the other on every row in that currency', () => {
    // without the rule the first named amount is taken
    expect(chooseAmount(amountColumns(cols, COMMA), 3)).toMatchObject({ amount: { col: { name: 'bedrag' } } });
    const found = pick('EUR')!;
    expect([found.amount.col.name, found.original.col.name, found.originalCurrency.name, found.code]).toEqual(['bedrag in EUR', 'bedrag', 'munt', 'EUR']);
    expect(found.reason).toMatch(/on the 2 rows in EUR the two agree/);
  });

  it('not when the account currency given is another, nor when the two disagree on a row in that currency', () => {
    expect(pick('GBP')).toBeNull();
    const off = [cols[0]!, cols[1]!, col('bedrag in EUR', ['-18,52', '-42,00', '135,77'], 10)];
    expect(pick(undefined, off)).toBeNull();
  });
});

describe("the account's amount beside the merchant's currency and amount (Up Bank)", () => {
  // a purchase abroad is USD in "Currency" and the merchant's amount beside it; the account is charged in AUD
  const cols = [
    col('Subtotal (AUD)', ['-31.02', '-1500.00', '3200.00', '-4.50'], 7),
    col('Currency', ['USD', 'AUD', 'AUD', 'AUD'], 8),
    col('Subtotal (Transaction Currency)', ['-20.00', '-1500.00', '3200.00', '-4.50'], 9),
    col('Total (AUD)', ['-32.00', '-1500.00', '3200.00', '-5.00'], 12),
  ];
  const pick = (columns: ColumnCells[], given?: string) => {
    const cands = amountColumns(columns, POINT);
    const first = chooseAmount(cands, 4);
    return first?.kind === 'single' ? accountCurrencyAmount(first.amount, cands, columns, 4, given) : null;
  };
  const roles = (f: ReturnType<typeof pick>) => f && [f.amount.col.name, f.original.col.name, f.originalCurrency.name, f.code];

  it("a varying currency column is the original's when the chosen amount's header names one currency and the amount beside it agrees on that currency's rows", () => {
    const found = pick(cols);
    expect(roles(found)).toEqual(['Subtotal (AUD)', 'Subtotal (Transaction Currency)', 'Currency', 'AUD']);
    expect(found!.reason).toMatch(/its header names AUD; .* on the 3 rows in AUD the two agree/);
    // "Total (AUD)" adds the round-up: it disagrees on an AUD row, so it is no original
    expect(pick([cols[0]!, cols[1]!, cols[3]!])).toBeNull();
    expect(pick(cols, 'EUR')).toBeNull();
  });

  it('with no currency in any header, the account currency given decides, and the amount beside the currency column is the original', () => {
    const bare = [col('Amount', cols[0]!.cells, 7), cols[1]!, col('Local amount', cols[2]!.cells, 9)];
    expect(roles(pick(bare, 'AUD'))).toEqual(['Amount', 'Local amount', 'Currency', 'AUD']);
    expect(pick(bare)).toBeNull();
    // the given currency's rows must agree
    expect(pick(bare, 'USD')).toBeNull();
    // neither header says which: the one beside the currency column is the merchant's
    const unnamed = [col('Amount', cols[0]!.cells, 3), cols[1]!, col('Value', cols[2]!.cells, 9)];
    expect(roles(pick(unnamed, 'AUD'))).toEqual(['Amount', 'Value', 'Currency', 'AUD']);
    const swapped = [col('Amount', cols[2]!.cells, 9), cols[1]!, col('Value', cols[0]!.cells, 3)];
    expect(roles(pick(swapped, 'AUD'))).toEqual(['Value', 'Amount', 'Currency', 'AUD']);
  });

  it('the suggester proposes the original amount and its currency, and reads every line in AUD', async () => {
    const s = await suggestProfile(
      file('up-like-2026-11.csv', [
        'Time,Payee,Subtotal (AUD),Currency,Subtotal (Transaction Currency),Settled Date',
        '2026-11-29T09:12:44+11:00,OpenAI,-31.02,USD,-20.00,2026-11-30',
        '2026-11-20T08:30:00+11:00,Rent,-1500.00,AUD,-1500.00,2026-11-20',
        '2026-11-14T03:41:27+11:00,Acme Salary,3200.00,AUD,3200.00,2026-11-14',
        '2026-11-09T12:15:55+11:00,Blue Bean Cafe,-4.50,AUD,-4.50,2026-11-10',
      ]),
    );
    expect(s.profile).toMatchObject({ currency: 'AUD', columns: { amount: 'Subtotal (AUD)', originalAmount: 'Subtotal (Transaction Currency)', originalCurrency: 'Currency' } });
    expect(s.profile!.columns.currency).toBeUndefined();
    expect(s.records.map((r) => r.currency)).toEqual(['AUD', 'AUD', 'AUD', 'AUD']);
  });
});

describe('a debit/credit pair named so, one side filled on a single row (SBI Sumishin)', () => {
  it.each([
    ['出金金額(円)', '入金金額(円)'],
    ['Auszahlung Soll', 'Einzahlung Haben'],
    ['출금액', '입금액'],
  ])('"%s" and "%s" are the pair, not the fuller column alone', (out, inn) => {
    const cols = [col(out, ['3,120', '15,500', '', '50,000', '10,000'], 2), col(inn, ['', '', '300,000', '', ''], 3)];
    expect(chooseAmount(amountColumns(cols, POINT, true), 5)).toMatchObject({ kind: 'pair', debit: { col: { name: out } }, credit: { col: { name: inn } }, attention: null });
  });
});

const dir = mkdtempSync(join(tmpdir(), 'suggest-rules-'));
function file(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, [...lines, ''].join('\n'));
  return path;
}

describe('a money column with a stray cell, and balance rows with only a posting date (BancoPosta)', () => {
  const COMMA = { decimalMark: ',', thousandsSeparator: '.' } as const;
  const cells = ['3.412,60|', '1.850,00', '45,50', '4.881,57'];

  it('a header naming money takes one cell in four that does not read; an unnamed column does not', () => {
    expect(amountColumns([col('Accrediti', cells)], COMMA).map((c) => c.col.name)).toEqual(['Accrediti']);
    expect(amountColumns([col('Column 4', cells)], COMMA)).toEqual([]);
    expect(amountColumns([col('Accrediti', ['3.412,60|', 'x', '45,50', '4.881,57'])], COMMA)).toEqual([]);
  });

  it('a stray mark before the words of a balance row is left out of its skip pattern', () => {
    expect(summaryRowPatterns([{ text: '30/11/26 4.881,57 |SALDO FINALE', description: '|SALDO FINALE', dated: false, hasAmount: true }])).toEqual(['SALDO FINALE']);
  });

  it('rows with a posting date but no transaction date that name a balance are skipped, and need no posting-date fallback', async () => {
    const s = await suggestProfile(
      file('posta-2026-11.csv', [
        'Data;Valuta;Addebiti;Accrediti;Descrizione',
        '31/10/2026;;;3.412,60;SALDO INIZIALE',
        '04/11/2026;02/11/2026;18,36;;PAGAMENTO OPENAI',
        '13/11/2026;12/11/2026;93,17;;PAGAMENTO ANTHROPIC',
        '25/11/2026;25/11/2026;;1.850,00;BONIFICO STIPENDIO',
        '30/11/2026;;;5.151,07;SALDO FINALE',
      ]),
      { currency: 'EUR' },
    );
    expect(s.profile!.columns).toMatchObject({ transactionDate: 'Valuta', postedDate: 'Data', debit: 'Addebiti', credit: 'Accrediti' });
    expect(s.profile!.skip!.patterns).toEqual(['SALDO INIZIALE', 'SALDO FINALE']);
    expect(s.profile!.dates.emptyTransactionDate).toBeUndefined();
    expect(s.records.map((r) => [r.line, r.date, r.amount])).toEqual([
      [3, '2026-11-02', '18.36'],
      [4, '2026-11-12', '93.17'],
      [5, '2026-11-25', '-1850'],
    ]);
    expect(s.unread).toEqual([]);
  });
});

describe("a debit/credit pair with zero on both sides (ICICI's opening balance)", () => {
  const row = (line: number, ...fields: string[]) => ({ line, fields });
  const data = [
    row(7, '', '1', '01/11/2026', 'B/F', '0.00', '0.00', '52140.18'),
    row(8, '', '2', '03/11/2026', 'UPI/OPENAI', '1999.00', '0.00', '50141.18'),
    row(9, '', '3', '09/11/2026', 'NEFT SALARY', '0.00', '125000.00', '175141.18'),
  ];

  it("is skipped by a pattern of its own shape, which next month's opening row fits and no moving row does", () => {
    const { patterns, lines } = zeroRowPatterns(data, [4, 5], 3, POINT);
    expect(lines).toEqual([7]);
    expect(patterns).toHaveLength(1);
    const re = new RegExp(patterns[0]!, 'iu');
    expect(re.test('1 01/12/2026 B/F 0.00 0.00 131727.81')).toBe(true);
    expect(re.test('2 03/11/2026 UPI/OPENAI 1999.00 0.00 50141.18')).toBe(false);
  });

  it('a row with money on one side is no such row, and the zeros in the pattern are literal', () => {
    expect(zeroRowPatterns(data.slice(1), [4, 5], 3, POINT).patterns).toEqual([]);
    const same = [row(1, '01/11/2026', 'x', '0.00', '0.00', '5.00'), row(2, '02/11/2026', 'x', '0.00', '0.00', '5.00'), row(3, '03/11/2026', 'x', '0.00', '1.00', '5.00')];
    expect(zeroRowPatterns(same, [2, 3], 1, POINT).patterns).toHaveLength(1);
    // the money row's text would fit a pattern made with its cells as shapes only: the zeros are literal
    expect(new RegExp(zeroRowPatterns(same, [2, 3], 1, POINT).patterns[0]!, 'iu').test('03/11/2026 x 0.00 1.00 5.00')).toBe(false);
  });

  it('the suggester proposes it for a pair, and the row is not read as a zero line', async () => {
    const s = await suggestProfile(file('icici-like-2026-11.csv', ['S No.,Date,Remarks,Withdrawal,Deposit,Balance', ...data.map((r) => r.fields.slice(1).join(','))]), {
      currency: 'INR',
    });
    expect(s.profile!.skip!.patterns).toHaveLength(1);
    expect(s.records.map((r) => [r.line, r.amount])).toEqual([
      [3, '1999'],
      [4, '-125000'],
    ]);
    expect(s.reasons.join('\n')).toMatch(/line 2 has zero on both sides of the debit\/credit pair/);
  });
});

describe('rows with a cell over several lines, short of the header (Crédit Agricole)', () => {
  const lines = [
    'Date;Libellé;Débit Euros;Crédit Euros;',
    '10/11/2026;"PAIEMENT PAR CARTE ',
    'X4821 OPENAI ',
    '";22,80;',
    '11/11/2026;"VIREMENT ',
    'ACME ',
    '";;100,00;',
    '14/11/2026;"PAIEMENT PAR CARTE ',
    'X4821 ANTHROPIC ',
    '";18,40;',
  ];

  it('get rows.maxMissingCells for the cells they lack, and read', async () => {
    const s = await suggestProfile(file('ca-like-2026-11.csv', lines), { currency: 'EUR' });
    expect(s.profile!.rows).toEqual({ maxMissingCells: 1 });
    expect(s.reasons.join('\n')).toMatch(/rows.maxMissingCells 1: 2 rows with a cell over several lines are up to 1 cell short of the header's 5 \(from line 2\)/);
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => [r.line, r.amount])).toEqual([
      [2, '22.8'],
      [5, '-100'],
      [8, '18.4'],
    ]);
  });

  it('short rows on one line each need no such option', async () => {
    const s = await suggestProfile(file('short-2026-11.csv', ['Date;Text;Debit;Credit;', '10/11/2026;OPENAI;22.80;', '11/11/2026;ACME;;100.00;', '14/11/2026;ANTHROPIC;18.40;']), {
      currency: 'EUR',
    });
    expect(s.profile!.rows).toBeUndefined();
    expect(s.unread).toEqual([]);
  });
});

describe('two-digit years in every format that has them', () => {
  it('DD/MM/YY years at or above the default pivot get a pivot above them, flagged', async () => {
    const s = await suggestProfile(file('slash-yy-2071-11.csv', ['Date;Text;Amount', '03/11/71;OPENAI;-20,00', '15/11/71;SALARY;2.500,00', '29/11/71;ANTHROPIC;-5,00']), {
      currency: 'EUR',
    });
    expect(s.profile!.dates).toMatchObject({ formats: ['DD/MM/YY'], twoDigitYearPivot: 72 });
    expect(s.records.map((r) => r.date)).toEqual(['2071-11-03', '2071-11-15', '2071-11-29']);
    expect(s.attention.join('\n')).toMatch(/would be 1971 with the default pivot/);
  });
});

describe('dateless, moneyless text rows after dated rows (OCBC)', () => {
  const head = ['Transaction date,Value date,Description,Withdrawals (SGD),Deposits (SGD)'];

  it('continue the transaction above, the last one too: continuation proposed, their text joined to the description', async () => {
    const s = await suggestProfile(
      file('ocbc-like-2026-11.csv', [
        ...head,
        '28/11/2026,28/11/2026,DEBIT PURCHASE,27.45,',
        ',,26/11/26  OPENAI *CHATGPT SUBSCR',
        '25/11/2026,25/11/2026,GIRO - SALARY,,"5,200.00"',
        ',,ACME PTE LTD SALARY NOV',
        '24/11/2026,24/11/2026,DEBIT PURCHASE,134.20,',
        ',,ANTHROPIC US 21/11/26',
      ]),
      { currency: 'SGD' },
    );
    expect(s.profile!.continuation).toEqual({ join: 'description' });
    expect(s.dataRows).toBe(3);
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => [r.line, r.amount, r.description])).toEqual([
      [2, '27.45', 'DEBIT PURCHASE / 26/11/26  OPENAI *CHATGPT SUBSCR'],
      [4, '-5200', 'GIRO - SALARY / ACME PTE LTD SALARY NOV'],
      [6, '134.2', 'DEBIT PURCHASE / ANTHROPIC US 21/11/26'],
    ]);
  });

  it('one such row is no convention, and a dateless row with money is none', async () => {
    const lines = [
      ...head,
      '28/11/2026,28/11/2026,DEBIT PURCHASE,27.45,',
      ',,A NOTE',
      '25/11/2026,25/11/2026,GIRO,,5.00',
      ',,SUBTOTAL,32.45,',
      '24/11/2026,24/11/2026,DEBIT PURCHASE,1.20,',
    ];
    const s = await suggestProfile(file('one-note-2026-11.csv', lines), { currency: 'SGD' });
    expect(s.profile!.continuation).toBeUndefined();
    expect(s.unread.map((u) => u.line)).toContain(3);
  });
});

describe("a dateless row holding the merchant's amount after a purchase (Rakuten Card)", () => {
  const lines = [
    '利用日,利用店名・商品名,利用者,利用金額',
    '2026/11/28,OPENAI *CHATGPT SUBSCR,本人,3120',
    ',現地利用額 20.00 USD 換算レート 156.000 換算日 11/29,,',
    '2026/11/24,ANTHROPIC,本人,15500',
    '2026/11/20,楽天市場,本人,4980',
  ];

  it('one such row is a continuation joined to originalInText, which reads the amount and currency', async () => {
    const path = file('rakuten-like-2026-11.csv', lines);
    const s = await suggestProfile(path, { currency: 'JPY' });
    expect(s.profile!.continuation).toEqual({ join: 'original', pattern: '^現地利用額' });
    expect(s.unread).toEqual([]);
    expect(s.records.map((r) => [r.line, r.amount, r.description])).toEqual([
      [2, '3120', 'OPENAI *CHATGPT SUBSCR'],
      [4, '15500', 'ANTHROPIC'],
      [5, '4980', '楽天市場'],
    ]);
    const reader = makeStatementReader(resolveProfiles([s.profile]));
    const input = { path, type: 'csv' as const, csv: await CsvFile.open(path) };
    const read: CardLine[] = [];
    for await (const b of reader.read(input, reader.detect(input)!, { timezone: 'UTC', displayPath: path })) read.push(...b.records);
    expect(read.map((r) => [r.originalAmount?.toString() ?? null, r.originalCurrency])).toEqual([
      ['20', 'USD'],
      [null, null],
      [null, null],
    ]);
  });

  it('the pattern reads amounts written with either mark, and text without an amount and a code is no original', () => {
    const found = originalTextFinding(['Betrag 1.234,50 EUR Kurs 1,1'], POINT)!;
    expect(found.numbers).toEqual({ decimalMark: ',', thousandsSeparator: '.' });
    expect(new RegExp(found.pattern, 'iu').exec('Betrag 20,00 USD')?.groups).toMatchObject({ amount: '20,00', currency: 'USD' });
    expect(originalTextFinding(['A NOTE 12 ITEMS'])).toBeNull();
    // two rows with different words before the amount share no pattern
    expect(originalTextFinding(['Local 20.00 USD', 'Foreign 5.00 EUR'])).toBeNull();
  });
});

describe('an amount before tax beside a debit/credit pair (Shine)', () => {
  const COMMA = { decimalMark: ',', thousandsSeparator: '.' } as const;
  const cols = [
    col('Débit', ['18,36', '0,00', '7,90', '93,17'], 7),
    col('Crédit', ['0,00', '1800,00', '0,00', '0,00'], 8),
    col('Montant HT', ['15,30', '1500,00', '7,90', '77,64'], 13),
  ];

  it('is not the amount: the pair filled with "0,00" is, by the names', () => {
    expect(chooseAmount(amountColumns(cols, COMMA), 4)).toMatchObject({ kind: 'pair', debit: { col: { name: 'Débit' } }, credit: { col: { name: 'Crédit' } }, attention: null });
    for (const name of ['Amount excl. VAT', 'Betrag ohne MwSt', 'Montant hors taxes']) expect(amountColumns([col(name, ['1,00'])], COMMA)[0]!.secondary, name).toBe(true);
  });
});

describe('which date column is the transaction date: charge rows only (ABN AMRO)', () => {
  const booked = col('Transactiedatum', ['20261102', '20261120', '20261128', '20261201'], 2);
  const value = col('Rentedatum', ['20261102', '20261120', '20261128', '20261130'], 5);

  it('interest value-dated before its booking is money in: no evidence, the first column is the transaction date', () => {
    // counting every row, the value date is the earlier one
    expect(transactionFirst(booked, 'YYYYMMDD', value, 'YYYYMMDD').earlierIsA).toBe(false);
    const order = transactionFirst(booked, 'YYYYMMDD', value, 'YYYYMMDD', [true, true, true, false]);
    expect(order).toMatchObject({ earlierIsA: true, differ: 1 });
    expect(order.reason).toMatch(/differ only on money-in rows \(1\)/);
  });

  it('a card purchase value-dated before its booking still decides (Commerzbank, Rabobank)', () => {
    const order = transactionFirst(booked, 'YYYYMMDD', value, 'YYYYMMDD', [true, true, true, true]);
    expect(order.earlierIsA).toBe(false);
    expect(order.reason).toMatch(/"Rentedatum" is the earlier on 1 of 1 charge rows/);
  });

  it('the suggester counts the charges its sign convention finds', async () => {
    const s = await suggestProfile(
      file('abn-like-2026-11.tab', [
        '123456780\tEUR\t20261102\t-1150,00\t20261102\tHUUR NOVEMBER',
        '123456780\tEUR\t20261120\t-23,45\t20261120\tALBERT HEIJN',
        '123456780\tEUR\t20261128\t-18,52\t20261128\tOPENAI',
        '123456780\tEUR\t20261201\t12,34\t20261130\tBasic interest',
      ]),
    );
    expect(s.profile!.columns).toMatchObject({ transactionDate: 'Transaction Date', postedDate: 'Posted Date' });
    expect(s.records.map((r) => r.date)).toEqual(['2026-11-02', '2026-11-20', '2026-11-28', '2026-12-01']);
  });
});

describe('French layouts: a key/value preamble, a delimiter the sniffer misses, a signed debit/credit pair', () => {
  const rows = (lines: string[][]) => lines.map((fields, i) => ({ line: i + 1, fields }));

  it('label/value lines narrower than the dated rows are preamble, even one holding a date (La Banque Postale)', () => {
    const layout = findLayout(
      rows([
        ['Type            ', 'CCP'],
        ['Date            ', '30/11/2026'],
        ['Solde (EUROS)   ', '2143,18'],
        [''],
        ['Date', 'Libellé', 'Montant(EUROS)'],
        ['28/11/2026', 'ACHAT CB MONOPRIX', '-32,45'],
        ['25/11/2026', 'VIREMENT DE ACME SAS', '2450,00'],
      ]),
    );
    expect('problem' in layout).toBe(false);
    if ('problem' in layout) return;
    expect(layout.header.line).toBe(5);
    expect(layout.data.map((r) => r.line)).toEqual([6, 7]);
  });

  it('a ";" file whose one comma per row wins the sniff is split by the delimiter under which cells are dates (BNP Paribas)', async () => {
    const s = await suggestProfile(
      file('bnp-like-2026-11.csv', [
        // one field wider than the rows, so ',' (two fields on every line) outscores ';' in the sniff
        'Compte de chèques;Compte de chèques;****4821;30/11/2026;;2 143,18',
        '28/11/2026;;;FACTURE CARTE MONOPRIX;-32,45',
        '25/11/2026;;;VIR SEPA RECU ACME;2 450,00',
        '13/11/2026;;;FACTURE CARTE ANTHROPIC;-93,17',
      ]),
      { currency: 'EUR' },
    );
    expect(s.problem).toBeNull();
    expect(s.delimiter).toBe(';');
    expect(s.profile!.header.row).toBe('none');
    expect(s.records.map((r) => [r.line, r.amount])).toEqual([
      [2, '32.45'],
      [3, '-2450'],
      [4, '93.17'],
    ]);
  });

  it('a pair whose one side is all negative and the other all positive is a signed pair: the signs say which is the debit', () => {
    const cols = [col('Montant A', ['', '-5,00', '', ''], 0), col('Montant B', ['+10,00', '', '+3,00', '+4,00'], 1)];
    const pair = chooseAmount(amountColumns(cols, { decimalMark: ',', thousandsSeparator: '' }), 4);
    expect(pair).toMatchObject({ kind: 'pair', debit: { col: { name: 'Montant A' } }, attention: null });
    expect(pair!.reason).toMatch(/by their signs; a signed pair .* no amountSign/);
  });

  it("a signed pair beside a reference column ('REF557201' is no currency) reads as the built-in does: no amountSign, no original amount (Caisse d'Épargne)", async () => {
    const s = await suggestProfile(
      file('ce-like-2026-11.csv', [
        'Date;Libelle;Reference;Debit;Credit',
        '27/11/2026;CB CARREFOUR;;-54,20;',
        '25/11/2026;VIR INST ACME;REF557201;;+2450,00',
        '10/11/2026;PRLV ASSURANCE;REF810344;-31,80;',
      ]),
      { currency: 'EUR' },
    );
    expect(s.problem).toBeNull();
    expect(s.profile!.columns).toMatchObject({ debit: 'Debit', credit: 'Credit' });
    expect(s.profile!.columns.originalAmount).toBeUndefined();
    expect(s.profile!.amountSign).toBeUndefined();
    expect(s.reasons.join('\n')).toMatch(/a signed pair/);
    expect(s.records.map((r) => r.amount)).toEqual(['54.2', '-2450', '31.8']);
  });
});
