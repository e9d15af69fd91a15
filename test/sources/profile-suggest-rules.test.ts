/**
 * The suggester's rules for the layouts its fixtures once failed on (issue 9), each on a
 * small input made up here: Shift_JIS bytes, whole-yen amounts, a debit/credit pair each
 * filled on few rows, running balances, header-less odd rows, an amount in the account
 * currency beside one in the merchant's, and a non-`"` quote.
 */
import { describe, expect, it } from 'vitest';
import { amountColumns, type ColumnCells } from '../../src/sources/profile-evidence.js';
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
