/**
 * What text from inputs may look like once it leaves the program. Three boundaries use it:
 * the workbook's final pass (report/sanitise.ts), the CSV/FOCUS/JSON writers and the console.
 *
 * - secrets: anything shaped like a provider API key is cut to its prefix and last four
 *   characters (`sk-proj-…AbCd`), also when invisible characters were slipped inside it;
 * - control characters: shown, never emitted raw (a terminal would obey them; XML forbids them).
 */

/**
 * Characters that render as nothing: zero-width spaces and joiners, bidi marks, word joiner and
 * invisible operators, soft hyphen, BOM, variation selectors, Hangul fillers, tag characters.
 * Someone hiding a key from a naive pattern puts one of these inside it.
 */
const INVISIBLE =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each variation selector in the class is meant alone, to be removed
  /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\u{1BCA0}-\u{1BCA3}\u{E0000}-\u{E007F}]/u;
const INVISIBLE_G = new RegExp(INVISIBLE.source, 'gu');

/** `sk-`, an optional provider kind (`proj-`, `svcacct-`, `admin-`, `ant-api03-`, …), then the body. */
const KEY = /sk-((?:proj|svcacct|admin|None)-|ant-[a-z]+\d*-)?([A-Za-z0-9_-]+)/g;

function charClass(c: string): number {
  return c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : c >= '0' && c <= '9' ? 3 : 0;
}

/**
 * True when a key body is random-looking rather than words: at least 20 letters/digits, and
 * either a 16+ run without separators that has a digit or both cases, or frequent changes
 * between lower case, upper case and digits (random base64 has dozens; `reservation-2026` none).
 */
export function looksLikeKeyBody(body: string): boolean {
  const alnum = body.replace(/[-_]/g, '');
  if (alnum.length < 20) return false;
  let changes = 0;
  for (const run of body.split(/[-_]/)) {
    for (let i = 1; i < run.length; i++) if (charClass(run[i]!) !== charClass(run[i - 1]!)) changes++;
    if (run.length >= 16 && (/\d/.test(run) || (/[a-z]/.test(run) && /[A-Z]/.test(run)))) return true;
  }
  return changes >= 4;
}

/** The text without invisible characters, and for each kept UTF-16 unit its index in the original. */
function visibleView(text: string): { view: string; at: number[] } {
  let view = '';
  const at: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!INVISIBLE.test(ch)) {
      view += ch;
      for (let k = 0; k < ch.length; k++) at.push(i + k);
    }
    i += ch.length;
  }
  return { view, at };
}

/** Replaces each key-shaped token of `view` in `text` (`at` maps view indexes to text indexes). */
function replaceKeys(text: string, view: string, at: number[] | null): string {
  let out = '';
  let from = 0;
  for (const m of view.matchAll(KEY)) {
    const body = m[2]!;
    if (!looksLikeKeyBody(body)) continue;
    const start = at ? at[m.index]! : m.index;
    const end = at ? at[m.index + m[0].length - 1]! + 1 : m.index + m[0].length;
    out += `${text.slice(from, start)}sk-${m[1] ?? ''}…${body.slice(-4)}`;
    from = end;
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * Every key-shaped token (OpenAI `sk-…`, `sk-proj-…`, `sk-svcacct-…`, `sk-admin-…`, Anthropic
 * `sk-ant-api03-…`, `sk-ant-admin01-…`), also glued to a word (`prod_sk-proj-…`) or split by
 * invisible characters, becomes its prefix and last four: `sk-proj-…AbCd`. Idempotent.
 */
export function redactSecrets(text: string): string {
  if (!text.includes('k')) return text;
  if (!INVISIBLE.test(text)) return text.includes('sk-') ? replaceKeys(text, text, null) : text;
  const { view, at } = visibleView(text);
  return view.includes('sk-') ? replaceKeys(text, view, at) : text;
}

/**
 * Whether redactSecrets could change some part of `text`: it holds `sk-` or an invisible
 * character (which could split one). False means no substring of it is changed either — the
 * check a whole document's text can pass for every string in it at once.
 */
export function mayHoldSecret(text: string): boolean {
  return text.includes('sk-') || INVISIBLE.test(text);
}

/** Removes invisible characters (used where they can only hide something, e.g. sheet names). */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE_G, '');
}

/** C0 controls other than tab, LF, CR; DEL; C1 controls (8-bit CSI U+009B is an escape too). */
const CONTROL_BUT_TAB_LF_CR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const CONTROL_BUT_TAB_LF = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** A control character as the Unicode Control Picture that names it (ESC → ␛), C1 as `<U+009B>`. */
function picture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * Text for a terminal or a log stream: redacted, every control character except tab and newline
 * made visible (ESC → `␛`, CR → `␍`: a raw CR could overwrite the line before it).
 */
export function terminalText(text: string): string {
  return redactSecrets(text).replace(CONTROL_BUT_TAB_LF, picture);
}

/** Text for a CSV file: redacted, controls other than tab/LF/CR (which quoting carries) made visible. */
export function csvText(text: string): string {
  return redactSecrets(text).replace(CONTROL_BUT_TAB_LF_CR, picture);
}

/** Excel's limit on the characters of one cell. */
const CELL_MAX = 32767;

/** A lone surrogate (half of an emoji cut off): not a character, and invalid XML. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|[\uFFFE\uFFFF]/g;

/** Cuts text to `max` UTF-16 units with a marker saying how long it was and where the rest is. */
export function cutText(text: string, max = CELL_MAX): string {
  if (text.length <= max) return text;
  const marker = `… [cut: ${text.length.toLocaleString('en-US')} characters; the full text is in --json]`;
  let keep = text.slice(0, max - marker.length);
  if (/[\uD800-\uDBFF]$/.test(keep)) keep = keep.slice(0, -1);
  return keep + marker;
}

/**
 * Text for a workbook cell: redacted, controls other than tab/LF/CR shown as Control Pictures
 * (XML 1.0 cannot hold them; Excel's `_x001B_` escape would turn back into a raw ESC when the
 * cell is copied out), lone surrogates as U+FFFD, cut to Excel's 32,767 characters.
 */
export function cellText(text: string): string {
  return cutText(redactSecrets(text).replace(CONTROL_BUT_TAB_LF_CR, picture).replace(LONE_SURROGATE, '\uFFFD'));
}
