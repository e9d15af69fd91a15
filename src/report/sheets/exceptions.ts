import type ExcelJS from 'exceljs';
import type { Exception } from '../../model.js';
import { avoidSliverPage } from '../sheet-layout.js';
import { writeTable, type WrittenTable } from '../table.js';

export const EXCEPTIONS = 'Exceptions';

/** One row per flag: what, how much is at stake, and the next step in plain words. */
export function writeExceptions(ws: ExcelJS.Worksheet, rows: Exception[], currency: string, shorten: (text: string) => string = (t) => t): WrittenTable {
  const t = writeTable<Exception>(
    ws,
    [
      { header: 'Severity', type: 'text', value: (r) => r.severity },
      { header: 'Class', type: 'text', value: (r) => r.class },
      { header: 'Concerns', type: 'text', value: (r) => shorten(r.subject), maxWidth: 30, wrap: true },
      { header: 'Amount at stake', type: 'money', value: (r) => r.amount, currency: (r) => r.currency ?? currency },
      { header: 'What happened', type: 'text', value: (r) => shorten(r.message), maxWidth: 60, wrap: true },
      { header: 'Next step', type: 'text', value: (r) => r.nextStep, maxWidth: 45, wrap: true },
      { header: 'Source rows', type: 'text', value: (r) => shorten(r.refs.map((s) => (s.line ? `${s.file}:${s.line}` : s.file)).join(', ')) || null, maxWidth: 34, wrap: true },
    ],
    rows,
    { currency },
  );
  const sev = { error: 'FFFDE2E1', warning: 'FFFFF4D6', info: 'FFEAF3FB' } as const;
  rows.forEach((e, i) => {
    ws.getRow(t.firstDataRow + i).getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: sev[e.severity] } };
  });
  avoidSliverPage(ws);
  return t;
}
