import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CardLine, Detection, InputIssue } from '../../src/model.js';
import { CsvFile } from '../../src/sources/csv.js';
import { makeStatementReader, parseStatementRows, statementReader, type StatementDetection } from '../../src/sources/statement.js';
import {
  builtinProfiles,
  resolveProfiles,
  statementProfileSchema,
  StatementProfileError,
  type StatementProfile,
  type StatementProfileInput,
} from '../../src/sources/statement-profile.js';
import { open, readStatement } from './real-statement-helpers.js';

const FIX = join(import.meta.dirname, '../../fixtures/statements');
const tmp = mkdtempSync(join(tmpdir(), 'spendrecon-statement-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let tmpCount = 0;
function tmpFile(text: string | Uint8Array): string {
  const p = join(tmp, `s${tmpCount++}.csv`);
  writeFileSync(p, text);
  return p;
}

/** A compact, exact view of a card line: amounts as Decimal strings. */
function view(r: CardLine): unknown[] {
  return [
    r.src.line,
    r.transactionDate,
    r.postedDate,
    r.status,
    r.amount.toString(),
    r.currency,
    r.originalAmount?.toString() ?? null,
    r.originalCurrency,
    r.fee?.toString() ?? null,
    r.cardLast4,
    r.description,
  ];
}

/** The built-in profiles, in the order detection tries them (a user profile named like one replaces it in place). */
const BUILTIN_PROFILE_NAMES = [
  'us-card',
  'fintech-account',
  'cn-cmb-credit-card',
  'de-bank-giro',
  'fr-bank',
  'us-amex',
  'us-chase-legacy',
  'us-capital-one',
  'us-citi',
  'hk-hsbc-credit-card',
  'hk-hsbc-account',
  'ca-bmo-credit-card',
  'de-ing',
  'wise-account',
  'us-bofa-checking',
  'us-wells-fargo',
  'ca-td',
  'nl-ing',
  'de-dkb',
  'de-sparkasse-camt',
  'cn-alipay',
  'cn-wechat-pay',
  'cn-icbc-credit-card',
  'cn-boc-credit-card',
  'cn-cgb-credit-card',
  'uk-monzo',
  'uk-starling',
  'uk-barclays',
  'uk-lloyds',
  'uk-nationwide-midata',
  'au-commbank',
  'in-hdfc',
  'ca-rbc',
  'ramp-card',
  'in-axis',
  'au-westpac',
  'uk-amex',
  'uk-hsbc',
  'de-n26-legacy',
  'eu-n26',
  'de-commerzbank',
  'nl-bunq',
  'nl-rabobank',
  'be-kbc',
  'be-kbc-credit-card',
  'fr-boursorama',
  'eu-revolut-business',
  'jp-mufg',
  'jp-rakuten-card',
  'nl-abn-amro',
  'be-bnp-paribas-fortis',
  'be-belfius',
  'de-volksbank',
  'de-comdirect',
  'de-deutsche-bank',
  'de-targobank',
  'nl-asn',
  'uk-barclaycard',
  'uk-nationwide',
  'uk-natwest',
  'uk-monzo-2018',
  'brex-card',
  'jp-smbc-vpass',
  'it-inbank',
  'it-fineco',
  'it-fineco-xlsx',
  'es-bbva-xlsx',
  'es-santander-xlsx',
  'it-intesa-sanpaolo-xlsx',
  'it-intesa-sanpaolo-movimenti-xlsx',
  'at-easybank-credit-card',
  'at-raiffeisen',
  'it-bancoposta',
  'fr-banque-populaire',
  'fr-credit-mutuel',
  'fr-societe-generale',
  'fr-shine',
  'fr-qonto',
  'us-mercury',
  'us-discover',
  'us-apple-card',
  'ca-tangerine',
  'ca-cibc-credit-card',
  'sg-posb',
  'au-ing',
  'au-bankwest',
  'in-icici',
  'sg-ocbc',
  'fr-credit-agricole',
  'au-nab',
  'au-macquarie',
  'au-up',
  'jp-amex',
  'jp-sbi-sumishin',
  'jp-moneyforward-me',
  'us-usbank',
  'au-anz',
  'fr-la-banque-postale',
  'fr-bnp-paribas',
  'fr-bnp-paribas-2024',
  'fr-credit-mutuel-montant',
  'fr-cic-comma',
  'generic-simple',
];

const generic = (): StatementProfile => builtinProfiles().find((p) => p.name === 'generic-simple')!;

// ---------------------------------------------------------------------------

describe('statement profiles', () => {
  it('ships valid built-in profiles with unique names', () => {
    const names = builtinProfiles().map((p) => p.name);
    expect(names).toEqual(BUILTIN_PROFILE_NAMES);
    expect(new Set(names).size).toBe(names.length);
  });

  it('applies defaults: thousands separator follows the decimal mark, fee sign, empty trailer', () => {
    const p = statementProfileSchema.parse({
      name: 'x',
      label: 'X',
      header: { columns: ['D', 'T', 'A'] },
      columns: { transactionDate: 'D', description: 'T', amount: 'A' },
      currency: 'EUR',
      amountSign: 'charges-negative',
      dates: { formats: ['DD.MM.YYYY'] },
      numbers: { decimalMark: ',' },
    });
    expect(p.numbers).toEqual({ decimalMark: ',', thousandsSeparator: '.' });
    expect(p.feeSign).toBe('charges-positive');
    expect(p.trailer.patterns).toEqual([]);
    expect(p.header.maxPreambleLines).toBe(0);
    expect(p.columns.description).toEqual(['T']);
  });

  const base: StatementProfileInput = {
    name: 'my-bank',
    label: 'My bank',
    header: { columns: ['Date', 'Text', 'Amount'], optional: ['Ccy'] },
    columns: { transactionDate: 'Date', description: 'Text', amount: 'Amount', currency: 'Ccy' },
    amountSign: 'charges-negative',
    dates: { formats: ['YYYY-MM-DD'] },
  };

  function problems(raw: unknown): { path: string; message: string }[] {
    try {
      resolveProfiles([raw]);
    } catch (e) {
      if (e instanceof StatementProfileError) return e.problems;
      throw e;
    }
    throw new Error('accepted');
  }

  it.each([
    [{ ...base, columns: { ...base.columns, debit: 'Amount', credit: 'Amount' } }, 'statementProfiles[0].columns', /either columns.amount .* or columns.debit and columns.credit/],
    [{ ...base, amountSign: undefined }, 'statementProfiles[0].amountSign', /charges-negative/],
    [{ ...base, columns: { ...base.columns, reference: 'Ref' } }, 'statementProfiles[0].columns.reference', /"Ref" is not in header.columns/],
    [{ ...base, columns: { ...base.columns, amount: 'Ccy' } }, 'statementProfiles[0].columns.amount', /must be listed in header.columns/],
    [{ ...base, dates: { formats: ['DD/MM/YYYY', 'MM/DD/YYYY'] } }, 'statementProfiles[0].dates.formats', /read the same NN\/NN\/YYYY dates/],
    [{ ...base, dates: { formats: ['auto', 'DD.MM.YYYY'] } }, 'statementProfiles[0].dates.formats', /"auto" already reads/],
    [{ ...base, dates: { formats: ['MM/DD/YY', 'DD/MM/YY'] } }, 'statementProfiles[0].dates.formats', /read the same NN\/NN\/YY dates/],
    [{ ...base, dates: { formats: ['DD-MM-YYYY', 'MM-DD-YYYY'] } }, 'statementProfiles[0].dates.formats', /read the same NN-NN-YYYY dates/],
    [{ ...base, dates: { formats: ['auto', 'MM-DD-YYYY'] } }, 'statementProfiles[0].dates.formats', /"auto" already reads NN-NN-YYYY dates; drop MM-DD-YYYY/],
    [{ ...base, dates: { formats: ['DD-MM-YY'] } }, 'statementProfiles[0].dates.formats[0]', /./],
    [{ ...base, trailer: { patterns: ['(unclosed'] } }, 'statementProfiles[0].trailer.patterns[0]', /not a valid regular expression/],
    [{ ...base, encoding: 'klingon-8' }, 'statementProfiles[0].encoding', /unknown encoding/],
    [{ ...base, numbers: { decimalMark: ',', thousandsSeparator: ',' } }, 'statementProfiles[0].numbers.thousandsSeparator', /must differ/],
    [{ ...base, name: 'My Bank' }, 'statementProfiles[0].name', /lower-case/],
    [{ ...base, colums: {} }, 'statementProfiles[0]', /colums/],
    [{ ...base, columns: { ...base.columns, description: ['Text', 'Memo'] } }, 'statementProfiles[0].columns.description[1]', /"Memo"/],
  ])('rejects a bad profile with the JSON path (%#)', (raw, path, message) => {
    const ps = problems(raw);
    expect(ps.map((p) => p.path)).toContain(path);
    expect(ps.find((p) => p.path === path)!.message).toMatch(message);
  });

  it('reports every bad user profile at once, with its index', () => {
    try {
      resolveProfiles([base, { ...base, name: 'b', dates: { formats: [] } }, { ...base, name: 'my-bank' }]);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(StatementProfileError);
      const err = e as StatementProfileError;
      expect(err.problems.map((p) => p.path)).toEqual(['statementProfiles[1].dates.formats', 'statementProfiles[2].name']);
      expect(err.message).toContain('statementProfiles[2].name: profile name "my-bank" is already used by statementProfiles[0]');
    }
  });

  it('puts user profiles first; one named like a built-in replaces it', () => {
    const mine = { ...base, name: 'us-card' };
    const all = resolveProfiles([mine], 'config.statementProfiles');
    expect(all.map((p) => p.name)).toEqual(BUILTIN_PROFILE_NAMES);
    expect(all[0]!.label).toBe('My bank');
    expect(resolveProfiles([]).map((p) => p.name)).toEqual(builtinProfiles().map((p) => p.name));
    try {
      resolveProfiles([{ ...base, label: '' }], 'config.statementProfiles');
    } catch (e) {
      expect((e as StatementProfileError).problems[0]!.path).toBe('config.statementProfiles[0].label');
    }
  });

  it('a reader refuses two profiles with one name', () => {
    expect(() => makeStatementReader([generic(), generic()])).toThrow(/listed twice/);
  });
});

// ---------------------------------------------------------------------------

describe('detection', () => {
  it.each([
    ['us-card-2026-10.csv', 'us-card', 1, 'utf-8', ','],
    ['fintech-2026-10.csv', 'fintech-account', 1, 'utf-8', ','],
    ['cmb-credit-card-2026-12.csv', 'cn-cmb-credit-card', 3, 'gb18030', ','],
    ['cmb-credit-card-2026-11.csv', 'cn-cmb-credit-card', 3, 'gb18030', ','],
    ['de-bank-giro-2026-10.csv', 'de-bank-giro', 6, 'windows-1252', ';'],
    ['de-bank-giro-2026-11-utf8bom.csv', 'de-bank-giro', 3, 'utf-8', ';'],
    ['fr-bank-2026-11.csv', 'fr-bank', 3, 'utf-8', ';'],
    ['generic-2026-10-utf16.csv', 'generic-simple', 1, 'utf-16le', '\t'],
  ])('%s → profile %s, header line %i, %s, %j', async (file, profile, headerLine, encoding, delimiter) => {
    const input = await open(join(FIX, file));
    const d = statementReader.detect(input) as StatementDetection;
    expect(d).not.toBeNull();
    expect(d.format).toBe('statement');
    expect(d.profile).toBe(profile);
    expect(d.headerLine).toBe(headerLine);
    expect(d.encoding).toBe(encoding);
    expect(d.delimiter).toBe(delimiter);
    expect(d.confidence).toBeGreaterThan(0.9);
    expect(d.missingRequired).toEqual([]);
    expect(d.reasons[0]).toContain(`profile "${profile}"`);
    expect(d.reasons.some((r) => r.startsWith('matched columns: '))).toBe(true);
    expect(d.reasons[1]).toBe(`header on line ${headerLine}${headerLine > 1 ? ` after ${headerLine === 6 ? 4 : headerLine - 1} preamble line${headerLine > 2 ? 's' : ''}` : ''}`);
  });

  it('explains the match: profile, columns, preamble and unknown columns', async () => {
    const d = statementReader.detect(await open(join(FIX, 'cmb-credit-card-2026-12.csv')))!;
    expect(d.reasons).toEqual([
      'profile "cn-cmb-credit-card" (China Merchants Bank credit card statement (招商银行信用卡对账单))',
      'header on line 3 after 2 preamble lines',
      'matched columns: 交易日, 记账日, 交易摘要, 人民币金额',
    ]);
    const extra = tmpFile('Transaction Date,Post Date,Description,Category,Type,Amount,Memo,Rewards\n10/01/2026,10/02/2026,OPENAI *API,Shopping,Sale,-5.00,,5\n');
    const d2 = statementReader.detect(await open(extra))!;
    expect(d2.unknownColumns).toEqual(['Rewards']);
    expect(d2.confidence).toBeLessThan(0.99);
  });

  it('sniffs Windows-1252 umlauts correctly although they also decode as GB18030 pairs', async () => {
    const input = await open(join(FIX, 'de-bank-giro-2026-10.csv'));
    expect(input.csv.encoding.encoding).toBe('windows-1252');
  });

  it('an explicit encoding option wins over the profile (no silent re-decoding)', async () => {
    const input = await open(join(FIX, 'de-bank-giro-2026-10.csv'), { encoding: 'gb18030' });
    expect(input.csv.encoding.reason).toBe('set by option');
    expect(statementReader.detect(input)).toBeNull(); // the header does not read as German under GB18030
  });

  it('uses the profile delimiter when the file was opened with another one', async () => {
    const r = await readStatement(join(FIX, 'de-bank-giro-2026-11-utf8bom.csv'), statementReader, {}, { delimiter: ',' });
    expect(r.input.csv.delimiter).toBe(',');
    expect(r.detection.delimiter).toBe(';');
    expect(r.records.map((x) => x.amount.toString())).toEqual(['21.55', '4.8', '17.3']);
    expect(r.input.csv.sha256).toMatch(/^[0-9a-f]{64}$/); // hash handed back to the file the caller opened
  });

  it('does not claim other CSVs or JSON', async () => {
    const usage = tmpFile('start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests\n1,2,a,b,p,3\n');
    expect(statementReader.detect(await open(usage))).toBeNull();
    const payments = tmpFile('paid_at,reference,amount,currency,status,kind,organization,card_last4,description\n2026-10-01T00:00:00Z,r,10.00,USD,paid,manual,,,x\n');
    expect(statementReader.detect(await open(payments))).toBeNull();
    expect(statementReader.detect({ path: 'x.json', type: 'json', sample: {}, jsonLines: false })).toBeNull();
  });

  it('finds the header only within maxPreambleLines', async () => {
    const pre = Array.from({ length: 6 }, (_, i) => `Note ${i}`).join('\n');
    const p = tmpFile(`${pre}\nDate,Description,Amount,Currency\n2026-10-01,OPENAI *API,-5.00,USD\n`);
    expect(statementReader.detect(await open(p))).toBeNull(); // generic allows 5
    const ok = tmpFile(`${pre.split('\n').slice(1).join('\n')}\nDate,Description,Amount,Currency\n2026-10-01,OPENAI *API,-5.00,USD\n`);
    expect((statementReader.detect(await open(ok)) as StatementDetection).headerLine).toBe(6);
  });

  it('a layout one column short is reported with the missing column, at low confidence, and reading it is a file error', async () => {
    const p = tmpFile('Transaction Date,Post Date,Description,Type,Amount\n10/01/2026,10/02/2026,OPENAI *API,Sale,-5.00\n');
    const input = await open(p);
    const d = statementReader.detect(input)!;
    expect(d.missingRequired).toEqual(['Category']);
    expect(d.confidence).toBeLessThan(0.5);
    expect(d.reasons).toContain('missing columns: Category');
    const issues: InputIssue[] = [];
    for await (const b of statementReader.read(input, d, { timezone: 'UTC', displayPath: 'short.csv' })) issues.push(...b.issues);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        file: 'short.csv',
        line: 1,
        column: 'Category',
        message: 'not readable as profile "us-card": the header row on line 1 lacks column "Category"',
      }),
    ]);
  });

  it('prefers a user profile on a tie and names the runner-up', async () => {
    const mine = resolveProfiles([{ ...(generic() as unknown as Record<string, unknown>), name: 'my-export', label: 'My export' }]);
    const reader = makeStatementReader(mine);
    const d = reader.detect(await open(join(FIX, 'generic-2026-10-utf16.csv')))!;
    expect((d as StatementDetection).profile).toBe('my-export');
    expect(d.reasons.some((r) => r.startsWith('also fits profile "generic-simple"'))).toBe(true);
  });

  it('reads with a plain Detection (no profile) by detecting again', async () => {
    const input = await open(join(FIX, 'us-card-2026-10.csv'));
    const plain: Detection = { format: 'statement', label: 'x', confidence: 1, reasons: [], missingRequired: [], unknownColumns: [] };
    let n = 0;
    for await (const b of statementReader.read(input, plain, { timezone: 'UTC', displayPath: 'us.csv' })) n += b.records.length;
    expect(n).toBe(14);
  });
});

