/**
 * A small evaluator for the formulas the reimbursement and ledger sheets write (SUM, SUMIF,
 * SUMPRODUCT over one criterion, + and −, cell references with or without a sheet), so tests
 * can recompute every formula from the cells it points at and compare with the cached value.
 */
import type ExcelJS from 'exceljs';

interface Ref {
  sheet: ExcelJS.Worksheet;
  c1: number;
  r1: number;
  c2: number;
  r2: number;
}

const colNum = (letters: string): number => [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

function cellValue(ws: ExcelJS.Worksheet, r: number, c: number): unknown {
  const v = ws.getRow(r).getCell(c).value as unknown;
  if (v && typeof v === 'object' && 'result' in (v as object)) return (v as { result: unknown }).result;
  if (v && typeof v === 'object' && 'text' in (v as object)) return (v as { text: unknown }).text;
  return v;
}

const asNumber = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function evaluate(wb: ExcelJS.Workbook, home: ExcelJS.Worksheet, formula: string): number {
  let s = formula;
  let i = 0;
  const peek = () => s[i];
  const expect = (ch: string) => {
    if (s[i] !== ch) throw new Error(`expected ${ch} at ${i} in ${formula}`);
    i++;
  };
  const ref = (): Ref => {
    let sheet = home;
    if (peek() === "'") {
      const end = s.indexOf("'!", i + 1);
      const name = s.slice(i + 1, end).replace(/''/g, "'");
      sheet =
        wb.getWorksheet(name) ??
        (() => {
          throw new Error(`no sheet ${name}`);
        })();
      i = end + 2;
    }
    const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?/.exec(s.slice(i))!;
    if (!m) throw new Error(`expected a reference at ${i} in ${formula}`);
    i += m[0].length;
    const c1 = colNum(m[1]!);
    const r1 = Number(m[2]);
    return { sheet, c1, r1, c2: m[3] ? colNum(m[3]) : c1, r2: m[4] ? Number(m[4]) : r1 };
  };
  const cells = (r: Ref): unknown[] => {
    const out: unknown[] = [];
    for (let row = r.r1; row <= r.r2; row++) for (let col = r.c1; col <= r.c2; col++) out.push(cellValue(r.sheet, row, col));
    return out;
  };
  const str = (): string => {
    expect('"');
    let out = '';
    while (true) {
      if (s[i] === '"' && s[i + 1] === '"') {
        out += '"';
        i += 2;
      } else if (s[i] === '"') {
        i++;
        return out;
      } else out += s[i++];
    }
  };
  const term = (): number => {
    const fn = /^(SUMPRODUCT|SUMIF|SUM)\(/.exec(s.slice(i));
    if (fn) {
      i += fn[0].length;
      let value: number;
      if (fn[1] === 'SUM') {
        value = cells(ref()).reduce<number>((a, v) => a + asNumber(v), 0);
      } else if (fn[1] === 'SUMIF') {
        const crit = cells(ref());
        expect(',');
        const want = str();
        expect(',');
        const vals = cells(ref());
        value = vals.reduce<number>((a, v, k) => a + (String(crit[k] ?? '').toLowerCase() === want.toLowerCase() ? asNumber(v) : 0), 0);
      } else {
        // SUMPRODUCT((range="text")*1,range), SUMPRODUCT((range=A12)*1,range) or SUMPRODUCT((range="a")*(range="b"),range)
        const conds: { vals: unknown[]; want: string }[] = [];
        for (;;) {
          expect('(');
          const vals = cells(ref());
          expect('=');
          // the criterion: a text literal, or a reference to the cell holding it
          conds.push({ vals, want: peek() === '"' ? str() : String(cells(ref())[0] ?? '') });
          expect(')');
          if (peek() === '*' && s[i + 1] === '1') {
            i += 2;
            break;
          }
          if (peek() !== '*') break;
          i++; // the '*' between two conditions
        }
        expect(',');
        const vals = cells(ref());
        value = vals.reduce<number>((a, v, k) => a + (conds.every((c) => String(c.vals[k] ?? '').toLowerCase() === c.want.toLowerCase()) ? asNumber(v) : 0), 0);
      }
      expect(')');
      return value;
    }
    if (/^[0-9]/.test(s.slice(i))) {
      const m = /^[0-9.]+/.exec(s.slice(i))!;
      i += m[0].length;
      return Number(m[0]);
    }
    return asNumber(cells(ref())[0]);
  };
  let total = term();
  while (i < s.length) {
    const op = s[i++];
    const t = term();
    if (op === '+') total += t;
    else if (op === '-') total -= t;
    else throw new Error(`unexpected ${op} in ${formula}`);
  }
  s = '';
  return total;
}

/** Every formula cell of the workbook: its sheet, address, formula and cached result. */
export function formulas(wb: ExcelJS.Workbook): { ws: ExcelJS.Worksheet; address: string; formula: string; result: number }[] {
  const out: { ws: ExcelJS.Worksheet; address: string; formula: string; result: number }[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        const v = cell.value as unknown;
        if (v && typeof v === 'object' && 'formula' in (v as object)) {
          const f = v as { formula: string; result?: unknown };
          out.push({ ws, address: cell.address, formula: f.formula, result: asNumber(f.result) });
        }
      }),
    ),
  );
  return out;
}
