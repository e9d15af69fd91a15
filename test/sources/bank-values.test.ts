import { describe, expect, it } from 'vitest';
import { Decimal } from '../../src/money.js';
import { isBlank, lastFour, normaliseCurrency, parseAmount, splitRegionCode, type NumberFormat } from '../../src/sources/bank-values.js';
import { findPeriodHint, looksLikeDate, parseDate, placeMonthDay, resolveDateOrder } from '../../src/sources/bank-dates.js';

const US: NumberFormat = { decimalMark: '.', thousandsSeparator: ',' };
const DE: NumberFormat = { decimalMark: ',', thousandsSeparator: '.' };
const FR: NumberFormat = { decimalMark: ',', thousandsSeparator: ' ' };
const CH: NumberFormat = { decimalMark: '.', thousandsSeparator: "'" };
const PLAIN: NumberFormat = { decimalMark: '.', thousandsSeparator: '' };

function amount(text: string, fmt: NumberFormat = US): string {
  const r = parseAmount(text, fmt);
  if (!r.ok) throw new Error(`${text}: ${r.error}`);
  return r.value.toString();
}

function amountError(text: string, fmt: NumberFormat = US): string {
  const r = parseAmount(text, fmt);
  if (r.ok) throw new Error(`${text} parsed as ${r.value.toString()}`);
  return r.error;
}

describe('parseAmount: signs', () => {
  it.each([
    ['-12.00', '-12'],
    ['12.00', '12'],
    ['+12.00', '12'],
    ['(12.00)', '-12'],
    ['12.00-', '-12'],
    ['\u221212.00', '-12'],
    ['\u201312.34', '-12.34'],
    ['-($67.00)', '-67'],
    ['($67.00)', '-67'],
    ['-$67.00', '-67'],
    ['$-67.00', '-67'],
    ['  -0.10  ', '-0.1'],
    ['-0.00', '0'],
    ['\uff0d12.00', '-12'], // full-width hyphen-minus
  ])('%j → %s', (text, want) => {
    expect(amount(text)).toBe(want);
  });

  it('DR is money out (negative), CR money in; the direction is reported', () => {
    const dr = parseAmount('12.00 DR', US);
    const cr = parseAmount('12.00 CR', US);
    expect(dr.ok && dr.value.toString()).toBe('-12');
    expect(dr.ok && dr.direction).toBe('debit');
    expect(cr.ok && cr.value.toString()).toBe('12');
    expect(cr.ok && cr.direction).toBe('credit');
    expect(amount('12.00DR')).toBe('-12');
    expect(amount('1,234.50 cr')).toBe('1234.5');
    expect(amount('12.00 Dr.')).toBe('-12');
    const plain = parseAmount('12.00', US);
    expect(plain.ok && plain.direction).toBeNull();
  });

  it('rejects contradictory sign marks', () => {
    expect(amountError('--12.00')).toMatch(/more than one minus/);
    expect(amountError('-12.00 CR')).toMatch(/CR .*negative/);
    expect(amountError('+(12.00)')).toMatch(/plus sign and a negative/);
    expect(amountError('12.00 DR CR')).toMatch(/more than one DR\/CR/);
    expect(amountError('((12.00))')).toMatch(/nested parentheses/);
  });
});

describe('parseAmount: currency symbols and codes', () => {
  it.each([
    ['$1,234.56', US, '1234.56'],
    ['€12.50', US, '12.5'],
    ['£0.99', US, '0.99'],
    ['¥1,000', US, '1000'],
    ['￥1,000.00', US, '1000'],
    ['US$20.00', US, '20'],
    ['12,00 €', DE, '12'],
    ['€ -12,00', DE, '-12'],
    ['-1.198,20 €', DE, '-1198.2'],
  ])('%j → %s', (text, fmt, want) => {
    expect(amount(text, fmt)).toBe(want);
  });

  it.each([
    ['20.00(USD)', '20', 'USD'],
    ['-20.00(USD)', '-20', 'USD'],
    ['20.00（USD）', '20', 'USD'],
    ['20.00 (usd)', '20', 'USD'],
    ['USD 20.00', '20', 'USD'],
    ['20.00 EUR', '20', 'EUR'],
    ['EUR -1,234.00', '-1234', 'EUR'],
    ['47.500(KWD)', '47.5', 'KWD'],
    ['100.00(美元)', '100', 'USD'],
    ['145.32(人民币)', '145.32', 'CNY'],
  ])('%j → %s %s', (text, want, cur) => {
    const r = parseAmount(text, US);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.toString()).toBe(want);
      expect(r.currency).toBe(cur);
    }
  });

  it('a plain amount has no currency', () => {
    const r = parseAmount('20.00', US);
    expect(r.ok && r.currency).toBeNull();
  });

  it('two different currencies in one cell are an error', () => {
    expect(amountError('USD 12.00 EUR')).toMatch(/two currencies \(EUR, USD\)|two currencies \(USD, EUR\)/);
  });
});

