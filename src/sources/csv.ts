/**
 * Shared CSV plumbing for every reader: encoding detection, delimiter and newline
 * sniffing, and a streaming parse (csv-rows.ts fed file chunks, the partial last row
 * carried over) that yields batches of rows with their physical line numbers.
 * The file is never held whole in memory; its SHA-256 is computed on the same pass.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { isAscii } from 'node:buffer';
import Papa from 'papaparse';
import { RowSplitter, splitAll, type CsvRow } from './csv-rows.js';

export type { CsvRow } from './csv-rows.js';

export interface EncodingGuess {
  encoding: string;
  bomBytes: number;
  reason: string;
  /** Set when the byte-order mark contradicts the content: which mark, and the encoding used instead. */
  warning?: string;
}

const SAMPLE_BYTES = 64 * 1024;
/** Bytes per read of a file: the batches readers yield are the rows completed by each such chunk. */
export const CHUNK_BYTES = 256 * 1024;

/** Names accepted by `--encoding` / profiles, mapped to WHATWG TextDecoder labels. */
export function normaliseEncodingName(name: string): string {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  const aliases: Record<string, string> = {
    utf8: 'utf-8',
    'utf-8-bom': 'utf-8',
    utf16le: 'utf-16le',
    'utf-16': 'utf-16le',
    utf16be: 'utf-16be',
    gbk: 'gbk',
    gb2312: 'gbk',
    gb18030: 'gb18030',
    cp1252: 'windows-1252',
    latin1: 'windows-1252',
    'iso-8859-1': 'windows-1252',
  };
  const label = aliases[n] ?? n;
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new RangeError(`unknown encoding "${name}" (try utf-8, utf-16le, utf-16be, gb18030, windows-1252)`);
  }
}

/**
 * Detects the text encoding of a file from its first bytes. A byte-order mark is believed only
 * when the content agrees with it: a UTF-8 mark before bytes that are not UTF-8 (GBK text
 * saved by a tool that prepends one), or a UTF-16 mark before 8-bit text, is skipped and the
 * content's own encoding used, with a warning.
 */
function detectEncoding(sample: Uint8Array): EncodingGuess {
  const bom = bomOf(sample);
  if (!bom) return detectContent(sample);
  const rest = sample.subarray(bom.bytes);
  const agrees = bom.encoding === 'utf-8' ? isUtf8(rest) : !looksEightBit(rest);
  if (agrees) return { encoding: bom.encoding, bomBytes: bom.bytes, reason: `${bom.name} byte-order mark` };
  const content = detectContent(rest);
  const warning = `the file starts with a ${bom.name} byte-order mark, but the text after it is not ${bom.name}: read as ${content.encoding} (${content.reason})`;
  return { encoding: content.encoding, bomBytes: bom.bytes, reason: `${content.reason}; ${bom.name} byte-order mark ignored`, warning };
}

