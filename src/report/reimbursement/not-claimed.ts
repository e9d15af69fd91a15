/** `Not claimed`: the provider lines left out of the claim, each with why. */
import type ExcelJS from 'exceljs';
import type { NotClaimedLine, ReimbursementResult } from '../../engine/reimbursement/index.js';
import type { Column } from '../table.js';
import { currenciesOf, providerColumn, title, subtitle, writeMoneyTable } from './layout.js';

/** The table of lines not claimed from `startRow` (its title) on; endRow is its last row. */
export function writeNotClaimed(ws: ExcelJS.Worksheet, r: ReimbursementResult, startRow = 1) {
  const rows = currenciesOf(
    r.notClaimed.map((l) => l.currency),
    r.homeCurrency,
  ).flatMap((cur) => r.notClaimed.filter((l) => l.currency === cur));
  const columns: Column<NotClaimedLine>[] = [
    { header: 'Date', type: 'date', value: (l) => l.date },
    ...providerColumn<NotClaimedLine>(r, (l) => l.provider),
    { header: 'Cardholder', type: 'text', value: (l) => l.cardholder, maxWidth: 20, wrap: true },
    { header: 'Card', type: 'text', value: (l) => l.cardLast4, minWidth: 6 },
    { header: 'Description', type: 'text', value: (l) => l.description, maxWidth: 22, wrap: true },
    { header: 'Amount', type: 'money', value: (l) => l.amount, currency: (l) => l.currency, sum: true },
    { header: 'Bank status', type: 'text', value: (l) => l.status },
    { header: 'Class', type: 'text', value: (l) => l.class.replace(/_/g, ' '), maxWidth: 20, wrap: true },
    { header: 'Why it is not claimed', type: 'text', value: (l) => l.reason, maxWidth: 22, wrap: true },
    { header: 'Statement line', type: 'text', value: (l) => `${l.src.file}:${l.src.line}`, maxWidth: 20, wrap: true },
  ];
  let row = title(ws, startRow, `Provider card lines not claimed, ${r.period.label}`, 14);
  row = subtitle(
    ws,
    row,
    'Lines of the statements that belong to the provider but are not reimbursed in this period, and why. With the claimed lines they add up to the statements (tie-out on Summary).',
  );
  const t = writeMoneyTable(ws, columns, rows, { home: r.homeCurrency, currencyOf: (l) => l.currency, startRow: row + 1 });
  return { amountCol: t.table.col('Amount'), totalsRow: t.totalsRow, endRow: t.endRow };
}
