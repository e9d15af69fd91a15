/**
 * More statements people actually download (issue #9): UK, Australian, Indian, Canadian
 * and Ramp layouts in fixtures/statements/real/ (sources in its README), each read by its
 * shipped profile, every line checked. That each file is taken by its own profile and by
 * no other is checked with the others in real-statements.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputIssue } from '../../src/model.js';
import { makeStatementReader } from '../../src/sources/statement.js';
import { builtinProfiles } from '../../src/sources/statement-profile.js';
import { open, readReal, REAL, view } from './real-statement-helpers.js';

describe('United Kingdom', () => {
  it('Monzo: DD/MM/YYYY with the time apart, Amount signed, the merchant amount from Local amount/Local currency', async () => {
    const { detection, records, issues } = await readReal('uk-monzo-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['uk-monzo', 1]);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', null, 'posted', '-2500', 'GBP', null, null, null, 'tx_0000B1ExAmPlE0000000001', 'Example Employer Ltd / SALARY NOV'],
      [3, '2026-11-03', null, 'posted', '15.87', 'GBP', '20', 'USD', null, 'tx_0000B1ExAmPlE0000000002', 'OpenAI / OPENAI *CHATGPT SUBSCR  San Francisco USA'],
      [4, '2026-11-05', null, 'posted', '3.4', 'GBP', null, null, null, 'tx_0000B1ExAmPlE0000000003', 'Sample Coffee / SAMPLE COFFEE          London        GBR'],
      [5, '2026-11-10', null, 'posted', '79.37', 'GBP', '100', 'USD', null, 'tx_0000B1ExAmPlE0000000004', 'Anthropic / ANTHROPIC              San Francisco USA'],
      [6, '2026-11-12', null, 'posted', '200', 'GBP', null, null, null, 'tx_0000B1ExAmPlE0000000005', 'Savings / pot_0000ExAmPlE'],
      [7, '2026-11-15', null, 'posted', '-12.99', 'GBP', null, null, null, 'tx_0000B1ExAmPlE0000000006', 'Sample Store / SAMPLE STORE           London        GBR'],
      [8, '2026-11-20', null, 'posted', '45.1', 'GBP', '52', 'EUR', null, 'tx_0000B1ExAmPlE0000000007', 'Sample Shop / SAMPLE SHOP            Paris         FRA'],
    ]);
  });

  it('Starling: Amount (GBP) signed, the currency from the profile, counter party and reference joined', async () => {
    const { detection, records, issues } = await readReal('uk-starling-2026-11.csv');
    expect(detection.profile).toBe('uk-starling');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-01', null, 'posted', '-2500', 'GBP', null, null, null, null, 'Example Employer Ltd / SALARY'],
      [3, '2026-11-03', null, 'posted', '15.87', 'GBP', null, null, null, null, 'OpenAI / OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-06', null, 'posted', '64', 'GBP', null, null, null, null, 'Sample Energy / 1234000056780000'],
      [5, '2026-11-10', null, 'posted', '79.37', 'GBP', null, null, null, null, 'Anthropic / ANTHROPIC'],
      [6, '2026-11-14', null, 'posted', '950', 'GBP', null, null, null, null, 'Alex Example / Rent Nov'],
      [7, '2026-11-30', null, 'posted', '-1.04', 'GBP', null, null, null, null, 'Starling Bank / Interest Earned'],
    ]);
  });

  it('Barclays: an empty Number column, Amount signed, the payee in Memo with its padding kept', async () => {
    const { detection, records, issues } = await readReal('uk-barclays-2026-11.csv');
    expect(detection.profile).toBe('uk-barclays');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-03', null, 'posted', '15.87', 'GBP', null, null, null, null, 'OPENAI *CHATGPT SUBSCR ON 02 NOV          BCC'],
      [3, '2026-11-05', null, 'posted', '3.4', 'GBP', null, null, null, null, 'SAMPLE COFFEE 0042   ON 04 NOV          BCC'],
      [4, '2026-11-10', null, 'posted', '79.37', 'GBP', null, null, null, null, 'ANTHROPIC            ON 09 NOV          BCC'],
      [5, '2026-11-15', null, 'posted', '-2500', 'GBP', null, null, null, null, 'EXAMPLE EMPLOYER LTD SALARY'],
      [6, '2026-11-20', null, 'posted', '950', 'GBP', null, null, null, null, 'ALEX EXAMPLE RENT NOV'],
      [7, '2026-11-25', null, 'posted', '-12.99', 'GBP', null, null, null, null, 'SAMPLE STORE REFUND'],
    ]);
  });

  it('Lloyds/Halifax: unsigned Debit/Credit Amount, the apostrophe sort code and the trailing comma on every line', async () => {
    const { detection, records, issues } = await readReal('uk-lloyds-2026-11.csv');
    expect(detection.profile).toBe('uk-lloyds');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '79.37', 'GBP', null, null, null, null, 'ANTHROPIC'],
      [3, '2026-11-20', null, 'posted', '950', 'GBP', null, null, null, null, 'ALEX EXAMPLE RENT NOV'],
      [4, '2026-11-15', null, 'posted', '-2500', 'GBP', null, null, null, null, 'EXAMPLE EMPLOYER LTD'],
      [5, '2026-11-06', null, 'posted', '64', 'GBP', null, null, null, null, 'SAMPLE ENERGY'],
      [6, '2026-11-03', null, 'posted', '15.87', 'GBP', null, null, null, null, 'OPENAI *CHATGPT SUBSCR'],
      [7, '2026-11-02', null, 'posted', '-12.99', 'GBP', null, null, null, null, 'SAMPLE STORE REFUND'],
    ]);
  });

  it('Nationwide midata: account line and blank before the header, "-£79.37" and "+£2,500.00", the overdraft-limit trailer skipped', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('uk-nationwide-midata-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['uk-nationwide-midata', 3]);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [4, '2026-11-28', null, 'posted', '79.37', 'GBP', null, null, null, null, 'Visa purchase / ANTHROPIC SAN FRANCISCO US'],
      [5, '2026-11-20', null, 'posted', '950', 'GBP', null, null, null, null, 'Transfer to / 012345 09876543'],
      [6, '2026-11-15', null, 'posted', '-2500', 'GBP', null, null, null, null, 'Bank credit EXAMPLE EMPLOYER LTD / **************************'],
      [7, '2026-11-06', null, 'posted', '64', 'GBP', null, null, null, null, 'Direct debit / SAMPLE ENERGY'],
      [8, '2026-11-03', null, 'posted', '15.87', 'GBP', null, null, null, null, 'Visa purchase / OPENAI *CHATGPT SUBSCR OPENAI.COM US'],
      [9, '2026-11-02', null, 'posted', '-12.99', 'GBP', null, null, null, null, 'Visa Credit / SAMPLE STORE GB'],
    ]);
    // the account-number line before the header and the overdraft-limit line after the rows
    expect([skipped, rows]).toEqual([2, 8]);
  });
  it('Amex UK: charges positive, DD/MM/YYYY, multi-line Extended Details and Address, Reference in apostrophes', async () => {
    const { detection, records, issues } = await readReal('uk-amex-2026-11.csv');
    expect(detection.profile).toBe('uk-amex');
    expect(issues).toEqual([]);
    // the merchant's amount is only in Extended Details, as a currency name: not read (no original)
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '79.37', 'GBP', null, null, null, "'AT263320000000001'", 'ANTHROPIC               SAN FRANCISCO'],
      [6, '2026-11-20', null, 'posted', '4.2', 'GBP', null, null, null, "'AT263240000000002'", 'SAMPLE CAFE             LONDON'],
      [7, '2026-11-15', null, 'posted', '-250', 'GBP', null, null, null, "'AT263190000000003'", 'PAYMENT RECEIVED - THANK YOU'],
      [8, '2026-11-03', null, 'posted', '15.87', 'GBP', null, null, null, "'AT263070000000004'", 'OPENAI *CHATGPT SUBSCR  SAN FRANCISCO'],
      [12, '2026-11-02', null, 'posted', '-12.99', 'GBP', null, null, null, "'AT263060000000005'", 'SAMPLE STORE REFUND     LONDON'],
    ]);
  });

  it('HSBC UK: no header row, recognised by its cells; the padded description trimmed; a quoted "-1,200.00"', async () => {
    const { detection, records, issues } = await readReal('uk-hsbc-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['uk-hsbc', 0]);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-01', null, 'posted', '-2500', 'GBP', null, null, null, null, 'CR EXAMPLE EMPLOYER LTD'],
      [2, '2026-11-03', null, 'posted', '15.87', 'GBP', null, null, null, null, 'VIS OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-05', null, 'posted', '3.4', 'GBP', null, null, null, null, '))) SAMPLE COFFEE LONDON'],
      [4, '2026-11-06', null, 'posted', '64', 'GBP', null, null, null, null, 'DD SAMPLE ENERGY'],
      [5, '2026-11-10', null, 'posted', '79.37', 'GBP', null, null, null, null, 'VIS ANTHROPIC'],
      [6, '2026-11-14', null, 'posted', '1200', 'GBP', null, null, null, null, 'SO ALEX EXAMPLE RENT'],
    ]);
  });

  it("Revolut's current layout is the shipped fintech-account profile: State PENDING (no Completed Date) and REVERTED", async () => {
    const { detection, records, issues } = await readReal('uk-revolut-2026-11.csv');
    expect(detection.profile).toBe('fintech-account');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-01', '2026-11-01', 'posted', '-500', 'GBP', null, null, null, null, 'Payment from Alex Example'],
      [3, '2026-11-03', '2026-11-04', 'posted', '15.87', 'GBP', null, null, null, null, 'OpenAI'],
      [4, '2026-11-09', '2026-11-10', 'posted', '79.37', 'GBP', null, null, null, null, 'Anthropic'],
      [5, '2026-11-12', '2026-11-12', 'posted', '100', 'GBP', null, null, null, null, 'Exchanged to USD'],
      [6, '2026-11-20', null, 'pending', '8.4', 'GBP', null, null, null, null, 'Sample Shop'],
      [7, '2026-11-22', '2026-11-23', 'reversed', '12', 'GBP', null, null, null, null, 'Sample Cinema'],
    ]);
    expect(records[3]!.fee?.toString()).toBe('0.5');
  });
});

describe('Australia, India and Canada', () => {
  it('CommBank: no header row, recognised by its cells; "+3200.00" and "-31.12" with explicit signs; AUD from the profile', async () => {
    const { detection, records, issues } = await readReal('au-commbank-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['au-commbank', 0]);
    expect(detection.reasons).toContain("no header row: the first rows fit the profile's signature");
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-02', null, 'posted', '-3200', 'AUD', null, null, null, null, 'Salary EXAMPLE EMPLOYER PTY'],
      [2, '2026-11-03', null, 'posted', '31.12', 'AUD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR SAN FRANCISCO US Card xx1234 Value Date: 01/11/2026'],
      [3, '2026-11-05', null, 'posted', '4.5', 'AUD', null, null, null, null, 'SAMPLE CAFE SYDNEY NS AUS Card xx1234 Value Date: 04/11/2026'],
      [4, '2026-11-10', null, 'posted', '155.6', 'AUD', null, null, null, null, 'ANTHROPIC SAN FRANCISCO US Card xx1234 Value Date: 08/11/2026'],
      [5, '2026-11-14', null, 'posted', '1200', 'AUD', null, null, null, null, 'Transfer to xx9876 CommBank app Rent'],
      [6, '2026-11-20', null, 'posted', '-18.95', 'AUD', null, null, null, null, 'SAMPLE STORE REFUND SYDNEY NS AUS Card xx1234'],
    ]);
  });

  it('HDFC: DD-MM-YYYY, unsigned Debit/Credit Amount with a quoted "25,000.00", Chq/Ref Number as reference', async () => {
    const { detection, records, issues } = await readReal('in-hdfc-2026-11.csv');
    expect(detection.profile).toBe('in-hdfc');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-01', null, 'posted', '-85000', 'INR', null, null, null, '0000000000001001', 'NEFT CR-EXAMPLE EMPLOYER PVT LTD-SALARY NOV'],
      [3, '2026-11-03', null, 'posted', '1770', 'INR', null, null, null, '0000000000001002', 'POS 4567XXXXXX1234 OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-05', null, 'posted', '40', 'INR', null, null, null, '0000000000001003', 'UPI-SAMPLE TEA STALL-sample@upi-000000000001'],
      [5, '2026-11-10', null, 'posted', '8850', 'INR', null, null, null, '0000000000001004', 'POS 4567XXXXXX1234 ANTHROPIC'],
      [6, '2026-11-14', null, 'posted', '25000', 'INR', null, null, null, '0000000000001005', 'IMPS-000000000002-ALEX EXAMPLE-RENT'],
      [7, '2026-11-20', null, 'posted', '-499', 'INR', null, null, null, '0000000000001006', 'POS REV 4567XXXXXX1234 SAMPLE STORE'],
    ]);
  });

  it('RBC: M/D/YYYY without leading zeros, CAD$ signed, chequing and card lines in one file, the cheque number as reference', async () => {
    const { detection, records, issues } = await readReal('ca-rbc-2026-11.csv');
    expect(detection.profile).toBe('ca-rbc');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', null, 'posted', '-3200', 'CAD', null, null, null, null, 'PAYROLL DEPOSIT / EXAMPLE EMPLOYER INC'],
      [3, '2026-11-05', null, 'posted', '84.2', 'CAD', null, null, null, null, 'Misc Payment / SAMPLE HYDRO'],
      [4, '2026-11-12', null, 'posted', '600', 'CAD', null, null, null, '1042', 'CHEQUE #1042'],
      [5, '2026-11-03', null, 'posted', '27.84', 'CAD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR 4169669999 CA'],
      [6, '2026-11-10', null, 'posted', '139.2', 'CAD', null, null, null, null, 'ANTHROPIC SAN FRANCISCO'],
      [7, '2026-11-20', null, 'posted', '-500', 'CAD', null, null, null, null, 'PAYMENT - THANK YOU / PAIEMENT - MERCI'],
    ]);
  });
});

describe('Ramp, Westpac and Axis', () => {
  it('Ramp: MM/DD/YY, charges positive, an uncleared line pending; a Card Last 4 of "812" (leading zero dropped) is padded back to 0812 (cardLast4PadZeros)', async () => {
    const { detection, records, issues } = await readReal('ramp-2026-11.csv');
    expect(detection.profile).toBe('ramp-card');
    expect(issues).toEqual([]);
    const id = (n: number) => `RAMP.00000000-0000-4000-8000-00000000000${n}`;
    expect(records.map(view)).toEqual([
      [2, '2026-11-03', '2026-11-04', 'posted', '20', 'USD', null, null, '4034', id(1), 'OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-09', '2026-11-10', 'posted', '100', 'USD', null, null, '0812', id(2), 'ANTHROPIC'],
      [4, '2026-11-14', '2026-11-16', 'posted', '1250', 'USD', null, null, '4034', id(3), 'SAMPLE ADS 123456'],
      [5, '2026-11-20', '2026-11-21', 'posted', '-12.5', 'USD', null, null, '4034', id(4), 'SAMPLE TOOL REFUND'],
      [6, '2026-11-29', null, 'pending', '45', 'USD', null, null, '0812', id(5), 'ANTHROPIC'],
    ]);
  });

  it('Ramp without cardLast4PadZeros: "812" is a warning naming line and column, never a silent drop', async () => {
    const ramp = builtinProfiles().find((p) => p.name === 'ramp-card')!;
    const strict = makeStatementReader([{ ...ramp, cardLast4PadZeros: false }]);
    const input = await open(join(REAL, 'ramp-2026-11.csv'));
    const issues: InputIssue[] = [];
    const last4: (string | null)[] = [];
    for await (const b of strict.read(input, strict.detect(input)!, { timezone: 'UTC', displayPath: 'ramp.csv' })) {
      issues.push(...b.issues);
      last4.push(...b.records.map((r) => r.cardLast4));
    }
    expect(last4).toEqual(['4034', null, '4034', '4034', null]);
    expect(issues.map((i) => [i.severity, i.line, i.column, i.message])).toEqual(
      [3, 6].map((line) => [
        'warning',
        line,
        'Card Last 4',
        `expected the card's last four digits, found "812": read without a card number; if this bank drops leading zeros, set the profile's cardLast4PadZeros`,
      ]),
    );
  });

  it('Westpac: unsigned Debit/Credit Amount, account and card lines in one file, the foreign transaction fee its own line', async () => {
    const { detection, records, issues } = await readReal('au-westpac-2026-11.csv');
    expect(detection.profile).toBe('au-westpac');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '-3200', 'AUD', null, null, null, null, 'DEPOSIT EXAMPLE EMPLOYER PTY SALARY'],
      [3, '2026-11-20', null, 'posted', '1200', 'AUD', null, null, null, null, 'WITHDRAWAL ONLINE 0000001 TFR Westpac Cho Rent'],
      [4, '2026-11-14', null, 'posted', '100', 'AUD', null, null, null, null, 'WITHDRAWAL-ATM 000001 SAMPLE STREET SYDNEY'],
      [5, '2026-11-10', null, 'posted', '155.6', 'AUD', null, null, null, null, 'ANTHROPIC SAN FRANCISCO US'],
      [6, '2026-11-03', null, 'posted', '31.12', 'AUD', null, null, null, null, 'OPENAI *CHATGPT SUBSCR SAN FRANCISCO US'],
      [7, '2026-11-03', null, 'posted', '0.93', 'AUD', null, null, null, null, 'FOREIGN TRANSACTION FEE'],
      [8, '2026-11-25', null, 'posted', '-186.72', 'AUD', null, null, null, null, 'PAYMENT RECEIVED THANK YOU'],
    ]);
  });

  it('Axis: customer block and statement line before the header, DR/CR padded with spaces (an empty side one space), the closing notice skipped', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('in-axis-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['in-axis', 10]);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [11, '2026-11-01', null, 'posted', '-85000', 'INR', null, null, null, null, 'NEFT/N000000000001/EXAMPLE EMPLOYER PVT LTD'],
      [12, '2026-11-03', null, 'posted', '1770', 'INR', null, null, null, null, 'ECOM PUR/OPENAI *CHATGPT SUBSCR/03-11-2026'],
      [13, '2026-11-05', null, 'posted', '40', 'INR', null, null, null, null, 'UPI/P2M/000000000001/SAMPLE TEA STALL/UPI'],
      [14, '2026-11-10', null, 'posted', '8850', 'INR', null, null, null, null, 'ECOM PUR/ANTHROPIC/10-11-2026'],
      [15, '2026-11-14', null, 'posted', '25000', 'INR', null, null, null, null, 'CHQ PAID-MICR CTS-ALEX EXAMPLE'],
      [16, '2026-11-30', null, 'posted', '-412', 'INR', null, null, null, null, 'SB:000000000000001:Int.Pd:01-08-2026 to 31-10-2026'],
    ]);
    // seven preamble lines and the notice at the end
    expect([skipped, rows]).toEqual([8, 14]);
  });
});
