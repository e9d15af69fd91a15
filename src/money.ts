/**
 * The one exact decimal type of spendrecon.
 *
 * A Decimal is a bigint count of units at a decimal scale: value = units / 10^scale.
 * Why bigint and not a decimal library: amounts arrive as long decimal strings
 * (`0.003400000000000000000000000000000000`) whose digits must all survive; a
 * scaled bigint keeps every digit, sums millions of rows exactly, and needs no
 * dependency. Scale grows only where the input or a multiplication needs it.
 *
 * Nothing here rounds except `round`, `toDisplay` and the largest-remainder
 * helpers, which are used only when a figure is presented or split.
 */

const TEN = 10n;
const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  while (POW10.length <= n) POW10.push(POW10[POW10.length - 1]! * TEN);
  return POW10[n]!;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Amounts read from input must be below 10^15 in magnitude. No real export holds a
 * quadrillion, and the bound keeps every sum of millions of rows well inside the range a
 * spreadsheet number (a double) holds finitely — `1e309` or 400 nines never reach a cell as
 * Infinity, and `1e999999999` is refused before any digit is allocated.
 */
export const MAX_AMOUNT_DIGITS = 15;

/** Digits a parsed text may carry after the point (exponent included): 36 are seen in real exports. */
const MAX_SCALE = 1000;

export class Decimal {
  /** value = units / 10^scale; scale >= 0; trailing zeros are stripped on construction from text. */
  private constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  static readonly ZERO = new Decimal(0n, 0);

  static of(units: bigint, scale = 0): Decimal {
    if (scale < 0 || !Number.isInteger(scale)) throw new RangeError(`bad scale ${scale}`);
    return new Decimal(units, scale);
  }

  static fromInt(n: number | bigint): Decimal {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    return new Decimal(BigInt(n), 0);
  }

  /**
   * Parses plain decimal text: optional sign, digits, optional fraction, optional exponent.
   * Returns null for anything else (the caller knows file/line/column to report). The size is
   * checked on the text before any bigint is built, so no exponent can make it hang or allocate.
   */
  static parse(text: string): Decimal | null {
    const m = DECIMAL_TEXT.exec(text.trim());
    return m ? fromMatch(m, MAX_SCALE) : null;
  }

  /**
   * An amount read from an input file: `parse`, and below 10^15 in magnitude
   * (MAX_AMOUNT_DIGITS). Null when the text is not a number or is too large.
   */
  static parseAmount(text: string): Decimal | null {
    const plain = plainAmount(text);
    if (plain !== undefined) return plain;
    const m = DECIMAL_TEXT.exec(text.trim());
    const d = m ? fromMatch(m, MAX_AMOUNT_DIGITS) : null;
    return d !== null && (d.units < 0n ? -d.units : d.units) < pow10(d.scale + MAX_AMOUNT_DIGITS) ? d : null;
  }

  /** Parses or throws; for trusted text (shipped data, validated config). */
  static from(text: string): Decimal {
    const d = Decimal.parse(text);
    if (d === null) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    return d;
  }

  /** The same value written at a larger scale (never loses digits). */
  rescale(scale: number): Decimal {
    if (scale === this.scale) return this;
    if (scale < this.scale) throw new RangeError(`rescale would lose digits (${this.scale} -> ${scale}); use round()`);
    return new Decimal(this.units * pow10(scale - this.scale), scale);
  }

  /** Units at the given scale; the value must be exact at that scale. */
  unitsAt(scale: number): bigint {
    return this.rescale(scale).units;
  }

  plus(o: Decimal): Decimal {
    if (this.scale === o.scale) return new Decimal(this.units + o.units, this.scale);
    if (this.scale > o.scale) return new Decimal(this.units + o.units * pow10(this.scale - o.scale), this.scale);
    return new Decimal(this.units * pow10(o.scale - this.scale) + o.units, o.scale);
  }

  minus(o: Decimal): Decimal {
    return this.plus(o.neg());
  }

  neg(): Decimal {
    return new Decimal(-this.units, this.scale);
  }

  abs(): Decimal {
    return this.units < 0n ? this.neg() : this;
  }

  times(o: Decimal): Decimal {
    return new Decimal(this.units * o.units, this.scale + o.scale);
  }

  timesInt(n: number | bigint): Decimal {
    return new Decimal(this.units * BigInt(n), this.scale);
  }

  /** this × num / den rounded half away from zero to `scale` decimals (prorating a budget). */
  mulDiv(num: bigint, den: bigint, scale: number): Decimal {
    if (den <= 0n) throw new RangeError('mulDiv: denominator must be positive');
    const base = this.rescale(Math.max(this.scale, scale));
    const shift = pow10(base.scale - scale);
    const numer = base.units * num;
    const d = den * shift;
    const neg = numer < 0n;
    const a = neg ? -numer : numer;
    let q = a / d;
    if ((a % d) * 2n >= d) q += 1n;
    return new Decimal(neg ? -q : q, scale);
  }

  /** Exact division by a power of ten (e.g. a price per 1M tokens). */
  shiftLeft(places: number): Decimal {
    return new Decimal(this.units, this.scale + places);
  }

