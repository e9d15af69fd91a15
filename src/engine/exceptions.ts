/** The exceptions the pipeline itself raises about its inputs, and the order every list is shown in. */
import type { Exception, InputFileReport, InputIssue } from '../model.js';
import { widthLabel } from './usage-widths.js';

/** Said for a file left out whole because a required column is missing. */
export const MISSING_COLUMN_NEXT_STEP = 'Export the file again with all its columns (or fix its header); until then nothing in it is counted.';

export function granularityException(d: { utcDay: string; width: number; keptWidth: number; rows: number; uncoveredHours: number[] }): Exception {
  return {
    severity: d.uncoveredHours.length ? 'warning' : 'info',
    class: 'usage_granularity_overlap',
    subject: d.utcDay,
    amount: null,
    currency: null,
    message: `Usage for UTC day ${d.utcDay} is in the inputs at ${widthLabel(d.width)} and at ${widthLabel(d.keptWidth)} buckets; the ${widthLabel(d.keptWidth)} rows are used and ${d.rows} ${widthLabel(d.width)} row(s) inside them are set aside so usage is not counted twice.${d.uncoveredHours.length ? ` The set-aside rows also cover UTC hour(s) ${d.uncoveredHours.join(', ')} that the ${widthLabel(d.keptWidth)} rows do not: that usage does not weight the split.` : ''}`,
    nextStep: d.uncoveredHours.length
      ? 'Export one bucket width for the whole period so every hour is in one export.'
      : 'Nothing to do; export one bucket width per period to avoid the overlap.',
    refs: [],
  };
}

export function duplicatesException(r: InputFileReport): Exception {
  return {
    severity: 'info',
    class: 'duplicate_rows',
    subject: r.file,
    amount: null,
    currency: null,
    message:
      r.kind === 'payments'
        ? `${r.duplicates} payment(s) of ${r.file} are copies of payments read elsewhere (a receipt, an invoice, the payment history or the billing table: same provider and reference); each is counted once.`
        : `${r.duplicates} row(s) of ${r.file} repeat rows of an earlier file exactly (overlapping export ranges); each is counted once.`,
    nextStep: 'Nothing to do.',
    refs: [{ file: r.file, line: 0 }],
  };
}

export function issueToException(i: InputIssue): Exception {
  if (i.scope === 'file') {
    return {
      severity: i.severity,
      class: 'file_left_out',
      subject: i.file,
      amount: null,
      currency: null,
      message: i.message,
      nextStep: i.nextStep ?? MISSING_COLUMN_NEXT_STEP,
      refs: [{ file: i.file, line: i.line }],
    };
  }
  return {
    severity: i.severity,
    class: i.rejected ? 'rejected_row' : 'input_notice',
    subject: `${i.file}:${i.line}${i.column ? ` (${i.column})` : ''}`,
    amount: i.amount,
    currency: i.currency,
    message: i.message,
    nextStep: i.nextStep ?? (i.rejected ? 'Correct the row in the file (or re-export it) and run again; until then its amount is outside every total.' : 'Nothing to do.'),
    refs: [{ file: i.file, line: i.line }],
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
export function sortExceptions(list: Exception[]): Exception[] {
  return list
    .map((e, i) => ({ e, i }))
    .sort((a, b) => SEVERITY_ORDER[a.e.severity] - SEVERITY_ORDER[b.e.severity] || (a.e.class < b.e.class ? -1 : a.e.class > b.e.class ? 1 : 0) || a.i - b.i)
    .map((x) => x.e);
}
/** Appends without spreading: a million rejected rows as arguments would overflow the call stack. */
export function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}
