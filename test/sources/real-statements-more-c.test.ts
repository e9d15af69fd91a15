/**
 * Statements the profile language could read only after issue #9's third pass: month names
 * in dates, timestamps with a zone, header-less files with card-holder and total lines
 * (fixtures/statements/real/, sources in its README). Every line of every fixture is checked.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStatementReader } from '../../src/sources/statement.js';
import { builtinProfiles } from '../../src/sources/statement-profile.js';
import { fixturesFitting, open, readReal, REAL, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'uk-barclaycard': ['uk-barclaycard-2026-11.csv'],
  'uk-nationwide': ['uk-nationwide-2026-11.csv'],
  'uk-monzo-2018': ['uk-monzo-2018-2026-11.csv'],
  'brex-card': ['brex-card-2026-11.csv'],
  'jp-smbc-vpass': ['jp-smbc-vpass-2026-11.csv'],
};

describe('the profiles added in the third pass', () => {
  it('each takes its own fixtures and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(Object.fromEntries(Object.entries(OWN).map(([n, list]) => [n, [...list].sort()])));
  });
});

describe('dates with a month name', () => {
  it('Barclaycard: no header row, "10 Feb 18" (DD MMM YY), charges positive, a payment negative', async () => {
    const { detection, records, issues, skipped } = await readReal('uk-barclaycard-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['uk-barclaycard', 0]);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [1, '2018-02-10', null, 'posted', '20.59', 'GBP', null, null, null, null, 'Shop Name, AnyTown20.59 POUND STERLING GREAT BRITAIN'],
      [2, '2026-11-03', null, 'posted', '15.86', 'GBP', null, null, null, null, 'OPENAI *CHATGPT SUBSCR, SAN FRANCISCO15.86 POUND STERLING UNITED STATES'],
      [3, '2026-11-12', null, 'posted', '79.3', 'GBP', null, null, null, null, 'ANTHROPIC, SAN FRANCISCO79.30 POUND STERLING UNITED STATES'],
      [4, '2026-11-20', null, 'posted', '-250', 'GBP', null, null, null, null, 'PAYMENT, THANK YOU'],
    ]);
  });

  it('Nationwide statement CSV: "13 Jun 2025" and "3 Nov 2026" (D MMM YYYY) after the balance lines, Paid out / Paid in with £', async () => {
    const { detection, records, issues, skipped } = await readReal('uk-nationwide-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['uk-nationwide', 5]);
    expect([issues, skipped]).toEqual([[], 3]);
    expect(records.map(view)).toEqual([
      [6, '2025-06-13', null, 'posted', '30', 'GBP', null, null, null, null, 'Direct debit ABC WATER BILL / ABC WATER BILL'],
      [7, '2026-11-03', null, 'posted', '15.86', 'GBP', null, null, null, null, 'Visa purchase / OPENAI *CHATGPT SUBSCR'],
      [8, '2026-11-12', null, 'posted', '1079.3', 'GBP', null, null, null, null, 'Visa purchase / ANTHROPIC'],
      [9, '2026-11-25', null, 'posted', '-10', 'GBP', null, null, null, null, 'Visa Credit / ABC SUPERMARKET'],
    ]);
  });
});

describe('timestamps with a zone ("instant" dates)', () => {
  it('Monzo 2018: created "2026-11-03 23:41:07 +0000" is 3 November in UTC and 4 November in Tokyo; local_amount/local_currency the original', async () => {
    const utc = await readReal('uk-monzo-2018-2026-11.csv', 'UTC');
    expect(utc.detection.profile).toBe('uk-monzo-2018');
    expect(utc.issues).toEqual([]);
    const id = (n: string) => `tx_00009TziTeST1NG${n}`;
    expect(utc.records.map(view)).toEqual([
      [2, '2018-02-25', null, 'posted', '10', 'GBP', null, null, null, id('1ZWIPGS'), 'Tesco'],
      [3, '2026-11-03', null, 'posted', '15.86', 'GBP', '20', 'USD', null, id('2OPENAI'), 'OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-12', null, 'posted', '79.3', 'GBP', '100', 'USD', null, id('3ANTHRP'), 'ANTHROPIC'],
      [5, '2026-11-20', null, 'posted', '-250', 'GBP', null, null, null, id('4TOPUP0'), 'Top up'],
    ]);
    const tokyo = await readReal('uk-monzo-2018-2026-11.csv', 'Asia/Tokyo');
    expect(tokyo.records.map((r) => r.transactionDate)).toEqual(['2018-02-25', '2026-11-04', '2026-11-12', '2026-11-21']);
  });

  it('Brex: Swipe Date (UTC) an ISO instant in the reporting zone, Posted Date MM/DD/YYYY, Last 4 "812" padded to 0812, a payment to Brex negative', async () => {
    const la = await readReal('brex-card-2026-11.csv', 'America/Los_Angeles');
    expect([la.detection.profile, la.issues]).toEqual(['brex-card', []]);
    const id = (n: number) => `dpt_000000000000000${n}`;
    expect(la.records.map(view)).toEqual([
      [2, '2026-11-03', '2026-11-04', 'posted', '20', 'USD', null, null, '0812', id(1), 'OPENAI *CHATGPT SUBSCR / Transaction'],
      [3, '2026-11-12', '2026-11-13', 'posted', '100', 'USD', null, null, '4034', id(2), 'ANTHROPIC / Transaction'],
      [4, '2026-11-20', '2026-11-20', 'posted', '-120', 'USD', null, null, null, id(3), 'Payment to Brex'],
    ]);
    const utc = await readReal('brex-card-2026-11.csv', 'UTC');
    expect(utc.records.map((r) => r.transactionDate)).toEqual(['2026-11-04', '2026-11-12', '2026-11-20']);
  });
});

describe('a header-less file with card-holder and total lines', () => {
  it('SMBC Vpass (Shift_JIS): the card-holder lines of two cards and the total line are skipped, the signature fits the rows between; 0.60　USD in 備考 is the original', async () => {
    const { detection, records, issues, skipped } = await readReal('jp-smbc-vpass-2026-11.csv');
    expect([detection.profile, detection.encoding, detection.headerLine]).toEqual(['jp-smbc-vpass', 'shift_jis', 0]);
    expect([issues, skipped]).toEqual([[], 3]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-03', null, 'posted', '11402', 'JPY', null, null, null, null, '東京電力  電気料金等'],
      [3, '2026-11-03', null, 'posted', '3120', 'JPY', '20', 'USD', null, null, 'OPENAI *CHATGPT SUBSCR / 20.00\u3000USD\u3000156.000\u300011 03'],
      [4, '2026-11-12', null, 'posted', '15600', 'JPY', '100', 'USD', null, null, 'ANTHROPIC / 100.00\u3000USD\u3000156.000\u300011 12'],
      [5, '2026-11-14', null, 'posted', '3456', 'JPY', null, null, null, null, 'ＡＭＡＺＯＮ．ＣＯ．ＪＰ'],
      [7, '2026-11-20', null, 'posted', '-1200', 'JPY', null, null, null, null, 'ＡＭＡＺＯＮ．ＣＯ．ＪＰ'],
    ]);
  });

  it('without its skip patterns the same profile does not recognise the file: the card-holder line does not fit the signature', async () => {
    const smbc = builtinProfiles().find((p) => p.name === 'jp-smbc-vpass')!;
    const bare = makeStatementReader([{ ...smbc, skip: { patterns: [] } }]);
    expect(bare.detect(await open(join(REAL, 'jp-smbc-vpass-2026-11.csv')))).toBeNull();
  });
});
