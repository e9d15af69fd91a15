/** What a run is asked to do: the inputs, the config, the period and the sections wanted. */
import type { Config } from '../config.js';
import type { MatchOverrides } from '../engine/matching/index.js';
import type { Decimal } from '../money.js';
import type { Progress } from './inputs.js';
import type { PeriodRequest } from './period.js';

export interface ReportRequest {
  usage: string[];
  costs: string[];
  payments?: string[];
  statements?: string[];
  config: Config;
  period: PeriodRequest;
  strict: boolean;
  /** SPEC §3 --split-days. */
  splitDays?: boolean;
  /** Reviewer decisions for matching (--overrides). */
  overrides?: MatchOverrides;
  /** The balance the dashboard shows, for the ledger's closing check (--closing-balance). */
  closingBalance?: Decimal;
  /** Which sections to compute; default: every one its inputs allow. */
  want?: { attribution?: boolean; reconciliation?: boolean; ledger?: boolean };
  cwd?: string;
  /** Progress for long inputs: called per batch. */
  onProgress?: Progress;
  /**
   * Called at most once for each, when the read leaves room: `thread`, this thread waits (for the
   * usage worker's last range); `core`, the second core is free (the read is done with it, or
   * never used it: then both at the start of the read). The caller may load what it needs next
   * (the CLI: exceljs on this thread, vega on the chart thread).
   */
  onIdle?: (free: 'thread' | 'core') => void;
  /** Notices (unknown columns, files ignored in a directory) for stderr. */
  onNotice?: (message: string) => void;
}
