/**
 * Statement profiles: a bank's CSV layout as data (after hledger's CSV rules), validated
 * by zod. Built-in profiles ship as JSON in src/data/profiles/; users add their own in
 * the config (`statementProfiles`), validated here with errors that name the JSON path.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { builtFile } from '../worker-file.js';
import { BUILTIN_PROFILE_JSON as BUILTIN_JSON } from './statement-profiles-builtin.js';
import { normaliseEncodingName } from './csv.js';
import { memoText } from '../lists.js';
import { isValidTimeZone } from '../time.js';
import { DATE_FORMATS, DEFAULT_TWO_DIGIT_YEAR_PIVOT } from './bank-dates.js';

/** How many cells short of the header a row may be; a layout without a header row may go further (its signature checks every row's cells). */
const MAX_MISSING_WITH_HEADER = 3;
const MAX_MISSING_HEADERLESS = 7;

const cardStatusSchema = z.enum(['pending', 'posted', 'reversed', 'declined']);
/** How the file signs a charge; CardLine always has charges positive. */
const signSchema = z.enum(['charges-negative', 'charges-positive']);
const columnName = z.string().trim().min(1, 'column name must not be empty');
const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'currency: an ISO 4217 code such as USD');
const pattern = z.string().refine((p) => validRegex(p), 'not a valid regular expression');
/** Which way a row's money went, as a direction column says it. */
const directionSchema = z.enum(['out', 'in', 'neither']);

function validRegex(p: string): boolean {
  try {
    new RegExp(p, 'iu');
    return true;
  } catch {
    return false;
  }
}

function validEncoding(e: string): boolean {
  try {
    normaliseEncodingName(e);
    return true;
  } catch {
    return false;
  }
}

/**
 * Header names compare trimmed, case-insensitive, NFKC, with runs of spaces folded and BOM/zero-width marks dropped.
 * Each distinct name is worked out once: every file is tried against every built-in profile, each
 * preamble row's cells and each profile's names again per try (~57 ms of the demo's start).
 */
