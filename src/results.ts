/**
 * What a run produces: the results report/ writes from. Its own module so report/ depends on
 * the results, not on the pipeline that computes them (dependencies point inward).
 */
import type { LedgerResult } from './engine/ledger/index.js';
import type { MatchResult } from './engine/matching/index.js';
import type { AttributedRow, CrossCheckRow } from './engine/attribution.js';
import type { Conservation } from './engine/conservation.js';
import type { Summaries } from './engine/summaries.js';
import type { BudgetResult } from './engine/budget.js';
import type { RunwayResult } from './engine/runway.js';
import type { Decimal } from './money.js';
import type { CardLine, Exception, InputFileReport, InputIssue, PaymentRecord } from './model.js';
import type { Period } from './time.js';

export interface ReportTotals {
  /** Sum of the cost rows in the period (after dedupe): what every table must add up to. */
  costExport: Decimal;
  /** Sum of the attributed rows. */
  billed: Decimal;
  /** --split-days: billed money of boundary buckets spread onto local days outside the period (left out). */
  splitOutside: Decimal;
  currency: string;
  unallocated: Decimal;
  rejectedRows: number;
  rejectedAmount: Decimal;
}

/** Attribution of billed spend (SPEC §4.1, §4.2): present when cost exports were given. */
export interface AttributionSection {
  /** What the cost export is grouped by (attribution and the cross-check work at that level). */
  costGranularity: string;
  attributed: AttributedRow[];
  crossCheck: CrossCheckRow[];
  summaries: Summaries;
}

export interface ReportResult {
  period: Period;
  placementRule: string;
  priceTableVersion: string;
  /** Currency of the cost export (billed money); USD when there is none. */
  currency: string;
  homeCurrency: string;
  inputs: InputFileReport[];
  issues: InputIssue[];
  exceptions: Exception[];
  attribution: AttributionSection | null;
  /** Payments ↔ card lines (SPEC §4.3): present when both were given. */
  reconciliation: MatchResult | null;
  /** Credit ledger (SPEC §4.4): present when payments were given with cost exports. */
  ledger: LedgerResult | null;
  /** Budget burn and forecast per budgeted project (issue #13): with attribution. */
  budgets: BudgetResult | null;
  /** Credit runway and expiring credit (issue #13): with the ledger. */
  runway: RunwayResult | null;
  /** Payments as read, and the card lines the reconciliation classified (the reimbursement workbook needs them; the other lines are counted in `reconciliation.leftOut`). */
  payments: PaymentRecord[];
  cardLines: CardLine[];
  totals: ReportTotals;
  /** The run's own check that every row and cent read is accounted for exactly once. */
  conservation: Conservation;
}
