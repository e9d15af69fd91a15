/** Text safety of the HTML report: every string from inputs goes through `h` (or `plain` for chart data). */
import { redactSecrets } from '../../redact.js';
import type { Decimal } from '../../money.js';

const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Redacted, control characters shown as Control Pictures (ESC → ␛), lone surrogates as U+FFFD: the text as a chart label. */
export function plain(text: string): string {
  return redactSecrets(text)
    .replace(CONTROLS, (c) =>
      c.charCodeAt(0) < 0x20
        ? String.fromCharCode(0x2400 + c.charCodeAt(0))
        : c.charCodeAt(0) === 0x7f
          ? '\u2421'
          : `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
    )
    .replace(LONE_SURROGATE, '\uFFFD');
}

/** `plain`, then HTML-escaped for text and attribute values alike. */
export function h(text: string | null | undefined): string {
  return plain(text ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** An amount for a table cell: to the cent, thousands grouped (the exact value is in --json). */
export function amount(d: Decimal | null): string {
  if (d === null) return '';
  const [int, frac] = d.toDisplay(2).split('.');
  const neg = int!.startsWith('-');
  const digits = neg ? int!.slice(1) : int!;
  return `${neg ? '−' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}
