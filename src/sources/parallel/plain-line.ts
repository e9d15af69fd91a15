/**
 * A usage row read straight from its bytes, for lines that are plain: ASCII, no quote, exactly
 * the header's width, counts as digits with an optional `.0`, buckets and ISO cells that check
 * out. It gives the very record readRow (openai-usage.ts) gives for that line; any line it is
 * not sure of gets null and goes through readRow as text. No text is made per row: dimension
 * cells come from a cache keyed by their bytes, so equal cells give the same string.
 */
import { isAscii } from 'node:buffer';
import type { DimsMemo, UsageRecord } from '../../model.js';
import { bucketProblem, isoDisagrees, OPENAI, parseBool, USAGE_BUCKET_WIDTHS } from '../openai-fields.js';
import type { UsageRowReader } from '../openai-usage.js';
import { Bytes, CellBytes, CellCache } from './cell-bytes.js';

type Columns = UsageRowReader['col'];

const DOT = 46;
const ZERO = 48;
/** Lines longer than this are left to the text path, which bounds line length (1 MiB) itself. */
export const PLAIN_LINE_MAX = 64 * 1024;
/** Slots of the cell cache (a power of two): a cell whose slot holds another text is decoded anew, and takes the slot. */
const CACHE_SLOTS = 4096;
/** Slots of the dimension cache (a power of two), and the bytes of a line's dimension cells it keeps, at most (more: not kept). */
const DIM_SLOTS = 8192;
const DIM_BYTES = 192;

/** A line's dimension values (see PlainLines.dims). */
interface LineDims {
  projectId: string | null;
  userId: string | null;
  apiKeyId: string | null;
  model: string | null;
  serviceTier: string | null;
  batch: boolean | null;
  memo: DimsMemo;
}

/** The time cells' bytes kept from the last line whose times checked out, at most. */
const TIME_BYTES = 256;
/** The batch spellings read here, with parseBool's answers; others (` true`, `yes`) go to readRow. */
const BOOLS = new Map(['True', 'TRUE', 'true', '1', 'False', 'FALSE', 'false', '0'].map((t) => [t, parseBool(t)!]));

