/**
 * Exact numeric keys for the dimensions of usage rows (UsageAggregator.add): found without
 * building a text per row.
 */
import type { UsageRecord } from '../model.js';

/** A copy of a string that shares no memory with the text it was sliced from. */
function flat(s: string | null): string | null {
  return s === null ? null : Buffer.from(s, 'utf8').toString('utf8');
}

/** Most ids handed out (strings, and tuples of them): past it, rows use the text key. */
const ID_LIMIT = 2 ** 30;
/** Ids per tuple: provider, project, model, key, user, tier, variant, flags (batch × long context × channel). */
const TUPLE = 8;

/**
 * Exact numeric keys for the dimensions of a row: each string gets an id (null is 0), and each
 * distinct tuple of those ids an id of its own, found in an open-addressing table that
 * compares the whole tuple (one probe per row, nothing allocated) — no collision at any
 * cardinality. -1 when an id would pass the limit: the caller then uses the text key (a tuple
 * that did not fit once never fits later, ids only grow).
 */
export class DimensionIds {
  private readonly strings = new Map<string, number>();
  /** The flat copy kept for each string id (texts[id]; 0 is null). */
  private readonly texts: string[] = [''];
  private readonly row = new Int32Array(TUPLE);
  /** Tuple i's ids at [i * TUPLE, (i + 1) * TUPLE). */
  private tuples = new Int32Array(64 * TUPLE);
  /** Open addressing: tuple id + 1 per slot, 0 for an empty one; never more than half full. */
  private table = new Int32Array(128);
  private count = 0;
  constructor(private readonly limit = ID_LIMIT) {}

  private str(s: string | null): number {
    if (s === null) return 0;
    const id = this.strings.get(s);
    if (id !== undefined) return id;
    if (this.strings.size + 1 >= this.limit) return -1;
    // a flat copy: the cell is a slice of its chunk's text, which the map would otherwise keep
    const copy = flat(s)!;
    this.strings.set(copy, this.strings.size + 1);
    this.texts.push(copy);
    return this.strings.size;
  }

  /**
   * One flat copy of `s` for every group that holds it: the groups of a month share a few
   * hundred ids, and a copy per group (or the copies a part posted by another thread brings)
   * took ~170 bytes a group.
   */
  text(s: string | null): string | null {
    if (s === null) return null;
    const id = this.str(s);
    return id > 0 ? this.texts[id]! : flat(s);
  }

  /** The numeric key of a row's dimensions (those of `textKey`), or -1. */
  of(r: UsageRecord): number {
    const memo = r.dimsMemo;
    if (memo?.owner === this) return memo.id;
    const id = this.tupleOf(r);
    if (memo && id >= 0) {
      memo.owner = this;
      memo.id = id;
    }
    return id;
  }

  private tupleOf(r: UsageRecord): number {
    const t = this.row;
    const ch = r.channel === undefined ? 0 : r.channel === 'export' ? 1 : r.channel === 'api' ? 2 : -1;
    t[0] = this.str(r.provider);
    t[1] = this.str(r.projectId);
    t[2] = this.str(r.model);
    t[3] = this.str(r.apiKeyId);
    t[4] = this.str(r.userId);
    t[5] = this.str(r.serviceTier);
    t[6] = this.str(r.variant || null);
    t[7] = ch < 0 ? -1 : ((r.batch === null ? 0 : r.batch ? 1 : 2) * 2 + (r.longContext === true ? 1 : 0)) * 3 + ch;
    for (let i = 0; i < TUPLE; i++) if (t[i]! < 0) return -1;
    return this.find(tupleHash(t, 0));
  }

  /** The id of the tuple in `row`, added when new. */
  private find(h: number): number {
    const mask = this.table.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const v = this.table[at]!;
      if (v === 0) break;
      if (this.same(v - 1)) return v - 1;
    }
    if (this.count + 1 >= this.limit) return -1;
    const id = this.count++;
    if ((id + 1) * TUPLE > this.tuples.length) {
      const more = new Int32Array(this.tuples.length * 2);
      more.set(this.tuples);
      this.tuples = more;
    }
    this.tuples.set(this.row, id * TUPLE);
    if (this.count * 2 > this.table.length) this.rehash();
    else this.place(id, h);
    return id;
  }

  private same(id: number): boolean {
    const o = id * TUPLE;
    for (let i = 0; i < TUPLE; i++) if (this.tuples[o + i] !== this.row[i]) return false;
    return true;
  }

  private place(id: number, h: number): void {
    const mask = this.table.length - 1;
    let at = h & mask;
    while (this.table[at] !== 0) at = (at + 1) & mask;
    this.table[at] = id + 1;
  }

  /** A table twice the size, every tuple placed again (`row` still holds the newest). */
  private rehash(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let id = 0; id < this.count; id++) this.place(id, tupleHash(this.tuples, id * TUPLE));
  }
}

/** FNV-style hash of the tuple at `o`. */
function tupleHash(a: Int32Array, o: number): number {
  let h = 0x811c9dc5;
  for (let i = o; i < o + TUPLE; i++) h = Math.imul(h ^ a[i]!, 16777619);
  return h ^ (h >>> 15);
}
