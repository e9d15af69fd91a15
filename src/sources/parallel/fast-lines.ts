/**
 * Reading a byte range of a usage export as scanRange does (the same CHUNK_BYTES-aligned
 * pieces, so batches close where they do today), with plain lines read straight from their
 * bytes (plain-line.ts). Every other line goes the text way, unchanged: a line without a quote
 * is decoded and split on its own (exactly what the splitter does with quote-free text); from a
 * line with a quote on — or a line too long to be sure of, or the start of the file with its
 * byte-order mark — the rest is pushed through a RowSplitter of its own, until a piece ends
 * where the splitter holds no unfinished row but the last line.
 * Off with SPENDRECON_FAST_LINES=0 (everything through scanRange).
 *
 * A range cut from a file for a thread, after its start (`cut`), is read only while cutting
 * there is safe, as range-scan.ts `plainRangeLines` decides, in the same pass: the scan stops at
 * the first piece that holds a quote or a line longer than PLAIN_LINE_MAX (stricter than that
 * check's 1 MiB, which changes only who reads the range, never what is read). So every line of
 * it goes the plain way, whose line ends it counts.
 */
import { isAscii } from 'node:buffer';
import { closeSync, openSync } from 'node:fs';
import type { UsageRecord } from '../../model.js';
import { CHUNK_BYTES, type CsvRow, Utf8Decoder } from '../csv.js';
import { RowSplitter } from '../csv-rows.js';
import { PLAIN_LINE_MAX, type PlainLines } from './plain-line.js';
import { type RangeChunk, type RangeSpec, readInto } from './range-scan.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Whether the byte-level path is on (SPENDRECON_FAST_LINES=0 turns it off, for tests and comparisons). */
export function fastLinesOn(): boolean {
  return process.env.SPENDRECON_FAST_LINES !== '0';
}

/** Lines this thread read from their bytes and as text, for tests and the bench. */
export const fastLineCounts = { plain: 0, text: 0 };

/** Where each line goes, in line order. */
export interface LineSink {
  record(r: UsageRecord): void;
  row(r: CsvRow): void;
}

/** For a range cut from a file: whether cutting there turned out unsafe (the scan stopped), and its line ends. */
export interface CutCheck {
  unsafe: boolean;
  lines: number;
}

/** The text way from a line start on: a splitter and decoder of its own, and the line ends pushed to it. */
interface TextWay {
  splitter: RowSplitter;
  decoder: Utf8Decoder;
  firstLine: number;
  lineEnds: number;
  /** Index in the piece's buffer of the last line end pushed, -1 when none was in this piece. */
  lastEnd: number;
}

export class FastRangeScan {
  private line: number;
  private way: TextWay | null = null;
  /** The piece being read is all ASCII: no line of it needs checking. */
  private ascii = false;

  constructor(
    private readonly spec: RangeSpec,
    private readonly plain: PlainLines,
    private readonly sink: LineSink,
    private readonly cut?: CutCheck,
  ) {
    this.line = spec.firstLine;
  }

  /** A range cut from a file meets what makes cutting unsafe: the scan stops (cut ranges never go the text way). */
  private unsafe(): boolean {
    if (this.cut) this.cut.unsafe = true;
    return !!this.cut;
  }

  /** Chunk by chunk as scanRange (`rows` is empty: lines went to the sink); the range that ends the file also gives its last line. */
  *chunks(): Generator<Omit<RangeChunk, 'rows'>> {
    const { spec } = this;
    const fd = openSync(spec.path, 'r');
    // the unfinished line carried over sits before the piece (at most PLAIN_LINE_MAX: longer goes the text way)
    const buf = Buffer.allocUnsafe(CHUNK_BYTES + PLAIN_LINE_MAX + 1);
    let carry = 0;
    try {
      for (let a = spec.start; a < spec.end; ) {
        if (this.way?.splitter.stopped) break;
        const b = Math.min(spec.end, (Math.floor(a / CHUNK_BYTES) + 1) * CHUNK_BYTES);
        readInto(fd, buf, carry, a, b);
        const n = carry + b - a;
        // the carried bytes were looked at with their piece
        if (this.cut && buf.subarray(0, n).indexOf(QUOTE, carry) >= 0 && this.unsafe()) break;
        // the start of the file (its byte-order mark, its header) goes the text way, as scanRange reads it
        if (a === 0) this.toText(buf, 0, n, true);
        else if (this.way) this.pushText(buf, 0, n);
        else this.lines(buf, n);
        carry = this.way ? this.leaveText(n) : n - (buf.lastIndexOf(LF, n - 1) + 1);
        if (this.cut?.unsafe) break;
        if (!this.way && carry > PLAIN_LINE_MAX) {
          if (this.unsafe()) break;
          this.toText(buf, n - carry, n, false);
          carry = 0;
        }
        if (carry > 0) buf.copy(buf, 0, n - carry, n);
        yield { closes: b % CHUNK_BYTES === 0 || b === spec.size, bytes: b - a };
        a = b;
      }
      if (spec.end === spec.size && !this.way?.splitter.stopped && !this.cut?.unsafe) {
        this.finish(buf, carry);
        yield { closes: true, bytes: 0 };
      }
    } finally {
      closeSync(fd);
    }
  }

