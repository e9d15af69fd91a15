import type ExcelJS from 'exceljs';
import { roundPartsToWhole, sum } from '../../money.js';
import type { ReportResult } from '../../results.js';
import { isoUtc } from '../../time.js';
import { DATETIME_FORMAT, INTEGER_FORMAT, minorUnits, moneyFormat, moneyText, pathShortener, PERCENT_FORMAT } from '../cells.js';
import { BY_KEY } from './by-key.js';
import { BY_MODEL } from './by-model.js';
import { BY_PROJECT } from './by-project.js';
import { BY_USER } from './by-user.js';
import { DAILY } from './daily.js';
import { providerName } from '../../providers.js';
import { providersMeet, reportByProvider } from '../providers.js';
import { providersMeetIn } from '../../providers.js';
import { PROVIDER_HEADER } from './provider-column.js';
import { EXCEPTIONS } from './exceptions.js';
import { INPUTS } from './inputs.js';
import { RECONCILIATION } from './reconciliation.js';
import { HEADER_FONT, wrappedLines, type WrittenTable } from '../table.js';
import { cardPaymentBridges, type Bridge } from '../tie-out.js';
import { avoidSliverPage } from '../sheet-layout.js';

export const SUMMARY = 'Summary';

/** Widths of columns A–F; notes span C–F. */
const SUMMARY_WIDTHS = [46, 18, 11, 16, 11, 16];
/** Errors listed by name on the first screen; the rest are counted. */
const ERRORS_SHOWN = 5;
/** Projects listed on Summary; the rest are one "… more" line. */
const PROJECTS_SHOWN = 10;

/** Tables by name; `sheet` when the table shares a sheet of another name (Breakdown). */
export interface SummaryRefs {
  [table: string]: WrittenTable & { sheet?: string };
}

const ref = (sheet: string, cell: string) => `'${sheet.replace(/'/g, "''")}'!${cell}`;
/** A cell of a named table, on whichever sheet holds it. */
const refIn = (refs: SummaryRefs, table: string, cell: string) => ref(refs[table]!.sheet ?? table, cell);
/** Where a reader finds a table: its sheet's tab, or the tab and the table's title. */
const placeOf = (refs: SummaryRefs, table: string) => (refs[table]?.sheet ? `${refs[table]!.sheet}, ${table}` : table);

/** Writes label / value / note rows down the sheet. */
export interface Sheet {
  ws: ExcelJS.Worksheet;
  row: number;
  put: (label: string, value: ExcelJS.CellValue, fmt?: string, note?: string) => number;
  heading: (text: string) => void;
}

/** `widths`: the sheet's columns A, B, then the notes' columns (a note spans them all). */
export function sheetWriter(ws: ExcelJS.Worksheet, widths: readonly number[] = SUMMARY_WIDTHS): Sheet {
  const noteWidth = widths.slice(2).reduce((a, b) => a + b, 0);
  const s: Sheet = {
    ws,
    row: 1,
    put: (label, value, fmt, note) => {
      const r = ws.getRow(s.row++);
      r.getCell(1).value = label;
      r.getCell(2).value = value;
      if (fmt) r.getCell(2).numFmt = fmt;
      r.getCell(1).alignment = { vertical: 'top', wrapText: true };
      // text wider than its column wraps from the left: right-aligned, Excel and LibreOffice cut it at the left edge
      const valueLines = typeof value === 'string' ? wrappedLines(value, widths[1]!) : 1;
      r.getCell(2).alignment = valueLines > 1 ? { vertical: 'top', wrapText: true } : { vertical: 'top', horizontal: 'right' };
      const lines = Math.max(wrappedLines(label, widths[0]!), valueLines, note ? wrappedLines(note, noteWidth) : 1);
      if (note) {
        r.getCell(3).value = note;
        ws.mergeCells(r.number, 3, r.number, widths.length);
        r.getCell(3).alignment = { wrapText: true, vertical: 'top', indent: 1 };
      }
      if (lines > 1) r.height = 15 * lines;
      return r.number;
    },
    heading: (text) => {
      s.row++;
      const c = ws.getRow(s.row++).getCell(1);
      c.value = text;
      c.font = { ...HEADER_FONT, size: 12 };
    },
  };
  return s;
}

