/**
 * Duplicates across files (SPEC §3): exports with overlapping ranges are normal. A record
 * is identified by its bucket and all its dimensions; an identical repeat is counted once,
 * a different value for the same identity is a conflict (the first seen is kept, the later
 * one is reported as an error row and left out — never summed).
 */
import { Decimal } from '../money.js';
import { chooseWidths, widthLabel } from './usage-widths.js';
import { minorUnits } from '../money.js';
import type { CostRecord, Exception, Provenance } from '../model.js';

export type DedupeVerdict = { kind: 'new' } | { kind: 'duplicate'; first: Provenance } | { kind: 'conflict'; first: Provenance; firstValue: string; value: string };

export class DuplicateTracker<R extends { src: Provenance }> {
  /** The first record of each identity; its value key is only worked out when the identity comes again. */
  private readonly seen = new Map<string, R>();

  constructor(
    private readonly identity: (r: R) => string,
    private readonly valueKey: (r: R) => string,
  ) {}

  check(r: R): DedupeVerdict {
    const id = this.identity(r);
    const prev = this.seen.get(id);
    if (!prev) {
      this.seen.set(id, r);
      return { kind: 'new' };
    }
    const value = this.valueKey(r);
    const firstValue = this.valueKey(prev);
    if (firstValue === value) return { kind: 'duplicate', first: prev.src };
    return { kind: 'conflict', first: prev.src, firstValue, value };
  }
}

export function costTracker(): DuplicateTracker<CostRecord> {
  return new DuplicateTracker<CostRecord>(
    (r) => `${r.provider}|${r.start}|${r.end}|${r.organizationId}|${r.projectId}|${r.lineItemRaw}|${r.apiKeyId}|${r.userId}`,
    (r) => `${r.amount.toString()} ${r.currency}`,
  );
}

export interface CostWidthResolution {
  /** Cost rows left out because a coarser bucket of the same stream covers their span. */
  setAside: CostRecord[];
  exceptions: Exception[];
}

const DAY = 86400;

/**
 * A daily and an hourly cost export of the same day repeat the same money: summed, they
 * double it. As for usage (engine/usage.ts), per stream (provider, organisation, project,
 * line item, key, user) and UTC day the width covering the most hours wins (a daily bucket covers all
 * 24; ties go to the coarser) and rows of other widths are set aside — named, with their money.
 */
export function resolveOverlappingCostWidths(costs: readonly CostRecord[]): CostWidthResolution {
  const streamDay = (c: CostRecord) => `${c.provider}|${c.organizationId}|${c.projectId}|${c.lineItemRaw}|${c.apiKeyId}|${c.userId}|${Math.floor(c.start / DAY)}`;
  const { chosen } = chooseWidths(costs, streamDay, (c) => c.end - c.start, hoursCovered);
  if (chosen.size === 0) return { setAside: [], exceptions: [] };
  const setAside: CostRecord[] = [];
  const byDay = new Map<string, { day: number; width: number; keptWidth: number; rows: CostRecord[]; amount: Decimal; currency: string }>();
  for (const c of costs) {
    const k = streamDay(c);
    const keep = chosen.get(k);
    if (keep === undefined || keep === c.end - c.start) continue;
    setAside.push(c);
    const dk = `${Math.floor(c.start / DAY)}|${c.end - c.start}|${c.currency}`;
    const d = byDay.get(dk) ?? { day: Math.floor(c.start / DAY), width: c.end - c.start, keptWidth: keep, rows: [], amount: Decimal.ZERO, currency: c.currency };
    d.rows.push(c);
    d.amount = d.amount.plus(c.amount);
    byDay.set(dk, d);
  }
  const exceptions = [...byDay.values()]
    .sort((a, b) => a.day - b.day || a.width - b.width)
    .map((d): Exception => {
      const day = new Date(d.day * DAY * 1000).toISOString().slice(0, 10);
      return {
        severity: 'warning',
        class: 'cost_granularity_overlap',
        subject: day,
        amount: d.amount,
        currency: d.currency,
        message: `Cost for UTC day ${day} is in the inputs at ${widthLabel(d.width)} and at ${widthLabel(d.keptWidth)} buckets; the ${widthLabel(d.keptWidth)} rows are used and ${d.rows.length} ${widthLabel(d.width)} row(s) (${d.amount.toDisplay(minorUnits(d.currency))} ${d.currency}) are set aside so the money is not counted twice.`,
        nextStep: 'Give one export per day (one bucket width), or check that the set-aside rows say the same as the rows used.',
        refs: d.rows.slice(0, 20).map((r) => r.src),
      };
    });
  return { setAside, exceptions };
}

