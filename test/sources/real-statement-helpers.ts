/**
 * What the statement reader tests share: open a statement file, read it whole, a compact view
 * of a card line, and which profiles the statement fixtures fit.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CardLine, InputIssue } from '../../src/model.js';
import type { OpenedInput, SourceReader } from '../../src/sources/contract.js';
import { CsvFile, type CsvOpenOptions } from '../../src/sources/csv.js';
import { statementReader, type StatementDetection, type StatementReadContext } from '../../src/sources/statement.js';

/** The fixtures in the layouts of real bank exports, and the older hand-made ones. */
export const REAL = join(import.meta.dirname, '../../fixtures/statements/real');
const OLD = join(import.meta.dirname, '../../fixtures/statements');

/** Every statement fixture, real and older, as paths. */
export const STATEMENT_FIXTURES = [...readdirSync(REAL).map((n) => join(REAL, n)), ...readdirSync(OLD).map((n) => join(OLD, n))].filter((f) => f.endsWith('.csv'));

export async function open(path: string, opts?: CsvOpenOptions): Promise<OpenedInput & { type: 'csv' }> {
  return { path, type: 'csv', csv: await CsvFile.open(path, opts) };
}

export interface StatementRead {
  detection: StatementDetection;
  records: CardLine[];
  issues: InputIssue[];
  skipped: number;
  rows: number;
  input: OpenedInput & { type: 'csv' };
}

/** Detects and reads the whole file (in UTC, shown by its base name unless ctx says otherwise); throws if no profile takes it. */
export async function readStatement(
  path: string,
  reader: SourceReader<CardLine> = statementReader,
  ctx: Partial<StatementReadContext> = {},
  opts?: CsvOpenOptions,
): Promise<StatementRead> {
  const input = await open(path, opts);
  const detection = reader.detect(input) as StatementDetection | null;
  if (!detection) throw new Error(`not detected: ${path}`);
  const out: StatementRead = { detection, records: [], issues: [], skipped: 0, rows: 0, input };
  for await (const b of reader.read(input, detection, { timezone: 'UTC', displayPath: path.split('/').pop()!, ...ctx })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
    out.skipped += b.skipped;
    out.rows += b.rows;
  }
  return out;
}

/** Reads a fixture of fixtures/statements/real/ with the shipped profiles. */
export function readReal(name: string, timezone = 'UTC'): Promise<StatementRead> {
  return readStatement(join(REAL, name), statementReader, { timezone });
}

/** line, transaction date, posted date, status, amount (charges positive), currency, original amount and currency, card last4, reference, description */
export function view(r: CardLine): unknown[] {
  return [
    r.src.line,
    r.transactionDate,
    r.postedDate,
    r.status,
    r.amount.toString(),
    r.currency,
    r.originalAmount?.toString() ?? null,
    r.originalCurrency,
    r.cardLast4,
    r.reference,
    r.description,
  ];
}

/** The profile that took a file and every one it "also fits" as a runner-up. */
export function fittingProfiles(d: StatementDetection | null): string[] {
  return d ? [d.profile, ...d.reasons.filter((r) => r.startsWith('also fits')).map((r) => /"([^"]+)"/.exec(r)![1]!)] : [];
}

/** For each of the named profiles that fits any statement fixture (taking it or as a runner-up), those fixtures' names, sorted. */
export async function fixturesFitting(profiles: string[]): Promise<Record<string, string[]>> {
  const fits: Record<string, string[]> = {};
  for (const f of STATEMENT_FIXTURES) {
    const names = fittingProfiles(statementReader.detect(await open(f)) as StatementDetection | null);
    for (const n of names.filter((x) => profiles.includes(x))) (fits[n] ??= []).push(f.slice(f.lastIndexOf('/') + 1));
  }
  for (const list of Object.values(fits)) list.sort();
  return fits;
}
