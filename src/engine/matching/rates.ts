/**
 * FX rates of one run, kept as exact fractions: the config's rates win; otherwise the median
 * of the bank's own conversions (statement lines printing both amounts).
 */
import { Decimal } from '../../money.js';
import type { MatchOptions } from './config.js';
import { cmpStr } from './format.js';
import type { CardNode } from './nodes.js';

/** a / b rounded half away from zero to `scale` decimals (display of rates and FX differences). */
export function divideRounded(a: Decimal, b: Decimal, scale: number): Decimal {
  if (b.isZero()) throw new RangeError('divideRounded: division by zero');
  let num = a.units * 10n ** BigInt(b.scale + scale);
  let den = b.units * 10n ** BigInt(a.scale);
  if (den < 0n) {
    den = -den;
    num = -num;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return Decimal.of(neg ? -q : q, scale);
}

/** An exact FX rate: 1 `from` = num/den `to`. */
export interface Rate {
  from: string;
  to: string;
  num: Decimal;
  den: Decimal;
  source: 'config' | 'statement';
  samples: number;
}

export function rateText(r: Rate): string {
  return `1 ${r.from} = ${divideRounded(r.num, r.den, 6).toString()} ${r.to}`;
}

function cmpRate(a: Rate, b: Rate): number {
  return a.num.times(b.den).cmp(b.num.times(a.den));
}

/** The rates a run compares amounts with, keyed `FROM>TO`. */
export function buildRates(cards: readonly CardNode[], o: MatchOptions): Map<string, Rate> {
  const rates = new Map<string, Rate>();
  const derived = new Map<string, Rate[]>();
  for (const c of cards) {
    const l = c.line;
    if (!c.foreign || l.originalAmount === null || l.originalCurrency === null) continue;
    if (l.amount.isZero() || l.originalAmount.isZero()) continue;
    const key = `${l.originalCurrency}>${l.currency}`;
    const list = derived.get(key) ?? [];
    list.push({ from: l.originalCurrency, to: l.currency, num: l.amount.abs(), den: l.originalAmount.abs(), source: 'statement', samples: 1 });
    derived.set(key, list);
  }
  for (const [key, list] of [...derived].sort((a, b) => cmpStr(a[0], b[0]))) {
    // the median of the bank's own conversions is robust to one odd line
    const sorted = [...list].sort(cmpRate);
    const med = sorted[Math.floor((sorted.length - 1) / 2)]!;
    rates.set(key, { ...med, samples: list.length });
  }
  for (const r of o.fxRates) {
    rates.set(`${r.from}>${r.to}`, { from: r.from, to: r.to, num: r.rate, den: Decimal.fromInt(1), source: 'config', samples: 0 });
    rates.delete(`${r.to}>${r.from}`);
  }
  return rates;
}

/** The rate from → to, inverting a stored to → from one. */
export function lookupRate(rates: ReadonlyMap<string, Rate>, from: string, to: string): Rate | null {
  const direct = rates.get(`${from}>${to}`);
  if (direct) return direct;
  const inv = rates.get(`${to}>${from}`);
  return inv ? { ...inv, from, to, num: inv.den, den: inv.num } : null;
}
