/**
 * Exact decimal arithmetic for the fuzz harness, on BigInt, written apart from src/money.ts
 * on purpose: the harness must not share the code it checks.
 */
export interface Exact {
  units: bigint;
  scale: number;
}

export const ZERO: Exact = { units: 0n, scale: 0 };

// Exponents are bounded like any sane reader would bound them; beyond this the text is not money.
const MAX_EXPONENT = 1000;
const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses `-12.50`, `0.0034`, `1e309`; null for anything else (hex, empty, words). */
export function parseExact(text: string): Exact | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) return null;
  let units = BigInt(int + frac || '0');
  let scale = frac.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { units: m[1] === '-' ? -units : units, scale };
}

function rescale(a: Exact, scale: number): bigint {
  return a.units * 10n ** BigInt(scale - a.scale);
}

export function addExact(a: Exact, b: Exact): Exact {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function equalExact(a: Exact, b: Exact): boolean {
  const scale = Math.max(a.scale, b.scale);
  return rescale(a, scale) === rescale(b, scale);
}

/** Plain text of the value, for messages: `123.45`, never exponent notation. */
export function showExact(a: Exact): string {
  const neg = a.units < 0n;
  const digits = (neg ? -a.units : a.units).toString().padStart(a.scale + 1, '0');
  const int = digits.slice(0, digits.length - a.scale);
  const frac = digits.slice(digits.length - a.scale).replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  const shown = text.length > 60 ? `${text.slice(0, 25)}…(${text.length} chars)…${text.slice(-25)}` : text;
  return neg ? `-${shown}` : shown;
}
