/**
 * `spendrecon profile FILE` (issue 9): proposes a statement profile for a layout no profile
 * knows, from the file's content — header row below any preamble, trailer lines, and per
 * column what its cells are (profile-evidence*.ts) — with the reason for every decision.
 * The proposal is then read back through the real statement reader, so the rows it still
 * cannot read are listed before anything is matched.
 */
import { basename } from 'node:path';
import type { CardLine } from '../model.js';
import { isBlank, type NumberFormat } from './bank-values.js';
import { findPeriodHint, type StatementPeriodHint } from './bank-dates.js';
import { amountColumns, chooseAmount, numberFinding, signFinding, type AmountChoice, type ColumnCells, type SignFinding } from './profile-evidence.js';
import {
  currencyFromText,
  descriptionColumns,
  directionFinding,
  isCurrencyColumn,
  originalFinding,
  signaturePattern,
  statusMapOf,
  type DirectionFinding,
  type OriginalFinding,
} from './profile-evidence-roles.js';
import { accountCurrencyAmount } from './profile-evidence-currency.js';
import { runningBalances } from './profile-evidence-balance.js';
import { openSuggestionSource, type SuggestionSource } from './profile-suggest-open.js';
import { pickDates, type DateChoice } from './profile-dates.js';
import { findLayout, isDateCell, rowText, type Layout } from './profile-layout.js';
import { makeStatementReader, statementReader, type StatementDetection } from './statement.js';
import { builtinProfiles, formatJsonPath, resolveProfiles, statementProfileSchema, type StatementProfileInput } from './statement-profile.js';
import type { LocalDate } from '../time.js';
import { minorUnits } from '../money.js';
import { addRowRules, continuationRule, shortRowRule } from './profile-suggest-rows.js';

export interface SuggestOptions {
  /** The profile's name; default from the file name. */
  name?: string;
  /** The account's currency, for files that never say it. */
  currency?: string;
  /** The file as shown in messages. */
  displayPath?: string;
  /** Statement period for dates printed without a year, when the file has no period line. */
  period?: { from: LocalDate; to: LocalDate } | null;
}

/** A record as the proposed profile reads it: what a person checks against the bank's website. */
export interface SuggestedRow {
  line: number;
  date: string;
  postedDate: string | null;
  /** Charges positive, money in negative (CardLine's convention), exact. */
  amount: string;
  currency: string;
  status: CardLine['status'];
  description: string;
}

export interface ProfileSuggestion {
  file: string;
  encoding: string;
  delimiter: string;
  headerLine: number | null;
  /** The proposed profile as JSON input, ready to paste under `statementProfiles`; null when nothing usable was found. */
  profile: StatementProfileInput | null;
  /** Why each decision was made, in the order made. */
  reasons: string[];
  /** Decisions the file could not settle: check or edit these before using the profile. */
  attention: string[];
  /** Why no profile could be proposed (then `profile` is null). */
  problem: string | null;
  /** Rows between header and trailer. */
  dataRows: number;
  records: SuggestedRow[];
  /** The rows the proposed profile cannot read, with line, column and why. */
  unread: { line: number; column: string | null; message: string }[];
  /** A built-in profile that already reads the file, if any. */
  builtin: string | null;
}

/** 0 every data row reads and nothing needs a decision; 1 some rows do not read or a decision is a guess; 2 nothing usable. */
export function suggestionExitCode(s: ProfileSuggestion): 0 | 1 | 2 {
  if (!s.profile) return 2;
  return s.unread.length || s.attention.length ? 1 : 0;
}

// the reader looks for the header this far down the head rows (schema maximum 39)
const MAX_PREAMBLE = 39;
const PREAMBLE_SLACK = 2;

