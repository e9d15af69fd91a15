/**
 * Reading one byte range of a CSV file that starts at a line start, in chunks aligned to the
 * whole file's CHUNK_BYTES grid: the rows each aligned chunk completes are exactly the rows
 * the single-threaded stream yields for that chunk, so batches (and the order of issues in
 * them) come out the same however the file is cut.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CHUNK_BYTES, Utf8Decoder, type CsvRow } from '../csv.js';
import { RowSplitter } from '../csv-rows.js';

const QUOTE = 34;
const LF = 10;
/** Bytes of a line that could be over the splitter's 1 MiB character bound (characters ≤ bytes). */
const LONG_LINE_BYTES = 1024 * 1024;

export interface RangeSpec {
  path: string;
  start: number;
  end: number;
  /** The file's size: the range that ends there also flushes the last, unterminated line. */
  size: number;
  /** Byte-order mark bytes to skip when the range starts the file. */
  bomBytes: number;
  firstLine: number;
  delimiter: string;
  width: number;
  need: boolean[];
}

export interface RangeChunk {
  rows: CsvRow[];
  /** The chunk ends where a single-threaded batch ends (a CHUNK_BYTES multiple, or the end of the file). */
  closes: boolean;
  bytes: number;
}

/** The aligned pieces of [start, end): up to the next CHUNK_BYTES multiple, then whole chunks. */
function pieces(start: number, end: number): [number, number][] {
  const out: [number, number][] = [];
  let a = start;
  while (a < end) {
    const b = Math.min(end, (Math.floor(a / CHUNK_BYTES) + 1) * CHUNK_BYTES);
    out.push([a, b]);
    a = b;
  }
  return out;
}

/** Reads bytes [a, b) of the file into buf from index `at` on (a short read is retried; a shorter file is an error). */
export function readInto(fd: number, buf: Buffer, at: number, a: number, b: number): void {
  let got = 0;
  while (got < b - a) {
    const n = readSync(fd, buf, at + got, b - a - got, a + got);
    if (n === 0) throw new Error(`the file got shorter while it was read (at byte ${a + got})`);
    got += n;
  }
}

function readPiece(fd: number, buf: Buffer, a: number, b: number): Buffer {
  readInto(fd, buf, 0, a, b);
  return buf.subarray(0, b - a);
}

/**
 * The line ends in the range when cutting the file at line starts there is safe, else null:
 * unsafe when it holds a quote (a quoted field may hold a line end, so a line start would be a
 * guess) or a line near the 1 MiB bound (the splitter stops the file there). Reads the range
 * once; the page cache serves the second read.
 */
export function plainRangeLines(spec: RangeSpec): number | null {
  const fd = openSync(spec.path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  try {
    let lineStart = spec.start;
    let lines = 0;
    for (const [a, b] of pieces(spec.start, spec.end)) {
      const chunk = readPiece(fd, buf, a, b);
      if (chunk.indexOf(QUOTE) >= 0) return null;
      for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) {
        if (a + i - lineStart >= LONG_LINE_BYTES) return null;
        lineStart = a + i + 1;
        lines++;
      }
      if (b - lineStart >= LONG_LINE_BYTES) return null;
    }
    return lines;
  } finally {
    closeSync(fd);
  }
}

/** The rows of the range, chunk by chunk; the range that ends the file also yields its last line. */
export function* scanRange(spec: RangeSpec): Generator<RangeChunk> {
  const fd = openSync(spec.path, 'r');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  const decoder = new Utf8Decoder();
  const splitter = new RowSplitter({ delimiter: spec.delimiter, crLineEnds: false, width: spec.width, need: spec.need, firstLine: spec.firstLine });
  try {
    for (const [a, b] of pieces(spec.start, spec.end)) {
      if (splitter.stopped) break;
      const chunk = readPiece(fd, buf, a, b);
      let text = decoder.decode(a === 0 && spec.bomBytes ? chunk.subarray(spec.bomBytes) : chunk, { stream: true });
      if (a === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      yield { rows: splitter.push(text), closes: b % CHUNK_BYTES === 0 || b === spec.size, bytes: b - a };
    }
    if (spec.end === spec.size && !splitter.stopped) {
      const rest = decoder.decode();
      const rows = rest ? [...splitter.push(rest), ...splitter.end()] : splitter.end();
      yield { rows, closes: true, bytes: 0 };
    }
  } finally {
    closeSync(fd);
  }
}

/** How far back a cut looks for a line end first: lines are a few hundred bytes, LONG_LINE_BYTES is the bound. */
const NEAR_BYTES = 64 * 1024;

/**
 * The start of the line that holds byte `at - 1` (the line start at or before `at`), for cutting
 * the file just before a chunk boundary; null when no line ends in the megabyte before it. It
 * reads the 64 KiB before `at` first, the megabyte only when no line ends there: reading the
 * megabyte for each of a 1M-row file's eight cuts took ~35 ms before the worker could start.
 */
export function lastLineStartBefore(path: string, at: number): number | null {
  const fd = openSync(path, 'r');
  try {
    for (const back of [NEAR_BYTES, LONG_LINE_BYTES]) {
      const from = Math.max(0, at - back);
      const buf = Buffer.allocUnsafe(at - from);
      const n = readSync(fd, buf, 0, buf.length, from);
      const i = buf.subarray(0, n).lastIndexOf(LF);
      if (i >= 0) return from + i + 1;
      if (from === 0) return null;
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
