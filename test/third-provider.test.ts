/**
 * Issue 11, "adding the next provider is adding files": a made-up third provider — its
 * description registered at run time (as src/data/providers/<id>.json + one line in
 * src/providers.ts would) and one cost reader (as src/sources/<id>-costs.ts + its line in
 * exportReaders would) — runs through attribution, matching, the ledger, reimbursement and FOCUS
 * beside OpenAI and Anthropic with no other change: no code path assumes two providers.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.js';
import type { CostRecord } from '../src/model.js';
import { Decimal, sum } from '../src/money.js';
import { runReport } from '../src/pipeline.js';
import { providerFromText, registerProvider } from '../src/providers.js';
import { writeFocusCsv } from '../src/report/focus.js';
import { reportByProvider } from '../src/report/providers.js';
import { reimbursementFromReport } from '../src/report/reimbursement/index.js';
import { detectByHeader, headerIndex, type SourceReader } from '../src/sources/contract.js';
import { exportReaders } from '../src/sources/index.js';

const FX = join(import.meta.dirname, '..', 'fixtures');
const DIR = mkdtempSync(join(tmpdir(), 'spendrecon-third-'));
const ORG = 'org-Acme7Hq2kWb9';

registerProvider({
  id: 'zephyr',
  name: 'Zephyr AI',
  aliases: ['zephyr ai inc'],
  apiProduct: 'Zephyr API',
  planProduct: 'Zephyr Chat',
  projectDimension: 'space',
  defaultProject: { id: null, name: 'Default space' },
  descriptorPatterns: ['ZEPHYR AI*', 'ZEPHYRAI.COM'],
  subscriptionPatterns: ['ZEPHYR AI*CHAT PLUS'],
  focus: { providerName: 'Zephyr AI', publisherName: 'Zephyr AI', invoiceIssuerName: 'Zephyr AI Inc.', serviceName: 'Zephyr API', serviceCategory: 'AI and Machine Learning' },
  creditExpiryMonths: 6,
});

/** The provider's one export: `day,space,model,cost_usd`, a daily row per space and model. */
const zephyrCosts: SourceReader<CostRecord> = {
  format: 'zephyr-costs-csv',
  label: 'Zephyr cost export',
  kind: 'costs',
  detect: (input) =>
    input.type === 'csv'
      ? detectByHeader(input.csv.head[0]?.fields ?? [], { format: 'zephyr-costs-csv', label: 'Zephyr cost export', required: ['day', 'space', 'model', 'cost_usd'], known: [] })
      : null,
  async *read(input, _d, ctx) {
    if (input.type !== 'csv') return;
    const idx = headerIndex(input.csv.head[0]?.fields ?? []);
    const records: CostRecord[] = [];
    for await (const rows of input.csv.batches()) {
      for (const { fields: row, line } of rows) {
        if (line === 1) continue; // the header
        const start = Date.parse(`${row[idx.get('day')!]}T00:00:00Z`) / 1000;
        const model = row[idx.get('model')!]!;
        records.push({
          src: { file: ctx.displayPath, line },
          provider: 'zephyr',
          start,
          end: start + 86400,
          amount: Decimal.from(row[idx.get('cost_usd')!]!),
          currency: 'USD',
          quantity: null,
          quantityUnit: null,
          lineItemRaw: model,
          lineItem: { surface: null, model, modality: null, tokenKind: null, longContext: false },
          projectId: row[idx.get('space')!]!,
          projectName: null,
          organizationId: ORG,
          organizationName: null,
          apiKeyId: null,
          userId: null,
          userEmail: null,
        });
      }
    }
    yield { records, issues: [], skipped: 0, rows: records.length };
  },
};
exportReaders.push(zephyrCosts as SourceReader<unknown>);

function write(name: string, text: string): string {
  writeFileSync(join(DIR, name), text);
  return join(DIR, name);
}

const costs = write(
  'zephyr_costs_2026-10.csv',
  ['day,space,model,cost_usd', '2026-10-03,spc_alpha,zeph-1,4.20', '2026-10-03,spc_beta,zeph-1,1.30', '2026-10-20,spc_alpha,zeph-2,2.50', ''].join('\n'),
);

const payments = (() => {
  const [header, ...rows] = readFileSync(join(FX, 'demo', 'payments_2026-10.csv'), 'utf8')
    .trim()
    .split('\n');
  return write(
    'payments.csv',
    [
      `${header},provider`,
      ...rows.map((r) => `${r},openai`),
      `2026-10-09T10:00:00Z,ANT-1,40.00,USD,paid,manual,${ORG},4242,Claude API credits,anthropic`,
      `2026-10-02T10:00:00Z,ZEP-1,30.00,USD,paid,manual,${ORG},4242,Zephyr credits,Zephyr AI`,
      '',
    ].join('\n'),
  );
})();

