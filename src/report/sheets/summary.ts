import type ExcelJS from 'exceljs';
import { Decimal } from '../../money.js';
import type { ReportResult } from '../../pipeline.js';
import { isoUtc } from '../../time.js';
import { DATETIME_FORMAT, moneyFormat, INTEGER_FORMAT } from '../cells.js';
import { BY_KEY } from './by-key.js';
import { BY_MODEL } from './by-model.js';
import { BY_PROJECT } from './by-project.js';
import { BY_USER } from './by-user.js';
import { DAILY } from './daily.js';
import { EXCEPTIONS } from './exceptions.js';
import { INPUTS } from './inputs.js';
import { RECONCILIATION } from './reconciliation.js';
import { HEADER_FONT, wrappedLines, type WrittenTable } from '../table.js';

const NOTE_WIDTH = 60;

export const SUMMARY = 'Summary';

export interface SummaryRefs {
  [sheet: string]: WrittenTable;
}

const ref = (sheet: string, cell: string) => `'${sheet.replace(/'/g, "''")}'!${cell}`;

/**
 * The period, its UTC range and rules, the totals, and the tie-outs: every attributed table
 * against the billed total of the cost export; card charges against payments by class — as
 * live formulas with cached values.
 */
export function writeSummary(ws: ExcelJS.Worksheet, result: ReportResult, refs: SummaryRefs): void {
  const cur = result.currency;
  const money = moneyFormat(cur);
  ws.getColumn(1).width = 44;
  ws.getColumn(2).width = 26;
  ws.getColumn(3).width = 20;
  ws.getColumn(4).width = 20;
  ws.getColumn(5).width = 20;
  let row = 1;
  const title = ws.getRow(row++).getCell(1);
  title.value = `spendrecon report — ${result.period.label}`;
  title.font = { ...HEADER_FONT, size: 14 };
  row++;
  /** label | value | note (the note spans the columns to the right). */
  const put = (label: string, value: ExcelJS.CellValue, fmt?: string, note?: string) => {
    const r = ws.getRow(row++);
    r.getCell(1).value = label;
    r.getCell(2).value = value;
    if (fmt) r.getCell(2).numFmt = fmt;
    if (note) {
      r.getCell(3).value = note;
      ws.mergeCells(r.number, 3, r.number, 5);
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
  const totalOf = (sheet: string, header: string) => {
    const t = refs[sheet]!;
    return ref(sheet, `${t.col(header)}${t.totalsRow}`);
  };
  const p = result.period;
  put('Period (local dates, inclusive)', `${p.from} to ${p.to}`);
  put('Time zone', p.timezone);
  put('UTC range start', new Date(p.utcStart * 1000), DATETIME_FORMAT, `${isoUtc(p.utcStart)} (inclusive)`);
  put('UTC range end', new Date(p.utcEnd * 1000), DATETIME_FORMAT, `${isoUtc(p.utcEnd)} (exclusive)`);
  put('Bucket placement', 'midpoint rule', undefined, result.placementRule);
  if (result.attribution) put('Cost export grouped by', result.attribution.costGranularity, undefined, 'Spend is attributed, and usage compared with cost, at this level; what it does not name is split by the usage behind it.');
  put('Currency of billed cost', cur);
  put('Home currency', result.homeCurrency);
  const broken = result.conservation.equations.filter((e) => !e.holds);
  put('Every row and cent accounted for', broken.length ? `NO: ${broken.length} broken` : 'yes', undefined, broken.length ? 'A conservation equation does not hold: see Exceptions (conservation_broken) and do not use these figures.' : `${result.conservation.equations.length} equations checked on this run (below, Conservation).`);

  const a = result.attribution;
  if (a) {
    put('Price table', result.priceTableVersion, undefined, 'List prices weight the split over keys and users and drive the usage-vs-cost check; they never set billed amounts.');
    heading('Billed usage');
    const billedRow = put(
      'Billed, per the cost export (in period)',
      result.totals.costExport.toNumber(),
      money,
      result.totals.splitOutside.isZero()
        ? 'Sum of the cost rows placed in the period, identical repeats counted once.'
        : `Sum of the cost rows overlapping the period, identical repeats counted once, less ${result.totals.splitOutside.toDisplay(4)} ${cur} that --split-days spread onto local days outside the period.`,
    );
    for (const c of [1, 2]) ws.getRow(billedRow).getCell(c).font = HEADER_FONT;
    const billedNum = result.totals.billed.toNumber();
    const tables: [string, string][] = [
      [BY_PROJECT, 'By project'],
      [BY_MODEL, 'By model'],
      [BY_KEY, 'By key'],
      [BY_USER, 'By user'],
      [DAILY, 'Daily'],
    ];
    const attributedRows = tables.map(([sheet, label]) => put(`Attributed, total of ${label}`, { formula: totalOf(sheet, 'Billed'), result: billedNum }, money));
    const k = refs[BY_KEY]!;
    const keyCol = k.col('API key');
    const billedCol = k.col('Billed');
    const last = Math.max(k.firstDataRow, k.lastDataRow);
    put(
      'Not attributed to a key',
      { formula: `SUMIF(${ref(BY_KEY, `${keyCol}${k.firstDataRow}:${keyCol}${last}`)},"(unallocated)",${ref(BY_KEY, `${billedCol}${k.firstDataRow}:${billedCol}${last}`)})`, result: result.totals.unallocated.toNumber() },
      money,
      'Billed money the usage export cannot explain by key (reasons on By key / Exceptions); it stays in every total.',
    );
    heading('Tie-out: billed usage (every difference must be 0)');
    const diff = result.totals.billed.minus(result.totals.costExport).toNumber();
    tables.forEach(([, label], i) => put(`${label} − cost export`, { formula: `B${attributedRows[i]}-B${billedRow}`, result: diff }, money));
  }

  if (result.reconciliation) row = writeReconciliationTieOut(ws, row, result, refs[RECONCILIATION]!, heading);

  if (result.ledger) {
    heading('Credit ledger');
    for (const c of result.ledger.closing) {
      put(`Closing balance ${c.organization ?? ''}`.trim(), c.balance.toNumber(), moneyFormat(result.ledger.currency), `available ${c.available.toDisplay(2)}, owed (negative balance) ${c.debt.toDisplay(2)}`);
    }
    const check = result.ledger.closingCheck;
    if (check) {
      put('Balance shown by the dashboard', check.reported.toNumber(), moneyFormat(result.ledger.currency));
      put('Difference (dashboard − ledger)', check.difference.toNumber(), moneyFormat(result.ledger.currency), check.likelyCauses.length ? `Likely causes: ${check.likelyCauses.join('; ')}` : undefined);
    }
  }

  heading('Inputs');
  put('Rows rejected', { formula: totalOf(INPUTS, 'Rows rejected'), result: result.totals.rejectedRows }, INTEGER_FORMAT, 'Rows left out of every total; each is listed on Exceptions with file, line and column.');
  put('Money in rejected rows', { formula: totalOf(INPUTS, 'Money in rejected rows'), result: result.totals.rejectedAmount.toNumber() }, money, 'Where the amount of a rejected row could be read.');

  writeConservation(result, put, heading);

  heading('Exceptions');
  const count = (sev: string) => result.exceptions.filter((e) => e.severity === sev).length;
  for (const sev of ['error', 'warning', 'info']) {
    put({ error: 'Errors', warning: 'Warnings', info: 'Notices (info)' }[sev]!, { formula: `COUNTIF(${ref(EXCEPTIONS, 'A:A')},"${sev}")`, result: count(sev) }, INTEGER_FORMAT);
  }
}

type Put = (label: string, value: ExcelJS.CellValue, fmt?: string, note?: string) => number;

/**
 * The run's own conservation check: the run-wide equations with their terms, and every
 * per-file equation that does not hold (the ones that hold are counted, and are in --json).
 */
function writeConservation(result: ReportResult, put: Put, heading: (s: string) => void): void {
  heading('Conservation (checked on this run)');
  const c = result.conservation;
  const terms = (e: ReportResult['conservation']['equations'][number]) => `= ${e.right.map((t) => `${t.label} ${t.value.toString()}`).join(' + ')}${e.holds ? '' : ' — DOES NOT HOLD'}`;
  for (const e of c.equations.filter((x) => x.file === null)) {
    put(`${e.name}${e.currency ? ` (${e.currency})` : ''}`, e.left.value.toNumber(), e.currency ? moneyFormat(e.currency) : INTEGER_FORMAT, terms(e));
  }
  const perFile = c.equations.filter((x) => x.file !== null);
  put('Per input file: rows and money read = accounted for', perFile.filter((e) => e.holds).length, INTEGER_FORMAT, `of ${perFile.length} equations hold (read = used + outside the period + repeats + other organisations + rejected + set aside, per file and currency)`);
  for (const e of perFile.filter((x) => !x.holds)) put(`${e.file}: ${e.name}${e.currency ? ` (${e.currency})` : ''}`, e.left.value.toNumber(), e.currency ? moneyFormat(e.currency) : INTEGER_FORMAT, terms(e));
}

/**
 * Card charges to the provider against payments, per currency, explained class by class:
 * SUMIFS over the Reconciliation sheet (counted rows only), cached from the engine's totals.
 */
function writeReconciliationTieOut(ws: ExcelJS.Worksheet, startRow: number, result: ReportResult, t: WrittenTable, heading: (s: string) => void): number {
  const r = result.reconciliation!;
  let row = startRow;
  const headingAt = (text: string) => {
    heading(text);
    row += 2;
  };
  headingAt('Tie-out: card charges ↔ payments (counted lines, by class)');
  const first = t.firstDataRow;
  const last = Math.max(t.firstDataRow, t.lastDataRow);
  const col = (h: string) => ref(RECONCILIATION, `$${t.col(h)}$${first}:$${t.col(h)}$${last}`);
  const currencies = [...new Set(r.classTotals.map((c) => c.currency).concat(r.card.counted.map((c) => c.currency), r.payments.counted.map((c) => c.currency)))].sort();
  for (const currency of currencies) {
    const money = moneyFormat(currency);
    const hdr = ws.getRow(row++);
    ['Class', 'Card lines', `Card amount (${currency})`, 'Payments', `Payment amount (${currency})`].forEach((h, i) => {
      hdr.getCell(i + 1).value = h;
      hdr.getCell(i + 1).font = HEADER_FONT;
    });
    const firstClassRow = row;
    const classes = [...new Set(r.classTotals.filter((c) => c.currency === currency).map((c) => c.class))].sort();
    for (const cls of classes) {
      const card = r.classTotals.find((c) => c.currency === currency && c.class === cls && c.side === 'card');
      const pay = r.classTotals.find((c) => c.currency === currency && c.class === cls && c.side === 'payment');
      const x = ws.getRow(row++);
      x.getCell(1).value = cls;
      x.getCell(2).value = { formula: `COUNTIFS(${col('Class')},"${cls}",${col('Card currency')},"${currency}",${col('Card counted')},"yes")`, result: card?.count ?? 0 };
      x.getCell(3).value = { formula: `SUMIFS(${col('Card amount')},${col('Class')},"${cls}",${col('Card currency')},"${currency}",${col('Card counted')},"yes")`, result: (card?.total ?? Decimal.ZERO).toNumber() };
      x.getCell(4).value = { formula: `COUNTIFS(${col('Payment class')},"${cls}",${col('Payment currency')},"${currency}",${col('Payment counted')},"yes")`, result: pay?.count ?? 0 };
      x.getCell(5).value = { formula: `SUMIFS(${col('Payment amount')},${col('Payment class')},"${cls}",${col('Payment currency')},"${currency}",${col('Payment counted')},"yes")`, result: (pay?.total ?? Decimal.ZERO).toNumber() };
      x.getCell(3).numFmt = money;
      x.getCell(5).numFmt = money;
      x.getCell(2).numFmt = INTEGER_FORMAT;
      x.getCell(4).numFmt = INTEGER_FORMAT;
    }
    const lastClassRow = row - 1;
    const cardTotal = r.card.counted.find((c) => c.currency === currency)?.total ?? Decimal.ZERO;
    const payTotal = r.payments.counted.find((c) => c.currency === currency)?.total ?? Decimal.ZERO;
    const tot = ws.getRow(row++);
    tot.getCell(1).value = `Total ${currency}`;
    const sumCol = (L: string, v: number) => ({ formula: lastClassRow >= firstClassRow ? `SUM(${L}${firstClassRow}:${L}${lastClassRow})` : '0', result: v });
    tot.getCell(3).value = sumCol('C', cardTotal.toNumber());
    tot.getCell(5).value = sumCol('E', payTotal.toNumber());
    for (const c of [1, 3, 5]) tot.getCell(c).font = HEADER_FONT;
    tot.getCell(3).numFmt = money;
    tot.getCell(5).numFmt = money;
    const diff = ws.getRow(row++);
    diff.getCell(1).value = `Card − payments (${currency})`;
    diff.getCell(3).value = { formula: `C${tot.number}-E${tot.number}`, result: cardTotal.minus(payTotal).toNumber() };
    diff.getCell(3).numFmt = money;
    diff.getCell(4).value = 'explained class by class above; pairs across currencies are compared at the bank\'s rate';
    row++;
  }
  if (r.leftOut.count) {
    const x = ws.getRow(row++);
    x.getCell(1).value = 'Card lines not the provider\'s (left out)';
    x.getCell(2).value = r.leftOut.count;
    x.getCell(3).value = r.leftOut.totals.map((c) => `${c.total.toDisplay(2)} ${c.currency}`).join(', ');
  }
  return row;
}
