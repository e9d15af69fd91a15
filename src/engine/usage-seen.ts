/**
 * Which buckets of a group have been seen, and a hash of the first row's values for each:
 * a row's identity is its bucket and its dimensions (SPEC §3), and the group already holds
 * the dimensions, so the buckets' start offsets in the group's span are all repeats need.
 * Few rows (a day-group of minute buckets often holds a few dozen): sorted (offset, hash)
 * pairs, appended in the common case of rows in time order. Once the pairs would take more
 * than a slot per bucket of the span, a slot per bucket — so memory stays bounded by the
 * groups, not the rows. Offsets off the bucket grid (hostile input) and rows far out of order
 * go to a Map. Plain data, so a worker can post it.
 */
export interface Seen {
  /** Start offsets in the span, ascending, in [0, n). */
  keys: Int32Array;
  /** Value hash of the first row seen at keys[i] (never 0). */
  vals: Int32Array;
  n: number;
  map: Map<number, number> | null;
  /** A hash per bucket of the span (0 = not seen), once the group is dense. */
  dense: Int32Array | null;
  width: number;
  slots: number;
}

export const newSeen = (width: number, slots: number): Seen => ({ keys: new Int32Array(4), vals: new Int32Array(4), n: 0, map: null, dense: null, width, slots });
/** Out-of-order inserts beyond this many pairs go to a Map instead of shifting the arrays. */
const SORTED_MAX = 64;

