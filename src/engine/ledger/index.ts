/** The credit ledger (SPEC §4.4): the public surface. The build order is in build.ts, one organisation's days in roll.ts. */
export { buildCreditLedger } from './build.js';
export { dailyUsageFromCosts } from './daily-usage.js';
export { addMonthsClamped } from './util.js';
export type {
  AutoRechargeMonth,
  DailyUsage,
  ExpiringLot,
  LedgerDay,
  LedgerInput,
  LedgerResult,
  Lot,
  LotKind,
  OpeningBalance,
} from './types.js';
