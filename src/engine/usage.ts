/**
 * Usage rows folded, as they stream in, into totals per (bucket width, UTC day, provider,
 * project, model, key, user, tier, batch) — per UTC hour instead of day when --split-days needs it.
 * Memory is bounded by the number of such groups, not by the number of rows. Pricing happens
 * once per group at the end.
 */
import type { Decimal } from '../money.js';
import type { UsageRecord } from '../model.js';
import { utcDateOf } from '../time.js';
import type { PriceTable, ResolvedPrice } from './prices.js';
import { DimensionIds } from './usage-ids.js';
import { newSeen, overlaps, type Seen, seenCheck, takeSeen } from './usage-seen.js';

export interface UsageGroup {
  width: number;
  /** Start of the UTC day — or of the UTC hour, for sub-daily buckets when aggregating by hour. */
  slot: number;
  /** Hours of the UTC day (bit n = hour n) this group's rows fall in; all 24 for daily buckets. */
  hours: number;
  utcDay: string;
  /** The provider's id: an OpenAI project and an Anthropic workspace of the same id never share a group. */
  provider: string;
  projectId: string | null;
  model: string | null;
  apiKeyId: string | null;
  userId: string | null;
  serviceTier: string | null;
  batch: boolean | null;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  /** Of cacheWriteTokens, the 1-hour writes (Anthropic), priced apart. */
  cacheWrite1hTokens: number;
  /** Over the long-context threshold: the key's variant (context window) holds it for all the group's rows. */
  longContext: boolean;
  /** The export channel of the group's rows (model.ts); the Console's and the API's never share a group. */
  channel?: 'export' | 'api';
  rows: number;
  /** List price of the group's tokens; null when the model is not in the price table. */
  listPrice: Decimal | null;
  price: ResolvedPrice | null;
}

/** What became of a row handed to the aggregator: added, an identical repeat, or a conflicting one. */
export type UsageVerdict = 'new' | 'duplicate' | 'conflict';

/**
 * A group and the buckets it has seen (its dimensions' text key is its key in `Dims.byKey`);
 * `seen` null once released (UsageAggregator.release), `kept` when it must never be.
 */
interface Entry {
  g: UsageGroup;
  seen: Seen | null;
  kept?: true;
}

/**
 * The groups of one (slot, bucket width). `byKey` is the truth: the text key names the
 * dimensions exactly and is what crosses threads. `byId` caches it under the numeric key of
 * interned ids, so a row needs no text built to find its group.
 */
interface Dims {
  byKey: Map<string, Entry>;
  byId: Map<number, Entry>;
  slot: number;
  width: number;
  /** An entry came in since the last release (there may be seen state to release). */
  fresh: boolean;
  /** It holds an earlier file's groups (keepAll): released entry by entry, never let go whole. */
  kept: boolean;
}

const DAY = 86400;

const ALL_HOURS = 0xffffff;

/** The text key of a row's dimensions: JSON of their values, so distinct dimensions never share one. */
function textKey(r: UsageRecord): string {
  // a variant of '' is no variant, as before ids
  return JSON.stringify([r.provider, r.projectId, r.model, r.apiKeyId, r.userId, r.serviceTier, r.batch, r.variant || null, r.longContext === true, r.channel ?? null]);
}

export class UsageAggregator {
  /** (bucket width, slot) as one number → dimensions → group and its seen buckets: no number-to-text per row. */
  private readonly bySlot = new Map<number, Dims>();
  private readonly ids: DimensionIds;
  private readonly widths = new Map<number, number>();
  private groups: UsageGroup[] = [];
  private dayCache = new Map<number, string>();
  // the last row's day and (slot, width): rows come in time order, so most rows skip both lookups
  private lastDay = NaN;
  private lastUtcDay = '';
  private lastSlot = NaN;
  private lastWidth = NaN;
  private lastDims: Dims | null = null;
  /** Groups released (see release): let go with their slot, or their seen state (of groups whose span ends by releasedTo). */
  private released = 0;
  private releasedTo = -Infinity;
  /** Slots let go whole (their groups stay in `groups`), by their key in bySlot. */
  private releasedSlots = new Map<number, { slot: number; width: number }>();

  /** `byHour`: keep sub-daily usage per UTC hour (for --split-days); otherwise per UTC day. `idLimit`: for tests of the text-key fallback. */
  constructor(
    private readonly byHour = false,
    idLimit?: number,
  ) {
    this.ids = new DimensionIds(idLimit);
  }