export async function suggestProfile(path: string, opts: SuggestOptions = {}): Promise<ProfileSuggestion> {
  const source = await openSuggestionSource(path);
  const out: ProfileSuggestion = {
    file: opts.displayPath ?? path,
    encoding: source.encoding,
    delimiter: source.delimiter,
    headerLine: null,
    profile: null,
    reasons: [...source.reasons],
    attention: [],
    problem: null,
    dataRows: 0,
    records: [],
    unread: [],
    builtin: null,
  };
  const layout = findLayout(source.rows);
  if ('problem' in layout) return { ...out, problem: layout.problem };
  out.headerLine = layout.header.line;
  out.dataRows = layout.data.length;
  out.reasons.push(...layout.reasons);
  const draft = draftProfile(layout, source.textKeys, opts, basename(path));
  out.reasons.push(...draft.reasons);
  out.attention.push(...draft.attention);
  if (!draft.profile) return { ...out, problem: draft.problem };
  const valid = statementProfileSchema.safeParse(draft.profile);
  if (!valid.success) {
    // a header the profile language cannot address (say, a column name it refuses): say so, never crash
    return { ...out, problem: `the proposed profile is not valid: ${valid.error.issues.map((i) => `${formatJsonPath('profile', i.path)}: ${i.message}`).join('; ')}` };
  }
  out.profile = draft.profile;
  await verify(source, out, opts.period ?? null);
  return out;
}

interface Draft {
  profile: StatementProfileInput | null;
  problem: string | null;
  reasons: string[];
  attention: string[];
}

/** The addressable columns: named, and the first of any repeated name (a profile addresses columns by name). */
function columnsOf(layout: Layout, reasons: string[]): ColumnCells[] {
  const seen = new Set<string>();
  const cols: ColumnCells[] = [];
  layout.header.fields.forEach((raw, index) => {
    const name = raw.replace(/[\ufeff\u200b]/g, '').trim();
    if (name === '') return;
    const key = name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
    if (seen.has(key)) {
      reasons.push(`column ${index + 1} repeats the name "${name}": a profile can only address the first one`);
      return;
    }
    seen.add(key);
    cols.push({ index, name, cells: layout.data.map((r) => r.fields[index] ?? '') });
  });
  return cols;
}

