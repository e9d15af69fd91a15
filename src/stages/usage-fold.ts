/**
 * A usage row's fate as the read stage decides it: outside the period, folded into its group,
 * an identical repeat, or a conflicting one (rejected). One place for the main thread and the
 * worker threads that fold parts of a large export (usage-parallel/), so both decide alike.
 */
import { bucketInPeriod } from '../engine/period.js';
import type { UsageAggregator } from '../engine/usage.js';
import type { InputIssue, UsageRecord } from '../model.js';
import type { Period } from '../time.js';
import { type AccountedFile, settle, usageConflict } from './fates.js';
import { MemoryBoundError, MORE_MEMORY, maxUsageGroups } from '../memory-bounds.js';

export class UsageFold {
  private readonly dayKept = new Map<number, boolean>();
  private readonly maxGroups = maxUsageGroups();

  /** `period`: usage is needed for every UTC day whose daily cost bucket falls in it (none: all). */
  constructor(
    readonly agg: UsageAggregator,
    private readonly period: Period | null,
    private readonly split: boolean,
    private readonly strict: boolean,
  ) {}

  fold(f: AccountedFile, r: UsageRecord, issues: InputIssue[]): void {
    if (this.period && !this.keepsDay(r.start - (r.start % 86400))) {
      settle(f, 'outOfPeriod', null);
      return;
    }
    const verdict = this.agg.add(r);
    if (verdict === 'new') {
      settle(f, 'used', null);
      this.checkSize(f);
    } else if (verdict === 'duplicate') settle(f, 'duplicates', null);
    else usageConflict(f, r, issues, this.strict);
  }

  /** Whether usage of the UTC day starting at `dayStart` is needed (its daily cost bucket falls in the period; no period: all). */
  keepsDay(dayStart: number): boolean {
    if (!this.period) return true;
    let keep = this.dayKept.get(dayStart);
    if (keep === undefined) {
      keep = bucketInPeriod(dayStart, dayStart + 86400, this.period, this.split);
      this.dayKept.set(dayStart, keep);
    }
    return keep;
  }

  /** The bound on groups held: checked after each new group and after a merge of another thread's groups. */
  checkSize(f: AccountedFile): void {
    if (this.agg.size <= this.maxGroups) return;
    throw new MemoryBoundError(
      `${f.report.file}: more than ${this.maxGroups.toLocaleString('en-US')} usage groups (UTC day × project × key × user × model × tier) in one run; report a shorter period or fewer exports at a time, ${MORE_MEMORY}`,
    );
  }
}
