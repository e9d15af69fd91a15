/** The ledger with two providers (issue 11): each (provider, organisation) rolls its own credit. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { buildCreditLedger, dailyUsageFromCosts, type DailyUsage, type LedgerInput, type LedgerResult } from '../../src/engine/ledger/index.js';
import type { CostRecord, PaymentRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';
import { provider } from '../../src/providers.js';
import type { OpenedInput } from '../../src/sources/contract.js';
import { CsvFile } from '../../src/sources/csv.js';
import { paymentsReader } from '../../src/sources/payments.js';
import { addDays, makePeriod, parseIsoInstant } from '../../src/time.js';
import { prng } from '../helpers.js';

const D = Decimal.from;
let line = 1;

function pay(iso: string, amount: string, prov: string, o: { org?: string | null; ref?: string; kind?: PaymentRecord['kind'] } = {}): PaymentRecord {
  line++;
  return {
    src: { file: 'payments.csv', line },
    provider: prov,
    paidAt: parseIsoInstant(iso)!,
    reference: o.ref ?? `R-${line}`,
    amount: D(amount),
    currency: 'USD',
    status: 'paid',
    kind: o.kind ?? 'manual',
    organization: o.org === undefined ? 'org-1' : o.org,
    cardLast4: null,
    description: '',
  };
}

const use = (date: string, amount: string, prov?: string, org: string | null = 'org-1'): DailyUsage => ({
  ...(prov ? { provider: prov } : {}),
  organization: org,
  date,
  amount: D(amount),
});

function ledger(from: string, to: string, rest: Partial<LedgerInput>): LedgerResult {
  return buildCreditLedger({ timezone: 'UTC', period: makePeriod(from, to, 'UTC'), payments: [], usage: [], ...rest });
}

const closingOf = (r: LedgerResult, prov: string, org: string | null = 'org-1') => r.closing.find((c) => c.provider === prov && c.organization === org)!.balance.toString();

/** Each account's days chain and obey opening + in − out − expired = closing. */
function checkAccounts(r: LedgerResult): void {
  for (const a of r.accounts) {
    const rows = r.days.filter((d) => d.provider === a.provider && d.organization === a.organization);
    for (let i = 0; i < rows.length; i++) {
      const d = rows[i]!;
      expect(d.opening.plus(d.in).minus(d.out).minus(d.expired).eq(d.closing)).toBe(true);
      if (i > 0) expect(d.opening.eq(rows[i - 1]!.closing)).toBe(true);
    }
  }
  expect(new Set(r.lots.map((l) => l.id)).size).toBe(r.lots.length);
}

