/** The FOCUS export names each row's provider from its description (issue #11): usage and purchases of two providers in one file. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import type { AttributedRow } from '../../src/engine/attribution.js';
import { writeFocusCsv } from '../../src/report/focus.js';
import type { ReportResult } from '../../src/results.js';
import { makePeriod } from '../../src/time.js';
import { D, pay } from '../engine/match-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'focus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function usageRow(provider: string, projectId: string, amount: string): AttributedRow {
  return {
    provider,
    utcDay: '2026-10-05',
    localDate: '2026-10-05',
    organizationId: 'org-1',
    projectId,
    projectName: null,
    model: 'm',
    item: 'm',
    apiKeyId: null,
    userId: null,
    amount: D(amount),
    currency: 'USD',
    basis: 'cost export',
    reason: null,
  } as AttributedRow;
}

describe('FOCUS rows name their provider', () => {
  it('usage and purchase rows of OpenAI and Anthropic each carry their own provider, publisher, issuer and service', async () => {
    const result = {
      period: makePeriod('2026-10-01', '2026-10-31', 'UTC'),
      currency: 'USD',
      attribution: { attributed: [usageRow('openai', 'proj_a', '1.25'), usageRow('anthropic', 'wrkspc_a', '2.50')] },
      payments: [
        pay(2, '2026-10-02T10:00:00Z', '50.00'),
        pay(3, '2026-10-03T10:00:00Z', '30.00', { provider: 'anthropic' }),
        pay(4, '2026-10-04T10:00:00Z', '20.00', { provider: 'anthropic', kind: 'subscription' }),
      ],
    } as unknown as ReportResult;
    const path = join(dir, 'focus.csv');
    expect(await writeFocusCsv(result, path)).toBe(4);
    const rows = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => [r.ChargeCategory, r.BilledCost, r.ProviderName, r.PublisherName, r.InvoiceIssuerName, r.ServiceName, r.ServiceCategory])).toEqual([
      ['Usage', '1.25', 'OpenAI', 'OpenAI', 'OpenAI', 'OpenAI API', 'AI and Machine Learning'],
      ['Usage', '2.5', 'Anthropic', 'Anthropic', 'Anthropic', 'Claude API', 'AI and Machine Learning'],
      ['Purchase', '50', 'OpenAI', 'OpenAI', 'OpenAI', 'OpenAI API', 'AI and Machine Learning'],
      ['Purchase', '30', 'Anthropic', 'Anthropic', 'Anthropic', 'Claude API', 'AI and Machine Learning'],
    ]);
  });
});
