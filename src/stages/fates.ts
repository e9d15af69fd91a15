/**
 * Each row's one fate (issue 8, README "Conservation, checked on every run"): the pipeline
 * decides it where it meets the row, and `settle` counts the row on its file's report and
 * tallies its money under that fate, so engine/conservation.ts can check every row and cent.
 */
import { tally } from '../engine/money-accounts.js';
import type { DuplicateTracker } from '../engine/dedupe.js';
import { widthLabel } from '../engine/usage-widths.js';
import { Decimal } from '../money.js';
import type { InputFileReport, InputIssue, Provenance, RowFate, UsageRecord } from '../model.js';
import type { ReadBatch } from '../sources/contract.js';
import { InputError } from '../sources/errors.js';

/** Thrown under --strict at the first bad row. */
export class StrictModeError extends InputError {}

/** A file whose rows are being given their fates: its report keeps the counts and money. */
export interface AccountedFile {
  report: InputFileReport;
}

export type Money = { amount: Decimal; currency: string } | null;

/** The money a record carries (cost rows, payments, card lines), if any. */
function moneyOf(r: unknown): Money {
  const x = r as { amount?: unknown; currency?: unknown };
  return x.amount instanceof Decimal && typeof x.currency === 'string' ? { amount: x.amount, currency: x.currency } : null;
}

const FATE_COUNTER: Record<RowFate, 'rowsUsed' | 'outOfPeriod' | 'duplicates' | 'outOfScope' | 'rowsRejected' | 'setAside'> = {
  used: 'rowsUsed',
  outOfPeriod: 'outOfPeriod',
  duplicates: 'duplicates',
  outOfScope: 'outOfScope',
  rejected: 'rowsRejected',
  setAside: 'setAside',
};

/** A file's report before any row is read: every count 0, no money. */
export function emptyReport(file: string, kind: InputFileReport['kind'], format: string, label: string): InputFileReport {
  return {
    file,
    kind,
    sha256: '',
    bytes: 0,
    format,
    label,
    encoding: '',
    rowsRead: 0,
    rowsUsed: 0,
    emptyBuckets: 0,
    duplicates: 0,
    outOfPeriod: 0,
    outOfScope: 0,
    rowsRejected: 0,
    setAside: 0,
    rejectedAmount: Decimal.ZERO,
    money: [],
    notes: [],
  };
}

/** Gives a row its one fate: counted on the file's report, its money tallied under that fate. */
export function settle(f: AccountedFile, fate: RowFate, money: Money): void {
  f.report[FATE_COUNTER[fate]]++;
  if (!money) return;
  tally(f.report.money, money.currency, fate, money.amount);
}

export function dedupeIssue(
  f: AccountedFile,
  r: { src: Provenance },
  v: ReturnType<DuplicateTracker<never>['check']>,
  amount: Decimal | null,
  currency: string | null,
  issues: InputIssue[],
  strict: boolean,
): boolean {
  if (v.kind === 'new') return true;
  if (v.kind === 'duplicate') {
    settle(f, 'duplicates', amount && currency ? { amount, currency } : null);
    return false;
  }
  rejectRow(f, issues, strict, {
    severity: 'error',
    file: r.src.file,
    line: r.src.line,
    column: null,
    message: `conflicting repeat of ${v.first.file} line ${v.first.line}: same bucket and dimensions, different values (${v.value} here, ${v.firstValue} there); the first is kept, this row is left out`,
    amount,
    currency,
    rejected: true,
  });
  return false;
}

/** A usage row repeating an earlier one's bucket and dimensions with other values: the first is kept. */
export function usageConflict(f: AccountedFile, r: UsageRecord, issues: InputIssue[], strict: boolean): void {
  const dims = [
    `project ${r.projectId ?? '(none)'}`,
    `key ${r.apiKeyId ?? '(none)'}`,
    `user ${r.userId ?? '(none)'}`,
    `model ${r.model ?? '(none)'}`,
    `tier ${r.serviceTier ?? '(none)'}`,
    `batch ${r.batch ?? '(none)'}`,
  ];
  rejectRow(f, issues, strict, {
    severity: 'error',
    file: r.src.file,
    line: r.src.line,
    column: null,
    message: `conflicting repeat: a row for the same bucket (start_time ${r.start}, ${widthLabel(r.end - r.start)}) and dimensions (${dims.join(', ')}) was read earlier with other values (here: requests ${r.requests}, input ${r.inputTokens}, output ${r.outputTokens}, cached ${r.cachedTokens}); the first is kept, this row is left out`,
    amount: null,
    currency: null,
    rejected: true,
  });
}

/** A row the pipeline itself rejects (after its reader accepted it): counted, or fatal under --strict. */
export function rejectRow(f: AccountedFile, issues: InputIssue[], strict: boolean, i: InputIssue): void {
  if (strict) throw new StrictModeError(`${i.file}, line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.message} (--strict stops at the first bad row)`);
  settle(f, 'rejected', i.amount ? { amount: i.amount, currency: i.currency ?? '(unknown currency)' } : null);
  issues.push(i);
}

/**
 * A batch of a reader's rows into the file's accounts: its issues first (a rejected row's
 * money tallied as read and rejected; the first error stops a --strict run), then its records.
 */
export function takeBatch<R>(f: AccountedFile, batch: ReadBatch<R>, strict: boolean, issues: InputIssue[], onRecord: (r: R) => void): void {
  f.report.rowsRead += batch.rows;
  f.report.emptyBuckets += batch.skipped;
  for (const i of batch.issues) {
    if (strict && i.severity === 'error') {
      throw new StrictModeError(`${i.file}, line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.message} (--strict stops at the first bad row)`);
    }
    issues.push(i);
    // readers give one rejected issue per row (a JSON page's line holds many rows)
    if (i.rejected) {
      // the read side of the money is tallied here, at the reader's boundary
      if (i.amount) tally(f.report.money, i.currency ?? '(unknown currency)', 'read', i.amount);
      settle(f, 'rejected', i.amount ? { amount: i.amount, currency: i.currency ?? '(unknown currency)' } : null);
    }
  }
  for (const r of batch.records) {
    const m = moneyOf(r);
    if (m) tally(f.report.money, m.currency, 'read', m.amount);
    onRecord(r);
  }
}
