/**
 * Exports of the same usage or cost at different bucket widths (a daily and an hourly file of
 * the same days): which width is used per stream and UTC day, and how a width is named.
 */
import type { UsageGroup } from './usage.js';

/**
 * Overlapping exports of different bucket widths repeat the same usage (a daily export and an
 * hourly one of the same days). Per usage stream (provider × project × model) and UTC day, the width whose
 * rows cover the most hours of the day is used (a daily bucket covers all 24; ties go to the
 * coarser width) and the others are set aside; hours only a set-aside export has are reported.
 */
export function resolveOverlappingWidths(groups: UsageGroup[]): {
  kept: UsageGroup[];
  dropped: { utcDay: string; width: number; keptWidth: number; rows: number; uncoveredHours: number[] }[];
} {
  const streamDay = (g: UsageGroup) => `${g.provider}|${g.projectId}|${g.model}|${g.utcDay}`;
  const { cover, chosen } = chooseWidths(
    groups,
    streamDay,
    (g) => g.width,
    (g) => g.hours,
  );
  if (chosen.size === 0) return { kept: [...groups], dropped: [] };
  const dropped = new Map<string, { utcDay: string; width: number; keptWidth: number; rows: number; uncoveredHours: number[] }>();
  const kept: UsageGroup[] = [];
  for (const g of groups) {
    const k = streamDay(g);
    const keep = chosen.get(k);
    if (keep === undefined || keep === g.width) {
      kept.push(g);
      continue;
    }
    const dk = `${g.utcDay}|${g.width}`;
    const d = dropped.get(dk) ?? { utcDay: g.utcDay, width: g.width, keptWidth: keep, rows: 0, uncoveredHours: [] };
    d.rows += g.rows;
    const missing = g.hours & ~cover.get(k)!.get(keep)!;
    for (let h = 0; h < 24; h++) if (missing & (1 << h) && !d.uncoveredHours.includes(h)) d.uncoveredHours.push(h);
    dropped.set(dk, d);
  }
  for (const d of dropped.values()) d.uncoveredHours.sort((a, b) => a - b);
  return { kept, dropped: [...dropped.values()] };
}

/**
 * Per stream and UTC day (the key), which bucket width's rows to use where several widths
 * repeat the same data: the one covering the most hours of the day (a daily bucket covers all
 * 24), ties to the coarser. `chosen` only names keys that have more than one width (none, and
 * `cover` empty, when every item has the same width: the usual one export per source).
 */
export function chooseWidths<T>(
  items: readonly T[],
  keyOf: (t: T) => string,
  widthOf: (t: T) => number,
  hoursOf: (t: T) => number,
): { cover: Map<string, Map<number, number>>; chosen: Map<string, number> } {
  const cover = new Map<string, Map<number, number>>();
  if (oneWidth(items, widthOf)) return { cover, chosen: new Map() };
  for (const t of items) {
    const k = keyOf(t);
    const byWidth = cover.get(k) ?? new Map<number, number>();
    byWidth.set(widthOf(t), (byWidth.get(widthOf(t)) ?? 0) | hoursOf(t));
    cover.set(k, byWidth);
  }
  const chosen = new Map<string, number>();
  for (const [k, byWidth] of cover) {
    if (byWidth.size < 2) continue;
    let best = -1;
    let bestHours = -1;
    for (const [w, mask] of byWidth) {
      const n = popcount(mask);
      if (n > bestHours || (n === bestHours && w > best)) {
        best = w;
        bestHours = n;
      }
    }
    chosen.set(k, best);
  }
  return { cover, chosen };
}

function oneWidth<T>(items: readonly T[], widthOf: (t: T) => number): boolean {
  const w = items.length ? widthOf(items[0]!) : 0;
  for (const t of items) if (widthOf(t) !== w) return false;
  return true;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v; v &= v - 1) n++;
  return n;
}

export function widthLabel(seconds: number): string {
  if (seconds === 86400) return '1d';
  if (seconds === 3600) return '1h';
  if (seconds === 60) return '1m';
  return `${seconds}s`;
}
