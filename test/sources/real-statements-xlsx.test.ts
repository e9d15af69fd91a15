/**
 * Statements saved as Excel workbooks (issue #9): Fineco's "Movimenti" .xlsx (the layout of
 * frankIT/ofxstatement-fineco's test file, anonymised; fixtures/statements/real/README.md)
 * read through the statement profiles like a CSV. Every line is checked; then the same
 * workbook with its dates typed as Excel dates (some Fineco exports do that, the plugin says).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { CardLine, InputIssue } from '../../src/model.js';
import { openInput } from '../../src/sources/index.js';
import { statementReader, type StatementDetection } from '../../src/sources/statement.js';
import { fixturesFitting, REAL, view } from './real-statement-helpers.js';

const FINECO = join(REAL, 'it-fineco-2026-11.xlsx');
const DIR = mkdtempSync(join(tmpdir(), 'real-xlsx-'));

async function readSheetStatement(path: string): Promise<{ detection: StatementDetection; records: CardLine[]; issues: InputIssue[]; skipped: number; rows: number }> {
  const input = await openInput(path);
  expect(input.type).toBe('sheet');
  const detection = statementReader.detect(input) as StatementDetection | null;
  if (!detection) throw new Error(`not detected: ${path}`);
  const out = { detection, records: [] as CardLine[], issues: [] as InputIssue[], skipped: 0, rows: 0 };
  for await (const b of statementReader.read(input, detection, { timezone: 'UTC', displayPath: 'fineco.xlsx' })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
    out.skipped += b.skipped;
    out.rows += b.rows;
  }
  return out;
}

/** The fixture with its parts edited: the workbook a bank could have written differently. */
async function variant(name: string, edit: (part: string, xml: string) => string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(FINECO));
  for (const part of ['xl/worksheets/sheet1.xml', 'xl/styles.xml', 'xl/sharedStrings.xml']) zip.file(part, edit(part, await zip.file(part)!.async('string')));
  const path = join(DIR, name);
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}

const visa = (merchant: string) => `VISA DEBIT / Pagamento Visa Debit ${merchant} Carta N. *****7731`;
const EXPECTED = [
  [8, '2026-11-30', null, 'pending', '20', 'EUR', null, null, null, null, visa('OPENAI *CHATGPT SUBSCR OPENAI.COM')],
  [9, '2026-11-30', null, 'posted', '-150.62', 'EUR', null, null, null, null, 'Bonifico SEPA Italia / Bonifico da STUDIO LEGALE BIANCHI SRL per fattura n. 2026/118'],
  [10, '2026-11-27', null, 'posted', '46.37', 'EUR', null, null, null, null, visa('ANTHROPIC SAN FRANCISCO USD 50,00')],
  [11, '2026-11-14', null, 'posted', '18.45', 'EUR', null, null, null, null, visa('OPENAI SAN FRANCISCO USD 20,00')],
  [12, '2026-11-03', null, 'posted', '100', 'EUR', null, null, null, null, 'Prelievo Bancomat / Prelievo Bancomat Carta N. *****7731 ATM VIA TORINO 12 MILANO'],
];

describe('Fineco .xlsx (Italy)', () => {
  it('header on row 7 below four preamble rows, Data as text DD/MM/YYYY, Uscite negative and Entrate positive, Autorizzato pending, the float-noise -46.370000000000005 read as 46.37', async () => {
    const { detection, records, issues, skipped, rows } = await readSheetStatement(FINECO);
    expect([detection.profile, detection.headerLine]).toEqual(['it-fineco-xlsx', 7]);
    expect([issues, skipped, rows]).toEqual([[], 4, 9]);
    expect(records.map(view)).toEqual(EXPECTED);
    expect(records.every((r) => r.src.file === 'fineco.xlsx')).toBe(true);
  });

  it('the same rows with Data typed as Excel dates (a date style on the cells) read the same, whatever the profile says of text dates', async () => {
    const serials: Record<string, string> = { '10': '46356', '17': '46353', '19': '46340', '21': '46329' }; // 30, 27, 14 and 3 November 2026
    const path = await variant('typed-dates.xlsx', (part, xml) => {
      if (part === 'xl/styles.xml')
        return xml.replace(/<cellXfs count="2">([\s\S]*?)<\/cellXfs>/, '<cellXfs count="3">$1<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>');
      if (part !== 'xl/worksheets/sheet1.xml') return xml;
      return xml.replace(/<c r="A(\d+)" s="1" t="s"><v>(\d+)<\/v><\/c>/g, (cell, row: string, s: string) =>
        Number(row) >= 8 ? `<c r="A${row}" s="2"><v>${serials[s]}</v></c>` : cell,
      );
    });
    const { records, issues } = await readSheetStatement(path);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual(EXPECTED);
  });

  it('an ISO date typed as text is not a typed date: the profile reads text dates as DD/MM/YYYY, and says so on its row and column', async () => {
    const path = await variant('iso-text.xlsx', (part, xml) => (part === 'xl/sharedStrings.xml' ? xml.replace('>27/11/2026<', '>2026-11-27<') : xml));
    const { records, issues } = await readSheetStatement(path);
    expect(records.map((r) => r.src.line)).toEqual([8, 9, 11, 12]);
    expect(issues.map((i) => [i.severity, i.line, i.column])).toEqual([['error', 10, 'Data']]);
    expect(issues[0]!.message).toContain('DD/MM/YYYY');
  });

  it("the .xlsx profile takes no CSV statement fixture: Fineco's CSV, one column short of it (Data), lists it only as a runner-up", async () => {
    expect(await fixturesFitting(['it-fineco-xlsx'])).toEqual({ 'it-fineco-xlsx': ['it-fineco-2026-11.csv'] });
    const csv = statementReader.detect(await openInput(join(REAL, 'it-fineco-2026-11.csv'))) as StatementDetection;
    expect(csv.profile).toBe('it-fineco');
    expect(csv.reasons).toContain('also fits profile "it-fineco-xlsx" (confidence 36%)');
  });
});