/** Where `key` is or would go among the sorted keys. */
function seenIndex(s: Seen, key: number): number {
  let lo = 0;
  let hi = s.n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const slotOf = (s: Seen, key: number) => (key % s.width === 0 && key / s.width < s.slots ? key / s.width : -1);

/** The hash seen at `key`, or 0 — in which case `h` is recorded there. */
export function seenCheck(s: Seen, key: number, h: number): number {
  if (s.dense) {
    const i = slotOf(s, key);
    if (i >= 0) {
      const prev = s.dense[i]!;
      if (prev === 0) s.dense[i] = h;
      return prev;
    }
  }
  if (s.map || s.dense) {
    s.map ??= new Map();
    const prev = s.map.get(key) ?? 0;
    if (prev === 0) {
      s.map.set(key, h);
      if (!s.dense && s.map.size * 2 > s.slots) densify(s);
    }
    return prev;
  }
  const i = s.n === 0 || key > s.keys[s.n - 1]! ? s.n : seenIndex(s, key);
  if (i < s.n && s.keys[i] === key) return s.vals[i]!;
  if (i < s.n && s.n >= SORTED_MAX) {
    s.map = new Map(seenEntries(s));
    s.map.set(key, h);
    s.keys = s.vals = new Int32Array(0);
    s.n = 0;
    return 0;
  }
  // pairs that would outgrow a slot per bucket (8 bytes a pair, 4 a slot): a slot per bucket instead
  if (s.n === s.keys.length && s.n * 4 > s.slots) {
    densify(s);
    return seenCheck(s, key, h);
  }
  insertPair(s, i, key, h);
  if (s.n * 2 > s.slots) densify(s);
  return 0;
}

function insertPair(s: Seen, i: number, key: number, h: number): void {
  if (s.n === s.keys.length) {
    const keys = new Int32Array(s.n * 2);
    const vals = new Int32Array(s.n * 2);
    keys.set(s.keys);
    vals.set(s.vals);
    s.keys = keys;
    s.vals = vals;
  }
  // rows in time order append: nothing to shift
  if (i < s.n) {
    s.keys.copyWithin(i + 1, i, s.n);
    s.vals.copyWithin(i + 1, i, s.n);
  }
  s.keys[i] = key;
  s.vals[i] = h;
  s.n++;
}

/** To a slot per bucket of the span; what lies off the grid stays in the Map. */
function densify(s: Seen): void {
  if (s.dense) return;
  const { keys, vals, n, map } = s;
  const dense = new Int32Array(s.slots);
  let off: Map<number, number> | null = null;
  const put = (key: number, h: number) => {
    const i = slotOf(s, key);
    if (i >= 0) dense[i] = h;
    else (off ??= new Map()).set(key, h);
  };
  if (map) for (const [key, h] of map) put(key, h);
  for (let i = 0; i < n; i++) put(keys[i]!, vals[i]!);
  s.dense = dense;
  s.map = off;
  s.keys = s.vals = new Int32Array(0);
  s.n = 0;
}

function* seenEntries(s: Seen): Generator<[number, number]> {
  if (s.dense) for (let i = 0; i < s.dense.length; i++) if (s.dense[i] !== 0) yield [i * s.width, s.dense[i]!];
  if (s.map) yield* s.map;
  for (let i = 0; i < s.n; i++) yield [s.keys[i]!, s.vals[i]!];
}

function seenHas(s: Seen, key: number): boolean {
  if (s.dense) {
    const i = slotOf(s, key);
    if (i >= 0) return s.dense[i] !== 0;
  }
  if (s.map) return s.map.has(key);
  const i = seenIndex(s, key);
  return i < s.n && s.keys[i] === key;
}

/** Whether a bucket seen in `b` was seen in `a` too (a repeat across the parts they were read from). */
export function overlaps(a: Seen, b: Seen): boolean {
  if (!a.map && !b.map) {
    // the plain shapes without visiting entry by entry (parts of a time-ordered export meet at one edge)
    if (a.dense && b.dense) {
      for (let i = 0; i < a.dense.length; i++) if (a.dense[i] !== 0 && b.dense[i] !== 0) return true;
      return false;
    }
    if (!a.dense && !b.dense && (a.n === 0 || b.n === 0 || b.keys[0]! > a.keys[a.n - 1]! || a.keys[0]! > b.keys[b.n - 1]!)) return false;
    // one dense, the other pairs (both dense returned above)
    if (!a.dense !== !b.dense) {
      const [dense, pairs] = a.dense ? [a, b] : [b, a];
      for (let i = 0; i < pairs.n; i++) if (seenHas(dense, pairs.keys[i]!)) return true;
      return false;
    }
  }
  for (const [key] of seenEntries(b)) if (seenHas(a, key)) return true;
  return false;
}

/** The buckets of `from` (none of them seen in `into`: see overlaps) added to `into`. */
export function takeSeen(into: Seen, from: Seen): void {
  if (!into.map && !from.map) {
    // a dense part makes the whole dense: taking its slots one by one would first shift pairs
    if (from.dense && !into.dense) densify(into);
    if (into.dense && from.dense && !into.map) {
      for (let i = 0; i < from.dense.length; i++) if (from.dense[i] !== 0) into.dense[i] = from.dense[i]!;
      return;
    }
    // pairs after all of those held: appended as they are
    if (!into.dense && !from.dense && (into.n === 0 || (from.n > 0 && from.keys[0]! > into.keys[into.n - 1]!))) {
      appendPairs(into, from);
      if (into.n * 2 > into.slots) densify(into);
      return;
    }
    if (into.dense && !from.dense) {
      for (let i = 0; i < from.n; i++) seenCheck(into, from.keys[i]!, from.vals[i]!);
      return;
    }
  }
  for (const [key, h] of seenEntries(from)) seenCheck(into, key, h);
}

function appendPairs(into: Seen, from: Seen): void {
  const n = into.n + from.n;
  if (n > into.keys.length) {
    const size = Math.max(n, into.keys.length * 2);
    const keys = new Int32Array(size);
    const vals = new Int32Array(size);
    keys.set(into.keys.subarray(0, into.n));
    vals.set(into.vals.subarray(0, into.n));
    into.keys = keys;
    into.vals = vals;
  }
  into.keys.set(from.keys.subarray(0, from.n), into.n);
  into.vals.set(from.vals.subarray(0, from.n), into.n);
  into.n = n;
}
