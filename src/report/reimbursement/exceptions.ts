/** `Exceptions`: what a reviewer must resolve before paying the claim. */
import type ExcelJS from 'exceljs';
import { minorUnits, type ReimbursementException, type ReimbursementResult } from '../../engine/reimbursement/index.js';
import { alignCells, fitWrapped } from '../sheet-layout.js';
import { writeTable, type Column } from '../table.js';
import { title, subtitle, currencyFormat } from './layout.js';

const KIND_TEXT: Record<ReimbursementException['kind'], string> = {
  no_receipt: 'no receipt',
  duplicate_charge: 'duplicate charge',
  failed_top_up_charged: 'failed top-up charged',
  currency_not_home: 'not home currency',
  unknown_cardholder: 'unknown cardholder',
  fx_fee: 'FX fee',
  fx_difference: 'FX difference',
  refund: 'refund',
};

/** The exceptions' table from `startRow` (its title) on; returns its last row. */
export function writeExceptions(ws: ExcelJS.Worksheet, r: ReimbursementResult, startRow = 1): number {
  const rows = r.exceptions;
  const columns: Column<ReimbursementException>[] = fitWrapped(
    [
      { header: 'Severity', type: 'text', value: (e) => e.severity },
      { header: 'What', type: 'text', value: (e) => KIND_TEXT[e.kind], maxWidth: 14, wrap: true },
      { header: 'Cardholder', type: 'text', value: (e) => e.cardholder, maxWidth: 20, wrap: true },
      { header: 'Cost centre', type: 'text', value: (e) => e.costCentre, maxWidth: 18, wrap: true },
      { header: 'Date', type: 'date', value: (e) => e.date },
      { header: 'Description', type: 'text', value: (e) => e.description, maxWidth: 22, wrap: true },
      { header: 'Amount', type: 'money', value: (e) => e.amount, currency: (e) => e.currency },
      { header: 'What happened', type: 'text', value: (e) => e.message, maxWidth: 22, wrap: true },
      { header: 'Next step', type: 'text', value: (e) => e.nextStep, maxWidth: 22, wrap: true },
      { header: 'Statement line', type: 'text', value: (e) => `${e.src.file}:${e.src.line}`, maxWidth: 20, wrap: true },
    ],
    rows,
  );
  let row = title(ws, startRow, `Exceptions, ${r.period.label}`, 14);
  row = subtitle(ws, row, 'Charges to look at before they are approved. A card in another currency or an unknown card is listed once, with the sum of its charges.');
  const t = writeTable(ws, columns, rows, { currency: r.homeCurrency, startRow: row + 1 });
  alignCells(ws, t, columns);
  const sev = { error: 'FFFDE2E1', warning: 'FFFFF4D6', info: 'FFEAF3FB' } as const;
  rows.forEach((e, i) => {
    const er = ws.getRow(t.firstDataRow + i);
    er.getCell(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: sev[e.severity] } };
    if (minorUnits(e.currency) !== 2) er.getCell(columns.findIndex((c) => c.header === 'Amount') + 1).numFmt = currencyFormat(e.currency);
  });
  return t.lastDataRow;
}