// ---------------------------------------------------------------------------

describe('reading the fixtures', () => {
  it('US card: charges negative → positive, pending without Post Date, refund/payment/reversal negative', async () => {
    const r = await readStatement(join(FIX, 'us-card-2026-10.csv'));
    expect(r.issues).toEqual([]);
    expect(r.records.map(view)).toEqual([
      [2, '2026-10-31', null, 'pending', '50', 'USD', null, null, null, null, 'OPENAI *API'],
      [3, '2026-10-30', '2026-11-01', 'posted', '84.17', 'USD', null, null, null, null, 'WHOLEFDS MKT 10234'],
      [4, '2026-10-28', '2026-10-29', 'posted', '20', 'USD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR'],
      [5, '2026-10-25', '2026-10-26', 'posted', '-20', 'USD', null, null, null, null, 'OPENAI'],
      [6, '2026-10-22', '2026-10-22', 'posted', '-1250', 'USD', null, null, null, null, 'AUTOMATIC PAYMENT - THANK YOU'],
      [7, '2026-10-21', '2026-10-22', 'posted', '20', 'USD', null, null, null, null, 'OPENAI *API'],
      [8, '2026-10-21', '2026-10-22', 'posted', '-20', 'USD', null, null, null, null, 'OPENAI *API'],
      [9, '2026-10-18', '2026-10-19', 'posted', '29.99', 'USD', null, null, null, null, 'DEEPL SE KOELN'],
      [10, '2026-10-18', '2026-10-19', 'posted', '0.9', 'USD', null, null, null, null, 'FOREIGN TRANSACTION FEE'],
      [11, '2026-10-15', '2026-10-16', 'posted', '100', 'USD', null, null, null, null, 'OPENAI *API'],
      [12, '2026-10-12', '2026-10-13', 'posted', '45.32', 'USD', null, null, null, null, 'SHELL OIL 57442261'],
      [13, '2026-10-07', '2026-10-08', 'posted', '120', 'USD', null, null, null, null, 'OpenAI LLC'],
      [14, '2026-10-03', '2026-10-04', 'posted', '63.4', 'USD', null, null, null, null, 'TRADER JOE S #552'],
      [15, '2026-10-01', '2026-10-02', 'posted', '25', 'USD', null, null, null, null, 'OPENAI *API'],
    ]);
    expect(r.records.every((x) => x.profile === 'us-card' && x.src.file === 'us-card-2026-10.csv' && x.reference === null)).toBe(true);
    expect(r.skipped).toBe(0);
    expect(r.rows).toBe(14);
  });

  it('fintech: State mapped to statuses, date-times cut to dates, separate Fee, empty Completed Date', async () => {
    const r = await readStatement(join(FIX, 'fintech-2026-10.csv'));
    expect(r.issues).toEqual([]);
    expect(r.records.map(view)).toEqual([
      [2, '2026-10-01', '2026-10-01', 'posted', '-500', 'USD', null, null, null, null, 'Top-up by *4821'],
      [3, '2026-10-03', '2026-10-04', 'posted', '20', 'USD', null, null, null, null, 'OpenAI'],
      [4, '2026-10-05', '2026-10-06', 'posted', '32.85', 'USD', null, null, '0.35', null, 'Tesco Stores 3125'],
      [5, '2026-10-09', null, 'reversed', '50', 'USD', null, null, null, null, 'OpenAI'],
      [6, '2026-10-09', '2026-10-10', 'posted', '50', 'USD', null, null, null, null, 'OpenAI'],
      [7, '2026-10-12', null, 'declined', '20', 'USD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR'],
      [8, '2026-10-14', '2026-10-15', 'posted', '-20', 'USD', null, null, null, null, 'Refund from OpenAI'],
      [9, '2026-10-20', '2026-10-21', 'posted', '15.99', 'USD', null, null, null, null, 'Amazon'],
      [10, '2026-10-25', '2026-10-25', 'posted', '7.99', 'USD', null, null, null, null, 'Premium plan fee'],
      [11, '2026-10-30', null, 'pending', '100', 'USD', null, null, null, null, 'OpenAI'],
    ]);
  });

  it('China Merchants Bank (GB18030): year-less dates across December/January from the period line, 20.00(USD), preamble and trailer skipped', async () => {
    const r = await readStatement(join(FIX, 'cmb-credit-card-2026-12.csv'));
    expect(r.input.csv.encoding.encoding).toBe('gb18030');
    expect(r.issues).toEqual([]);
    expect(r.records.map(view)).toEqual([
      [4, '2026-12-06', '2026-12-07', 'posted', '45.8', 'CNY', null, null, null, '1234', '财付通-美团外卖'],
      [5, '2026-12-15', '2026-12-16', 'posted', '145.32', 'CNY', '20', 'USD', null, '1234', 'OPENAI *API'],
      [6, '2026-12-15', '2026-12-16', 'posted', '2.18', 'CNY', null, null, null, '1234', '境外交易手续费 OPENAI *API'],
      [7, '2026-12-20', '2026-12-21', 'posted', '145.1', 'CNY', '20', 'USD', null, '1234', 'OPENAI *CHATGPT SUBSCR'],
      [8, '2026-12-28', '2026-12-29', 'posted', '362.75', 'CNY', '50', 'USD', null, '1234', 'OPENAI *API'],
      [9, '2026-12-31', '2027-01-02', 'posted', '726', 'CNY', '100', 'USD', null, '1234', 'OpenAI LLC'],
      [10, '2027-01-02', '2027-01-03', 'posted', '-145.2', 'CNY', '-20', 'USD', null, '1234', 'OPENAI *API'],
      [11, '2027-01-03', '2027-01-04', 'posted', '88.6', 'CNY', null, null, null, '1234', '盒马鲜生'],
      [12, '2027-01-03', '2027-01-04', 'posted', '1102', 'CNY', '47.5', 'KWD', null, '5678', 'KUWAIT AIRWAYS'],
    ]);
    expect(r.skipped).toBe(3); // title, period line, 本期应还金额 trailer
    expect(r.rows).toBe(12);
  });

  it('China Merchants Bank: a statement-month line (2026年11月) places October and November', async () => {
    const r = await readStatement(join(FIX, 'cmb-credit-card-2026-11.csv'));
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.transactionDate, x.postedDate, x.amount.toString(), x.originalAmount?.toString() ?? null])).toEqual([
      ['2026-10-06', '2026-10-07', '72.61', '10'],
      ['2026-10-18', '2026-10-19', '38', null],
      ['2026-10-29', '2026-10-30', '145.06', '20'],
      ['2026-11-02', '2026-11-03', '217.8', '30'],
      ['2026-11-03', '2026-11-04', '-72.61', '-10'],
    ]);
  });

  it('German bank (Windows-1252, ;): decimal comma, DD.MM.YYYY, preamble with a blank line, balance trailer', async () => {
    const r = await readStatement(join(FIX, 'de-bank-giro-2026-10.csv'));
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.src.line, x.transactionDate, x.postedDate, x.amount.toString(), x.currency])).toEqual([
      [7, '2026-10-01', '2026-10-01', '-3250', 'EUR'],
      [8, '2026-10-02', '2026-10-05', '43.06', 'EUR'],
      [9, '2026-10-02', '2026-10-05', '0.75', 'EUR'],
      [10, '2026-10-07', '2026-10-08', '67.43', 'EUR'],
      [11, '2026-10-10', '2026-10-12', '17.22', 'EUR'],
      [12, '2026-10-15', '2026-10-15', '1198.2', 'EUR'],
      [13, '2026-10-19', '2026-10-20', '86.13', 'EUR'],
      [14, '2026-10-19', '2026-10-21', '-86.13', 'EUR'],
      [15, '2026-10-22', '2026-10-22', '89', 'EUR'],
      [16, '2026-10-27', '2026-10-28', '-17.22', 'EUR'],
      [17, '2026-10-29', '2026-10-30', '172.25', 'EUR'],
    ]);
    expect(r.records[1]!.description).toBe('OpenAI LLC / Kartenzahlung / OPENAI *API Karte 4821 Orig. 50,00 USD Kurs 1,1612');
    expect(r.records[8]!.description).toBe('Stadtwerke München / Lastschrift / Strom Abschlag Oktober');
    expect(r.skipped).toBe(5); // 4 preamble lines + closing balance (blank lines are not rows)
    expect(r.rows).toBe(16);
    // the trailer's balance is not a line; the lines add up to opening − closing balance
    const out = r.records.reduce((a, x) => a.plus(x.amount), r.records[0]!.amount.minus(r.records[0]!.amount));
    expect(out.toString()).toBe('-1679.31'); // 2.345,67 → 4.024,98
  });

  it('German bank, UTF-8 with BOM and DD/MM/YYYY', async () => {
    const r = await readStatement(join(FIX, 'de-bank-giro-2026-11-utf8bom.csv'));
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.src.line, x.transactionDate, x.postedDate, x.amount.toString(), x.description])).toEqual([
      [4, '2026-11-02', '2026-11-03', '21.55', 'OpenAI LLC / Kartenzahlung / OPENAI *API Karte 4821'],
      [5, '2026-11-04', '2026-11-04', '4.8', 'Bäckerei Müller / Kartenzahlung / Brötchen und Kaffee'],
      [6, '2026-11-16', '2026-11-17', '17.3', 'OpenAI LLC / Kartenzahlung / OPENAI *CHATGPT SUBSCR Karte 4821'],
    ]);
    expect(r.skipped).toBe(3);
  });

  it('French bank: Débit/Crédit columns, thousands with (no-break) spaces, totals and balance trailer', async () => {
    const r = await readStatement(join(FIX, 'fr-bank-2026-11.csv'));
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.src.line, x.transactionDate, x.amount.toString(), x.currency, x.description])).toEqual([
      [4, '2026-11-03', '21.74', 'EUR', 'CB OPENAI *API 02/11 USD 25,00'],
      [5, '2026-11-05', '0.65', 'EUR', 'FRAIS CB HORS ZONE EURO OPENAI *API'],
      [6, '2026-11-07', '54.18', 'EUR', 'CB CARREFOUR MARKET 06/11'],
      [7, '2026-11-10', '1150', 'EUR', 'PRLV SEPA LOYER NOVEMBRE'],
      [8, '2026-11-12', '18.69', 'EUR', 'CB OPENAI *CHATGPT SUBSCR 11/11'],
      [9, '2026-11-15', '-2850', 'EUR', 'VIR SEPA SALAIRE NOVEMBRE'],
      [10, '2026-11-20', '-21.74', 'EUR', 'AVOIR CB OPENAI *API 19/11'],
    ]);
    expect(r.skipped).toBe(4); // account, period, total, balance
    expect(r.rows).toBe(11);
  });

  it('generic (UTF-16 LE with BOM, tab): auto date order decided by the whole column', async () => {
    const r = await readStatement(join(FIX, 'generic-2026-10-utf16.csv'));
    expect(r.input.csv.encoding).toMatchObject({ encoding: 'utf-16le', bomBytes: 2 });
    expect(r.issues).toEqual([]);
    expect(r.records.map((x) => [x.src.line, x.transactionDate, x.postedDate, x.status, x.amount.toString(), x.currency])).toEqual([
      [2, '2026-10-02', null, 'posted', '25', 'USD'], // 02/10/2026: DD/MM because of 15/10/2026 below
      [3, '2026-10-05', null, 'posted', '18.4', 'EUR'],
      [4, '2026-10-15', null, 'posted', '20', 'USD'],
      [5, '2026-10-16', null, 'posted', '0.6', 'USD'],
      [6, '2026-10-21', null, 'posted', '120', 'USD'],
      [7, '2026-10-24', null, 'posted', '-25', 'USD'],
    ]);
  });
});

