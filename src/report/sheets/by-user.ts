import type ExcelJS from 'exceljs';
import type { UserSummary } from '../../engine/summaries.js';
import { providersMeetIn } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';
import { exactColumn, writeTable, type WrittenTable } from '../table.js';

export const BY_USER = 'By user';

export function writeByUser(ws: ExcelJS.Worksheet, rows: UserSummary[], currency: string, startRow = 1): WrittenTable {
  return writeTable<UserSummary>(
    ws,
    withProviderColumn<UserSummary>(
      [
        { header: 'User', type: 'text', value: (r) => r.userId },
        { header: 'Project ID', type: 'text', value: (r) => r.projectId },
        { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
        exactColumn('Billed', (r) => r.billed),
      ],
      providersMeetIn(rows),
    ),
    rows,
    { currency, startRow },
  );
}
