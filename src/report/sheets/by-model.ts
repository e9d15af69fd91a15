import type ExcelJS from 'exceljs';
import type { ModelSummary } from '../../engine/summaries.js';
import { moneyText } from '../cells.js';
import { providersMeetIn } from '../../providers.js';
import { withProviderColumn } from './provider-column.js';
import { exactColumn, writeTable, type WrittenTable } from '../table.js';

export const BY_MODEL = 'By model';

/** Billed on the days the list price covers: a day with no usage has no list price to compare. */
const billedOnDaysWithUsage = (r: ModelSummary) => r.billed.minus(r.billedWithoutUsage);

/** Why a list price is partial or missing, in words. */
function listPriceNote(r: ModelSummary, currency: string): string | null {
  const days = r.billedDaysWithoutUsage;
  if (days === 0) return null;
  const what = `${days} billed day${days === 1 ? '' : 's'} (${moneyText(r.billedWithoutUsage, currency)}) with no usage rows`;
  return r.listPrice === null ? `${what}: no usage to price` : `list price partial: ${what}, left out of the list price and of billed − list`;
}

export function writeByModel(ws: ExcelJS.Worksheet, rows: ModelSummary[], currency: string, startRow = 1): WrittenTable {
  return writeTable<ModelSummary>(
    ws,
    withProviderColumn<ModelSummary>(
      [
        // capped and wrapped: an unpriced line item's name ran to 48 characters, one page across no longer held the sheet (issue #12)
        { header: 'Model / line item', type: 'text', value: (r) => r.model, maxWidth: 30, wrap: true },
        { header: 'Billed', type: 'money', value: (r) => r.billed, sum: true },
        { header: 'Usage at list price', type: 'money', value: (r) => r.listPrice },
        { header: 'Billed − list', type: 'money', value: (r) => (r.listPrice === null ? null : billedOnDaysWithUsage(r).minus(r.listPrice)) },
        { header: 'Billed days without usage', type: 'integer', value: (r) => r.billedDaysWithoutUsage },
        { header: 'Input tokens', type: 'integer', value: (r) => r.inputTokens, sum: true },
        { header: 'Output tokens', type: 'integer', value: (r) => r.outputTokens, sum: true },
        { header: 'Note', type: 'text', value: (r) => listPriceNote(r, currency), maxWidth: 30, wrap: true },
        exactColumn('Billed', (r) => r.billed),
      ],
      providersMeetIn(rows),
    ),
    rows,
    { currency, startRow },
  );
}
