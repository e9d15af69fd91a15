import type ExcelJS from 'exceljs';
import type { InputFileReport } from '../../model.js';
import { writeTable, type WrittenTable } from '../table.js';

export const INPUTS = 'Inputs';

/** Money in rejected rows in currencies other than the run's (a statement in CNY), as text. */
function otherCurrencies(r: InputFileReport, currency: string): string | null {
  const parts = r.money.filter((a) => a.currency !== currency && !a.fates.rejected.gross.isZero()).map((a) => `${a.fates.rejected.net.toString()} ${a.currency}`);
  return parts.length ? parts.join(', ') : null;
}

/** Every input with its SHA-256 and what happened to its rows, so an auditor can rerun it. */
export function writeInputs(ws: ExcelJS.Worksheet, rows: InputFileReport[], currency: string): WrittenTable {
  return writeTable<InputFileReport>(
    ws,
    [
      { header: 'File', type: 'text', value: (r) => r.file, maxWidth: 44, wrap: true },
      { header: 'Detected as', type: 'text', value: (r) => r.label },
      { header: 'Encoding', type: 'text', value: (r) => r.encoding },
      { header: 'Bytes', type: 'integer', value: (r) => r.bytes },
      { header: 'SHA-256', type: 'text', value: (r) => r.sha256, minWidth: 72, maxWidth: 72 },
      { header: 'Rows read', type: 'integer', value: (r) => r.rowsRead, sum: true },
      { header: 'Rows used', type: 'integer', value: (r) => r.rowsUsed, sum: true },
      { header: 'Empty buckets', type: 'integer', value: (r) => r.emptyBuckets, sum: true },
      { header: 'Repeats counted once', type: 'integer', value: (r) => r.duplicates, sum: true },
      { header: 'Outside period', type: 'integer', value: (r) => r.outOfPeriod, sum: true },
      { header: 'Other organisation', type: 'integer', value: (r) => r.outOfScope, sum: true },
      { header: 'Set aside (coarser bucket)', type: 'integer', value: (r) => r.setAside, sum: true },
      { header: 'Rows rejected', type: 'integer', value: (r) => r.rowsRejected, sum: true },
      { header: 'Money in rejected rows', type: 'money', value: (r) => r.rejectedAmount, sum: true },
      { header: 'Rejected, other currencies', type: 'text', value: (r) => otherCurrencies(r, currency), maxWidth: 16, wrap: true },
      { header: 'Notes', type: 'text', value: (r) => r.notes.join('; ') || null, maxWidth: 44, wrap: true },
    ],
    rows,
    { currency },
  );
}
