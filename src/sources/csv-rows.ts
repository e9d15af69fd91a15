/**
 * Decoded CSV text → rows, chunk by chunk, with physical line numbers. One tokenizer for the
 * head sample and the stream, so both read a file alike. Line ends: `\n`, with a `\r` before
 * it taken as part of the line end (files mixing LF and CRLF read whole); in files whose line
 * end is a bare `\r` (old Mac exports), `\r`, `\r\n` and `\n` all end a line. A `\r` anywhere
 * else, and every other control character, is data.
 *
 * Rows the tokenizer cannot read come out as rows with a `fault`, never silently merged:
 * an unbalanced quote (the line that opens it and every line it swallowed, each on its own so
 * a reader can still read the money on it) and a line too long to be CSV (reading stops).
 */

/**
 * Longest physical line read: 1 MiB of text. The widest real rows (a 26-column usage row, a
 * bank line with a long memo) are under 2 KiB; a line 500 times that is not an export, and a
 * bound keeps time linear and memory flat on a file with no line break at all.
 */
const MAX_LINE_CHARS = 1024 * 1024;

export interface CsvFault {
  /** `quote`: the row that opens an unbalanced quote; `swallowed`: a line inside it; `too-long`: reading stops here. */
  kind: 'quote' | 'swallowed' | 'too-long';
  message: string;
  /** 0-based index of the field where the fault begins, when known. */
  field: number | null;
}

export interface CsvRow {
  /** 1-based physical line where the row starts. */
  line: number;
  fields: string[];
  /** Set when the line could not be read as a CSV row; `fields` is then the line split as well as it goes. */
  fault?: CsvFault;
  /** Columns holding a date typed as such (an Excel date cell, written as ISO text): read as ISO whatever the profile's date format. */
  typedDates?: ReadonlySet<number>;
  /** Columns holding a number typed as such (an Excel number cell, written `-?digits(.digits)?`): read with a point, whatever the profile's decimal mark. */
  typedNumbers?: ReadonlySet<number>;
}

export interface RowSplitterOptions {
  delimiter: string;
  /** The quote character (default `"`); ASN Bank quotes with `'`. Doubled, it stands for itself inside a quoted field. */
  quote?: string;
  /** The file's line end is a bare `\r`. */
  crLineEnds: boolean;
  /** Fields a row has (the header's width): a multi-line quoted row of another width is an unbalanced quote. */
  width?: number | null;
  /**
   * How many cells fewer than `width` a multi-line quoted row may have (default 0): Crédit Agricole
   * leaves out the trailing empty cells of a money-out row. Only a profile that says so sets it.
   */
  maxMissingCells?: number;
  /** On quote-free text only these cells are cut out; the others are '' (rows keep their width). */
  need?: boolean[] | null;
  /** Physical line number of the first line pushed (a part of a file read from a line start). */
  firstLine?: number;
}

const CR = 13;
const LF = 10;

/** Where a quoted field that spans lines began: its field index and line offset from the row start. */
type Spanning = { field: number; quoteLine: number };

type Parsed =
  | { kind: 'row'; fields: string[]; next: number; lines: number; spanning: Spanning | null }
  | { kind: 'more' }
  | { kind: 'bad'; why: string; quoteLine: number; field: number | null; resume: number | null };

export class RowSplitter {
  private buf = '';
  /** Physical line at the start of `buf`. */
  private line: number;
  private readonly quote: string;
  /** Set after a line too long to read: the rest of the file is not parsed. */
  stopped = false;

  constructor(private readonly o: RowSplitterOptions) {
    this.line = o.firstLine ?? 1;
    this.quote = o.quote ?? '"';
  }

  /** The physical line the next text pushed starts on (after `end()`: one past the last line). */
  get nextLine(): number {
    return this.line;
  }

  /** Rows completed by this text; an unfinished row is kept for the next call. */
  push(text: string): CsvRow[] {
    return this.run(this.buf + text, false);
  }

  /** The rows left at the end of the text. */
  end(): CsvRow[] {
    const rows = this.run(this.buf, true);
    this.buf = '';
    return rows;
  }

