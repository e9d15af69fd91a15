import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { cli } from './run-cli.js';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/money.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DEMO = join(ROOT, 'fixtures', 'demo');

const matchArgs = (out: string) => [
  'match',
  '--payments',
  join(DEMO, 'receipts'), // the demo's payment history: its receipts and a CSV of what has none
  '--statement',
  join(DEMO, 'us-card-2026-10.csv'),
  join(DEMO, 'cmb-credit-card-2026-10.csv'),
  '--config',
  join(ROOT, 'fixtures', 'spendrecon.config.json'),
  '--period',
  '2026-10',
  '--out',
  out,
];

describe('spendrecon match', () => {
  it('--json has the card ↔ payments bridge per currency: start + steps = end, difference 0', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-bridge-'));
    const r = await cli([...matchArgs(join(work, 'm.xlsx')), '--json'], work);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const bridge = j.bridge as {
      currency: string;
      start: string;
      end: string;
      difference: string;
      lines: { key: string; cardCount: number; paymentCount: number; cardAmount: string; paymentAmount: string; step: string }[];
    }[];
    expect(bridge.map((b) => b.currency)).toEqual([...new Set(bridge.map((b) => b.currency))].sort());
    expect(bridge.length).toBeGreaterThan(0);
    const rows = j.reconciliation as { side: string; class: string; currency: string; counted: boolean; amount: string }[];
    for (const b of bridge) {
      const steps = b.lines.reduce((s, l) => s.plus(Decimal.from(l.step)), Decimal.from(b.start));
      expect(steps.minus(Decimal.from(b.end)).toString(), b.currency).toBe(b.difference);
      expect(b.difference).toBe('0');
      for (const l of b.lines) expect(Decimal.from(l.paymentAmount).minus(Decimal.from(l.cardAmount)).toString()).toBe(Decimal.from(l.step).toString());
      // every counted line of this currency is on exactly one bridge line
      const counted = rows.filter((x) => x.counted && x.currency === b.currency);
      expect(
        b.lines.reduce((n, l) => n + l.cardCount + l.paymentCount, 0),
        b.currency,
      ).toBe(counted.length);
      const total = (side: string) =>
        counted
          .filter((x) => x.side === side)
          .reduce((s, x) => s.plus(Decimal.from(x.amount)), Decimal.ZERO)
          .toString();
      expect([b.start, b.end], b.currency).toEqual([total('card'), total('payment')]);
    }
  });

  it('gives every provider card line and every payment exactly one class, with the expected classes', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-match-'));
    const r = await cli([...matchArgs(join(work, 'm.xlsx')), '--json'], work);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.byProject).toBeUndefined(); // sections a command does not compute are absent
    const rows = j.reconciliation as { side: string; file: string; line: number; class: string; amount: string }[];
    const ids = rows.map((x) => `${x.side}:${x.file}:${x.line}`);
    expect(new Set(ids).size).toBe(ids.length);
    // 21 lines on the US card, 4 of them shops and the card's own repayment; 1 provider line on the CMB card
    expect(rows.filter((x) => x.side === 'card' && x.file.endsWith('us-card-2026-10.csv'))).toHaveLength(17);
    expect(rows.filter((x) => x.side === 'card' && x.file.endsWith('cmb-credit-card-2026-10.csv'))).toHaveLength(1);
    // 11 receipts and 3 rows of the CSV of payments without one
    expect(rows.filter((x) => x.side === 'payment')).toHaveLength(14);
    const cls = (file: string, line: number) => rows.find((x) => x.file.endsWith(file) && x.line === line)?.class;
    expect(cls('us-card-2026-10.csv', 22)).toBe('matched'); // 200.00 on 10/02
    expect(cls('cmb-credit-card-2026-10.csv', 4)).toBe('matched'); // 145.22 CNY = 20.00(USD)
    expect(cls('us-card-2026-10.csv', 18)).toBe('authorization_reversed');
    expect(cls('us-card-2026-10.csv', 19)).toBe('authorization_reversed');
    expect(cls('us-card-2026-10.csv', 15)).toBe('failed_payment_with_hold');
    expect(cls('us-card-2026-10.csv', 14)).toBe('duplicate_charge');
    expect(cls('us-card-2026-10.csv', 12)).toBe('subscription_not_api');
    expect(cls('us-card-2026-10.csv', 11)).toBe('refund');
    expect(cls('us-card-2026-10.csv', 7)).toBe('refund');
    expect(cls('us-card-2026-10.csv', 6)).toBe('unmatched_card_charge');
    expect(cls('us-card-2026-10.csv', 3)).toBe('matched'); // pending line, paid top-up
    expect(cls('us-card-2026-10.csv', 2)).toBe('pending_authorization');
    expect(cls('Receipt-2391-5549.pdf', 1)).toBe('unmatched_payment'); // paid with a card not in the statements
    expect(j.exceptions.some((e: { class: string; message: string }) => e.class === 'pending_authorization')).toBe(true);
  });

  it('writes the Reconciliation sheet and a Summary tie-out whose cached values match the engine', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-match-'));
    const out = join(work, 'm.xlsx');
    expect((await cli(matchArgs(out), work)).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Exceptions', 'Reconciliation', 'Inputs']);
    const rec = wb.getWorksheet('Reconciliation')!;
    expect(rec.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const summary = wb.getWorksheet('Summary')!;
    const rows: ExcelJS.Row[] = [];
    summary.eachRow((row) => rows.push(row));
    const num = (v: unknown) => (v && typeof v === 'object' && 'formula' in v ? ((v as { result?: number }).result ?? 0) : (v as number));
    // the Reconciliation columns the bridge's SUMIFS read, summed here by hand
    const hdr = (rec.getRow(1).values as unknown[]).map(String);
    const at = (h: string) => hdr.indexOf(h);
    const sumIf = (amount: string, key: string, currency: string, counted: string, bridge: string, cur: string) => {
      let s = 0;
      rec.eachRow((r, n) => {
        if (n > 1 && r.getCell(at(key)).value === bridge && r.getCell(at(currency)).value === cur && r.getCell(at(counted)).value === 'yes')
          s += r.getCell(at(amount)).value as number;
      });
      return Math.round(s * 100) / 100;
    };
    for (const cur of ['CNY', 'USD']) {
      const start = rows.findIndex((r) => r.getCell(1).value === `Bridge in ${cur}`);
      expect(start, cur).toBeGreaterThan(0);
      const card = num(rows[start + 1]!.getCell(2).value);
      const end = rows.findIndex((r, i) => i > start && r.getCell(1).value === '= Payments, by the bridge');
      let total = card;
      for (let i = start + 2; i < end; i++) {
        const step = num(rows[i]!.getCell(2).value);
        total += step;
        const formula = (rows[i]!.getCell(4).value as { formula: string }).formula;
        const bridge = /"(pair [^"]+|[a-z_]+)"/.exec(formula)![1]!;
        expect(num(rows[i]!.getCell(4).value), `${cur} ${bridge} card`).toBe(sumIf('Card amount', 'Card bridge line', 'Card currency', 'Card counted', bridge, cur));
        expect(num(rows[i]!.getCell(6).value), `${cur} ${bridge} payments`).toBe(
          sumIf('Payment amount', 'Payment bridge line', 'Payment currency', 'Payment counted', bridge, cur),
        );
        expect(Math.round((num(rows[i]!.getCell(6).value) - num(rows[i]!.getCell(4).value)) * 100)).toBe(Math.round(step * 100));
      }
      const payments = num(rows[end + 1]!.getCell(2).value);
      expect(Math.round(total * 100), cur).toBe(Math.round(payments * 100));
      expect(num(rows[end + 2]!.getCell(2).value), cur).toBe(0);
      if (cur === 'USD') expect([card, payments]).toEqual([685, 750]);
    }
  });

  it('--fail-on warning makes an unexplained charge a failing exit code', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-match-'));
    expect((await cli([...matchArgs(join(work, 'm.xlsx')), '--fail-on', 'warning'], work)).code).toBe(1);
  });

  it('an overrides file forbids a pair and the rerun keeps the decision', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-match-'));
    const overrides = join(work, 'overrides.json');
    writeFileSync(overrides, JSON.stringify({ forbid: [{ payment: { reference: '7C1D2E9A-0041' }, card: { file: 'us-card-2026-10.csv', line: 22 } }] }));
    const r = await cli([...matchArgs(join(work, 'm.xlsx')), '--overrides', overrides, '--json'], work);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout).reconciliation as { file: string; line: number; class: string }[];
    expect(rows.find((x) => x.file.endsWith('us-card-2026-10.csv') && x.line === 22)?.class).toBe('unmatched_card_charge');
  });
});

