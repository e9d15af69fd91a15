/**
 * Statement rows → CardLines under one profile (SPEC §2.4): find the header row (or, for a
 * header-less layout, check the first rows against the profile's signature), resolve the
 * columns, classify rows (preamble, data, skipped, trailer) and read each data row into a
 * CardLine (charges positive) or into one issue naming file, line and column. Pure: no I/O.
 */
import type { CardLine, InputIssue } from '../model.js';
import { Decimal } from '../money.js';
import type { LocalDate } from '../time.js';
import {
  findPeriodHint,
  isBlank,
  looksLikeDate,
  parseAmount,
  parseDate,
  lastFour,
  normaliseCurrency,
  resolveDateOrder,
  splitRegionCode,
  type DateContext,
  type ParsedAmount,
  type StatementPeriodHint,
} from './bank-values.js';
import type { CsvRow } from './csv.js';
import { issue, type ReadBatch } from './contract.js';
import { normaliseColumnName, type StatementProfile } from './statement-profile.js';

/** Year-less dates placed further than this outside the statement period get a warning. */
const PERIOD_WARNING_DAYS = 45;
/** A header-less file is recognised when this many first rows (or all, if fewer) fit the signature. */
const SIGNATURE_ROWS = 5;

// ---------------------------------------------------------------------------
// Header matching

export interface HeaderMatch {
  /** Index of the header row in the rows scanned; -1 for a layout without a header row. */
  index: number;
  /** Physical line of the header row; 0 for a layout without one. */
  line: number;
  /** Column names by position: the header row's cells, or the profile's names when there is no header row. */
  names: string[];
  matched: string[];
  missing: string[];
  unknown: string[];
  confidence: number;
}

/** The names (normalised) a profile column may appear under: itself, then its alternatives. */
function aliases(profile: StatementProfile, name: string): string[] {
  const key = normaliseColumnName(name);
  const alt = Object.entries(profile.header.alternatives).find(([k]) => normaliseColumnName(k) === key)?.[1] ?? [];
  return [key, ...alt.map(normaliseColumnName)];
}

export function matchHeader(rows: readonly CsvRow[], profile: StatementProfile): HeaderMatch | null {
  return profile.header.row === 'none' ? matchSignature(rows, profile) : matchHeaderRow(rows, profile);
}

function matchHeaderRow(rows: readonly CsvRow[], profile: StatementProfile): HeaderMatch | null {
  const required = profile.header.columns;
  const known = new Set([...required, ...profile.header.optional].flatMap((c) => aliases(profile, c)));
  let partial: HeaderMatch | null = null;
  const last = Math.min(rows.length - 1, profile.header.maxPreambleLines);
  for (let i = 0; i <= last; i++) {
    const row = rows[i]!;
    const present = new Set(row.fields.map(normaliseColumnName));
    const has = (c: string): boolean => aliases(profile, c).some((a) => present.has(a));
    const matched = required.filter(has);
    if (matched.length === 0) continue;
    const missing = required.filter((c) => !has(c));
    const nonEmpty = row.fields.filter((f) => f.trim() !== '');
    const unknown = nonEmpty.filter((f) => !known.has(normaliseColumnName(f))).map((f) => f.trim());
    const knownShare = nonEmpty.length ? (nonEmpty.length - unknown.length) / nonEmpty.length : 0;
    const found = { index: i, line: row.line, names: row.fields.slice(), matched, missing, unknown };
    if (missing.length === 0) {
      // all required columns: confident, more so when the profile knows every column and
      // names many of them (a 7-column layout beats the 4-column generic one on the same file)
      return { ...found, confidence: Math.min(0.99, 0.6 + 0.3 * knownShare + (0.1 * Math.min(required.length, 6)) / 6) };
    }
    // one column short of a long specific layout: worth reporting what is missing
    if (!partial && required.length >= 5 && missing.length === 1) {
      partial = { ...found, confidence: 0.2 + 0.2 * (matched.length / required.length) };
    }
  }
  return partial;
}