export const normaliseColumnName = memoText((name: string): string =>
  name
    .normalize('NFKC')
    .replace(/[\ufeff\u200b]/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase(),
);

/** How a bank writes numbers; the thousands separator defaults to the other mark. */
const numberFormat = z
  .strictObject({
    decimalMark: z.enum(['.', ',']).default('.'),
    thousandsSeparator: z.enum([',', '.', ' ', "'", '']).optional(),
  })
  .transform((n) => ({
    decimalMark: n.decimalMark,
    thousandsSeparator: n.thousandsSeparator ?? (n.decimalMark === ',' ? '.' : ','),
  }));

const profileObject = z.strictObject({
  /** Short id, shown in detection reasons and on every CardLine. */
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'name: lower-case letters, digits, ".", "_" or "-"'),
  label: z.string().min(1),
  /** Free text for people: the bank, where the export is found, choices made. */
  notes: z.string().optional(),
  header: z.strictObject({
    /** Columns that must all be in the header row; together they identify the layout. */
    columns: z.array(columnName).min(1),
    /** Further columns this layout may have (not required, not reported as unknown). */
    optional: z.array(columnName).default([]),
    /** Non-blank lines (account number, period, title) that may precede the header row. */
    maxPreambleLines: z.number().int().min(0).max(39).default(0),
    /** "none": the file has no header row; header.columns then name the columns by position. */
    row: z.enum(['present', 'none']).default('present'),
    /** With row "none": one pattern per column that the trimmed cells of the first rows (up to 5) must all match; it recognises the file. */
    signature: z.array(pattern).optional(),
    /** Other names a column has in some files of this layout (ING's Valuta became Wertstellungsdatum). */
    alternatives: z.record(columnName, z.array(columnName).min(1)).default({}),
    /** A name several columns share: which one is meant (1 = first, 2 = second, -1 = last); else the first. */
    occurrence: z
      .record(
        columnName,
        z
          .number()
          .int()
          .refine((n) => n !== 0, 'occurrence: 1 is the first, -1 the last; 0 is neither'),
      )
      .default({}),
  }),
  /**
   * Encodings this bank writes, first preferred. Used when the file has no BOM and the
   * sniffed encoding is not among them (e.g. Windows-1252 text that also decodes as GB18030).
   */
  encoding: z
    .union([z.string(), z.array(z.string()).min(1)])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .refine((v) => v.every(validEncoding), 'unknown encoding (try utf-8, utf-16le, utf-16be, gb18030, windows-1252)')
    .optional(),
  /** Delimiter to use instead of the sniffed one. */
  delimiter: z.enum([',', ';', '\t', '|']).optional(),
  /** The character cells are quoted with; ASN Bank writes `'Etentje, bedankt'`. Doubled inside a quoted cell, it stands for itself. */
  quote: z.enum(['"', "'"]).default('"'),
  columns: z.strictObject({
    transactionDate: columnName,
    postedDate: columnName.optional(),
    /** One column, or several joined with " / " (empty parts left out). */
    description: z.union([columnName, z.array(columnName).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    /** One signed amount column ... */
    amount: columnName.optional(),
    /** ... or a debit column (charges) and a credit column (money in), unsigned. */
    debit: columnName.optional(),
    credit: columnName.optional(),
    currency: columnName.optional(),
    /** The merchant's amount; may carry its currency in the cell (`20.00(USD)`). */
    originalAmount: columnName.optional(),
    originalCurrency: columnName.optional(),
    fee: columnName.optional(),
    status: columnName.optional(),
    reference: columnName.optional(),
    cardLast4: columnName.optional(),
    /** Which way the money went (Af/Bij, 支出/收入, S/H), as directionMap reads it; the amount column is then unsigned. */
    direction: columnName.optional(),
  }),
  /** The card column drops leading zeros (Ramp, Brex: `812` for 0812): pad 1–3 digits to four. Else such a cell is a warning and no last four. */
  cardLast4PadZeros: z.boolean().default(false),
  /** The account currency when the file has no currency column (ISO code). */
  currency: currencyCode.optional(),
  /** Sign convention of the amount column (and of the original amount). */
  amountSign: signSchema.optional(),
  /** Sign convention of the fee column; fees are often printed unsigned. */
  feeSign: signSchema.default('charges-positive'),
  /**
   * Status cell value → CardLine status, compared case-insensitively. Without a status
   * column (or with the cell empty) a line is pending when its posting date is empty, else posted.
   */
  statusMap: z.record(z.string(), cardStatusSchema).default({}),
  /**
   * Direction cell value → out (a charge), in (money in) or neither, compared case-insensitively.
   * "neither" (Alipay 不计收支, WeChat "/") is a move that is not money in or out of this account:
   * the row is skipped, counted as skipped, with an info issue naming its amount.
   */
  directionMap: z.record(z.string(), directionSchema).default({}),
  dates: z.strictObject({
    /** Tried in order; the first whose shape fits a cell parses it. */
    formats: z.array(z.enum(DATE_FORMATS)).min(1),
    /** Two-digit years (DD.MM.YY) below this are 20YY, the others 19YY. */
    twoDigitYearPivot: z.number().int().min(0).max(100).default(DEFAULT_TWO_DIGIT_YEAR_PIVOT),
    /** "posted-date": an empty transaction date takes the posting date (CMB repayment rows); else it is an error. */
    emptyTransactionDate: z.enum(['error', 'posted-date']).default('error'),
    /**
     * For "instant" dates (a time with its zone, `…Z`, `+0000`): the IANA zone whose calendar
     * date the line gets. Unset: the run's reporting zone (--tz / config), the zone in which the
     * provider's charges are placed on dates too, so both sides of a match fall on the same day.
     */
    timezone: z
      .string()
      .refine((tz) => isValidTimeZone(tz), 'timezone: an IANA zone such as Europe/London or UTC')
      .optional(),
  }),
  numbers: numberFormat.default({ decimalMark: '.', thousandsSeparator: ',' }),
  /**
   * Banks that print the merchant's amount only inside the text (`Orig. 50,00 USD Kurs 1,1612`,
   * `USD 25,00`): a regular expression with named groups `amount` and `currency`, tried on the
   * description when there is no original-amount cell.
   */
  originalInText: z
    .strictObject({
      pattern,
      /** How the amount in the text is written, when not as the amount columns are (bunq: `20.00 USD` beside `-18,52`). */
      numbers: numberFormat.optional(),
    })
    .optional(),
  /**
   * Two-letter region codes printed after the original amount (CMB `20.00(US)`: where the card
   * was used, not a currency) → the currency spent there. An unlisted region, or a bare number,
   * is the account currency when it equals the amount; otherwise a warning, and no original.
   */
  originalRegions: z.record(z.string(), currencyCode).default({}),
  /** Regular expressions (case-insensitive) tried on every row's text after the header: a match is skipped and counted, wherever it is (subtotals, page headers, opening balances). */
  skip: z.strictObject({ patterns: z.array(pattern).default([]) }).default({ patterns: [] }),
  // --- continuation rows (issue #9: OCBC, Rakuten Card) ---
  /**
   * One transaction written over several rows: a later row with every date and money cell empty
   * (and, with `pattern`, text matching it) is more text for the transaction above, not a row of its own.
   * "description": its text is added to the description (OCBC's merchant line); "original": it is
   * only read by originalInText (Rakuten's 現地利用額 row). Each such row counts as one of the file's other lines.
   */
  continuation: z
    .strictObject({
      join: z.enum(['description', 'original']).default('description'),
      /** Only dateless rows whose text (non-empty cells joined by spaces) matches this (case-insensitive) continue a transaction. */
      pattern: pattern.optional(),
    })
    .optional(),
  // --- end continuation rows ---
  // --- rows: short rows (Crédit Agricole) ---
  /**
   * Rows may have up to `maxMissingCells` cells fewer than the header, the missing trailing cells
   * empty, even where a quoted cell spans lines (Crédit Agricole's money-out rows stop after
   * `Débit`). Unset, such a multi-line row is read as an unbalanced quote and refused.
   * Without a header row (header.row "none") up to 7: ANZ's rows run 3 to 8 cells, and a short
   * row is still checked against the signature, its missing cells as empty ones.
   */
  rows: z.strictObject({ maxMissingCells: z.number().int().min(0).max(MAX_MISSING_HEADERLESS).default(0) }).default({ maxMissingCells: 0 }),
  // --- end rows ---
  trailer: z
    .strictObject({
      /** Regular expressions (case-insensitive) tried on a non-date row's text (its non-empty cells joined by spaces). */
      patterns: z.array(pattern).default([]),
    })
    .default({ patterns: [] }),
});

export const statementProfileSchema = profileObject.superRefine((p, ctx) => {
  checkColumns(p, ctx);
  checkHeaderless(p, ctx);
  checkAmounts(p, ctx);
  checkDates(p, ctx);
  checkContinuation(p, ctx);
  if (p.numbers.decimalMark === p.numbers.thousandsSeparator) {
    ctx.addIssue({ code: 'custom', path: ['numbers', 'thousandsSeparator'], message: 'the thousands separator must differ from the decimal mark' });
  }
});

type ParsedProfile = z.output<typeof profileObject>;
type Ctx = z.RefinementCtx;

/** Every column a field names is in the header lists; the ones every row needs are required. */
function checkColumns(p: ParsedProfile, ctx: Ctx): void {
  const alternativeNames = Object.values(p.header.alternatives).flat();
  const known = new Set([...p.header.columns, ...p.header.optional, ...alternativeNames].map(normaliseColumnName));
  const required = new Set(p.header.columns.map(normaliseColumnName));
  const c = p.columns;
  const mustBeRequired: [string, string | undefined][] = [
    ['transactionDate', c.transactionDate],
    ['amount', c.amount],
    ['debit', c.debit],
    ['credit', c.credit],
    ['direction', c.direction],
  ];
  for (const [key, col] of mustBeRequired) {
    if (col !== undefined && !required.has(normaliseColumnName(col))) {
      ctx.addIssue({ code: 'custom', path: ['columns', key], message: `column "${col}" must be listed in header.columns (every statement of this layout has it)` });
    }
  }
  for (const [key, val] of Object.entries(c)) {
    for (const [i, col] of (Array.isArray(val) ? val : [val]).entries()) {
      if (typeof col === 'string' && !known.has(normaliseColumnName(col))) {
        const path = Array.isArray(val) ? ['columns', key, i] : ['columns', key];
        ctx.addIssue({ code: 'custom', path, message: `column "${col}" is not in header.columns or header.optional` });
      }
    }
  }
  for (const key of ['alternatives', 'occurrence'] as const) {
    for (const col of Object.keys(p.header[key])) {
      if (!known.has(normaliseColumnName(col)))
        ctx.addIssue({ code: 'custom', path: ['header', key, col], message: `column "${col}" is not in header.columns or header.optional` });
    }
  }
}

function checkHeaderless(p: ParsedProfile, ctx: Ctx): void {
  const h = p.header;
  if (h.row === 'present') {
    if (h.signature) ctx.addIssue({ code: 'custom', path: ['header', 'signature'], message: 'a signature is for files without a header row (header.row "none")' });
    if (p.rows.maxMissingCells > MAX_MISSING_WITH_HEADER) {
      ctx.addIssue({
        code: 'custom',
        path: ['rows', 'maxMissingCells'],
        message: `at most ${MAX_MISSING_WITH_HEADER} cells short of a header row; up to ${MAX_MISSING_HEADERLESS} only for a layout without one (header.row "none"), whose signature checks the short rows`,
      });
    }
    return;
  }
  if (p.rows.maxMissingCells >= h.columns.length) {
    ctx.addIssue({ code: 'custom', path: ['rows', 'maxMissingCells'], message: `a row must keep at least one of the ${h.columns.length} columns` });
  }
  if (!h.signature || h.signature.length !== h.columns.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['header', 'signature'],
      message: `a file without a header row is recognised by its cells: give one pattern per column (${h.columns.length})`,
    });
  }
  if (h.optional.length)
    ctx.addIssue({ code: 'custom', path: ['header', 'optional'], message: 'without a header row every column is at its place: list them all in header.columns' });
  if (h.maxPreambleLines) ctx.addIssue({ code: 'custom', path: ['header', 'maxPreambleLines'], message: 'a file without a header row has no preamble to skip' });
}

