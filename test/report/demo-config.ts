/** The demo config as the OpenAI-only month of earlier sessions: without its Anthropic opening balance. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, parseConfig } from '../../src/config.js';
import { runReport, type ReportResult } from '../../src/pipeline.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FX = join(ROOT, 'fixtures');

/** `overrides` replace top-level keys (e.g. `organizations: []`). */
export function openAiOnlyConfig(overrides: Record<string, unknown> = {}): Config {
  const raw = JSON.parse(readFileSync(join(FX, 'spendrecon.config.json'), 'utf8'));
  raw.openingBalance = [raw.openingBalance].flat().filter((o: { provider?: string }) => o.provider !== 'anthropic');
  return parseConfig({ ...raw, ...overrides });
}

/** The demo's OpenAI month (before the demo gained Anthropic and receipts): usage, costs, payments, two statements, budgets in the config. */
export function openAiDemoResult(): Promise<ReportResult> {
  const exports = [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')];
  return runReport({
    usage: exports,
    costs: exports,
    payments: [join(FX, 'demo', 'payments_2026-10.csv')],
    statements: [join(FX, 'demo', 'us-card-2026-10.csv'), join(FX, 'demo', 'cmb-credit-card-2026-10.csv')],
    config: openAiOnlyConfig(),
    period: { month: '2026-10' },
    strict: false,
    cwd: ROOT,
  });
}