  /** Folds a row into its group, unless it repeats a row already folded (same bucket and dimensions). */
  add(r: UsageRecord): UsageVerdict {
    const width = r.end - r.start;
    const dayStart = r.start - (r.start % DAY);
    if (dayStart !== this.lastDay) {
      this.lastDay = dayStart;
      this.lastUtcDay = this.dayText(dayStart);
    }
    const utcDay = this.lastUtcDay;
    const slot = this.byHour && width < DAY ? r.start - (r.start % 3600) : width < DAY ? dayStart : r.start;
    const hourBit = width >= DAY ? ALL_HOURS : 1 << Math.floor((r.start - dayStart) / 3600);
    if (slot !== this.lastSlot || width !== this.lastWidth || !this.lastDims) {
      this.lastDims = this.dimsAt(slot, width);
      this.lastSlot = slot;
      this.lastWidth = width;
    }
    const dims = this.lastDims;
    const id = this.ids.of(r);
    let e = id < 0 ? undefined : dims.byId.get(id);
    if (!e) {
      e = this.entryOf(r, dims, width, slot, utcDay);
      if (id >= 0) dims.byId.set(id, e);
    }
    const g = e.g;
    const h = valueHash(r);
    if (e.seen === null) throw new Error(`internal: a usage row of ${g.utcDay} met a group whose seen buckets were released (restore first)`);
    const prev = seenCheck(e.seen, r.start - g.slot, h);
    if (prev !== 0) return prev === h ? 'duplicate' : 'conflict';
    g.hours |= hourBit;
    g.requests += r.requests;
    g.inputTokens += r.inputTokens;
    g.outputTokens += r.outputTokens;
    g.cachedTokens += r.cachedTokens;
    g.cacheWriteTokens += r.cacheWriteTokens;
    g.cacheWrite1hTokens += r.cacheWrite1hTokens ?? 0;
    g.rows++;
    return 'new';
  }

  /** The row's group found by its text key (a group merged in from another thread, or past the id limit), or a new one. */
  private entryOf(r: UsageRecord, dims: Dims, width: number, slot: number, utcDay: string): Entry {
    const key = textKey(r);
    let e = dims.byKey.get(key);
    if (!e) {
      // shared flat copies (DimensionIds.text): cells parsed from a file are slices of its chunk
      // text, and a group kept for the whole run would otherwise pin every chunk a new group came from
      const g = newGroup(r, width, slot, utcDay, this.ids);
      e = { g, seen: newSeen(width, this.slotsOf(width)) };
      dims.byKey.set(key, e);
      dims.fresh = true;
      this.groups.push(g);
    }
    return e;
  }

  /** Buckets of this width in a group's span (a UTC day, or hour with --split-days; one for daily buckets and wider). */
  private slotsOf(width: number): number {
    return Math.max(1, Math.ceil(this.spanOf(width) / width));
  }

  /** Seconds a group's slot spans: its day, its hour with --split-days, or its one bucket of a day or wider. */
  private spanOf(width: number): number {
    return width >= DAY ? width : this.byHour ? 3600 : DAY;
  }

  /** The groups of one (slot, bucket width), by their dimensions' key. */
  private dimsAt(slot: number, width: number): Dims {
    let w = this.widths.get(width);
    if (w === undefined) {
      w = this.widths.size;
      this.widths.set(width, w);
    }
    const slotKey = slot * 64 + w;
    let dims = this.bySlot.get(slotKey);
    if (!dims) {
      if (this.releasedSlots.has(slotKey)) throw new Error(`internal: usage of ${utcDateOf(slot - (slot % DAY))} met a slot that was let go (restore first)`);
      dims = { byKey: new Map(), byId: new Map(), slot, width, fresh: false, kept: false };
      this.bySlot.set(slotKey, dims);
    }
    return dims;
  }

  /**
   * What this aggregator holds, as plain data a worker thread can post: every group with its
   * dimensions' key and the buckets it has seen.
   */
  partial(): UsagePartial {
    if (this.released) throw new Error('internal: a partial of an aggregator whose seen buckets were released');
    const out: UsagePartial = { keys: [], groups: [], seen: [] };
    for (const dims of this.bySlot.values()) {
      for (const [key, e] of dims.byKey) {
        out.keys.push(key);
        out.groups.push(e.g);
        out.seen.push(e.seen!);
      }
    }
    return out;
  }