function checkAmounts(p: ParsedProfile, ctx: Ctx): void {
  const c = p.columns;
  const hasAmount = c.amount !== undefined;
  const hasDebitCredit = c.debit !== undefined || c.credit !== undefined;
  const hasDirection = c.direction !== undefined;
  if (hasAmount === hasDebitCredit) {
    ctx.addIssue({ code: 'custom', path: ['columns'], message: 'set either columns.amount (one signed column) or columns.debit and columns.credit' });
  } else if (hasDebitCredit && (c.debit === undefined || c.credit === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['columns', c.debit === undefined ? 'debit' : 'credit'], message: 'debit and credit columns go together' });
  }
  if (hasDirection && !hasAmount) ctx.addIssue({ code: 'custom', path: ['columns', 'direction'], message: 'a direction column goes with one unsigned columns.amount' });
  if (hasDirection !== Object.keys(p.directionMap).length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: hasDirection ? ['directionMap'] : ['columns', 'direction'],
      message: 'columns.direction and directionMap (its values → "out", "in" or "neither") go together',
    });
  }
  // a direction column says the sign outright; without one the file's convention must be given
  if (!hasDirection && (hasAmount || c.originalAmount !== undefined) && p.amountSign === undefined) {
    ctx.addIssue({ code: 'custom', path: ['amountSign'], message: 'say how the file signs a charge: "charges-negative" or "charges-positive"' });
  }
  for (const region of Object.keys(p.originalRegions)) {
    if (!/^[A-Z]{2}$/.test(region)) ctx.addIssue({ code: 'custom', path: ['originalRegions', region], message: `"${region}": a two-letter region code such as US` });
  }
  if (c.originalCurrency !== undefined && c.originalAmount === undefined) {
    ctx.addIssue({ code: 'custom', path: ['columns', 'originalCurrency'], message: 'originalCurrency needs columns.originalAmount' });
  }
}