  private run(input: string, final: boolean): CsvRow[] {
    const rows: CsvRow[] = [];
    if (this.stopped) return rows;
    if (!this.o.crLineEnds && input.indexOf(this.quote) === -1) this.splitQuoteFree(input, final, rows);
    else this.splitGeneral(input, final, rows);
    if (!this.stopped && this.buf.length > MAX_LINE_CHARS) this.overflow(rows);
    return rows;
  }

  /**
   * No quote in sight: every `\n` ends a row and every delimiter ends a field, so a plain split
   * is the whole of CSV here (measured: a third of the parse time saved over a tokenizer).
   */
  private splitQuoteFree(input: string, final: boolean, rows: CsvRow[]): void {
    const text = final && input.length && input.charCodeAt(input.length - 1) !== LF ? `${input}\n` : input;
    const firstEnd = text.indexOf('\n');
    if ((firstEnd < 0 ? text.length : firstEnd) > MAX_LINE_CHARS) {
      this.tooLong(rows);
      return;
    }
    const cut = text.lastIndexOf('\n');
    if (cut >= 0) this.line = splitLines(text, cut, this.o.delimiter, this.line, this.o.need ?? null, rows);
    this.buf = cut < 0 ? text : text.slice(cut + 1);
  }

  private splitGeneral(s: string, final: boolean, rows: CsvRow[]): void {
    const sc = new Scan(s, this.o.crLineEnds, this.quote);
    let p = 0;
    while (p < s.length && !this.stopped) {
      const r = parseRow(sc, p, final, this.o.delimiter);
      if (r.kind === 'more') break;
      if (r.kind === 'bad') {
        p = this.rejectQuoted(s, p, r.resume ?? s.length, r, rows);
        continue;
      }
      if (r.lines === 1 && r.next - p > MAX_LINE_CHARS) {
        this.tooLong(rows);
        return;
      }
      if (r.spanning && this.o.width && !this.widthFits(r.fields.length)) {
        // a quoted field over several lines is real CSV, but not when it leaves the row the wrong width
        const why = `spans lines and leaves the row ${r.fields.length} fields wide where the header has ${this.o.width}${this.shortness()}`;
        const resume = lineStartBefore(s, r.next - 1, this.o.crLineEnds);
        p = this.rejectQuoted(s, p, resume > p ? resume : r.next, { why, ...r.spanning }, rows);
        continue;
      }
      if (!(r.fields.length === 1 && r.fields[0] === '')) rows.push({ line: this.line, fields: r.fields });
      this.line += r.lines;
      p = r.next;
    }
    this.buf = this.stopped ? '' : s.slice(p);
  }

  /** A multi-line row's width is the header's, or short of it by no more than the allowed missing cells. */
  private widthFits(n: number): boolean {
    const width = this.o.width!;
    return n <= width && n >= width - (this.o.maxMissingCells ?? 0);
  }

  private shortness(): string {
    const m = this.o.maxMissingCells ?? 0;
    return m ? ` (or up to ${m} fewer)` : '';
  }

  /**
   * The row from `p` opens a quote that does not close where a field may end. Resynchronising:
   * the row's first line is rejected, and so is every following line up to the one holding the
   * quote that closed it (that quote most likely opens a field of its own line), where reading
   * resumes; with no closing quote, every line to the end of the file. Returns where to go on.
   */
  private rejectQuoted(s: string, p: number, resume: number, r: { why: string; quoteLine: number; field: number | null }, rows: CsvRow[]): number {
    const lines = physicalLines(s, p, resume, this.o.crLineEnds);
    const first = this.line;
    const quoteLine = first + r.quoteLine;
    const swallowed = lines.slice(1).filter((l) => l.trim() !== '').length;
    const message =
      `unbalanced quote: the quoted field that begins on line ${quoteLine}${r.field === null ? '' : ` (field ${r.field + 1})`} ${r.why}; ` +
      `the row is left out${swallowed ? `, and so are the ${swallowed} line(s) it swallowed, each reported with its own amount where readable` : ''}; ` +
      (resume < s.length ? `reading resumes at line ${first + lines.length}` : 'nothing after it is read as rows');
    lines.forEach((text, i) => {
      if (i > 0 && text.trim() === '') return;
      const fault: CsvFault =
        i === 0
          ? { kind: 'quote', message, field: r.field }
          : { kind: 'swallowed', message: `inside the unbalanced quote that begins on line ${quoteLine}: not read as a row`, field: null };
      rows.push({ line: first + i, fields: splitAlone(text, this.o.delimiter, this.quote), fault });
    });
    this.line = first + lines.length;
    return resume;
  }