  /**
   * Folds in what another aggregator read from a later part of the input. Exact when none of
   * its buckets was seen here: then every row of that part got the verdict it would have got
   * read here in turn. When one was (a repeat across the parts), nothing is changed and false
   * is returned: the caller reads that part here instead.
   */
  merge(p: UsagePartial): boolean {
    const here = (i: number) => this.entryAt(p.groups[i]!.slot, p.groups[i]!.width, p.keys[i]!);
    for (let i = 0; i < p.groups.length; i++) {
      const e = here(i);
      if (e?.seen === null) throw new Error('internal: a part met a group whose seen buckets were released (see meetsReleased)');
      if (e && overlaps(e.seen, p.seen[i]!)) return false;
    }
    for (let i = 0; i < p.groups.length; i++) {
      const from = p.groups[i]!;
      const e = here(i);
      if (!e) {
        // found by its text key: a row of this group read here later caches its id then
        const dims = this.dimsAt(from.slot, from.width);
        this.shareTexts(from);
        dims.byKey.set(p.keys[i]!, { g: from, seen: p.seen[i]! });
        dims.fresh = true;
        this.groups.push(from);
        continue;
      }
      addSums(e.g, from);
      takeSeen(e.seen!, p.seen[i]!);
    }
    return true;
  }

  /** The UTC date of the day starting at `dayStart`, one string for all its groups. */
  private dayText(dayStart: number): string {
    let day = this.dayCache.get(dayStart);
    if (day === undefined) {
      day = utcDateOf(dayStart);
      this.dayCache.set(dayStart, day);
    }
    return day;
  }

  /** A group posted by another thread holds the texts this aggregator's groups share (DimensionIds.text, its day's date). */
  private shareTexts(g: UsageGroup): void {
    g.provider = this.ids.text(g.provider)!;
    g.utcDay = this.dayText(g.slot - (g.slot % DAY));
    g.projectId = this.ids.text(g.projectId);
    g.model = this.ids.text(g.model);
    g.apiKeyId = this.ids.text(g.apiKeyId);
    g.userId = this.ids.text(g.userId);
    g.serviceTier = this.ids.text(g.serviceTier);
  }

  /** The key in bySlot of (slot, bucket width), or undefined for a width not met here (dimsAt gives widths their numbers). */
  private slotKey(slot: number, width: number): number | undefined {
    const w = this.widths.get(width);
    return w === undefined ? undefined : slot * 64 + w;
  }

  private entryAt(slot: number, width: number, key: string): Entry | undefined {
    const k = this.slotKey(slot, width);
    return k === undefined ? undefined : this.bySlot.get(k)?.byKey.get(key);
  }

  /**
   * Memory bounded by the groups, not the rows: lets go of what finding and judging rows of the
   * slots whose span ends by `t` needs, as when no row still to come starts before `t` — rows in
   * time order. A slot of this file's groups alone goes whole (its index and seen buckets; the
   * groups stay for the report); in one that holds an earlier file's groups (keepAll), the seen
   * buckets of the others go. The caller makes sure, before a row or part meets what went
   * (meetsReleased), to put it back (restore): a repeat is still judged against every row read before it.
   */
  release(t: number): void {
    this.lastDims = null;
    for (const [key, dims] of this.bySlot) {
      if (!dims.fresh || dims.slot + this.spanOf(dims.width) > t) continue;
      dims.fresh = false;
      if (!dims.kept) {
        this.bySlot.delete(key);
        this.releasedSlots.set(key, { slot: dims.slot, width: dims.width });
        this.released += dims.byKey.size;
        continue;
      }
      for (const e of dims.byKey.values()) {
        if (e.kept || e.seen === null) continue;
        e.seen = null;
        this.released++;
        this.releasedTo = Math.max(this.releasedTo, t);
      }
    }
  }

  /** The groups held now keep their seen buckets for good (those of an earlier file, which release cannot put back). */
  keepAll(): void {
    for (const dims of this.bySlot.values()) {
      dims.kept = true;
      for (const e of dims.byKey.values()) e.kept = true;
    }
  }

  /** Whether merging `p` would meet a slot let go or a group whose seen buckets were released. */
  meetsReleased(p: UsagePartial): boolean {
    if (this.released === 0) return false;
    for (let i = 0; i < p.groups.length; i++) {
      const g = p.groups[i]!;
      const k = this.slotKey(g.slot, g.width);
      if (k !== undefined && this.releasedSlots.has(k)) return true;
      if (g.slot + this.spanOf(g.width) <= this.releasedTo && this.entryAt(g.slot, g.width, p.keys[i]!)?.seen === null) return true;
    }
    return false;
  }

  get releasedGroups(): number {
    return this.released;
  }

  /**
   * What was released put back from `from`: an aggregator that folded again the rows these
   * groups were folded from (the released ones all came from them: see keepAll). A slot let go
   * whole takes `from`'s groups of it, which are these groups folded again: the same sums.
   */
  restore(from: UsageAggregator): void {
    if (this.released === 0) return;
    if (this.releasedSlots.size) this.adoptSlots(from);
    for (const dims of this.bySlot.values()) {
      for (const [key, e] of dims.byKey) {
        if (e.seen !== null) continue;
        const seen = from.entryAt(dims.slot, dims.width, key)?.seen;
        if (!seen) throw new Error(`internal: the usage group ${key} of ${e.g.utcDay} was not found folding its rows again`);
        e.seen = seen;
      }
      dims.fresh = true;
    }
    this.released = 0;
    this.releasedTo = -Infinity;
  }

