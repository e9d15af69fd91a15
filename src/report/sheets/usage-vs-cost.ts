import type ExcelJS from 'exceljs';
import type { CrossCheckRow } from '../../engine/attribution.js';
import { writeTable, type WrittenTable } from '../table.js';

export const USAGE_VS_COST = 'Usage vs cost';

/** Priced usage against billed cost per UTC day × project × model (SPEC §4.2), the flagged rows first. */
export function writeUsageVsCost(ws: ExcelJS.Worksheet, all: CrossCheckRow[], currency: string): WrittenTable {
  // what needs a look leads; the rest keep their day order below it
  const rows = [...all.filter((r) => r.flagged), ...all.filter((r) => !r.flagged)];
  return writeTable<CrossCheckRow>(
    ws,
    [
      { header: 'UTC day', type: 'date', value: (r) => r.utcDay },
      { header: 'Local date', type: 'date', value: (r) => r.localDate },
      { header: 'Project ID', type: 'text', value: (r) => r.projectId },
      { header: 'Model', type: 'text', value: (r) => r.model },
      { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
      { header: 'Usage at list price', type: 'money', value: (r) => r.listPrice, sum: true },
      { header: 'Billed − list', type: 'money', value: (r) => r.variance },
      { header: 'Variance', type: 'percent', value: (r) => r.varianceRatio },
      { header: 'Input tokens', type: 'integer', value: (r) => r.inputTokens, sum: true },
      { header: 'Output tokens', type: 'integer', value: (r) => r.outputTokens, sum: true },
      { header: 'Usage rows', type: 'integer', value: (r) => r.usageRows, sum: true },
      {
        header: 'Flag',
        type: 'text',
        value: (r) => (r.flagged ? r.cause : r.listPrice === null && r.usageRows > 0 ? 'no list price for this model' : null),
        maxWidth: 44,
        wrap: true,
      },
    ],
    rows,
    { currency },
  );
}
