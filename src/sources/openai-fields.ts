/** Cell parsers shared by the OpenAI usage and cost readers (CSV and Admin API JSON). */
import type { LineItem } from '../model.js';

export const TIME_COLUMNS = ['start_time', 'end_time'] as const;

/** Unix seconds as written by the exports (`1727740800`, occasionally `1727740800.0`). */
export function parseUnixSeconds(text: string): number | null {
  if (text === '') return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 32503680000) return null;
  return n;
}

/** Counts are written as floats (`4.0`, `31422.0`); tokens must be whole. Empty = 0. */
export function parseCount(text: string, wholeOnly = true): number | null {
  if (text === '') return 0;
  // fast path: `31422.0` / `31422` (what the exports write), no Number() on arbitrary text
  const n0 = wholeCount(text);
  if (n0 !== null) return n0;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || text.trim() === '') return null;
  if (wholeOnly && !Number.isInteger(n)) return null;
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