  /** The unfinished text has outgrown the bound: one overlong line, or a quote left open over many. */
  private overflow(rows: CsvRow[]): void {
    const s = this.buf;
    const end = nextLineEnd(s, 0, this.o.crLineEnds);
    if (end < 0 || end > MAX_LINE_CHARS) {
      this.tooLong(rows);
      return;
    }
    const last = lineStartBefore(s, MAX_LINE_CHARS, this.o.crLineEnds);
    const why = `is still open after ${MAX_LINE_CHARS.toLocaleString('en-US')} characters`;
    const rest = this.rejectQuoted(s, 0, last, { why, quoteLine: 0, field: null }, rows);
    this.buf = '';
    rows.push(...this.run(s.slice(rest), false));
  }

  private tooLong(rows: CsvRow[]): void {
    const message = `line ${this.line} is longer than 1 MiB (${MAX_LINE_CHARS.toLocaleString('en-US')} characters): not a CSV export, the rest of the file is not read`;
    rows.push({ line: this.line, fields: [], fault: { kind: 'too-long', message, field: null } });
    this.stopped = true;
    this.buf = '';
  }
}

/** Rows of quote-free `text` whose line ends lie at or before `cut`; returns the next line number. */
function splitLines(text: string, cut: number, delimiter: string, firstLine: number, need: boolean[] | null, rows: CsvRow[]): number {
  let line = firstLine;
  let p = 0;
  while (p <= cut) {
    const nl = text.indexOf('\n', p);
    const stop = nl > p && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
    if (stop > p) rows.push({ line, fields: need ? projectFields(text, p, stop, delimiter, need) : text.slice(p, stop).split(delimiter) });
    line++;
    p = nl + 1;
  }
  return line;
}

/** The cells of text[p, stop) split at the delimiter; only those in `need` are cut out, the rest are ''. */
function projectFields(text: string, p: number, stop: number, delimiter: string, need: boolean[]): string[] {
  const fields: string[] = [];
  let s = p;
  for (let i = 0; ; i++) {
    let e = text.indexOf(delimiter, s);
    if (e < 0 || e > stop) e = -1;
    fields.push(need[i] ? text.slice(s, e < 0 ? stop : e) : '');
    if (e < 0) return fields;
    s = e + delimiter.length;
  }
}

/** Index of the next line end at or after `from` (`\n`, or also `\r` when bare `\r` ends lines), -1 if none. */
function nextLineEnd(s: string, from: number, cr: boolean): number {
  const n = s.indexOf('\n', from);
  if (!cr) return n;
  const r = s.indexOf('\r', from);
  return r < 0 ? n : n < 0 ? r : Math.min(r, n);
}

/** Start of the line holding index `i`. */
function lineStartBefore(s: string, i: number, cr: boolean): number {
  if (i <= 0) return 0;
  const n = s.lastIndexOf('\n', i - 1);
  return (cr ? Math.max(n, s.lastIndexOf('\r', i - 1)) : n) + 1;
}

/** Length of the line end at `i` (0 if none there), or -1 when the text stops before it can be told. */
function lineEndLength(s: string, i: number, cr: boolean, final: boolean): number {
  const c = s.charCodeAt(i);
  if (c === LF) return 1;
  if (c !== CR) return 0;
  if (i + 1 >= s.length) return final ? (cr ? 1 : 0) : -1;
  if (s.charCodeAt(i + 1) === LF) return 2;
  return cr ? 1 : 0;
}

