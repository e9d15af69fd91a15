/** Cell parsers shared by the OpenAI usage and cost readers (CSV and Admin API JSON). */
import type { LineItem } from '../model.js';

/** The provider id these readers stamp on their records (src/data/providers/openai.json). */
export const OPENAI = 'openai';

export const TIME_COLUMNS = ['start_time', 'end_time'] as const;

/** Instants an export can hold: the provider's API billing began after 2015; 2100 is far past any export. */
const EARLIEST_INSTANT = Date.UTC(2015, 0, 1) / 1000;
const LATEST_INSTANT = Date.UTC(2100, 0, 1) / 1000;

/** Bucket widths each export writes (seconds): usage by minute, hour or day; costs by day (hourly cost files exist too). */
export const USAGE_BUCKET_WIDTHS = [60, 3600, 86400] as const;
export const COST_BUCKET_WIDTHS = [86400, 3600] as const;

const WHOLE_TEXT = /^\d+(?:\.0*)?$/;
const DECIMAL_DIGITS = /^\d+(?:\.\d*)?$|^\.\d+$/;

/**
 * Unix seconds as written by the exports (`1727740800`, occasionally `1727740800.0`): decimal
 * digits only — no sign, hex (`0x6abda280`), exponent or spaces, which Number() would take.
 */