/**
 * The first screen answers: the run's status (errors to act on, conservation, the card
 * tie-out), then spend per project; the bridge from card charges to payments, the ledger,
 * conservation, the table checks and the run's parameters follow — live formulas over the
 * other sheets with their values cached.
 */
export function writeSummary(ws: ExcelJS.Worksheet, result: ReportResult, refs: SummaryRefs): void {
  for (const [i, w] of SUMMARY_WIDTHS.entries()) ws.getColumn(i + 1).width = w;
  const s = sheetWriter(ws);
  const bridges = writeTitleAndStatus(s, result);
  const billedRow = result.attribution ? writeSpend(s, result, refs) : null;
  if (result.reconciliation) writeBridges(s, result, bridges, refs[RECONCILIATION]!);
  if (result.ledger) writeLedgerBlock(s, result);
  writeInputsBlock(s, result, refs);
  writeConservation(s, result);
  if (billedRow !== null) writeTableChecks(s, result, refs, billedRow);
  writeAboutRun(s, result);
  // the run's parameters alone on a third page: two pages, a little smaller, when that stays readable
  avoidSliverPage(ws);
}

/** The first lines of Summary, also the Dashboard's (the sheet a workbook opens on must answer first). */
export function writeTitleAndStatus(s: Sheet, result: ReportResult): Bridge[] {
  const title = s.ws.getRow(s.row++).getCell(1);
  title.value = `spendrecon report — ${result.period.label} (${result.period.from} to ${result.period.to}, ${result.period.timezone})`;
  title.font = { ...HEADER_FONT, size: 14 };
  const bridges = result.reconciliation ? cardPaymentBridges(result.reconciliation) : [];
  writeStatus(s, result, bridges);
  return bridges;
}

function writeStatus(s: Sheet, result: ReportResult, bridges: Bridge[]): void {
  s.heading('Status');
  const count = (sev: string) => result.exceptions.filter((e) => e.severity === sev).length;
  const countCell = (sev: string) => ({ formula: `COUNTIF(${ref(EXCEPTIONS, 'A:A')},"${sev}")`, result: count(sev) });
  const errors = result.exceptions.filter((e) => e.severity === 'error');
  const act = s.put(
    'Errors to act on',
    countCell('error'),
    INTEGER_FORMAT,
    errors.length ? 'Each is on Exceptions with the rows it concerns and the next step.' : 'None: nothing blocks closing this period.',
  );
  if (errors.length) s.ws.getRow(act).getCell(2).font = { ...HEADER_FONT, color: { argb: 'FFC00000' } };
  const shorten = pathShortener(result.inputs.map((i) => i.file));
  for (const e of errors.slice(0, ERRORS_SHOWN)) {
    s.put(`  ${e.class}`, e.amount === null ? null : e.amount.toNumber(), e.amount === null ? undefined : moneyFormat(e.currency ?? result.currency), shorten(e.message));
  }
  if (errors.length > ERRORS_SHOWN) s.put(`  … ${errors.length - ERRORS_SHOWN} more errors (Exceptions)`, null);
  s.put('Warnings', countCell('warning'), INTEGER_FORMAT);
  s.put('Notices (info)', countCell('info'), INTEGER_FORMAT);
  const broken = result.conservation.equations.filter((e) => !e.holds);
  s.put(
    'Every row and cent accounted for',
    broken.length ? `NO: ${broken.length} broken` : 'yes',
    undefined,
    broken.length
      ? 'A conservation equation does not hold: see Exceptions (conservation_broken) and do not use these figures.'
      : `${result.conservation.equations.length} equations checked on this run (Conservation, below).`,
  );
  if (bridges.length) {
    const open = bridges.filter((b) => !b.difference.isZero());
    s.put(
      'Card charges ↔ payments tie out',
      open.length ? 'NO' : 'yes',
      undefined,
      open.length
        ? `The bridge does not end at 0 in ${open.map((b) => b.currency).join(', ')}: see the bridge below.`
        : `The bridge below ends at 0 in ${bridges.map((b) => b.currency).join(', ')}.`,
    );
  }
  const several = (result.ledger?.providers.length ?? 0) > 1;
  for (const c of result.ledger?.closing ?? []) {
    s.put(
      `Closing credit balance ${several ? `${providerName(c.provider)} ` : ''}${c.organization ?? ''}`.trim(),
      c.balance.toNumber(),
      moneyFormat(result.ledger!.currency),
      `available ${moneyText(c.available, result.ledger!.currency)}, owed (negative balance) ${moneyText(c.debt, result.ledger!.currency)}`,
    );
  }
}