describe('parseAmount: decimal marks and grouping', () => {
  it.each([
    ['1,234.56', US, '1234.56'],
    ['1,234,567.89', US, '1234567.89'],
    ['1.234,56', DE, '1234.56'],
    ['-1.198,20', DE, '-1198.2'],
    ['1.234.567,89', DE, '1234567.89'],
    ['0,5', DE, '0.5'],
    ['1 234,56', FR, '1234.56'],
    ['1\u00a0150,00', FR, '1150'],
    ['1\u202f150,00', FR, '1150'],
    ["1'234.50", CH, '1234.5'],
    ['1,23,456.00', US, '123456'],
    ['1234.56', PLAIN, '1234.56'],
    ['.50', US, '0.5'],
    ['12.', US, '12'],
  ])('%j with %j → %s', (text, fmt, want) => {
    expect(amount(text, fmt)).toBe(want);
  });

  it('3-decimal currencies: 12.345 is 12.345 when "." is the decimal mark, 12345 when it groups thousands', () => {
    expect(amount('12.345', US)).toBe('12.345');
    expect(amount('12.345', DE)).toBe('12345');
    expect(amount('-1,012.345', US)).toBe('-1012.345');
  });

  it('keeps every digit (no binary float anywhere)', () => {
    expect(amount('123456789012345.12345678901234567890')).toBe('123456789012345.1234567890123456789');
    // 10^15 and above is no bank amount (MAX_AMOUNT_DIGITS)
    expect(parseAmount('12345678901234567890.123456789', US)).toMatchObject({ ok: false, error: expect.stringMatching(/not an amount below 10\^15/) });
    const a = parseAmount('0.1', US);
    const b = parseAmount('0.2', US);
    expect(a.ok && b.ok && a.value.plus(b.value).toString()).toBe('0.3');
  });

  it('a number written for the other decimal mark is an error that says so', () => {
    expect(amountError('12,50', US)).toMatch(/not in threes.*decimalMark to ","/);
    expect(amountError('1.234,56', US)).toMatch(/thousands separator "," after the decimal mark/);
    expect(amountError('1.198.20', US)).toMatch(/more than one decimal mark.*decimalMark to ","/);
    expect(amountError('1,234.56', DE)).toMatch(/thousands separator "\." after the decimal mark/);
    expect(amountError('1,234.56', FR)).toMatch(/uses "\."/);
    expect(amountError('1 234.56', US)).toMatch(/unexpected character " "/);
    expect(amountError('1,2345.00', US)).toMatch(/not in threes/);
  });

  it('empty and non-numeric cells are errors', () => {
    expect(amountError('')).toMatch(/empty cell/);
    expect(amountError('   ')).toMatch(/empty cell/);
    expect(amountError('n/a')).toMatch(/"n\/a"/);
    expect(amountError('$')).toMatch(/expected an amount/);
    expect(amountError('12a')).toMatch(/unexpected character "a"/);
  });

  it('round-trips: any exact value written in any number format parses back to itself', () => {
    let seed = 42;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    const group = (digits: string, sep: string): string => {
      if (!sep) return digits;
      const parts: string[] = [];
      for (let end = digits.length; end > 0; end -= 3) parts.unshift(digits.slice(Math.max(0, end - 3), end));
      return parts.join(sep);
    };
    for (const fmt of [US, DE, FR, CH, PLAIN]) {
      for (let i = 0; i < 300; i++) {
        const units = BigInt(next()) * BigInt(next() % 1000);
        const scale = next() % 4;
        const value = Decimal.of(next() % 2 ? -units : units, scale);
        const abs = value.abs().toDisplay(scale);
        const [intPart, frac] = abs.split('.');
        const body = group(intPart!, fmt.thousandsSeparator) + (frac ? fmt.decimalMark + frac : '');
        const styles = [`-${body}`, `(${body})`, `${body}-`, `\u2212${body}`];
        const text = value.sign() < 0 ? styles[i % styles.length]! : body;
        const r = parseAmount(text, fmt);
        expect(r.ok && r.value.eq(value), `${text} with ${JSON.stringify(fmt)}`).toBe(true);
      }
    }
  });
});

