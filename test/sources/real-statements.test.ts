/**
 * The statements people actually download: fixtures in the layouts of real bank exports
 * (fixtures/statements/real/, sources in its README) read with the profiles written for them.
 * Every line of every fixture is checked. The new profiles are not yet in BUILTIN_JSON, so
 * they are given as user profiles ahead of the built-ins, the way a config would give them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardLine, InputIssue } from '../../src/model.js';
import { CsvFile } from '../../src/sources/csv.js';
import type { OpenedInput, SourceReader } from '../../src/sources/contract.js';
import { makeStatementReader, statementReader, type StatementDetection } from '../../src/sources/statement.js';
import { resolveProfiles } from '../../src/sources/statement-profile.js';
import usAmex from '../../src/data/profiles/us-amex.json' with { type: 'json' };
import usChaseLegacy from '../../src/data/profiles/us-chase-legacy.json' with { type: 'json' };
import usCapitalOne from '../../src/data/profiles/us-capital-one.json' with { type: 'json' };
import usCiti from '../../src/data/profiles/us-citi.json' with { type: 'json' };
import usBofaChecking from '../../src/data/profiles/us-bofa-checking.json' with { type: 'json' };
import hkHsbcCard from '../../src/data/profiles/hk-hsbc-credit-card.json' with { type: 'json' };
import hkHsbcAccount from '../../src/data/profiles/hk-hsbc-account.json' with { type: 'json' };
import caBmoCard from '../../src/data/profiles/ca-bmo-credit-card.json' with { type: 'json' };
import deIng from '../../src/data/profiles/de-ing.json' with { type: 'json' };
import wiseAccount from '../../src/data/profiles/wise-account.json' with { type: 'json' };

const REAL = join(import.meta.dirname, '../../fixtures/statements/real');
const OLD = join(import.meta.dirname, '../../fixtures/statements');
const NEW_PROFILES = [usAmex, usChaseLegacy, usCapitalOne, usCiti, usBofaChecking, hkHsbcCard, hkHsbcAccount, caBmoCard, deIng, wiseAccount];
// the shipped built-ins, plus BofA's profile as a user profile: it is not shipped until lines
// can be skipped by pattern (its "Beginning balance" row)
const reader = makeStatementReader(resolveProfiles([usBofaChecking]));

async function open(path: string): Promise<OpenedInput & { type: 'csv' }> {
  return { path, type: 'csv', csv: await CsvFile.open(path) };
}

async function readReal(name: string, r: SourceReader<CardLine> = reader): Promise<{ detection: StatementDetection; records: CardLine[]; issues: InputIssue[] }> {
  const input = await open(join(REAL, name));
  const detection = r.detect(input) as StatementDetection | null;
  if (!detection) throw new Error(`not detected: ${name}`);
  const out = { detection, records: [] as CardLine[], issues: [] as InputIssue[] };
  for await (const b of r.read(input, detection, { timezone: 'UTC', displayPath: name })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
  }
  return out;
}

/** line, transaction date, posted date, status, amount (charges positive), currency, original amount and currency, card last4, reference, description */
function view(r: CardLine): unknown[] {
  return [r.src.line, r.transactionDate, r.postedDate, r.status, r.amount.toString(), r.currency, r.originalAmount?.toString() ?? null, r.originalCurrency, r.cardLast4, r.reference, r.description];
}