/** Billed money, attributed, and spend per project: the figures at the currency's minor unit, adding up. */
function writeSpend(s: Sheet, result: ReportResult, refs: SummaryRefs): number {
  const cur = result.currency;
  const money = moneyFormat(cur);
  const places = minorUnits(cur);
  const billedRow = writeBilled(s, result);
  const p = refs[BY_PROJECT]!;
  const billedCol = p.col('Billed');
  s.put(
    'Attributed to projects, models, keys, users and days',
    { formula: refIn(refs, BY_PROJECT, `${billedCol}${p.totalsRow}`), result: result.totals.billed.round(places).toNumber() },
    money,
    'Every table totals this (Checks, below).',
  );
  const k = refs[BY_KEY]!;
  const keyCol = k.col('API key');
  const kBilled = k.col('Billed');
  const last = Math.max(k.firstDataRow, k.lastDataRow);
  s.put(
    'Not attributed to a key',
    {
      formula: `SUMIF(${refIn(refs, BY_KEY, `${keyCol}${k.firstDataRow}:${keyCol}${last}`)},"(unallocated)",${refIn(refs, BY_KEY, `${kBilled}${k.firstDataRow}:${kBilled}${last}`)})`,
      result: result.totals.unallocated.round(places).toNumber(),
    },
    money,
    `Billed money the usage export cannot explain by key (reasons on ${placeOf(refs, BY_KEY)} / Exceptions); it stays in every total.`,
  );
  writeProjects(s, result, p, billedRow, placeOf(refs, BY_PROJECT));
  if (providersMeet(result)) writeProviders(s, result, refs[DAILY]);
  return billedRow;
}

/** The Spend heading and the billed total, at the currency's minor unit with the exact figure beside it; its row. */
export function writeBilled(s: Sheet, result: ReportResult): number {
  const cur = result.currency;
  s.heading(`Spend (${cur}, billed per the cost export)`);
  const billedRow = s.put(
    'Billed, per the cost export (in period)',
    result.totals.costExport.round(minorUnits(cur)).toNumber(),
    moneyFormat(cur),
    result.totals.splitOutside.isZero()
      ? `Sum of the cost rows placed in the period, identical repeats counted once; exact: ${result.totals.costExport.toString()} ${cur}.`
      : `Sum of the cost rows overlapping the period, identical repeats counted once, less ${result.totals.splitOutside.toString()} ${cur} that --split-days spread onto local days outside the period; exact: ${result.totals.costExport.toString()} ${cur}.`,
  );
  for (const c of [1, 2]) s.ws.getRow(billedRow).getCell(c).font = HEADER_FONT;
  return billedRow;
}

/**
 * Where providers meet: each provider's billed money (a SUMIF over Daily's Provider column
 * when Daily has one, cached as the sum of the cells it adds: Daily's rounded parts), with its
 * unallocated part, payments and ledger balance beside it.
 */
function writeProviders(s: Sheet, result: ReportResult, daily: WrittenTable | undefined): void {
  const cur = result.currency;
  const places = minorUnits(cur);
  const hdr = s.ws.getRow(s.row++);
  hdr.getCell(1).value = 'By provider';
  hdr.getCell(1).font = HEADER_FONT;
  const rows = result.attribution!.summaries.daily;
  const withColumn = daily !== undefined && providersMeetIn(rows);
  const shown = roundPartsToWhole(
    rows.map((d) => d.billed),
    places,
  );
  for (const t of reportByProvider(result)) {
    const name = providerName(t.provider);
    const value = withColumn ? sum(shown.filter((_, i) => rows[i]!.provider === t.provider)).toNumber() : t.billed.round(places).toNumber();
    const range = (h: string) => ref(DAILY, `${daily!.col(h)}${daily!.firstDataRow}:${daily!.col(h)}${Math.max(daily!.firstDataRow, daily!.lastDataRow)}`);
    const cell = withColumn ? { formula: `SUMIF(${range(PROVIDER_HEADER)},"${name}",${range('Billed')})`, result: value } : value;
    const paid = t.payments.map((p) => moneyText(p.amount, p.currency)).join(', ') || 'none';
    const balance = t.balance === null ? '' : `; ledger balance ${moneyText(t.balance, result.ledger?.currency ?? cur)}`;
    s.put(`  ${name}`, cell, moneyFormat(cur), `not attributed to a key ${moneyText(t.unallocated, cur)}; paid in the period ${paid}${balance}`);
  }
}

