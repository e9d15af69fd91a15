import type ExcelJS from 'exceljs';
import type { ProjectSummary } from '../../engine/summaries.js';
import { providersMeetIn } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';
import { exactColumn, writeTable, type WrittenTable } from '../table.js';

export const BY_PROJECT = 'By project';

export function writeByProject(ws: ExcelJS.Worksheet, rows: ProjectSummary[], currency: string, startRow = 1): WrittenTable {
  return writeTable<ProjectSummary>(
    ws,
    withProviderColumn<ProjectSummary>(
      [
        { header: 'Project ID', type: 'text', value: (r) => r.projectId },
        { header: 'Project', type: 'text', value: (r) => r.projectName },
        { header: 'Owner', type: 'text', value: (r) => r.owner },
        { header: 'Cost centre', type: 'text', value: (r) => r.costCenter },
        { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
        { header: 'Not attributed to a key', type: 'money', value: (r) => r.unallocatedToKeys, sum: true },
        { header: 'Budget (period)', type: 'money', value: (r) => r.budget, sum: true },
        { header: 'Budget used', type: 'percent', value: (r) => r.budgetUsed },
        exactColumn('Billed', (r) => r.billed),
      ],
      providersMeetIn(rows),
    ),
    rows,
    { currency, startRow },
  );
}
