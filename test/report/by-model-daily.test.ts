import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/engine/summaries.js';
import { Decimal } from '../../src/money.js';
import { writeByModel } from '../../src/report/sheets/by-model.js';
import { writeDaily } from '../../src/report/sheets/daily.js';

const D = Decimal.from;

function model(p: Partial<ModelSummary> & { model: string; billed: Decimal }): ModelSummary {
  return { provider: 'openai', listPrice: null, billedDaysWithoutUsage: 0, billedWithoutUsage: Decimal.ZERO, inputTokens: 0, outputTokens: 0, ...p };
}

/** The data rows of a sheet as objects keyed by header. */
function rowsOf(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
  const out: Record<string, unknown>[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    if (row.getCell(1).value === 'Total') break;
    out.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1).value])));
  }
  return out;
}

describe('By model sheet', () => {
  it('shows a partial list price with the billed days that had no usage, billed − list over the priced days', () => {
    const ws = new ExcelJS.Workbook().addWorksheet('By model');
    writeByModel(
      ws,
      [
        model({ model: 'gpt-big', billed: D('10.40'), listPrice: D('9.00'), billedDaysWithoutUsage: 2, billedWithoutUsage: D('0.40') }),
        model({ model: 'gpt-small', billed: D('1.00'), listPrice: D('1.10') }),
        model({ model: 'web search tool calls', billed: D('0.30'), billedDaysWithoutUsage: 1, billedWithoutUsage: D('0.30') }),
      ],
      'USD',
    );
    const [big, small, search] = rowsOf(ws);
    expect(big!['Usage at list price']).toBe(9);
    expect(big!['Billed − list']).toBe(1); // 10.40 − 0.40 billed without usage − 9.00
    expect(big!['Billed days without usage']).toBe(2);
    expect(big!.Note).toBe('list price partial: 2 billed days (0.40 USD) with no usage rows, left out of the list price and of billed − list');
    expect(small!['Billed − list']).toBeCloseTo(-0.1, 10);
    expect(small!.Note).toBeNull();
    expect(search!['Usage at list price']).toBeNull();
    expect(search!.Note).toBe('1 billed day (0.30 USD) with no usage rows: no usage to price');
  });
});

describe('Daily sheet', () => {
  it('keeps the local date clear of the UTC day text beside it (left-aligned date, room to spare)', () => {
    const ws = new ExcelJS.Workbook().addWorksheet('Daily');
    // the narrowest header (a short zone name) gives the date column the least room
    writeDaily(ws, [{ provider: 'openai', localDate: '2026-10-01', utcDays: '2026-09-30, 2026-10-01', projectId: 'proj_A', projectName: 'A', billed: D('1.25') }], 'USD', 'UTC');
    const date = ws.getRow(2).getCell(1);
    expect(date.value).toBeInstanceOf(Date);
    expect(date.alignment?.horizontal).toBe('left');
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual('2026-10-01'.length + 2);
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual('2026-09-30, 2026-10-01'.length);
    expect(ws.getRow(2).getCell(2).alignment?.horizontal).not.toBe('right');
  });
});