/**
 * A layout without a header row is recognised by its first rows: each has exactly the
 * profile's number of columns and every cell matches that column's pattern.
 */
function matchSignature(rows: readonly CsvRow[], profile: StatementProfile): HeaderMatch | null {
  const names = profile.header.columns;
  const patterns = (profile.header.signature ?? []).map((p) => new RegExp(p, 'iu'));
  const sample = rows.filter((r) => !r.fault && rowText(r) !== '').slice(0, SIGNATURE_ROWS);
  if (sample.length === 0 || patterns.length !== names.length) return null;
  const fits = (r: CsvRow): boolean => r.fields.length === names.length && patterns.every((re, i) => re.test(r.fields[i]!.trim()));
  if (!sample.every(fits)) return null;
  // no names to go by, so less sure than a header match, and surer the more rows agree
  const confidence = Math.min(0.85, 0.45 + 0.08 * sample.length);
  return { index: -1, line: 0, names: names.slice(), matched: names.slice(), missing: [], unknown: [], confidence };
}

// ---------------------------------------------------------------------------
// Columns

interface Columns {
  transactionDate: number;
  postedDate: number;
  description: number[];
  amount: number;
  debit: number;
  credit: number;
  currency: number;
  originalAmount: number;
  originalCurrency: number;
  fee: number;
  status: number;
  reference: number;
  cardLast4: number;
  direction: number;
}

/** Index of each profile field's column: first by name, then by its alternatives; `header.occurrence` picks among equal names. */
function resolveColumns(names: readonly string[], profile: StatementProfile): Columns {
  const cells = names.map(normaliseColumnName);
  const occurrence = new Map(Object.entries(profile.header.occurrence).map(([k, n]) => [normaliseColumnName(k), n]));
  const at = (name: string | undefined): number => {
    if (name === undefined) return -1;
    const n = occurrence.get(normaliseColumnName(name)) ?? 1;
    for (const alias of aliases(profile, name)) {
      const hits = cells.flatMap((c, i) => (c === alias ? [i] : []));
      if (hits.length) return hits[n > 0 ? n - 1 : hits.length + n] ?? -1;
    }
    return -1;
  };
  const pc = profile.columns;
  return {
    transactionDate: at(pc.transactionDate),
    postedDate: at(pc.postedDate),
    description: pc.description.map(at).filter((i) => i >= 0),
    amount: at(pc.amount),
    debit: at(pc.debit),
    credit: at(pc.credit),
    currency: at(pc.currency),
    originalAmount: at(pc.originalAmount),
    originalCurrency: at(pc.originalCurrency),
    fee: at(pc.fee),
    status: at(pc.status),
    reference: at(pc.reference),
    cardLast4: at(pc.cardLast4),
    direction: at(pc.direction),
  };
}

// ---------------------------------------------------------------------------
// Rows → CardLines

export interface StatementParseOptions {
  /** File name as shown in messages and provenance. */
  file: string;
  /** Statement period from the caller, used when the file has no period line. */
  period?: { from: LocalDate; to: LocalDate } | null;
  /** The config's home currency: the account currency when the profile has neither a currency column nor a fixed currency. */
  homeCurrency?: string | null;
}

export interface StatementParseResult extends ReadBatch<CardLine> {
  /** Physical line of the header row, null when none was found or the layout has none. */
  headerLine: number | null;
  /** The period used for year-less dates, and where it came from. */
  period: StatementPeriodHint | null;
  /** How an `auto` date column was resolved, for `inspect`. */
  dateOrder: string | null;
}

function rowText(row: CsvRow): string {
  return row.fields
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .join(' ');
}

const cellAt = (row: CsvRow, i: number): string => (i < 0 ? '' : (row.fields[i] ?? ''));