  cmp(o: Decimal): -1 | 0 | 1 {
    const s = Math.max(this.scale, o.scale);
    const a = this.unitsAt(s);
    const b = o.unitsAt(s);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  eq(o: Decimal): boolean {
    return this.cmp(o) === 0;
  }

  static max(a: Decimal, b: Decimal): Decimal {
    return a.cmp(b) >= 0 ? a : b;
  }

  static min(a: Decimal, b: Decimal): Decimal {
    return a.cmp(b) <= 0 ? a : b;
  }

  sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  /** Rounds half away from zero to `scale` decimals (presentation only). */
  round(scale: number): Decimal {
    if (scale >= this.scale) return this;
    const div = pow10(this.scale - scale);
    const neg = this.units < 0n;
    const a = neg ? -this.units : this.units;
    let q = a / div;
    if ((a % div) * 2n >= div) q += 1n;
    return new Decimal(neg ? -q : q, scale);
  }

  /** Largest integer count of 10^-scale units not above this value. */
  floorUnits(scale: number): bigint {
    if (scale >= this.scale) return this.unitsAt(scale);
    const div = pow10(this.scale - scale);
    const q = this.units / div;
    return this.units < 0n && q * div !== this.units ? q - 1n : q;
  }

  /** Canonical exact text: no exponent, no trailing zeros ("0.0034", "-12", "0"). */
  toString(): string {
    const n = this.normalize();
    return formatUnits(n.units, n.scale);
  }

  /** Removes trailing zero digits from the representation. */
  normalize(): Decimal {
    let u = this.units;
    let s = this.scale;
    while (s > 0 && u % TEN === 0n) {
      u /= TEN;
      s--;
    }
    return s === this.scale ? this : new Decimal(u, s);
  }

  /** Rounded text with exactly `scale` decimals, for display ("12.30"). */
  toDisplay(scale: number): string {
    const r = this.round(scale).rescale(scale);
    return formatUnits(r.units, scale);
  }

  /**
   * A JS number for spreadsheet cells and ratios only, never for arithmetic on money.
   * Goes through the exact decimal text, so the nearest double is chosen.
   */
  toNumber(): number {
    return Number(this.toString());
  }

  toJSON(): string {
    return this.toString();
  }
}

/**
 * The value of a DECIMAL_TEXT match, or null when it has more than `maxIntDigits` integer
 * digits or more than MAX_SCALE after the point — both known from the text, before any
 * bigint is built, so no exponent can make it hang or allocate.
 */
const ZERO_CODE = 48;
const isDigit = (c: number) => c >= ZERO_CODE && c <= ZERO_CODE + 9;

/**
 * parseAmount of the text exports hold (`-12.3400`: an optional minus, digits, an optional
 * point and digits), read without the regular expression and the slices: the same Decimal or
 * null. Undefined for any other text (space, a plus, an exponent), which takes the general way.
 */
function plainAmount(text: string): Decimal | null | undefined {
  const len = text.length;
  const neg = text.charCodeAt(0) === 45;
  let i = neg ? 1 : 0;
  let intStart = i;
  while (i < len && isDigit(text.charCodeAt(i))) i++;
  const intEnd = i;
  let fracStart = i;
  let fracEnd = i;
  if (i < len && text.charCodeAt(i) === 46) {
    fracStart = ++i;
    while (i < len && isDigit(text.charCodeAt(i))) i++;
    fracEnd = i;
  }
  if (i !== len || (intEnd === intStart && fracEnd === fracStart)) return undefined;
  while (fracEnd > fracStart && text.charCodeAt(fracEnd - 1) === ZERO_CODE) fracEnd--;
  while (intStart < intEnd && text.charCodeAt(intStart) === ZERO_CODE) intStart++;
  if (intEnd - intStart > MAX_AMOUNT_DIGITS) return null;
  const scale = fracEnd - fracStart;
  let units: bigint;
  if (intEnd - intStart + scale <= 15) {
    // at most 15 digits: exact as a double
    let n = 0;
    for (let k = intStart; k < intEnd; k++) n = n * 10 + text.charCodeAt(k) - ZERO_CODE;
    for (let k = fracStart; k < fracEnd; k++) n = n * 10 + text.charCodeAt(k) - ZERO_CODE;
    units = BigInt(n);
  } else units = BigInt(text.slice(intStart, intEnd) + text.slice(fracStart, fracEnd));
  return Decimal.of(neg ? -units : units, scale);
}

function fromMatch(m: RegExpExecArray, maxIntDigits: number): Decimal | null {
  const sign = m[1];
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return null;
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_SCALE) return null;
  if (fracPart.length - exp > MAX_SCALE || significantIntDigits(intPart, fracPart) + exp > maxIntDigits) return null;
  let digits = intPart + fracPart;
  let scale = fracPart.length - exp;
  // strip trailing zeros so equal values have equal representations
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48 && scale > 0) {
    end--;
    scale--;
  }
  digits = digits.slice(0, end);
  let units = digits === '' ? 0n : BigInt(digits);
  if (scale < 0) {
    units *= pow10(-scale);
    scale = 0;
  }
  if (sign === '-') units = -units;
  return Decimal.of(units, scale);
}