export function parseUnixSeconds(text: string): number | null {
  const n0 = wholeCount(text);
  if (n0 !== null) return n0;
  if (!WHOLE_TEXT.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/**
 * Counts are written as floats (`4.0`, `31422.0`); tokens must be whole. Empty = 0. Decimal
 * digits only (no hex, exponent or sign), and at most Number.MAX_SAFE_INTEGER, so a count
 * stays exact.
 */
export function parseCount(text: string, wholeOnly = true): number | null {
  if (text === '') return 0;
  // fast path: `31422.0` / `31422` (what the exports write)
  const n0 = wholeCount(text);
  if (n0 !== null) return n0;
  if (!(wholeOnly ? WHOLE_TEXT : DECIMAL_DIGITS).test(text)) return null;
  const n = Number(text);
  if (!Number.isFinite(n) || n > Number.MAX_SAFE_INTEGER) return null;
  return n;
}

function wholeCount(t: string): number | null {
  let len = t.length;
  if (len > 2 && t.charCodeAt(len - 2) === 46 && t.charCodeAt(len - 1) === 48) len -= 2; // ".0"
  if (len === 0 || len > 15) return null;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return n;
}

/**
 * What is impossible about a bucket [start, end), or null: end not after start, an instant
 * before 2015 or after 2100 (start_time 0 would make a 56-year bucket), a width the format
 * does not write.
 */
export function bucketProblem(start: number, end: number, widths: readonly number[]): { column: string; message: string } | null {
  // the common case without building anything: a valid bucket
  if (start >= EARLIEST_INSTANT && end <= LATEST_INSTANT && end > start && widths.includes(end - start)) return null;
  const when = (t: number) => `${t} (${new Date(t * 1000).toISOString().replace('.000Z', 'Z')})`;
  const inRange = (t: number) => t >= EARLIEST_INSTANT && t <= LATEST_INSTANT;
  if (!inRange(start))
    return { column: 'start_time', message: `expected Unix seconds between 2015 and 2100, found ${Number.isFinite(start) && Math.abs(start) < 1e13 ? when(start) : start}` };
  if (!inRange(end)) return { column: 'end_time', message: `expected Unix seconds between 2015 and 2100, found ${Math.abs(end) < 1e13 ? when(end) : end}` };
  if (end <= start) return { column: 'end_time', message: `expected end_time after start_time ${when(start)}, found ${when(end)}` };
  if (!widths.includes(end - start)) {
    const names = widths.map((w) => `${w} s (${w === 60 ? '1 minute' : w === 3600 ? '1 hour' : '1 day'})`);
    return { column: 'end_time', message: `expected a bucket of ${names.join(' or ')}, found end_time − start_time = ${end - start} s` };
  }
  return null;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Unix seconds of an ISO column as the exports write it (`2026-08-31T00:00:00+00:00`, or with
 * no offset, which is UTC), or null when it is not such a text.
 */
function parseIsoSeconds(text: string): number | null {
  const fast = isoFast(text);
  if (fast !== null) return fast;
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  const check = new Date(t * 1000);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  const off = m[7];
  if (!off || off === 'Z') return t;
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  return t - sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
}

/**
 * `YYYY-MM-DDTHH:MM:SS` with no offset, `Z` or `+00:00` — what every export row writes — read
 * digit by digit (a regex and a Date per row cost a tenth of a usage read). Null otherwise.
 */
function isoFast(t: string): number | null {
  const n = t.length;
  if (!(n === 19 || (n === 20 && t[19] === 'Z') || (n === 25 && t.endsWith('+00:00')))) return null;
  if (t[4] !== '-' || t[7] !== '-' || t[10] !== 'T' || t[13] !== ':' || t[16] !== ':') return null;
  const num = (a: number, b: number) => {
    let v = 0;
    for (let i = a; i < b; i++) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return -1;
      v = v * 10 + d;
    }
    return v;
  };
  const y = num(0, 4);
  const mo = num(5, 7);
  const d = num(8, 10);
  const h = num(11, 13);
  const mi = num(14, 16);
  const s = num(17, 19);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y0: number, m: number, d: number): number {
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Checks the ISO columns against the Unix ones (which win, SPEC §2.2); they must name the same
 * instants. Consecutive rows share a bucket, so the last agreeing texts are remembered.
 */
export class IsoAgreement {
  private start = NaN;
  private end = NaN;
  private isoStart = '';
  private isoEnd = '';
  constructor(
    private readonly startCol: number,
    private readonly endCol: number,
  ) {}

  problem(f: readonly string[], start: number, end: number): { column: string; message: string } | null {
    const isoS = this.startCol < 0 ? '' : (f[this.startCol] ?? '');
    const isoE = this.endCol < 0 ? '' : (f[this.endCol] ?? '');
    if (start === this.start && end === this.end && isoS === this.isoStart && isoE === this.isoEnd) return null;
    const bad = isoDisagrees('start_time_iso', isoS, start) ?? isoDisagrees('end_time_iso', isoE, end);
    if (bad) return bad;
    this.start = start;
    this.end = end;
    this.isoStart = isoS;
    this.isoEnd = isoE;
    return null;
  }
}

export function isoDisagrees(column: string, text: string, unix: number): { column: string; message: string } | null {
  if (text === '') return null;
  const t = parseIsoSeconds(text);
  if (t === unix) return null;
  const unixColumn = column.replace('_iso', '');
  const expected = `${new Date(unix * 1000).toISOString().replace('.000Z', '+00:00')} as ${unixColumn} ${unix} says`;
  return {
    column,
    message:
      t === null
        ? `expected an ISO-8601 instant (${expected}), found ${JSON.stringify(text)}`
        : `expected ${expected}, found ${JSON.stringify(text)}: the two time columns disagree`,
  };
}

export function parseBool(text: string): boolean | null {
  switch (text.trim().toLowerCase()) {
    case 'true':
    case '1':
      return true;
    case 'false':
    case '0':
      return false;
    default:
      return null;
  }
}

/** Token kinds as the export writes them; some exports use the usage column names instead. */
const TOKEN_KINDS: Record<string, NonNullable<LineItem['tokenKind']>> = {
  input: 'input',
  output: 'output',
  'cached input': 'cached input',
  'cache writes': 'cache writes',
  input_tokens: 'input',
  output_tokens: 'output',
  cached_input_tokens: 'cached input',
  input_cached_tokens: 'cached input',
  input_cache_write_tokens: 'cache writes',
};

/**
 * `[<surface> | ]<model>[ <modality>], <input|output|cached input|cache writes>[, long context]`
 * (SPEC §2.2). Returns null where the pattern does not hold (`web search tool calls`).
 */
export function parseLineItem(raw: string): LineItem | null {
  let rest = raw.trim();
  if (rest === '') return null;
  let surface: string | null = null;
  const bar = rest.indexOf(' | ');
  if (bar >= 0) {
    surface = rest.slice(0, bar).trim();
    rest = rest.slice(bar + 3).trim();
  }
  const parts = rest.split(',').map((p) => p.trim());
  const head = parts[0]!;
  const [model, ...modalityWords] = head.split(/\s+/);
  if (parts.length === 1) {
    // a single word with no spaces is a model billed by its own unit (`gpt-image-1`)
    if (modalityWords.length > 0 || !/^[a-z0-9][\w.:-]*$/i.test(head) || !/\d|gpt|whisper|tts|dall|embedding|davinci|babbage/i.test(head)) return null;
    return { surface, model: head, modality: null, tokenKind: null, longContext: false };
  }
  if (!model || !/^[a-z0-9][\w.:-]*$/i.test(model)) return null;
  const kind = parts[1]!.toLowerCase();
  const tokenKind = TOKEN_KINDS[kind] ?? null;
  const modality = modalityWords.length ? modalityWords.join(' ') : tokenKind === null ? parts[1]! : null;
  const longContext = parts.slice(2).some((p) => p.toLowerCase() === 'long context');
  return { surface, model, modality, tokenKind, longContext };
}