interface Classified {
  preamble: CsvRow[];
  data: CsvRow[];
  trailer: CsvRow[];
  skipped: number;
}

/** Preamble, data and trailer rows; blank rows, repeated headers, skip-pattern rows and trailer rows are counted as skipped. */
function classifyRows(rows: readonly CsvRow[], m: HeaderMatch, cols: Columns, profile: StatementProfile, file: string, issues: InputIssue[]): Classified {
  const trailerPatterns = profile.trailer.patterns.map((p) => new RegExp(p, 'iu'));
  const skipPatterns = profile.skip.patterns.map((p) => new RegExp(p, 'iu'));
  const headerCells = m.names.map(normaliseColumnName);
  const formats = profile.dates.formats;
  const preamble = rows.slice(0, Math.max(0, m.index));
  const out: Classified = { preamble, data: [], trailer: [], skipped: preamble.length };
  let inTrailer = false;
  for (const row of rows.slice(m.index + 1)) {
    const text = rowText(row);
    if (text === '' || skipPatterns.some((p) => p.test(text))) {
      out.skipped++;
      continue;
    }
    if (m.index >= 0 && row.fields.length === headerCells.length && row.fields.every((f, i) => normaliseColumnName(f) === headerCells[i])) {
      out.skipped++; // the header repeated: a page break, or two exports joined
      issues.push(
        issue(
          'info',
          file,
          row.line,
          null,
          `the header repeats on line ${row.line}: read as the start of the next part (a page break, or exports joined), not as a data row`,
          false,
        ),
      );
      continue;
    }
    // A trailer row has no date; after the first one, the rest of the dateless block is trailer too (totals come in blocks).
    if (!looksLikeDate(cellAt(row, cols.transactionDate), formats) && (inTrailer || trailerPatterns.some((p) => p.test(text)))) {
      inTrailer = true;
      out.trailer.push(row);
      out.skipped++;
      continue;
    }
    out.data.push(row);
  }
  return out;
}

/** The date context: the statement period for year-less dates, the day/month order for `auto`. */
function dateContextFor(c: Classified, cols: Columns, profile: StatementProfile, opts: StatementParseOptions): { ctx: DateContext; dateOrder: string | null } {
  const formats = profile.dates.formats;
  const pc = profile.columns;
  const ctx: DateContext = { period: null, twoDigitYearPivot: profile.dates.twoDigitYearPivot };
  if (formats.includes('MM/DD')) {
    ctx.period =
      findPeriodHint(c.preamble.map(rowText)) ??
      findPeriodHint(c.trailer.map(rowText)) ??
      (opts.period ? { from: opts.period.from, to: opts.period.to, source: 'statement period given by the caller' } : null);
  }
  if (!formats.includes('auto')) return { ctx, dateOrder: null };
  const dateCols = [pc.transactionDate, ...(cols.postedDate >= 0 && pc.postedDate ? [pc.postedDate] : [])];
  const values: string[] = [];
  for (const row of c.data) {
    values.push(cellAt(row, cols.transactionDate));
    if (cols.postedDate >= 0) values.push(cellAt(row, cols.postedDate));
  }
  const res = resolveDateOrder(values, `column${dateCols.length > 1 ? 's' : ''} ${dateCols.map((x) => `"${x}"`).join(' and ')}`);
  if (res.ok) {
    ctx.order = res.order;
    return { ctx, dateOrder: res.reason };
  }
  ctx.orderError = `${res.error} (profile "${profile.name}")`;
  return { ctx, dateOrder: res.error };
}

/**
 * Reads the rows of one statement (header and all) with a profile. Pure: no I/O, so tests
 * and `inspect` can call it on rows at hand.
 */