describe('the new profiles', () => {
  it('are valid and their names are new', () => {
    const all = resolveProfiles(NEW_PROFILES).map((p) => p.name);
    expect(new Set(all).size).toBe(all.length);
    expect(all.slice(0, NEW_PROFILES.length)).toEqual(NEW_PROFILES.map((p) => p.name));
  });

  it('do not take over the fixtures of the built-in profiles', async () => {
    for (const f of readdirSync(OLD).filter((n) => n.endsWith('.csv'))) {
      const input = await open(join(OLD, f));
      const before = (statementReader.detect(input) as StatementDetection).profile;
      const after = (reader.detect(await open(join(OLD, f))) as StatementDetection).profile;
      expect([f, after]).toEqual([f, before]);
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

  it('Bank of America checking: header after the summary block; the amount-less "Beginning balance" row is a named bad row, not a silent skip', async () => {
    const { detection, records, issues } = await readReal('us-bofa-checking-2026-11.csv');
    expect(detection.profile).toBe('us-bofa-checking');
    expect(detection.headerLine).toBe(7);
    expect(records.map(view)).toEqual([
      [9, '2026-11-03', null, 'posted', '20', 'USD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR 11/02 PURCHASE SAN FRANCISCO CA'],
      [10, '2026-11-05', null, 'posted', '-3468.55', 'USD', null, null, null, null, 'EXAMPLE CORP DES:PAYROLL ID:000001 INDN:EXAMPLE,ALEX CO ID:0000000001 PPD'],
      [11, '2026-11-12', null, 'posted', '1250', 'USD', null, null, null, null, 'Online Banking payment to CRD 4321 Confirmation# 0000000001'],
      [12, '2026-11-20', null, 'posted', '406.52', 'USD', null, null, null, null, 'ANTHROPIC 11/19 PURCHASE SAN FRANCISCO CA'],
    ]);
    expect(issues.map((i) => [i.severity, i.line, i.column, i.message])).toEqual([['error', 8, 'Amount', 'expected an amount, found an empty cell']]);
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
      [18, '2026-11-24', null, 'posted', '18.46', 'EUR', null, null, null, null, 'VISA OPENAI *CHATGPT SUBSCR / Lastschrift / NR8412340000 SAN FRANCISCO US KAUFUMSATZ 21.11 223655 ARN74400000000000000000001'],
      [19, '2026-11-23', null, 'posted', '9.23', 'EUR', null, null, null, null, 'VISA ANTHROPIC / Lastschrift / NR8412340000 SAN FRANCISCO US KAUFUMSATZ 20.11 131250 ARN74400000000000000000002'],
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
      [16, '2026-11-24', null, 'posted', '18.46', 'EUR', null, null, null, null, 'VISA OPENAI *CHATGPT SUBSCR / Lastschrift / NR8412340000 SAN FRANCISCO US KAUFUMSATZ 21.11 223655 ARN74400000000000000000001'],
      [17, '2026-11-21', null, 'posted', '1.54', 'EUR', null, null, null, null, 'Beispiel Markt GmbH / Lastschrift'],
      [18, '2026-11-15', null, 'posted', '69', 'EUR', null, null, null, null, 'Peter Beispiel / Überweisung / Schulden'],
    ]);
  });

  it('Wise: wins over the generic profile; the USD card payment keeps its original 20.00 USD; fees are their own lines', async () => {
    const { detection, records, issues } = await readReal('wise-2026-11.csv');
    expect(detection.profile).toBe('wise-account');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '15.05', 'GBP', '20', 'USD', '4321', 'CARD-2746460001', 'Card transaction of USD issued by Openai *chatgpt Subscr / Openai *chatgpt Subscr OPENAI.COM'],
      [3, '2026-11-28', null, 'posted', '0.06', 'GBP', null, null, '4321', 'FEE-CARD-2746460001', 'Wise Charges for: CARD-2746460001 / Openai *chatgpt Subscr OPENAI.COM'],
      [4, '2026-11-20', null, 'posted', '8', 'GBP', null, null, '4321', 'CARD-2746460002', 'Card transaction of GBP issued by Anthropic / Anthropic ANTHROPIC.COM'],
      [5, '2026-11-05', null, 'posted', '1363.87', 'GBP', '10000', 'BRL', null, 'BALANCE-3817420001', 'Converted GBP to BRL'],
      [6, '2026-11-05', null, 'posted', '12.95', 'GBP', null, null, null, 'FEE-BALANCE-3817420001', 'Wise Charges for: BALANCE-3817420001'],
      [7, '2026-11-01', null, 'posted', '-2916.67', 'GBP', null, null, null, 'TRANSFER-1654270001', 'Received money from EXAMPLE CORPORATION with reference 2026-10 SALARY'],
    ]);
    expect(records.every((r) => r.fee === null)).toBe(true);
  });
});

// What the profile language cannot express yet (see the README): when a feature lands, these
// expectations change on purpose and the layout gets a profile and a line-by-line test above.
describe('layouts still out of reach', () => {
  it.each([
    ['ca-td-2026-11.csv', 'no header row'],
    ['us-wells-fargo-2026-11.csv', 'no header row'],
    ['cn-alipay-2026-11.csv', 'direction column 收/支'],
    ['cn-wechat-pay-2026-11.csv', 'direction column 收/支'],
    ['nl-ing-2026-11.csv', 'direction column Af Bij'],
    ['de-dkb-2026-11.csv', 'two-digit years'],
    ['de-sparkasse-camt-2026-11.csv', 'two-digit years'],
  ])('%s is not recognised (%s)', async (name) => {
    expect(reader.detect(await open(join(REAL, name)))).toBeNull();
  });

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
});