// ---------------------------------------------------------------------------

describe('bad rows and column-wide rules', () => {
  const G = 'Date,Description,Amount,Currency\n';

  it('a bad date is an error on that row naming file, line, column and the expected format; the amount is kept', async () => {
    const p = tmpFile(
      'Transaction Date,Post Date,Description,Category,Type,Amount,Memo\n10/01/2026,10/02/2026,OPENAI *API,Shopping,Sale,-25.00,\n10/32/2026,11/01/2026,OPENAI *API,Shopping,Sale,-50.00,\nyesterday,,OPENAI,Shopping,Sale,-7.50,\n',
    );
    const r = await readStatement(p, statementReader, { displayPath: 'card.csv' });
    expect(r.records.map((x) => x.src.line)).toEqual([2]);
    expect(r.issues).toHaveLength(2);
    expect(r.issues[0]).toMatchObject({
      severity: 'error',
      file: 'card.csv',
      line: 3,
      column: 'Transaction Date',
      message: '"10/32/2026" is not a calendar date (MM/DD/YYYY)',
      rejected: true,
      currency: 'USD',
    });
    expect(r.issues[0]!.amount!.toString()).toBe('-50'); // as the file writes it
    expect(r.issues[1]).toMatchObject({ line: 4, column: 'Transaction Date', message: 'expected a date (MM/DD/YYYY), found "yesterday"' });
    expect(r.issues[1]!.amount!.toString()).toBe('-7.5');
    expect(r.rows).toBe(3);
  });

  it('a bad amount is an error naming the column; amount null', async () => {
    const p = tmpFile(`${G}2026-10-01,OPENAI *API,"12,50",USD\n2026-10-02,OPENAI *API,abc,USD\n`);
    const r = await readStatement(p, statementReader, { displayPath: 'g.csv' });
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.column, i.amount])).toEqual([
      [2, 'Amount', null],
      [3, 'Amount', null],
    ]);
    expect(r.issues[0]!.message).toMatch(/"12,50" groups digits with "," but not in threes; if "," is the decimal mark here, set numbers.decimalMark to ","/);
  });

  it('every problem of a row is reported (date and currency), in one issue for the row', async () => {
    const p = tmpFile(`${G}2026-02-30,OPENAI *API,-5.00,dollars\n`);
    const r = await readStatement(p);
    expect(r.issues.map((i) => [i.column, i.rejected, i.amount?.toString()])).toEqual([['Currency', true, '-5']]);
    expect(r.issues[0]!.message).toMatch(/^expected a currency code such as USD, found "dollars"; also Date: /);
  });

  it('auto order: an early ambiguous date is read by what the whole column says (DD/MM)', async () => {
    const p = tmpFile(`${G}02/10/2026,A,-1.00,USD\n05/10/2026,B,-2.00,USD\n28/10/2026,C,-3.00,USD\n`);
    const r = await readStatement(p);
    expect(r.records.map((x) => x.transactionDate)).toEqual(['2026-10-02', '2026-10-05', '2026-10-28']);
  });

  it('auto order: ... and MM/DD when the column says so', async () => {
    const p = tmpFile(`${G}10/02/2026,A,-1.00,USD\n10/05/2026,B,-2.00,USD\n10/28/2026,C,-3.00,USD\n`);
    const r = await readStatement(p);
    expect(r.records.map((x) => x.transactionDate)).toEqual(['2026-10-02', '2026-10-05', '2026-10-28']);
  });

  it('auto order: a column that fits both orders rejects its rows and asks for the profile date order', async () => {
    const p = tmpFile(`${G}02/10/2026,A,-1.00,USD\n05/10/2026,B,-2.00,USD\n2026-10-07,C,-3.00,USD\n`);
    const r = await readStatement(p, statementReader, { displayPath: 'amb.csv' });
    expect(r.records.map((x) => x.src.line)).toEqual([4]); // ISO dates are not ambiguous
    expect(r.issues.map((i) => [i.file, i.line, i.column, i.amount?.toString()])).toEqual([
      ['amb.csv', 2, 'Date', '-1'],
      ['amb.csv', 3, 'Date', '-2'],
    ]);
    expect(r.issues[0]!.message).toBe(
      'every date in column "Date" fits both DD/MM/YYYY and MM/DD/YYYY (e.g. "02/10/2026"); set the profile\'s date order (dates.formats "DD/MM/YYYY" or "MM/DD/YYYY" instead of "auto") (profile "generic-simple")',
    );
  });

  it('auto order: a column needing both orders rejects every slash date', async () => {
    const p = tmpFile(`${G}13/10/2026,A,-1.00,USD\n10/14/2026,B,-2.00,USD\n`);
    const r = await readStatement(p);
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => i.message)).toEqual([
      'column "Date" mixes day/month orders: "13/10/2026" needs DD/MM/YYYY but "10/14/2026" needs MM/DD/YYYY (profile "generic-simple")',
      'column "Date" mixes day/month orders: "13/10/2026" needs DD/MM/YYYY but "10/14/2026" needs MM/DD/YYYY (profile "generic-simple")',
    ]);
  });

  const CMB_HEAD = '交易日,记账日,交易摘要,人民币金额,卡号末四位,交易地金额\n';
  const gbk = (text: string): Uint8Array => {
    // only ASCII differs from the fixture, so write UTF-8: the profile also accepts it
    return new TextEncoder().encode(text);
  };

  it('year-less dates without a period line: an error per row unless the caller gives the period', async () => {
    const p = tmpFile(gbk(`招商银行信用卡对账单\n${CMB_HEAD}12/28,12/29,OPENAI *API,362.75,1234,50.00(USD)\n01/02,01/03,OPENAI *API,72.60,1234,10.00(USD)\n`));
    const bare = await readStatement(p, statementReader, { displayPath: 'cmb.csv' });
    expect(bare.records).toEqual([]);
    expect(bare.issues.map((i) => [i.line, i.column, i.amount?.toString(), i.currency])).toEqual([
      [3, '交易日', '362.75', 'CNY'],
      [4, '交易日', '72.6', 'CNY'],
    ]);
    expect(bare.issues[0]!.message).toMatch(/; also 记账日: /);
    expect(bare.issues[0]!.message).toMatch(/"12\/28" has no year and the statement has no period line; give the statement period/);

    const given = await readStatement(p, statementReader, { statementPeriod: { from: '2026-12-05', to: '2027-01-04' } });
    expect(given.issues).toEqual([]);
    expect(given.records.map((x) => [x.transactionDate, x.postedDate])).toEqual([
      ['2026-12-28', '2026-12-29'],
      ['2027-01-02', '2027-01-03'],
    ]);

    const viaOptions = makeStatementReader(builtinProfiles(), { period: { from: '2026-12-05', to: '2027-01-04' } });
    expect((await readStatement(p, viaOptions)).records.map((x) => x.transactionDate)).toEqual(['2026-12-28', '2027-01-02']);
  });

  it('the period line in the file wins over the caller period; a date far outside it gets a warning', async () => {
    const p = tmpFile(
      gbk(`招商银行信用卡对账单\n账单周期 2026/12/05-2027/01/04\n${CMB_HEAD}12/28,12/29,OPENAI *API,362.75,1234,50.00(USD)\n06/15,06/16,OPENAI *API,10.00,1234,\n`),
    );
    const r = await readStatement(p, statementReader, { statementPeriod: { from: '2026-06-01', to: '2026-06-30' }, displayPath: 'cmb.csv' });
    expect(r.records.map((x) => x.transactionDate)).toEqual(['2026-12-28', '2026-06-15']);
    expect(r.issues.map((i) => [i.severity, i.line, i.column, i.rejected])).toEqual([
      ['warning', 5, '交易日', false],
      ['warning', 5, '记账日', false],
    ]);
    expect(r.issues[0]!.message).toBe(
      '"06/15" has no year; read as 2026-06-15, 173 days outside the statement period 2026-12-05..2027-01-04 (from "账单周期 2026/12/05-2027/01/04")',
    );
  });

  it('a period line in the trailer is used too', async () => {
    const p = tmpFile(gbk(`${CMB_HEAD}12/28,12/29,OPENAI *API,362.75,1234,50.00(USD)\n本期账单周期 2026/12/05-2027/01/04,,,,,\n`));
    const r = await readStatement(p);
    expect(r.records.map((x) => x.transactionDate)).toEqual(['2026-12-28']);
    expect(r.skipped).toBe(1);
  });

  it('trailer: a dateless row matching a pattern and the dateless rows after it are skipped; a dateless row before it is an error', async () => {
    const profile = generic();
    const rows = [
      { line: 1, fields: ['Date', 'Description', 'Amount', 'Currency'] },
      { line: 2, fields: ['2026-10-01', 'OPENAI *API', '-5.00', 'USD'] },
      { line: 3, fields: ['', 'continued text', '', ''] },
      { line: 4, fields: ['Date', 'Description', 'Amount', 'Currency'] },
      { line: 5, fields: ['2026-10-02', 'OPENAI *API', '-6.00', 'USD'] },
      { line: 6, fields: ['', '', '', ''] },
      { line: 8, fields: ['Total', '', '-11.00', 'USD'] },
      { line: 9, fields: ['Generated by MyBank Online', '', '', ''] },
      { line: 10, fields: ['', 'Page 1 of 1', '', ''] },
    ];
    const r = parseStatementRows(rows, profile, { file: 'g.csv' });
    expect(r.records.map((x) => [x.src.line, x.amount.toString()])).toEqual([
      [2, '5'],
      [5, '6'],
    ]);
    expect(r.issues.map((i) => [i.line, i.column, i.message])).toEqual([
      [
        3,
        'Amount',
        'expected an amount, found an empty cell; also Currency: no currency: the currency cell is empty, profile "generic-simple" sets no fixed currency and no home currency is configured; ' +
          'Date: expected a date (YYYY-MM-DD or YYYY/MM/DD or auto or YYYYMMDD or YYYY年MM月DD日), found an empty cell',
      ],
      [4, null, 'the header repeats on line 4: read as the start of the next part (a page break, or exports joined), not as a data row'],
    ]);
    expect(r.skipped).toBe(5); // repeated header, blank row, Total, two rows after it
    expect(r.rows).toBe(8);
    expect(r.headerLine).toBe(1);
  });

  it('parseStatementRows says which period and date order it used', async () => {
    const rowsOf = async (file: string) => {
      const csv = await CsvFile.open(join(FIX, file));
      const rows = [];
      for await (const b of csv.batches()) rows.push(...b);
      return rows;
    };
    const cmb = builtinProfiles().find((p) => p.name === 'cn-cmb-credit-card')!;
    expect(parseStatementRows(await rowsOf('cmb-credit-card-2026-12.csv'), cmb, { file: 'c.csv' }).period).toEqual({
      from: '2026-12-05',
      to: '2027-01-04',
      source: '账单周期 2026/12/05-2027/01/04',
    });
    expect(parseStatementRows(await rowsOf('cmb-credit-card-2026-11.csv'), cmb, { file: 'c.csv' }).period).toEqual({ from: '2026-11-01', to: '2026-11-30', source: '2026年11月' });
    const g = parseStatementRows(await rowsOf('generic-2026-10-utf16.csv'), generic(), { file: 'g.csv' });
    expect(g.dateOrder).toBe('column "Date": "15/10/2026" can only be DD/MM/YYYY');
    expect(g.period).toBeNull(); // no MM/DD format: no period needed
    expect(g.headerLine).toBe(1);
  });

  it('no header row: one file-level error', () => {
    const r = parseStatementRows([{ line: 1, fields: ['a', 'b'] }], generic(), { file: 'x.csv' });
    expect(r.records).toEqual([]);
    expect(r.issues).toEqual([
      expect.objectContaining({
        line: 0,
        column: null,
        message: 'not readable as profile "generic-simple": no header row with columns "Date", "Description", "Amount", "Currency" in the first 6 lines',
      }),
    ]);
  });

  it('status: unknown values are errors listing the expected ones', async () => {
    const p = tmpFile(
      'Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\nCARD_PAYMENT,Current,2026-10-03 14:22:10,,OpenAI,-20.00,0.00,USD,ON_HOLD,\n',
    );
    const r = await readStatement(p, statementReader, { displayPath: 'f.csv' });
    expect(r.issues).toEqual([
      expect.objectContaining({
        file: 'f.csv',
        line: 2,
        column: 'State',
        message: 'unknown status "ON_HOLD"; expected one of COMPLETED, PENDING, REVERTED, DECLINED, FAILED (profile "fintech-account")',
      }),
    ]);
    expect(r.issues[0]!.amount!.toString()).toBe('-20');
  });

  it('debit/credit: both filled is an error; a zero in the other column is nothing; both empty is an error', async () => {
    const p = tmpFile(
      '\ufeffDate opération;Date valeur;Libellé;Débit;Crédit;Devise\n01/11/2026;01/11/2026;A;10,00;5,00;EUR\n02/11/2026;02/11/2026;B;10,00;0,00;EUR\n03/11/2026;03/11/2026;C;;;EUR\n04/11/2026;04/11/2026;D;-7,00;;\n',
    );
    const r = await readStatement(p, statementReader, { displayPath: 'fr.csv' });
    expect(r.records.map((x) => [x.src.line, x.amount.toString(), x.currency])).toEqual([
      [3, '10', 'EUR'],
      [5, '7', 'EUR'], // a debit printed negative is still a charge; the profile's fixed EUR fills the empty Devise
    ]);
    expect(r.issues.map((i) => [i.line, i.column])).toEqual([
      [2, 'Débit'],
      [4, 'Débit'],
    ]);
    expect(r.issues[0]!.message).toBe('both "Débit" (10,00) and "Crédit" (5,00) hold an amount; expected one of them');
    expect(r.issues[1]!.message).toBe('expected an amount in "Débit" or "Crédit", both are empty');
  });

  it('DR/CR markers decide the direction whatever the sign convention; the currency in the cell must agree with the column', async () => {
    const p = tmpFile(`${G}2026-10-01,A,12.00 DR,USD\n2026-10-02,B,12.00 CR,USD\n2026-10-03,C,20.00(EUR),USD\n2026-10-04,D,-20.00(USD),\n`);
    const r = await readStatement(p);
    expect(r.records.map((x) => [x.src.line, x.amount.toString(), x.currency])).toEqual([
      [2, '12', 'USD'],
      [3, '-12', 'USD'],
      [5, '20', 'USD'],
    ]);
    expect(r.issues.map((i) => [i.line, i.column, i.message])).toEqual([[4, 'Amount', 'the amount says EUR but "Currency" says USD']]);
  });

  it('user profiles: debit/credit, DD.MM.YYYY, reference, card last4, original currency column, fee charges-negative, pipe delimiter', async () => {
    const profiles = resolveProfiles([
      {
        name: 'my-card',
        label: 'My card',
        header: { columns: ['Datum', 'Text', 'Soll', 'Haben'], optional: ['Ref', 'Karte', 'Betrag orig', 'Wahrung orig', 'Gebuhr'], maxPreambleLines: 2 },
        delimiter: '|',
        columns: {
          transactionDate: 'Datum',
          description: 'Text',
          debit: 'Soll',
          credit: 'Haben',
          reference: 'Ref',
          cardLast4: 'Karte',
          originalAmount: 'Betrag orig',
          originalCurrency: 'Wahrung orig',
          fee: 'Gebuhr',
        },
        currency: 'CHF',
        amountSign: 'charges-positive',
        feeSign: 'charges-negative',
        dates: { formats: ['DD.MM.YYYY'] },
        numbers: { decimalMark: '.', thousandsSeparator: "'" },
        trailer: { patterns: ['^saldo'] },
      },
    ]);
    const reader = makeStatementReader(profiles);
    const p = tmpFile(
      "Kartenabrechnung\nDatum|Text|Soll|Haben|Ref|Karte|Betrag orig|Wahrung orig|Gebuhr\n03.10.2026|OPENAI *API|18.40||R-1|XXXX XXXX XXXX 4821|20.00|usd|-0.31\n05.10.2026|Migros|1'234.50||R-2|XXXX XXXX XXXX 4821|||\n07.10.2026|OPENAI *API refund||18.40|R-3|XXXX XXXX XXXX 4821|20.00|USD|\nSaldo|||1'234.50|||||\n",
    );
    const r = await readStatement(p, reader);
    expect(r.detection.profile).toBe('my-card');
    expect(r.issues).toEqual([]);
    expect(
      r.records.map((x) => [
        x.src.line,
        x.transactionDate,
        x.amount.toString(),
        x.currency,
        x.originalAmount?.toString() ?? null,
        x.originalCurrency,
        x.fee?.toString() ?? null,
        x.reference,
        x.cardLast4,
        x.status,
      ]),
    ).toEqual([
      [3, '2026-10-03', '18.4', 'CHF', '20', 'USD', '0.31', 'R-1', '4821', 'posted'],
      [4, '2026-10-05', '1234.5', 'CHF', null, null, null, 'R-2', '4821', 'posted'],
      [5, '2026-10-07', '-18.4', 'CHF', '-20', 'USD', null, 'R-3', '4821', 'posted'],
    ]);
    expect(r.skipped).toBe(2);
  });

  it('an original amount without any currency: the account currency when it equals the amount, else a warning and no original', async () => {
    const p = tmpFile(`招商银行信用卡对账单\n账单周期 2026/12/05-2027/01/04\n${CMB_HEAD}12/28,12/29,OPENAI *API,362.75,1234,50.00\n12/28,12/29,FOOD,36.20,1234,36.20\n`);
    const r = await readStatement(p);
    expect(r.records.map((x) => [x.src.line, x.amount.toString(), x.originalAmount, x.originalCurrency])).toEqual([
      [4, '362.75', null, null],
      [5, '36.2', null, null],
    ]);
    expect(r.issues.map((i) => [i.severity, i.line, i.column, i.message])).toEqual([
      ['warning', 4, '交易地金额', 'original amount "50.00" differs from the amount and it names no currency; read without an original amount'],
    ]);
  });

  it('results do not depend on the machine time zone', async () => {
    const r = await readStatement(join(FIX, 'cmb-credit-card-2026-12.csv'), statementReader, { timezone: 'Pacific/Kiritimati' });
    expect(r.records.map((x) => x.transactionDate)).toEqual([
      '2026-12-06',
      '2026-12-15',
      '2026-12-15',
      '2026-12-20',
      '2026-12-28',
      '2026-12-31',
      '2027-01-02',
      '2027-01-03',
      '2027-01-03',
    ]);
  });
});

