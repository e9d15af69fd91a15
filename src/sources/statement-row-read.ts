/**
 * One statement data row → a CardLine (charges positive) or one issue naming file, line and
 * column (SPEC §2.4): amount and direction, currency, dates, original amount, fee, status.
 * Pure: no I/O.
 */
import type { CardLine, InputIssue } from '../model.js';
import { Decimal } from '../money.js';
import { isBlank, parseAmount, lastFour, normaliseCurrency, splitRegionCode, type NumberFormat, type ParsedAmount } from './bank-values.js';
import { parseDate, type DateContext, type DateFormat, type StatementPeriodHint } from './bank-dates.js';
import type { CsvRow } from './csv.js';
import { issue } from './contract.js';
import type { StatementProfile } from './statement-profile.js';
import type { Columns, StatementParseOptions } from './statement-rows.js';

/** Year-less dates placed further than this outside the statement period get a warning. */
const PERIOD_WARNING_DAYS = 45;

/** A cell of a row; an absent column (index -1) or a short row reads as empty. */
export const cellAt = (row: CsvRow, i: number): string => (i < 0 ? '' : (row.fields[i] ?? ''));

/** An Excel date cell comes as ISO text (xlsx-grid.ts): read so whatever the profile's formats, which describe text dates. */
const TYPED_DATE_FORMATS: readonly DateFormat[] = ['YYYY-MM-DD'];

/** The date formats a cell is read with: ISO for a typed date cell, else the profile's. */
export function dateFormatsAt(row: CsvRow, i: number, formats: readonly DateFormat[]): readonly DateFormat[] {
  return i >= 0 && row.typedDates?.has(i) ? TYPED_DATE_FORMATS : formats;
}

/** An Excel number cell comes as plain `-?digits(.digits)?` text (xlsx-grid.ts): read with a point, whatever the profile's marks, which describe text amounts. */
const TYPED_NUMBER_FORMAT: NumberFormat = { decimalMark: '.', thousandsSeparator: '' };

/** A money cell parsed: a typed number as the sheet writes it, a text cell by the profile's decimal mark and grouping. */
export function amountAt(row: CsvRow, i: number, fmt: NumberFormat): ParsedAmount {
  return parseAmount(cellAt(row, i), i >= 0 && row.typedNumbers?.has(i) ? TYPED_NUMBER_FORMAT : fmt);
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
  /** The text of the rows continuing this one (profile.continuation), in file order. */
  more: readonly string[];
  problems: Problem[];
  warnings: Problem[];
}

const cell = (s: RowState, i: number): string => cellAt(s.row, i);
const colName = (s: RowState, i: number): string => s.env.names[i]?.trim() ?? '';

export function rowReader(
  profile: StatementProfile,
  cols: Columns,
  names: readonly string[],
  dateCtx: DateContext,
  opts: StatementParseOptions,
): { read(row: CsvRow, more?: readonly string[]): RowResult } {
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
  return { read: (row, more = []) => readRow({ env, row, more, problems: [], warnings: [] }) };
}

function readRow(s: RowState): RowResult {
  const { env, row } = s;
  const { cols, file, profile } = env;
  checkWidth(s);
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
    cardLast4: readCardLast4(s),
  };
  const warnings = s.warnings.map((w) => issue('warning', file, row.line, w.column, w.message, false, amt.amount, currency));
  return { kind: 'line', line, warnings };
}

/**
 * More cells than columns: a delimiter inside an unquoted cell shifts every cell after it, so
 * the amount read may be another column's. Empty extra cells (a trailing delimiter) are harmless.
 */
function checkWidth(s: RowState): void {
  const width = s.env.names.length;
  const extra = s.row.fields.slice(width);
  if (extra.every(isBlank)) return;
  const first = extra.findIndex((c) => !isBlank(c));
  s.problems.push({
    column: null,
    message: `expected ${width} cells (the ${s.env.profile.header.row === 'none' ? "profile's columns" : 'header'}), found ${s.row.fields.length} with ${JSON.stringify(extra[first]!.trim())} in cell ${width + first + 1}; a delimiter inside an unquoted cell?`,
  });
}

/** The card's last four; a card column with 1–3 digits is padded when the profile says the file drops zeros, else a warning. */
function readCardLast4(s: RowState): string | null {
  const { cols, profile } = s.env;
  if (cols.cardLast4 < 0) return null;
  const text = cell(s, cols.cardLast4);
  const four = lastFour(text);
  const digits = text.normalize('NFKC').replace(/\D/g, '');
  // no digits at all is a payment not made by card (Alipay 余额), not a cut card number
  if (four !== null || digits === '') return four;
  if (profile.cardLast4PadZeros) return digits.padStart(4, '0');
  const message = `expected the card's last four digits, found ${JSON.stringify(text.trim())}: read without a card number; if this bank drops leading zeros, set the profile's cardLast4PadZeros`;
  s.warnings.push({ column: colName(s, cols.cardLast4), message });
  return null;
}

/** A cell's lines joined by single spaces: a quoted text over several lines (Crédit Agricole's Libellé) is one description. */
const oneLine = (text: string): string => text.trim().replace(/\s*[\r\n]\s*/g, ' ');

/** The description cells joined by " / ", then the continuation rows' text when the profile joins it to the description. */
function description(s: RowState): string {
  const more = s.env.profile.continuation?.join === 'description' ? s.more : [];
  return [...s.env.cols.description.map((i) => oneLine(cell(s, i))), ...more].filter((x) => x !== '').join(' / ');
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
  const p = amountAt(s.row, cols.amount, profile.numbers);
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
  const pd = isBlank(d) ? null : amountAt(s.row, cols.debit, profile.numbers);
  const pcr = isBlank(c) ? null : amountAt(s.row, cols.credit, profile.numbers);
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
  const d = parseDate(text, dateFormatsAt(s.row, i, s.env.profile.dates.formats), s.env.dateCtx);
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
  // a typed number has no region suffix to split off
  const p = region ? parseAmount(amountText, profile.numbers) : amountAt(s.row, cols.originalAmount, profile.numbers);
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
  const joinedElsewhere = s.env.profile.continuation?.join === 'original' ? s.more : [];
  const m = re.exec([description(s), ...joinedElsewhere].join(' / '));
  const oc = m?.groups?.currency ? normaliseCurrency(m.groups.currency) : null;
  if (!m?.groups?.amount || !oc || oc === currency) return null;
  const p = parseAmount(m.groups.amount, s.env.profile.originalInText?.numbers ?? s.env.profile.numbers);
  if (!p.ok) return null;
  return { amount: amount.sign() < 0 ? p.value.abs().neg() : p.value.abs(), currency: oc };
}

function readFee(s: RowState): Decimal | null {
  const { cols, profile } = s.env;
  if (cols.fee < 0 || isBlank(cell(s, cols.fee))) return null;
  const p = amountAt(s.row, cols.fee, profile.numbers);
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
export function faultIssue(row: CsvRow, cols: Columns, header: readonly string[], profile: StatementProfile, file: string): InputIssue {
  const at = (i: number) => cellAt(row, i);
  const pick = [cols.amount, cols.debit, cols.credit].map((i) => amountAt(row, i, profile.numbers)).find((p) => p.ok && !p.value.isZero());
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
