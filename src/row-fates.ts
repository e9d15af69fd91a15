/**
 * What can become of a row read, and the money accounts kept per file of it: plain types and
 * one list, without zod (model.ts re-exports them), for the code a worker thread loads.
 */
import type { Decimal } from './money.js';

/** What can become of a row: exactly one of these (the conservation equations check it). */
export const ROW_FATES = ['used', 'outOfPeriod', 'duplicates', 'outOfScope', 'rejected', 'setAside'] as const;
export type RowFate = (typeof ROW_FATES)[number];

/** A sum of signed amounts and of their magnitudes: a lost charge and a lost refund do not cancel out in `gross`. */
export interface MoneySum {
  net: Decimal;
  gross: Decimal;
}

/** One file's money in one currency: as read, and per fate. */
export interface MoneyAccount {
  currency: string;
  read: MoneySum;
  fates: Record<RowFate, MoneySum>;
}
