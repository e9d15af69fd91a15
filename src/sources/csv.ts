/**
 * Shared CSV plumbing for every reader: encoding detection, delimiter and newline
 * sniffing, and a streaming parse (papaparse's Parser fed file chunks, the partial
 * last row carried over) that yields batches of rows with their physical line numbers.
 * The file is never held whole in memory; its SHA-256 is computed on the same pass.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { isAscii } from 'node:buffer';
import Papa from 'papaparse';

export interface CsvRow {
  /** 1-based physical line where the row starts. */
  line: number;
  fields: string[];
}

export interface EncodingGuess {
  encoding: string;
  bomBytes: number;
  reason: string;
}

const SAMPLE_BYTES = 64 * 1024;
const CHUNK_BYTES = 256 * 1024;

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

/** Detects the text encoding of a file from its first bytes. */
export function detectEncoding(sample: Uint8Array): EncodingGuess {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomBytes: 3, reason: 'UTF-8 byte-order mark' };
  }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2, reason: 'UTF-16 LE byte-order mark' };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2, reason: 'UTF-16 BE byte-order mark' };
  // UTF-16 without BOM: ASCII text has a zero byte in every other position
  let evenZero = 0;
  let oddZero = 0;
  const n = Math.min(sample.length, 4096);
  for (let i = 0; i < n; i++) if (sample[i] === 0) (i % 2 === 0 ? evenZero++ : oddZero++);
  if (n >= 4 && oddZero > n / 4 && evenZero < n / 50) return { encoding: 'utf-16le', bomBytes: 0, reason: 'zero bytes at odd offsets (UTF-16 LE without BOM)' };
  if (n >= 4 && evenZero > n / 4 && oddZero < n / 50) return { encoding: 'utf-16be', bomBytes: 0, reason: 'zero bytes at even offsets (UTF-16 BE without BOM)' };
  try {
    // stream:true tolerates a multi-byte character cut at the end of the sample
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return { encoding: 'utf-8', bomBytes: 0, reason: 'valid UTF-8' };
  } catch {
    /* not UTF-8 */
  }
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
  const lines = text.split(/\r\n|\n|\r/).slice(0, 50).filter((l) => l.trim() !== '');
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
    const head = parseAll(whole, delimiter, newline).slice(0, 40);
    return new CsvFile(path, info.size, encoding, delimiter, newline, head);
  }

  /**
   * Streams all rows (header included) in batches; empty lines are skipped but counted.
   * `columns`: the indexes a reader needs — on quote-free text the other cells are returned as
   * '' without being cut out (a busy usage export has 26 columns and needs 13; measured ~11 %
   * of the run). Rows keep their full width, so column counts are still checked.
   */
  async *batches(opts: { columns?: readonly number[] } = {}): AsyncGenerator<CsvRow[]> {
    const need = opts.columns ? columnMask(opts.columns) : null;
    const hash = createHash('sha256');
    // Node's own UTF-8 decoder is several times faster than TextDecoder on large files
    const decoder = this.encoding.encoding === 'utf-8' ? new Utf8Decoder() : new TextDecoder(this.encoding.encoding);
    const parser = new Papa.Parser({ delimiter: this.delimiter, newline: this.newline });
    let partial = '';
    let line = 1;
    let first = true;
    const stream = createReadStream(this.path, { highWaterMark: CHUNK_BYTES });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      this.bytesRead += chunk.length;
      let text = decoder.decode(first && this.encoding.bomBytes ? chunk.subarray(this.encoding.bomBytes) : chunk, { stream: true });
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      const input = partial + text;
      let out: { rows: CsvRow[]; nextLine: number };
      if (this.newline !== '\r' && input.indexOf('"') === -1) {
        // no quote in sight: every newline ends a row and every delimiter ends a field, so a
        // plain split is the whole of CSV here (measured: a third of the parse time saved)
        const cut = input.lastIndexOf('\n');
        partial = cut < 0 ? input : input.slice(cut + 1);
        out = cut < 0 ? { rows: [], nextLine: line } : need ? splitProjected(input, cut, this.delimiter, line, need) : splitRows(input.slice(0, cut), this.delimiter, line);
      } else {
        const res = parser.parse(input, 0, true) as { data: string[][]; meta: { cursor: number } };
        partial = input.slice(res.meta.cursor);
        out = toRows(res.data, line);
      }
      line = out.nextLine;
      if (out.rows.length) yield out.rows;
    }
    const rest = partial + decoder.decode();
    if (rest.length) {
      const res = parser.parse(rest, 0, false) as { data: string[][] };
      const out = toRows(res.data, line);
      if (out.rows.length) yield out.rows;
    }
    this.sha256 = hash.digest('hex');
  }
}

function parseAll(text: string, delimiter: string, newline: '\r\n' | '\n' | '\r'): CsvRow[] {
  const parser = new Papa.Parser({ delimiter, newline });
  return toRows((parser.parse(text, 0, false) as { data: string[][] }).data, 1).rows;
}

/** TextDecoder's streaming interface over string_decoder (which keeps a cut multi-byte character for the next chunk). */
class Utf8Decoder {
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

/** Rows of quote-free text ending before a newline; `\r` of CRLF endings is dropped. */
function splitRows(text: string, delimiter: string, firstLine: number): { rows: CsvRow[]; nextLine: number } {
  const lines = text.split('\n');
  const rows: CsvRow[] = [];
  let line = firstLine;
  for (let l of lines) {
    if (l.length && l.charCodeAt(l.length - 1) === 13) l = l.slice(0, -1);
    if (l.length) rows.push({ line, fields: l.split(delimiter) });
    line++;
  }
  return { rows, nextLine: line };
}

function columnMask(columns: readonly number[]): boolean[] {
  const mask: boolean[] = [];
  for (const c of columns) if (c >= 0) mask[c] = true;
  return mask;
}

/** Like splitRows over text[0, end), but only the cells in `need` are cut out; the rest are ''. */
function splitProjected(text: string, end: number, delimiter: string, firstLine: number, need: boolean[]): { rows: CsvRow[]; nextLine: number } {
  const rows: CsvRow[] = [];
  let line = firstLine;
  let p = 0;
  while (p < end) {
    let nl = text.indexOf('\n', p);
    if (nl < 0 || nl > end) nl = end;
    const stop = nl > p && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (stop > p) {
      const fields: string[] = [];
      let s = p;
      for (let i = 0; ; i++) {
        let e = text.indexOf(delimiter, s);
        if (e < 0 || e > stop) e = -1;
        const cellEnd = e < 0 ? stop : e;
        fields.push(need[i] ? text.slice(s, cellEnd) : '');
        if (e < 0) break;
        s = e + delimiter.length;
      }
      rows.push({ line, fields });
    }
    line++;
    p = nl + 1;
  }
  return { rows, nextLine: line };
}

function toRows(data: string[][], firstLine: number): { rows: CsvRow[]; nextLine: number } {
  const rows: CsvRow[] = [];
  let line = firstLine;
  for (const fields of data) {
    const start = line;
    line++;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.length > 0 && f.indexOf('\n') !== -1) line += f.split('\n').length - 1;
    }
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    rows.push({ line: start, fields });
  }
  return { rows, nextLine: line };
}

/** SHA-256 of a file, streamed (for inputs that are not read through CsvFile). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}
