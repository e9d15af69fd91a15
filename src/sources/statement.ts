/**
 * Card and bank statements (SPEC §2.4), read through statement profiles: a profile says
 * which header identifies the layout, where each field is, how dates and numbers are
 * written and which sign a charge has. This reader finds the header row below any
 * preamble, skips trailer lines, and turns every other row into a CardLine (charges
 * positive) or into issues naming file, line and column.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import Papa from 'papaparse';
import type { CardLine, Detection, InputIssue } from '../model.js';
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
  type DateContext,
  type ParsedAmount,
  type StatementPeriodHint,
} from './bank-values.js';
import { CsvFile, normaliseEncodingName, sniffDelimiter, type CsvRow } from './csv.js';
import { issue, type OpenedInput, type ReadBatch, type ReadContext, type SourceReader } from './contract.js';
import { builtinProfiles, normaliseColumnName, type StatementProfile } from './statement-profile.js';

/** A detection that also says which profile, header line, encoding and delimiter to read with. */
export interface StatementDetection extends Detection {
  profile: string;
  /** 1-based physical line of the header row. */
  headerLine: number;
  encoding: string;
  delimiter: string;
}

/** ReadContext plus the statement period when the caller knows it (for dates printed without a year). */
export interface StatementReadContext extends ReadContext {
  statementPeriod?: { from: LocalDate; to: LocalDate } | null;
}

export interface StatementReaderOptions {
  /** Default statement period for year-less dates when the file has no period line. */
  period?: { from: LocalDate; to: LocalDate } | null;
}

/** Year-less dates placed further than this outside the statement period get a warning. */
const PERIOD_WARNING_DAYS = 45;
const SAMPLE_BYTES = 64 * 1024;

// ---------------------------------------------------------------------------
// Header matching

interface HeaderMatch {
  /** Index of the header row in the rows scanned. */
  index: number;
  row: CsvRow;
  matched: string[];
  missing: string[];
  unknown: string[];
  confidence: number;
}

function matchHeader(rows: readonly CsvRow[], profile: StatementProfile): HeaderMatch | null {
  const required = profile.header.columns;
  const known = new Set([...required, ...profile.header.optional].map(normaliseColumnName));
  let partial: HeaderMatch | null = null;
  const last = Math.min(rows.length - 1, profile.header.maxPreambleLines);
  for (let i = 0; i <= last; i++) {
    const row = rows[i]!;
    const cells = row.fields.map(normaliseColumnName);
    const present = new Set(cells);
    const matched = required.filter((c) => present.has(normaliseColumnName(c)));
    if (matched.length === 0) continue;
    const missing = required.filter((c) => !present.has(normaliseColumnName(c)));
    const nonEmpty = row.fields.filter((f) => f.trim() !== '');
    const unknown = nonEmpty.filter((f) => !known.has(normaliseColumnName(f))).map((f) => f.trim());
    const knownShare = nonEmpty.length ? (nonEmpty.length - unknown.length) / nonEmpty.length : 0;
    if (missing.length === 0) {
      // all required columns: confident, more so when the profile knows every column and
      // names many of them (a 7-column layout beats the 4-column generic one on the same file)
      const confidence = Math.min(0.99, 0.6 + 0.3 * knownShare + 0.1 * Math.min(required.length, 6) / 6);
      return { index: i, row, matched, missing, unknown, confidence };
    }
    // one column short of a long specific layout: worth reporting what is missing
    if (!partial && required.length >= 5 && missing.length === 1) {
      partial = { index: i, row, matched, missing, unknown, confidence: 0.2 + 0.2 * (matched.length / required.length) };
    }
  }
  return partial;
}

// ---------------------------------------------------------------------------
// Detection under a profile's encoding and delimiter

interface HeadView {
  rows: CsvRow[];
  encoding: string;
  delimiter: string;
  note: string | null;
}

function readSample(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES);
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Rows with physical line numbers, counted the way CsvFile counts them. */
function parseHead(text: string, delimiter: string): CsvRow[] {
  const data = Papa.parse<string[]>(text, { delimiter }).data;
  const rows: CsvRow[] = [];
  let line = 1;
  for (const fields of data) {
    const start = line;
    line++;
    for (const f of fields) if (f.includes('\n')) line += f.split('\n').length - 1;
    if (fields.length === 1 && fields[0] === '') continue;
    rows.push({ line: start, fields });
    if (rows.length >= 40) break;
  }
  return rows;
}