describe('ledger per provider', () => {
  it('a two-provider month: the same organisation id of two providers rolls two balances, each top-up paying only its own provider’s usage', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [pay('2026-10-01T09:00:00Z', '100', 'openai'), pay('2026-10-02T09:00:00Z', '50', 'anthropic')],
      usage: [use('2026-10-03', '30'), use('2026-10-03', '70', 'anthropic'), use('2026-10-04', '5', 'openai')],
    });
    checkAccounts(r);
    expect(r.providers).toEqual(['openai', 'anthropic']);
    expect(r.accounts).toEqual([
      { provider: 'openai', organization: 'org-1' },
      { provider: 'anthropic', organization: 'org-1' },
    ]);
    expect(r.organizations).toEqual(['org-1']);
    expect(closingOf(r, 'openai')).toBe('65');
    // Anthropic's 70 of usage is beyond its own 50 of credit: negative, though OpenAI holds 65
    expect(closingOf(r, 'anthropic')).toBe('-20');
    expect(r.events.filter((e) => e.kind === 'balance_negative').map((e) => [e.provider, e.date])).toEqual([['anthropic', '2026-10-03']]);
    expect(r.exceptions.filter((e) => e.subject.startsWith(`${provider('anthropic').name}: `)).length).toBeGreaterThan(0);
    expect(r.rules.at(-1)).toMatch(/rolled separately/);
  });

  it('an Anthropic lot expires one year after purchase, unless the config sets the validity for every provider', () => {
    const payments = [pay('2025-10-15T12:00:00Z', '40', 'anthropic', { ref: 'A-1' }), pay('2025-10-15T12:00:00Z', '40', 'openai', { ref: 'O-1' })];
    const usage = [use('2025-11-01', '10', 'anthropic')];
    const r = ledger('2026-10-01', '2026-10-31', { payments, usage });
    const lot = r.lots.find((l) => l.reference === 'A-1')!;
    expect(provider('anthropic').creditExpiryMonths).toBe(12);
    expect([lot.provider, lot.expiresOn, lot.expired.toString()]).toEqual(['anthropic', '2026-10-15', '30']);
    expect(r.days.find((d) => d.provider === 'anthropic' && d.date === '2026-10-15')!.expired.toString()).toBe('30');
    expect(r.exceptions.some((e) => e.class === 'credit_expired_unused' && e.subject.startsWith(provider('anthropic').name))).toBe(true);

    const six = ledger('2026-03-01', '2026-04-30', { payments, usage, creditValidityMonths: 6 });
    expect(six.lots.filter((l) => l.reference).map((l) => [l.provider, l.expiresOn])).toEqual([
      ['openai', '2026-04-15'],
      ['anthropic', '2026-04-15'],
    ]);
  });

  it('openings per provider; one without a provider is the default provider’s; the closing check goes to the provider it names', () => {
    const r = ledger('2026-10-01', '2026-10-31', {
      openingBalance: [
        { amount: D('12'), date: '2026-10-01', organization: 'org-1' },
        { amount: D('30'), date: '2026-10-01', organization: 'org-1', provider: 'anthropic' },
      ],
      usage: [use('2026-10-05', '2'), use('2026-10-05', '4', 'anthropic')],
      closingBalanceReported: { amount: D('26'), provider: 'anthropic' },
    });
    checkAccounts(r);
    expect([closingOf(r, 'openai'), closingOf(r, 'anthropic')]).toEqual(['10', '26']);
    expect([r.closingCheck!.provider, r.closingCheck!.matches]).toEqual(['anthropic', true]);
  });

  it('law: each provider’s part of a mixed ledger is the ledger of that provider alone (generated data)', () => {
    const rand = prng(11);
    const int = (n: number) => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    for (let run = 0; run < 25; run++) {
      const payments: PaymentRecord[] = [];
      const usage: DailyUsage[] = [];
      for (let i = 0; i < 12; i++)
        payments.push(
          pay(`2026-${String(1 + int(10)).padStart(2, '0')}-1${int(9)}T10:00:00Z`, String(1 + int(200)), pick(['openai', 'anthropic']), { org: pick(['org-1', null]) }),
        );
      for (let i = 0; i < 60; i++)
        usage.push(use(addDays('2026-01-01', int(300)), Decimal.of(BigInt(int(90000)), 3).toString(), pick(['openai', 'anthropic']), pick(['org-1', 'org-2'])));
      const both = ledger('2026-09-01', '2026-10-31', { payments, usage });
      checkAccounts(both);
      for (const p of ['openai', 'anthropic']) {
        const alone = ledger('2026-09-01', '2026-10-31', { payments: payments.filter((x) => x.provider === p), usage: usage.filter((u) => (u.provider ?? 'openai') === p) });
        const view = (days: LedgerResult['days']) => days.map((d) => `${d.organization} ${d.date} ${d.opening} ${d.in} ${d.out} ${d.expired} ${d.closing}`);
        expect(view(both.days.filter((d) => d.provider === p))).toEqual(view(alone.days));
        expect(both.closing.filter((c) => c.provider === p).map((c) => c.balance.toString())).toEqual(alone.closing.map((c) => c.balance.toString()));
      }
    }
  });

  it('billed usage from cost rows is kept per provider', () => {
    const row = (prov: string, amount: string): CostRecord => ({
      src: { file: 'c.csv', line: 2 },
      provider: prov,
      start: Date.parse('2026-10-03T00:00:00Z') / 1000,
      end: Date.parse('2026-10-04T00:00:00Z') / 1000,
      amount: D(amount),
      currency: 'USD',
      quantity: null,
      quantityUnit: null,
      lineItemRaw: null,
      lineItem: null,
      projectId: null,
      projectName: null,
      organizationId: 'org-1',
      organizationName: null,
      apiKeyId: null,
      userId: null,
      userEmail: null,
    });
    const u = dailyUsageFromCosts([row('openai', '1.5'), row('anthropic', '2'), row('openai', '0.5')], 'UTC');
    expect(u.map((x) => [x.provider, x.amount.toString()])).toEqual([
      ['openai', '2'],
      ['anthropic', '2'],
    ]);
  });

  it('the payment history’s provider column decides whose credit a top-up is', async () => {
    const csv = [
      'paid_at,reference,amount,currency,status,kind,organization,card_last4,description,provider',
      '2026-10-02T10:00:00Z,INV-1,25.00,USD,paid,manual,org-1,4242,API credit,OpenAI',
      '2026-10-02T11:00:00Z,INV-2,25.00,USD,paid,manual,org-1,4242,API credit,Anthropic',
    ].join('\n');
    const { records } = await readPayments(csv);
    const r = ledger('2026-10-01', '2026-10-31', { payments: records, usage: [use('2026-10-05', '10', 'anthropic')] });
    expect([closingOf(r, 'openai'), closingOf(r, 'anthropic')]).toEqual(['25', '15']);
  });

  it('config: an opening balance per provider (name or id), creditValidityMonths; an unknown provider is refused with its path', () => {
    const c = parseConfig(
      {
        openingBalance: [
          { amount: '5', date: '2026-10-01', provider: 'Anthropic' },
          { amount: '7', date: '2026-10-01' },
        ],
        creditValidityMonths: 24,
      },
      'cfg',
    );
    expect(c.openingBalance).toEqual([expect.objectContaining({ provider: 'anthropic' }), expect.not.objectContaining({ provider: expect.anything() })]);
    expect(parseConfig({ openingBalance: { amount: '5', date: '2026-10-01' } }, 'cfg').openingBalance).toEqual([expect.objectContaining({ date: '2026-10-01' })]);
    expect(() => parseConfig({ openingBalance: { amount: 'x', date: '2026-10-01' } }, 'cfg')).toThrow(/openingBalance\.amount: expected a decimal/);
    expect(c.creditValidityMonths).toBe(24);
    expect(() => parseConfig({ openingBalance: { amount: '5', date: '2026-10-01', provider: 'acme' } }, 'cfg')).toThrow(/openingBalance.*provider.*expected a provider/s);
  });
});