const statement = (() => {
  const [header, ...rows] = readFileSync(join(FX, 'demo', 'us-card-2026-10.csv'), 'utf8')
    .trim()
    .split('\n');
  return write(
    'card.csv',
    [
      header,
      '10/02/2026,10/03/2026,ZEPHYR AI*CREDITS,Shopping,Sale,-30.00,',
      '10/09/2026,10/10/2026,ANTHROPIC,Shopping,Sale,-40.00,',
      '10/11/2026,,ZEPHYR AI*CHAT PLUS,Shopping,Sale,-20.00,',
      ...rows,
      '',
    ].join('\n'),
  );
})();

const files = [
  join(FX, 'openai', '*.csv'),
  join(FX, 'anthropic', 'claude_api_tokens_2026_10_01_to_2026_10_31.csv'),
  join(FX, 'anthropic', 'claude_api_cost_2026_10_01_to_2026_10_31.csv'),
  costs,
];
const config = parseConfig(JSON.parse(readFileSync(join(FX, 'spendrecon.config.json'), 'utf8')));

describe('a third provider is data and a reader', async () => {
  const r = await runReport({ usage: files, costs: files, payments: [payments], statements: [statement], config, period: { month: '2026-10' }, strict: false, cwd: DIR });

  it('the payment history and the config know it by name and alias', () => {
    expect(providerFromText('Zephyr AI Inc')?.id).toBe('zephyr');
    expect(r.payments.find((p) => p.reference === 'ZEP-1')?.provider).toBe('zephyr');
  });

  it('attribution: its billed money in its own rows, byProvider adding up to the total', () => {
    const s = r.attribution!.summaries;
    expect(s.byProject.filter((p) => p.provider === 'zephyr').map((p) => [p.projectId, p.billed.toString()])).toEqual([
      ['spc_alpha', '6.7'],
      ['spc_beta', '1.3'],
    ]);
    const bp = reportByProvider(r);
    expect(bp.map((x) => x.provider)).toEqual(['openai', 'anthropic', 'zephyr']);
    expect(sum(bp.map((x) => x.billed)).eq(r.totals.billed)).toBe(true);
    expect(r.conservation.holds).toBe(true);
  });

  it('matching: its card line pairs with its payment only, its plan charge is a subscription', () => {
    const cls = r.reconciliation!.classifications;
    const zep = cls.find((c) => c.side === 'payment' && c.reference === 'ZEP-1')!;
    expect(zep.provider).toBe('zephyr');
    const card = cls.find((c) => c.side === 'card' && c.description === 'ZEPHYR AI*CREDITS')!;
    expect([card.provider, card.counterparts.length]).toEqual(['zephyr', 1]);
    expect(zep.counterparts.map((x) => x.line)).toEqual([card.src.line]);
    const plan = cls.find((c) => c.side === 'card' && c.description === 'ZEPHYR AI*CHAT PLUS')!;
    expect([plan.provider, plan.class]).toEqual(['zephyr', 'subscription_not_api']);
  });

  it('ledger: its own account, credit 30 less its billed 8, its lots expiring after its own 6 months', () => {
    const l = r.ledger!;
    expect(l.providers).toEqual(['openai', 'anthropic', 'zephyr']);
    expect(l.closing.filter((c) => c.provider === 'zephyr').map((c) => c.balance.toString())).toEqual(['22']);
    expect(l.lots.find((x) => x.reference === 'ZEP-1')!.expiresOn).toBe('2027-04-02');
  });

  it('reimbursement: its charge split over its own spaces only', () => {
    const reimb = reimbursementFromReport(r, config);
    const rows = reimb.allocationBasis.filter((b) => b.provider === 'zephyr');
    expect(rows.map((b) => b.projectId)).toEqual(['spc_alpha', 'spc_beta']);
  });

  it('FOCUS: its rows name it as its description says', async () => {
    const path = join(DIR, 'focus.csv');
    await writeFocusCsv(r, path);
    const rows = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const own = rows.filter((x) => x.ProviderName === 'Zephyr AI');
    expect(
      own
        .filter((x) => x.ChargeCategory === 'Usage')
        .reduce((s, x) => s.plus(Decimal.from(x.BilledCost!)), Decimal.ZERO)
        .toString(),
    ).toBe('8');
    expect(own.filter((x) => x.ChargeCategory === 'Purchase').map((x) => x.InvoiceIssuerName)).toEqual(['Zephyr AI Inc.']);
    expect(new Set(rows.map((x) => x.ProviderName))).toEqual(new Set(['OpenAI', 'Anthropic', 'Zephyr AI']));
  });
});
