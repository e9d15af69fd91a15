/**
 * More statements people actually download (issue #9): UK, Australian, Indian and
 * Canadian layouts in fixtures/statements/real/ (sources in its README), each read by its
 * shipped profile, every line checked. That each file is taken by its own profile and by
 * no other is checked with the others in real-statements.test.ts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CardLine, InputIssue } from '../../src/model.js';
import { CsvFile } from '../../src/sources/csv.js';
import { statementReader, type StatementDetection } from '../../src/sources/statement.js';

const REAL = join(import.meta.dirname, '../../fixtures/statements/real');

async function readReal(name: string): Promise<{ detection: StatementDetection; records: CardLine[]; issues: InputIssue[]; skipped: number; rows: number }> {
  const path = join(REAL, name);
  const input = { path, type: 'csv' as const, csv: await CsvFile.open(path) };
  const detection = statementReader.detect(input) as StatementDetection | null;
  if (!detection) throw new Error(`not detected: ${name}`);
  const out = { detection, records: [] as CardLine[], issues: [] as InputIssue[], skipped: 0, rows: 0 };
  for await (const b of statementReader.read(input, detection, { timezone: 'UTC', displayPath: name })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
    out.skipped += b.skipped;
    out.rows += b.rows;
  }
  return out;
}

/** line, transaction date, posted date, status, amount (charges positive), currency, original amount and currency, card last4, reference, description */
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
    r.cardLast4,
    r.reference,
    r.description,
  ];
}

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