/**
 * The head of the file as this profile would read it. When the profile names encodings
 * and the sniffed one is only a guess outside that list (Windows-1252 umlauts often
 * decode as GB18030), or names a delimiter other than the sniffed one, the first bytes
 * are decoded again synchronously (detect is synchronous; it is 64 KiB once per file).
 */
function headForProfile(csv: CsvFile, profile: StatementProfile, cache: Map<string, HeadView>, sample: () => Uint8Array): HeadView {
  const sniffed = csv.encoding.encoding;
  const encodingKnown = csv.encoding.bomBytes > 0 || csv.encoding.reason === 'set by option';
  let encoding = sniffed;
  let note: string | null = null;
  const wanted = profile.encoding?.map(normaliseEncodingName);
  if (wanted && !encodingKnown && !wanted.includes(sniffed)) {
    for (const e of wanted) {
      try {
        new TextDecoder(e, { fatal: true }).decode(sample(), { stream: true });
        encoding = e;
        note = `read as ${e} (profile encoding) rather than the sniffed ${sniffed}`;
        break;
      } catch {
        /* not this one */
      }
    }
  }
  if (encoding === sniffed && (profile.delimiter === undefined || profile.delimiter === csv.delimiter)) {
    return { rows: csv.head, encoding, delimiter: csv.delimiter, note };
  }
  const key = `${encoding}|${profile.delimiter ?? ''}`;
  const hit = cache.get(key);
  if (hit) return { ...hit, note };
  const bytes = sample();
  let text = new TextDecoder(encoding).decode(bytes, { stream: true });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  if (csv.bytes > bytes.length && cut > 0) text = text.slice(0, cut);
  const delimiter = profile.delimiter ?? sniffDelimiter(text);
  const view: HeadView = { rows: parseHead(text, delimiter), encoding, delimiter, note };
  cache.set(key, view);
  return view;
}

function detectWith(profiles: readonly StatementProfile[], input: OpenedInput): StatementDetection | null {
  if (input.type !== 'csv') return null;
  const csv = input.csv;
  const cache = new Map<string, HeadView>();
  let bytes: Uint8Array | null = null;
  const sample = (): Uint8Array => (bytes ??= readSample(csv.path));
  const found: { profile: StatementProfile; m: HeaderMatch; view: HeadView }[] = [];
  for (const profile of profiles) {
    const view = headForProfile(csv, profile, cache, sample);
    const m = matchHeader(view.rows, profile);
    if (m) found.push({ profile, m, view });
  }
  if (found.length === 0) return null;
  // stable: on equal confidence the earlier profile (user profiles come first) wins
  const best = found.reduce((a, b) => (b.m.confidence > a.m.confidence ? b : a));
  const { profile, m, view } = best;
  const reasons = [
    `profile "${profile.name}" (${profile.label})`,
    `header on line ${m.row.line}${m.index ? ` after ${m.index} preamble line${m.index > 1 ? 's' : ''}` : ''}`,
    `matched columns: ${m.matched.join(', ')}`,
  ];
  if (m.missing.length) reasons.push(`missing columns: ${m.missing.join(', ')}`);
  if (view.note) reasons.push(view.note);
  for (const other of found) {
    if (other !== best) reasons.push(`also fits profile "${other.profile.name}" (confidence ${Math.round(other.m.confidence * 100)}%)`);
  }
  return {
    format: 'statement',
    label: `Card/bank statement: ${profile.label}`,
    confidence: m.confidence,
    reasons,
    missingRequired: m.missing,
    unknownColumns: m.unknown,
    profile: profile.name,
    headerLine: m.row.line,
    encoding: view.encoding,
    delimiter: view.delimiter,
  };
}

// ---------------------------------------------------------------------------
// Rows → CardLines

export interface StatementParseOptions {
  /** File name as shown in messages and provenance. */
  file: string;
  /** Statement period from the caller, used when the file has no period line. */
  period?: { from: LocalDate; to: LocalDate } | null;
}

export interface StatementParseResult extends ReadBatch<CardLine> {
  /** Physical line of the header row, null when none was found. */
  headerLine: number | null;
  /** The period used for year-less dates, and where it came from. */
  period: StatementPeriodHint | null;
  /** How an `auto` date column was resolved, for `inspect`. */
  dateOrder: string | null;
}

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
}

function rowText(row: CsvRow): string {
  return row.fields
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .join(' ');
}

