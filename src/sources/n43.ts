/**
 * Spanish banks' statement file, AEB Norma 43 (Cuaderno 43 / CSB 43): fixed-width 80-character
 * records 11 (account), 22 (movement), 23 (texts), 24 (original currency), 33 (account totals),
 * 88 (end of file). Every Spanish bank exports it for business accounts. Recognised by content:
 * an account header 11 first and every line a record. Parsing is in n43-parse.ts.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { CardLine, Detection } from '../model.js';
import type { CsvFile } from './csv.js';
import { issue, type OpenedInput, type ReadBatch, type ReadContext, type SourceReader } from './contract.js';
import { RECORD_LENGTH, isRecordCode } from './n43-layout.js';
import { parseN43, type N43Line } from './n43-parse.js';

const SAMPLE_BYTES = 64 * 1024;
/** 11, bank/branch/account/dates as digits, the balance sign 1 or 2, balance and currency as digits. */
const ACCOUNT_HEADER_SHAPE = /^11\d{30}[12]\d{17}/;

export interface N43Text {
  text: string;
  encoding: 'utf-8' | 'latin1';
  reason: string;
}

/** The spec's character set is Latin-1 (csb43 reads it so); a file that is valid UTF-8 is read as UTF-8. */
export function decodeN43(bytes: Uint8Array): N43Text {
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  if (b.every((x) => x < 0x80)) return { text: Buffer.from(b).toString('latin1'), encoding: 'utf-8', reason: 'ASCII only' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8', reason: 'valid UTF-8' };
  } catch {
    return { text: Buffer.from(b).toString('latin1'), encoding: 'latin1', reason: 'not UTF-8: read as Latin-1, the character set of Norma 43' };
  }
}

/** Physical lines (CRLF, LF or CR), 1-based; a final line end does not make an extra line. */
export function splitN43Lines(text: string): N43Line[] {
  const parts = text.split(/\r\n|\n|\r/);
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts.map((t, i) => ({ line: i + 1, text: t }));
}

function readSample(path: string, size: number): { bytes: Uint8Array; whole: boolean } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size);
    const n = readSync(fd, buf, 0, size, 0);
    return { bytes: buf.subarray(0, n), whole: n < size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Every input is offered to this reader: most are turned away on their first two characters,
 * taken from the head the CSV layer already read (no second open of every file).
 */
function startsLikeN43(csv: CsvFile): boolean {
  const first = csv.head[0];
  const head = first ? first.fields.join(csv.delimiter) : '';
  return head.startsWith('11') || head.startsWith('00');
}

/** Recognises a Norma 43 file from its first 64 KiB; null when the first record is not an account header. */
export function detectN43(input: OpenedInput): Detection | null {
  if (input.type !== 'csv' || !startsLikeN43(input.csv)) return null;
  const sample = readSample(input.path, SAMPLE_BYTES);
  const decoded = decodeN43(sample.bytes);
  const lines = splitN43Lines(decoded.text).filter((l) => l.text.replace(/\x1a+$/, '').trim() !== '');
  if (!sample.whole) lines.pop(); // the last line may be cut by the sample
  const first = lines.findIndex((l) => !l.text.startsWith('00'));
  if (first < 0 || first > 1 || !ACCOUNT_HEADER_SHAPE.test(lines[first]!.text)) return null;
  const fits = lines.filter((l) => isRecordCode(l.text.slice(0, 2)) && l.text.trimEnd().length <= RECORD_LENGTH);
  const short = lines.filter((l) => l.text.length < RECORD_LENGTH).length;
  const count = (code: string) => lines.filter((l) => l.text.startsWith(code)).length;
  const reasons = [
    `account header record 11 on line ${lines[first]!.line}`,
    `${fits.length} of ${lines.length} lines sampled are Norma 43 records of at most ${RECORD_LENGTH} characters: ${count('11')} account, ${count('22')} movement, ${count('23')} text, ${count('24')} currency, ${count('33')} account-end, ${count('88')} end-of-file records`,
    `encoding ${decoded.encoding} (${decoded.reason})`,
  ];
  if (short) reasons.push(`${short} line${short > 1 ? 's' : ''} shorter than ${RECORD_LENGTH} characters (trailing blanks dropped): read padded with blanks`);
  const confidence = fits.length === lines.length ? 0.99 : 0.5 + (0.4 * fits.length) / lines.length;
  const lineText = { encoding: decoded.encoding, reason: decoded.reason };
  return { format: 'norma43', label: 'Card/bank statement: Norma 43 (AEB / CSB 43, Spanish banks)', confidence, reasons, missingRequired: [], unknownColumns: [], lineText };
}

export const n43Reader: SourceReader<CardLine> = {
  format: 'norma43',
  label: 'Card/bank statement: Norma 43',
  kind: 'statement',
  detect: detectN43,
  async *read(input: OpenedInput, _detection: Detection, ctx: ReadContext): AsyncIterable<ReadBatch<CardLine>> {
    if (input.type !== 'csv') {
      yield { records: [], issues: [issue('error', ctx.displayPath, 0, null, 'a Norma 43 statement must be a text file')], skipped: 0, rows: 0 };
      return;
    }
    // whole: a statement is small, and totals (33) can only be checked once an account is read
    const bytes = await readFile(input.path);
    input.csv.sha256 = createHash('sha256').update(bytes).digest('hex');
    input.csv.bytesRead = bytes.length;
    const result = parseN43(splitN43Lines(decodeN43(bytes).text), ctx.displayPath);
    yield result;
  },
};
