/**
 * The demo month (`npm start` = `spendrecon demo`, issues #11 and #16): both providers on Dana's
 * card, the payments read from receipts, every card line and payment with its class and partner,
 * the cross-provider near-miss paired within each provider, byProvider adding up.
 * fixtures/demo/README.md tells the story these rows pin.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Decimal, sum } from '../../src/money.js';
import { cli, ROOT } from './run-cli.js';

const DEMO = join(ROOT, 'fixtures', 'demo');
const US = 'us-card-2026-10.csv';
const CMB = 'cmb-credit-card-2026-10.csv';
const NO_RECEIPT = 'payments-without-receipt_2026-10.csv';

interface Row {
  side: 'card' | 'payment';
  file: string;
  line: number;
  class: string;
  amount: string;
  counterpart?: { file: string; line: number };
}
interface ByProvider {
  provider: string;
  billed: string;
  unallocated: string;
  payments: { currency: string; count: number; amount: string }[];
  balance: string | null;
}

/** `file:line` → [class, partner `file:line` or null]: each provider card line and each payment of the month. */
const EXPECTED: Record<string, [string, string | null]> = {
  [`${US}:2`]: ['pending_authorization', null], // 10/31 OPENAI *API 30.00, never confirmed
  [`${US}:3`]: ['matched', 'Your receipt from OpenAI #2391-5550.eml:1'], // 10/30, still pending on the card
  [`${US}:5`]: ['matched', 'Receipt-2391-5548.pdf:1'],
  [`${US}:6`]: ['unmatched_card_charge', null], // OpenAI LLC 15.00: no payment explains it
  [`${US}:7`]: ['refund', `${NO_RECEIPT}:4`], // the wrong-organisation purchase given back
  [`${US}:8`]: ['matched', 'Your receipt from OpenAI #2391-5547.eml:1'], // the near-miss, OpenAI side
  [`${US}:9`]: ['matched', 'Receipt-2417-3306-5230-anthropic-credits.pdf:1'], // the near-miss, Anthropic side
  [`${US}:11`]: ['refund', `${NO_RECEIPT}:4`], // the wrong-organisation purchase
  [`${US}:12`]: ['subscription_not_api', 'Receipt-2816-4471-chatgpt-plus.pdf:1'],
  [`${US}:13`]: ['matched', 'Receipt-2391-5545.pdf:1'],
  [`${US}:14`]: ['duplicate_charge', `${US}:13`],
  [`${US}:15`]: ['failed_payment_with_hold', `${NO_RECEIPT}:3`],
  [`${US}:16`]: ['matched', 'Receipt-2391-5543.pdf:1'],
  [`${US}:18`]: ['authorization_reversed', `${US}:19`],
  [`${US}:19`]: ['authorization_reversed', `${US}:18`],
  [`${US}:20`]: ['subscription_not_api', 'Receipt-2417-3306-5102-claude-pro.pdf:1'],
  [`${US}:22`]: ['matched', 'Receipt-2391-5541.pdf:1'],
  [`${CMB}:4`]: ['matched', 'Receipt-2391-5542.pdf:1'], // 145.22 CNY = 20.00(USD)
  [`${NO_RECEIPT}:2`]: ['unmatched_payment', null], // the grant: credit without a card charge
  [`${NO_RECEIPT}:3`]: ['failed_payment_with_hold', `${US}:15`],
  [`${NO_RECEIPT}:4`]: ['refund', `${US}:11`],
  'Receipt-2391-5541.pdf:1': ['matched', `${US}:22`],
  'Receipt-2391-5542.pdf:1': ['matched', `${CMB}:4`],
  'Receipt-2391-5543.pdf:1': ['matched', `${US}:16`],
  'Receipt-2391-5545.pdf:1': ['matched', `${US}:13`],
  'Receipt-2816-4471-chatgpt-plus.pdf:1': ['subscription_not_api', `${US}:12`],
  'Your receipt from OpenAI #2391-5547.eml:1': ['matched', `${US}:8`],
  'Receipt-2391-5548.pdf:1': ['matched', `${US}:5`],
  'Receipt-2391-5549.pdf:1': ['unmatched_payment', null], // paid with a card whose statement is not here
  'Your receipt from OpenAI #2391-5550.eml:1': ['matched', `${US}:3`],
  'Receipt-2417-3306-5102-claude-pro.pdf:1': ['subscription_not_api', `${US}:20`],
  'Receipt-2417-3306-5230-anthropic-credits.pdf:1': ['matched', `${US}:9`],
};

const at = (file: string, line: number) => `${basename(file)}:${line}`;
const partner = (r: Row) => (r.counterpart ? at(r.counterpart.file, r.counterpart.line) : null);
/** The card line's text as the statement has it (the US card: Chase-style, description third). */
const usCardDescription = (line: number) => readFileSync(join(DEMO, US), 'utf8').split(/\r?\n/)[line - 1]!.split(',')[2]!;

let j: {
  reconciliation: Row[];
  byProvider: ByProvider[];
  totals: { billed: string; unallocated: string };
  conservation: { holds: boolean; equations: { holds: boolean; file?: string }[] };
};
let summary: string;
beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'spendrecon-demo-'));
  const r = await cli(['demo', '--json'], work);
  expect(r.code, r.stderr).toBe(0);
  j = JSON.parse(r.stdout);
  summary = r.stderr; // with --json the summary goes to stderr
}, 60_000);

