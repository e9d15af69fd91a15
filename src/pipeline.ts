/**
 * The one place where stages are wired together:
 *   files → sources (detect, decode, parse, validate) → records → engine → results.
 * Each stage is a module of src/stages/ with explicit inputs and outputs; the pure logic they
 * call is in engine/. Reports are written by report/ from the results (src/results.ts); the
 * CLI only parses flags and prints.
 */
import { computeBudgets, budgetedProjects } from './engine/budget.js';
import { append, sortExceptions } from './engine/exceptions.js';
import type { LedgerResult } from './engine/ledger/index.js';
import type { MatchResult } from './engine/matching/index.js';
import { BUILTIN_PRICE_TABLE_VERSION } from './engine/prices.js';
import { computeRunway } from './engine/runway.js';
import { Decimal } from './money.js';
import type { CardLine, Exception, PaymentRecord } from './model.js';
import type { AttributionSection, ReportResult } from './results.js';
import { accountForInputs, settlePayments } from './stages/account.js';
import { attributeBilledSpend } from './stages/attribute.js';
import { selectBilledCosts } from './stages/billed.js';
import { buildLedger } from './stages/ledger.js';
import { resolvePeriod } from './stages/period.js';
import { readInputs, type FromFile, type ReadInputs, type WantedSections } from './stages/read.js';
import { reconcilePayments } from './stages/reconcile.js';
import type { ReportRequest } from './stages/request.js';
import { localDateOf, BUCKET_PLACEMENT_RULE, SPLIT_DAYS_RULE, type Period } from './time.js';

export type { ReportResult } from './results.js';
export type { ReportRequest } from './stages/request.js';
export { StrictModeError } from './stages/fates.js';
export { openInputs, type Progress } from './stages/inputs.js';
export { allReaders } from './stages/readers.js';
export { issueToException } from './engine/exceptions.js';

/**
 * The whole job: every input recognised by its content, read once, then the sections its
 * inputs allow — attribution (costs, usage), reconciliation (payments, statements), credit
 * ledger (payments, costs) — then every row and cent read accounted for.
 */
export async function runReport(req: ReportRequest): Promise<ReportResult> {
  const want: WantedSections = {
    attribution: req.want?.attribution ?? true,
    reconciliation: req.want?.reconciliation ?? true,
    ledger: req.want?.ledger ?? true,
  };
  const read = await readInputs(req, want);
  const { ofKind, issues, payments, cardLines } = read;
  const period = read.earlyPeriod ?? periodFromData(req, read);
  const billed = selectBilledCosts(read.costs, issues, req.strict);
  const { currency } = billed;
  const split = !!req.splitDays;
  const exceptions: Exception[] = billed.exceptions;

  const attribution =
    want.attribution && ofKind.costs.length
      ? attributeBilledSpend({ billed: billed.rows, usageGroups: read.usageGroups, period, currency, config: req.config, splitDays: split, usageGiven: ofKind.usage.length > 0 })
      : null;
  if (attribution) append(exceptions, attribution.exceptions);
  const reconciliation: MatchResult | null =
    want.reconciliation && ofKind.payments.length && ofKind.statement.length ? reconcilePayments(payments, cardLines, period, req.config, req.overrides) : null;
  if (reconciliation) append(exceptions, reconciliation.exceptions);
  const scope = new Set(req.config.organizations);
  const inScope = (p: FromFile<PaymentRecord>) => !scope.size || p.rec.organization === null || scope.has(p.rec.organization);
  const ledger: LedgerResult | null =
    want.ledger && ofKind.payments.length && (ofKind.costs.length || req.want?.ledger)
      ? buildLedger({
          billed: billed.rows,
          attributed: !!attribution,
          payments: payments.filter(inScope),
          period,
          currency,
          config: req.config,
          closingBalance: req.closingBalance,
        })
      : null;
  if (ledger) append(exceptions, ledger.exceptions);

  const section: AttributionSection | null = attribution?.section ?? null;
  const budgets = section ? computeBudgets({ period, currency, projects: budgetedProjects(req.config, section.summaries.byProject), daily: section.summaries.daily }) : null;
  const runway = ledger ? computeRunway({ ledger, autoRechargeMonthlyLimit: req.config.autoRechargeMonthlyLimit }) : null;
  exceptions.push(...(budgets?.exceptions ?? []), ...(runway?.exceptions ?? []));

  settlePayments(payments, inScope, ledger, reconciliation);
  await read.settled;
  const inputs = [...read.files.map((f) => f.report), ...read.ignored].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const splitOutside = attribution?.splitOutside ?? Decimal.ZERO;
  const accounts = accountForInputs({ inputs, issues, stageExceptions: exceptions, currency, attribution: section, splitOutside, reconciliation });
  return {
    period,
    placementRule: split ? `${BUCKET_PLACEMENT_RULE} ${SPLIT_DAYS_RULE}` : BUCKET_PLACEMENT_RULE,
    priceTableVersion: BUILTIN_PRICE_TABLE_VERSION,
    currency,
    homeCurrency: req.config.homeCurrency,
    inputs,
    issues,
    exceptions: sortExceptions(accounts.exceptions),
    attribution: section,
    reconciliation,
    ledger,
    budgets,
    runway,
    payments: payments.map((p) => p.rec),
    cardLines: classifiedLines(cardLines, reconciliation),
    conservation: accounts.conservation,
    totals: {
      costExport: attribution?.costExport ?? Decimal.ZERO,
      splitOutside,
      billed: section?.summaries.billed ?? Decimal.ZERO,
      currency,
      unallocated: section?.summaries.unallocated ?? Decimal.ZERO,
      rejectedRows: accounts.rejectedRows,
      rejectedAmount: accounts.rejectedAmount,
    },
  };
}

/**
 * The card lines the reconciliation classified. The others (a month of the bank's groceries,
 * 24 in 25 lines of a card statement) are counted in its `leftOut` and need not stay in memory
 * while the workbooks are written.
 */
function classifiedLines(lines: CardLine[], reconciliation: MatchResult | null): CardLine[] {
  if (!reconciliation) return [];
  const classified = new Set(reconciliation.classifications.filter((c) => c.side === 'card').map((c) => `${c.src.line}\u0000${c.src.file}`));
  return lines.filter((l) => classified.has(`${l.src.line}\u0000${l.src.file}`));
}

/** Without a period asked for or costs to cover one: the dates of everything read. */
function periodFromData(req: ReportRequest, read: ReadInputs): Period {
  const tz = req.config.timezone;
  return resolvePeriod(
    req.period,
    tz,
    read.costs.map((c) => c.rec),
    [...new Set(read.usageGroups.map((g) => g.utcDay))],
    [...read.payments.map((p) => localDateOf(p.rec.paidAt, tz)), ...read.cardLines.map((l) => l.transactionDate)],
  );
}