function checkDates(p: ParsedProfile, ctx: Ctx): void {
  const f = new Set(p.dates.formats);
  if (f.size !== p.dates.formats.length) ctx.addIssue({ code: 'custom', path: ['dates', 'formats'], message: 'a date format is listed twice' });
  // these three read the same NN/NN/YYYY shape, so at most one may be listed
  const slash = (['DD/MM/YYYY', 'MM/DD/YYYY', 'auto'] as const).filter((x) => f.has(x));
  if (slash.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['dates', 'formats'],
      message: `${slash.join(' and ')} read the same NN/NN/YYYY dates; list one (use "auto" to decide from the whole column)`,
    });
  }
  if (f.has('DD/MM/YY') && f.has('MM/DD/YY')) {
    ctx.addIssue({ code: 'custom', path: ['dates', 'formats'], message: 'DD/MM/YY and MM/DD/YY read the same NN/NN/YY dates; list one' });
  }
  if (f.has('DD-MM-YYYY') && f.has('MM-DD-YYYY')) {
    ctx.addIssue({ code: 'custom', path: ['dates', 'formats'], message: 'DD-MM-YYYY and MM-DD-YYYY read the same NN-NN-YYYY dates; list one' });
  }
  for (const same of ['DD.MM.YYYY', 'DD-MM-YYYY', 'MM-DD-YYYY'] as const) {
    if (f.has('auto') && f.has(same)) {
      ctx.addIssue({
        code: 'custom',
        path: ['dates', 'formats'],
        message: `"auto" already reads ${same.replace(/[DMY]/g, 'N').replace('NNNN', 'YYYY')} dates; drop ${same} or use it instead of "auto"`,
      });
    }
  }
  if (p.dates.timezone !== undefined && !f.has('instant')) {
    ctx.addIssue({
      code: 'custom',
      path: ['dates', 'timezone'],
      message: 'dates.timezone places "instant" dates (a time with its zone) on a calendar date; list "instant" in dates.formats',
    });
  }
  if (p.dates.emptyTransactionDate === 'posted-date' && p.columns.postedDate === undefined) {
    ctx.addIssue({ code: 'custom', path: ['dates', 'emptyTransactionDate'], message: '"posted-date" needs columns.postedDate' });
  }
}

