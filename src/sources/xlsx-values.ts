/**
 * Cell values of an .xlsx sheet as text, exactly: XML entities decoded, numbers rounded on
 * their decimal string to the 15 significant digits Excel shows (never through a JS float),
 * date serials turned into ISO dates with integer arithmetic. Pure: no I/O.
 */

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML character and entity references, then OOXML's `_xHHHH_` escapes (a CR written as `_x000D_`). */
const xmlForbidden = (c: number): boolean => (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff;

export function decodeXmlText(raw: string): string {
  const text = raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref] ?? whole;
    const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    // a character XML 1.0 does not allow (NUL, most C0 controls, a lone surrogate) stays as written: Excel would refuse the file
    return code <= 0x10ffff && !xmlForbidden(code) ? String.fromCodePoint(code) : whole;
  });
  // `_x005F_` escapes the underscore itself, so `_x005F_x000D_` is the literal text `_x000D_`
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The digits of a decimal number and where its point sits: value = 0.DIGITS × 10^point, sign aside. */
interface DecimalDigits {
  negative: boolean;
  digits: string;
  point: number;
}

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Past a double's range (1.8E308, 5E-324) by a margin: no number Excel stores, and written out it would be a billion digits. */
const MAX_POINT = 400;

function digitsOf(text: string): DecimalDigits | null {
  const m = NUMBER_RE.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const whole = m[2]!;
  const frac = m[3] ?? '';
  let digits = whole + frac;
  let point = whole.length + Number(m[4] ?? '0');
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  point -= lead;
  if (Math.abs(point) > MAX_POINT && digits !== '') return null;
  return { negative: m[1] === '-' && digits !== '', digits, point };
}

/** Rounds half away from zero to `n` significant digits, on the digit string. */
function roundDigits(d: DecimalDigits, n: number): DecimalDigits {
  if (d.digits.length <= n) return d;
  let kept = d.digits.slice(0, n);
  let point = d.point;
  if (d.digits.charCodeAt(n) >= 0x35) {
    const up = (BigInt(kept) + 1n).toString();
    if (up.length > kept.length) point++;
    kept = up;
  }
  return { ...d, digits: kept.replace(/0+$/, ''), point };
}

function plainText(d: DecimalDigits): string {
  if (d.digits === '') return '0';
  let body: string;
  if (d.point <= 0) body = `0.${'0'.repeat(-d.point)}${d.digits}`;
  else if (d.point >= d.digits.length) body = d.digits + '0'.repeat(d.point - d.digits.length);
  else body = `${d.digits.slice(0, d.point)}.${d.digits.slice(d.point)}`;
  return d.negative ? `-${body}` : body;
}

/**
 * A numeric cell's `<v>` text as Excel shows it in General format: 15 significant digits,
 * plain notation (`-12.300000000000001` → `-12.3`, `1E-3` → `0.001`). Text that is not a
 * number comes back unchanged, for the statement reader to reject with the cell named.
 */
export function excelNumberText(raw: string): string {
  const d = digitsOf(raw);
  return d ? plainText(roundDigits(d, 15)) : raw;
}

// ---------------------------------------------------------------------------
// Dates

/**
 * Built-in number formats that are dates or times (ECMA-376 §18.8.30), with the ids 27–36 and
 * 50–58 that Chinese, Japanese and Korean Excel shows as dates (年/月/日 and era formats).
 */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time: a built-in date id, or d/m/y/h outside quotes, brackets and escapes. */
export function isDateFormat(numFmtId: number, formatCode: string | undefined): boolean {
  if (formatCode === undefined) return BUILTIN_DATE_FORMATS.has(numFmtId);
  const bare = formatCode
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '');
  return /[dmyh]/i.test(bare);
}

/** Days since 1970-01-01 → YYYY-MM-DD (Howard Hinnant's civil-from-days, integers only). */
function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** 1899-12-30 and 1904-01-01 as days since 1970-01-01. */
const EPOCH_1900 = -25569;
const EPOCH_1904 = -24107;
const SECONDS_PER_DAY = 86400n;

/** A serial's whole days and its time of day in seconds (rounded to the second, as Excel shows it). */
function splitSerial(raw: string): { days: number; seconds: number } | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(excelNumberText(raw));
  if (!m) return null;
  const frac = m[2] ?? '';
  const scale = 10n ** BigInt(frac.length);
  let seconds = (BigInt(frac || '0') * SECONDS_PER_DAY * 2n + scale) / (2n * scale);
  let days = Number(m[1]);
  if (seconds === SECONDS_PER_DAY) {
    days++;
    seconds = 0n;
  }
  return { days, seconds: Number(seconds) };
}

function clock(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/**
 * A date serial → `YYYY-MM-DD`, plus `THH:MM:SS` when it has a time of day; a time alone
 * (serial below 1) is `HH:MM:SS`. The 1900 system counts the 29 February 1900 Lotus had:
 * serial 60 is that day (shown as Excel shows it, not a calendar date), later serials are one
 * day ahead of the calendar. Null for a negative or non-numeric serial.
 */
export function serialToIso(raw: string, date1904: boolean): string | null {
  const s = splitSerial(raw);
  if (!s) return null;
  const time = s.seconds ? clock(s.seconds) : '';
  if (s.days === 0 && !date1904) return time || '00:00:00';
  let day: string;
  if (date1904) day = civilFromDays(EPOCH_1904 + s.days);
  else if (s.days === 60) day = '1900-02-29';
  else day = civilFromDays(EPOCH_1900 + s.days + (s.days < 60 ? 1 : 0));
  return time ? `${day}T${time}` : day;
}
