/** The credit ledger (SPEC §4.4): the public surface. The build order is in build.ts, one organisation's days in roll.ts. */
export { buildCreditLedger } from './build.js';
export { dailyUsageFromCosts } from './daily-usage.js';
export { addMonthsClamped } from './util.js';
export { IGNORE_REASONS, LEDGER_RULES } from './types.js';
export type {
  AutoRechargeMonth,
  ClosingCheck,
  DailyUsage,
  ExpiringLot,
  ExpiringSoon,
  ExpiringWindow,
  IgnoredItem,
  IgnoreReason,
  LedgerDay,
  LedgerEvent,
  LedgerEventKind,
  LedgerInput,
  LedgerResult,
  Lot,
  LotKind,
  OpeningBalance,
  OrganizationClosing,
  ReportedClosingBalance,
} from './types.js';
