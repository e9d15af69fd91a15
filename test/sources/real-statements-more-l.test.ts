/**
 * More mainland China card statements (issue #9, twelfth pass), after deb-sig/double-entry-generator's
 * example bills: ICBC's padded 明细查询文件下载 export, Bank of China's credit card bill, China
 * Guangfa Bank's credit card details. Sources in fixtures/statements/real/README.md. Every line is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'cn-icbc-credit-card': ['cn-icbc-credit-card-2026-11.csv'],
  'cn-boc-credit-card': ['cn-boc-credit-card-2026-11.csv'],
  'cn-cgb-credit-card': ['cn-cgb-credit-card-2026-11.csv'],
};

describe('the profiles added in the mainland China pass', () => {
  it('each takes its own fixture and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(OWN);
  });
});

describe('mainland China: bank credit cards', () => {
  it('ICBC: title, card and sub-account lines with blanks before the header; cells padded and ending in a tab; billed 记账金额 in 人民币 with 交易金额(支出)/交易币种 as the merchant amount; 合计金额 trailer', async () => {
    const { detection, records, issues, skipped } = await readReal('cn-icbc-credit-card-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding, detection.delimiter]).toEqual(['cn-icbc-credit-card', 7, 'utf-8', ',']);
    // the three preamble lines, the blank line and the 合计金额 line
    expect([issues, skipped]).toEqual([[], 5]);
    expect(records.map(view)).toEqual([
      [8, '2026-11-28', '2026-11-28', 'posted', '38', 'CNY', null, null, null, null, '消费 / 财付通-美团平台商户'],
      [9, '2026-11-25', '2026-11-26', 'posted', '145.32', 'CNY', '20', 'USD', null, null, '消费 / OPENAI *CHATGPT SUBSCR'],
      [10, '2026-11-20', '2026-11-20', 'posted', '-2150', 'CNY', null, null, null, null, '人民币自动转帐还款 / XX分行银行卡中心'],
      [11, '2026-11-14', '2026-11-15', 'posted', '129.85', 'CNY', '18', 'USD', null, null, '消费 / ANTHROPIC'],
      [12, '2026-11-09', '2026-11-09', 'posted', '12.35', 'CNY', null, null, null, null, 'ETC / 广东联合电子收费股份'],
      [13, '2026-11-05', '2026-11-05', 'posted', '17.32', 'CNY', null, null, null, null, '银联在线支付 / 支付宝-北京示例网讯科技有限公司'],
      [14, '2026-11-03', '2026-11-03', 'posted', '-26', 'CNY', null, null, null, null, '退货 / 财付通-拼多多平台商户'],
    ]);
  });

  it('Bank of China: a 中国银行信用卡账单 title line; unsigned 存入/支出; USD lines billed in USD; an empty card column on 存款利息; no newline at the end', async () => {
    const { detection, records, issues, skipped } = await readReal('cn-boc-credit-card-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['cn-boc-credit-card', 2, 'utf-8']);
    expect([issues, skipped]).toEqual([[], 1]);
    expect(records.map(view)).toEqual([
      [3, '2026-11-02', '2026-11-03', 'posted', '50', 'CNY', null, null, '4260', null, '上海公共交通卡股份有限CHN'],
      [4, '2026-11-05', '2026-11-06', 'posted', '20', 'USD', null, null, '2875', null, 'OPENAI *CHATGPT SUBSCRUSA'],
      [5, '2026-11-08', '2026-11-09', 'posted', '168.19', 'CNY', null, null, '2875', null, '网银在线-京东商城业务CHN'],
      [6, '2026-11-12', '2026-11-12', 'posted', '-0.01', 'CNY', null, null, null, null, '存款利息'],
      [7, '2026-11-15', '2026-11-16', 'posted', '18', 'USD', null, null, '2875', null, 'ANTHROPICUSA'],
      [8, '2026-11-18', '2026-11-19', 'posted', '-70.48', 'CNY', null, null, '2875', null, '网银在线CHN'],
      [9, '2026-11-20', '2026-11-20', 'posted', '-1500', 'CNY', null, null, '2875', null, '李四'],
      [10, '2026-11-24', '2026-11-25', 'posted', '0.59', 'CNY', null, null, '4260', null, '钱袋宝支付-大众点评App美团神会员CHN'],
    ]);
  });

  it('China Guangfa Bank: YYYY/MM/DD; 入账金额 signed, charges positive, in 入账货币 人民币; 交易金额/交易货币 美元 as the merchant amount', async () => {
    const { detection, records, issues, skipped } = await readReal('cn-cgb-credit-card-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['cn-cgb-credit-card', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', '2026-11-03', 'posted', '15.9', 'CNY', null, null, null, null, '（消费）示例商户甲'],
      [3, '2026-11-05', '2026-11-06', 'posted', '145.32', 'CNY', '20', 'USD', null, null, '（消费）OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-09', '2026-11-09', 'posted', '-97.2', 'CNY', null, null, null, null, '（退款）示例商户乙'],
      [5, '2026-11-12', '2026-11-13', 'posted', '129.85', 'CNY', '18', 'USD', null, null, '（消费）ANTHROPIC'],
      [6, '2026-11-15', '2026-11-15', 'posted', '387.42', 'CNY', null, null, null, null, '（分期）银联分期00000000000/03/12期'],
      [7, '2026-11-25', '2026-11-26', 'posted', '-1130.68', 'CNY', null, null, null, null, '（还款）云闪付 银联入账-王五'],
    ]);
  });
});