describe('original amounts printed inside the text (profile originalInText)', () => {
  it('reads "Orig. 50,00 USD" from a German description and "USD 25,00" from a French one', async () => {
    const de = await readStatement(join(FIX, 'de-bank-giro-2026-10.csv'), statementReader);
    const line8 = de.records.find((r) => r.src.line === 8)!;
    expect([line8.amount.toString(), line8.currency, line8.originalAmount?.toString(), line8.originalCurrency]).toEqual(['43.06', 'EUR', '50', 'USD']);
    // a line whose text names no other currency stays without an original amount
    expect(de.records.find((r) => r.src.line === 11)!.originalAmount).toBeNull();
    const fr = await readStatement(join(FIX, 'fr-bank-2026-11.csv'), statementReader);
    const line4 = fr.records.find((r) => r.src.line === 4)!;
    expect([line4.originalAmount?.toString(), line4.originalCurrency]).toEqual(['25', 'USD']);
  });
});

describe('hostile statements', () => {
  const G = 'Date,Description,Amount,Currency\n';
  it('an unbalanced quote: the row and the lines it swallowed are rejected, each with its money as written', async () => {
    const p = tmpFile(`${G}2026-10-01,"OPENAI *API,-5.00,USD\n2026-10-02,OPENAI *API,-6.00,USD\n2026-10-03,OPENAI *API,-7.00,EUR\n`);
    const r = await readStatement(p, statementReader, { displayPath: 'g.csv' });
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.severity, i.rejected, i.amount?.toString(), i.currency])).toEqual([
      [2, 'error', true, '-5', 'USD'],
      [3, 'error', true, '-6', 'USD'],
      [4, 'error', true, '-7', 'EUR'],
    ]);
    expect(r.issues[0]!.column).toBe('Description');
    expect(r.issues[0]!.message).toMatch(/unbalanced quote:.*not closed before the end of the file/);
    expect(r.rows).toBe(3);
  });

  it('an amount of 10^15 or more is an error, shown shortened', async () => {
    const p = tmpFile(`${G}2026-10-01,OPENAI *API,-${'9'.repeat(400)},USD\n2026-10-02,OPENAI *API,-1e309,USD\n`);
    const r = await readStatement(p, statementReader, { displayPath: 'g.csv' });
    expect(r.records).toEqual([]);
    expect(r.issues.map((i) => [i.line, i.column, i.amount])).toEqual([
      [2, 'Amount', null],
      [3, 'Amount', null],
    ]);
    expect(r.issues[0]!.message).toMatch(/\(401 characters\) is not an amount below 10\^15/);
  });
});

