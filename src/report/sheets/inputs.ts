import type ExcelJS from 'exceljs';
import type { InputFileReport } from '../../model.js';
import { avoidSliverPage } from '../sheet-layout.js';
import { writeTable, type WrittenTable } from '../table.js';

export const INPUTS = 'Inputs';

/**
 * Widths that print the sheet one page across at 64 % (it printed two pages at 29 % fill): a
 * count's header wraps over its digits, and the hash prints as two lines of 32 characters
 * (Calibri's hex digits are ~1.1 widths each), whole in the cell for copying.
 */
const COUNT = 9;
const HASH_HALF = 37;

/** Money in rejected rows in currencies other than the run's (a statement in CNY), as text. */
function otherCurrencies(r: InputFileReport, currency: string): string | null {
  const parts = r.money.filter((a) => a.currency !== currency && !a.fates.rejected.gross.isZero()).map((a) => `${a.fates.rejected.net.toString()} ${a.currency}`);
  return parts.length ? parts.join(', ') : null;
}

/** Every input with its SHA-256 and what happened to its rows, so an auditor can rerun it. */
export function writeInputs(ws: ExcelJS.Worksheet, rows: InputFileReport[], currency: string): WrittenTable {
  const t = writeTable<InputFileReport>(
    ws,
    [
      { header: 'File', type: 'text', value: (r) => r.file, maxWidth: 22, wrap: true },
      { header: 'Detected as', type: 'text', value: (r) => r.label, maxWidth: 20, wrap: true },
      { header: 'Encoding', type: 'text', value: (r) => r.encoding, maxWidth: 10 },
      { header: 'Bytes', type: 'integer', value: (r) => r.bytes, maxWidth: COUNT },
      { header: 'SHA-256', type: 'text', value: (r) => r.sha256, minWidth: HASH_HALF, maxWidth: HASH_HALF, wrap: true },
      { header: 'Rows read', type: 'integer', value: (r) => r.rowsRead, sum: true, maxWidth: COUNT },
      { header: 'Rows used', type: 'integer', value: (r) => r.rowsUsed, sum: true, maxWidth: COUNT },
      { header: 'Empty buckets', type: 'integer', value: (r) => r.emptyBuckets, sum: true, maxWidth: COUNT },
      { header: 'Repeats counted once', type: 'integer', value: (r) => r.duplicates, sum: true, maxWidth: COUNT },
      { header: 'Outside period', type: 'integer', value: (r) => r.outOfPeriod, sum: true, maxWidth: COUNT },
      { header: 'Other organisation', type: 'integer', value: (r) => r.outOfScope, sum: true, maxWidth: 13 },
      { header: 'Set aside (coarser bucket)', type: 'integer', value: (r) => r.setAside, sum: true, maxWidth: COUNT },
      { header: 'Rows rejected', type: 'integer', value: (r) => r.rowsRejected, sum: true, maxWidth: COUNT },
      { header: 'Money in rejected rows', type: 'money', value: (r) => r.rejectedAmount, sum: true, maxWidth: 14 },
      { header: 'Rejected, other currencies', type: 'text', value: (r) => otherCurrencies(r, currency), maxWidth: 11, wrap: true },
      { header: 'Notes', type: 'text', value: (r) => r.notes.join('; ') || null, maxWidth: 22, wrap: true },
    ],
    rows,
    { currency },
  );
  avoidSliverPage(ws);
  return t;
}
