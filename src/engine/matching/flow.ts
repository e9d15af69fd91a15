/**
 * Exact minimum-cost transportation between runs of interchangeable rows and columns
 * (runs.ts), with an "unmatched" option on both sides: successive shortest paths with
 * Dijkstra and potentials on the sparse run graph. Costs are lexicographic pairs
 * (primary, secondary): the primary is the quantised pair cost minus 2 × unmatched (so a
 * pair is taken only when it beats leaving both alone), the secondary only breaks ties
 * among assignments of equal primary total.
 *
 * Successive shortest paths on a graph whose only negative edges leave the source layer
 * gives, for every flow value, a minimum-cost flow, and the cost is convex in the flow, so
 * stopping at the first path of non-negative cost is optimal over all flow values. That
 * holds for any totally ordered group of costs, so for lexicographic pairs too.
 */

export interface RunEdge {
  row: number;
  col: number;
  /** Quantised cost − 2 × quantised unmatched cost (≤ 0). */
  primary: number;
  secondary: number;
}

/** Flow per edge (same order as `edges`). */
export function transport(rowSupply: readonly number[], colCapacity: readonly number[], edges: readonly RunEdge[]): number[] {
  const R = rowSupply.length;
  const C = colCapacity.length;
  const g = new Residual(R + C + 2, 2 * (R + C + edges.length));
  const S = 0;
  const T = R + C + 1;
  for (let r = 0; r < R; r++) g.add(S, 1 + r, rowSupply[r]!, 0, 0);
  for (let c = 0; c < C; c++) g.add(1 + R + c, T, colCapacity[c]!, 0, 0);
  const first = g.count;
  for (const e of edges) g.add(1 + e.row, 1 + R + e.col, Math.min(rowSupply[e.row]!, colCapacity[e.col]!), e.primary, e.secondary);
  g.initialPotentials(S, R, C, first);
  while (g.augment(S, T));
  return edges.map((_, i) => g.cap[first + 2 * i + 1]!);
}

/** Residual graph with lexicographic (a, b) costs and potentials (ha, hb). */
class Residual {
  readonly to: Int32Array;
  readonly cap: Float64Array;
  readonly ca: Float64Array;
  readonly cb: Float64Array;
  readonly next: Int32Array;
  readonly head: Int32Array;
  readonly ha: Float64Array;
  readonly hb: Float64Array;
  count = 0;

  constructor(
    readonly n: number,
    edgeCapacity: number,
  ) {
    this.to = new Int32Array(edgeCapacity);
    this.cap = new Float64Array(edgeCapacity);
    this.ca = new Float64Array(edgeCapacity);
    this.cb = new Float64Array(edgeCapacity);
    this.next = new Int32Array(edgeCapacity);
    this.head = new Int32Array(n).fill(-1);
    this.ha = new Float64Array(n);
    this.hb = new Float64Array(n);
  }

  add(u: number, v: number, cap: number, a: number, b: number): void {
    for (const [x, y, c, s] of [
      [u, v, cap, 1],
      [v, u, 0, -1],
    ] as const) {
      const i = this.count++;
      this.to[i] = y;
      this.cap[i] = c;
      this.ca[i] = s * a;
      this.cb[i] = s * b;
      this.next[i] = this.head[x]!;
      this.head[x] = i;
    }
  }

  /** Shortest distances of the acyclic start (source → rows → columns → sink) make every reduced cost non-negative. */
  initialPotentials(S: number, R: number, C: number, firstPairEdge: number): void {
    const T = R + C + 1;
    for (let c = 0; c < C; c++) {
      this.ha[1 + R + c] = Infinity;
      this.hb[1 + R + c] = Infinity;
    }
    for (let i = firstPairEdge; i < this.count; i += 2) {
      const v = this.to[i]!;
      if (less(this.ca[i]!, this.cb[i]!, this.ha[v]!, this.hb[v]!)) {
        this.ha[v] = this.ca[i]!;
        this.hb[v] = this.cb[i]!;
      }
    }
    let ta = 0;
    let tb = 0;
    for (let c = 0; c < C; c++) {
      const v = 1 + R + c;
      if (this.ha[v] === Infinity) this.ha[v] = this.hb[v] = 0; // no edge: never reached
      if (less(this.ha[v]!, this.hb[v]!, ta, tb)) [ta, tb] = [this.ha[v]!, this.hb[v]!];
    }
    this.ha[T] = ta;
    this.hb[T] = tb;
    this.ha[S] = this.hb[S] = 0;
  }

