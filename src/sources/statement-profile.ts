/**
 * Statement profiles: a bank's CSV layout as data (after hledger's CSV rules), validated
 * by zod. Built-in profiles ship as JSON in src/data/profiles/; users add their own in
 * the config (`statementProfiles`), validated here with errors that name the JSON path.
 */
import { z } from 'zod';
import { normaliseEncodingName } from './csv.js';
import { DATE_FORMATS } from './bank-values.js';
import usCard from '../data/profiles/us-card.json' with { type: 'json' };
import fintechAccount from '../data/profiles/fintech-account.json' with { type: 'json' };
import cmbCreditCard from '../data/profiles/cn-cmb-credit-card.json' with { type: 'json' };
import deGiro from '../data/profiles/de-bank-giro.json' with { type: 'json' };
import frBank from '../data/profiles/fr-bank.json' with { type: 'json' };
import genericSimple from '../data/profiles/generic-simple.json' with { type: 'json' };
import usAmex from '../data/profiles/us-amex.json' with { type: 'json' };
import usChaseLegacy from '../data/profiles/us-chase-legacy.json' with { type: 'json' };
import usCapitalOne from '../data/profiles/us-capital-one.json' with { type: 'json' };
import usCiti from '../data/profiles/us-citi.json' with { type: 'json' };
import hkHsbcCard from '../data/profiles/hk-hsbc-credit-card.json' with { type: 'json' };
import hkHsbcAccount from '../data/profiles/hk-hsbc-account.json' with { type: 'json' };
import caBmoCard from '../data/profiles/ca-bmo-credit-card.json' with { type: 'json' };
import deIng from '../data/profiles/de-ing.json' with { type: 'json' };
import wiseAccount from '../data/profiles/wise-account.json' with { type: 'json' };

const cardStatusSchema = z.enum(['pending', 'posted', 'reversed', 'declined']);
/** How the file signs a charge; CardLine always has charges positive. */
const signSchema = z.enum(['charges-negative', 'charges-positive']);
const columnName = z.string().trim().min(1, 'column name must not be empty');

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

/** Header names compare trimmed, case-insensitive, NFKC, with runs of spaces folded and BOM/zero-width marks dropped. */
export function normaliseColumnName(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\ufeff\u200b]/g, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