/** The biggest projects by name with their share; the rest as one line, so the list adds up to the total. */
function writeProjects(s: Sheet, result: ReportResult, p: SummaryRefs[string], billedRow: number, place: string): void {
  const projects = result.attribution!.summaries.byProject;
  if (!projects.length) return;
  const shown = roundPartsToWhole(
    projects.map((x) => x.billed),
    minorUnits(result.currency),
  );
  const col = p.col('Billed');
  const money = moneyFormat(result.currency);
  const hdr = s.ws.getRow(s.row++);
  hdr.getCell(1).value = 'By project';
  hdr.getCell(3).value = 'Share';
  for (const c of [1, 2, 3]) hdr.getCell(c).font = HEADER_FONT;
  const share = (r: number) => ({ formula: `IF(B${billedRow}=0,0,B${r}/B${billedRow})`, result: 0 });
  const total = sum(shown);
  const ratio = (v: number) => (total.isZero() ? 0 : v / total.toNumber());
  projects.slice(0, PROJECTS_SHOWN).forEach((x, i) => {
    const r = s.put(`  ${x.projectName ?? x.projectId}`, { formula: ref(p.sheet ?? BY_PROJECT, `${col}${p.firstDataRow + i}`), result: shown[i]!.toNumber() }, money);
    s.ws.getRow(r).getCell(3).value = { ...share(r), result: ratio(shown[i]!.toNumber()) };
    s.ws.getRow(r).getCell(3).numFmt = PERCENT_FORMAT;
  });
  if (projects.length > PROJECTS_SHOWN) {
    const rest = sum(shown.slice(PROJECTS_SHOWN));
    const from = p.firstDataRow + PROJECTS_SHOWN;
    const r = s.put(
      `  … ${projects.length - PROJECTS_SHOWN} more projects (${place})`,
      { formula: `SUM(${ref(p.sheet ?? BY_PROJECT, `${col}${from}:${col}${p.lastDataRow}`)})`, result: rest.toNumber() },
      money,
    );
    s.ws.getRow(r).getCell(3).value = { ...share(r), result: ratio(rest.toNumber()) };
    s.ws.getRow(r).getCell(3).numFmt = PERCENT_FORMAT;
  }
}

/** Plain words for each class on the bridge. */
const CLASS_WORDS: Record<string, string> = {
  matched: 'matched: card charge and its top-up',
  matched_fx_difference: 'matched, amounts differ by the exchange rate',
  pending_authorization: 'pending authorisation (not yet posted)',
  authorization_reversed: 'authorisation and its reversal',
  duplicate_charge: 'duplicate card charge (one top-up)',
  refund: 'refund: charge, refund and the top-up refunded',
  fx_fee: 'foreign transaction fee',
  subscription_not_api: 'subscription, not API credit',
  unmatched_card_charge: 'card charge without a payment',
  unmatched_payment: 'payment without a card charge',
  failed_payment_with_hold: 'failed payment with a card hold',
};

/**
 * Per currency, from the counted card charges to the counted payments: one line per class
 * (payments − card lines of the class), each pair across currencies on its own line, ending
 * with a difference that must be 0. SUMIFS over Reconciliation's hidden bridge-line keys.
 */
