/** Which buckets a reporting period takes. */
import { placeOnLocalDate, type Period } from '../time.js';

/**
 * Which buckets a period takes: by the midpoint rule, or — with --split-days — every bucket
 * that overlaps the period's UTC range (its parts on local days outside are cut off later).
 */
export function bucketInPeriod(start: number, end: number, period: Period, splitDays: boolean): boolean {
  if (splitDays) return start < period.utcEnd && end > period.utcStart;
  const local = placeOnLocalDate(start, end, period.timezone);
  return local >= period.from && local <= period.to;
}
