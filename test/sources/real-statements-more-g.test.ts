/**
 * Australian and Japanese layouts (issue #9, eighth pass): NAB, Macquarie, Up Bank, American
 * Express Japan, SBI Sumishin Net Bank and MoneyForward ME (fixtures/statements/real/, sources in its README).
 * Every line of every fixture is checked.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, readStatement, REAL, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'au-nab': ['au-nab-2026-11.csv'],
  'au-macquarie': ['au-macquarie-2026-11.csv'],
  'au-up': ['au-up-2026-11.csv'],
  'jp-amex': ['jp-amex-2026-11.csv'],
  'jp-sbi-sumishin': ['jp-sbi-sumishin-2026-11.csv'],
  'jp-moneyforward-me': ['jp-moneyforward-me-2026-11.csv'],
};

/** Writes text (UTF-8) to a new temporary file and returns its path. */
function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'real-g-')), name);
  writeFileSync(path, text);
  return path;
}

describe('the profiles added in the eighth pass', () => {
  it('each takes its own fixture and fits no other statement fixture', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(OWN);
  });
});

describe('Australia', () => {
  it('NAB: DD Mon YY, one signed Amount, the unnamed fourth column, Processed On empty while pending, Merchant Name joined', async () => {
    const { detection, records, issues, skipped } = await readReal('au-nab-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['au-nab', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, date: string, posted: string | null, amount: string, text: string) => [
      line,
      date,
      posted,
      posted ? 'posted' : 'pending',
      amount,
      'AUD',
      null,
      null,
      null,
      null,
      text,
    ];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-29', null, '31.02', 'V4821 28/11 OPENAI *CHATGPT SUBSCR / OpenAI'),
      row(3, '2026-11-27', '2026-11-27', '0.93', 'V4821 25/11 INTNL TRANSACTION FEE'),
      row(4, '2026-11-26', '2026-11-26', '31.02', 'V4821 25/11 ANTHROPIC SAN FRANCISCO / Anthropic'),
      row(5, '2026-11-20', '2026-11-20', '1500', 'INTERNET TRANSFER Rent Nov'),
      row(6, '2026-11-14', '2026-11-14', '-3200', 'ACME PTY LTD SALARY'),
      row(7, '2026-11-09', '2026-11-09', '14.5', 'V4821 08/11 BLUE BEAN CAFE CARLTON / Blue Bean Cafe'),
      row(8, '2026-11-03', '2026-11-03', '31.02', 'V4821 02/11 OPENAI *CHATGPT SUBSCR / OpenAI'),
    ]);
  });

  it('NAB 2022 export: no Processed On column, a row without a merchant one cell short', async () => {
    const text = [
      'Date,Amount,Account Number,,Transaction Type,Transaction Details,Balance,Category,Merchant Name',
      '02 Nov 26,-20.00,083214567, ,MISCELLANEOUS DEBIT,V4821 01/11 OPENAI *CHATGPT SUBSCR,123.45,Shopping,OpenAI',
      '27 Oct 26,8.00,083214567, ,INTER-BANK CREDIT,Internet Refund,143.45,Other income',
      '',
    ].join('\n');
    const { detection, records, issues } = await readStatement(tempFile('au-nab-2022.csv', text));
    expect(detection.profile).toBe('au-nab');
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.src.line, r.transactionDate, r.amount.toString(), r.description])).toEqual([
      [2, '2026-11-02', '20', 'V4821 01/11 OPENAI *CHATGPT SUBSCR / OpenAI'],
      [3, '2026-10-27', '-8', 'Internet Refund'],
    ]);
  });

  it('Macquarie: every cell quoted, DD Mon YYYY, unsigned Debit and Credit, Details and Original Description joined', async () => {
    const { detection, records, issues, skipped } = await readReal('au-macquarie-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['au-macquarie', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, date: string, amount: string, text: string) => [line, date, null, 'posted', amount, 'AUD', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-28', '31.02', 'OpenAI / OPENAI *CHATGPT SUBSCR OPENAI.COM US'),
      row(3, '2026-11-26', '155.1', 'Anthropic / ANTHROPIC SAN FRANCISCO US'),
      row(4, '2026-11-26', '4.65', 'Foreign Transaction Fee / FOREIGN TRANSACTION FEE'),
      row(5, '2026-11-21', '-1200', 'Payment / PAYMENT RECEIVED - THANK YOU'),
      row(6, '2026-11-15', '86.4', 'Woolworths / WOOLWORTHS 3318 RICHMOND AU'),
      row(7, '2026-11-09', '-31.02', 'OpenAI / OPENAI REFUND OPENAI.COM US'),
      row(8, '2026-11-03', '31.02', 'OpenAI / OPENAI *CHATGPT SUBSCR OPENAI.COM US'),
    ]);
  });

  it('Up: Time an instant (+11:00) dated in the reporting zone, Subtotal (AUD) not Total (no round-up), the USD original, Settled Date empty while held', async () => {
    const { detection, records, issues, skipped } = await readReal('au-up-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['au-up', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const openai = 'OpenAI / OpenAI *ChatGPT Subscr, SAN FRANCISCO';
    // in UTC, 09:12 at +11:00 on the 29th is the 28th
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'pending', '31.02', 'AUD', '20', 'USD', null, null, openai],
      [3, '2026-11-26', '2026-11-27', 'posted', '155.1', 'AUD', '100', 'USD', null, null, 'Anthropic / Anthropic, SAN FRANCISCO'],
      // an AUD line's "original" is its own amount: no original
      [4, '2026-11-19', '2026-11-20', 'posted', '1500', 'AUD', null, null, null, null, 'Rent / Transfer to Rent'],
      [5, '2026-11-13', '2026-11-14', 'posted', '-3200', 'AUD', null, null, null, null, 'Acme Pty Ltd / ACME PTY LTD SALARY'],
      [6, '2026-11-09', '2026-11-10', 'posted', '4.5', 'AUD', null, null, null, null, 'Blue Bean Cafe / Blue Bean Cafe, CARLTON'],
      [7, '2026-11-02', '2026-11-04', 'posted', '31.02', 'AUD', '20', 'USD', null, null, openai],
    ]);
  });

  it('Up: read in Australia/Melbourne, each line keeps its local date', async () => {
    const { records } = await readReal('au-up-2026-11.csv', 'Australia/Melbourne');
    expect(records.map((r) => r.transactionDate)).toEqual(['2026-11-29', '2026-11-26', '2026-11-20', '2026-11-14', '2026-11-09', '2026-11-03']);
  });

  it('Up: the layout with Account Name and BSB/Account Number without spaces, and no Fee column, is read the same', async () => {
    const text = readFileSync(join(REAL, 'au-up-2026-11.csv'), 'utf8')
      .split('\n')
      .map((l, i) => {
        if (i === 0) return l.replace('BSB / Account Number,', 'BSB/Account Number,Account Name,').replace('Fee (AUD),', '');
        const cells = l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ''));
        if (cells.length < 15) return l;
        cells.splice(10, 1);
        cells.splice(2, 0, 'Spending');
        return cells.join(',');
      })
      .join('\n');
    const { detection, records, issues } = await readStatement(tempFile('au-up-account-name.csv', text));
    expect(detection.profile).toBe('au-up');
    expect(issues).toEqual([]);
    const { records: original } = await readReal('au-up-2026-11.csv');
    expect(records.map(view)).toEqual(original.map(view));
  });
});

