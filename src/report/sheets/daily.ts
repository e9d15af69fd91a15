import type ExcelJS from 'exceljs';
import type { DailySummary } from '../../engine/summaries.js';
import { avoidSliverPage } from '../sheet-layout.js';
import { exactColumn, writeTable, type WrittenTable } from '../table.js';
import { providersMeetIn } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';

export const DAILY = 'Daily';

/** Spend per local day (reporting zone) and project, with the UTC cost buckets behind each day; the provider where two meet. */
export function writeDaily(ws: ExcelJS.Worksheet, rows: DailySummary[], currency: string, timezone: string): WrittenTable {
  const t = writeTable<DailySummary>(
    ws,
    withProviderColumn<DailySummary>(
      [
        { header: `Local date (${timezone})`, type: 'date', value: (r) => r.localDate },
        { header: 'Cost bucket (UTC day)', type: 'text', value: (r) => r.utcDays },
        { header: 'Project ID', type: 'text', value: (r) => r.projectId },
        { header: 'Project', type: 'text', value: (r) => r.projectName },
        { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
        exactColumn('Billed', (r) => r.billed),
      ],
      providersMeetIn(rows),
    ),
    rows,
    { currency, directRows: true },
  );
  avoidSliverPage(ws);
  return t;
}
