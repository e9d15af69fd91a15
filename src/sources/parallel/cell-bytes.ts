/**
 * Kept copies of the bytes of some cells of a line, for plain-line.ts: a later line whose cells
 * hold the same bytes gets what was worked out from them (its times, its dimension values)
 * without working it out again. Compared four bytes at a time; nothing is allocated per line.
 */

/** A few bytes copied (no view made for them, as `set(subarray())` would). */
function copyBytes(from: Uint8Array, s: number, to: Uint8Array, o: number, len: number): void {
  for (let k = 0; k < len; k++) to[o + k] = from[s + k]!;
}

/** Bytes with a view for reading them four at a time. */
export class Bytes {
  readonly b: Uint8Array;
  readonly v: DataView;
  constructor(from: number | Uint8Array) {
    this.b = typeof from === 'number' ? new Uint8Array(from) : from;
    this.v = new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
  }

  /** Whether [s, s + len) here holds the bytes at [o, o + len) of `other`. */
  same(s: number, other: Bytes, o: number, len: number): boolean {
    let k = 0;
    for (; k + 4 <= len; k += 4) if (this.v.getInt32(s + k, true) !== other.v.getInt32(o + k, true)) return false;
    for (; k < len; k++) if (this.b[s + k] !== other.b[o + k]) return false;
    return true;
  }
}

/**
 * The bytes of cells `cells` of a line (cell i is [at[i], at[i + 1] - 1) of the piece), kept in
 * `slots` slots of at most `max` bytes each. Cells next to each other in the line are kept and
 * compared as one run of bytes, delimiters included: a plain line's cells hold no delimiter, so
 * two runs of bytes are equal exactly when their cells are, and a run is one length and one
 * comparison instead of one per cell (the four time cells of a usage row are one run, its six
 * dimension cells two).
 */
export class CellBytes {
  private readonly pool: Bytes;
  private readonly lens: Int32Array;
  /** Runs of adjacent cells: run k is cells first[k] to last[k], in line order. */
  private readonly first: Int32Array;
  private readonly last: Int32Array;

  constructor(
    cells: readonly number[],
    slots: number,
    readonly max: number,
  ) {
    const sorted = [...new Set(cells)].sort((a, b) => a - b);
    const first: number[] = [];
    const last: number[] = [];
    for (const c of sorted) {
      if (last.length && last[last.length - 1] === c - 1) last[last.length - 1] = c;
      else {
        first.push(c);
        last.push(c);
      }
    }
    this.first = Int32Array.from(first);
    this.last = Int32Array.from(last);
    this.pool = new Bytes(slots * max);
    this.lens = new Int32Array(slots * first.length);
  }

  /** Whether the line's cells hold the bytes kept in `slot` (the caller knows whether it kept any there). */
  same(slot: number, piece: Bytes, at: Int32Array): boolean {
    const n = this.first.length;
    let o = slot * this.max;
    for (let k = 0; k < n; k++) {
      const s = at[this.first[k]!]!;
      const len = at[this.last[k]! + 1]! - 1 - s;
      if (len !== this.lens[slot * n + k] || !piece.same(s, this.pool, o, len)) return false;
      o += len;
    }
    return true;
  }

  /** The line's cells kept in `slot`; false (nothing kept) when they take more than `max` bytes. */
  keep(slot: number, piece: Bytes, at: Int32Array): boolean {
    const n = this.first.length;
    if (this.total(at) > this.max) return false;
    let o = slot * this.max;
    for (let k = 0; k < n; k++) {
      const s = at[this.first[k]!]!;
      const len = at[this.last[k]! + 1]! - 1 - s;
      copyBytes(piece.b, s, this.pool.b, o, len);
      this.lens[slot * n + k] = len;
      o += len;
    }
    return true;
  }

  move(from: number, to: number): void {
    const n = this.first.length;
    copyBytes(this.pool.b, from * this.max, this.pool.b, to * this.max, this.max);
    this.lens.copyWithin(to * n, from * n, from * n + n);
  }

  /** Bytes the line's runs of cells take. */
  total(at: Int32Array): number {
    let t = 0;
    for (let k = 0; k < this.first.length; k++) t += at[this.last[k]! + 1]! - 1 - at[this.first[k]!]!;
    return t;
  }
}

/**
 * Values keyed by the bytes of some cells of a line, found by the cells' lengths and last bytes,
 * then compared whole. Each key has two places: one evicted from its first place moves to its
 * second, so two keys sharing a first place do not take turns pushing each other out.
 */
export class CellCache<T> {
  private readonly bytes: CellBytes;
  private readonly values: (T | undefined)[];
  private readonly hashes: Int32Array;
  private readonly mask: number;
  /** The last line looked up: its hash. */
  private h = 0;

  constructor(
    private readonly cells: readonly number[],
    slots: number,
    max: number,
  ) {
    this.bytes = new CellBytes(cells, slots, max);
    this.values = new Array<T | undefined>(slots).fill(undefined);
    this.hashes = new Int32Array(slots);
    this.mask = slots - 1;
  }

  /** The value kept for the line's cells, if any. */
  find(piece: Bytes, at: Int32Array): T | undefined {
    const b = piece.b;
    let h = 0x811c9dc5;
    for (const i of this.cells) {
      const s = at[i]!;
      const e = at[i + 1]! - 1;
      h = Math.imul(h ^ (e - s), 16777619);
      // the last four bytes in one read (ids differ at their ends); a shorter cell byte by byte
      if (e - s >= 4) h = Math.imul(h ^ piece.v.getInt32(e - 4, true), 16777619);
      else for (let q = s; q < e; q++) h = Math.imul(h ^ b[q]!, 16777619);
    }
    this.h = h;
    const first = this.first(h);
    const a = this.values[first];
    if (a !== undefined && this.bytes.same(first, piece, at)) return a;
    const second = this.second(h);
    const c = this.values[second];
    if (c !== undefined && second !== first && this.bytes.same(second, piece, at)) return c;
    return undefined;
  }

  /** `v` kept for the line just looked up (`find`), unless its cells take too many bytes. */
  put(piece: Bytes, at: Int32Array, v: T): void {
    if (this.bytes.total(at) > this.bytes.max) return;
    const first = this.first(this.h);
    if (this.values[first] !== undefined) {
      const theirs = this.second(this.hashes[first]!);
      if (theirs !== first) {
        this.bytes.move(first, theirs);
        this.values[theirs] = this.values[first];
        this.hashes[theirs] = this.hashes[first]!;
      }
    }
    this.bytes.keep(first, piece, at);
    this.values[first] = v;
    this.hashes[first] = this.h;
  }

  private first(h: number): number {
    return (h ^ (h >>> 15)) & this.mask;
  }

  private second(h: number): number {
    return (h >>> 17) & this.mask;
  }
}
