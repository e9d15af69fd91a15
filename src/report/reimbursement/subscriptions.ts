/** `Subscriptions (not API)`: the providers' plans (ChatGPT, Claude.ai) on the same cards, never allocated to API projects. */
import type ExcelJS from 'exceljs';
import type { ReimbursementCharge, ReimbursementResult } from '../../engine/reimbursement/index.js';
import { provider, providerName, PROVIDERS } from '../../providers.js';
import { DATE_FORMAT } from '../cells.js';
import type { Column, WrittenTable } from '../table.js';
import { FILL_IN_BORDER, currenciesOf, title, subtitle, type Range, writeMoneyTable, holderKey } from './layout.js';
import { linkReceiptFiles, receiptFileColumn, receiptLinksFor, type ReceiptLinks } from './receipt-links.js';

function approvalBoxes(ws: ExcelJS.Worksheet, t: WrittenTable, n: number, approverCol: number): void {
  for (let k = 0; k < n; k++) {
    const er = ws.getRow(t.firstDataRow + k);
    er.getCell(approverCol).border = FILL_IN_BORDER;
    er.getCell(approverCol + 1).border = FILL_IN_BORDER;
    er.getCell(approverCol + 1).numFmt = DATE_FORMAT;
  }
}

/** The plans' table from `startRow` (its title) on; endRow is its last row. */
export function writeSubscriptions(ws: ExcelJS.Worksheet, r: ReimbursementResult, startRow = 1, links: ReceiptLinks = receiptLinksFor(null)) {
  // currency, cost centre, cardholder: each cardholder's rows of a currency are contiguous
  const all = r.costCentres.flatMap((cc) => cc.cardholders.flatMap((h) => h.subscriptions));
  const rows = currenciesOf(
    all.map((c) => c.currency),
    r.homeCurrency,
  ).flatMap((cur) => all.filter((c) => c.currency === cur));
  const columns: Column<ReimbursementCharge>[] = [
    { header: 'Date', type: 'date', value: (c) => c.date },
    { header: 'Provider', type: 'text', value: (c) => providerName(c.provider), minWidth: 10 },
    { header: 'Plan', type: 'text', value: (c) => provider(c.provider).planProduct, minWidth: 10 },
    { header: 'Cost centre', type: 'text', value: (c) => c.costCentre, maxWidth: 18, wrap: true },
    { header: 'Cardholder', type: 'text', value: (c) => c.cardholder, maxWidth: 20, wrap: true },
    { header: 'Card', type: 'text', value: (c) => c.cardLast4, minWidth: 6 },
    { header: 'Description', type: 'text', value: (c) => c.description, maxWidth: 20, wrap: true },
    { header: 'Receipt', type: 'text', value: (c) => c.receipt, maxWidth: 20, wrap: true },
    { header: 'Charged', type: 'money', value: (c) => c.amount, currency: (c) => c.currency, sum: true },
    { header: 'Flags', type: 'text', value: (c) => c.flags.map((f) => f.label).join('\n') || null, minWidth: 16, maxWidth: 22, wrap: true },
    { header: 'Approver', type: 'text', value: () => null, minWidth: 14 },
    { header: 'Approval date', type: 'date', value: () => null, minWidth: 12 },
    // last: the columns before it keep their letters (formulas and readers refer to them)
    // narrower than its 28: the sheet it stacks on prints one page across (issue #12)
    { ...receiptFileColumn<ReimbursementCharge>((c) => c), maxWidth: 22 },
  ];
  let row = title(ws, startRow, `Plan subscriptions on the API cards, ${r.period.label}: not API credit`, 14);
  row = subtitle(
    ws,
    row,
    `Consumer plans (${PROVIDERS.map((p) => p.planProduct).join(', ')}) charged to the cards used for API credit. Book them as subscriptions: they are not allocated to API projects and are not on the cost-centre sheets.`,
  );
  const t = writeMoneyTable(ws, columns, rows, { home: r.homeCurrency, currencyOf: (c) => c.currency, startRow: row + 1 });
  approvalBoxes(ws, t.table, rows.length, columns.findIndex((c) => c.header === 'Approver') + 1);
  linkReceiptFiles(ws, t.table, rows, (c) => c, links);
  const holderRanges = new Map<string, Range>();
  rows.forEach((c, k) => {
    const rr = t.table.firstDataRow + k;
    const key = holderKey(c.costCentre, c.cardholder, c.currency);
    const cur = holderRanges.get(key);
    if (cur && cur.last === rr - 1) cur.last = rr;
    else if (!cur) holderRanges.set(key, { first: rr, last: rr });
    else throw new Error('internal: subscription rows of a cardholder are not contiguous');
  });
  return { chargedCol: t.table.col('Charged'), totalsRow: t.totalsRow, holderRanges, endRow: t.endRow };
}