export function parseStatementRows(allRows: readonly CsvRow[], profile: StatementProfile, opts: StatementParseOptions): StatementParseResult {
  const file = opts.file;
  const records: CardLine[] = [];
  const issues: InputIssue[] = [];
  // lines the CSV layer could not read as rows are reported on their own, never classified
  const faulted = allRows.filter((r) => r.fault);
  const rows = faulted.length ? allRows.filter((r) => !r.fault) : allRows;
  const m = matchHeader(rows, profile);
  if (!m || m.missing.length) {
    issues.push(notReadable(m, profile, file));
    for (const row of faulted) issues.push(issue('error', file, row.line, null, row.fault!.message));
    return { records, issues, skipped: 0, rows: 0, headerLine: m ? m.line : null, period: null, dateOrder: null };
  }
  const cols = resolveColumns(m.names, profile);
  const classified = classifyRows(rows, m, cols, profile, file, issues);
  const { ctx: dateCtx, dateOrder } = dateContextFor(classified, cols, profile, opts);
  for (const row of faulted) issues.push(faultIssue(row, cols, m.names, profile, file));

  const r = rowReader(profile, cols, m.names, dateCtx, opts);
  let skipped = classified.skipped;
  for (const row of classified.data) {
    const got = r.read(row);
    if (got.kind === 'line') {
      records.push(got.line);
      issues.push(...got.warnings);
    } else {
      issues.push(got.issue);
      if (got.kind === 'neither') skipped++;
    }
  }
  const rejectedRows = classified.data.length - records.length - (skipped - classified.skipped) + faulted.length;
  issues.sort((x, y) => x.line - y.line); // stable: a row's issues stay in the order found
  return { records, issues, skipped, rows: skipped + records.length + rejectedRows, headerLine: m.index >= 0 ? m.line : null, period: dateCtx.period ?? null, dateOrder };
}

function notReadable(m: HeaderMatch | null, profile: StatementProfile, file: string): InputIssue {
  let what: string;
  if (m) what = `the header row on line ${m.line} lacks column${m.missing.length > 1 ? 's' : ''} ${m.missing.map((c) => `"${c}"`).join(', ')}`;
  else if (profile.header.row === 'none') what = `its first rows do not have the ${profile.header.columns.length} columns of the profile's signature (header.signature)`;
  else what = `no header row with columns ${profile.header.columns.map((c) => `"${c}"`).join(', ')} in the first ${profile.header.maxPreambleLines + 1} lines`;
  return issue('error', file, m ? m.line : 0, m ? (m.missing[0] ?? null) : null, `not readable as profile "${profile.name}": ${what}`);
}

type Problem = { column: string | null; message: string };
type RowResult = { kind: 'line'; line: CardLine; warnings: InputIssue[] } | { kind: 'rejected' | 'neither'; issue: InputIssue };

/** What reading one row needs, fixed for the file. */
interface RowEnv {
  profile: StatementProfile;
  file: string;
  cols: Columns;
  names: readonly string[];
  dateCtx: DateContext;
  homeCurrency: string | null;
  statusMap: Map<string, CardLine['status']>;
  directionMap: Map<string, 'out' | 'in' | 'neither'>;
  textOriginal: RegExp | null;
}

/** One row's reading in progress: its cells, and the problems and warnings found so far. */
interface RowState {
  env: RowEnv;
  row: CsvRow;
  problems: Problem[];
  warnings: Problem[];
}

const cell = (s: RowState, i: number): string => cellAt(s.row, i);
const colName = (s: RowState, i: number): string => s.env.names[i]?.trim() ?? '';

function rowReader(profile: StatementProfile, cols: Columns, names: readonly string[], dateCtx: DateContext, opts: StatementParseOptions): { read(row: CsvRow): RowResult } {
  const upperKeys = <T>(o: Record<string, T>): Map<string, T> => new Map(Object.entries(o).map(([k, v]) => [k.trim().toUpperCase(), v]));
  const env: RowEnv = {
    profile,
    file: opts.file,
    cols,
    names,
    dateCtx,
    homeCurrency: opts.homeCurrency ?? null,
    statusMap: upperKeys(profile.statusMap),
    directionMap: upperKeys(profile.directionMap),
    textOriginal: profile.originalInText ? new RegExp(profile.originalInText.pattern, 'i') : null,
  };
  return { read: (row) => readRow({ env, row, problems: [], warnings: [] }) };
}