/** Digits with an optional `.0` (parseCount's fast path), at most 15 of them; -1 otherwise. */
function digitsAt(b: Uint8Array, s: number, e: number): number {
  if (e - s > 2 && b[e - 2] === DOT && b[e - 1] === ZERO) e -= 2;
  if (e === s || e - s > 15) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = b[i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export class PlainLines {
  /** Cell i is [at[i], at[i + 1] - 1): each entry is one past the delimiter before the cell. */
  private readonly at: Int32Array;
  private readonly cells: (string | undefined)[] = new Array(CACHE_SLOTS).fill(undefined);
  private readonly delimiter: number;
  /**
   * The start, end and ISO cells of the last line whose times checked out, and what they gave:
   * rows of a bucket share them, so a line whose time cells are the same bytes skips the checks.
   */
  private readonly times: { bytes: CellBytes; valid: boolean; start: number; end: number };
  /** Each distinct set of dimension cells (project, user, key, model, tier, batch), its values. */
  private readonly dimSets: CellCache<LineDims>;
  /** The piece being read, viewed for four-byte reads. */
  private piece = new Bytes(0);

  constructor(
    private readonly col: Columns,
    delimiter: string,
    private readonly file: string,
  ) {
    this.at = new Int32Array(col.width + 1);
    this.delimiter = delimiter.length === 1 && delimiter.charCodeAt(0) < 128 ? delimiter.charCodeAt(0) : -1;
    const cells = [col.start, col.end, col.startIso, col.endIso].filter((i) => i >= 0);
    this.times = { bytes: new CellBytes(cells, 1, TIME_BYTES), valid: false, start: 0, end: 0 };
    this.dimSets = new CellCache<LineDims>(
      [col.project, col.user, col.key, col.model, col.tier, col.batch].filter((i) => i >= 0),
      DIM_SLOTS,
      DIM_BYTES,
    );
  }

  /** Whether lines can be read here at all (a one-byte ASCII delimiter). */
  get usable(): boolean {
    return this.delimiter >= 0;
  }

  /** The record of line [p, stop) (line end and any `\r` before it excluded), or null when the line is not plain. */
  record(b: Buffer, p: number, stop: number, line: number, ascii: boolean): UsageRecord | null {
    if (b !== this.piece.b) this.piece = new Bytes(b);
    if (!this.split(b, p, stop, ascii)) return null;
    const c = this.col;
    const t = this.times;
    if (!this.sameTimes()) {
      t.valid = false;
      const start = this.num(b, c.start);
      const end = this.num(b, c.end);
      if (start < 0 || end < 0 || bucketProblem(start, end, USAGE_BUCKET_WIDTHS) !== null || !this.isoAgrees(b, start, end)) return null;
      this.keepTimes(start, end);
    }
    const { start, end } = t;
    if (this.allEmpty(c.payload) || !this.empty(c.size) || !this.empty(c.source)) return null;
    for (const [, i] of c.other) if (!this.empty(i)) return null;
    const requests = this.count(b, c.requests);
    const inputTokens = this.count(b, c.input);
    const outputTokens = this.count(b, c.output);
    const cachedTokens = this.count(b, c.cached);
    const cacheWriteTokens = this.count(b, c.cacheWrite);
    if (requests < 0 || inputTokens < 0 || outputTokens < 0 || cachedTokens < 0 || cacheWriteTokens < 0) return null;
    if (cachedTokens + cacheWriteTokens > inputTokens) return null;
    const d = this.dims(b);
    if (!d) return null;
    return {
      src: { file: this.file, line },
      provider: OPENAI,
      start,
      end,
      projectId: d.projectId,
      userId: d.userId,
      apiKeyId: d.apiKeyId,
      model: d.model,
      batch: d.batch,
      serviceTier: d.serviceTier,
      requests,
      inputTokens,
      outputTokens,
      cachedTokens,
      cacheWriteTokens,
      other: null,
      variant: null,
      dimsMemo: d.memo,
    };
  }

  /**
   * The line's dimension cells as values, one object per distinct bytes of them: a line whose
   * dimension cells are the bytes of a line met before gets that line's object (found by their
   * lengths and last bytes, then compared whole), so its texts are not looked up one by one and
   * its group's key is worked out once (`memo`). Null when the batch cell is not a spelling read here.
   */
  private dims(b: Buffer): LineDims | null {
    const hit = this.dimSets.find(this.piece, this.at);
    if (hit) return hit;
    const c = this.col;
    let batch: boolean | null = null;
    if (c.batch >= 0 && !this.empty(c.batch)) {
      const v = BOOLS.get(this.text(b, c.batch)!);
      if (v === undefined) return null;
      batch = v;
    }
    const d: LineDims = {
      projectId: this.text(b, c.project),
      userId: this.text(b, c.user),
      apiKeyId: this.text(b, c.key),
      model: this.text(b, c.model),
      serviceTier: this.text(b, c.tier),
      batch,
      memo: { owner: null, id: -1 },
    };
    this.dimSets.put(this.piece, this.at, d);
    return d;
  }

  /**
   * Finds the cells: exactly the header's width, and ASCII, where a cell's bytes read as
   * Latin-1 are its UTF-8 text (`ascii`: the caller knows the whole piece is).
   */
  private split(b: Buffer, p: number, stop: number, ascii: boolean): boolean {
    if (!ascii && !isAscii(b.subarray(p, stop))) return false;
    const d = this.delimiter;
    const at = this.at;
    const last = at.length - 1;
    let n = 1;
    at[0] = p;
    // four bytes at a time: the high bit of each byte of `m` that is the delimiter (exact, no false hits)
    const v = this.piece.v;
    const dd = d * 0x01010101;
    let i = p;
    for (; i + 4 <= stop; i += 4) {
      const x = v.getInt32(i, true) ^ dd;
      for (let m = ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f); m !== 0; m &= m - 1) {
        if (n === last) return false;
        at[n++] = i + ((31 - Math.clz32(m & -m)) >> 3) + 1;
      }
    }
    for (; i < stop; i++) {
      if (b[i] !== d) continue;
      if (n === last) return false;
      at[n++] = i + 1;
    }
    at[n] = stop + 1;
    return n === last;
  }

  private empty(i: number): boolean {
    return i < 0 || this.at[i + 1]! - 1 === this.at[i]!;
  }

  private allEmpty(cells: readonly number[]): boolean {
    for (const i of cells) if (!this.empty(i)) return false;
    return true;
  }

  private num(b: Uint8Array, i: number): number {
    return digitsAt(b, this.at[i]!, this.at[i + 1]! - 1);
  }

  /** A count cell as readRow's `count`: 0 when absent or empty. */
  private count(b: Uint8Array, i: number): number {
    return this.empty(i) ? 0 : this.num(b, i);
  }

  /** A cell's text, null when empty or absent (as readRow's `opt`); equal cells give the same string. */
  private text(b: Buffer, i: number): string | null {
    if (this.empty(i)) return null;
    const s = this.at[i]!;
    const e = this.at[i + 1]! - 1;
    // the slot from the length and up to 4 bytes at the end (ids share their prefix and differ there); sameAscii makes it exact
    let h = Math.imul(0x811c9dc5 ^ (e - s), 16777619);
    for (let k = Math.max(s, e - 4); k < e; k++) h = Math.imul(h ^ b[k]!, 16777619);
    const slot = (h ^ (h >>> 13)) & (CACHE_SLOTS - 1);
    const hit = this.cells[slot];
    if (hit !== undefined && sameAscii(hit, b, s, e)) return hit;
    // ASCII: latin1 is the same text, and a flat string of its own
    const t = b.toString('latin1', s, e);
    this.cells[slot] = t;
    return t;
  }

  /**
   * The ISO cells agree with start/end as IsoAgreement decides (empty, or naming the same
   * instants). Met once per bucket: the lines after it with the same time cells skip it (`times`).
   */
  private isoAgrees(b: Buffer, start: number, end: number): boolean {
    const c = this.col;
    // not through the cell cache: a new text per bucket would only crowd it
    const s = c.startIso < 0 ? '' : b.toString('latin1', this.at[c.startIso]!, this.at[c.startIso + 1]! - 1);
    const e = c.endIso < 0 ? '' : b.toString('latin1', this.at[c.endIso]!, this.at[c.endIso + 1]! - 1);
    return !isoDisagrees('start_time_iso', s, start) && !isoDisagrees('end_time_iso', e, end);
  }

  /** The line's time cells are the very bytes of the last line whose times checked out. */
  private sameTimes(): boolean {
    return this.times.valid && this.times.bytes.same(0, this.piece, this.at);
  }

  /** The line's time cells checked out as `start`–`end`: kept for the lines after it. */
  private keepTimes(start: number, end: number): void {
    const t = this.times;
    t.valid = t.bytes.keep(0, this.piece, this.at);
    t.start = start;
    t.end = end;
  }
}

function sameAscii(t: string, b: Uint8Array, s: number, e: number): boolean {
  if (t.length !== e - s) return false;
  for (let k = 0; k < t.length; k++) if (t.charCodeAt(k) !== b[s + k]) return false;
  return true;
}
