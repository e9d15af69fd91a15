/**
 * Statement rows → CardLines under one profile (SPEC §2.4): find the header row (or, for a
 * header-less layout, check the first rows against the profile's signature), resolve the
 * columns, classify rows (preamble, data, continuation, skipped, trailer) and read each data row (statement-row-read.ts) into a
 * CardLine (charges positive) or into one issue naming file, line and column. Pure: no I/O.
 */
import type { CardLine, InputIssue } from '../model.js';
import { cached } from '../lists.js';
import type { LocalDate } from '../time.js';
import { findPeriodHint, looksLikeDate, parseDate, resolveDateOrder, type DateContext, type StatementPeriodHint } from './bank-dates.js';
import { isBlank } from './bank-values.js';
import type { CsvRow } from './csv.js';
import { issue, type ReadBatch } from './contract.js';
import { normaliseColumnName, type StatementProfile } from './statement-profile.js';
import { amountAt, cellAt, dateFormatsAt, faultIssue, rowReader } from './statement-row-read.js';

/** A header-less file is recognised when this many first rows (or all, if fewer) fit the signature. */
const SIGNATURE_ROWS = 5;
/** Detection reads this many first data rows with each profile whose header fits (readShare). */
const READ_SAMPLE_ROWS = 10;

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

/** The names (normalised) a profile column may appear under: itself, then its alternatives. Once per profile and name. */
function aliases(profile: StatementProfile, name: string): string[] {
  let names = ALIASES.get(profile);
  if (!names) ALIASES.set(profile, (names = new Map()));
  return cached(names, name, () => {
    const key = normaliseColumnName(name);
    const alt = Object.entries(profile.header.alternatives).find(([k]) => normaliseColumnName(k) === key)?.[1] ?? [];
    return [key, ...alt.map(normaliseColumnName)];
  });
}
const ALIASES = new WeakMap<StatementProfile, Map<string, string[]>>();

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
 * A layout without a header row is recognised by its first rows (the profile's skip lines
 * left out): each has the profile's number of columns (or up to rows.maxMissingCells fewer,
 * the missing ones tested as empty cells) and every cell matches that column's pattern.
 */
function matchSignature(rows: readonly CsvRow[], profile: StatementProfile): HeaderMatch | null {
  const names = profile.header.columns;
  const patterns = (profile.header.signature ?? []).map((p) => new RegExp(p, 'iu'));
  // card-holder and total lines (SMBC Vpass) are the profile's skip lines, not rows to recognise it by
  const skip = profile.skip.patterns.map((p) => new RegExp(p, 'iu'));
  const sample = rows.filter((r) => !r.fault && rowText(r) !== '' && !skip.some((p) => p.test(rowText(r)))).slice(0, SIGNATURE_ROWS);
  if (sample.length === 0 || patterns.length !== names.length) return null;
  const shortest = names.length - profile.rows.maxMissingCells;
  const fits = (r: CsvRow): boolean => r.fields.length <= names.length && r.fields.length >= shortest && patterns.every((re, i) => re.test((r.fields[i] ?? '').trim()));
  if (!sample.every(fits)) return null;
  // no names to go by, so less sure than a header match, and surer the more rows agree
  const confidence = Math.min(0.85, 0.45 + 0.08 * sample.length);
  return { index: -1, line: 0, names: names.slice(), matched: names.slice(), missing: [], unknown: [], confidence };
}

// ---------------------------------------------------------------------------
// How well a profile reads the first rows (detection: a header tie goes to the profile that reads them)

export interface ReadShare {
  /** Sampled data rows whose date and money cells both parse under the profile. */
  read: number;
  sampled: number;
}

/**
 * Reads the first data rows below a matched header with the profile's date formats and number
 * format: two profiles with one header (Tangerine M/D/YYYY CAD, U.S. Bank ISO dates USD) are
 * told apart by which one can read the rows. Cells only, no period or column-wide order.
 */
export function readShare(rows: readonly CsvRow[], m: HeaderMatch, profile: StatementProfile): ReadShare {
  const cols = resolveColumns(m.names, profile);
  const readable = rows.filter((r) => !r.fault);
  const data = classifyRows(readable, m, cols, profile, '', []).data.slice(0, READ_SAMPLE_ROWS);
  const read = data.filter((row) => dateCellReads(row, cols.transactionDate, profile) && moneyCellsRead(row, cols, profile)).length;
  return { read, sampled: data.length };
}

/** Parses under the formats; `auto` and `MM/DD` need the whole column or the period, so their shape is enough here. */
function dateCellReads(row: CsvRow, i: number, profile: StatementProfile): boolean {
  const text = cellAt(row, i);
  const formats = dateFormatsAt(row, i, profile.dates.formats);
  if (parseDate(text, formats, { twoDigitYearPivot: profile.dates.twoDigitYearPivot }).ok) return true;
  const needContext = formats.filter((f) => f === 'auto' || f === 'MM/DD');
  return looksLikeDate(text, needContext);
}

/** The amount cell parses; or of debit and credit, one is filled and every filled one parses. */
function moneyCellsRead(row: CsvRow, cols: Columns, profile: StatementProfile): boolean {
  const parses = (i: number): boolean => amountAt(row, i, profile.numbers).ok;
  if (cols.amount >= 0) return parses(cols.amount);
  const filled = [cols.debit, cols.credit].filter((i) => i >= 0 && !isBlank(cellAt(row, i)));
  return filled.length > 0 && filled.every(parses);
}

// ---------------------------------------------------------------------------
// Columns

