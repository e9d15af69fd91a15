/**
 * The suggester's rules for the layouts its fixtures once failed on (issue 9), each on a
 * small input made up here: Shift_JIS bytes, whole-yen amounts, a debit/credit pair each
 * filled on few rows, running balances, header-less odd rows, an amount in the account
 * currency beside one in the merchant's, and a non-`"` quote.
 */
import { describe, expect, it } from 'vitest';
import { amountColumns, chooseAmount, type ColumnCells } from '../../src/sources/profile-evidence.js';
import { shiftJisFinding } from '../../src/sources/profile-suggest-encoding.js';

const col = (name: string, cells: string[], index = 0): ColumnCells => ({ index, name, cells });
const POINT = { decimalMark: '.', thousandsSeparator: ',' } as const;

describe('encoding from the bytes', () => {
  // "日付,カード,ＯＰＥＮＡＩ,3120\r\n" in Shift_JIS
  const sjis = Buffer.from('93fa95742c834a815b83682c826e826f826482668260826d2c333132300d0a', 'hex');

  it('valid Shift_JIS pairs decoding to kana and kanji are Shift_JIS', () => {
    expect(shiftJisFinding(sjis)).toMatchObject({ encoding: 'shift_jis' });
    expect(shiftJisFinding(sjis)!.reason).toMatch(/3 kana and 2 kanji/);
  });

  it('Windows-1252 accented letters are not: a lead byte before a comma or a space is no pair', () => {
    expect(shiftJisFinding(Buffer.from('Caf\xe9,M\xfcller GmbH,12.00\r\n', 'latin1'))).toBeNull();
    // capitals only are half-width kana bytes, but no full-width kana: still not Shift_JIS
    expect(shiftJisFinding(Buffer.from('M\xdcNCHEN \xc4RZTE,\x8a\x8a,12.00\r\n', 'latin1'))).toBeNull();
    expect(shiftJisFinding(Buffer.from('plain ascii,12.00\n'))).toBeNull();
  });
});

describe('whole-unit amounts', () => {
  it('a column named 金額 (Japanese) is money even without decimals', () => {
    expect(amountColumns([col('利用金額', ['3120', '660', '-3000'])], POINT).map((c) => c.col.name)).toEqual(['利用金額']);
  });

  it('unnamed whole numbers are money only in a currency without a minor unit, and not when one value repeats', () => {
    const cols = [col('Column 3', ['11402', '3120', '-1200'], 2), col('Column 4', ['1', '1', '1'], 3)];
    expect(amountColumns(cols, POINT)).toEqual([]);
    expect(amountColumns(cols, POINT, true).map((c) => c.col.name)).toEqual(['Column 3']);
  });
});

describe('a debit/credit pair each filled on few rows', () => {
  const pairOf = (out: string[], inn: string[]) => chooseAmount(amountColumns([col('Uit', out), col('In', inn, 1)], POINT), out.length);

  it('is a pair when together they cover most rows, though each covers under half (an opening-balance row has neither)', () => {
    const pair = pairOf(['20.00', '', '5.00', '', '', '1.00'], ['', '7.00', '', '3.00', '', '']);
    expect(pair).toMatchObject({ kind: 'pair', debit: { col: { name: 'Uit' } }, credit: { col: { name: 'In' } } });
    expect(pair!.reason).toMatch(/never both filled on a row, one of them on 5 of 6 rows/);
    // together on only half the rows: no pair
    expect(pairOf(['20.00', '', '', '', '', '1.00'], ['', '7.00', '', '', '', ''])).toBeNull();
  });

  it('one row in twenty with both filled is rare enough; one in four is not', () => {
    const out = Array.from({ length: 20 }, (_, i) => (i % 3 ? `${i}.50` : ''));
    const inn = out.map((c, i) => (c ? (i === 1 ? '2.00' : '') : `${i}.25`));
    expect(pairOf(out, inn)).toMatchObject({ kind: 'pair', reason: expect.stringMatching(/both filled on only 1 row,/) });
    expect(pairOf(['1.00', '', '2.00', '3.00'], ['4.00', '5.00', '', ''])).toBeNull();
  });
});