export const statementProfileSchema = z
  .strictObject({
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
    }),
    /** The account currency when the file has no currency column (ISO code). */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'currency: an ISO 4217 code such as USD')
      .optional(),
    /** Sign convention of the amount column (and of the original amount). */
    amountSign: signSchema.optional(),
    /** Sign convention of the fee column; fees are often printed unsigned. */
    feeSign: signSchema.default('charges-positive'),
    /**
     * Status cell value → CardLine status, compared case-insensitively. Without a status
     * column (or with the cell empty) a line is pending when its posting date is empty, else posted.
     */
    statusMap: z.record(z.string(), cardStatusSchema).default({}),
    dates: z.strictObject({
      /** Tried in order; the first whose shape fits a cell parses it. */
      formats: z.array(z.enum(DATE_FORMATS)).min(1),
    }),
    numbers: z
      .strictObject({
        decimalMark: z.enum(['.', ',']).default('.'),
        thousandsSeparator: z.enum([',', '.', ' ', "'", '']).optional(),
      })
      .default({ decimalMark: '.' })
      .transform((n) => ({
        decimalMark: n.decimalMark,
        thousandsSeparator: n.thousandsSeparator ?? (n.decimalMark === ',' ? '.' : ','),
      })),
    /**
     * Banks that print the merchant's amount only inside the text (`Orig. 50,00 USD Kurs 1,1612`,
     * `USD 25,00`): a regular expression with named groups `amount` and `currency`, tried on the
     * description when there is no original-amount cell.
     */
    originalInText: z
      .strictObject({
        pattern: z.string().refine(validRegex, 'not a valid regular expression'),
      })
      .optional(),
    trailer: z
      .strictObject({
        /** Regular expressions (case-insensitive) tried on a non-date row's text (its non-empty cells joined by spaces). */
        patterns: z.array(z.string().refine(validRegex, 'not a valid regular expression')).default([]),
      })
      .default({ patterns: [] }),
  })
  .superRefine((p, ctx) => {
    const known = new Set([...p.header.columns, ...p.header.optional].map(normaliseColumnName));
    const required = new Set(p.header.columns.map(normaliseColumnName));
    const c = p.columns;
    const mustBeRequired: [string, string | undefined][] = [
      ['transactionDate', c.transactionDate],
      ['amount', c.amount],
      ['debit', c.debit],
      ['credit', c.credit],
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
    const hasAmount = c.amount !== undefined;
    const hasDebitCredit = c.debit !== undefined || c.credit !== undefined;
    if (hasAmount === hasDebitCredit) {
      ctx.addIssue({ code: 'custom', path: ['columns'], message: 'set either columns.amount (one signed column) or columns.debit and columns.credit' });
    } else if (hasDebitCredit && (c.debit === undefined || c.credit === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['columns', c.debit === undefined ? 'debit' : 'credit'], message: 'debit and credit columns go together' });
    }
    if ((hasAmount || c.originalAmount !== undefined) && p.amountSign === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amountSign'], message: 'say how the file signs a charge: "charges-negative" or "charges-positive"' });
    }
    if (c.currency === undefined && p.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'set columns.currency or a fixed currency (amount cells may still name their own)' });
    }
    if (c.originalCurrency !== undefined && c.originalAmount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['columns', 'originalCurrency'], message: 'originalCurrency needs columns.originalAmount' });
    }
    const f = new Set(p.dates.formats);
    if (f.size !== p.dates.formats.length) ctx.addIssue({ code: 'custom', path: ['dates', 'formats'], message: 'a date format is listed twice' });
    // these three read the same NN/NN/YYYY shape, so at most one may be listed
    const slash = (['DD/MM/YYYY', 'MM/DD/YYYY', 'auto'] as const).filter((x) => f.has(x));
    if (slash.length > 1) {
      ctx.addIssue({ code: 'custom', path: ['dates', 'formats'], message: `${slash.join(' and ')} read the same NN/NN/YYYY dates; list one (use "auto" to decide from the whole column)` });
    }
    if (f.has('auto') && f.has('DD.MM.YYYY')) {
      ctx.addIssue({ code: 'custom', path: ['dates', 'formats'], message: '"auto" already reads NN.NN.YYYY dates; drop DD.MM.YYYY or use it instead of "auto"' });
    }
    if (p.numbers.decimalMark === p.numbers.thousandsSeparator) {
      ctx.addIssue({ code: 'custom', path: ['numbers', 'thousandsSeparator'], message: 'the thousands separator must differ from the decimal mark' });
    }
  });

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

// us-bofa-checking.json is not shipped yet: its "Beginning balance" row needs lines skipped by
// pattern anywhere (issue 9), and would otherwise be a rejected row in every file
const BUILTIN_JSON: unknown[] = [usCard, fintechAccount, cmbCreditCard, deGiro, frBank, usAmex, usChaseLegacy, usCapitalOne, usCiti, hkHsbcCard, hkHsbcAccount, caBmoCard, deIng, wiseAccount, genericSimple];
let builtins: StatementProfile[] | null = null;

/** The shipped profiles, validated once (a bad shipped profile is a bug and throws). */
export function builtinProfiles(): StatementProfile[] {
  if (!builtins) {
    builtins = BUILTIN_JSON.map((json, i) => {
      const r = statementProfileSchema.safeParse(json);
      if (!r.success) {
        throw new StatementProfileError(r.error.issues.map((iss) => ({ path: formatJsonPath(`builtin profile #${i}`, iss.path), message: iss.message })));
      }
      return r.data;
    });
  }
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