/** The payment history read by its real reader from a temporary file. */
async function readPayments(text: string): Promise<{ records: PaymentRecord[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'spendrecon-ledger-'));
  const path = join(dir, 'payments.csv');
  await writeFile(path, text);
  const input: OpenedInput = { path, type: 'csv', csv: await CsvFile.open(path) };
  const detection = paymentsReader.detect(input)!;
  const records: PaymentRecord[] = [];
  for await (const b of paymentsReader.read(input, detection, { timezone: 'UTC', displayPath: 'payments.csv' })) records.push(...b.records);
  return { records };
}

describe('runway per provider', () => {
  it('each (provider, organisation) has its own runway from its own balance and burn', async () => {
    const { computeRunway } = await import('../../src/engine/runway.js');
    const r = ledger('2026-10-01', '2026-10-31', {
      payments: [pay('2026-10-01T09:00:00Z', '100', 'openai'), pay('2026-10-01T09:00:00Z', '10', 'anthropic')],
      usage: [use('2026-10-20', '1'), use('2026-10-20', '8', 'anthropic')],
    });
    const w = computeRunway({ ledger: r });
    expect(w.organizations.map((o) => [o.provider, o.organization, o.balance.toString(), o.burnLast7Days.toString()])).toEqual([
      ['openai', 'org-1', '99', '1'],
      ['anthropic', 'org-1', '2', '8'],
    ]);
    expect(w.exceptions.filter((e) => e.class === 'credit_runs_out').map((e) => e.subject)).toEqual([`${provider('anthropic').name}: org-1`]);
  });
});