function compileTrailer(profile: StatementProfile): RegExp[] {
  return profile.trailer.patterns.map((p) => new RegExp(p, 'iu'));
}

/**
 * Reads the rows of one statement (header and all) with a profile. Pure: no I/O, so tests
 * and `inspect` can call it on rows at hand.
 */
export function parseStatementRows(allRows: readonly CsvRow[], profile: StatementProfile, opts: StatementParseOptions): StatementParseResult {
  const file = opts.file;
  const textOriginal = profile.originalInText ? new RegExp(profile.originalInText.pattern, 'i') : null;
  const records: CardLine[] = [];
  const issues: InputIssue[] = [];
  // lines the CSV layer could not read as rows are reported on their own, never classified
  const faulted = allRows.filter((r) => r.fault);
  const rows = faulted.length ? allRows.filter((r) => !r.fault) : allRows;
  const m = matchHeader(rows, profile);
  if (!m || m.missing.length) {
    const what = m
      ? `the header row on line ${m.row.line} lacks column${m.missing.length > 1 ? 's' : ''} ${m.missing.map((c) => `"${c}"`).join(', ')}`
      : `no header row with columns ${profile.header.columns.map((c) => `"${c}"`).join(', ')} in the first ${profile.header.maxPreambleLines + 1} lines`;
    issues.push(issue('error', file, m ? m.row.line : 0, m ? (m.missing[0] ?? null) : null, `not readable as profile "${profile.name}": ${what}`));
    for (const row of faulted) issues.push(issue('error', file, row.line, null, row.fault!.message));
    return { records, issues, skipped: 0, rows: 0, headerLine: m ? m.row.line : null, period: null, dateOrder: null };
  }

  const headerCells = m.row.fields.map(normaliseColumnName);
  const at = (name: string | undefined): number => (name === undefined ? -1 : headerCells.indexOf(normaliseColumnName(name)));
  const pc = profile.columns;
  const cols: Columns = {
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
  };
  const cell = (row: CsvRow, i: number): string => (i < 0 ? '' : (row.fields[i] ?? ''));
  const formats = profile.dates.formats;
  const trailerPatterns = compileTrailer(profile);

  // Classify rows first: period lines may sit in the trailer, and `auto` dates need the column.
  const preamble = rows.slice(0, m.index);
  let skipped = preamble.length;
  const data: CsvRow[] = [];
  const trailer: CsvRow[] = [];
  let inTrailer = false;
  for (const row of rows.slice(m.index + 1)) {
    const text = rowText(row);
    if (text === '') {
      skipped++;
      continue;
    }
    if (row.fields.length === headerCells.length && row.fields.every((f, i) => normaliseColumnName(f) === headerCells[i])) {
      skipped++; // the header repeated: a page break, or two exports joined
      issues.push(issue('info', file, row.line, null, `the header repeats on line ${row.line}: read as the start of the next part (a page break, or exports joined), not as a data row`, false));
      continue;
    }
    const dateCell = cell(row, cols.transactionDate);
    // A trailer row has no date; after the first one, the rest of the dateless block is trailer too (totals come in blocks).
    if (!looksLikeDate(dateCell, formats) && (inTrailer || trailerPatterns.some((p) => p.test(text)))) {
      inTrailer = true;
      trailer.push(row);
      skipped++;
      continue;
    }
    data.push(row);
  }

  let period: StatementPeriodHint | null = null;
  if (formats.includes('MM/DD')) {
    period =
      findPeriodHint(preamble.map(rowText)) ??
      findPeriodHint(trailer.map(rowText)) ??
      (opts.period ? { from: opts.period.from, to: opts.period.to, source: 'statement period given by the caller' } : null);
  }
  const dateCtx: DateContext = { period };
  let dateOrder: string | null = null;
  if (formats.includes('auto')) {
    const dateCols = [pc.transactionDate, ...(cols.postedDate >= 0 && pc.postedDate ? [pc.postedDate] : [])];
    const values: string[] = [];
    for (const row of data) {
      values.push(cell(row, cols.transactionDate));
      if (cols.postedDate >= 0) values.push(cell(row, cols.postedDate));
    }
    const res = resolveDateOrder(values, `column${dateCols.length > 1 ? 's' : ''} ${dateCols.map((c) => `"${c}"`).join(' and ')}`);
    if (res.ok) {
      dateCtx.order = res.order;
      dateOrder = res.reason;
    } else {
      dateCtx.orderError = `${res.error} (profile "${profile.name}")`;
      dateOrder = res.error;
    }
  }

  for (const row of faulted) issues.push(faultIssue(row, cols, m.row.fields, profile, file));

  const statusMap = new Map(Object.entries(profile.statusMap).map(([k, v]) => [k.trim().toUpperCase(), v]));
  const nf = profile.numbers;
  const amountSign = profile.amountSign ?? 'charges-negative';

  for (const row of data) {
    const problems: { column: string | null; message: string }[] = [];
    const warnings: { column: string | null; message: string }[] = [];
    const colName = (i: number): string => m.row.fields[i]?.trim() ?? '';

    // amount first, so that any issue on the row can say how much money it held (as the file writes it)
    let amount: Decimal | null = null;
    let asRead: Decimal | null = null;
    let cellCurrency: string | null = null;
    if (cols.amount >= 0) {
      const p = parseAmount(cell(row, cols.amount), nf);
      if (p.ok) {
        amount = toCharge(p, amountSign);
        asRead = p.value;
        cellCurrency = p.currency;
      } else problems.push({ column: colName(cols.amount), message: p.error });
    } else {
      const d = cell(row, cols.debit);
      const c = cell(row, cols.credit);
      const pd = isBlank(d) ? null : parseAmount(d, nf);
      const pcr = isBlank(c) ? null : parseAmount(c, nf);
      if (pd && !pd.ok) problems.push({ column: colName(cols.debit), message: pd.error });
      if (pcr && !pcr.ok) problems.push({ column: colName(cols.credit), message: pcr.error });
      if ((!pd || pd.ok) && (!pcr || pcr.ok)) {
        // a zero in the other column is how some banks write "nothing"
        const debit = pd?.ok && !pd.value.isZero() ? pd : null;
        const credit = pcr?.ok && !pcr.value.isZero() ? pcr : null;
        if (debit && credit) {
          problems.push({ column: colName(cols.debit), message: `both "${colName(cols.debit)}" (${d.trim()}) and "${colName(cols.credit)}" (${c.trim()}) hold an amount; expected one of them` });
        } else if (debit) {
          amount = debit.value.abs();
          asRead = debit.value;
          cellCurrency = debit.currency;
        } else if (credit) {
          amount = credit.value.abs().neg();
          asRead = credit.value;
          cellCurrency = credit.currency;
        } else if (pd || pcr) {
          amount = Decimal.ZERO;
        } else {
          problems.push({ column: colName(cols.debit), message: `expected an amount in "${colName(cols.debit)}" or "${colName(cols.credit)}", both are empty` });
        }
      }
    }

    let currency: string | null = null;
    if (cols.currency >= 0 && !isBlank(cell(row, cols.currency))) {
      currency = normaliseCurrency(cell(row, cols.currency));
      if (!currency) problems.push({ column: colName(cols.currency), message: `expected a currency code such as USD, found ${JSON.stringify(cell(row, cols.currency))}` });
    }
    if (currency && cellCurrency && currency !== cellCurrency) {
      problems.push({ column: colName(cols.amount >= 0 ? cols.amount : cols.debit), message: `the amount says ${cellCurrency} but "${colName(cols.currency)}" says ${currency}` });
    }
    currency ??= cellCurrency ?? profile.currency ?? null;
    if (!currency && !(cols.currency >= 0 && !isBlank(cell(row, cols.currency)))) {
      problems.push({ column: cols.currency >= 0 ? colName(cols.currency) : null, message: `no currency: the currency cell is empty and profile "${profile.name}" sets no fixed currency` });
    }

    const txText = cell(row, cols.transactionDate);
    const tx = parseDate(txText, formats, dateCtx);
    let transactionDate: string | null = null;
    if (tx.ok) {
      transactionDate = tx.date;
      if (tx.daysOutsidePeriod && tx.daysOutsidePeriod > PERIOD_WARNING_DAYS) {
        warnings.push({ column: colName(cols.transactionDate), message: yearWarning(txText, tx.date, tx.daysOutsidePeriod, period) });
      }
    } else problems.push({ column: colName(cols.transactionDate), message: tx.error });

    let postedDate: string | null = null;
    if (cols.postedDate >= 0 && !isBlank(cell(row, cols.postedDate))) {
      const ptText = cell(row, cols.postedDate);
      const pt = parseDate(ptText, formats, dateCtx);
      if (pt.ok) {
        postedDate = pt.date;
        if (pt.daysOutsidePeriod && pt.daysOutsidePeriod > PERIOD_WARNING_DAYS) {
          warnings.push({ column: colName(cols.postedDate), message: yearWarning(ptText, pt.date, pt.daysOutsidePeriod, period) });
        }
      } else problems.push({ column: colName(cols.postedDate), message: pt.error });
    }

    let originalAmount: Decimal | null = null;
    let originalCurrency: string | null = null;
    if (cols.originalAmount >= 0 && !isBlank(cell(row, cols.originalAmount))) {
      const p = parseAmount(cell(row, cols.originalAmount), nf);
      if (!p.ok) problems.push({ column: colName(cols.originalAmount), message: p.error });
      else {
        const oc = cols.originalCurrency >= 0 && !isBlank(cell(row, cols.originalCurrency)) ? normaliseCurrency(cell(row, cols.originalCurrency)) : null;
        if (cols.originalCurrency >= 0 && !isBlank(cell(row, cols.originalCurrency)) && !oc) {
          problems.push({ column: colName(cols.originalCurrency), message: `expected a currency code such as USD, found ${JSON.stringify(cell(row, cols.originalCurrency))}` });
        } else if (oc && p.currency && oc !== p.currency) {
          problems.push({ column: colName(cols.originalAmount), message: `the original amount says ${p.currency} but "${colName(cols.originalCurrency)}" says ${oc}` });
        } else if (!(oc ?? p.currency)) {
          problems.push({ column: colName(cols.originalAmount), message: `expected the original amount's currency (e.g. 20.00(USD)${cols.originalCurrency >= 0 ? ` or a code in "${colName(cols.originalCurrency)}"` : ''}), found ${JSON.stringify(cell(row, cols.originalAmount))}` });
        } else if ((oc ?? p.currency) !== currency) {
          // banks often print the merchant amount unsigned: it takes the sign of the account amount
          let orig = toCharge(p, amountSign);
          if (amount && !amount.isZero()) orig = amount.sign() < 0 ? orig.abs().neg() : orig.abs();
          originalAmount = orig;
          originalCurrency = oc ?? p.currency;
        }
        // the same currency as the account is not a foreign transaction: left null
      }
    }

    let fee: Decimal | null = null;
    if (cols.fee >= 0 && !isBlank(cell(row, cols.fee))) {
      const p = parseAmount(cell(row, cols.fee), nf);
      if (!p.ok) problems.push({ column: colName(cols.fee), message: p.error });
      else {
        const f = toCharge(p, profile.feeSign);
        fee = f.isZero() ? null : f;
      }
    }

    let status: CardLine['status'] = cols.postedDate >= 0 && postedDate === null ? 'pending' : 'posted';
    if (cols.status >= 0 && !isBlank(cell(row, cols.status))) {
      const raw = cell(row, cols.status).trim();
      const mapped = statusMap.get(raw.toUpperCase());
      if (mapped) status = mapped;
      else {
        const expected = [...statusMap.keys()];
        problems.push({
          column: colName(cols.status),
          message: `unknown status ${JSON.stringify(raw)}; expected ${expected.length ? `one of ${expected.join(', ')}` : 'a value listed in the profile\'s statusMap'} (profile "${profile.name}")`,
        });
      }
    }

    const reference = cols.reference >= 0 && !isBlank(cell(row, cols.reference)) ? cell(row, cols.reference).trim() : null;
    const cardLast4 = cols.cardLast4 >= 0 ? lastFour(cell(row, cols.cardLast4)) : null;
    const description = cols.description
      .map((i) => cell(row, i).trim())
      .filter((s) => s !== '')
      .join(' / ');
    if (originalAmount === null && textOriginal) {
      // the merchant's amount printed inside the description (German "Orig. 50,00 USD")
      const m = textOriginal.exec(description);
      const oc = m?.groups?.currency ? normaliseCurrency(m.groups.currency) : null;
      if (m?.groups?.amount && oc && oc !== currency) {
        const p = parseAmount(m.groups.amount, nf);
        if (p.ok && amount && !amount.isZero()) {
          originalAmount = amount.sign() < 0 ? p.value.abs().neg() : p.value.abs();
          originalCurrency = oc;
        }
      }
    }

    if (problems.length || amount === null || transactionDate === null || currency === null) {
      // one issue per row, so rows and rejected money are counted once
      const [first, ...also] = problems;
      const message = first!.message + (also.length ? `; also ${also.map((p) => (p.column ? `${p.column}: ${p.message}` : p.message)).join('; ')}` : '');
      issues.push(issue('error', file, row.line, first!.column, message, true, asRead, currency));
      continue;
    }
    for (const w of warnings) issues.push(issue('warning', file, row.line, w.column, w.message, false, amount, currency));
    records.push({
      src: { file, line: row.line },
      profile: profile.name,
      transactionDate,
      postedDate,
      description,
      amount,
      currency,
      originalAmount,
      originalCurrency,
      fee,
      status,
      reference,
      cardLast4,
    });
  }

  const rejectedRows = data.length - records.length + faulted.length;
  issues.sort((x, y) => x.line - y.line); // stable: a row's issues stay in the order found
  return { records, issues, skipped, rows: skipped + records.length + rejectedRows, headerLine: m.row.line, period, dateOrder };
}