  private adoptSlots(from: UsageAggregator): void {
    const gone = this.releasedSlots;
    const groups = this.groups.filter((g) => !gone.has(this.slotKey(g.slot, g.width)!));
    const dropped = this.groups.length - groups.length;
    let found = 0;
    this.releasedSlots = new Map();
    for (const [key, { slot, width }] of gone) {
      const k = from.slotKey(slot, width);
      const dims = k === undefined ? undefined : from.bySlot.get(k);
      if (!dims) continue;
      // byId caches ids of `from`'s own: found by text key here, as a merged part's groups are
      this.bySlot.set(key, { byKey: dims.byKey, byId: new Map(), slot, width, fresh: true, kept: false });
      for (const e of dims.byKey.values()) groups.push(e.g);
      found += dims.byKey.size;
    }
    if (found !== dropped) throw new Error(`internal: ${dropped} usage groups let go, ${found} found folding their rows again`);
    this.groups = groups;
  }

  get size(): number {
    return this.groups.length;
  }

  /** The groups, priced, in a deterministic order. */
  finish(prices: PriceTable): UsageGroup[] {
    const out = [...this.groups];
    for (const g of out) {
      if (g.model === null) continue;
      g.price = prices.resolveFor(g.model, g.utcDay, g.batch, g.serviceTier, g.longContext);
      g.listPrice = g.price ? prices.priceOf(g, g.price) : null;
    }
    out.sort(compareGroups);
    return out;
  }
}

/** A group of no rows yet for the row's dimensions, holding the texts the aggregator's groups share. */
function newGroup(r: UsageRecord, width: number, slot: number, utcDay: string, ids: DimensionIds): UsageGroup {
  return {
    width,
    slot,
    hours: 0,
    utcDay,
    provider: r.provider,
    projectId: ids.text(r.projectId),
    model: ids.text(r.model),
    apiKeyId: ids.text(r.apiKeyId),
    userId: ids.text(r.userId),
    serviceTier: ids.text(r.serviceTier),
    batch: r.batch,
    requests: 0,
    inputTokens: 0,
    outputTokens: 0,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    longContext: r.longContext === true,
    channel: r.channel,
    rows: 0,
    listPrice: null,
    price: null,
  };
}

/** A part's groups (see UsageAggregator.partial): `keys[i]` and `seen[i]` belong to `groups[i]`. */
export interface UsagePartial {
  keys: string[];
  groups: UsageGroup[];
  seen: Seen[];
}

function addSums(g: UsageGroup, from: UsageGroup): void {
  g.hours |= from.hours;
  g.requests += from.requests;
  g.inputTokens += from.inputTokens;
  g.outputTokens += from.outputTokens;
  g.cachedTokens += from.cachedTokens;
  g.cacheWriteTokens += from.cacheWriteTokens;
  g.cacheWrite1hTokens += from.cacheWrite1hTokens;
  g.rows += from.rows;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
function mix(h: number, v: number): number {
  F64[0] = v;
  h = Math.imul(h ^ U32[0]!, 16777619);
  return Math.imul(h ^ U32[1]!, 16777619);
}

/**
 * 32-bit FNV-style hash of a row's values (never 0). Two different values share a hash with
 * odds of 1 in 4 billion: such a conflicting repeat would be counted as an identical one.
 */
function valueHash(r: UsageRecord): number {
  let h = 2166136261;
  h = mix(h, r.requests);
  h = mix(h, r.inputTokens);
  h = mix(h, r.outputTokens);
  h = mix(h, r.cachedTokens);
  h = mix(h, r.cacheWriteTokens);
  if (r.cacheWrite1hTokens) h = mix(h, r.cacheWrite1hTokens);
  if (r.other) {
    const t = JSON.stringify(r.other);
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 16777619);
  }
  return h | 0 || 1;
}

const s = (v: string | null | boolean) => (v === null ? '' : String(v));
function compareGroups(a: UsageGroup, b: UsageGroup): number {
  return (
    cmp(a.utcDay, b.utcDay) ||
    a.width - b.width ||
    a.slot - b.slot ||
    cmp(a.provider, b.provider) ||
    cmp(s(a.projectId), s(b.projectId)) ||
    cmp(s(a.model), s(b.model)) ||
    cmp(s(a.apiKeyId), s(b.apiKeyId)) ||
    cmp(s(a.userId), s(b.userId)) ||
    cmp(s(a.serviceTier), s(b.serviceTier)) ||
    cmp(s(a.batch), s(b.batch))
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
