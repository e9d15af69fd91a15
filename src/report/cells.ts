/**
 * Cell helpers shared by every sheet and by the CSV/JSON writers: safe text (secrets
 * redacted, formula-looking text kept as text), money and date formats.
 */
import type { Decimal } from '../money.js';
import { minorUnits } from '../money.js';
import { cached, push } from '../lists.js';

export { minorUnits };

/** A value Excel cannot hold (Infinity, NaN): the run stops with this message, no file is written. */
export class CellValueError extends Error {}

const FORMULA_START = /^[=+\-@\t\r]/;

/** True when a spreadsheet would take the text for a formula (CSV/formula injection). */
export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text);
}

/**
 * Text for an xlsx cell. exceljs writes every JS string as a text cell (never a formula), so
 * formula-looking text stays inert; sheets also give such cells the text format. Secrets,
 * control characters and Excel's length limit are handled once, by the final pass (sanitise.ts).
 */
export function safeText(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : value;
}

/** Text for a CSV cell: prefixed with `'` when it would start a formula (the writers redact the whole file). */
export function safeCsvText(value: string): string {
  return looksLikeFormula(value) ? `'${value}` : value;
}

/**
 * `#,##0.00 "USD"`: the currency's minor unit (0 decimals for JPY, 3 for KWD), so a column
 * never mixes 2, 3 and 4 decimals; the exact figures stay in detail columns and the JSON.
 */
export function moneyFormat(currency: string): string {
  return cached(moneyFormats, currency, buildMoneyFormat);
}
/** Worked out once per currency: writeTable asks for it per money cell. */
const moneyFormats = new Map<string, string>();

function buildMoneyFormat(currency: string): string {
  const c = currency.replace(/"/g, '');
  const places = minorUnits(currency);
  const n = places === 0 ? '#,##0' : `#,##0.${'0'.repeat(places)}`;
  return `${n} "${c}";-${n} "${c}";${places === 0 ? '0' : `0.${'0'.repeat(places)}`} "${c}"`;
}

/** Money as printed beside text: at the minor unit, with its currency ("9.27 USD"). */
export function moneyText(d: Decimal, currency: string): string {
  return `${d.toDisplay(minorUnits(currency))} ${currency}`;
}

export const DATE_FORMAT = 'yyyy-mm-dd';
export const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
export const PERCENT_FORMAT = '0.0%';
export const INTEGER_FORMAT = '#,##0';

/**
 * Input paths shortened to their file names inside cell text (the Inputs sheet lists the
 * full paths). A name two inputs share keeps its full path.
 */
export function pathShortener(paths: readonly string[]): (text: string) => string {
  const byName = new Map<string, string[]>();
  for (const p of paths) {
    const name = p.split(/[\\/]/).pop() ?? p;
    push(byName, name, p);
  }
  const pairs: [string, string][] = [];
  for (const [name, list] of byName) if (list.length === 1 && list[0] !== name) pairs.push([list[0]!, name]);
  pairs.sort((a, b) => b[0].length - a[0].length);
  if (pairs.length === 0) return (t) => t;
  return (text) => {
    let out = text;
    for (const [full, name] of pairs) if (out.includes(full)) out = out.split(full).join(name);
    return out;
  };
}