describe('parseDate', () => {
  it.each([
    ['2026-10-03', 'YYYY-MM-DD', '2026-10-03'],
    ['2026-10-03 14:22:10', 'YYYY-MM-DD', '2026-10-03'],
    ['2026-10-03T23:59:59.123', 'YYYY-MM-DD', '2026-10-03'],
    ['2026/1/5', 'YYYY/MM/DD', '2026-01-05'],
    ['31/10/2026', 'DD/MM/YYYY', '2026-10-31'],
    ['03/11/2026', 'DD/MM/YYYY', '2026-11-03'],
    ['10/31/2026', 'MM/DD/YYYY', '2026-10-31'],
    ['03/11/2026', 'MM/DD/YYYY', '2026-03-11'],
    ['1/5/2026 3:04 PM', 'MM/DD/YYYY', '2026-01-05'],
    ['31.10.2026', 'DD.MM.YYYY', '2026-10-31'],
    ['1.2.2026', 'DD.MM.YYYY', '2026-02-01'],
    ['2026年10月31日', 'YYYY年MM月DD日', '2026-10-31'],
    ['2026年1月5日', 'YYYY年MM月DD日', '2026-01-05'],
    ['20260831', 'YYYYMMDD', '2026-08-31'],
  ] as const)('%j as %s → %s', (text, format, want) => {
    const r = parseDate(text, [format]);
    expect(r).toMatchObject({ ok: true, date: want, format });
  });

  it.each([
    ['10 Feb 18', 'DD MMM YY', '2018-02-10'],
    ['13 Jun 2025', 'DD MMM YYYY', '2025-06-13'],
    ['1 Apr 2026', 'DD MMM YYYY', '2026-04-01'],
    ['01-Apr-2025', 'DD-MMM-YYYY', '2025-04-01'],
    ['01-APR-25', 'DD-MMM-YY', '2025-04-01'],
    ['3 September 2026', 'DD MMM YYYY', '2026-09-03'],
    ['3 Sept 2026', 'DD MMM YYYY', '2026-09-03'],
    ['05 Okt 2026', 'DD MMM YYYY', '2026-10-05'],
    ['05 März 2026', 'DD MMM YYYY', '2026-03-05'],
    ['05 févr. 2026', 'DD MMM YYYY', '2026-02-05'],
    ['05 août 2026', 'DD MMM YYYY', '2026-08-05'],
    ['05 mrt 2026', 'DD MMM YYYY', '2026-03-05'],
    ['05 mei 2026', 'DD MMM YYYY', '2026-05-05'],
    ['12 Nov 2026 14:05', 'DD MMM YYYY', '2026-11-12'],
  ] as const)('month name: %j as %s → %s', (text, format, want) => {
    expect(parseDate(text, [format])).toMatchObject({ ok: true, date: want, format });
  });

  it('a month name the reader does not know, or a day the month lacks, is an error naming the cell', () => {
    expect(parseDate('10 Fbr 18', ['DD MMM YY'])).toEqual({ ok: false, error: '"10 Fbr 18": "Fbr" is not a month name (DD MMM YY: English, German, French or Dutch)' });
    expect(parseDate('30 Feb 2026', ['DD MMM YYYY'])).toEqual({ ok: false, error: '"30 Feb 2026" is not a calendar date (DD MMM YYYY)' });
    // two-digit years follow the pivot like DD.MM.YY
    expect(parseDate('10 Feb 75', ['DD MMM YY'])).toMatchObject({ ok: true, date: '1975-02-10' });
    expect(parseDate('10 Feb 75', ['DD MMM YY'], { twoDigitYearPivot: 80 })).toMatchObject({ ok: true, date: '2075-02-10' });
  });

  it('instant: a date-time with its zone falls on its calendar date in the context zone (UTC when none)', () => {
    expect(parseDate('2018-02-25 12:34:56 +0000', ['instant'])).toEqual({ ok: true, date: '2018-02-25', format: 'instant' });
    expect(parseDate('2026-11-03T23:41:07Z', ['instant'], { timeZone: 'Asia/Tokyo' })).toMatchObject({ ok: true, date: '2026-11-04' });
    expect(parseDate('2026-11-04T02:41:07.000Z', ['instant'], { timeZone: 'America/Los_Angeles' })).toMatchObject({ ok: true, date: '2026-11-03' });
    expect(parseDate('2026-11-03 23:30:00 -05:00', ['instant'])).toMatchObject({ ok: true, date: '2026-11-04' });
    expect(parseDate('2026-11-03T01:30+0530', ['instant'])).toMatchObject({ ok: true, date: '2026-11-02' });
    // without its zone a time is no instant: which day it is would be a guess
    expect(parseDate('2026-11-03 23:41:07', ['instant'])).toEqual({ ok: false, error: 'expected a date (instant), found "2026-11-03 23:41:07"' });
    expect(parseDate('2026-11-03 23:41:07 +0000', ['YYYY-MM-DD']).ok).toBe(false);
    expect(parseDate('2026-02-30T10:00:00Z', ['instant'])).toEqual({ ok: false, error: '"2026-02-30T10:00:00Z" is not a calendar date and time (instant)' });
    expect(parseDate('2026-11-03T10:00:00+1900', ['instant'])).toEqual({ ok: false, error: '"2026-11-03T10:00:00+1900" has no valid UTC offset (+1900)' });
  });

  it('tries the formats in order and uses the first whose shape fits', () => {
    expect(parseDate('2026-10-03', ['DD.MM.YYYY', 'YYYY-MM-DD'])).toMatchObject({ ok: true, date: '2026-10-03', format: 'YYYY-MM-DD' });
    expect(parseDate('03.10.2026', ['DD.MM.YYYY', 'YYYY-MM-DD'])).toMatchObject({ ok: true, date: '2026-10-03', format: 'DD.MM.YYYY' });
  });

  it('a date that does not parse is an error, never a default', () => {
    const bad = parseDate('yesterday', ['MM/DD/YYYY']);
    expect(bad).toEqual({ ok: false, error: 'expected a date (MM/DD/YYYY), found "yesterday"' });
    expect(parseDate('', ['YYYY-MM-DD'])).toEqual({ ok: false, error: 'expected a date (YYYY-MM-DD), found an empty cell' });
    expect(parseDate('02/30/2026', ['MM/DD/YYYY'])).toEqual({ ok: false, error: '"02/30/2026" is not a calendar date (MM/DD/YYYY)' });
    expect(parseDate('2026-13-01', ['YYYY-MM-DD'])).toMatchObject({ ok: false, error: expect.stringMatching(/not a calendar date/) });
    expect(parseDate('31/10/2026', ['MM/DD/YYYY'])).toMatchObject({ ok: false, error: expect.stringMatching(/not a calendar date/) });
    expect(parseDate('2026-10-03', ['DD/MM/YYYY', 'DD.MM.YYYY'])).toEqual({ ok: false, error: 'expected a date (DD/MM/YYYY or DD.MM.YYYY), found "2026-10-03"' });
    expect(parseDate('20261301', ['YYYYMMDD']).ok).toBe(false);
    expect(parseDate('2025-02-29', ['YYYY-MM-DD']).ok).toBe(false);
    expect(parseDate('2028-02-29', ['YYYY-MM-DD']).ok).toBe(true);
  });

  it('auto: uses the column-wide order; alone, it accepts only values no order could misread', () => {
    expect(parseDate('03/10/2026', ['auto'], { order: 'DMY' })).toMatchObject({ ok: true, date: '2026-10-03' });
    expect(parseDate('03/10/2026', ['auto'], { order: 'MDY' })).toMatchObject({ ok: true, date: '2026-03-10' });
    expect(parseDate('03.10.2026', ['auto'], { order: 'DMY' })).toMatchObject({ ok: true, date: '2026-10-03' });
    expect(parseDate('03-10-2026', ['auto'], { order: 'MDY' })).toMatchObject({ ok: true, date: '2026-03-10' });
    expect(parseDate('15/10/2026', ['auto'], { order: 'either' })).toMatchObject({ ok: true, date: '2026-10-15' });
    expect(parseDate('10/15/2026', ['auto'])).toMatchObject({ ok: true, date: '2026-10-15' });
    expect(parseDate('05/05/2026', ['auto'])).toMatchObject({ ok: true, date: '2026-05-05' });
    const amb = parseDate('03/10/2026', ['auto']);
    expect(amb.ok).toBe(false);
    expect(!amb.ok && amb.error).toMatch(/fits both DD\/MM\/YYYY and MM\/DD\/YYYY; set the profile's date order/);
    expect(parseDate('15/10/2026', ['auto'], { orderError: 'column mixes orders' })).toEqual({ ok: false, error: 'column mixes orders' });
    expect(parseDate('15/10/2026', ['auto'], { order: 'MDY' })).toMatchObject({ ok: false, error: expect.stringMatching(/not a calendar date \(MM\/DD\/YYYY\)/) });
  });

  it('MM/DD takes its year from the statement period, across December/January', () => {
    const period = { from: '2026-12-05', to: '2027-01-04', source: 'test' };
    expect(parseDate('12/28', ['MM/DD'], { period })).toMatchObject({ ok: true, date: '2026-12-28', daysOutsidePeriod: 0 });
    expect(parseDate('01/03', ['MM/DD'], { period })).toMatchObject({ ok: true, date: '2027-01-03', daysOutsidePeriod: 0 });
    expect(parseDate('12/01', ['MM/DD'], { period })).toMatchObject({ ok: true, date: '2026-12-01', daysOutsidePeriod: 4 });
    expect(parseDate('01/10 08:15', ['MM/DD'], { period })).toMatchObject({ ok: true, date: '2027-01-10', daysOutsidePeriod: 6 });
    const noYear = parseDate('12/28', ['MM/DD']);
    expect(!noYear.ok && noYear.error).toMatch(/has no year and the statement has no period line/);
    expect(parseDate('13/01', ['MM/DD'], { period }).ok).toBe(false);
    expect(parseDate('02/30', ['MM/DD'], { period }).ok).toBe(false);
    expect(parseDate('12/28/2026', ['MM/DD'], { period }).ok).toBe(false);
  });

  it('looksLikeDate checks the shape only (tells data rows from trailer lines)', () => {
    expect(looksLikeDate('12/28', ['MM/DD'])).toBe(true);
    expect(looksLikeDate('02/30/2026', ['MM/DD/YYYY'])).toBe(true);
    expect(looksLikeDate('本期应还金额', ['MM/DD'])).toBe(false);
    expect(looksLikeDate('', ['MM/DD'])).toBe(false);
    expect(looksLikeDate('Kontostand vom 31.10.2026:', ['DD.MM.YYYY'])).toBe(false);
  });
});

describe('parseDate: two-digit years and DD-MM-YYYY', () => {
  const ok = (text: string, f: Parameters<typeof parseDate>[1], ctx = {}) => {
    const r = parseDate(text, f, ctx);
    return r.ok ? r.date : r.error;
  };

  it('DD.MM.YY and MM/DD/YY: below the pivot is 20YY, from it 19YY (POSIX %y: 69 by default)', () => {
    expect(ok('28.11.26', ['DD.MM.YY'])).toBe('2026-11-28');
    expect(ok('01.01.68', ['DD.MM.YY'])).toBe('2068-01-01');
    expect(ok('01.01.69', ['DD.MM.YY'])).toBe('1969-01-01');
    expect(ok('11/28/26', ['MM/DD/YY'])).toBe('2026-11-28');
    expect(ok('01.01.75', ['DD.MM.YY'], { twoDigitYearPivot: 80 })).toBe('2075-01-01');
    expect(ok('01.01.00', ['DD.MM.YY'], { twoDigitYearPivot: 0 })).toBe('1900-01-01');
  });

  it('DD/MM/YY (BancoPosta): day first, the year by the pivot; the same cell read as MM/DD/YY is another day', () => {
    expect(ok('03/01/18', ['DD/MM/YY'])).toBe('2018-01-03');
    expect(ok('03/01/18', ['MM/DD/YY'])).toBe('2018-03-01');
    expect(ok('28/11/26', ['DD/MM/YY'])).toBe('2026-11-28');
    expect(ok('1/2/75', ['DD/MM/YY'], { twoDigitYearPivot: 80 })).toBe('2075-02-01');
    expect(ok('01/01/69', ['DD/MM/YY'])).toBe('1969-01-01');
    expect(ok('11/28/26', ['DD/MM/YY'])).toBe('"11/28/26" is not a calendar date (DD/MM/YY)');
    expect(ok('28/11/2026', ['DD/MM/YY'])).toBe('expected a date (DD/MM/YY), found "28/11/2026"');
  });

  it('a two-digit-year date must exist, and four digits are not two', () => {
    expect(ok('29.02.27', ['DD.MM.YY'])).toBe('"29.02.27" is not a calendar date (DD.MM.YY)');
    expect(ok('28.11.2026', ['DD.MM.YY'])).toBe('expected a date (DD.MM.YY), found "28.11.2026"');
    expect(ok('28.11.2026', ['DD.MM.YY', 'DD.MM.YYYY'])).toBe('2026-11-28');
  });

  it('DD-MM-YYYY, with a time after it', () => {
    expect(ok('28-11-2026', ['DD-MM-YYYY'])).toBe('2026-11-28');
    expect(ok('01-02-2026 09:19:14', ['DD-MM-YYYY'])).toBe('2026-02-01');
    expect(ok('11-28-2026', ['DD-MM-YYYY'])).toBe('"11-28-2026" is not a calendar date (DD-MM-YYYY)');
  });
});

describe('splitRegionCode', () => {
  it('takes a two-letter region after an amount, and leaves currency codes and other text alone', () => {
    expect(splitRegionCode('20.00(US)')).toEqual({ text: '20.00', region: 'US' });
    expect(splitRegionCode(' -3.90 (cn) ')).toEqual({ text: '-3.90', region: 'CN' });
    expect(splitRegionCode('1,200.00（CN）')).toEqual({ text: '1,200.00', region: 'CN' });
    expect(splitRegionCode('20.00(USD)')).toEqual({ text: '20.00(USD)', region: null });
    expect(splitRegionCode('-2.46')).toEqual({ text: '-2.46', region: null });
    expect(splitRegionCode('(US)')).toEqual({ text: '(US)', region: null });
  });
});

describe('placeMonthDay', () => {
  it('chooses the latest year not more than 31 days after the period end', () => {
    const p = { from: '2026-12-05', to: '2027-01-04' };
    expect(placeMonthDay(12, 28, p)).toEqual({ date: '2026-12-28', daysOutside: 0 });
    expect(placeMonthDay(1, 2, p)).toEqual({ date: '2027-01-02', daysOutside: 0 });
    expect(placeMonthDay(11, 20, { from: '2026-12-01', to: '2026-12-31' })).toEqual({ date: '2026-11-20', daysOutside: 11 });
    expect(placeMonthDay(1, 2, { from: '2026-12-01', to: '2026-12-31' })).toEqual({ date: '2027-01-02', daysOutside: 2 });
    expect(placeMonthDay(1, 31, { from: '2026-12-01', to: '2026-12-31' })).toEqual({ date: '2027-01-31', daysOutside: 31 });
    expect(placeMonthDay(2, 1, { from: '2026-12-01', to: '2026-12-31' })).toEqual({ date: '2026-02-01', daysOutside: 303 });
    // a statement lists the past: June before a December/January period, not the June after it
    expect(placeMonthDay(6, 15, { from: '2026-12-05', to: '2027-01-04' })).toEqual({ date: '2026-06-15', daysOutside: 173 });
    expect(placeMonthDay(13, 1, { from: '2026-12-05', to: '2027-01-04' })).toBeNull();
  });

  it('February 29 lands in the last leap year, far outside a non-leap period', () => {
    expect(placeMonthDay(2, 29, { from: '2027-02-01', to: '2027-02-28' })).toEqual({ date: '2024-02-29', daysOutside: 1068 });
    expect(placeMonthDay(2, 29, { from: '2028-02-01', to: '2028-02-29' })).toEqual({ date: '2028-02-29', daysOutside: 0 });
  });
});

describe('resolveDateOrder', () => {
  it('a first field above 12 anywhere in the column means DD/MM', () => {
    const r = resolveDateOrder(['02/10/2026', '05/10/2026', '15/10/2026'], 'column "Date"');
    expect(r).toEqual({ ok: true, order: 'DMY', reason: 'column "Date": "15/10/2026" can only be DD/MM/YYYY' });
  });

  it('a second field above 12 anywhere in the column means MM/DD', () => {
    expect(resolveDateOrder(['10/02/2026', '10/31/2026'])).toMatchObject({ ok: true, order: 'MDY' });
  });

  it('a column where every date fits both orders is an error telling the user to set the order', () => {
    const r = resolveDateOrder(['03/10/2026', '04/11/2026'], 'column "Date"');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBe(
      'every date in column "Date" fits both DD/MM/YYYY and MM/DD/YYYY (e.g. "03/10/2026"); set the profile\'s date order (dates.formats "DD/MM/YYYY" or "MM/DD/YYYY" instead of "auto")',
    );
  });

  it('a column needing both orders is an error naming one value of each', () => {
    const r = resolveDateOrder(['13/01/2026', '01/13/2026'], 'column "Date"');
    expect(!r.ok && r.error).toBe('column "Date" mixes day/month orders: "13/01/2026" needs DD/MM/YYYY but "01/13/2026" needs MM/DD/YYYY');
  });

  it('is "either" when no value is ambiguous, and ignores other shapes and impossible values', () => {
    expect(resolveDateOrder(['05/05/2026', '2026-10-01', '', '31/31/2026'])).toMatchObject({ ok: true, order: 'either' });
    expect(resolveDateOrder([])).toMatchObject({ ok: true, order: 'either' });
  });
});

describe('findPeriodHint', () => {
  it('a line with two dates is the period', () => {
    expect(findPeriodHint(['招商银行信用卡对账单', '账单周期 2026/12/05-2027/01/04'])).toEqual({
      from: '2026-12-05',
      to: '2027-01-04',
      source: '账单周期 2026/12/05-2027/01/04',
    });
    expect(findPeriodHint(['Zeitraum: 01.10.2026 - 31.10.2026'])).toMatchObject({ from: '2026-10-01', to: '2026-10-31' });
    expect(findPeriodHint(['账单周期：2026年12月05日至2027年01月04日'])).toMatchObject({ from: '2026-12-05', to: '2027-01-04' });
    expect(findPeriodHint(['Statement period 2027-01-04 to 2026-12-05'])).toMatchObject({ from: '2026-12-05', to: '2027-01-04' });
  });

  it('a statement month is the whole month', () => {
    expect(findPeriodHint(['2026年12月'])).toMatchObject({ from: '2026-12-01', to: '2026-12-31' });
    expect(findPeriodHint(['账单月 2027-02'])).toMatchObject({ from: '2027-02-01', to: '2027-02-28' });
  });

  it('a range wins over a month on an earlier line; a month over a single date', () => {
    expect(findPeriodHint(['2026年12月账单', '账单周期 2026/11/05-2026/12/04'])).toMatchObject({ from: '2026-11-05', to: '2026-12-04' });
    expect(findPeriodHint(['Statement date 2026-12-04', '2026年12月'])).toMatchObject({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('a single date is the closing date of a month-long statement', () => {
    expect(findPeriodHint(['Statement date: 2027-01-04'])).toMatchObject({ from: '2026-12-05', to: '2027-01-04' });
  });

  it('finds nothing in lines without dates (account numbers are not dates)', () => {
    expect(findPeriodHint(['Kontonummer: DE89 3704 0044 0532 0130 00', 'Account 12345678'])).toBeNull();
    expect(findPeriodHint([])).toBeNull();
  });
});

describe('other cells', () => {
  it('normaliseCurrency', () => {
    expect(normaliseCurrency(' usd ')).toBe('USD');
    expect(normaliseCurrency('RMB')).toBe('CNY');
    expect(normaliseCurrency('人民币')).toBe('CNY');
    expect(normaliseCurrency('US Dollar')).toBeNull();
    expect(normaliseCurrency('')).toBeNull();
  });

  it('lastFour', () => {
    expect(lastFour('1234')).toBe('1234');
    expect(lastFour('**** 1234')).toBe('1234');
    expect(lastFour('XXXX-XXXX-XXXX-9876')).toBe('9876');
    expect(lastFour('12')).toBeNull();
    expect(lastFour('')).toBeNull();
  });

  it('isBlank', () => {
    expect(isBlank(undefined)).toBe(true);
    expect(isBlank('  ')).toBe(true);
    expect(isBlank('0')).toBe(false);
  });
});
