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
  s.keys.copyWithin(i + 1, i, s.n);
  s.vals.copyWithin(i + 1, i, s.n);
  s.keys[i] = key;
  s.vals[i] = h;
  s.n++;
}

/** To a slot per bucket of the span; what lies off the grid stays in the Map. */
function densify(s: Seen): void {
  const entries = [...seenEntries(s)];
  s.dense = new Int32Array(s.slots);
  s.map = null;
  s.keys = s.vals = new Int32Array(0);
  s.n = 0;
  for (const [key, h] of entries) {
    const i = slotOf(s, key);
    if (i >= 0) s.dense[i] = h;
    else (s.map ??= new Map()).set(key, h);
  }
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

export function overlaps(a: Seen, b: Seen): boolean {
  for (const [key] of seenEntries(b)) if (seenHas(a, key)) return true;
  return false;
}

export function takeSeen(into: Seen, from: Seen): void {
  for (const [key, h] of seenEntries(from)) seenCheck(into, key, h);
}