describe('Japan', () => {
  it('American Express Japan: Shift_JIS, CRLF, データ処理日 as the posting date, 金額 unsigned for a charge and negative for the payment', async () => {
    const { detection, records, issues, skipped } = await readReal('jp-amex-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['jp-amex', 1, 'shift_jis']);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, date: string, posted: string, amount: string, text: string) => [line, date, posted, 'posted', amount, 'JPY', null, null, null, null, text];
    const openai = 'OPENAI *CHATGPT SUBSCR      OPENAI.COM';
    expect(records.map(view)).toEqual([
      row(2, '2026-11-28', '2026-11-30', '3120', openai),
      row(3, '2026-11-25', '2026-11-27', '15500', 'ANTHROPIC                   SAN FRANCISCO'),
      row(4, '2026-11-26', '2026-11-26', '-48210', '前回分口座振替金額'),
      // the full-width padding after the merchant is trimmed
      row(5, '2026-11-18', '2026-11-20', '2332', 'アマゾン　ＪＰ　マーケットプレイス'),
      row(6, '2026-11-12', '2026-11-14', '640', 'スターバックス　コーヒー　渋谷店'),
      row(7, '2026-11-03', '2026-11-05', '3120', openai),
    ]);
  });

  it('American Express Japan: the older header (no member columns, 追加情報) after preamble lines, in UTF-8 with a BOM', async () => {
    const text = [
      '\ufeffご利用明細,2026年12月ご請求分',
      'カード名称,アメリカン・エキスプレス・カード',
      'ご利用日,データ処理日,ご利用内容,金額,海外通貨利用金額,換算レート,追加情報',
      '2026/11/28,2026/11/30,OPENAI *CHATGPT SUBSCR,"3,120",,,',
      '2026/11/26,2026/11/26,前回分口座振替金額,"-48,210",,,',
      '',
    ].join('\r\n');
    const { detection, records, issues } = await readStatement(tempFile('jp-amex-older.csv', text));
    expect([detection.profile, detection.headerLine]).toEqual(['jp-amex', 3]);
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.src.line, r.transactionDate, r.postedDate, r.amount.toString(), r.currency, r.description])).toEqual([
      [4, '2026-11-28', '2026-11-30', '3120', 'JPY', 'OPENAI *CHATGPT SUBSCR'],
      [5, '2026-11-26', '2026-11-26', '-48210', 'JPY', '前回分口座振替金額'],
    ]);
  });

  it('SBI Sumishin Net Bank: Shift_JIS, unsigned 出金金額(円)/入金金額(円) quoted when they have commas, メモ "-" not read', async () => {
    const { detection, records, issues, skipped } = await readReal('jp-sbi-sumishin-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['jp-sbi-sumishin', 1, 'shift_jis']);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, date: string, amount: string, text: string) => [line, date, null, 'posted', amount, 'JPY', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-30', '3120', 'デビット　９４３６５９　ＯＰＥＮＡＩ'),
      row(3, '2026-11-26', '15500', 'デビット　９４９９８３　ＡＮＴＨＲＯＰＩＣ'),
      row(4, '2026-11-25', '-300000', '給与　アクメ（カ'),
      row(5, '2026-11-10', '50000', '振込＊ヤマダ　タロウ'),
      row(6, '2026-11-05', '10000', 'セブン銀行ＡＴＭ'),
      row(7, '2026-11-04', '3120', 'デビット　９３１２０７　ＯＰＥＮＡＩ'),
    ]);
  });

  it('MoneyForward ME: every cell quoted, Shift_JIS, one signed 金額（円）, the account joined to the text, ID as the reference; 計算対象 0 and 振替 1 lines still read', async () => {
    const { detection, records, issues, skipped } = await readReal('jp-moneyforward-me-2026-11.csv');
    expect([detection.profile, detection.encoding, detection.headerLine]).toEqual(['jp-moneyforward-me', 'shift_jis', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, date: string, amount: string, id: string, text: string) => [line, date, null, 'posted', amount, 'JPY', null, null, null, id, text];
    const openai = 'OPENAI *CHATGPT SUBSCR / 三井住友カード';
    expect(records.map(view)).toEqual([
      row(2, '2026-11-28', '3120', 'Xk3mQ9aTzR2vLp8WnB4sYc', openai),
      row(3, '2026-11-25', '15500', 'Hq7dN2fKeW5tJr1ZmC6uVa', 'ANTHROPIC / 楽天カード'),
      row(4, '2026-11-25', '-300000', 'Pv4gT8yLbS3nXq6RdK9eWm', '給与　アクメ（カ / 住信SBIネット銀行'),
      row(5, '2026-11-20', '48210', 'Lr2hF5cMjY8wQs3TbN7kZd', '口座振替　ミツイスミトモカード / 住信SBIネット銀行'),
      row(6, '2026-11-12', '640', 'Dn6sV1pGxC4kWe9HqJ2tRb', 'ローソン　渋谷店 / 現金'),
      row(7, '2026-11-09', '-3120', 'Mz8bK3wQfT6yRn1LsD5gXc', openai),
      row(8, '2026-11-03', '3120', 'Wc5tH9rNdL2qVm7KxB3jPs', openai),
    ]);
  });

  it('MoneyForward ME: the UTF-8 (BOM) export, unquoted but for "-1,500", is read the same way', async () => {
    const text =
      '\ufeff計算対象,日付,内容,金額（円）,保有金融機関,大項目,中項目,メモ,振替,ID\n1,2026/11/01,OPENAI *CHATGPT SUBSCR,"-3,120",楽天銀行,通信費,情報サービス,,0,mf-001\n';
    const { detection, records, issues } = await readStatement(tempFile('jp-moneyforward-me-utf8.csv', text));
    expect([detection.profile, detection.encoding]).toEqual(['jp-moneyforward-me', 'utf-8']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([[2, '2026-11-01', null, 'posted', '3120', 'JPY', null, null, null, 'mf-001', 'OPENAI *CHATGPT SUBSCR / 楽天銀行']]);
  });
});