function hoursCovered(c: CostRecord): number {
  if (c.end - c.start >= DAY) return 0xffffff;
  const dayStart = c.start - (c.start % DAY);
  let mask = 0;
  for (let t = c.start; t < c.end && t < dayStart + DAY; t += 3600) mask |= 1 << Math.floor((t - dayStart) / 3600);
  return mask;
}

/** What `resolveOverlappingChannels` needs of a cost row or a usage group. */
export interface ChannelRow {
  provider: string;
  utcDay: string;
  projectId: string | null;
  channel?: 'export' | 'api';
}

export interface ChannelResolution<T> {
  kept: T[];
  /** Console-export rows left out: the API's rows of the same provider, day and project say the same. */
  setAside: T[];
  /** Per provider: the console's project names with no API id on days both exports cover (`providers.<id>.projects` maps them). */
  unmatched: Map<string, { names: Set<string>; days: Set<string> }>;
}

/**
 * A console export and an Admin API export of the same provider's day are the same money told
 * twice, with rows that never pair (other line-item texts, keys, context-window spellings). Per
 * (provider, UTC day, project) both cover, the API's rows are used (they carry ids and fractions
 * of a cent); the console's project names the API never shows that day are kept and reported,
 * since without a name → id mapping they cannot be told apart from a workspace the API left out.
 */
export function resolveOverlappingChannels<T extends ChannelRow>(rows: readonly T[]): ChannelResolution<T> {
  const apiProjects = new Map<string, Set<string | null>>();
  for (const r of rows) if (r.channel === 'api') push(apiProjects, `${r.provider}|${r.utcDay}`, r.projectId);
  const unmatched: ChannelResolution<T>['unmatched'] = new Map();
  // no API rows: nothing to weigh
  if (apiProjects.size === 0) return { kept: [...rows], setAside: [], unmatched };
  const kept: T[] = [];
  const setAside: T[] = [];
  for (const r of rows) {
    const api = r.channel === 'export' ? apiProjects.get(`${r.provider}|${r.utcDay}`) : undefined;
    if (api === undefined) kept.push(r);
    else if (api.has(r.projectId)) setAside.push(r);
    else {
      kept.push(r);
      const u = unmatched.get(r.provider) ?? { names: new Set<string>(), days: new Set<string>() };
      u.names.add(r.projectId ?? '(default)');
      u.days.add(r.utcDay);
      unmatched.set(r.provider, u);
    }
  }
  return { kept, setAside, unmatched };
}

function push<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k) ?? new Set<V>();
  s.add(v);
  m.set(k, s);
}

/** The warning for console names the API's ids do not meet: the money of those rows may be counted twice. */
export function unmatchedChannelExceptions(
  unmatched: ChannelResolution<ChannelRow>['unmatched'],
  dimension: (provider: string) => { name: string; projects: string },
): Exception[] {
  return [...unmatched.entries()].map(([p, u]): Exception => {
    const { name, projects } = dimension(p);
    const names = [...u.names].sort();
    const days = [...u.days].sort();
    return {
      severity: 'warning',
      class: 'console_api_names_unmatched',
      subject: `${name}: ${names.join(', ')}`,
      amount: null,
      currency: null,
      message: `${name}'s console export and its Admin API export both cover ${days.length} UTC day(s) (${days[0]} to ${days[days.length - 1]}), but the console's ${projects} ${names.map((n) => `"${n}"`).join(', ')} match no id the API gives: their rows are kept beside the API's and may count the same money twice.`,
      nextStep: `Map each name to its id in the config, "providers": {"${p}": {"projects": {"<id>": "<name>"}, "apiKeys": {"<id>": "<name>"}}} (the ids are in the API export and in the console's settings), or give only one of the two exports.`,
      refs: [],
    };
  });
}
