/**
 * Issue 11: config `projects` keyed by (provider, project id). An OpenAI project and an Anthropic
 * workspace of one id have their own names, owners, cost centres and budgets; an entry without a
 * provider is the default provider's, as elsewhere in the config.
 */
import { describe, expect, it } from 'vitest';
import type { AttributedRow } from '../../src/engine/attribution.js';
import { budgetedProjects, computeBudgets } from '../../src/engine/budget.js';
import { allocationBasisOf } from '../../src/engine/reimbursement/allocation.js';
import { summarise } from '../../src/engine/summaries.js';
import { ConfigError, parseConfig } from '../../src/config.js';
import { Decimal } from '../../src/money.js';
import { addDays, monthPeriod } from '../../src/time.js';

const D = Decimal.from;
const oct = monthPeriod('2026-10', 'UTC');

/** Both providers call a project `research`: the second entry needs its own key and says which id it is. */
const config = parseConfig(
  {
    projects: {
      research: { name: 'Research (GPT)', owner: 'Ana', costCenter: 'CC-1', monthlyBudget: '31.00' },
      'research-claude': { id: 'research', provider: 'Anthropic', name: 'Research (Claude)', owner: 'Ben', costCenter: 'CC-2', monthlyBudget: '62.00' },
    },
  },
  'test',
  'UTC',
);

function row(provider: string, localDate: string, amount: string): AttributedRow {
  return {
    utcDay: localDate,
    localDate,
    provider,
    organizationId: null,
    projectId: 'research',
    projectName: null,
    model: 'm',
    item: 'm',
    apiKeyId: 'k',
    userId: null,
    amount: D(amount),
    currency: 'USD',
    basis: 'cost export',
    reason: null,
  };
}

/** 10 days: OpenAI spends 1 a day, Anthropic 8 a day, on the project both call `research`. */
const rows = Array.from({ length: 10 }, (_, i) => [row('openai', addDays('2026-10-01', i), '1'), row('anthropic', addDays('2026-10-01', i), '8')]).flat();

describe('config projects keyed by provider', () => {
  it('reads the provider by id, name or alias and the id when the key is not it; absent = the default provider', () => {
    const p = config.projects;
    expect([p.research!.provider, p['research-claude']!.provider, p['research-claude']!.id]).toEqual([undefined, 'anthropic', 'research']);
  });

  it('two entries for one (provider, project) are refused, naming the second entry’s JSON path', () => {
    const twice = { projects: { research: {}, again: { id: 'research', provider: 'openai' } } };
    expect(() => parseConfig(twice, 'cfg.json', 'UTC')).toThrow(ConfigError);
    expect(() => parseConfig(twice, 'cfg.json', 'UTC')).toThrow(/projects\.again: the same project as "research"/);
    expect(() => parseConfig({ projects: { x: { provider: 'acme' } } }, 'cfg.json', 'UTC')).toThrow(/projects\.x\.provider: expected a provider/);
  });

  it('By project, By key and Daily take names, owners, cost centres and budgets from the entry of their own provider', () => {
    const s = summarise(rows, [], config, oct);
    const byProvider = (p: string) => s.byProject.find((x) => x.provider === p)!;
    expect([byProvider('openai').projectName, byProvider('openai').owner, byProvider('openai').costCenter, byProvider('openai').budget!.toString()]).toEqual([
      'Research (GPT)',
      'Ana',
      'CC-1',
      '31',
    ]);
    expect([byProvider('anthropic').projectName, byProvider('anthropic').owner, byProvider('anthropic').costCenter, byProvider('anthropic').budget!.toString()]).toEqual([
      'Research (Claude)',
      'Ben',
      'CC-2',
      '62',
    ]);
    expect(new Set(s.byKey.map((k) => `${k.provider}:${k.projectName}`))).toEqual(new Set(['openai:Research (GPT)', 'anthropic:Research (Claude)']));
    expect(new Set(s.daily.map((d) => `${d.provider}:${d.projectName}`))).toEqual(new Set(['openai:Research (GPT)', 'anthropic:Research (Claude)']));
  });

  it('an entry without a provider does not name or budget another provider’s project of that id', () => {
    const only = parseConfig({ projects: { research: { name: 'Research (GPT)', monthlyBudget: '31' } } }, 'test', 'UTC');
    const a = summarise(rows, [], only, oct).byProject.find((x) => x.provider === 'anthropic')!;
    expect([a.projectName, a.budget]).toEqual([null, null]);
    expect(budgetedProjects(only, []).map((b) => b.provider)).toEqual(['openai']);
  });

  it('each budget burns only its own provider’s spend, and its messages name the provider and the config key', () => {
    const s = summarise(rows, [], config, oct);
    const b = computeBudgets({ period: oct, currency: 'USD', projects: budgetedProjects(config, s.byProject), daily: s.daily });
    const spent = Object.fromEntries(b.projects.map((p) => [p.provider, p.spent.toString()]));
    expect(spent).toEqual({ openai: '10', anthropic: '80' });
    // 31/month is 1 a day: OpenAI is on track; Anthropic's 62/month is 2 a day: spent 8 a day, it is past the budget for the whole month
    const anthropic = b.exceptions.filter((e) => e.subject.includes('Anthropic'));
    expect(anthropic.map((e) => e.class)).toEqual(['budget_exceeded']);
    expect(anthropic.map((e) => e.subject)).toEqual(['Research (Claude) (Anthropic research)']);
    expect(b.exceptions.every((e) => e.subject.includes('Anthropic'))).toBe(true);
    expect(anthropic[0]!.nextStep).toContain('projects.research-claude.monthlyBudget');
  });

  it('reimbursement falls back to the cost centre of the charge’s own provider’s entry', () => {
    const byProject = [
      { provider: 'openai', projectId: 'research', projectName: null, costCenter: null, billed: D('10') },
      { provider: 'anthropic', projectId: 'research', projectName: null, costCenter: null, billed: D('80') },
    ];
    const { byProvider } = allocationBasisOf({ byProject, projects: config.projects } as unknown as Parameters<typeof allocationBasisOf>[0]);
    expect(byProvider.get('anthropic')!.rows.map((r) => [r.projectName, r.projectCostCenter])).toEqual([['Research (Claude)', 'CC-2']]);
    expect(byProvider.get('openai')!.rows.map((r) => [r.projectName, r.projectCostCenter])).toEqual([['Research (GPT)', 'CC-1']]);
  });
});
