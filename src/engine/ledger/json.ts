/** JSON projection (SPEC §5.3 "ledger"). */
import type { LocalDate } from '../../time.js';
import type { LedgerResult } from './types.js';

export interface LedgerJsonRow {
  date: LocalDate;
  organization: string | null;
  opening: string;
  in: string;
  out: string;
  expired: string;
  balance: string;
  /** The day's events joined with "; "; empty when nothing happened. */
  event: string;
}

export function ledgerToJson(result: LedgerResult): LedgerJsonRow[] {
  return result.days.map((d) => ({
    date: d.date,
    organization: d.organization,
    opening: d.opening.toString(),
    in: d.in.toString(),
    out: d.out.toString(),
    expired: d.expired.toString(),
    balance: d.closing.toString(),
    event: d.events.join('; '),
  }));
}