  /** One shortest augmenting path; false when none exists or it would not lower the cost. */
  augment(S: number, T: number): boolean {
    const { n } = this;
    const da = new Float64Array(n).fill(Infinity);
    const db = new Float64Array(n).fill(Infinity);
    const via = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    const heap = new LexHeap();
    da[S] = db[S] = 0;
    heap.push(0, 0, S);
    for (let top = heap.pop(); top; top = heap.pop()) {
      const [a, b, u] = top;
      if (done[u] || a !== da[u] || b !== db[u]) continue;
      done[u] = 1;
      if (u === T) break;
      for (let i = this.head[u]!; i !== -1; i = this.next[i]!) {
        if (this.cap[i]! <= 0) continue;
        const v = this.to[i]!;
        const na = a + this.ca[i]! + this.ha[u]! - this.ha[v]!;
        const nb = b + this.cb[i]! + this.hb[u]! - this.hb[v]!;
        if (less(na, nb, da[v]!, db[v]!)) {
          da[v] = na;
          db[v] = nb;
          via[v] = i;
          heap.push(na, nb, v);
        }
      }
    }
    if (!done[T]) return false;
    // true cost of the path = reduced distance + potential difference
    if (!less(da[T]! + this.ha[T]! - this.ha[S]!, db[T]! + this.hb[T]! - this.hb[S]!, 0, 0)) return false;
    // settled nodes move by their distance, the others by the sink's: no reduced cost turns negative
    const [ta, tb] = [da[T]!, db[T]!];
    for (let v = 0; v < n; v++) {
      this.ha[v] = this.ha[v]! + (done[v] ? da[v]! : ta);
      this.hb[v] = this.hb[v]! + (done[v] ? db[v]! : tb);
    }
    let push = Infinity;
    for (let v = T; v !== S; v = this.to[via[v]! ^ 1]!) push = Math.min(push, this.cap[via[v]!]!);
    for (let v = T; v !== S; v = this.to[via[v]! ^ 1]!) {
      this.cap[via[v]!] = this.cap[via[v]!]! - push;
      this.cap[via[v]! ^ 1] = this.cap[via[v]! ^ 1]! + push;
    }
    return true;
  }
}

function less(a1: number, b1: number, a2: number, b2: number): boolean {
  return a1 < a2 || (a1 === a2 && b1 < b2);
}

/** Binary min-heap of (a, b, node) in lexicographic order. */
class LexHeap {
  private a: number[] = [];
  private b: number[] = [];
  private v: number[] = [];

  push(a: number, b: number, v: number): void {
    this.a.push(a);
    this.b.push(b);
    this.v.push(v);
    let i = this.a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(this.a[i]!, this.b[i]!, this.a[p]!, this.b[p]!)) break;
      this.swap(i, p);
      i = p;
    }
  }

  pop(): [number, number, number] | null {
    const n = this.a.length;
    if (!n) return null;
    const out: [number, number, number] = [this.a[0]!, this.b[0]!, this.v[0]!];
    this.swap(0, n - 1);
    this.a.pop();
    this.b.pop();
    this.v.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n - 1 && less(this.a[l]!, this.b[l]!, this.a[m]!, this.b[m]!)) m = l;
      if (r < n - 1 && less(this.a[r]!, this.b[r]!, this.a[m]!, this.b[m]!)) m = r;
      if (m === i) return out;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(i: number, j: number): void {
    [this.a[i], this.a[j]] = [this.a[j]!, this.a[i]!];
    [this.b[i], this.b[j]] = [this.b[j]!, this.b[i]!];
    [this.v[i], this.v[j]] = [this.v[j]!, this.v[i]!];
  }
}
