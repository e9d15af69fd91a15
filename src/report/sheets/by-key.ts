import type ExcelJS from 'exceljs';
import type { KeySummary } from '../../engine/summaries.js';
import { providersMeetIn } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';
import { exactColumn, writeTable, type WrittenTable } from '../table.js';

export const BY_KEY = 'By key';

export function writeByKey(ws: ExcelJS.Worksheet, rows: KeySummary[], currency: string, startRow = 1): WrittenTable {
  return writeTable<KeySummary>(
    ws,
    withProviderColumn<KeySummary>(
      [
        { header: 'API key', type: 'text', value: (r) => r.apiKeyId },
        { header: 'Key name', type: 'text', value: (r) => r.keyName },
        { header: 'Owner', type: 'text', value: (r) => r.owner },
        { header: 'Project ID', type: 'text', value: (r) => r.projectId },
        { header: 'Project', type: 'text', value: (r) => r.projectName },
        { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
        { header: 'How attributed', type: 'text', value: (r) => r.basis },
        exactColumn('Billed', (r) => r.billed),
      ],
      providersMeetIn(rows),
    ),
    rows,
    { currency, startRow },
  );
}
