/**
 * Accounting for the inputs (issue 8): the payments' fates, once matching and the ledger have
 * run; the input issues before what the stages found; and the conservation check of every row
 * and cent read against where it went.
 */
import { checkConservation, conservationExceptions, type Conservation } from '../engine/conservation.js';
import { append, duplicatesException, issueToException } from '../engine/exceptions.js';
import type { LedgerResult } from '../engine/ledger/index.js';
import type { MatchResult } from '../engine/matching/index.js';
import { Decimal } from '../money.js';
import type { Exception, InputFileReport, InputIssue, PaymentRecord } from '../model.js';
import type { AttributionSection } from '../results.js';
import { settle } from './fates.js';
import type { FromFile } from './read.js';

/**
 * Every payment row is counted once: used by the ledger (all of an organisation in scope) or
 * by matching (classified), else another organisation's, else outside the period.
 */
export function settlePayments(
  payments: FromFile<PaymentRecord>[],
  inScope: (p: FromFile<PaymentRecord>) => boolean,
  ledger: LedgerResult | null,
  reconciliation: MatchResult | null,
): void {
  const classified = new Set((reconciliation?.classifications ?? []).filter((c) => c.side === 'payment').map((c) => `${c.src.file}\u0000${c.src.line}`));
  for (const p of payments) {
    if ((ledger && inScope(p)) || classified.has(`${p.rec.src.file}\u0000${p.rec.src.line}`)) settle(p.file, 'used', p.rec);
    else if (!inScope(p)) settle(p.file, 'outOfScope', p.rec);
    else settle(p.file, 'outOfPeriod', p.rec);
  }
}

export interface AccountInput {
  inputs: InputFileReport[];
  issues: InputIssue[];
  /** What the stages found, in the order they ran. */
  stageExceptions: Exception[];
  currency: string;
  attribution: AttributionSection | null;
  splitOutside: Decimal;
  reconciliation: MatchResult | null;
}

export interface Accounts {
  /** Input issues first, then what the stages found, then broken equations (unsorted). */
  exceptions: Exception[];
  conservation: Conservation;
  rejectedRows: number;
  rejectedAmount: Decimal;
}

export function accountForInputs(a: AccountInput): Accounts {
  const exceptions = [...a.stageExceptions];
  for (const r of a.inputs) if (r.duplicates) exceptions.push(duplicatesException(r));
  const all = a.issues.map(issueToException);
  append(all, exceptions);
  const conservation = checkConservation({
    inputs: a.inputs,
    currency: a.currency,
    attribution: a.attribution ? { rows: a.attribution.attributed, splitCut: a.splitOutside, tables: attributionTables(a.attribution) } : null,
    reconciliation: a.reconciliation
      ? {
          cardClassified: a.reconciliation.classifications.filter((c) => c.side === 'card'),
          leftOut: a.reconciliation.leftOut.totals,
        }
      : null,
  });
  append(all, conservationExceptions(conservation));
  // money in rejected rows is shown in the run's currency; other currencies per file (Inputs, --json money)
  for (const r of a.inputs) r.rejectedAmount = r.money.find((m) => m.currency === a.currency)?.fates.rejected.net ?? Decimal.ZERO;
  const rejectedRows = a.inputs.reduce((s, r) => s + r.rowsRejected, 0);
  const rejectedAmount = a.inputs.reduce((s, r) => s.plus(r.rejectedAmount), Decimal.ZERO);
  return { exceptions: all, conservation, rejectedRows, rejectedAmount };
}

/** Every table the workbook shows from attribution, each of which must add up to the billed money. */
function attributionTables(s: AttributionSection): { name: string; values: Decimal[] }[] {
  const table = (name: string, rows: readonly { provider: string; billed: Decimal }[]) => ({ name, values: rows.map((r) => r.billed), providers: rows.map((r) => r.provider) });
  return [
    table('By project', s.summaries.byProject),
    table('By model', s.summaries.byModel),
    table('By key', s.summaries.byKey),
    table('By user', s.summaries.byUser),
    table('Daily', s.summaries.daily),
  ];
}
