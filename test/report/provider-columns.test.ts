/**
 * Issue 11: a Provider column on Breakdown's four tables and on Usage vs cost when an OpenAI and
 * an Anthropic month are read together (the real fixtures of both), none when one provider bills.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { runReport } from '../../src/pipeline.js';
import { buildReportWorkbook } from '../../src/report/index.js';
import { BY_KEY } from '../../src/report/sheets/by-key.js';
import { BY_MODEL } from '../../src/report/sheets/by-model.js';
import { BY_PROJECT } from '../../src/report/sheets/by-project.js';
import { BY_USER } from '../../src/report/sheets/by-user.js';
import { workbookBytes } from '../../src/report/workbook.js';
import type { ReportResult } from '../../src/results.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures');
const OPENAI = [join(FX, 'openai', '*.csv'), join(FX, 'openai', 'api')];
const ANTHROPIC = [join(FX, 'anthropic', 'claude_api_tokens_2026_10_01_to_2026_10_31.csv'), join(FX, 'anthropic', 'claude_api_cost_2026_10_01_to_2026_10_31.csv')];

async function run(files: string[]): Promise<ReportResult> {
  const config = parseConfig(JSON.parse(readFileSync(join(FX, 'spendrecon.config.json'), 'utf8')));
  return runReport({ usage: files, costs: files, config, period: { month: '2026-10' }, strict: false, cwd: join(FX, '..') });
}

async function load(r: ReportResult): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await workbookBytes(buildReportWorkbook(r))) as unknown as ArrayBuffer);
  return wb;
}

const cellText = (ws: ExcelJS.Worksheet, row: number, col: number) => String(ws.getRow(row).getCell(col).value ?? '');

/** Each Breakdown table's header row (the row under its title) and its data rows' first cells. */
function breakdownTables(wb: ExcelJS.Worksheet): Map<string, { header: string[]; first: string[] }> {
  const out = new Map<string, { header: string[]; first: string[] }>();
  const titles = [BY_PROJECT, BY_MODEL, BY_KEY, BY_USER];
  let current: { header: string[]; first: string[] } | null = null;
  for (let r = 1; r <= wb.rowCount; r++) {
    const a = cellText(wb, r, 1);
    if (titles.includes(a)) {
      current = { header: (wb.getRow(r + 1).values as unknown[]).slice(1).map(String), first: [] };
      out.set(a, current);
      r++;
    } else if (current && a !== '' && a !== 'Total') current.first.push(a);
    else if (a === '') current = null;
  }
  return out;
}

describe('Provider column on Breakdown and Usage vs cost', async () => {
  const one = await run(OPENAI);
  const two = await run([...OPENAI, ...ANTHROPIC]);

  it('the two-provider month bills both providers', () => {
    const providers = new Set(two.attribution!.summaries.byProject.map((p) => p.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'openai']);
  });

  it('where both bill, each Breakdown table leads with Provider and names both providers, one row per provider’s project', async () => {
    const wb = await load(two);
    const tables = breakdownTables(wb.getWorksheet('Breakdown')!);
    expect([...tables.keys()]).toEqual([BY_PROJECT, BY_MODEL, BY_KEY, BY_USER]);
    for (const [name, t] of tables) {
      expect(t.header[0], name).toBe('Provider');
      expect(new Set(t.first), name).toEqual(new Set(['OpenAI', 'Anthropic']));
    }
    const s = two.attribution!.summaries;
    expect(tables.get(BY_PROJECT)!.first.filter((p) => p === 'Anthropic').length).toBe(s.byProject.filter((p) => p.provider === 'anthropic').length);
  });

  it('Usage vs cost leads with Provider where both bill, and its rows name each provider', async () => {
    const ws = (await load(two)).getWorksheet('Usage vs cost')!;
    expect(cellText(ws, 2, 1)).toBe('Provider');
    const names = new Set<string>();
    for (let r = 3; r <= ws.rowCount; r++) if (cellText(ws, r, 2) !== '') names.add(cellText(ws, r, 1));
    expect(names).toEqual(new Set(['OpenAI', 'Anthropic']));
  });

  it('a one-provider month keeps its layout: no Provider column anywhere on these sheets', async () => {
    const wb = await load(one);
    for (const [name, t] of breakdownTables(wb.getWorksheet('Breakdown')!)) expect(t.header[0], name).not.toBe('Provider');
    expect(cellText(wb.getWorksheet('Usage vs cost')!, 2, 1)).toBe('UTC day');
    expect(breakdownTables(wb.getWorksheet('Breakdown')!).get(BY_PROJECT)!.header[0]).toBe('Project ID');
  });
});