  /** The complete lines of buf[0, n), each plain one read here; from the first with a quote on, the text way. */
  private lines(buf: Buffer, n: number): void {
    const piece = buf.subarray(0, n);
    const quote = piece.indexOf(QUOTE);
    this.ascii = isAscii(piece);
    const upTo = quote >= 0 && quote < n ? quote : n;
    let p = 0;
    const cut = this.cut;
    for (let nl = buf.indexOf(LF, p); nl >= 0 && nl < upTo; nl = buf.indexOf(LF, p)) {
      if (nl - p > PLAIN_LINE_MAX) {
        if (this.unsafe()) return;
        break;
      }
      if (cut) cut.lines++;
      this.one(buf, p, nl);
      p = nl + 1;
    }
    // the line holding the quote (or an overlong one) and all after it
    const next = buf.indexOf(LF, p);
    if (next >= 0 && next < n) this.toText(buf, p, n, false);
  }

  /** Line [p, nl): the record when plain, else its text split as the splitter splits quote-free text. */
  private one(buf: Buffer, p: number, nl: number): void {
    const stop = nl > p && buf[nl - 1] === CR ? nl - 1 : nl;
    const line = this.line++;
    if (stop === p) return;
    const r = this.plain.record(buf, p, stop, line, this.ascii);
    if (r) {
      fastLineCounts.plain++;
      this.sink.record(r);
    } else {
      fastLineCounts.text++;
      this.sink.row({
        line,
        fields: buf
          .toString('utf8', p, nl + 1)
          .slice(0, stop - nl - 1)
          .split(this.spec.delimiter),
      });
    }
  }

  /** From a line start at p on, the text way; `fileStart`: p is the file's first byte. */
  private toText(buf: Buffer, p: number, n: number, fileStart: boolean): void {
    const { spec } = this;
    const splitter = new RowSplitter({ delimiter: spec.delimiter, crLineEnds: false, width: spec.width, need: spec.need, firstLine: this.line });
    this.way = { splitter, decoder: new Utf8Decoder(), firstLine: this.line, lineEnds: 0, lastEnd: -1 };
    // at the start of the file as scanRange: the mark's bytes skipped, and a U+FEFF left at the start of the text
    const from = fileStart ? p + spec.bomBytes : p;
    let text = this.way.decoder.decode(buf.subarray(from, n), { stream: true });
    if (fileStart && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.count(buf, from, n);
    this.emit(splitter.push(text));
  }

  private pushText(buf: Buffer, p: number, n: number): void {
    this.count(buf, p, n);
    this.emit(this.way!.splitter.push(this.way!.decoder.decode(buf.subarray(p, n), { stream: true })));
  }

  /** Line ends in buf[p, n), pushed to the text way. */
  private count(buf: Buffer, p: number, n: number): void {
    const way = this.way!;
    way.lastEnd = -1;
    for (let i = buf.indexOf(LF, p); i >= 0 && i < n; i = buf.indexOf(LF, i + 1)) {
      way.lineEnds++;
      way.lastEnd = i;
    }
  }

  /**
   * Back to reading lines when the splitter holds nothing but the piece's last, unfinished line
   * (its next line is the one after the last line end pushed, in this piece): that line's bytes
   * carry over, and are read again from their start. Returns the bytes carried (0 staying).
   */
  private leaveText(n: number): number {
    const way = this.way!;
    const after = way.firstLine + way.lineEnds;
    if (way.splitter.stopped || way.lastEnd < 0 || way.splitter.nextLine !== after || n - way.lastEnd - 1 > PLAIN_LINE_MAX) return 0;
    this.way = null;
    this.line = after;
    return n - way.lastEnd - 1;
  }

  /** The range ends the file: its last line, with no line end after it. */
  private finish(buf: Buffer, carry: number): void {
    if (this.way) {
      const rest = this.way.decoder.decode();
      this.emit(rest ? [...this.way.splitter.push(rest), ...this.way.splitter.end()] : this.way.splitter.end());
    } else if (carry > 0) {
      // the splitter reads a last line as if a line end followed it
      buf[carry] = LF;
      this.ascii = false;
      this.one(buf, 0, carry);
    }
  }

  private emit(rows: CsvRow[]): void {
    fastLineCounts.text += rows.length;
    for (const r of rows) this.sink.row(r);
  }
}