function writeBridges(s: Sheet, result: ReportResult, bridges: Bridge[], t: WrittenTable): void {
  const r = result.reconciliation!;
  const shorten = pathShortener(result.inputs.map((i) => i.file));
  s.heading('Tie-out: card charges → payments (a bridge; the difference must be 0)');
  const last = Math.max(t.firstDataRow, t.lastDataRow);
  const col = (h: string) => ref(RECONCILIATION, `$${t.col(h)}$${t.firstDataRow}:$${t.col(h)}$${last}`);
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const cardIn = (cur: string) => `${col('Card currency')},${q(cur)},${col('Card counted')},"yes"`;
  const payIn = (cur: string) => `${col('Payment currency')},${q(cur)},${col('Payment counted')},"yes"`;
  for (const b of bridges) {
    const money = moneyFormat(b.currency);
    const hdr = s.ws.getRow(s.row++);
    [`Bridge in ${b.currency}`, 'Amount', 'Card lines', 'Card amount', 'Payments', 'Payment amount'].forEach((h, i) => {
      hdr.getCell(i + 1).value = h;
      hdr.getCell(i + 1).font = HEADER_FONT;
      hdr.getCell(i + 1).alignment = { horizontal: i ? 'right' : 'left' };
    });
    const start = s.put('Card charges to the provider, counted', { formula: `SUMIFS(${col('Card amount')},${cardIn(b.currency)})`, result: b.cardTotal.toNumber() }, money);
    const first = s.row;
    for (const line of b.lines) {
      const n = s.put(`  ${CLASS_WORDS[line.label] ?? shorten(line.label)}`, null);
      const row = s.ws.getRow(n);
      const key = q(line.key);
      row.getCell(2).value = { formula: `F${n}-D${n}`, result: line.step.toNumber() };
      row.getCell(3).value = { formula: `COUNTIFS(${col('Card bridge line')},${key},${cardIn(b.currency)})`, result: line.cardCount };
      row.getCell(4).value = { formula: `SUMIFS(${col('Card amount')},${col('Card bridge line')},${key},${cardIn(b.currency)})`, result: line.cardAmount.toNumber() };
      row.getCell(5).value = { formula: `COUNTIFS(${col('Payment bridge line')},${key},${payIn(b.currency)})`, result: line.paymentCount };
      row.getCell(6).value = { formula: `SUMIFS(${col('Payment amount')},${col('Payment bridge line')},${key},${payIn(b.currency)})`, result: line.paymentAmount.toNumber() };
      for (const c of [2, 4, 6]) row.getCell(c).numFmt = money;
      for (const c of [3, 5]) row.getCell(c).numFmt = INTEGER_FORMAT;
      // a wrapped label makes the row taller: its figures stay on its first line, not the last
      for (const c of [3, 4, 5, 6]) row.getCell(c).alignment = { vertical: 'top', horizontal: 'right' };
    }
    const end = s.put(
      '= Payments, by the bridge',
      { formula: first < s.row ? `B${start}+SUM(B${first}:B${s.row - 1})` : `B${start}`, result: b.paymentTotal.plus(b.difference).toNumber() },
      money,
    );
    const pays = s.put('Payments, counted (Reconciliation)', { formula: `SUMIFS(${col('Payment amount')},${payIn(b.currency)})`, result: b.paymentTotal.toNumber() }, money);
    const diff = s.put(`Difference (must be 0.00 ${b.currency})`, { formula: `B${end}-B${pays}`, result: b.difference.toNumber() }, money);
    for (const n of [start, end, diff]) s.ws.getRow(n).getCell(1).font = HEADER_FONT;
    s.ws.getRow(diff).getCell(2).font = HEADER_FONT;
    s.row++;
  }
  for (const c of r.leftOut.totals) {
    const n = s.put(`Card lines not the provider's, left out (${c.currency})`, null, undefined);
    s.ws.getRow(n).getCell(3).value = c.count;
    s.ws.getRow(n).getCell(4).value = c.total.toNumber();
    s.ws.getRow(n).getCell(4).numFmt = moneyFormat(c.currency);
  }
}

function writeLedgerBlock(s: Sheet, result: ReportResult): void {
  const l = result.ledger!;
  const money = moneyFormat(l.currency);
  const check = l.closingCheck;
  if (!check) return;
  s.heading('Credit ledger');
  s.put('Balance shown by the dashboard', check.reported.toNumber(), money);
  s.put('Difference (dashboard − ledger)', check.difference.toNumber(), money, check.likelyCauses.length ? `Likely causes: ${check.likelyCauses.join('; ')}` : undefined);
}