function bomOf(b: Uint8Array): { encoding: string; bytes: number; name: string } | null {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf-8', bytes: 3, name: 'UTF-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf-16le', bytes: 2, name: 'UTF-16 LE' };
  if (b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf-16be', bytes: 2, name: 'UTF-16 BE' };
  return null;
}

function isUtf8(b: Uint8Array): boolean {
  try {
    // stream:true tolerates a multi-byte character cut at the end of the sample
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** UTF-16 CSV always has zero bytes (every delimiter, digit and line end has one); 8-bit text has none. */
function looksEightBit(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  if (n < 8) return false;
  for (let i = 0; i < n; i++) if (b[i] === 0) return false;
  return true;
}

/** The encoding of text without (or past) a byte-order mark. */
function detectContent(sample: Uint8Array): EncodingGuess {
  // UTF-16 without BOM: ASCII text has a zero byte in every other position
  let evenZero = 0;
  let oddZero = 0;
  const n = Math.min(sample.length, 4096);
  for (let i = 0; i < n; i++) if (sample[i] === 0) i % 2 === 0 ? evenZero++ : oddZero++;
  if (n >= 4 && oddZero > n / 4 && evenZero < n / 50) return { encoding: 'utf-16le', bomBytes: 0, reason: 'zero bytes at odd offsets (UTF-16 LE without BOM)' };
  if (n >= 4 && evenZero > n / 4 && oddZero < n / 50) return { encoding: 'utf-16be', bomBytes: 0, reason: 'zero bytes at even offsets (UTF-16 BE without BOM)' };
  if (isUtf8(sample)) return { encoding: 'utf-8', bomBytes: 0, reason: 'valid UTF-8' };
  if (looksLikeGb18030(sample)) {
    try {
      const text = new TextDecoder('gb18030', { fatal: true }).decode(sample, { stream: true });
      if (/[\u4e00-\u9fff]/.test(text)) return { encoding: 'gb18030', bomBytes: 0, reason: 'not UTF-8; decodes as GB18030 with CJK text' };
    } catch {
      /* not GB18030 */
    }
  }
  return { encoding: 'windows-1252', bomBytes: 0, reason: 'not UTF-8 nor GB18030; read as Windows-1252' };
}

/**
 * GBK/GB18030 Chinese text has both bytes of a pair at 0xA1 or above; Windows-1252 accented
 * letters are followed by ASCII (`ä`+`h` would otherwise decode as a GB18030 pair).
 */
function looksLikeGb18030(b: Uint8Array): boolean {
  let pairs = 0;
  let high = 0;
  for (let i = 0; i < b.length - 1; i++) {
    if (b[i]! < 0x81) continue;
    pairs++;
    if (b[i + 1]! >= 0xa1) high++;
    i++;
  }
  return pairs > 0 && high / pairs >= 0.8;
}

/** Picks `,`, `;` or tab: the one giving the most consistent non-trivial column count. */
export function sniffDelimiter(text: string): string {
  const lines = text
    .split(/\r\n|\n|\r/)
    .slice(0, 50)
    .filter((l) => l.trim() !== '');
  let best = ',';
  let bestScore = -1;
  for (const d of [',', ';', '\t', '|']) {
    const counts = lines.map((l) => Papa.parse<string[]>(l, { delimiter: d }).data[0]?.length ?? 1);
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 1) freq.set(c, (freq.get(c) ?? 0) + 1);
    let score = 0;
    for (const [cols, times] of freq) score = Math.max(score, times * 1000 + cols);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function sniffNewline(text: string): '\r\n' | '\n' | '\r' {
  const i = text.indexOf('\n');
  if (i > 0 && text[i - 1] === '\r') return '\r\n';
  if (i >= 0) return '\n';
  return text.includes('\r') ? '\r' : '\n';
}

export interface CsvOpenOptions {
  encoding?: string;
  delimiter?: string;
  /** The quote character, when not `"` (a statement profile's `quote`). */
  quote?: string;
}

/** An opened CSV file: sniffed settings, and a streaming reader of its rows. */
export class CsvFile {
  /** Set once the file has been read to the end. */
  sha256: string | null = null;
  /** Bytes read so far by `batches()` (for progress). */
  bytesRead = 0;

  private constructor(
    readonly path: string,
    readonly bytes: number,
    readonly encoding: EncodingGuess,
    readonly delimiter: string,
    readonly newline: '\r\n' | '\n' | '\r',
    /** The first rows of the file, for detection and `inspect`. */
    readonly head: CsvRow[],
    /** The quote character the file is read with. */
    readonly quote: string = '"',
  ) {}

  static async open(path: string, opts: CsvOpenOptions = {}): Promise<CsvFile> {
    const info = await stat(path);
    const fh = await open(path, 'r');
    let sample: Buffer;
    try {
      const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, info.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      sample = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
    const guess = detectEncoding(sample);
    const encoding: EncodingGuess = opts.encoding
      ? { encoding: normaliseEncodingName(opts.encoding), bomBytes: guess.encoding === normaliseEncodingName(opts.encoding) ? guess.bomBytes : 0, reason: 'set by option' }
      : guess;
    let text = new TextDecoder(encoding.encoding).decode(sample.subarray(encoding.bomBytes), { stream: true });
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // drop the last, possibly cut line of the sample
    const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    const whole = sample.length < info.size && cut > 0 ? text.slice(0, cut) : text;
    const delimiter = opts.delimiter ?? sniffDelimiter(whole);
    const newline = sniffNewline(whole);
    const quote = opts.quote ?? '"';
    const head = splitAll(whole, { delimiter, quote, crLineEnds: newline === '\r' }).slice(0, 40);
    return new CsvFile(path, info.size, encoding, delimiter, newline, head, quote);
  }

  /**
   * Streams all rows (header included) in batches; empty lines are skipped but counted.
   * `columns`: the indexes a reader needs — on quote-free text the other cells are returned as
   * '' without being cut out (a busy usage export has 26 columns and needs 13; measured ~11 %
   * of the run). Rows keep their full width, so column counts are still checked.
   * `width`: the header's width, so a quoted field that swallows lines is told from a real one;
   * `maxMissingCells`: how many cells short of it such a row may be (a profile's `rows` option).
   * Rows that cannot be read come with a `fault` (csv-rows.ts); after a line too long to be CSV
   * the rest is only hashed.
   */
  async *batches(opts: { columns?: readonly number[]; width?: number; maxMissingCells?: number } = {}): AsyncGenerator<CsvRow[]> {
    const hash = createHash('sha256');
    // Node's own UTF-8 decoder is several times faster than TextDecoder on large files
    const decoder = this.encoding.encoding === 'utf-8' ? new Utf8Decoder() : new TextDecoder(this.encoding.encoding);
    const splitter = new RowSplitter({
      delimiter: this.delimiter,
      quote: this.quote,
      crLineEnds: this.newline === '\r',
      width: opts.width ?? null,
      maxMissingCells: opts.maxMissingCells ?? 0,
      need: opts.columns ? columnMask(opts.columns) : null,
    });
    let first = true;
    const stream = createReadStream(this.path, { highWaterMark: CHUNK_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      this.bytesRead += chunk.length;
      if (splitter.stopped) continue;
      let text = decoder.decode(first && this.encoding.bomBytes ? chunk.subarray(this.encoding.bomBytes) : chunk, { stream: true });
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      const rows = splitter.push(text);
      if (rows.length) yield rows;
    }
    if (!splitter.stopped) {
      const rest = decoder.decode();
      const rows = rest ? [...splitter.push(rest), ...splitter.end()] : splitter.end();
      if (rows.length) yield rows;
    }
    this.sha256 = hash.digest('hex');
  }
}

/** TextDecoder's streaming interface over string_decoder (which keeps a cut multi-byte character for the next chunk). */
export class Utf8Decoder {
  private readonly d = new StringDecoder('utf8');
  private pending = false;
  decode(chunk?: Uint8Array, _opts?: { stream?: boolean }): string {
    if (chunk === undefined) return this.d.end();
    const buf = chunk as Buffer;
    // pure ASCII (the usual export) is its own Latin-1 text: the cheapest decode there is
    if (!this.pending && isAscii(buf)) return buf.toString('latin1');
    const text = this.d.write(buf);
    // a chunk that ends inside a multi-byte character leaves bytes in the decoder
    this.pending = !isAscii(buf.subarray(Math.max(0, buf.length - 3)));
    return text;
  }
}

/** Which columns to cut out of a row (true at each index listed; a negative index is an absent column). */
export function columnMask(columns: readonly number[]): boolean[] {
  const mask: boolean[] = [];
  for (const c of columns) if (c >= 0) mask[c] = true;
  return mask;
}

/** SHA-256 of a file, streamed (for inputs that are not read through CsvFile). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Whether a data row repeats the header — two exports joined with `cat`. Cells are compared
 * trimmed and in any case; a byte-order mark the second file carried is ignored. `only`: the
 * columns to compare (a projected row has '' in the others).
 */
export function repeatsHeader(fields: readonly string[], header: readonly string[], only?: readonly number[]): boolean {
  if (fields.length !== header.length) return false;
  const same = (i: number) =>
    (fields[i] ?? '')
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase() ===
    (header[i] ?? '')
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase();
  if (only) return only.every((i) => i < 0 || same(i));
  for (let i = 0; i < header.length; i++) if (!same(i)) return false;
  return true;
}

export const headerRepeatMessage = (line: number) =>
  `the header repeats on line ${line}: the file is read as concatenated exports, and this line as the start of the next one (not a data row)`;

/** A cell's text for a message: JSON-quoted, and cut to its ends when long (a 400-digit number). */
export function shownText(text: string, max = 40): string {
  if (text.length <= max) return JSON.stringify(text);
  const half = Math.floor(max / 2);
  return `${JSON.stringify(`${text.slice(0, half)}…${text.slice(-half)}`)} (${text.length} characters)`;
}