/** A continuation row's text must land somewhere: in the description, or read by originalInText. */
function checkContinuation(p: ParsedProfile, ctx: Ctx): void {
  if (p.continuation?.join === 'original' && !p.originalInText) {
    ctx.addIssue({
      code: 'custom',
      path: ['continuation', 'join'],
      message: '"original" reads the continuation row only for originalInText; set originalInText, or join "description"',
    });
  }
}

export type StatementProfile = z.output<typeof statementProfileSchema>;
/** A profile as written in JSON (defaults not yet applied). */
export type StatementProfileInput = z.input<typeof statementProfileSchema>;

/** A config error: each problem with the JSON path it is at. */
export class StatementProfileError extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`invalid statement profile:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'StatementProfileError';
  }
}

/** `statementProfiles[0].columns.amount` from a zod path. */
export function formatJsonPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (typeof k === 'string' && /^[A-Za-z_$][\w$]*$/.test(k)) out += `.${k}`;
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out;
}

let builtins: StatementProfile[] | null = null;

/** The built-in profiles validated at build time, beside the build (bin/bundle.mjs writes it). */
const BUILT_PROFILES = 'builtin-profiles.json';

/** What the validated copy was made from: the SHA-256 of the shipped JSON as this build has it. */
function builtinSource(): string {
  return createHash('sha256').update(JSON.stringify(BUILTIN_JSON)).digest('hex');
}

/** The shipped profiles through the schema, throwing on a bad one (a bug), with what they were made from. */
function validatedBuiltins(): StatementProfile[] {
  return BUILTIN_JSON.map((json, i) => {
    const r = statementProfileSchema.safeParse(json);
    if (!r.success) {
      throw new StatementProfileError(r.error.issues.map((iss) => ({ path: formatJsonPath(`builtin profile #${i}`, iss.path), message: iss.message })));
    }
    return r.data;
  });
}

/** The document bin/bundle.mjs writes as dist/builtin-profiles.json. */
export function builtinProfilesDocument(): { source: string; profiles: StatementProfile[] } {
  return { source: builtinSource(), profiles: validatedBuiltins() };
}

/**
 * The copy validated at build time, when it was made from the very JSON this build ships;
 * null otherwise (not built, tests run from src/, a profile edited since, an unreadable file).
 * Validating the 103 profiles took ~25 ms of every start, the largest part of loading the CLI.
 */
function validatedAtBuild(): StatementProfile[] | null {
  const file = builtFile(import.meta.url, BUILT_PROFILES);
  if (file === null) return null;
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { source?: unknown; profiles?: unknown };
    return doc.source === builtinSource() && Array.isArray(doc.profiles) ? (doc.profiles as StatementProfile[]) : null;
  } catch {
    return null;
  }
}

/** The shipped profiles, validated once (a bad shipped profile is a bug and throws): at build time where that copy fits. */
export function builtinProfiles(): StatementProfile[] {
  builtins ??= validatedAtBuild() ?? validatedBuiltins();
  return builtins.slice();
}

/**
 * Validates user profiles (from the config) and returns them ahead of the built-ins, so a
 * user profile wins ties and one with a built-in's name replaces it. Throws
 * StatementProfileError listing every problem with its JSON path under `path`.
 */
export function resolveProfiles(userProfiles: readonly unknown[], path = 'statementProfiles'): StatementProfile[] {
  const problems: { path: string; message: string }[] = [];
  const users: StatementProfile[] = [];
  const seen = new Map<string, number>();
  userProfiles.forEach((raw, i) => {
    const r = statementProfileSchema.safeParse(raw);
    if (!r.success) {
      for (const iss of r.error.issues) problems.push({ path: formatJsonPath(`${path}[${i}]`, iss.path), message: iss.message });
      return;
    }
    const first = seen.get(r.data.name);
    if (first !== undefined) {
      problems.push({ path: `${path}[${i}].name`, message: `profile name "${r.data.name}" is already used by ${path}[${first}]` });
      return;
    }
    seen.set(r.data.name, i);
    users.push(r.data);
  });
  if (problems.length) throw new StatementProfileError(problems);
  return [...users, ...builtinProfiles().filter((b) => !seen.has(b.name))];
}
