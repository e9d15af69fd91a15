import type ExcelJS from 'exceljs';
import { Decimal } from '../../money.js';
import type { ReportResult } from '../../pipeline.js';
import { isoUtc } from '../../time.js';
import { DATETIME_FORMAT, moneyFormat, INTEGER_FORMAT } from '../cells.js';
import { HEADER_FONT, wrappedLines, type WrittenTable } from '../table.js';

const NOTE_WIDTH = 70;

export const SUMMARY = 'Summary';

export interface SummaryRefs {
  [sheet: string]: WrittenTable;
}

const ref = (sheet: string, cell: string) => `'${sheet.replace(/'/g, "''")}'!${cell}`;

/**
 * The period, its UTC range and rules, the totals, and a tie-out: every attributed table's
 * total against the billed total of the cost export, as live formulas with cached values.
 */
export function writeSummary(ws: ExcelJS.Worksheet, result: ReportResult, refs: SummaryRefs, sheets: { byProject: string; byModel: string; byKey: string; byUser: string; daily: string; inputs: string; exceptions: string }): void {
  const cur = result.currency;
  const money = moneyFormat(cur);
  ws.getColumn(1).width = 44;
  ws.getColumn(2).width = 26;
  ws.getColumn(3).width = NOTE_WIDTH;
  let row = 1;
  const title = ws.getRow(row++).getCell(1);
  title.value = `spendrecon report — ${result.period.label}`;
  title.font = { ...HEADER_FONT, size: 14 };
  row++;
  const put = (label: string, value: ExcelJS.CellValue, fmt?: string, note?: string) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = label;
    r.getCell(2).value = value;
    if (fmt) r.getCell(2).numFmt = fmt;
    if (note) {
      r.getCell(3).value = note;
      r.getCell(3).alignment = { wrapText: true, vertical: 'top' };
      const lines = wrappedLines(note, NOTE_WIDTH);
      if (lines > 1) r.height = 15 * lines;
    }
    r.getCell(1).alignment = { vertical: 'top' };
    r.getCell(2).alignment = { vertical: 'top', horizontal: 'right' };
    return r.number;
  };
  const heading = (text: string) => {
    row++;
    const c = ws.getRow(row++).getCell(1);
    c.value = text;
    c.font = { ...HEADER_FONT, size: 12 };
  };
  const p = result.period;
  put('Period (local dates, inclusive)', `${p.from} to ${p.to}`);
  put('Time zone', p.timezone);
  put('UTC range start', new Date(p.utcStart * 1000), DATETIME_FORMAT, `${isoUtc(p.utcStart)} (inclusive)`);
  put('UTC range end', new Date(p.utcEnd * 1000), DATETIME_FORMAT, `${isoUtc(p.utcEnd)} (exclusive)`);
  put('Bucket placement', 'midpoint rule', undefined, result.placementRule);
  put('Currency', cur);
  put('Price table', result.priceTableVersion, undefined, 'List prices weight the split over keys and users and drive the usage-vs-cost check; they never set billed amounts.');

  heading('Totals');
  const billedRow = put(
    'Billed, per the cost export (in period)',
    result.totals.costExport.toNumber(),
    money,
    result.totals.splitOutside.isZero()
      ? 'Sum of the cost rows placed in the period, identical repeats counted once.'
      : `Sum of the cost rows overlapping the period, identical repeats counted once, less ${result.totals.splitOutside.toDisplay(4)} ${cur} that --split-days spread onto local days outside the period.`,
  );
  for (const c of [1, 2]) ws.getRow(billedRow).getCell(c).font = HEADER_FONT;
  const totalOf = (sheet: string, header: string) => {
    const t = refs[sheet]!;
    return ref(sheet, `${t.col(header)}${t.totalsRow}`);
  };
  const billedNum = result.totals.billed.toNumber();
  const tables: [string, string][] = [
    [sheets.byProject, 'By project'],
    [sheets.byModel, 'By model'],
    [sheets.byKey, 'By key'],
    [sheets.byUser, 'By user'],
    [sheets.daily, 'Daily'],
  ];
  const attributedRows: number[] = [];
  for (const [sheet, label] of tables) {
    attributedRows.push(put(`Attributed, total of ${label}`, { formula: totalOf(sheet, 'Billed'), result: billedNum }, money));
  }
  const k = refs[sheets.byKey]!;
  const keyCol = k.col('API key');
  const billedCol = k.col('Billed');
  put(
    'Not attributed to a key',
    { formula: `SUMIF(${ref(sheets.byKey, `${keyCol}${k.firstDataRow}:${keyCol}${Math.max(k.firstDataRow, k.lastDataRow)}`)},"(unallocated)",${ref(sheets.byKey, `${billedCol}${k.firstDataRow}:${billedCol}${Math.max(k.firstDataRow, k.lastDataRow)}`)})`, result: result.totals.unallocated.toNumber() },
    money,
    'Billed money the usage export cannot explain by key (reasons on By key / Exceptions); it stays in every total.',
  );
  put('Rows rejected', { formula: totalOf(sheets.inputs, 'Rows rejected'), result: result.totals.rejectedRows }, INTEGER_FORMAT, 'Rows left out of every total; each is listed on Exceptions with file, line and column.');
  put('Money in rejected rows', { formula: totalOf(sheets.inputs, 'Money in rejected rows'), result: result.totals.rejectedAmount.toNumber() }, money, 'Where the amount of a rejected row could be read.');

  heading('Tie-out (every difference must be 0)');
  const diff = result.totals.billed.minus(result.totals.costExport).toNumber();
  tables.forEach(([, label], i) => {
    put(`${label} − cost export`, { formula: `B${attributedRows[i]}-B${billedRow}`, result: diff }, money);
  });

  heading('Exceptions');
  const count = (sev: string) => result.exceptions.filter((e) => e.severity === sev).length;
  for (const sev of ['error', 'warning', 'info']) {
    put({ error: 'Errors', warning: 'Warnings', info: 'Notices (info)' }[sev]!, { formula: `COUNTIF(${ref(sheets.exceptions, 'A:A')},"${sev}")`, result: count(sev) }, INTEGER_FORMAT);
  }
  void Decimal;
}
