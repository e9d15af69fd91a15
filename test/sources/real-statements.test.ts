/**
 * The statements people actually download: fixtures in the layouts of real bank exports
 * (fixtures/statements/real/, sources in its README) read with the shipped profiles.
 * Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { statementReader as reader, type StatementDetection } from '../../src/sources/statement.js';
import { builtinProfiles } from '../../src/sources/statement-profile.js';
import { fittingProfiles, open, readReal, STATEMENT_FIXTURES, view } from './real-statement-helpers.js';

const EXPECTED_PROFILE: Record<string, string> = {
  'ca-bmo-credit-card-2026-11.csv': 'ca-bmo-credit-card',
  'ca-td-2026-11.csv': 'ca-td',
  'cn-alipay-2026-11.csv': 'cn-alipay',
  'cn-cmb-credit-card-2027-01.csv': 'cn-cmb-credit-card',
  'cn-wechat-pay-2026-11.csv': 'cn-wechat-pay',
  'cn-icbc-credit-card-2026-11.csv': 'cn-icbc-credit-card',
  'cn-boc-credit-card-2026-11.csv': 'cn-boc-credit-card',
  'cn-cgb-credit-card-2026-11.csv': 'cn-cgb-credit-card',
  'de-dkb-2026-11.csv': 'de-dkb',
  'de-ing-2026-11-wertstellung.csv': 'de-ing',
  'de-ing-2026-11.csv': 'de-ing',
  'de-sparkasse-camt-2026-11.csv': 'de-sparkasse-camt',
  'de-deutsche-bank-umsaetze-2026-11.csv': 'de-deutsche-bank',
  'de-postbank-umsaetze-2026-11.csv': 'de-deutsche-bank',
  'de-targobank-umsaetze-2026-11.csv': 'de-targobank',
  'hk-hsbc-account-2026-11.csv': 'hk-hsbc-account',
  'hk-hsbc-credit-card-2026-11.csv': 'hk-hsbc-credit-card',
  'nl-ing-2026-11.csv': 'nl-ing',
  'us-amex-2026-11.csv': 'us-amex',
  'us-bofa-checking-2026-11.csv': 'us-bofa-checking',
  'us-capital-one-2026-11.csv': 'us-capital-one',
  'us-chase-legacy-2026-11.csv': 'us-chase-legacy',
  'us-citi-2026-11.csv': 'us-citi',
  'us-wells-fargo-2026-11.csv': 'us-wells-fargo',
  'wise-2026-11.csv': 'wise-account',
  // UK, Australia, India, RBC (real-statements-more-a.test.ts reads them line by line)
  'au-commbank-2026-11.csv': 'au-commbank',
  'ca-rbc-2026-11.csv': 'ca-rbc',
  'in-hdfc-2026-11.csv': 'in-hdfc',
  'uk-barclays-2026-11.csv': 'uk-barclays',
  'uk-lloyds-2026-11.csv': 'uk-lloyds',
  'uk-monzo-2026-11.csv': 'uk-monzo',
  'uk-nationwide-midata-2026-11.csv': 'uk-nationwide-midata',
  'uk-natwest-2026-11.csv': 'uk-natwest',
  'uk-natwest-export-2026-11.csv': 'uk-natwest',
  'uk-starling-2026-11.csv': 'uk-starling',
  'au-westpac-2026-11.csv': 'au-westpac',
  'in-axis-2026-11.csv': 'in-axis',
  'ramp-2026-11.csv': 'ramp-card',
  'uk-amex-2026-11.csv': 'uk-amex',
  'uk-hsbc-2026-11.csv': 'uk-hsbc',
  'uk-revolut-2026-11.csv': 'fintech-account',
  // euro area, Revolut Business and Japan (test/sources/real-statements-more-b.test.ts)
  'be-kbc-2026-11.csv': 'be-kbc',
  'be-kbc-credit-card-2026-11.csv': 'be-kbc-credit-card',
  'de-commerzbank-2026-11.csv': 'de-commerzbank',
  'de-n26-legacy-2026-11.csv': 'de-n26-legacy',
  'eu-n26-2026-11.csv': 'eu-n26',
  'eu-revolut-business-2026-11.csv': 'eu-revolut-business',
  'fr-boursorama-2026-11.csv': 'fr-boursorama',
  'jp-mufg-2026-11.csv': 'jp-mufg',
  'jp-rakuten-card-2026-11.csv': 'jp-rakuten-card',
  'nl-bunq-2026-11-en.csv': 'nl-bunq',
  'nl-bunq-2026-11.csv': 'nl-bunq',
  'nl-rabobank-2026-11.csv': 'nl-rabobank',
  'nl-abn-amro-2026-11.csv': 'nl-abn-amro',
  'be-bnp-paribas-fortis-2026-11.csv': 'be-bnp-paribas-fortis',
  'be-belfius-2026-11.csv': 'be-belfius',
  'de-volksbank-2026-11.csv': 'de-volksbank',
  'de-commerzbank-2026-11-v2.csv': 'de-commerzbank',
  'de-comdirect-2026-11.csv': 'de-comdirect',
  'nl-asn-2026-11.csv': 'nl-asn',
  'uk-barclaycard-2026-11.csv': 'uk-barclaycard',
  'uk-nationwide-2026-11.csv': 'uk-nationwide',
  'uk-monzo-2018-2026-11.csv': 'uk-monzo-2018',
  'brex-card-2026-11.csv': 'brex-card',
  'jp-smbc-vpass-2026-11.csv': 'jp-smbc-vpass',
  'it-inbank-2026-11.csv': 'it-inbank',
  'it-fineco-2026-11.csv': 'it-fineco',
  'at-easybank-credit-card-2026-11.csv': 'at-easybank-credit-card',
  'at-raiffeisen-2026-11.csv': 'at-raiffeisen',
  'fr-fortuneo-2026-11.csv': 'fr-bank',
  'it-bancoposta-2026-11.csv': 'it-bancoposta',
  'fr-banque-populaire-2026-11.csv': 'fr-banque-populaire',
  'fr-credit-mutuel-2026-11.csv': 'fr-credit-mutuel',
  'fr-societe-generale-2026-11.csv': 'fr-societe-generale',
  'fr-shine-2026-11.csv': 'fr-shine',
  'fr-qonto-2026-11.csv': 'fr-qonto',
  'us-mercury-2026-11.csv': 'us-mercury',
  'us-discover-2026-11.csv': 'us-discover',
  'us-apple-card-2026-11.csv': 'us-apple-card',
  'ca-tangerine-credit-card-2026-11.csv': 'ca-tangerine',
  'ca-cibc-credit-card-2026-11.csv': 'ca-cibc-credit-card',
  'sg-posb-2026-11.csv': 'sg-posb',
  'au-ing-2026-11.csv': 'au-ing',
  'au-bankwest-credit-card-2026-11.csv': 'au-bankwest',
  'in-icici-account-2026-11.csv': 'in-icici',
  'sg-ocbc-2026-11.csv': 'sg-ocbc',
  'fr-credit-agricole-2026-11.csv': 'fr-credit-agricole',
  'au-nab-2026-11.csv': 'au-nab',
  'au-macquarie-2026-11.csv': 'au-macquarie',
  'au-up-2026-11.csv': 'au-up',
  'jp-amex-2026-11.csv': 'jp-amex',
  'jp-sbi-sumishin-2026-11.csv': 'jp-sbi-sumishin',
  'jp-moneyforward-me-2026-11.csv': 'jp-moneyforward-me',
  'us-usbank-credit-card-2026-11.csv': 'us-usbank',
  'au-anz-2026-11.csv': 'au-anz',
  'fr-la-banque-postale-2026-11.csv': 'fr-la-banque-postale',
  'fr-bnp-paribas-2026-11.csv': 'fr-bnp-paribas',
  'fr-caisse-epargne-2026-11.csv': 'fr-banque-populaire',
  'fr-bnp-paribas-export-2026-11.csv': 'fr-bnp-paribas-2024',
  'fr-bnp-paribas-export-iso-2026-11.csv': 'fr-bnp-paribas-2024',
  'fr-credit-mutuel-montant-2026-11.csv': 'fr-credit-mutuel-montant',
  'fr-cic-comma-2026-11.csv': 'fr-cic-comma',
  // the older fixtures keep their profiles
  'cmb-credit-card-2026-11.csv': 'cn-cmb-credit-card',
  'cmb-credit-card-2026-12.csv': 'cn-cmb-credit-card',
  'de-bank-giro-2026-10.csv': 'de-bank-giro',
  'de-bank-giro-2026-11-utf8bom.csv': 'de-bank-giro',
  'fintech-2026-10.csv': 'fintech-account',
  'fr-bank-2026-11.csv': 'fr-bank',
  'generic-2026-10-utf16.csv': 'generic-simple',
  'us-card-2026-10.csv': 'us-card',
};

describe('the shipped profiles', () => {
  const headerless = builtinProfiles()
    .filter((p) => p.header.row === 'none')
    .map((p) => p.name);

  it('each statement fixture is taken by its own profile', async () => {
    const got = Object.fromEntries(
      await Promise.all(
        STATEMENT_FIXTURES.map(async (f) => [f.slice(f.lastIndexOf('/') + 1), (reader.detect(await open(f)) as StatementDetection | null)?.profile ?? null] as const),
      ),
    );
    expect(got).toEqual(EXPECTED_PROFILE);
  });

  it('a header-less profile (recognised by its cells alone) fits no other fixture, not even as a runner-up', async () => {
    expect(headerless).toEqual([
      'us-wells-fargo',
      'ca-td',
      'au-commbank',
      'uk-hsbc',
      'nl-abn-amro',
      'de-targobank',
      'nl-asn',
      'uk-barclaycard',
      'jp-smbc-vpass',
      'at-easybank-credit-card',
      'at-raiffeisen',
      'ca-cibc-credit-card',
      'sg-posb',
      'au-anz',
      'fr-bnp-paribas',
    ]);
    for (const f of STATEMENT_FIXTURES) {
      const fits = fittingProfiles(reader.detect(await open(f)) as StatementDetection).filter((n) => headerless.includes(n));
      expect([f, fits]).toEqual([f, headerless.filter((n) => n === EXPECTED_PROFILE[f.slice(f.lastIndexOf('/') + 1)])]);
    }
  });
});

describe('US cards and accounts', () => {
  it('American Express: charges positive, multi-line detail cells, card member number -41002 → 1002, reference in apostrophes', async () => {
    const { detection, records, issues } = await readReal('us-amex-2026-11.csv');
    expect(detection.profile).toBe('us-amex');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '20', 'USD', null, null, '1002', "'320263320000001'", 'OPENAI *CHATGPT SUBSCR'],
      [6, '2026-11-24', null, 'posted', '100', 'USD', null, null, '1002', "'320263280000002'", 'ANTHROPIC'],
      [10, '2026-11-21', null, 'posted', '6.45', 'USD', null, null, '1010', "'320263250000003'", 'SAMPLE COFFEE 0042'],
      [13, '2026-11-15', null, 'posted', '-256.87', 'USD', null, null, '1002', "'320263190000004'", 'AUTOPAY PAYMENT - THANK YOU'],
      [14, '2026-11-10', null, 'posted', '-35.1', 'USD', null, null, '1002', "'320263140000005'", 'SAMPLE STORE RETURN'],
    ]);
  });

  it('Chase, older layout: charges negative → positive, Return and Payment negative', async () => {
    const { detection, records, issues } = await readReal('us-chase-legacy-2026-11.csv');
    expect(detection.profile).toBe('us-chase-legacy');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', '2026-11-29', 'posted', '20', 'USD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-20', '2026-11-21', 'posted', '18.09', 'USD', null, null, null, null, 'UBER   *US NOV20 ABCDE'],
      [4, '2026-11-18', '2026-11-19', 'posted', '-12.5', 'USD', null, null, null, null, 'SAMPLE STORE'],
      [5, '2026-11-15', '2026-11-15', 'posted', '-450', 'USD', null, null, null, null, 'AUTOMATIC PAYMENT - THANK YOU'],
      [6, '2026-11-10', '2026-11-12', 'posted', '5', 'USD', null, null, null, null, 'ANTHROPIC'],
    ]);
  });

  it('Capital One: ISO dates, Debit/Credit columns, Card No. as last four', async () => {
    const { detection, records, issues } = await readReal('us-capital-one-2026-11.csv');
    expect(detection.profile).toBe('us-capital-one');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', '2026-11-29', 'posted', '20', 'USD', null, null, '4321', null, 'OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-20', '2026-11-21', 'posted', '5', 'USD', null, null, '4321', null, 'ANTHROPIC'],
      [4, '2026-11-14', '2026-11-15', 'posted', '31.85', 'USD', null, null, '4321', null, 'SAMPLE FITNESS'],
      [5, '2026-11-10', '2026-11-11', 'posted', '-500', 'USD', null, null, '4321', null, 'CAPITAL ONE MOBILE PYMT'],
      [6, '2026-11-05', '2026-11-07', 'posted', '12.14', 'USD', null, null, '4321', null, 'SAMPLE FRONT PORCH'],
    ]);
  });

  it('Citi: Status Pending/Cleared, a payment written as a negative Credit', async () => {
    const { detection, records, issues } = await readReal('us-citi-2026-11.csv');
    expect(detection.profile).toBe('us-citi');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-29', null, 'pending', '5', 'USD', null, null, null, null, 'ANTHROPIC SAN FRANCISCO CA'],
      [3, '2026-11-28', null, 'posted', '20', 'USD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR OPENAI.COM CA'],
      [4, '2026-11-21', null, 'posted', '17.99', 'USD', null, null, null, null, 'SAMPLE STREAMING.COM'],
      [5, '2026-11-19', null, 'posted', '30.77', 'USD', null, null, null, null, 'SAMPLE MARKET'],
      [6, '2026-11-16', null, 'posted', '-2000.05', 'USD', null, null, null, null, 'PAYMENT THANK YOU'],
      [7, '2026-11-07', null, 'posted', '41.98', 'USD', null, null, null, null, 'SAMPLE HARDWARE'],
    ]);
  });

  it('Bank of America checking: header after the summary block; the amount-less "Beginning balance" row skipped by pattern and counted', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('us-bofa-checking-2026-11.csv');
    expect(detection.profile).toBe('us-bofa-checking');
    expect(detection.headerLine).toBe(7);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [9, '2026-11-03', null, 'posted', '20', 'USD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR 11/02 PURCHASE SAN FRANCISCO CA'],
      [10, '2026-11-05', null, 'posted', '-3468.55', 'USD', null, null, null, null, 'EXAMPLE CORP DES:PAYROLL ID:000001 INDN:EXAMPLE,ALEX CO ID:0000000001 PPD'],
      [11, '2026-11-12', null, 'posted', '1250', 'USD', null, null, null, null, 'Online Banking payment to CRD 4321 Confirmation# 0000000001'],
      [12, '2026-11-20', null, 'posted', '406.52', 'USD', null, null, null, null, 'ANTHROPIC 11/19 PURCHASE SAN FRANCISCO CA'],
    ]);
    // five summary lines before the header, and line 8
    expect([skipped, rows]).toEqual([6, 10]);
  });

  it('Wells Fargo: no header row, recognised by its cells; money out negative; the check number as reference', async () => {
    const { detection, records, issues } = await readReal('us-wells-fargo-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['us-wells-fargo', 0]);
    expect(detection.reasons).toContain("no header row: the first rows fit the profile's signature");
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-28', null, 'posted', '20', 'USD', null, null, null, null, 'PURCHASE AUTHORIZED ON 11/27 OPENAI *CHATGPT SUBSCR OPENAI.COM CA S000000000000001 CARD 4321'],
      [2, '2026-11-20', null, 'posted', '5', 'USD', null, null, null, null, 'PURCHASE AUTHORIZED ON 11/19 ANTHROPIC SAN FRANCISCO CA S000000000000002 CARD 4321'],
      [3, '2026-11-15', null, 'posted', '-2500', 'USD', null, null, null, null, 'EXAMPLE CORP PAYROLL 261115 000000000000001 EXAMPLE ALEX'],
      [4, '2026-11-10', null, 'posted', '120', 'USD', null, null, null, '1042', 'CHECK # 1042'],
    ]);
  });
});

describe('Canada and Hong Kong', () => {
  it('BMO card: preamble line, YYYYMMDD, charges positive, "6.0", card number in apostrophes', async () => {
    const { detection, records, issues } = await readReal('ca-bmo-credit-card-2026-11.csv');
    expect(detection.profile).toBe('ca-bmo-credit-card');
    expect(detection.headerLine).toBe(3);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [4, '2026-11-02', '2026-11-03', 'posted', '3.27', 'CAD', null, null, '4321', null, 'SAMPLE WHOLESALE W54 SURREY BC'],
      [5, '2026-11-03', '2026-11-04', 'posted', '27.84', 'CAD', null, null, '4321', null, 'OPENAI *CHATGPT SUBSCR SAN FRANCISCO CA'],
      [6, '2026-11-05', '2026-11-06', 'posted', '85.06', 'CAD', null, null, '4321', null, 'SAMPLE WHOLESALE W54 SURREY BC'],
      [7, '2026-11-10', '2026-11-12', 'posted', '6', 'CAD', null, null, '4321', null, 'SAMPLE SUPERMARKET #026 SURREY BC'],
      [8, '2026-11-15', '2026-11-15', 'posted', '-120', 'CAD', null, null, '4321', null, 'PAYMENT RECEIVED - THANK YOU'],
    ]);
  });

  it('HSBC HK card: DD/MM/YYYY, tabs after the quoted amount, HKD and CNY billing, POSTED status, refund and payment negative', async () => {
    const { detection, records, issues } = await readReal('hk-hsbc-credit-card-2026-11.csv');
    expect(detection.profile).toBe('hk-hsbc-credit-card');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', '2026-11-29', 'posted', '157.12', 'HKD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR    SAN FRANCISCO  USA          US'],
      [3, '2026-11-27', '2026-11-28', 'posted', '1099.14', 'CNY', null, null, null, null, 'QR       SAMPLE MERCHANT           CHN          CN'],
      [4, '2026-11-26', '2026-11-27', 'posted', '18', 'CNY', null, null, null, null, 'QR       EXAMPLE CATERING CO.,LTD. CHN          CN'],
      [5, '2026-11-25', '2026-11-26', 'posted', '27.9', 'HKD', null, null, null, null, 'SALES:   CORNER BURGER (HKD)          CHN          CN'],
      [6, '2026-11-20', '2026-11-21', 'posted', '78.56', 'HKD', null, null, null, null, 'ANTHROPIC                 SAN FRANCISCO  USA          US'],
      [7, '2026-11-18', '2026-11-19', 'posted', '-25', 'CNY', null, null, null, null, 'RETURN:  SAMPLE PLATFORM           CHN          CN'],
      [8, '2026-11-12', '2026-11-12', 'posted', '-3266.16', 'CNY', null, null, null, null, 'PAYMENT - THANK YOU'],
      [9, '2026-11-10', '2026-11-11', 'posted', '1.01', 'CNY', null, null, null, null, 'APPLEPAY SAMPLE METRO              CHN          CN'],
    ]);
  });

  it('HSBC HK account: money out negative → positive, a transfer in negative', async () => {
    const { detection, records, issues } = await readReal('hk-hsbc-account-2026-11.csv');
    expect(detection.profile).toBe('hk-hsbc-account');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '157.12', 'HKD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR   HC1234567890123456   27NOV'],
      [3, '2026-11-24', null, 'posted', '1', 'HKD', null, null, null, null, 'SAMPLE SHOP               HC1234567890123457   22NOV'],
      [4, '2026-11-24', null, 'posted', '100', 'HKD', null, null, null, null, 'MOBILE WITHDRAWAL        (22NOV26)'],
      [5, '2026-11-20', null, 'posted', '-500', 'HKD', null, null, null, null, 'FUND TRANSFER FROM       12-345678-9 ALEX EXAMPLE'],
    ]);
  });

  it('TD Canada: no header row; unsigned debit and credit columns, the balance ignored; blank lines at the end', async () => {
    const { detection, records, issues, skipped } = await readReal('ca-td-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['ca-td', 0]);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-02', null, 'posted', '1.96', 'CAD', null, null, null, null, 'SAMPLE DOLLAR STORE _M'],
      [2, '2026-11-02', null, 'posted', '27.84', 'CAD', null, null, null, null, 'OPENAI *CHATGPT SUBS'],
      [3, '2026-11-03', null, 'posted', '10', 'CAD', null, null, null, null, 'PTS TO:  02810000000'],
      [4, '2026-11-03', null, 'posted', '-0.01', 'CAD', null, null, null, null, 'SFCA             MSP'],
      [5, '2026-11-04', null, 'posted', '35', 'CAD', null, null, null, null, 'SAMPLE INSURANCE'],
      [6, '2026-11-05', null, 'posted', '239.13', 'CAD', null, null, null, null, 'SEND E-TFR ***Ab1'],
      [7, '2026-11-06', null, 'posted', '-332.22', 'CAD', null, null, null, null, 'PAYROLL DEPOSIT  MSP'],
    ]);
    expect(skipped).toBe(0);
  });
});

describe('ING Germany and Wise', () => {
  it('ING (Windows-1252): a dozen preamble lines with blanks, Valuta layout with two Währung columns, decimal comma', async () => {
    const { detection, records, issues } = await readReal('de-ing-2026-11.csv');
    expect(detection.profile).toBe('de-ing');
    expect([detection.headerLine, detection.encoding, detection.delimiter]).toEqual([15, 'windows-1252', ';']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [16, '2026-11-28', null, 'posted', '5.5', 'EUR', null, null, null, null, 'Beispiel Versand GmbH / Lastschrift / RE 2026-4711 Bücher'],
      [17, '2026-11-27', null, 'posted', '-50', 'EUR', null, null, null, null, 'Karl Beispiel / Gutschrift aus Dauerauftrag / Monatliche Ueberweisung'],
      [
        18,
        '2026-11-24',
        null,
        'posted',
        '18.46',
        'EUR',
        null,
        null,
        null,
        null,
        'VISA OPENAI *CHATGPT SUBSCR / Lastschrift / NR8412340000 SAN FRANCISCO US KAUFUMSATZ 21.11 223655 ARN74400000000000000000001',
      ],
      [
        19,
        '2026-11-23',
        null,
        'posted',
        '9.23',
        'EUR',
        null,
        null,
        null,
        null,
        'VISA ANTHROPIC / Lastschrift / NR8412340000 SAN FRANCISCO US KAUFUMSATZ 20.11 131250 ARN74400000000000000000002',
      ],
      [20, '2026-11-21', null, 'posted', '1149.5', 'EUR', null, null, null, null, 'Stadtwerke Beispielstadt / Lastschrift / Strom November 2026'],
      [21, '2026-11-03', null, 'posted', '-2321.62', 'EUR', null, null, null, null, 'Beispiel AG / Gehalt/Rente / LOHN / GEHALT 11/26'],
    ]);
  });

  it('ING, newer layout: Wertstellungsdatum, no balance columns, an empty Verwendungszweck', async () => {
    const { detection, records, issues } = await readReal('de-ing-2026-11-wertstellung.csv');
    expect(detection.profile).toBe('de-ing');
    expect(detection.headerLine).toBe(13);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [14, '2026-11-28', null, 'posted', '5.49', 'EUR', null, null, null, null, 'Beispiel Versand GmbH / Lastschrift / RE 2026-4711 Bücher'],
      [15, '2026-11-27', null, 'posted', '-50', 'EUR', null, null, null, null, 'Karl Beispiel / Gutschrift aus Dauerauftrag / Monatliche Ueberweisung'],
      [
        16,
        '2026-11-24',
        null,
        'posted',
        '18.46',
        'EUR',
        null,
        null,
        null,
        null,
        'VISA OPENAI *CHATGPT SUBSCR / Lastschrift / NR8412340000 SAN FRANCISCO US KAUFUMSATZ 21.11 223655 ARN74400000000000000000001',
      ],
      [17, '2026-11-21', null, 'posted', '1.54', 'EUR', null, null, null, null, 'Beispiel Markt GmbH / Lastschrift'],
      [18, '2026-11-15', null, 'posted', '69', 'EUR', null, null, null, null, 'Peter Beispiel / Überweisung / Schulden'],
    ]);
  });

  it('Wise: wins over the generic profile; the USD card payment keeps its original 20.00 USD; fees are their own lines', async () => {
    const { detection, records, issues } = await readReal('wise-2026-11.csv');
    expect(detection.profile).toBe('wise-account');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-28',
        null,
        'posted',
        '15.05',
        'GBP',
        '20',
        'USD',
        '4321',
        'CARD-2746460001',
        'Card transaction of USD issued by Openai *chatgpt Subscr / Openai *chatgpt Subscr OPENAI.COM',
      ],
      [3, '2026-11-28', null, 'posted', '0.06', 'GBP', null, null, '4321', 'FEE-CARD-2746460001', 'Wise Charges for: CARD-2746460001 / Openai *chatgpt Subscr OPENAI.COM'],
      [4, '2026-11-20', null, 'posted', '8', 'GBP', null, null, '4321', 'CARD-2746460002', 'Card transaction of GBP issued by Anthropic / Anthropic ANTHROPIC.COM'],
      [5, '2026-11-05', null, 'posted', '1363.87', 'GBP', '10000', 'BRL', null, 'BALANCE-3817420001', 'Converted GBP to BRL'],
      [6, '2026-11-05', null, 'posted', '12.95', 'GBP', null, null, null, 'FEE-BALANCE-3817420001', 'Wise Charges for: BALANCE-3817420001'],
      [7, '2026-11-01', null, 'posted', '-2916.67', 'GBP', null, null, null, 'TRANSFER-1654270001', 'Received money from EXAMPLE CORPORATION with reference 2026-10 SALARY'],
    ]);
    expect(records.every((r) => r.fee === null)).toBe(true);
  });
});

describe('more of Germany, and the Netherlands', () => {
  it('DKB: BOM, DD.MM.YY, Gebucht/Vorgemerkt, an empty Wertstellung while pending, "1.000,0" and "-1.450", a name broken over two lines read as one (line end → space)', async () => {
    const { detection, records, issues, skipped } = await readReal('de-dkb-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.delimiter]).toEqual(['de-dkb', 5, ';']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        6,
        '2026-11-30',
        null,
        'pending',
        '18.46',
        'EUR',
        null,
        null,
        null,
        '400000000000001',
        'ISSUER / OPENAI *CHATGPT SUBSCR   SAN FRANCISCO US / 2026-11-28T08:53 Debitk. 0 2029-12 Zahl.System VISA Debit     (POS)',
      ],
      [7, '2026-11-15', '2026-11-15', 'posted', '8.67', 'EUR', null, null, null, '00000000000000000000000000', 'ISSUER / EDEKA//MUENCHEN/DE / EDEKA SAGT DANKE'],
      [8, '2026-11-03', '2026-11-03', 'posted', '1450', 'EUR', null, null, null, null, 'ERIKA BEISPIEL / MAX BEISPIEL / MIETE'],
      [10, '2026-11-01', '2026-11-01', 'posted', '-1000', 'EUR', null, null, null, null, 'BEISPIEL INC / ERIKA BEISPIEL / Lohn und Gehalt'],
    ]);
    expect(skipped).toBe(2); // the account and balance lines ("" lines are blank)
  });

  it('Sparkasse CAMT (Windows-1252): DD.MM.YY, empty cells bare, Info "Umsatz vorgemerkt" pending', async () => {
    const { detection, records, issues } = await readReal('de-sparkasse-camt-2026-11.csv');
    expect([detection.profile, detection.encoding]).toEqual(['de-sparkasse-camt', 'windows-1252']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-28',
        null,
        'pending',
        '18.46',
        'EUR',
        null,
        null,
        null,
        '100000000000000001',
        'OPENAI *CHATGPT SUBSCR//SAN FRANCISCO/US / KARTENZAHLUNG / 2026-11-26T17:47:21 Karte1 2029-12',
      ],
      [
        3,
        '2026-11-27',
        null,
        'posted',
        '39.99',
        'EUR',
        null,
        null,
        null,
        '300000000000001',
        'Beispiel Telecom GmbH                                                  Musterstr. 1 / FOLGELASTSCHRIFT / KD-Nr. 1000000001/ RG-Nr. 2000000001',
      ],
      [
        4,
        '2026-11-26',
        null,
        'posted',
        '62.59',
        'EUR',
        null,
        null,
        null,
        '100000000000000002',
        'EDEKA MÜLLER//BEISPIELSTADT/DE / KARTENZAHLUNG / 2026-11-24T10:12:45 Karte1 2029-12',
      ],
      [5, '2026-11-24', null, 'posted', '100', 'EUR', null, null, null, null, 'Harald Beispiel / ONLINE-UEBERWEISUNG / Geschenk 1/5 DATUM 24.11.2026, 08.22 UHR1.TAN 000000'],
      [6, '2026-11-03', null, 'posted', '1165', 'EUR', null, null, null, null, 'Anna Beispiel / DAUERAUFTRAG / Miete'],
      [7, '2026-11-02', null, 'posted', '-350', 'EUR', null, null, null, null, 'Beispiel Nachlass / GUTSCHRIFT / Hans Müller Erbe abzügl. Gebühren'],
    ]);
  });

  it('ING Netherlands: unsigned Bedrag, Af = out and Bij = in, a zero Bij line kept as 0', async () => {
    const { detection, records, issues } = await readReal('nl-ing-2026-11.csv');
    expect(detection.profile).toBe('nl-ing');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-28',
        null,
        'posted',
        '18.46',
        'EUR',
        null,
        null,
        null,
        null,
        'OPENAI *CHATGPT SUBSCR / Pasvolgnr: 001 26-11-2026 10:12 Transactie: A1B2C3 Term: 000001 Valutadatum: 28-11-2026',
      ],
      [3, '2026-11-13', null, 'posted', '1.25', 'EUR', null, null, null, null, 'Kosten OranjePakket met korting / 1 okt t/m 31 okt 2026 ING BANK N.V. Valutadatum: 13-11-2026'],
      [4, '2026-11-13', null, 'posted', '-1.25', 'EUR', null, null, null, null, 'Kwijtschelding / Valutadatum: 13-11-2026'],
      [5, '2026-11-13', null, 'posted', '0', 'EUR', null, null, null, null, 'Kwijtschelding / Valutadatum: 13-11-2026'],
      [
        6,
        '2026-11-05',
        null,
        'posted',
        '-1020',
        'EUR',
        null,
        null,
        null,
        null,
        'BEISPIEL E J / Naam: BEISPIEL E J Omschrijving: Kosten rekening IBAN: NL99ASNB0000000002 Valutadatum: 05-11-2026',
      ],
    ]);
  });
});

describe('China', () => {
  it('China Merchants Bank: repayments without 交易日 take 记账日; a bare or (CN) original is the account currency; (US) is USD; a December–January statement', async () => {
    const { detection, records, issues } = await readReal('cn-cmb-credit-card-2027-01.csv');
    expect(detection.profile).toBe('cn-cmb-credit-card');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [3, '2026-12-28', '2026-12-28', 'posted', '-2.46', 'CNY', null, null, '4321', null, '掌上生活还款'],
      [4, '2026-12-29', '2026-12-29', 'posted', '-512.3', 'CNY', null, null, '4321', null, '财付通还款'],
      [5, '2026-12-31', '2026-12-31', 'posted', '-40', 'CNY', null, null, '4321', null, '银联转账还款'],
      [6, '2026-12-30', '2026-12-31', 'posted', '145.32', 'CNY', '20', 'USD', '4321', null, 'OPENAI *CHATGPT SUBSCR'],
      [7, '2026-12-30', '2026-12-31', 'posted', '2.18', 'CNY', null, null, '4321', null, '境外交易手续费'],
      [8, '2027-01-02', '2027-01-03', 'posted', '48.9', 'CNY', null, null, '4321', null, '掌上生活影票-电影票'],
      [9, '2027-01-03', '2027-01-04', 'posted', '-3.9', 'CNY', null, null, '4321', null, '手机银行饭票'],
      [10, '2027-01-05', '2027-01-06', 'posted', '72.66', 'CNY', '10', 'USD', '4321', null, 'ANTHROPIC'],
      [11, '2027-01-06', '2027-01-08', 'posted', '1200', 'CNY', null, null, '4321', null, '中国移动'],
    ]);
  });

  it('Alipay (GB18030): 支出 out, 收入 in, 不计收支 skipped with an info issue naming its amount; 交易状态 mapped; card last four from 收/付款方式', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('cn-alipay-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['cn-alipay', 25, 'gb18030']);
    expect(records.map(view)).toEqual([
      [26, '2026-11-28', null, 'posted', '145.32', 'CNY', null, null, '4321', '2026112822001400000001', 'OpenAI / ChatGPT Plus 订阅'],
      [27, '2026-11-20', null, 'posted', '20', 'CNY', null, null, null, '2026112022001400000002', 'z7***8 / 商品示例'],
      [30, '2026-11-10', null, 'posted', '-888.5', 'CNY', null, null, null, '2026111022001400000005', 'xxxx / 转账'],
      [31, '2026-11-09', null, 'declined', '50', 'CNY', null, null, null, '2026110922001400000006', '一卡通 / 一卡通充值'],
      [32, '2026-11-05', null, 'posted', '9.9', 'CNY', null, null, null, 'xxxx', 'xxxx / xxxx'],
    ]);
    expect(issues.map((i) => [i.severity, i.line, i.column, i.amount?.toString(), i.currency, i.rejected])).toEqual([
      ['info', 28, '收/支', '16.03', 'CNY', false],
      ['info', 29, '收/支', '99.34', 'CNY', false],
    ]);
    expect(issues[0]!.message).toBe('skipped: "收/支" says "不计收支", neither money out nor money in of this account (16.03 CNY)');
    expect([skipped, rows]).toEqual([24, 29]); // 22 non-blank preamble lines and the two 不计收支 rows
  });

  it('WeChat Pay: ¥ amounts, 支出/收入, "/" skipped with an info issue; comma-padded preamble', async () => {
    const { detection, records, issues, skipped } = await readReal('cn-wechat-pay-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['cn-wechat-pay', 17]);
    expect(records.map(view)).toEqual([
      [18, '2026-11-26', null, 'posted', '145.32', 'CNY', null, null, '4321', '4200000001202611260000000001', 'OpenAI / ChatGPT Plus 订阅'],
      [19, '2026-11-24', null, 'posted', '-0.88', 'CNY', null, null, null, '1000039901202611240000000002', '同性好友 / /'],
      [20, '2026-11-17', null, 'posted', '28.16', 'CNY', null, null, null, '1000050001202611170000000003', '某餐厅 / 收款方备注:二维码收款'],
      [21, '2026-11-12', null, 'posted', '12', 'CNY', null, null, null, '1000050001202611120000000004', '房东 / 转账备注:微信转账'],
    ]);
    expect(issues.map((i) => [i.severity, i.line, i.amount?.toString(), i.rejected])).toEqual([
      ['info', 22, '2000', false],
      ['info', 23, '100.1', false],
      ['info', 24, '10.1', false],
    ]);
    expect(skipped).toBe(19);
  });
});
