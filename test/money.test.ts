import { describe, expect, it } from 'vitest';
import { allocateByWeight, Decimal, MAX_AMOUNT_DIGITS, ratio, roundPartsToWhole, sum } from '../src/money.js';
import { prng } from './helpers.js';

describe('Decimal.parseAmount', () => {
  it(`accepts amounts below 10^${MAX_AMOUNT_DIGITS}, exponents included (Python writes 1.2e-05)`, () => {
    expect(Decimal.parseAmount('1.2e-05')!.toString()).toBe('0.000012');
    expect(Decimal.parseAmount('-999999999999999.999')!.toString()).toBe('-999999999999999.999');
    expect(Decimal.parseAmount('0.003400000000000000000000000000000000')!.toString()).toBe('0.0034');
    expect(Decimal.parseAmount('0.00000000000000000001e20')!.toString()).toBe('1');
    expect(Decimal.parseAmount('0')!.toString()).toBe('0');
  });
  it('rejects 10^15 and more, however written', () => {
    for (const bad of ['1e15', '1000000000000000', '-1e15', '1e309', '1e308', '9'.repeat(400), '0.1e16', '00001000000000000000.0', '1e999999999']) {
      expect(Decimal.parseAmount(bad), bad).toBeNull();
    }
  });
});

describe('Decimal.parseAmount of plain text (read without the regular expression)', () => {
  // the general way, as parseAmount was before its plain-text path: parse, then the bound
  const general = (t: string) => {
    const d = Decimal.parse(t);
    return d !== null && (d.units < 0n ? -d.units : d.units) < 10n ** BigInt(d.scale + MAX_AMOUNT_DIGITS) ? d : null;
  };
  const shown = (d: Decimal | null) => (d === null ? 'null' : `${d.units}e-${d.scale}`);
  it('gives what the general way gives, edge cases and random texts alike', () => {
    const texts = [
      '0.7788931500000000',
      '-0.00',
      '-0',
      '0',
      '.5',
      '5.',
      '.',
      '-',
      '',
      '-.',
      '000123.4500',
      '999999999999999.9',
      '1000000000000000',
      '0999999999999999',
      '-999999999999999.999999999999',
      '123456789012345.678901',
      '0.000000000000000000001',
      '1e3',
      ' 1.0',
      '1.0 ',
      '+1',
      '1..0',
      '1.0.',
    ];
    const random = prng(20261203);
    const chars = '0123456789.-';
    for (let k = 0; k < 20_000; k++) {
      let t = '';
      for (let j = Math.floor(random() * 24); j > 0; j--) t += chars[Math.floor(random() * (k % 2 ? chars.length : 10))];
      texts.push(k % 3 ? t : `${k % 2 ? '-' : ''}${t}`);
    }
    for (const t of texts) expect(shown(Decimal.parseAmount(t)), JSON.stringify(t)).toBe(shown(general(t)));
  });
});