function readRow(s: RowState): RowResult {
  const { env, row } = s;
  const { cols, file, profile } = env;
  // amount first, so that any issue on the row can say how much money it held (as the file writes it)
  const amt = readAmount(s);
  if (amt.neither) return { kind: 'neither', issue: neitherIssue(s, amt.asRead, readCurrency(s, null)) };
  const currency = readCurrency(s, amt.cellCurrency);
  const { transactionDate, postedDate } = readDates(s);
  const orig = readOriginal(s, amt.amount, currency) ?? readOriginalInText(s, amt.amount, currency);
  const fee = readFee(s);
  const status = readStatus(s, postedDate);
  if (s.problems.length || amt.amount === null || transactionDate === null || currency === null) {
    // one issue per row, so rows and rejected money are counted once
    const [first, ...also] = s.problems;
    const message = first!.message + (also.length ? `; also ${also.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ')}` : '');
    return { kind: 'rejected', issue: issue('error', file, row.line, first!.column, message, true, amt.asRead, currency) };
  }
  const warnings = s.warnings.map((w) => issue('warning', file, row.line, w.column, w.message, false, amt.amount, currency));
  const line: CardLine = {
    src: { file, line: row.line },
    profile: profile.name,
    transactionDate,
    postedDate,
    description: description(s),
    amount: amt.amount,
    currency,
    originalAmount: orig?.amount ?? null,
    originalCurrency: orig?.currency ?? null,
    fee,
    status,
    reference: cols.reference >= 0 && !isBlank(cell(s, cols.reference)) ? cell(s, cols.reference).trim() : null,
    cardLast4: cols.cardLast4 >= 0 ? lastFour(cell(s, cols.cardLast4)) : null,
  };
  return { kind: 'line', line, warnings };
}

function description(s: RowState): string {
  return s.env.cols.description
    .map((i) => cell(s, i).trim())
    .filter((x) => x !== '')
    .join(' / ');
}

function neitherIssue(s: RowState, amount: Decimal | null, currency: string | null): InputIssue {
  const d = s.env.cols.direction;
  const shown = amount ? ` (${amount.toString()}${currency ? ` ${currency}` : ''})` : '';
  const message = `skipped: "${colName(s, d)}" says ${JSON.stringify(cell(s, d).trim())}, neither money out nor money in of this account${shown}`;
  return issue('info', s.env.file, s.row.line, colName(s, d), message, false, amount, currency);
}

interface AmountRead {
  /** Charges positive; null when unreadable. */
  amount: Decimal | null;
  /** As the file writes it, for issues. */
  asRead: Decimal | null;
  cellCurrency: string | null;
  /** The direction column says the row is not money in or out of this account. */
  neither: boolean;
}

function readAmount(s: RowState): AmountRead {
  const { cols, profile } = s.env;
  const out: AmountRead = { amount: null, asRead: null, cellCurrency: null, neither: false };
  if (cols.amount < 0) return readDebitCredit(s, out);
  const p = parseAmount(cell(s, cols.amount), profile.numbers);
  if (p.ok) {
    out.asRead = p.value;
    out.cellCurrency = p.currency;
  }
  if (cols.direction >= 0) return readDirected(s, p, out);
  if (p.ok) out.amount = toCharge(p, profile.amountSign ?? 'charges-negative');
  else s.problems.push({ column: colName(s, cols.amount), message: p.error });
  return out;
}