describe('spendrecon ledger', () => {
  it('rolls the balance forward from the configured opening balance', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-ledger-'));
    const r = await cli(
      [
        'ledger',
        '--payments',
        join(DEMO, 'receipts'),
        '--costs',
        join(ROOT, 'fixtures', 'openai', '*.csv'),
        join(DEMO, 'anthropic'),
        '--config',
        join(ROOT, 'fixtures', 'spendrecon.config.json'),
        '--period',
        '2026-10',
        '--closing-balance',
        '310.21',
        '--out',
        join(work, 'l.xlsx'),
        '--json',
      ],
      work,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const rows = j.ledger as { provider: string; date: string; balance: string; event: string }[];
    const ledger = rows.filter((l) => l.provider === 'openai');
    expect(ledger[0]).toMatchObject({ date: '2026-10-01', opening: '180' });
    // 180 opening + 535 paid top-ups and grants − 404.78682866 billed in October
    expect(ledger[ledger.length - 1]).toMatchObject({ date: '2026-10-31', balance: '310.21317134' });
    expect(ledger.some((l) => /limit 200\.00 reached on 2026-10-27/.test(l.event))).toBe(true);
    // Anthropic's credit on its own: 15.00 opening + 50.00 top-up − 8.43 billed
    const anthropic = rows.filter((l) => l.provider === 'anthropic');
    expect([anthropic[0]!.date, anthropic.at(-1)!.date, anthropic.at(-1)!.balance]).toEqual(['2026-10-01', '2026-10-31', '56.57']);
    expect(existsSync(join(work, 'l.xlsx'))).toBe(true);
  });
});

