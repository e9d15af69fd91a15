import { describe, expect, it } from 'vitest';
import { cellText, csvText, cutText, looksLikeKeyBody, redactSecrets, terminalText } from '../src/redact.js';

/** A deterministic random-looking body of base64url characters. */
function body(seed: number, n: number): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let x = seed;
  let s = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += abc[(x >> 8) % 64];
  }
  return s;
}

const KEYS: [string, string][] = [
  ['sk-', `${body(1, 45)}AbCd`],
  ['sk-proj-', `${body(2, 152)}Wx12`],
  ['sk-svcacct-', `${body(3, 100)}Zz99`],
  ['sk-admin-', `${body(4, 60)}Qq77`],
  ['sk-ant-api03-', `${body(5, 91)}XyAA`],
  ['sk-ant-admin01-', `${body(6, 91)}MnAA`],
];

describe('redactSecrets', () => {
  it.each(KEYS)('cuts a %s key to its prefix and last four', (prefix, b) => {
    expect(redactSecrets(`key ${prefix}${b} end`)).toBe(`key ${prefix}…${b.slice(-4)} end`);
  });

  it('finds a key glued to a word, at the start and at the end of the text', () => {
    const [p, b] = KEYS[1]!;
    expect(redactSecrets(`prod_${p}${b}`)).toBe(`prod_${p}…${b.slice(-4)}`);
    expect(redactSecrets(`x${p}${b}y`)).not.toContain(b.slice(10, 30));
  });

  it.each(['\u200B', '\u200F', '\u2060', '\u2064', '\uFEFF', '\u00AD', '\u{E0041}'])('finds a key with U+%s inside it', (inv) => {
    const [p, b] = KEYS[1]!;
    const hidden = `s${inv}k-pr${inv}oj-${b.slice(0, 40)}${inv}${b.slice(40)}`;
    const out = redactSecrets(`name: ${hidden}!`);
    expect(out).toBe(`name: ${p}…${b.slice(-4)}!`);
  });

  it('keeps ordinary words that contain "sk-"', () => {
    for (const t of ['task-reservation-2026', 'desk-booking-agent', 'desk-booking-agent-production-2026', 'risk-assessment-q4-2026', 'sk-short1']) {
      expect(redactSecrets(t)).toBe(t);
    }
  });

  it('is idempotent and leaves text without keys alone', () => {
    const [p, b] = KEYS[4]!;
    const once = redactSecrets(`${p}${b} and ${KEYS[0]![0]}${KEYS[0]![1]}`);
    expect(redactSecrets(once)).toBe(once);
    expect(redactSecrets('plain text, no keys')).toBe('plain text, no keys');
  });

  it('tells random bodies from words', () => {
    expect(looksLikeKeyBody('abcdefghijklmnopqrstuvwxyz1234')).toBe(true);
    expect(looksLikeKeyBody('reservation-2026-q4-booking-agent')).toBe(false);
  });
});

describe('control characters', () => {
  const hostile = 'a\u001b]0;title\u0007b\u001b[31mred\r\n\tc\u009bd';
  it('are made visible for a terminal, tab and newline kept', () => {
    const t = terminalText(hostile);
    expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(t).toBe('a\u241b]0;title\u2407b\u241b[31mred\u240d\n\tc<U+009B>d');
  });
  it('are made visible in CSV and workbook text (CR kept: quoting carries it)', () => {
    expect(csvText(hostile)).toContain('red\r\n\tc');
    expect(cellText(hostile)).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(cellText('x\uD800y')).toBe('x\uFFFDy');
  });
});

describe('cutText', () => {
  it('cuts to the limit with a marker naming the full length', () => {
    const t = cutText('x'.repeat(40000));
    expect(t.length).toBe(32767);
    expect(t.endsWith('… [cut: 40,000 characters; the full text is in --json]')).toBe(true);
    expect(cutText('short')).toBe('short');
  });
  it('never splits a surrogate pair', () => {
    const t = cutText('😀'.repeat(20000), 101);
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(t)).toBe(false);
  });
});