/** An unsigned amount whose direction column says out, in or neither. */
function readDirected(s: RowState, p: ParsedAmount, out: AmountRead): AmountRead {
  const { cols, directionMap, profile } = s.env;
  const raw = cell(s, cols.direction).trim();
  const dir = directionMap.get(raw.toUpperCase());
  if (dir === 'neither') return { ...out, neither: true };
  if (!dir) {
    const expected = [...Object.keys(profile.directionMap)].map((k) => JSON.stringify(k)).join(', ');
    s.problems.push({ column: colName(s, cols.direction), message: `expected one of ${expected} (profile "${profile.name}" directionMap), found ${JSON.stringify(raw)}` });
  }
  if (!p.ok) {
    s.problems.push({ column: colName(s, cols.amount), message: p.error });
    return out;
  }
  if (p.value.sign() < 0 || p.direction) {
    // the direction column gives the sign; a second one in the cell could contradict it
    s.problems.push({
      column: colName(s, cols.amount),
      message: `expected an unsigned amount (the direction is in "${colName(s, cols.direction)}"), found ${JSON.stringify(cell(s, cols.amount).trim())}`,
    });
    return out;
  }
  if (dir) out.amount = dir === 'out' ? p.value : p.value.neg();
  return out;
}

function readDebitCredit(s: RowState, out: AmountRead): AmountRead {
  const { cols, profile } = s.env;
  const d = cell(s, cols.debit);
  const c = cell(s, cols.credit);
  const pd = isBlank(d) ? null : parseAmount(d, profile.numbers);
  const pcr = isBlank(c) ? null : parseAmount(c, profile.numbers);
  if (pd && !pd.ok) s.problems.push({ column: colName(s, cols.debit), message: pd.error });
  if (pcr && !pcr.ok) s.problems.push({ column: colName(s, cols.credit), message: pcr.error });
  if ((pd && !pd.ok) || (pcr && !pcr.ok)) return out;
  // a zero in the other column is how some banks write "nothing"
  const debit = pd?.ok && !pd.value.isZero() ? pd : null;
  const credit = pcr?.ok && !pcr.value.isZero() ? pcr : null;
  if (debit && credit) {
    s.problems.push({
      column: colName(s, cols.debit),
      message: `both "${colName(s, cols.debit)}" (${d.trim()}) and "${colName(s, cols.credit)}" (${c.trim()}) hold an amount; expected one of them`,
    });
  } else if (debit) {
    return { ...out, amount: debit.value.abs(), asRead: debit.value, cellCurrency: debit.currency };
  } else if (credit) {
    return { ...out, amount: credit.value.abs().neg(), asRead: credit.value, cellCurrency: credit.currency };
  } else if (pd || pcr) {
    return { ...out, amount: Decimal.ZERO };
  } else {
    s.problems.push({ column: colName(s, cols.debit), message: `expected an amount in "${colName(s, cols.debit)}" or "${colName(s, cols.credit)}", both are empty` });
  }
  return out;
}

/** The row's currency: its currency cell, else the amount cell's code, the profile's currency, the home currency. */
function readCurrency(s: RowState, cellCurrency: string | null): string | null {
  const { cols, profile, homeCurrency } = s.env;
  const text = cell(s, cols.currency);
  let currency: string | null = null;
  if (cols.currency >= 0 && !isBlank(text)) {
    currency = normaliseCurrency(text);
    if (!currency) s.problems.push({ column: colName(s, cols.currency), message: `expected a currency code such as USD, found ${JSON.stringify(text)}` });
  }
  if (currency && cellCurrency && currency !== cellCurrency) {
    s.problems.push({
      column: colName(s, cols.amount >= 0 ? cols.amount : cols.debit),
      message: `the amount says ${cellCurrency} but "${colName(s, cols.currency)}" says ${currency}`,
    });
  }
  currency ??= cellCurrency ?? profile.currency ?? homeCurrency ?? null;
  if (!currency && !(cols.currency >= 0 && !isBlank(text))) {
    const why = cols.currency >= 0 ? 'the currency cell is empty' : 'the file has no currency column';
    s.problems.push({
      column: cols.currency >= 0 ? colName(s, cols.currency) : null,
      message: `no currency: ${why}, profile "${profile.name}" sets no fixed currency and no home currency is configured`,
    });
  }
  return currency;
}