describe('spendrecon init', () => {
  it('writes the config and payment-history templates, and refuses to overwrite', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-init-'));
    expect((await cli(['init'], work)).code).toBe(0);
    expect(readFileSync(join(work, 'payments.csv'), 'utf8').split('\n')[0]).toBe('paid_at,reference,amount,currency,status,kind,organization,card_last4,description,provider');
    expect(JSON.parse(readFileSync(join(work, 'spendrecon.config.json'), 'utf8')).timezone).toBeTruthy();
    const again = await cli(['init'], work);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; use --force/);
  });

  it('the unedited templates filter out no cost row and add no payment', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-init-'));
    expect((await cli(['init'], work)).code).toBe(0);
    const cost = join(ROOT, 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv');
    const r = await cli(
      ['ledger', '--payments', 'payments.csv', '--costs', cost, '--config', 'spendrecon.config.json', '--period', '2026-10', '--out', join(work, 'l.xlsx'), '--json'],
      work,
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const costInput = (j.inputs as { file: string; outOfScope: number; rowsUsed: number }[]).find((i) => i.file.endsWith('cost_2026-10-01_2026-10-31.csv'))!;
    expect(costInput.outOfScope).toBe(0);
    expect(costInput.rowsUsed).toBeGreaterThan(0);
    expect((j.inputs as { file: string; rowsRead: number }[]).find((i) => i.file.endsWith('payments.csv'))!.rowsRead).toBe(0);
  });
});

describe('an organisation filter that leaves no cost row', () => {
  it('stops with exit 2 naming the organisations the rows belong to', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-org-'));
    writeFileSync(join(work, 'c.json'), JSON.stringify({ timezone: 'UTC', organizations: ['org-Typo123'] }));
    const cost = join(ROOT, 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv');
    const r = await cli(['report', '--costs', cost, '--config', 'c.json', '--period', '2026-10', '--out', join(work, 'r.xlsx')], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"organizations" \(org-Typo123\) leaves no cost rows: all \d+ cost rows belong to org-Acme7Hq2kWb9 \(\d+\)/);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // a message, not a stack
    expect(existsSync(join(work, 'r.xlsx'))).toBe(false);
  });
});