/**
 * A line the CSV layer could not read as a row (inside an unbalanced quote, or too long):
 * rejected, with the amount and currency its cells show where they can be read.
 */
function faultIssue(row: CsvRow, cols: Columns, header: readonly string[], profile: StatementProfile, file: string): InputIssue {
  const at = (i: number) => (i < 0 ? '' : (row.fields[i] ?? ''));
  const pick = [cols.amount, cols.debit, cols.credit].map((i) => parseAmount(at(i), profile.numbers)).find((p) => p.ok && !p.value.isZero());
  const amount = pick && pick.ok ? pick.value : null;
  const currency = (cols.currency >= 0 ? normaliseCurrency(at(cols.currency)) : null) ?? (pick && pick.ok ? pick.currency : null) ?? profile.currency ?? null;
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

// ---------------------------------------------------------------------------
// The reader

/** A statement reader over these profiles (user profiles first, then built-ins: see resolveProfiles). */
export function makeStatementReader(profiles: readonly StatementProfile[], options: StatementReaderOptions = {}): SourceReader<CardLine> {
  const names = new Set<string>();
  for (const p of profiles) {
    if (names.has(p.name)) throw new RangeError(`statement profile "${p.name}" is listed twice`);
    names.add(p.name);
  }
  const list = profiles.slice();
  return {
    format: 'statement',
    label: 'Card/bank statement',
    kind: 'statement',
    detect(input: OpenedInput): StatementDetection | null {
      return detectWith(list, input);
    },
    async *read(input: OpenedInput, detection: Detection, ctx: StatementReadContext): AsyncIterable<ReadBatch<CardLine>> {
      const file = ctx.displayPath;
      if (input.type !== 'csv') {
        yield { records: [], issues: [issue('error', file, 0, null, 'a card or bank statement must be a CSV file')], skipped: 0, rows: 0 };
        return;
      }
      const given = detection as Partial<StatementDetection>;
      const det = given.profile !== undefined && given.encoding !== undefined && given.delimiter !== undefined ? (given as StatementDetection) : detectWith(list, input);
      const profile = det ? list.find((p) => p.name === det.profile) : undefined;
      if (!det || !profile) {
        const names = list.map((p) => p.name).join(', ');
        yield { records: [], issues: [issue('error', file, 0, null, `no statement profile fits this file's header (profiles: ${names}); add a profile to the config's statementProfiles`)], skipped: 0, rows: 0 };
        return;
      }
      const csv =
        det.encoding === input.csv.encoding.encoding && det.delimiter === input.csv.delimiter
          ? input.csv
          : await CsvFile.open(input.csv.path, { ...(det.encoding !== input.csv.encoding.encoding ? { encoding: det.encoding } : {}), delimiter: det.delimiter });
      // Buffered on purpose: a statement is small (hundreds of lines), and two rules need
      // the whole file before any row can be read: `auto` day/month order is decided from
      // the whole column, and year-less dates need the period line, which may be a trailer.
      const rows: CsvRow[] = [];
      const width = csv.head.find((r) => r.line === det.headerLine)?.fields.length;
      for await (const batch of csv.batches(width ? { width } : {})) for (const r of batch) rows.push(r);
      // the same bytes were hashed; the caller reads the hash from the file it opened
      if (csv !== input.csv) input.csv.sha256 = csv.sha256;
      const result = parseStatementRows(rows, profile, { file, period: ctx.statementPeriod ?? options.period ?? null });
      yield { records: result.records, issues: result.issues, skipped: result.skipped, rows: result.rows };
    },
  };
}

/** The statement reader over the built-in profiles. */
export const statementReader: SourceReader<CardLine> = makeStatementReader(builtinProfiles());