/**
 * Digits before the point once leading zeros are dropped, counted as if the fraction were
 * part of the number (`0.05` → -1): the value is below 10^(this + exponent).
 */
function significantIntDigits(intPart: string, fracPart: string): number {
  let i = 0;
  while (i < intPart.length && intPart.charCodeAt(i) === 48) i++;
  if (i < intPart.length) return intPart.length - i;
  let f = 0;
  while (f < fracPart.length && fracPart.charCodeAt(f) === 48) f++;
  return f < fracPart.length ? -f : -Infinity;
}

function formatUnits(units: bigint, scale: number): string {
  const neg = units < 0n;
  let digits = (neg ? -units : units).toString();
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return neg && units !== 0n ? `-${digits}` : digits;
}

export function sum(values: Iterable<Decimal>): Decimal {
  let acc = Decimal.ZERO;
  for (const v of values) acc = acc.plus(v);
  return acc;
}

/**
 * Splits `total` into parts proportional to non-negative `weights`, exactly:
 * the parts are multiples of 10^-scale and add up to `total` (which must be exact at
 * `scale`). Largest remainder: each part gets its floor, the units left over go to the
 * largest fractional remainders, ties to the earlier index. Throws if all weights are 0.
 */
export function allocateByWeight(total: Decimal, weights: readonly Decimal[], scale: number): Decimal[] {
  if (weights.length === 0) throw new RangeError('allocateByWeight: no weights');
  const wScale = weights.reduce((s, w) => Math.max(s, w.scale), 0);
  const w = weights.map((x) => {
    const u = x.unitsAt(wScale);
    if (u < 0n) throw new RangeError('allocateByWeight: negative weight');
    return u;
  });
  const wSum = w.reduce((a, b) => a + b, 0n);
  if (wSum === 0n) throw new RangeError('allocateByWeight: weights sum to zero');
  const exact = total.normalize();
  if (exact.scale > scale) throw new RangeError(`allocateByWeight: total ${total} is not exact at scale ${scale}`);
  const T = exact.unitsAt(scale);
  const neg = T < 0n;
  const totalUnits = neg ? -T : T;
  const parts = new Array<bigint>(w.length);
  const rema = new Array<bigint>(w.length);
  let given = 0n;
  for (let i = 0; i < w.length; i++) {
    const num = totalUnits * w[i]!;
    parts[i] = num / wSum;
    rema[i] = num % wSum;
    given += parts[i]!;
  }
  let left = totalUnits - given;
  if (left > 0n) {
    const order = w.map((_, i) => i).sort((a, b) => (rema[b]! > rema[a]! ? 1 : rema[b]! < rema[a]! ? -1 : a - b));
    for (let k = 0; left > 0n; k++, left--) parts[order[k]!]! += 1n;
  }
  return parts.map((p) => Decimal.of(neg ? -p : p, scale));
}

/**
 * Rounds each part to `scale` decimals so that the rounded parts add up to the
 * rounded sum of the parts (largest remainder). Used when a table shows parts in cents.
 */
export function roundPartsToWhole(parts: readonly Decimal[], scale: number): Decimal[] {
  if (parts.length === 0) return [];
  const target = sum(parts).round(scale).unitsAt(scale);
  const floors = parts.map((p) => p.floorUnits(scale));
  const srcScale = parts.reduce((s, p) => Math.max(s, p.scale, scale), scale);
  const rema = parts.map((p, i) => p.unitsAt(srcScale) - floors[i]! * pow10(srcScale - scale));
  let left = target - floors.reduce((a, b) => a + b, 0n);
  const order = parts.map((_, i) => i).sort((a, b) => (rema[b]! > rema[a]! ? 1 : rema[b]! < rema[a]! ? -1 : a - b));
  for (let k = 0; left > 0n; k++, left--) floors[order[k % order.length]!]! += 1n;
  return floors.map((u) => Decimal.of(u, scale));
}

/** Ratio a/b as a JS number for percentages (not money). Null when b is zero. */
export function ratio(a: Decimal, b: Decimal): number | null {
  if (b.isZero()) return null;
  const s = Math.max(a.scale, b.scale);
  const au = a.unitsAt(s);
  const bu = b.unitsAt(s);
  // 12 significant digits are plenty for a percentage
  const scaled = (au * 10n ** 12n) / bu;
  return Number(scaled) / 1e12;
}

const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'PYG', 'UGX', 'XAF', 'XOF']);
const THREE_DECIMAL = new Set(['KWD', 'BHD', 'OMR', 'JOD', 'TND', 'IQD', 'LYD']);

/** Decimals of the currency's minor unit (ISO 4217): 0 for JPY/KRW, 3 for KWD/BHD/OMR/JOD/TND, else 2. */
export function minorUnits(currency: string): number {
  const c = currency.toUpperCase();
  if (ZERO_DECIMAL.has(c)) return 0;
  if (THREE_DECIMAL.has(c)) return 3;
  return 2;
}