/** Line ends inside text[a, b) (a `\r\n` counts once). */
function countLineEnds(sc: Scan, a: number, b: number): number {
  let n = 0;
  for (let i = sc.next('\n', a); i >= 0 && i < b; i = sc.next('\n', i + 1)) {
    if (!(sc.s.charCodeAt(i) === CR && sc.s.charCodeAt(i + 1) === LF)) n++;
  }
  return n;
}

/**
 * Next-index lookups over one text, cached: a lookup from `from` reuses the last answer while
 * `from` has not passed it, so each character is scanned a bounded number of times however
 * long the line (an uncached indexOf per field is quadratic on a long line).
 */
class Scan {
  /** The quote character's code, compared per field. */
  readonly qc: number;
  // one answer kept per text looked for (line ends, the quote, the delimiter), updated in place:
  // a lookup per field, so no map and no object per lookup; `from` -1: none kept yet
  private readonly line: Kept = { from: -1, found: -1 };
  private readonly quote: Kept = { from: -1, found: -1 };
  private readonly other: Kept = { from: -1, found: -1 };
  private otherText = '';
  constructor(
    readonly s: string,
    readonly cr: boolean,
    readonly q: string,
  ) {
    this.qc = q.charCodeAt(0);
  }
  next(what: string, from: number): number {
    const k = what === '\n' ? this.line : what === this.q ? this.quote : this.otherFor(what);
    // still the answer: nothing was found, or it lies at or after `from`
    if (k.from < 0 || k.from > from || (k.found >= 0 && k.found < from)) {
      k.from = from;
      k.found = what === '\n' ? nextLineEnd(this.s, from, this.cr) : this.s.indexOf(what, from);
    }
    return k.found;
  }
  private otherFor(what: string): Kept {
    if (what !== this.otherText) {
      this.otherText = what;
      this.other.from = -1;
    }
    return this.other;
  }
}

/** A next-index answer kept: looked up from `from`, found at `found` (-1: not found). */
interface Kept {
  from: number;
  found: number;
}

/** One logical row from `p`: quoted fields may hold delimiters, `""` and line ends. */
function parseRow(sc: Scan, p: number, final: boolean, d: string): Parsed {
  const fields: string[] = [];
  let pos = p;
  let lines = 0;
  let spanning: Spanning | null = null;
  for (;;) {
    if (sc.s.charCodeAt(pos) !== sc.qc) {
      const r = unquotedField(sc, pos, final, d, fields);
      if (r === null) return { kind: 'more' };
      if (typeof r === 'number') {
        pos = r;
        continue;
      }
      return { kind: 'row', fields, next: r.next, lines: lines + 1, spanning };
    }
    const r = quotedField(sc, pos, final, d);
    if (r.kind === 'more') return r;
    if (r.kind === 'bad') return { ...r, quoteLine: lines + r.quoteLine, field: fields.length };
    fields.push(r.value);
    if (r.lines && !spanning) spanning = { field: fields.length - 1, quoteLine: lines };
    lines += r.lines;
    if (r.rowEnd === null) {
      pos = r.next;
      continue;
    }
    return { kind: 'row', fields, next: r.rowEnd, lines: lines + 1, spanning };
  }
}

/**
 * An unquoted field at `pos`: pushes it (or, when the rest of the line is quote-free, every
 * field left on the line) and returns where the next field starts, `{next}` when the row
 * ended, or null when the text stops before the line end.
 */
function unquotedField(sc: Scan, pos: number, final: boolean, d: string, fields: string[]): number | { next: number } | null {
  const s = sc.s;
  const n = sc.next('\n', pos);
  if (n < 0 && !final) return null;
  const le = n < 0 ? 0 : lineEndLength(s, n, sc.cr, final);
  if (le < 0) return null;
  const end = n < 0 ? s.length : n;
  const next = n < 0 ? s.length : n + Math.max(1, le);
  const cellEnd = !sc.cr && end > pos && s.charCodeAt(end - 1) === CR ? end - 1 : end;
  const q = sc.next(sc.q, pos);
  if (q < 0 || q >= end) {
    for (const f of s.slice(pos, cellEnd).split(d)) fields.push(f);
    return { next };
  }
  const e = sc.next(d, pos);
  if (e >= 0 && e < end) {
    fields.push(s.slice(pos, e));
    return e + d.length;
  }
  fields.push(s.slice(pos, cellEnd));
  return { next };
}

