/**
 * Issue #16 end to end: a folder of receipts, invoices, e-mails and a pasted billing table as
 * the payment history, with a damaged, a password-protected and an unknown PDF among them.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';

const FIX = join(ROOT, 'fixtures', 'receipts');

interface JsonInput {
  file: string;
  format: string;
  rowsRead: number;
  rowsUsed: number;
  duplicates: number;
  rowsRejected: number;
  notes: string[];
}
interface JsonRec {
  side: string;
  file: string;
  line: number;
  class: string;
}

function workFolder(): string {
  const work = mkdtempSync(join(tmpdir(), 'spendrecon-receipts-e2e-'));
  cpSync(join(FIX, '2026-10'), join(work, 'receipts'), { recursive: true });
  cpSync(join(FIX, 'bad'), join(work, 'receipts', 'bad'), { recursive: true });
  return work;
}

const args = [
  'match',
  '--payments',
  'receipts',
  '--statement',
  join(FIX, 'statement', 'us-card-2026-10.csv'),
  '--period',
  '2026-10',
  '--tz',
  'America/New_York',
  '--out',
  'reports/m.xlsx',
];

describe('receipts as the payment history', () => {
  it('every card charge is explained by a receipt; bad documents are listed and the run goes on; copies count once', async () => {
    const work = workFolder();
    const r = await cli([...args, '--json'], work);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { inputs: JsonInput[]; reconciliation: JsonRec[]; conservation: { ok: boolean } };
    const byFile = new Map(j.inputs.map((i) => [i.file, i]));
    expect(byFile.get('receipts/bad/truncated.pdf')!.notes[0]).toMatch(/not a readable PDF.*left out/);
    expect(byFile.get('receipts/bad/password-protected.pdf')!.notes[0]).toMatch(/password-protected PDF.*left out/);
    expect(byFile.get('receipts/bad/hotel-bill.pdf')!.notes[0]).toMatch(/matches no receipt or invoice layout/);
    expect(byFile.get('receipts/bad/no-kind-receipt.pdf')).toMatchObject({ format: 'receipt-document', rowsRejected: 1, rowsUsed: 0 });
    // the billing table repeats two receipts (counted there) and adds two payments of its own
    expect(byFile.get('receipts/billing-history.txt')).toMatchObject({ format: 'billing-history-table', rowsRead: 4, duplicates: 2, rowsUsed: 2 });
    expect(byFile.get('receipts/Your receipt from OpenAI #2345-6790.eml')).toMatchObject({ format: 'receipt-document', rowsUsed: 1 });
    const cards = j.reconciliation.filter((x) => x.side === 'card');
    expect(cards.map((c) => c.class).sort()).toEqual(['matched', 'matched', 'matched', 'matched', 'refund', 'refund', 'subscription_not_api']);
    const plan = j.reconciliation.find((x) => x.side === 'payment' && x.file === 'receipts/Receipt-2816-4410-chatgpt-plus.pdf')!;
    expect(plan.class).toBe('subscription_not_api');
    expect(r.stderr).toMatch(/conservation\s+every row and cent accounted for/);
  });

  it('the reimbursement workbook links each claimed charge to its receipt file', async () => {
    const work = workFolder();
    const r = await cli(args, work);
    expect(r.code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(work, 'reports', 'm-reimbursement.xlsx'));
    const links: { text: string; hyperlink: string }[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          const v = cell.value as { text?: string; hyperlink?: string } | null;
          if (v && typeof v === 'object' && v.hyperlink && !v.hyperlink.startsWith('#')) links.push({ text: v.text!, hyperlink: v.hyperlink });
        }),
      ),
    );
    expect(links).toContainEqual({ text: 'Receipt-2345-6789.pdf', hyperlink: '../receipts/Receipt-2345-6789.pdf' });
    // a name too long for the column shows its start, "…" and its receipt number; the link keeps the whole path
    const eml = links.find((l) => l.hyperlink === '../receipts/Your%20receipt%20from%20OpenAI%20%232345-6790.eml');
    expect(eml?.text).toMatch(/^You.*….*#2345-6790\.eml$/);
    // the plan receipt on Subscriptions (not API)
    const plan = links.find((l) => l.hyperlink === '../receipts/Receipt-2816-4410-chatgpt-plus.pdf');
    expect(plan?.text).toMatch(/^Receipt-2816-44/);
  });

  it('two copies of a receipt count once; a CSV row with another amount is rejected naming both copies', async () => {
    const work = mkdtempSync(join(tmpdir(), 'spendrecon-receipts-copies-'));
    mkdirSync(join(work, 'receipts'));
    copyFileSync(join(FIX, '2026-10', 'Receipt-2345-6789.pdf'), join(work, 'receipts', 'Receipt-2345-6789.pdf'));
    copyFileSync(join(FIX, '2026-10', 'Receipt-2345-6789.pdf'), join(work, 'receipts', 'Receipt-2345-6789 (1).pdf'));
    copyFileSync(join(FIX, '2026-10', 'Receipt-2816-4410-chatgpt-plus.pdf'), join(work, 'receipts', 'plus.pdf'));
    writeFileSync(
      join(work, 'receipts', 'payments.csv'),
      'paid_at,reference,amount,currency,status,kind,organization,card_last4,description\n2026-10-18T16:02:00Z,5B7E0D3C-0002,25.00,USD,paid,subscription,,5454,typed wrong\n',
    );
    const r = await cli([...args, '--json'], work);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { inputs: JsonInput[]; exceptions: { severity: string; message: string }[] };
    const byFile = new Map(j.inputs.map((i) => [i.file, i]));
    // files are read in path order (' ' sorts before '.'): the first read is kept
    expect(byFile.get('receipts/Receipt-2345-6789 (1).pdf')).toMatchObject({ duplicates: 0, rowsUsed: 1 });
    expect(byFile.get('receipts/Receipt-2345-6789.pdf')).toMatchObject({ duplicates: 1, rowsUsed: 0 });
    expect(byFile.get('receipts/payments.csv')).toMatchObject({ rowsRejected: 1, rowsUsed: 0 });
    const conflict = j.exceptions.find((e) => e.severity === 'error' && e.message.includes('5B7E0D3C-0002'))!;
    expect(conflict.message).toMatch(/reads 25 USD here but 20 USD at receipts\/plus\.pdf page 1: the copy there is kept/);
    expect(r.stderr).toMatch(/conservation\s+every row and cent accounted for/);
  });

  it('inspect says which layout read a receipt, and what an unknown PDF lacks', async () => {
    const work = workFolder();
    const ok = await cli(['inspect', 'receipts/Receipt-2345-6789.pdf'], work);
    expect(ok.stdout).toMatch(/detected: Receipt or invoice \(PDF, e-mail\) \[receipt-document\].*\n\s+- the PDF: layout openai-receipt/);
    const unknown = await cli(['inspect', 'receipts/bad/hotel-bill.pdf'], work);
    expect(unknown.stdout).toMatch(/not recognised.*\n\s+- a PDF \(1 page\(s\)\) that matches no receipt or invoice layout \(openai-receipt lacks/);
  });

  it('a damaged PDF named on the command line stops the run with exit 2 and a clear message', async () => {
    const work = workFolder();
    const r = await cli(['match', '--payments', 'receipts/bad/truncated.pdf', '--statement', join(FIX, 'statement', 'us-card-2026-10.csv'), '--period', '2026-10'], work);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/receipts\/bad\/truncated\.pdf: not a readable PDF/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