describe('a report from a cost export alone', () => {
  it('says once that there is no usage export, with no per-project "no usage" warnings', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-costonly-'));
    const cost = join(ROOT, 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv');
    const r = await cli(['report', '--costs', cost, '--tz', 'UTC', '--period', '2026-10', '--out', join(work, 'r.xlsx'), '--json'], work);
    expect(r.code, r.stderr).toBe(0);
    const ex = JSON.parse(r.stdout).exceptions as { severity: string; class: string; message: string }[];
    expect(ex.filter((e) => e.class === 'no_usage_export')).toEqual([
      expect.objectContaining({ severity: 'info', message: expect.stringMatching(/not split by API key or user.*not compared with cost/) }),
    ]);
    expect(ex.filter((e) => /usage export has no rows/.test(e.message))).toEqual([]);
  });
});

describe('Inputs accounting', () => {
  /** Every row read is in exactly one bucket: used, empty, repeat, outside the period, other organisation, rejected. */
  function expectAccounted(
    inputs: { file: string; rowsRead: number; rowsUsed: number; emptyBuckets: number; duplicates: number; outOfPeriod: number; outOfScope: number; rowsRejected: number }[],
  ) {
    expect(inputs.length).toBeGreaterThan(0);
    for (const i of inputs)
      expect({ file: i.file, sum: i.rowsUsed + i.emptyBuckets + i.duplicates + i.outOfPeriod + i.outOfScope + i.rowsRejected }).toEqual({ file: i.file, sum: i.rowsRead });
  }
  const cfg = join(ROOT, 'fixtures', 'spendrecon.config.json');
  const cases: [string, string[]][] = [
    [
      'report with --since only',
      ['report', '--usage', join(ROOT, 'fixtures', 'openai', '*.csv'), '--costs', join(ROOT, 'fixtures', 'openai', '*.csv'), '--since', '2026-10-15', '--config', cfg],
    ],
    [
      'ledger',
      [
        'ledger',
        '--payments',
        join(DEMO, 'payments_2026-10.csv'),
        join(ROOT, 'fixtures', 'payments', 'payments_2026-10.csv'),
        '--costs',
        join(ROOT, 'fixtures', 'openai', 'cost_2026-10-01_2026-10-31.csv'),
        '--period',
        '2026-10',
        '--config',
        cfg,
      ],
    ],
    ['match', [...matchArgs('').slice(0, -2)]],
  ];
  it.each(cases)('%s: every row read is counted once', async (_name, args) => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-acct-'));
    const r = await cli([...args, '--out', join(work, 'o.xlsx'), '--json'], work);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expectAccounted(j.inputs);
    if (_name === 'report with --since only') {
      const daily = j.inputs.find((i: { file: string }) => i.file.endsWith('completions_usage_2026-09-28_2026-10-03_daily.csv'));
      expect(daily.rowsUsed).toBe(0); // every day of it is before 2026-10-15
    }
    if (_name === 'ledger') {
      // the other organisation's payments are counted as such and kept out of the ledger
      const other = j.inputs.find((i: { file: string }) => i.file.endsWith(join('payments', 'payments_2026-10.csv')));
      expect(other.outOfScope).toBeGreaterThan(0);
      expect(j.ledger.every((l: { organization: string }) => l.organization === 'org-Acme7Hq2kWb9')).toBe(true);
    }
  });

  it('--strict also stops at a conflicting repeat across files', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-acct-'));
    const o = join(ROOT, 'fixtures', 'openai');
    const r = await cli(
      ['report', '--costs', join(o, 'cost_2026-10-01_2026-10-31.csv'), join(o, 'cost_2026-10-25_2026-11-07.csv'), '--period', '2026-10', '--strict', '--out', join(work, 'o.xlsx')],
      work,
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cost_2026-10-25_2026-11-07\.csv, line 85: conflicting repeat/);
  });

  it('--csv writes negative amounts as numbers and neutralises formula-looking text', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-acct-'));
    const o = join(ROOT, 'fixtures', 'openai');
    expect(
      (
        await cli(
          [
            'report',
            '--usage',
            join(o, 'completions_usage_2026-10-01_2026-10-31.csv'),
            '--costs',
            join(o, 'cost_2026-10-01_2026-10-31.csv'),
            '--period',
            '2026-10',
            '--tz',
            'UTC',
            '--csv',
            join(work, 'csv'),
            '--out',
            join(work, 'o.xlsx'),
          ],
          work,
        )
      ).code,
    ).toBe(0);
    const text = readFileSync(join(work, 'csv', 'usage-vs-cost.csv'), 'utf8');
    expect(text).toMatch(/,-1\.011625,/);
    expect(text).not.toMatch(/'-\d/);
  });
});

