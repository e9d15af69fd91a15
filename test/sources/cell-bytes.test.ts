import { describe, expect, it } from 'vitest';
import { Bytes, CellCache } from '../../src/sources/parallel/cell-bytes.js';

/** A line's cell starts as plain-line.ts keeps them: at[i] is one past the delimiter before cell i, at[width] one past the line's end. */
function cellsOf(line: string): { piece: Bytes; at: Int32Array } {
  const b = Buffer.from(line, 'latin1');
  const at = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 44) at.push(i + 1);
  at.push(b.length + 1);
  return { piece: new Bytes(b), at: Int32Array.from(at) };
}

describe('cell cache: kept cells compared as runs of adjacent cells', () => {
  // cells 0, 2 and 3 kept: run [0] and run [2, 3]
  const cells = [3, 0, 2];
  const put = (cache: CellCache<string>, line: string, v: string) => {
    const { piece, at } = cellsOf(line);
    expect(cache.find(piece, at)).toBeUndefined();
    cache.put(piece, at, v);
  };
  const find = (cache: CellCache<string>, line: string) => {
    const { piece, at } = cellsOf(line);
    return cache.find(piece, at);
  };

  it('finds a line whose kept cells hold the same bytes, whatever the other cells hold', () => {
    const cache = new CellCache<string>(cells, 64, 64);
    put(cache, 'proj_1,7,user_ab,key_cd,tail', 'A');
    expect(find(cache, 'proj_1,7,user_ab,key_cd,tail')).toBe('A');
    expect(find(cache, 'proj_1,123,user_ab,key_cd,other')).toBe('A');
  });

  it('tells cells apart whose run has the same bytes but a delimiter elsewhere, or differs in one byte', () => {
    const cache = new CellCache<string>(cells, 64, 64);
    put(cache, 'p,1,ab,cdef,x', 'A');
    // the run of cells 2–3 is "ab,cdef" in both, but cut elsewhere: other cells
    expect(find(cache, 'p,1,abc,def,x')).toBeUndefined();
    expect(find(cache, 'p,1,ab,cdeg,x')).toBeUndefined();
    expect(find(cache, 'q,1,ab,cdef,x')).toBeUndefined();
    put(cache, 'p,1,abc,def,x', 'B');
    expect(find(cache, 'p,1,ab,cdef,x')).toBe('A');
    expect(find(cache, 'p,9,abc,def,y')).toBe('B');
  });

  it('keeps nothing for a line whose kept cells take more than the slot holds', () => {
    const cache = new CellCache<string>(cells, 64, 8);
    const { piece, at } = cellsOf('p,1,abcdef,ghijkl,x');
    cache.put(piece, at, 'A');
    expect(cache.find(piece, at)).toBeUndefined();
  });
});