function readDates(s: RowState): { transactionDate: string | null; postedDate: string | null } {
  const { cols, profile } = s.env;
  const hasPosted = cols.postedDate >= 0 && !isBlank(cell(s, cols.postedDate));
  // CMB repayment rows: no transaction date, only the day the bank booked it
  if (isBlank(cell(s, cols.transactionDate)) && profile.dates.emptyTransactionDate === 'posted-date' && cols.postedDate >= 0) {
    if (hasPosted) {
      const postedDate = readDate(s, cols.postedDate);
      return { transactionDate: postedDate, postedDate };
    }
    s.problems.push({
      column: colName(s, cols.transactionDate),
      message: `expected a date in "${colName(s, cols.transactionDate)}" or "${colName(s, cols.postedDate)}", both are empty`,
    });
    return { transactionDate: null, postedDate: null };
  }
  const transactionDate = readDate(s, cols.transactionDate);
  return { transactionDate, postedDate: hasPosted ? readDate(s, cols.postedDate) : null };
}

function readDate(s: RowState, i: number): string | null {
  const text = cell(s, i);
  const d = parseDate(text, s.env.profile.dates.formats, s.env.dateCtx);
  if (!d.ok) {
    s.problems.push({ column: colName(s, i), message: d.error });
    return null;
  }
  if (d.daysOutsidePeriod && d.daysOutsidePeriod > PERIOD_WARNING_DAYS) {
    s.warnings.push({ column: colName(s, i), message: yearWarning(text, d.date, d.daysOutsidePeriod, s.env.dateCtx.period ?? null) });
  }
  return d.date;
}

type Original = { amount: Decimal; currency: string } | null;

/**
 * The merchant's amount from its cell: its currency from the currency column, a code in the
 * cell (`20.00(USD)`) or a region the profile maps (`20.00(US)`). A bare or unmapped-region
 * number is the account currency when it equals the amount; the account currency is no original.
 */
function readOriginal(s: RowState, amount: Decimal | null, currency: string | null): Original {
  const { cols, profile } = s.env;
  const text = cell(s, cols.originalAmount);
  if (cols.originalAmount < 0 || isBlank(text)) return null;
  const { text: amountText, region } = splitRegionCode(text);
  const p = parseAmount(amountText, profile.numbers);
  if (!p.ok) {
    s.problems.push({ column: colName(s, cols.originalAmount), message: p.error });
    return null;
  }
  const ocText = cell(s, cols.originalCurrency);
  const oc = cols.originalCurrency >= 0 && !isBlank(ocText) ? normaliseCurrency(ocText) : null;
  if (cols.originalCurrency >= 0 && !isBlank(ocText) && !oc) {
    s.problems.push({ column: colName(s, cols.originalCurrency), message: `expected a currency code such as USD, found ${JSON.stringify(ocText)}` });
    return null;
  }
  if (oc && p.currency && oc !== p.currency) {
    s.problems.push({ column: colName(s, cols.originalAmount), message: `the original amount says ${p.currency} but "${colName(s, cols.originalCurrency)}" says ${oc}` });
    return null;
  }
  const named = oc ?? p.currency ?? (region ? (profile.originalRegions[region] ?? null) : null);
  if (named === null) {
    if (amount === null || p.value.abs().eq(amount.abs())) return null; // the account currency, same amount
    const where = region ? `region ${region} is not in the profile's originalRegions` : 'it names no currency';
    s.warnings.push({
      column: colName(s, cols.originalAmount),
      message: `original amount ${JSON.stringify(text.trim())} differs from the amount and ${where}; read without an original amount`,
    });
    return null;
  }
  if (named === currency) return null; // the same currency as the account is not a foreign transaction
  // banks often print the merchant amount unsigned: it takes the sign of the account amount
  let orig = toCharge(p, profile.amountSign ?? 'charges-negative');
  if (amount && !amount.isZero()) orig = amount.sign() < 0 ? orig.abs().neg() : orig.abs();
  return { amount: orig, currency: named };
}