describe('the demo month', () => {
  it('gives each provider card line and each payment its class and its partner, line by line', () => {
    const got = Object.fromEntries(j.reconciliation.map((r) => [at(r.file, r.line), [r.class, partner(r)]]));
    expect(got).toEqual(EXPECTED);
  });

  it('pairs the near-miss within each provider: same day, same amount, never crossed', () => {
    const row = (file: string, line: number) => j.reconciliation.find((r) => at(r.file, r.line) === `${file}:${line}`)!;
    const openai = row('Your receipt from OpenAI #2391-5547.eml', 1);
    const anthropic = row('Receipt-2417-3306-5230-anthropic-credits.pdf', 1);
    expect([openai.amount, anthropic.amount]).toEqual(['50', '50']);
    expect(usCardDescription(openai.counterpart!.line)).toBe('OPENAI *API');
    expect(usCardDescription(anthropic.counterpart!.line)).toBe('ANTHROPIC');
    // both card lines are of the same day and amount: only the provider tells them apart
    const [a, b] = [openai.counterpart!.line, anthropic.counterpart!.line].map((l) => readFileSync(join(DEMO, US), 'utf8').split(/\r?\n/)[l - 1]!.split(','));
    expect([a![0], a![5]]).toEqual([b![0], b![5]]);
  });

  it('pairs no US card line with the other provider’s payment', () => {
    const anthropicPayment = /Receipt-2417-/;
    for (const r of j.reconciliation) {
      if (r.side !== 'card' || !r.file.endsWith(US) || !r.counterpart || r.counterpart.file.endsWith(US)) continue;
      const card = /ANTHROPIC|CLAUDE/.test(usCardDescription(r.line)) ? 'anthropic' : 'openai';
      expect(anthropicPayment.test(r.counterpart.file) ? 'anthropic' : 'openai', at(r.file, r.line)).toBe(card);
    }
  });

  it('bills both providers, and byProvider adds up to the totals', () => {
    const bp = Object.fromEntries(j.byProvider.map((p) => [p.provider, p]));
    expect(Object.keys(bp)).toEqual(['openai', 'anthropic']);
    expect([bp.openai!.billed, bp.anthropic!.billed]).toEqual(['404.78682866', '8.43']);
    expect(j.totals.billed).toBe('413.21682866');
    const total = (f: (p: ByProvider) => string) => sum(j.byProvider.map((p) => Decimal.from(f(p))));
    expect(total((p) => p.billed).eq(Decimal.from(j.totals.billed))).toBe(true);
    expect(total((p) => p.unallocated).eq(Decimal.from(j.totals.unallocated))).toBe(true);
    // paid payments, plans and the grant included: OpenAI's as before receipts; Anthropic's top-up and Claude Pro
    expect(bp.openai!.payments).toEqual([{ currency: 'USD', count: 10, amount: '555' }]);
    expect(bp.anthropic!.payments).toEqual([{ currency: 'USD', count: 2, amount: '70' }]);
    // 180.00 + 535.00 − 404.78682866; 15.00 + 50.00 − 8.43
    expect([bp.openai!.balance, bp.anthropic!.balance]).toEqual(['310.21317134', '56.57']);
  });

  it('accounts for every row and cent: 3 equations per money file and currency, 1 per usage file, 18 over the run', () => {
    expect(j.conservation.holds).toBe(true);
    expect(j.conservation.equations.every((e) => e.holds)).toBe(true);
    expect(j.conservation.equations).toHaveLength(81);
    expect(summary).toMatch(/every row and cent accounted for \(81 equations hold\)/);
    expect(summary).toMatch(/closing balance OpenAI org-Acme7Hq2kWb9\s+310\.21 USD/);
    expect(summary).toMatch(/closing balance Anthropic org-Acme7Hq2kWb9\s+56\.57 USD/);
  });
});

describe('the receipts and the typed payment history', () => {
  it('give every OpenAI payment the same class and card line (the receipts changed how payments are read, not what they are)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-demo-csv-'));
    const statements = [join(DEMO, US), join(DEMO, CMB)];
    const config = join(ROOT, 'fixtures', 'spendrecon.config.json');
    const r = await cli(
      ['match', '--payments', join(DEMO, 'payments_2026-10.csv'), '--statement', ...statements, '--config', config, '--period', '2026-10', '--out', join(work, 'm.xlsx'), '--json'],
      work,
    );
    expect(r.code, r.stderr).toBe(0);
    const typed: Row[] = JSON.parse(r.stdout).reconciliation;
    const reference = (r: Row) => /(\d{4})\.(?:pdf|eml)$/.exec(r.file);
    // the typed CSV's rows by reference: 7C1D2E9A-00NN is receipt 2391-55NN
    const csvRef = (line: number) => readFileSync(join(DEMO, 'payments_2026-10.csv'), 'utf8').split('\n')[line - 1]!.split(',')[1]!;
    const fromReceipts = new Map<string, [string, string | null]>();
    for (const p of j.reconciliation) {
      if (p.side !== 'payment' || /Receipt-2417-/.test(p.file)) continue;
      const m = reference(p);
      const ref = p.file.endsWith('chatgpt-plus.pdf') ? '5B7E0D3C-0002' : m ? `7C1D2E9A-00${m[1]!.slice(2)}` : null;
      const key = ref ?? readFileSync(p.file, 'utf8').split('\n')[p.line - 1]!.split(',')[1]!;
      fromReceipts.set(key, [p.class, partner(p)]);
    }
    const fromCsv = new Map(typed.filter((p) => p.side === 'payment').map((p) => [csvRef(p.line), [p.class, partner(p)] as [string, string | null]]));
    expect(fromReceipts.size).toBe(12);
    expect(fromCsv).toEqual(fromReceipts);
  });
});
