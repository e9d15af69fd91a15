/**
 * Minimum-cost one-to-one assignment where every row and every column may also stay
 * unmatched at a fixed cost (SPEC §4.3: "each row also has an unmatched option"), so a
 * weak pair is left unmatched rather than forced. Solved with the Hungarian algorithm
 * per connected component of the candidate graph, so the matrices stay small.
 *
 * Determinism: rows and columns are expected in their tie-break order (date, file, line).
 * Costs are quantised to 1e-4 and, among assignments of equal cost, the one that keeps
 * rows and columns in the same order (earliest row with earliest column, earliest rows
 * matched first) wins, through a secondary integer term much smaller than one cost step.
 */

export interface CandidateEdge {
  row: number;
  col: number;
  /** Finite, non-negative cost of pairing row and col. */
  cost: number;
}

export interface AssignedPair {
  row: number;
  col: number;
  cost: number;
}

const COST_STEPS = 1e4;
const SAFE = 2 ** 52;

/**
 * Pairs that minimise Σ pair costs + unmatchedCost × (rows left + columns left).
 * A pair is only chosen when its cost is below 2 × unmatchedCost.
 */
export function solveAssignment(rowCount: number, colCount: number, edges: readonly CandidateEdge[], unmatchedCost: number): AssignedPair[] {
  for (const e of edges) {
    if (!(e.cost >= 0) || !Number.isFinite(e.cost)) throw new RangeError(`assignment: bad cost ${e.cost}`);
    if (e.row < 0 || e.row >= rowCount || e.col < 0 || e.col >= colCount) throw new RangeError('assignment: edge out of range');
  }
  // connected components over rows (0..R-1) and columns (R..R+C-1)
  const parent = Array.from({ length: rowCount + colCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (const e of edges) {
    const a = find(e.row);
    const b = find(rowCount + e.col);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const groups = new Map<number, { rows: number[]; cols: number[]; edges: CandidateEdge[] }>();
  for (const e of edges) {
    const g = find(e.row);
    let grp = groups.get(g);
    if (!grp) {
      grp = { rows: [], cols: [], edges: [] };
      groups.set(g, grp);
    }
    grp.edges.push(e);
  }
  for (let r = 0; r < rowCount; r++) groups.get(find(r))?.rows.push(r);
  for (let c = 0; c < colCount; c++) groups.get(find(rowCount + c))?.cols.push(c);
  const out: AssignedPair[] = [];
  for (const root of [...groups.keys()].sort((a, b) => a - b)) out.push(...solveComponent(groups.get(root)!, unmatchedCost));
  return out.sort((a, b) => a.row - b.row);
}

/**
 * Whether solveComponent keeps its order tie-break for an n × m component whose largest
 * quantised cost is maxQ (above that its integers would lose precision, and ties fall anyhow).
 */
export function orderTieBreakFits(n: number, m: number, maxQ: number): boolean {
  const big = Math.min(n, m) * n * m + n * n + m * m + 1;
  return Math.min(n, m) * (2 * maxQ + 1) * big <= SAFE;
}

/** Quantised cost: the integer steps every solver compares. */
export const quantise = (c: number): number => Math.round(c * COST_STEPS);

/** One connected component, dense Hungarian; `rows` and `cols` ascending. */
export function solveComponent(g: { rows: number[]; cols: number[]; edges: CandidateEdge[] }, unmatchedCost: number): AssignedPair[] {
  const n = g.rows.length;
  const m = g.cols.length;
  const rowAt = new Map(g.rows.map((r, i) => [r, i]));
  const colAt = new Map(g.cols.map((c, j) => [c, j]));
  const q = (c: number) => Math.round(c * COST_STEPS);
  const qU = q(unmatchedCost);
  let maxQ = 2 * qU;
  for (const e of g.edges) maxQ = Math.max(maxQ, q(e.cost));
  // order terms: pairs far from the diagonal and earlier rows/columns left unmatched cost a
  // little more; their sum over an assignment stays below `big`, i.e. below one cost step
  // huge component: plain cost order (callers with large groups use flow.ts instead)
  const big = orderTieBreakFits(n, m, maxQ) ? Math.min(n, m) * n * m + n * n + m * m + 1 : 1;
  const tie = (i: number, j: number) => (big === 1 ? 0 : Math.abs(i * m - j * n));
  const tieRowLeft = (i: number) => (big === 1 ? 0 : n - i);
  const tieColLeft = (j: number) => (big === 1 ? 0 : m - j);
  // Σ pairs c + U·(rows left + columns left) = Σ pairs (c − 2U) + constant, so each row of
  // the smaller side picks a pair at (c − 2U) or its own "unmatched" column at 0: a
  // rectangular k × (K + k) problem instead of a square (n + m)² one.
  const transpose = n > m;
  const k = transpose ? m : n;
  const K = transpose ? n : m;
  const a: Float64Array[] = Array.from({ length: k }, (_, r) => {
    const row = new Float64Array(K + k).fill(Infinity);
    row[K + r] = 0;
    return row;
  });
  const costOf = new Map<number, number>();
  for (const e of g.edges) {
    const qc = q(e.cost);
    if (qc > 2 * qU) continue; // never better than leaving both unmatched
    const i = rowAt.get(e.row)!;
    const j = colAt.get(e.col)!;
    const v = (qc - 2 * qU) * big + tie(i, j) - tieRowLeft(i) - tieColLeft(j);
    const [r, c] = transpose ? [j, i] : [i, j];
    if (v < a[r]![c]!) {
      a[r]![c] = v;
      costOf.set(i * m + j, e.cost);
    }
  }
  const assign = hungarian(a, K + k);
  const out: AssignedPair[] = [];
  for (let r = 0; r < k; r++) {
    const c = assign[r]!;
    if (c >= K) continue;
    const [i, j] = transpose ? [c, r] : [r, c];
    out.push({ row: g.rows[i]!, col: g.cols[j]!, cost: costOf.get(i * m + j)! });
  }
  return out;
}

/**
 * Hungarian algorithm with potentials on a k × cols matrix (k ≤ cols), O(k²·cols);
 * returns the column of each row. Infinity marks a missing pair.
 */
function hungarian(a: Float64Array[], cols: number): number[] {
  const n = a.length;
  const m = cols;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  const minv = new Float64Array(m + 1);
  const used = new Uint8Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      const row = a[i0 - 1]!;
      const ui0 = u[i0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = row[j - 1]! - ui0 - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      if (j1 === 0) throw new Error('assignment: no feasible assignment (internal error)');
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!] = u[p[j]!]! + delta;
          v[j] = v[j]! - delta;
        } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0);
  }
  const ans = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j]) ans[p[j]! - 1] = j - 1;
  return ans;
}
