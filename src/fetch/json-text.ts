/**
 * A page is saved as it came, on one line: the whitespace between tokens is dropped and
 * nothing else changes (a JSON.parse/stringify round trip would round `0.12345678901234567891`).
 */
export function compactJson(text: string): string {
  let out = '';
  let inString = false;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

export type JsonObject = Record<string, unknown>;

/** A parsed page, or why the body is not one (a cut-off body is the usual reason). */
export function parsePage(text: string): { page: JsonObject } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { problem: `the body is not complete JSON (${(e as Error).message}; ${text.length} characters received)` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value) || !Array.isArray((value as JsonObject).data)) {
    return { problem: 'the body is JSON but not a page (expected an object with a "data" array)' };
  }
  return { page: value as JsonObject };
}

/** Where a page says the next one is: a cursor, the end, or a contradiction. */
export function nextPageOf(page: JsonObject): { cursor: string | null } | { problem: string } {
  if (page.has_more !== true) return { cursor: null };
  const next = page.next_page;
  if (typeof next !== 'string' || next === '') return { problem: 'the page says has_more: true but gives no next_page cursor' };
  return { cursor: next };
}

/** Buckets and results on a page (both providers: data[] of buckets with results[]). */
export function countPage(page: JsonObject): { buckets: number; results: number } {
  const data = page.data as unknown[];
  let results = 0;
  for (const b of data) {
    const r = b && typeof b === 'object' ? ((b as JsonObject).results ?? (b as JsonObject).result) : null;
    if (Array.isArray(r)) results += r.length;
  }
  return { buckets: data.length, results };
}
