import { describe, expect, it } from 'vitest';
import { costTracker, resolveOverlappingCostWidths } from '../../src/engine/dedupe.js';
import type { CostRecord } from '../../src/model.js';
import { Decimal } from '../../src/money.js';

const T0 = Date.parse('2026-10-05T00:00:00Z') / 1000;
const costRow = (p: Partial<CostRecord> = {}): CostRecord => ({
  src: { file: 'cost.csv', line: 2 },
  provider: 'openai',
  start: T0,
  end: T0 + 86400,
  amount: Decimal.from('1.50'),
  currency: 'USD',
  quantity: null,
  quantityUnit: null,
  lineItemRaw: 'gpt-4o-mini-2024-07-18, input',
  lineItem: null,
  projectId: 'proj_X',
  projectName: null,
  organizationId: 'org-1',
  organizationName: null,
  apiKeyId: null,
  userId: null,
  userEmail: null,
  ...p,
});

describe('cost duplicates across providers (issue 11)', () => {
  it('the same row from two providers is two rows; a repeat within one provider is a duplicate, a changed one a conflict', () => {
    const t = costTracker();
    expect(t.check(costRow()).kind).toBe('new');
    expect(t.check(costRow({ provider: 'anthropic', amount: Decimal.from('9') })).kind).toBe('new');
    expect(t.check(costRow({ src: { file: 'b.csv', line: 7 } })).kind).toBe('duplicate');
    expect(t.check(costRow({ provider: 'anthropic' })).kind).toBe('conflict');
  });

  it('sets aside the finer width only within one provider’s stream', () => {
    const hourly = (provider: string, h: number) => costRow({ provider, start: T0 + h * 3600, end: T0 + (h + 1) * 3600, amount: Decimal.from('0.10') });
    const across = resolveOverlappingCostWidths([costRow(), hourly('anthropic', 0), hourly('anthropic', 1)]);
    expect(across.setAside).toEqual([]);
    const within = resolveOverlappingCostWidths([costRow(), hourly('openai', 0), hourly('anthropic', 1)]);
    expect(within.setAside.map((c) => c.provider)).toEqual(['openai']);
    expect(within.exceptions.map((e) => e.amount?.toString())).toEqual(['0.1']);
  });
});