/** The merchant's amount printed inside the description (German "Orig. 50,00 USD"). */
function readOriginalInText(s: RowState, amount: Decimal | null, currency: string | null): Original {
  const re = s.env.textOriginal;
  if (!re || !amount || amount.isZero()) return null;
  const m = re.exec(description(s));
  const oc = m?.groups?.currency ? normaliseCurrency(m.groups.currency) : null;
  if (!m?.groups?.amount || !oc || oc === currency) return null;
  const p = parseAmount(m.groups.amount, s.env.profile.numbers);
  if (!p.ok) return null;
  return { amount: amount.sign() < 0 ? p.value.abs().neg() : p.value.abs(), currency: oc };
}

function readFee(s: RowState): Decimal | null {
  const { cols, profile } = s.env;
  if (cols.fee < 0 || isBlank(cell(s, cols.fee))) return null;
  const p = parseAmount(cell(s, cols.fee), profile.numbers);
  if (!p.ok) {
    s.problems.push({ column: colName(s, cols.fee), message: p.error });
    return null;
  }
  const f = toCharge(p, profile.feeSign);
  return f.isZero() ? null : f;
}

function readStatus(s: RowState, postedDate: string | null): CardLine['status'] {
  const { cols, statusMap, profile } = s.env;
  const fallback: CardLine['status'] = cols.postedDate >= 0 && postedDate === null ? 'pending' : 'posted';
  if (cols.status < 0 || isBlank(cell(s, cols.status))) return fallback;
  const raw = cell(s, cols.status).trim();
  const mapped = statusMap.get(raw.toUpperCase());
  if (mapped) return mapped;
  const expected = [...statusMap.keys()];
  s.problems.push({
    column: colName(s, cols.status),
    message: `unknown status ${JSON.stringify(raw)}; expected ${expected.length ? `one of ${expected.join(', ')}` : "a value listed in the profile's statusMap"} (profile "${profile.name}")`,
  });
  return fallback;
}

/**
 * A line the CSV layer could not read as a row (inside an unbalanced quote, or too long):
 * rejected, with the amount and currency its cells show where they can be read.
 */
function faultIssue(row: CsvRow, cols: Columns, header: readonly string[], profile: StatementProfile, file: string): InputIssue {
  const at = (i: number) => cellAt(row, i);
  const pick = [cols.amount, cols.debit, cols.credit].map((i) => parseAmount(at(i), profile.numbers)).find((p) => p.ok && !p.value.isZero());
  const amount = pick?.ok ? pick.value : null;
  const currency = (cols.currency >= 0 ? normaliseCurrency(at(cols.currency)) : null) ?? (pick?.ok ? pick.currency : null) ?? profile.currency ?? null;
  const column = row.fault!.field === null ? null : (header[row.fault!.field]?.trim() ?? null);
  return issue('error', file, row.line, column, row.fault!.message, true, amount, currency);
}

/** A file's amount → CardLine's convention (positive = money out); DR/CR markers win over the convention. */
function toCharge(p: Extract<ParsedAmount, { ok: true }>, sign: 'charges-negative' | 'charges-positive'): Decimal {
  if (p.direction === 'debit') return p.value.abs();
  if (p.direction === 'credit') return p.value.abs().neg();
  return sign === 'charges-negative' ? p.value.neg() : p.value;
}

function yearWarning(text: string, date: string, days: number, period: StatementPeriodHint | null): string {
  return `${JSON.stringify(text.trim())} has no year; read as ${date}, ${days} days outside the statement period ${period?.from}..${period?.to} (from ${JSON.stringify(period?.source ?? '')})`;
}