function writeInputsBlock(s: Sheet, result: ReportResult, refs: SummaryRefs): void {
  const t = refs[INPUTS]!;
  const totalOf = (header: string) => ref(INPUTS, `${t.col(header)}${t.totalsRow}`);
  s.heading('Inputs');
  s.put(
    'Rows rejected',
    { formula: totalOf('Rows rejected'), result: result.totals.rejectedRows },
    INTEGER_FORMAT,
    'Rows left out of every total; each is listed on Exceptions with file, line and column.',
  );
  s.put(
    'Money in rejected rows',
    { formula: totalOf('Money in rejected rows'), result: result.totals.rejectedAmount.round(minorUnits(result.currency)).toNumber() },
    moneyFormat(result.currency),
    'Where the amount of a rejected row could be read.',
  );
}

/**
 * The run's own conservation check: the run-wide equations with their exact terms, and every
 * per-file equation that does not hold (the ones that hold are counted, and are in --json).
 */
function writeConservation(s: Sheet, result: ReportResult): void {
  s.heading('Conservation (checked on this run; exact figures)');
  const c = result.conservation;
  type Eq = ReportResult['conservation']['equations'][number];
  const terms = (e: Eq) => `${e.left.value.toString()} = ${e.right.map((x) => `${x.label} ${x.value.toString()}`).join(' + ')}${e.holds ? '' : ' — DOES NOT HOLD'}`;
  const fmt = (e: Eq) => (e.currency ? moneyFormat(e.currency) : INTEGER_FORMAT);
  for (const e of c.equations.filter((x) => x.file === null)) s.put(`${e.name}${e.currency ? ` (${e.currency})` : ''}`, e.left.value.toNumber(), fmt(e), terms(e));
  const perFile = c.equations.filter((x) => x.file !== null);
  s.put(
    'Per input file: rows and money read = accounted for',
    perFile.filter((e) => e.holds).length,
    INTEGER_FORMAT,
    `of ${perFile.length} equations hold (read = used + outside the period + repeats + other organisations + rejected + set aside, per file and currency)`,
  );
  for (const e of perFile.filter((x) => !x.holds)) s.put(`${e.file}: ${e.name}${e.currency ? ` (${e.currency})` : ''}`, e.left.value.toNumber(), fmt(e), terms(e));
}

/** Each attributed table's total against the cost export: every difference must be 0. */
function writeTableChecks(s: Sheet, result: ReportResult, refs: SummaryRefs, billedRow: number): void {
  const places = minorUnits(result.currency);
  s.heading('Checks: every attributed table − cost export (each must be 0)');
  const diff = result.totals.billed.round(places).minus(result.totals.costExport.round(places)).toNumber();
  for (const [sheet, label] of [
    [BY_PROJECT, 'By project'],
    [BY_MODEL, 'By model'],
    [BY_KEY, 'By key'],
    [BY_USER, 'By user'],
    [DAILY, 'Daily'],
  ] as const) {
    const t = refs[sheet]!;
    s.put(`${label} − cost export`, { formula: `${refIn(refs, sheet, `${t.col('Billed')}${t.totalsRow}`)}-B${billedRow}`, result: diff }, moneyFormat(result.currency));
  }
}

/** What the run was asked, for whoever reruns it. */
function writeAboutRun(s: Sheet, result: ReportResult): void {
  const p = result.period;
  s.heading('This run');
  s.put('Period (local dates, inclusive)', `${p.from} to ${p.to}`);
  s.put('Time zone', p.timezone);
  s.put('UTC range start', new Date(p.utcStart * 1000), DATETIME_FORMAT, `${isoUtc(p.utcStart)} (inclusive)`);
  s.put('UTC range end', new Date(p.utcEnd * 1000), DATETIME_FORMAT, `${isoUtc(p.utcEnd)} (exclusive)`);
  s.put('Bucket placement', 'midpoint rule', undefined, result.placementRule);
  if (result.attribution)
    s.put(
      'Cost export grouped by',
      result.attribution.costGranularity,
      undefined,
      'Spend is attributed, and usage compared with cost, at this level; what it does not name is split by the usage behind it.',
    );
  s.put('Currency of billed cost', result.currency);
  s.put('Home currency', result.homeCurrency);
  if (result.attribution)
    s.put(
      'List price table (version date)',
      result.priceTableVersion,
      undefined,
      'The date the shipped price table was last revised. List prices weight the split over keys and users and drive Usage vs cost; they never set billed amounts.',
    );
}
