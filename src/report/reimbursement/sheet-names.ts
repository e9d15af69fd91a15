/** The reimbursement workbook's sheet names: fixed ones, and cost centres' made safe and unique for Excel. */
import { redactSecrets, stripInvisible } from '../../redact.js';

export const SUMMARY = 'Summary';
/**
 * The sheet the three short tables share (exceptions, plan subscriptions, lines not claimed),
 * each under its own title: alone, each printed a page filled 10-45 %.
 */
export const OTHER_LINES = 'Exceptions, plans, not claimed';
/** Names a cost-centre sheet may not take ("History" is reserved by Excel). */
const RESERVED = [SUMMARY, OTHER_LINES, 'History'];

const FORBIDDEN = /[:\\/?*[\]]/g;
const MAX_NAME = 31;

/** Truncates to `n` UTF-16 units without splitting a surrogate pair. */
function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  let out = s.slice(0, n);
  if (/[\uD800-\uDBFF]$/.test(out)) out = out.slice(0, -1);
  return out;
}

/** A legal sheet name, secrets redacted: no : \ / ? * [ ], no leading/trailing apostrophe, at most 31 characters. */
export function sanitiseSheetName(name: string): string {
  // redacted before it is cut, so no part of a key survives in the name (or in formulas naming it)
  let s = redactSecrets(stripInvisible(name))
    .replace(FORBIDDEN, '-')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  s = s.replace(/^'+|'+$/g, '').trim();
  s = cut(s, MAX_NAME).trim();
  return s === '' ? 'Cost centre' : s;
}

/** Sanitised, unique (case-insensitively, as Excel requires) names, in input order: "Name (2)", "Name (3)". */
export function uniqueSheetNames(names: readonly string[], reserved: readonly string[] = RESERVED): string[] {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return names.map((n) => {
    const base = sanitiseSheetName(n);
    let name = base;
    for (let k = 2; taken.has(name.toLowerCase()); k++) {
      const suffix = ` (${k})`;
      name = `${cut(base, MAX_NAME - suffix.length).trim()}${suffix}`;
    }
    taken.add(name.toLowerCase());
    return name;
  });
}
