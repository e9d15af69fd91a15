import type ExcelJS from 'exceljs';
import type { ModelSummary } from '../../engine/summaries.js';
import { exactColumn, writeTable, type WrittenTable } from '../table.js';

export const BY_MODEL = 'By model';

export function writeByModel(ws: ExcelJS.Worksheet, rows: ModelSummary[], currency: string): WrittenTable {
  return writeTable<ModelSummary>(
    ws,
    [
      { header: 'Model / line item', type: 'text', value: (r) => r.model },
      { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
      { header: 'Usage at list price', type: 'money', value: (r) => r.listPrice },
      { header: 'Billed − list', type: 'money', value: (r) => (r.listPrice === null ? null : r.billed.minus(r.listPrice)) },
      { header: 'Input tokens', type: 'integer', value: (r) => r.inputTokens, sum: true },
      { header: 'Output tokens', type: 'integer', value: (r) => r.outputTokens, sum: true },
      exactColumn('Billed', (r) => r.billed),
    ],
    rows,
    { currency },
  );
}