function defaultName(fileName: string): string {
  const stem = fileName
    .replace(/\.[^.]*$/, '')
    .toLowerCase()
    .replace(/[-_ ]?\d{4}([-_.]?\d{2}){0,2}.*$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
  const name = stem === '' ? 'my-bank' : stem;
  // a user profile with a built-in's name replaces it: never by accident
  return builtinProfiles().some((p) => p.name === name) ? `${name}-custom` : name;
}

export interface Roles {
  numbers: NumberFormat;
  dates: DateChoice;
  amount: AmountChoice;
  currency: { col: ColumnCells | null; code: string | null };
  status: { c: ColumnCells; map: Record<string, 'pending' | 'posted' | 'reversed' | 'declined'> } | null;
  descCols: ColumnCells[];
  sign: SignFinding | null;
  direction: DirectionFinding | null;
  original: OriginalFinding | null;
  /** The original amount's currency column, when the amount is the account-currency one of two. */
  originalCurrency: ColumnCells | null;
}

/** Every amount of a single column is unsigned and unmarked: its direction must come from elsewhere. */
function allUnsigned(amount: AmountChoice): boolean {
  if (amount.kind !== 'single') return false;
  const ok = amount.amount.values.filter((v) => v?.ok);
  return ok.length > 0 && ok.every((v) => v!.ok && v!.value.sign() >= 0 && !v!.direction);
}

/** Which column is what: dates, amount, direction, currency, original amount, status, description, sign. */
function pickRoles(cols: ColumnCells[], rows: number, opts: SuggestOptions, reasons: string[], attention: string[]): Roles | { problem: string } {
  const datedShare = (c: ColumnCells) => c.cells.filter(isDateCell).length / rows;
  const numbers = numberFinding(cols.filter((c) => datedShare(c) < 0.5).flatMap((c) => c.cells));
  reasons.push(numbers.reason);
  const [datesAt, datesAttentionAt] = [reasons.length, attention.length];
  const dates = pickDates(cols, numbers.format.decimalMark === ',', rows, reasons, attention);
  const dateNotes = { at: datesAt, n: reasons.length - datesAt, attentionAt: datesAttentionAt, attentionN: attention.length - datesAttentionAt };
  if (!dates) return { problem: 'no column reads as dates on most rows' };
  const rest = cols.filter((c) => c !== dates.tx.col && c !== dates.posted?.col && datedShare(c) < 0.5);
  const { amount, wholeUnits, charged } = pickAmount(rest, rows, numbers.format, opts, reasons);
  if (!amount) return { problem: `no column reads as money on most rows with decimal mark "${numbers.format.decimalMark}"` };
  if (amount.kind === 'pair' && amount.attention) attention.push(amount.attention);
  const amountCols = amount.kind === 'single' ? [amount.amount.col] : [amount.debit.col, amount.credit.col];
  let others = rest.filter((c) => !amountCols.includes(c) && c !== charged?.original.col && c !== charged?.originalCurrency);
  const direction = allUnsigned(amount) && amount.kind === 'single' ? directionFinding(others, amount.amount.col, rows) : null;
  if (direction) reasons.push(direction.reason);
  others = others.filter((c) => c !== direction?.col);
  const currency = charged
    ? {
        col: null,
        code: charged.code,
        reason: `currency ${charged.code}: the account's, that of "${charged.amount.col.name}"; "${charged.originalCurrency.name}" is the original amount's currency`,
        attention: null,
      }
    : pickCurrency(others, amount, rows, opts.currency);
  reasons.push(currency.reason);
  if (currency.attention) attention.push(currency.attention);
  others = others.filter((c) => c !== currency.col);
  const original = charged ? { col: charged.original.col, regions: {}, reason: '', attention: null } : originalFinding(others, numbers.format);
  if (original?.reason) reasons.push(original.reason);
  if (original?.attention) attention.push(original.attention);
  others = others.filter((c) => c !== original?.col);
  const found = others.map((c) => ({ c, map: statusMapOf(c, rows) })).find((s) => s.map);
  const status = found ? { c: found.c, map: found.map! } : null;
  if (status)
    reasons.push(
      `"${status.c.name}" is a status column: ${Object.entries(status.map)
        .map(([k, v]) => `${k} → ${v}`)
        .join(', ')}`,
    );
  const description = descriptionColumns(
    others.filter((c) => c !== status?.c),
    rows,
  );
  if (description) reasons.push(description.reason);
  else attention.push('no text column for the description: set columns.description');
  const descCols = description?.cols ?? [others[0] ?? amountCols[0]!];
  const unmapped = amountColumns(rest, numbers.format, wholeUnits).filter((c) => !amountCols.includes(c.col) && c.col !== original?.col);
  if (unmapped.length) reasons.push(`money columns left unmapped (fees and balances are not guessed): ${unmapped.map((c) => `"${c.col.name}"`).join(', ')}`);
  const sign = amount.kind === 'single' && !direction ? signFinding(amount.amount, descCols[0]!.cells) : null;
  if (sign) reasons.push(sign.reason);
  if (sign?.attention) attention.push(directionHint(sign.attention, others, amount));
  const settled = dates.posted ? chargeOrder(cols, numbers.format, rows, chargeRows(amount, sign, direction), dateNotes, reasons, attention) : dates;
  return { numbers: numbers.format, dates: settled ?? dates, amount, currency, status, descCols, sign, direction, original, originalCurrency: charged?.originalCurrency ?? null };
}

/** Which rows are charges, by the amount's sign, its direction column, or the debit side of a pair; null when unknown. */
function chargeRows(amount: AmountChoice, sign: SignFinding | null, direction: DirectionFinding | null): boolean[] | null {
  if (amount.kind === 'pair') return amount.debit.values.map((v) => !!v?.ok && !v.value.isZero());
  if (direction) return amount.amount.col.cells.map((c) => direction.map[c.trim()] === 'out');
  if (!sign) return null;
  return amount.amount.values.map((v) => !!v?.ok && v.value.sign() === (sign.sign === 'charges-negative' ? -1 : 1));
}

/**
 * The two date columns' order again, counting charge rows only, once the amount says which
 * they are; its reasons replace the first pass's where those stood.
 */
function chargeOrder(
  cols: ColumnCells[],
  fmt: NumberFormat,
  rows: number,
  charges: boolean[] | null,
  notes: { at: number; n: number; attentionAt: number; attentionN: number },
  reasons: string[],
  attention: string[],
): DateChoice | null {
  if (!charges) return null;
  const [r, a]: [string[], string[]] = [[], []];
  const again = pickDates(cols, fmt.decimalMark === ',', rows, r, a, charges);
  if (!again) return null;
  reasons.splice(notes.at, notes.n, ...r);
  attention.splice(notes.attentionAt, notes.attentionN, ...a);
  return again;
}

/**
 * The amount column(s), running balances left out; with two amounts, the one in the account's
 * currency (its header names it) rather than the merchant's.
 */
function pickAmount(rest: ColumnCells[], rows: number, fmt: NumberFormat, opts: SuggestOptions, reasons: string[]) {
  // yen and won have no minor unit: there, whole numbers are what money looks like
  const wholeUnits = opts.currency !== undefined && minorUnits(opts.currency) === 0;
  const balances = runningBalances(amountColumns(rest, fmt, wholeUnits), rows);
  reasons.push(...balances.map((b) => b.reason));
  const cands = amountColumns(
    rest.filter((c) => !balances.some((b) => b.balance.col === c)),
    fmt,
    wholeUnits,
  );
  const first = chooseAmount(cands, rows);
  const charged = first?.kind === 'single' ? accountCurrencyAmount(first.amount, cands, rest, rows, opts.currency) : null;
  const amount: AmountChoice | null = charged ? { kind: 'single', amount: charged.amount, reason: charged.reason } : first;
  if (amount) reasons.push(amount.reason);
  return { amount, wholeUnits, charged };
}

function draftProfile(layout: Layout, textKeys: SuggestionSource['textKeys'], opts: SuggestOptions, fileName: string): Draft {
  const reasons: string[] = [];
  const attention: string[] = [];
  const fail = (problem: string): Draft => ({ profile: null, problem, reasons, attention });
  const rows = layout.data.length;
  if (rows === 0) return fail(layout.headerless ? 'no dated rows' : 'the header is followed by no dated rows');
  const cols = columnsOf(layout, reasons);
  const roles = pickRoles(cols, rows, opts, reasons, attention);
  if ('problem' in roles) return fail(roles.problem);
  const { dates, amount, currency, status, descCols, sign, direction, original } = roles;
  const header: StatementProfileInput['header'] = layout.headerless
    ? { columns: cols.map((c) => c.name), row: 'none', signature: cols.map((c) => signaturePattern(c, roles.numbers)) }
    : { columns: cols.map((c) => c.name), maxPreambleLines: layout.headerIndex === 0 ? 0 : Math.min(MAX_PREAMBLE, layout.headerIndex + PREAMBLE_SLACK) };
  const profile: StatementProfileInput = {
    name: opts.name ?? defaultName(fileName),
    label: `${fileName} layout (suggested by spendrecon profile)`,
    notes: `Proposed from the content of ${fileName}; check the reasons spendrecon profile printed before relying on it.`,
    header,
    ...textKeys,
    columns: {
      transactionDate: dates.tx.col.name,
      ...(dates.posted ? { postedDate: dates.posted.col.name } : {}),
      description: descCols.length > 1 ? descCols.map((c) => c.name) : descCols[0]!.name,
      ...(amount.kind === 'single' ? { amount: amount.amount.col.name } : { debit: amount.debit.col.name, credit: amount.credit.col.name }),
      ...(direction ? { direction: direction.col.name } : {}),
      ...(currency.col ? { currency: currency.col.name } : {}),
      ...(original ? { originalAmount: original.col.name } : {}),
      ...(roles.originalCurrency ? { originalCurrency: roles.originalCurrency.name } : {}),
      ...(status ? { status: status.c.name } : {}),
    },
    ...(currency.code ? { currency: currency.code } : {}),
    ...(sign ? { amountSign: sign.sign } : {}),
    // the schema asks a sign of an original amount; beside a pair the reader gives it the account amount's sign anyway
    ...(!sign && !direction && original ? { amountSign: 'charges-negative' as const } : {}),
    ...(status ? { statusMap: status.map } : {}),
    ...(direction ? { directionMap: direction.map } : {}),
    dates: {
      formats: dates.formats,
      ...(dates.pivot !== null ? { twoDigitYearPivot: dates.pivot } : {}),
      ...(dates.postedFallback ? { emptyTransactionDate: 'posted-date' as const } : {}),
    },
    numbers: { decimalMark: roles.numbers.decimalMark, thousandsSeparator: roles.numbers.thousandsSeparator },
    ...(original && Object.keys(original.regions).length ? { originalRegions: original.regions } : {}),
  };
  if (layout.continuations.length) continuationRule(profile, layout, roles.numbers, reasons);
  addRowRules(profile, layout, roles, reasons);
  shortRowRule(profile, layout, reasons);
  if (dates.formats.includes('MM/DD')) periodNote(layout, opts, reasons, attention);
  if (layout.headerless) nameByRole(profile, roles, reasons);
  return { profile, problem: null, reasons, attention };
}

/** A header-less file's columns, named by what they hold once that is known ("Column 3" → "Amount"). */
function nameByRole(profile: StatementProfileInput, roles: Roles, reasons: string[]): void {
  const names = new Map<string, string>();
  const put = (col: ColumnCells | null | undefined, name: string) => col && names.set(col.name, name);
  put(roles.dates.tx.col, roles.dates.posted ? 'Transaction Date' : 'Date');
  put(roles.dates.posted?.col, 'Posted Date');
  if (roles.amount.kind === 'single') put(roles.amount.amount.col, 'Amount');
  else {
    put(roles.amount.debit.col, 'Debit');
    put(roles.amount.credit.col, 'Credit');
  }
  roles.descCols.forEach((c, i) => {
    put(c, i ? `Description ${i + 1}` : 'Description');
  });
  put(roles.direction?.col, 'Direction');
  put(roles.currency.col, 'Currency');
  put(roles.original?.col, 'Original Amount');
  put(roles.originalCurrency, 'Original Currency');
  put(roles.status?.c, 'Status');
  const rename = (n: string) => names.get(n) ?? n;
  profile.header.columns = profile.header.columns.map(rename);
  const c = profile.columns as Record<string, string | string[]>;
  for (const [k, v] of Object.entries(c)) c[k] = Array.isArray(v) ? v.map(rename) : rename(v);
  reasons.push(`columns named by what they hold: ${[...names].map(([a, b]) => `${a} → ${b}`).join(', ')}`);
}

function pickCurrency(
  cols: readonly ColumnCells[],
  amount: AmountChoice,
  rows: number,
  given: string | undefined,
): { col: ColumnCells | null; code: string | null; reason: string; attention: string | null } {
  const at = amount.kind === 'single' ? amount.amount.col.index : amount.credit.col.index;
  const penalty = (c: ColumnCells) => (/balance|saldo|solde|余额|exchange|original|orig\b|from|to\b/i.test(c.name) ? 1000 : 0);
  const distance = (c: ColumnCells) => penalty(c) + (c.index > at ? c.index - at : 100 + at - c.index);
  const col = cols.filter((c) => isCurrencyColumn(c, rows)).sort((a, b) => distance(a) - distance(b))[0] ?? null;
  const code = given ?? null;
  if (col) {
    const codes = [...new Set(col.cells.filter((c) => !isBlank(c)).map((c) => c.trim()))];
    return { col, code, reason: `"${col.name}" is the currency column: every cell is a currency code (${codes.slice(0, 5).join(', ')})`, attention: null };
  }
  if (given) return { col: null, code: given, reason: `currency ${given}: the account's currency, as given (the file has no currency column)`, attention: null };
  const amountCol = amount.kind === 'single' ? amount.amount.col : amount.debit.col;
  const cells = amount.kind === 'single' ? amountCol.cells : [...amount.debit.col.cells, ...amount.credit.col.cells];
  const text = currencyFromText(cells, amountCol.name);
  if (text)
    return {
      col: null,
      code: text.code,
      reason: `currency ${text.code}: ${text.reason}`,
      attention: text.code === 'USD' && !/US\$|USD/.test(cells.join(' ') + amountCol.name) ? 'a "$" may be USD, CAD, AUD, HKD…: check "currency"' : null,
    };
  return {
    col: null,
    code: 'XXX',
    reason: 'the file names no currency (no currency column, no code or symbol in the amounts): "XXX" is a placeholder',
    attention: 'set "currency" to the account\'s currency (or rerun with --currency CODE): the file never says it',
  };
}

const DIRECTION_WORDS = /^(af|bij|debit|credit|dr|cr|in|out|eingang|ausgang|soll|haben|s|h|支出|收入|不计收支|\/)$/i;

/** Unsigned amounts and no column the direction words fully explain: name a column that may still hold it. */
function directionHint(message: string, cols: readonly ColumnCells[], amount: AmountChoice): string {
  if (amount.kind !== 'single' || !/unsigned/.test(message)) return message;
  const dir = cols.find((c) => {
    const values = new Set(c.cells.filter((x) => !isBlank(x)).map((x) => x.trim()));
    return values.size >= 2 && values.size <= 4 && [...values].some((v) => DIRECTION_WORDS.test(v));
  });
  if (!dir) return message;
  const values = [...new Set(dir.cells.map((x) => x.trim()).filter((x) => x))].join('/');
  return `${message}: "${dir.name}" (${values}) looks like the direction of each row, but not every value is a known direction word: set columns.direction and directionMap`;
}

function periodNote(layout: Layout, opts: SuggestOptions, reasons: string[], attention: string[]): void {
  const found: StatementPeriodHint | null = findPeriodHint(layout.preamble.map(rowText)) ?? findPeriodHint(layout.trailer.map(rowText));
  if (found) reasons.push(`dates have no year: the reader takes it from the statement period ${found.from}..${found.to} (${JSON.stringify(found.source)})`);
  else if (opts.period) reasons.push(`dates have no year: the reader takes it from the period given (${opts.period.from}..${opts.period.to})`);
  else attention.push('dates have no year and the file has no period line: give --period when reading this file');
}

// ---------------------------------------------------------------------------
// Reading the file back with the proposal

async function verify(source: SuggestionSource, out: ProfileSuggestion, period: { from: LocalDate; to: LocalDate } | null): Promise<void> {
  const profiles = resolveProfiles([out.profile]);
  const mine = profiles[0]!;
  const open = source.open;
  const input = await open();
  const reader = makeStatementReader([mine], { period });
  const detection = reader.detect(input);
  if (!detection) {
    out.unread.push({ line: out.headerLine ?? 0, column: null, message: 'the proposed profile does not recognise the file it was made from (a bug in spendrecon profile)' });
    return;
  }
  for await (const batch of reader.read(input, detection, { timezone: 'UTC', displayPath: out.file, statementPeriod: period })) {
    for (const r of batch.records) out.records.push(rowOf(r));
    for (const i of batch.issues) {
      if (i.severity === 'error') out.unread.push({ line: i.line, column: i.column, message: i.message });
      else if (i.severity === 'warning') out.attention.push(`line ${i.line}: ${i.message}`);
    }
  }
  const builtin = statementReader.detect(await open()) as StatementDetection | null;
  if (builtin && builtin.confidence >= 0.5 && builtin.missingRequired.length === 0) {
    out.builtin = builtin.profile;
    out.reasons.push(`note: the built-in profile "${builtin.profile}" already recognises this file`);
  }
  const winner = makeStatementReader(profiles).detect(await open()) as StatementDetection | null;
  if (winner && winner.profile !== mine.name) out.attention.push(`with the built-ins, profile "${winner.profile}" would still take this file`);
}

function rowOf(r: CardLine): SuggestedRow {
  return { line: r.src.line, date: r.transactionDate, postedDate: r.postedDate, amount: r.amount.toString(), currency: r.currency, status: r.status, description: r.description };
}