describe('Decimal.parse', () => {
  it('keeps every digit of long decimal strings from the cost export', () => {
    expect(Decimal.from('0.003400000000000000000000000000000000').toString()).toBe('0.0034');
    expect(Decimal.from('0.8958740000000000').toString()).toBe('0.895874');
    expect(Decimal.from('0.123456789012345678901234567890').toString()).toBe('0.12345678901234567890123456789');
  });
  it('reads signs, exponents and bare fractions', () => {
    expect(Decimal.from('-12.50').toString()).toBe('-12.5');
    expect(Decimal.from('+7').toString()).toBe('7');
    expect(Decimal.from('1.5e-5').toString()).toBe('0.000015');
    expect(Decimal.from('2E3').toString()).toBe('2000');
    expect(Decimal.from('.25').toString()).toBe('0.25');
    expect(Decimal.from('-0.000').toString()).toBe('0');
  });
  it('rejects what is not a number', () => {
    for (const bad of ['', '12,5O', 'abc', '1.2.3', '--1', '.', 'NaN', 'Infinity', '1e']) expect(Decimal.parse(bad)).toBeNull();
  });
  it('refuses huge exponents and digit counts from the text alone, at once', () => {
    for (const bad of ['1e999999999', '1e-999999999', `1${'0'.repeat(5000)}`, `0.${'1'.repeat(5000)}`, '1e1001']) expect(Decimal.parse(bad)).toBeNull();
    expect(Decimal.from('1e300').toString()).toBe(`1${'0'.repeat(300)}`);
  });
  it('sums without the drift of binary floats', () => {
    const tenth = Decimal.from('0.1');
    let acc = Decimal.ZERO;
    for (let i = 0; i < 1000; i++) acc = acc.plus(tenth);
    expect(acc.toString()).toBe('100');
    expect(Decimal.from('0.1').plus(Decimal.from('0.2')).toString()).toBe('0.3');
  });
  it('parse → toString round-trips (property)', () => {
    const rnd = prng(11);
    for (let i = 0; i < 2000; i++) {
      const int = String(Math.floor(rnd() * 1e9));
      const frac = String(Math.floor(rnd() * 1e12))
        .padStart(12, '0')
        .replace(/0+$/, '');
      const neg = rnd() < 0.3 && (int !== '0' || frac !== '');
      const text = `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
      const d = Decimal.from(text);
      expect(d.toString()).toBe(text);
      expect(Decimal.from(d.toString()).eq(d)).toBe(true);
    }
  });
});

describe('rounding for display', () => {
  it('rounds half away from zero', () => {
    expect(Decimal.from('2.345').toDisplay(2)).toBe('2.35');
    expect(Decimal.from('-2.345').toDisplay(2)).toBe('-2.35');
    expect(Decimal.from('2.344999').toDisplay(2)).toBe('2.34');
    expect(Decimal.from('7').toDisplay(2)).toBe('7.00');
    expect(Decimal.from('0.004').toDisplay(2)).toBe('0.00');
  });
  it('mulDiv prorates exactly and rounds once', () => {
    expect(Decimal.from('150.00').mulDiv(10n, 31n, 4).toString()).toBe('48.3871');
    expect(Decimal.from('100').mulDiv(1n, 3n, 2).toString()).toBe('33.33');
  });
});

describe('allocateByWeight (largest remainder)', () => {
  it('splits 0.10 three ways into parts that add up', () => {
    const parts = allocateByWeight(Decimal.from('0.10'), [1, 1, 1].map(Decimal.fromInt), 2);
    expect(parts.map(String)).toEqual(['0.04', '0.03', '0.03']);
  });
  it('gives the leftover unit to the largest remainder, ties to the earlier index', () => {
    const parts = allocateByWeight(Decimal.from('1.00'), ['0.333', '0.334', '0.333'].map(Decimal.from), 2);
    expect(parts.map(String)).toEqual(['0.33', '0.34', '0.33']);
  });
  it('handles negative totals (refunds) symmetrically', () => {
    const parts = allocateByWeight(Decimal.from('-0.10'), [1, 1, 1].map(Decimal.fromInt), 2);
    expect(sum(parts).toString()).toBe('-0.1');
  });
  it('refuses weights that sum to zero and totals finer than the scale', () => {
    expect(() => allocateByWeight(Decimal.from('1'), [Decimal.ZERO], 2)).toThrow();
    expect(() => allocateByWeight(Decimal.from('0.001'), [Decimal.fromInt(1)], 2)).toThrow();
  });
  it('parts always sum to the whole, exactly (property)', () => {
    const rnd = prng(5);
    for (let i = 0; i < 1000; i++) {
      const total = Decimal.of(BigInt(Math.floor((rnd() - 0.2) * 1e9)), Math.floor(rnd() * 8));
      const n = 1 + Math.floor(rnd() * 12);
      const weights = Array.from({ length: n }, () => Decimal.of(BigInt(Math.floor(rnd() * 1e6)), Math.floor(rnd() * 6)));
      if (weights.every((w) => w.isZero())) weights[0] = Decimal.fromInt(1);
      const scale = Math.max(total.scale, 2 + Math.floor(rnd() * 8));
      const parts = allocateByWeight(total, weights, scale);
      expect(sum(parts).eq(total)).toBe(true);
      // no part strays more than one unit from its exact proportional share
      const wSum = sum(weights);
      parts.forEach((p, k) => {
        const exact = (ratio(total.times(weights[k]!), wSum) ?? 0) as number;
        expect(Math.abs(p.toNumber() - exact)).toBeLessThanOrEqual(10 ** -scale * 1.0001 + Math.abs(exact) * 1e-9);
      });
    }
  });
});

describe('roundPartsToWhole', () => {
  it('rounded parts add up to the rounded whole (property)', () => {
    const rnd = prng(9);
    for (let i = 0; i < 1000; i++) {
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 20) }, () => Decimal.of(BigInt(Math.floor((rnd() - 0.3) * 1e7)), 5));
      const rounded = roundPartsToWhole(parts, 2);
      expect(sum(rounded).eq(sum(parts).round(2))).toBe(true);
      for (const [k, r] of rounded.entries()) expect(Math.abs(r.minus(parts[k]!).toNumber())).toBeLessThan(0.01 + 1e-12);
    }
  });
});