type QuotedField =
  | { kind: 'field'; value: string; lines: number; next: number; rowEnd: number | null }
  | { kind: 'more' }
  | { kind: 'bad'; why: string; quoteLine: number; resume: number | null };

/** A quoted field opening at `pos`: its value, and whether a delimiter or the row's end follows. */
function quotedField(sc: Scan, pos: number, final: boolean, d: string): QuotedField {
  const s = sc.s;
  let value = '';
  let lines = 0;
  let q = pos + 1;
  for (;;) {
    const j = sc.next(sc.q, q);
    if (j < 0) return final ? { kind: 'bad', why: 'is not closed before the end of the file', quoteLine: 0, resume: null } : { kind: 'more' };
    value += s.slice(q, j);
    lines += countLineEnds(sc, q, j);
    if (j + 1 >= s.length && !final) return { kind: 'more' };
    if (s.charCodeAt(j + 1) === sc.qc) {
      value += sc.q;
      q = j + 2;
      continue;
    }
    // spaces or tabs between a closing quote and the delimiter are padding, not data: HSBC Hong
    // Kong writes `"-157.12"\t\t,` (papaparse reads it the same way)
    let after = j + 1;
    while (after < s.length && (s.charCodeAt(after) === 32 || s.charCodeAt(after) === 9) && !s.startsWith(d, after)) after++;
    if (after >= s.length && !final) return { kind: 'more' };
    if (after >= s.length) return { kind: 'field', value, lines, next: after, rowEnd: after };
    if (s.startsWith(d, after)) return { kind: 'field', value, lines, next: after + d.length, rowEnd: null };
    const le = lineEndLength(s, after, sc.cr, final);
    if (le < 0) return { kind: 'more' };
    if (le > 0) return { kind: 'field', value, lines, next: after + le, rowEnd: after + le };
    return badClose(sc, pos, j, lines, final);
  }
}

/** A closing quote followed by something other than a delimiter or a line end. */
function badClose(sc: Scan, pos: number, j: number, lines: number, final: boolean): QuotedField {
  const s = sc.s;
  const follower = JSON.stringify(s[j + 1]);
  const closeLine = lineStartBefore(s, j, sc.cr);
  if (closeLine > lineStartBefore(s, pos, sc.cr)) {
    const why = `is closed ${lines} line(s) further down by a quote followed by ${follower}, not by a delimiter or a line end`;
    return { kind: 'bad', why, quoteLine: 0, resume: closeLine };
  }
  const end = sc.next('\n', j + 1);
  if (end < 0 && !final) return { kind: 'more' };
  const resume = end < 0 ? s.length : end + Math.max(1, lineEndLength(s, end, sc.cr, true));
  return { kind: 'bad', why: `is closed by a quote followed by ${follower}, not by a delimiter or a line end`, quoteLine: 0, resume };
}

/** The physical lines of text[p, end), line ends dropped. */
function physicalLines(s: string, p: number, end: number, cr: boolean): string[] {
  const out: string[] = [];
  let a = p;
  while (a < end) {
    const n = nextLineEnd(s, a, cr);
    const stop = n < 0 || n >= end ? end : n;
    out.push(s.slice(a, !cr && stop > a && s.charCodeAt(stop - 1) === CR ? stop - 1 : stop));
    if (n < 0 || n >= end) break;
    a = n + Math.max(1, lineEndLength(s, n, cr, true));
  }
  return out;
}

/** A rejected line's cells, so its amount can still be read: quote-aware when its quotes balance, else a plain split. */
function splitAlone(line: string, delimiter: string, quote: string): string[] {
  const r = parseRow(new Scan(line, false, quote), 0, true, delimiter);
  return r.kind === 'row' && r.next >= line.length ? r.fields : line.split(delimiter);
}

/** Every row of a whole text (the sniffed head of a file). */
export function splitAll(text: string, o: RowSplitterOptions): CsvRow[] {
  const s = new RowSplitter(o);
  return [...s.push(text), ...s.end()];
}