export interface Columns {
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
  /** The run's reporting zone: the calendar date of an `instant` date cell when the profile names no dates.timezone. */
  timezone?: string;
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

interface Classified {
  preamble: CsvRow[];
  data: CsvRow[];
  trailer: CsvRow[];
  skipped: number;
  /** A data row → the continuation rows below it (profile.continuation), in file order. */
  continued: Map<CsvRow, CsvRow[]>;
  /** Continuation rows with no transaction above them: each is rejected. */
  orphans: CsvRow[];
}

/** A row that continues the transaction above (profile.continuation): no date, no money, and its text fits the pattern. */
function continuationTest(profile: StatementProfile, cols: Columns): ((row: CsvRow, text: string) => boolean) | null {
  const c = profile.continuation;
  if (!c) return null;
  const re = c.pattern === undefined ? null : new RegExp(c.pattern, 'iu');
  const empty = [cols.transactionDate, cols.postedDate, cols.amount, cols.debit, cols.credit, cols.originalAmount, cols.fee].filter((i) => i >= 0);
  return (row, text) => empty.every((i) => cellAt(row, i).trim() === '') && (re === null || re.test(text));
}

/** Preamble, data and trailer rows; blank rows, repeated headers, skip-pattern rows and trailer rows are counted as skipped. */
function classifyRows(rows: readonly CsvRow[], m: HeaderMatch, cols: Columns, profile: StatementProfile, file: string, issues: InputIssue[]): Classified {
  const trailerPatterns = profile.trailer.patterns.map((p) => new RegExp(p, 'iu'));
  const skipPatterns = profile.skip.patterns.map((p) => new RegExp(p, 'iu'));
  const headerCells = m.names.map(normaliseColumnName);
  const formats = profile.dates.formats;
  const preamble = rows.slice(0, Math.max(0, m.index));
  const out: Classified = { preamble, data: [], trailer: [], skipped: preamble.length, continued: new Map(), orphans: [] };
  const continues = continuationTest(profile, cols);
  let inTrailer = false;
  let above: CsvRow | null = null; // the transaction a continuation row belongs to
  for (const row of rows.slice(m.index + 1)) {
    const text = rowText(row);
    if (text === '' || skipPatterns.some((p) => p.test(text))) {
      out.skipped++;
      continue;
    }
    if (m.index >= 0 && row.fields.length === headerCells.length && row.fields.every((f, i) => normaliseColumnName(f) === headerCells[i])) {
      out.skipped++; // the header repeated: a page break, or two exports joined
      above = null;
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
    if (!looksLikeDate(cellAt(row, cols.transactionDate), dateFormatsAt(row, cols.transactionDate, formats)) && (inTrailer || trailerPatterns.some((p) => p.test(text)))) {
      inTrailer = true;
      out.trailer.push(row);
      out.skipped++;
      continue;
    }
    if (continues?.(row, text)) {
      if (above) {
        // part of the transaction above: counted once, as one of the file's other lines
        out.continued.set(above, [...(out.continued.get(above) ?? []), row]);
        out.skipped++;
      } else out.orphans.push(row);
      continue;
    }
    out.data.push(row);
    above = row;
  }
  return out;
}

function orphanIssue(row: CsvRow, dateColumn: string | null, file: string): InputIssue {
  const message = `expected a transaction date: a row with no date and no amount continues the transaction above it (profile continuation), but no transaction precedes this one: ${JSON.stringify(rowText(row))}`;
  return issue('error', file, row.line, dateColumn, message, true);
}

/** The date context: the statement period for year-less dates, the day/month order for `auto`. */
function dateContextFor(c: Classified, cols: Columns, profile: StatementProfile, opts: StatementParseOptions): { ctx: DateContext; dateOrder: string | null } {
  const formats = profile.dates.formats;
  const pc = profile.columns;
  const ctx: DateContext = { period: null, twoDigitYearPivot: profile.dates.twoDigitYearPivot, timeZone: profile.dates.timezone ?? opts.timezone ?? 'UTC' };
  if (formats.includes('MM/DD')) {
    ctx.period =
      findPeriodHint(c.preamble.map(rowText)) ??
      findPeriodHint(c.trailer.map(rowText)) ??
      (opts.period ? { from: opts.period.from, to: opts.period.to, source: 'statement period given by the caller' } : null);
  }
  if (!formats.includes('auto')) return { ctx, dateOrder: null };
  const dateCols = [pc.transactionDate, ...(cols.postedDate >= 0 && pc.postedDate ? [pc.postedDate] : [])];
  const values: string[] = [];
  // typed date cells (Excel dates, ISO text) say nothing about the order of the text ones
  const textDate = (row: CsvRow, i: number): boolean => i >= 0 && !row.typedDates?.has(i);
  for (const row of c.data) {
    if (textDate(row, cols.transactionDate)) values.push(cellAt(row, cols.transactionDate));
    if (textDate(row, cols.postedDate)) values.push(cellAt(row, cols.postedDate));
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
  for (const row of classified.orphans) issues.push(orphanIssue(row, m.names[cols.transactionDate]?.trim() ?? null, file));
  for (const row of classified.data) {
    const got = r.read(row, (classified.continued.get(row) ?? []).map(rowText));
    if (got.kind === 'line') {
      records.push(got.line);
      issues.push(...got.warnings);
    } else {
      issues.push(got.issue);
      if (got.kind === 'neither') skipped++;
    }
  }
  const rejectedRows = classified.data.length - records.length - (skipped - classified.skipped) + faulted.length + classified.orphans.length;
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