describe('--focus', () => {
  it('writes a FOCUS cost CSV whose usage rows add up to the billed total', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-focus-'));
    const r = await cli(['demo', '--out', join(work, 'd.xlsx'), '--focus', join(work, 'focus.csv')], work);
    expect(r.code).toBe(0);
    const { Decimal } = await import('../../src/money.js');
    const Papa = (await import('papaparse')).default;
    const parsed = Papa.parse<Record<string, string>>(readFileSync(join(work, 'focus.csv'), 'utf8'), { header: true, skipEmptyLines: true });
    expect(parsed.meta.fields).toEqual(
      expect.arrayContaining([
        'BilledCost',
        'EffectiveCost',
        'ListCost',
        'ChargeCategory',
        'ChargePeriodStart',
        'ChargePeriodEnd',
        'ServiceName',
        'SubAccountId',
        'ResourceId',
        'Tags',
      ]),
    );
    const usage = parsed.data.filter((x) => x.ChargeCategory === 'Usage');
    const total = usage.reduce((s, x) => s.plus(Decimal.from(x.BilledCost!)), Decimal.ZERO);
    // OpenAI's 404.78682866 and Anthropic's 8.43
    expect(total.toString()).toBe('413.21682866');
    // paid API credit in October: OpenAI 200 + 20 + 4 × 50 + 40, Anthropic 50 (grants and plans are not purchases of API credit)
    const purchases = parsed.data.filter((x) => x.ChargeCategory === 'Purchase');
    expect(purchases.reduce((s, x) => s.plus(Decimal.from(x.BilledCost!)), Decimal.ZERO).toString()).toBe('560');
  });
});

describe('payments outside the period', () => {
  it('leave the payment-side totals with their rows, so the tie-out sums what the sheet shows', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-drop-'));
    // the demo history plus a paid September top-up on a card not in the statements: it explains no line
    const history = join(work, 'payments.csv');
    writeFileSync(
      history,
      `${readFileSync(join(DEMO, 'payments_2026-10.csv'), 'utf8')}2026-09-20T10:00:00Z,INV-SEPT-0001,30.00,USD,paid,manual,org-Acme7Hq2kWb9,9911,September top-up\n`,
    );
    const r = await cli(
      [
        'match',
        '--payments',
        history,
        '--statement',
        join(DEMO, 'us-card-2026-10.csv'),
        join(DEMO, 'cmb-credit-card-2026-10.csv'),
        '--config',
        join(ROOT, 'fixtures', 'spendrecon.config.json'),
        '--period',
        '2026-10',
        '--json',
        '--out',
        join(work, 'm.xlsx'),
      ],
      work,
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const { Decimal } = await import('../../src/money.js');
    const fromRows = new Map<string, import('../../src/money.js').Decimal>();
    for (const x of j.reconciliation as { side: string; class: string; currency: string; amount: string; counted: boolean }[]) {
      if (x.side !== 'payment' || !x.counted) continue;
      const k = `${x.class}|${x.currency}`;
      fromRows.set(k, (fromRows.get(k) ?? Decimal.ZERO).plus(Decimal.from(x.amount)));
    }
    const fromTotals = new Map<string, string>();
    for (const t of j.reconciliationTotals as { side: string; class: string; currency: string; amount: string }[])
      if (t.side === 'payment') fromTotals.set(`${t.class}|${t.currency}`, t.amount);
    expect(Object.fromEntries([...fromRows].map(([k, v]) => [k, v.toString()]))).toEqual(Object.fromEntries(fromTotals));
    expect((j.reconciliation as { side: string; line: number }[]).some((x) => x.side === 'payment' && x.line === 14)).toBe(false);
    expect(j.inputs.find((i: { file: string }) => i.file.endsWith('payments.csv')).outOfPeriod).toBe(1);
  });
});
