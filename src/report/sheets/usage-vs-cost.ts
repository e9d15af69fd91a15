import type ExcelJS from 'exceljs';
import type { CrossCheckRow } from '../../engine/attribution.js';
import { providersMeetIn } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';
import { HEADER_FONT, writeTable, type WrittenTable } from '../table.js';

export const USAGE_VS_COST = 'Usage vs cost';

/** Usage the price table cannot price: nothing to compare the billed cost with. */
const unpriced = (r: CrossCheckRow) => !r.flagged && r.listPrice === null && r.usageRows > 0;

/** What needs a look leads: the flagged rows, then those nothing could be compared with; the rest keep their day order below. */
function orderForReview(all: readonly CrossCheckRow[]): CrossCheckRow[] {
  return [...all.filter((r) => r.flagged), ...all.filter(unpriced), ...all.filter((r) => !r.flagged && !unpriced(r))];
}

/** The line above the table: how many rows lead and why, so a reader knows where the flagged ones end. */
function leadLine(all: readonly CrossCheckRow[]): string {
  const flagged = all.filter((r) => r.flagged).length;
  const noPrice = all.filter(unpriced).length;
  const parts = [`${flagged} of ${all.length} rows flagged (first, each with its reason)`];
  if (noPrice) parts.push(`${noPrice} with no list price to compare (next)`);
  parts.push('the rest by UTC day');
  return `${parts.join('; ')}.`;
}

/** Priced usage against billed cost per UTC day × project × model (SPEC §4.2), the flagged rows first. */
export function writeUsageVsCost(ws: ExcelJS.Worksheet, all: CrossCheckRow[], currency: string): WrittenTable {
  const lead = ws.getRow(1).getCell(1);
  lead.value = leadLine(all);
  lead.font = HEADER_FONT;
  return writeTable<CrossCheckRow>(
    ws,
    withProviderColumn<CrossCheckRow>(
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
          value: (r) => (r.flagged ? r.cause : unpriced(r) ? 'no list price for this model' : null),
          maxWidth: 44,
          wrap: true,
        },
      ],
      providersMeetIn(all),
    ),
    orderForReview(all),
    { currency, startRow: 2, directRows: true },
  );
}