describe('profile language: directions, header-less layouts, skips, fallbacks, column names (issue 9)', () => {
  const base: StatementProfileInput = {
    name: 'p',
    label: 'P',
    header: { columns: ['Datum', 'Text', 'Betrag', 'S/H'] },
    columns: { transactionDate: 'Datum', description: 'Text', amount: 'Betrag', direction: 'S/H' },
    directionMap: { S: 'out', H: 'in', X: 'neither' },
    currency: 'EUR',
    dates: { formats: ['DD.MM.YY'] },
    numbers: { decimalMark: ',' },
  };
  const make = (over: Partial<StatementProfileInput> = {}): StatementProfile => statementProfileSchema.parse({ ...base, ...over });
  const rows = (...lines: string[][]) => lines.map((fields, i) => ({ line: i + 1, fields }));
  const brief = (r: ReturnType<typeof parseStatementRows>) => ({
    records: r.records.map((x) => [x.src.line, x.transactionDate, x.postedDate, x.amount.toString(), x.currency, x.originalAmount?.toString() ?? null, x.originalCurrency]),
    issues: r.issues.map((i) => [i.severity, i.line, i.column, i.message, i.amount?.toString() ?? null, i.rejected]),
    counts: [r.skipped, r.rows],
  });

  it('a direction column signs an unsigned amount; "neither" is skipped and counted, with an info issue naming its money', () => {
    const r = parseStatementRows(
      rows(
        ['Datum', 'Text', 'Betrag', 'S/H'],
        ['28.11.26', 'OPENAI', '18,46', 'S'],
        ['27.11.26', 'Gehalt', '1.000,00', 'h'],
        ['26.11.26', 'Umbuchung', '50,00', 'X'],
        ['25.11.26', 'Null', '0,00', 'H'],
      ),
      make(),
      { file: 'd.csv' },
    );
    expect(brief(r)).toEqual({
      records: [
        [2, '2026-11-28', null, '18.46', 'EUR', null, null],
        [3, '2026-11-27', null, '-1000', 'EUR', null, null],
        [5, '2026-11-25', null, '0', 'EUR', null, null],
      ],
      issues: [['info', 4, 'S/H', 'skipped: "S/H" says "X", neither money out nor money in of this account (50 EUR)', '50', false]],
      counts: [1, 4],
    });
  });

  it('a direction the map does not know, or a signed amount under a direction column, rejects the row and says why', () => {
    const r = parseStatementRows(rows(['Datum', 'Text', 'Betrag', 'S/H'], ['28.11.26', 'A', '1,00', 'Debit'], ['28.11.26', 'B', '-1,00', 'S']), make(), { file: 'd.csv' });
    expect(brief(r).issues).toEqual([
      ['error', 2, 'S/H', 'expected one of "S", "H", "X" (profile "p" directionMap), found "Debit"', '1', true],
      ['error', 3, 'Betrag', 'expected an unsigned amount (the direction is in "S/H"), found "-1,00"', '-1', true],
    ]);
    expect(r.records).toEqual([]);
    expect([r.skipped, r.rows]).toEqual([0, 2]);
  });

  it('Debit/Credit words as directions, compared case-insensitively', () => {
    const p = make({ directionMap: { Debit: 'out', Credit: 'in' }, dates: { formats: ['YYYY-MM-DD'] }, numbers: { decimalMark: '.' } });
    const r = parseStatementRows(rows(['Datum', 'Text', 'Betrag', 'S/H'], ['2026-11-28', 'A', '5.00', 'DEBIT'], ['2026-11-29', 'B', '2.50', 'credit']), p, { file: 'd.csv' });
    expect(r.records.map((x) => x.amount.toString())).toEqual(['5', '-2.5']);
  });

  it('no header row: recognised by a per-column signature on the first rows; the reader says so', async () => {
    const wf = builtinProfiles().find((p) => p.name === 'us-wells-fargo')!;
    const ok = parseStatementRows(rows(['11/28/2026', '-20.00', '*', '', 'OPENAI'], ['11/27/2026', '3.00', '*', '1042', 'CHECK']), wf, { file: 'w.csv' });
    expect(ok.records.map((x) => [x.src.line, x.amount.toString(), x.reference])).toEqual([
      [1, '20', null],
      [2, '-3', '1042'],
    ]);
    expect([ok.headerLine, ok.skipped, ok.rows]).toEqual([null, 0, 2]);
    // a file with a header row, or one of another width, is not this layout
    for (const first of [
      ['Date', 'Amount', '*', 'Check', 'Description'],
      ['11/28/2026', '-20.00', '*', '', 'OPENAI', 'extra'],
    ]) {
      const no = parseStatementRows(rows(first, ['11/27/2026', '3.00', '*', '', 'X']), wf, { file: 'w.csv' });
      expect(no.records).toEqual([]);
      expect(no.issues.map((i) => i.message)).toEqual([
        'not readable as profile "us-wells-fargo": its first rows do not have the 5 columns of the profile\'s signature (header.signature)',
      ]);
    }
    const d = statementReader.detect(await open(tmpFile('"11/28/2026","-20.00","*","","OPENAI"\n'))) as StatementDetection;
    expect([d.profile, d.headerLine]).toEqual(['us-wells-fargo', 0]);
    expect(d.reasons).toEqual([
      'profile "us-wells-fargo" (Wells Fargo (US) account activity CSV (no header row))',
      "no header row: the first rows fit the profile's signature",
      'columns by position: Date, Amount, Marker, Check Number, Description',
    ]);
  });

  it('a header-less row past the sampled ones that does not fit is read as a row and rejected, not skipped', () => {
    const wf = builtinProfiles().find((p) => p.name === 'us-wells-fargo')!;
    const r = parseStatementRows(rows(['11/28/2026', '-20.00', '*', '', 'A'], ['Total', '', '', '', '']), wf, { file: 'w.csv' });
    // the signature is checked on the first five rows, so this is one of them: not this layout
    expect(r.records).toEqual([]);
    const many = rows(...Array.from({ length: 5 }, () => ['11/28/2026', '-1.00', '*', '', 'A']), ['Total', '-5.00', '', '', '']);
    const r2 = parseStatementRows(many, wf, { file: 'w.csv' });
    expect(r2.records).toHaveLength(5);
    expect(r2.issues.map((i) => [i.line, i.column, i.rejected])).toEqual([[6, 'Date', true]]);
  });

  it('skip patterns drop matching rows anywhere (a subtotal with a date, a page header) as skipped, not rejected', () => {
    const p = make({ skip: { patterns: ['^\\S+ Zwischensumme', '^Seite \\d+'] } });
    const r = parseStatementRows(
      rows(['Datum', 'Text', 'Betrag', 'S/H'], ['28.11.26', 'A', '1,00', 'S'], ['28.11.26', 'Zwischensumme', '1,00', 'S'], ['Seite 2', '', '', ''], ['27.11.26', 'B', '2,00', 'S']),
      p,
      { file: 'd.csv' },
    );
    expect(brief(r)).toEqual({
      records: [
        [2, '2026-11-28', null, '1', 'EUR', null, null],
        [5, '2026-11-27', null, '2', 'EUR', null, null],
      ],
      issues: [],
      counts: [2, 4],
    });
  });

  it('the posting date stands in for an empty transaction date when the profile says so; both empty is an error', () => {
    const p = make({
      header: { columns: ['Datum', 'Buchung', 'Text', 'Betrag', 'S/H'] },
      columns: { ...base.columns, postedDate: 'Buchung' },
      dates: { formats: ['DD.MM.YY'], emptyTransactionDate: 'posted-date' },
    });
    const r = parseStatementRows(
      rows(['Datum', 'Buchung', 'Text', 'Betrag', 'S/H'], ['', '28.11.26', 'A', '1,00', 'H'], ['', '', 'B', '2,00', 'H'], ['27.11.26', '28.11.26', 'C', '3,00', 'S']),
      p,
      { file: 'd.csv' },
    );
    expect(brief(r).records).toEqual([
      [2, '2026-11-28', '2026-11-28', '-1', 'EUR', null, null],
      [4, '2026-11-27', '2026-11-28', '3', 'EUR', null, null],
    ]);
    expect(r.issues.map((i) => [i.line, i.column, i.message])).toEqual([[3, 'Datum', 'expected a date in "Datum" or "Buchung", both are empty']]);
    // without the option an empty transaction date stays an error
    const strict = parseStatementRows(rows(['Datum', 'Buchung', 'Text', 'Betrag', 'S/H'], ['', '28.11.26', 'A', '1,00', 'H']), make({ ...p, dates: { formats: ['DD.MM.YY'] } }), {
      file: 'd.csv',
    });
    expect(strict.issues.map((i) => i.column)).toEqual(['Datum']);
  });

  it('region codes after the original amount: a mapped region gives its currency; an unmapped one equal to the amount is the account currency, else a warning', () => {
    const p = statementProfileSchema.parse({
      name: 'r',
      label: 'R',
      header: { columns: ['Date', 'Text', 'Amount', 'Orig'] },
      columns: { transactionDate: 'Date', description: 'Text', amount: 'Amount', originalAmount: 'Orig' },
      currency: 'CNY',
      amountSign: 'charges-positive',
      dates: { formats: ['YYYY-MM-DD'] },
      originalRegions: { US: 'USD', CN: 'CNY' },
    });
    const r = parseStatementRows(
      rows(
        ['Date', 'Text', 'Amount', 'Orig'],
        ['2026-12-30', 'A', '145.32', '20.00(US)'],
        ['2026-12-30', 'B', '-3.90', '-3.90(CN)'],
        ['2026-12-30', 'C', '5.00', '5.00(FR)'],
        ['2026-12-30', 'D', '50.00', '7.00(FR)'],
        ['2026-12-30', 'E', '-20.00', '3.00(USD)'],
      ),
      p,
      { file: 'r.csv' },
    );
    expect(brief(r).records).toEqual([
      [2, '2026-12-30', null, '145.32', 'CNY', '20', 'USD'],
      [3, '2026-12-30', null, '-3.9', 'CNY', null, null],
      [4, '2026-12-30', null, '5', 'CNY', null, null],
      [5, '2026-12-30', null, '50', 'CNY', null, null],
      [6, '2026-12-30', null, '-20', 'CNY', '-3', 'USD'],
    ]);
    expect(r.issues.map((i) => [i.severity, i.line, i.message])).toEqual([
      ['warning', 5, 'original amount "7.00(FR)" differs from the amount and region FR is not in the profile\'s originalRegions; read without an original amount'],
    ]);
  });

  it('originalInText with its own numbers: a decimal-point amount in the text beside decimal-comma amounts; without it, no original', () => {
    const base = {
      name: 'b',
      label: 'B',
      header: { columns: ['Date', 'Amount', 'Text'] },
      columns: { transactionDate: 'Date', description: 'Text', amount: 'Amount' },
      currency: 'EUR',
      amountSign: 'charges-negative' as const,
      dates: { formats: ['YYYY-MM-DD' as const] },
      numbers: { decimalMark: ',' as const, thousandsSeparator: '' as const },
    };
    const pattern = '(?<amount>\\d[\\d,]*\\.\\d{2}) (?<currency>[A-Z]{3})';
    const input = rows(
      ['Date', 'Amount', 'Text'],
      ['2026-11-28', '-18,52', 'SHOP 20.00 USD'],
      ['2026-11-29', '-1150,00', 'SHOP 1,250.00 USD'],
      ['2026-11-30', '5,00', 'SHOP 5.40 USD'],
    );
    const own = statementProfileSchema.parse({ ...base, originalInText: { pattern, numbers: { decimalMark: '.' } } });
    expect(own.originalInText?.numbers).toEqual({ decimalMark: '.', thousandsSeparator: ',' });
    expect(brief(parseStatementRows(input, own, { file: 'b.csv' })).records).toEqual([
      [2, '2026-11-28', null, '18.52', 'EUR', '20', 'USD'],
      [3, '2026-11-29', null, '1150', 'EUR', '1250', 'USD'],
      [4, '2026-11-30', null, '-5', 'EUR', '-5.4', 'USD'],
    ]);
    const shared = statementProfileSchema.parse({ ...base, originalInText: { pattern } });
    expect(brief(parseStatementRows(input, shared, { file: 'b.csv' })).records.map((r) => r.slice(5))).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it('alternative column names, and the nth (or last) of equal names', () => {
    const p = statementProfileSchema.parse({
      name: 'ing',
      label: 'ING',
      header: { columns: ['Buchung', 'Valuta', 'Betrag', 'Währung'], optional: ['Saldo'], alternatives: { Valuta: ['Wertstellungsdatum'] }, occurrence: { Währung: -1 } },
      columns: { transactionDate: 'Buchung', postedDate: 'Valuta', description: 'Buchung', amount: 'Betrag', currency: 'Währung' },
      amountSign: 'charges-negative',
      dates: { formats: ['DD.MM.YYYY'] },
      numbers: { decimalMark: ',' },
    });
    const old = parseStatementRows(rows(['Buchung', 'Valuta', 'Saldo', 'Währung', 'Betrag', 'Währung'], ['28.11.2026', '29.11.2026', '100,00', 'CHF', '-5,00', 'EUR']), p, {
      file: 'i.csv',
    });
    const neu = parseStatementRows(rows(['Buchung', 'Wertstellungsdatum', 'Betrag', 'Währung'], ['28.11.2026', '30.11.2026', '-5,00', 'EUR']), p, { file: 'i.csv' });
    expect([...brief(old).records, ...brief(neu).records]).toEqual([
      [2, '2026-11-28', '2026-11-29', '5', 'EUR', null, null],
      [2, '2026-11-28', '2026-11-30', '5', 'EUR', null, null],
    ]);
    const first = statementProfileSchema.parse({ ...p, header: { ...p.header, occurrence: { Währung: 1 } } });
    expect(
      parseStatementRows(rows(['Buchung', 'Valuta', 'Saldo', 'Währung', 'Betrag', 'Währung'], ['28.11.2026', '29.11.2026', '100,00', 'CHF', '-5,00', 'EUR']), first, {
        file: 'i.csv',
      }).records[0]!.currency,
    ).toBe('CHF');
  });

  it('no currency column and no fixed currency: the home currency, else a row error that says what is missing', () => {
    const p = make({ currency: undefined });
    const data = rows(['Datum', 'Text', 'Betrag', 'S/H'], ['28.11.26', 'A', '1,00', 'S']);
    expect(parseStatementRows(data, p, { file: 'd.csv', homeCurrency: 'CHF' }).records[0]!.currency).toBe('CHF');
    expect(parseStatementRows(data, p, { file: 'd.csv' }).issues.map((i) => i.message)).toEqual([
      'no currency: the file has no currency column, profile "p" sets no fixed currency and no home currency is configured',
    ]);
  });

  it.each([
    [{ directionMap: {} }, 'directionMap', /go together/],
    [{ columns: { ...base.columns, direction: undefined } }, 'columns.direction', /go together/],
    [{ directionMap: { S: 'sideways' } }, 'directionMap.S', /./],
    [{ header: { columns: ['Datum', 'Text', 'Betrag', 'S/H'], row: 'none' } }, 'header.signature', /one pattern per column \(4\)/],
    [{ header: { columns: ['Datum', 'Text', 'Betrag', 'S/H'], signature: ['.', '.', '.', '.'] } }, 'header.signature', /header.row "none"/],
    [{ header: { columns: ['Datum', 'Text', 'Betrag', 'S/H'], row: 'none', signature: ['.', '.', '.', '('] } }, 'header.signature[3]', /not a valid regular expression/],
    [{ header: { columns: ['Datum', 'Text', 'Betrag', 'S/H'], alternatives: { Valuta: ['Wertstellung'] } } }, 'header.alternatives.Valuta', /not in header.columns/],
    [{ header: { columns: ['Datum', 'Text', 'Betrag', 'S/H'], occurrence: { Betrag: 0 } } }, 'header.occurrence.Betrag', /0 is neither/],
    [{ dates: { formats: ['DD.MM.YY'], emptyTransactionDate: 'posted-date' } }, 'dates.emptyTransactionDate', /needs columns.postedDate/],
    [{ dates: { formats: ['auto', 'DD-MM-YYYY'] } }, 'dates.formats', /"auto" already reads NN-NN-YYYY/],
    [{ originalRegions: { USA: 'USD' } }, 'originalRegions.USA', /two-letter region/],
    [{ skip: { patterns: ['['] } }, 'skip.patterns[0]', /not a valid regular expression/],
  ])('rejects a bad use of the new options with its JSON path (%#)', (over, path, message) => {
    const r = statementProfileSchema.safeParse({ ...base, ...over });
    expect(r.success).toBe(false);
    const iss = r.error!.issues.find((i) => i.path.join('.').replace(/\.(\d+)/g, '[$1]') === path);
    expect(iss?.message ?? r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')).toMatch(message);
  });
});

describe('rows wider than the columns', () => {
  const profile = resolveProfiles([
    {
      name: 'wide',
      label: 'Wide',
      header: { columns: ['Date', 'Description', 'Amount'] },
      columns: { transactionDate: 'Date', description: 'Description', amount: 'Amount' },
      currency: 'USD',
      amountSign: 'charges-positive',
      dates: { formats: ['YYYY-MM-DD'] },
    },
  ])[0]!;
  const rows = (lines: string[][]) => lines.map((fields, i) => ({ line: i + 1, fields }));

  it('a non-empty extra cell rejects the row with an issue naming line and width; empty extras (a trailing delimiter) are fine', () => {
    const r = parseStatementRows(
      rows([
        ['Date', 'Description', 'Amount'],
        ['2026-11-03', 'OPENAI', '20.00', ''],
        ['2026-11-04', 'ANTHROPIC, PBC', ' 100.00', '5.00'],
      ]),
      profile,
      { file: 's.csv' },
    );
    expect(r.records.map((x) => x.src.line)).toEqual([2]);
    expect(r.issues.map((i) => [i.line, i.severity, i.message])).toEqual([
      [3, 'error', 'expected 3 cells (the header), found 4 with "5.00" in cell 4; a delimiter inside an unquoted cell?'],
    ]);
  });
});
