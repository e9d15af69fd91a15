/**
 * Italian statements saved as Excel (issue #9): Intesa Sanpaolo's two internet-banking exports,
 * "Lista Operazione" (current) and "Lista Movimenti" (older). No sample workbook is public; the
 * fixtures follow the cell layout ofxstatement-intesasp reads (fixtures/statements/real/README.md,
 * XLSX-LAYOUTS.md say which values are assumed). Every line is checked.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { CardLine, InputIssue } from '../../src/model.js';
import { Decimal, sum } from '../../src/money.js';
import { openInput } from '../../src/sources/index.js';
import { statementReader, type StatementDetection } from '../../src/sources/statement.js';
import { fittingProfiles, fixturesFitting, REAL, view } from './real-statement-helpers.js';

const OPERAZIONI = join(REAL, 'it-intesa-sanpaolo-lista-operazioni.xlsx');
const MOVIMENTI = join(REAL, 'it-intesa-sanpaolo-lista-movimenti.xlsx');
const INTESA_PROFILES = ['it-intesa-sanpaolo-xlsx', 'it-intesa-sanpaolo-movimenti-xlsx'];
const DIR = mkdtempSync(join(tmpdir(), 'real-it-'));

async function detectSheet(path: string): Promise<StatementDetection | null> {
  const input = await openInput(path);
  expect(input.type).toBe('sheet');
  return statementReader.detect(input) as StatementDetection | null;
}

async function readSheetStatement(path: string): Promise<{ detection: StatementDetection; records: CardLine[]; issues: InputIssue[]; skipped: number; rows: number }> {
  const input = await openInput(path);
  const detection = statementReader.detect(input) as StatementDetection | null;
  if (!detection) throw new Error(`not detected: ${path}`);
  const out = { detection, records: [] as CardLine[], issues: [] as InputIssue[], skipped: 0, rows: 0 };
  for await (const b of statementReader.read(input, detection, { timezone: 'UTC', displayPath: path.split('/').pop()! })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
    out.skipped += b.skipped;
    out.rows += b.rows;
  }
  return out;
}

/** The fixture with its worksheet edited: the workbook a bank could have written differently. */
async function variant(from: string, name: string, edit: (sheetXml: string) => string): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(from));
  zip.file('xl/worksheets/sheet1.xml', edit(await zip.file('xl/worksheets/sheet1.xml')!.async('string')));
  const path = join(DIR, name);
  writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return path;
}

const card = (op: string, details: string) => `${op} / ${details}`;
const POS_ESTERO = 'Pagamento effettuato su POS estero';

describe('Intesa Sanpaolo "Lista Operazione" .xlsx (Italy)', () => {
  it('header on row 20 below the account and period lines, newest first, Data typed as a date, Importo signed (negative out), NON CONTABILIZZATO pending', async () => {
    const { detection, records, issues, skipped, rows } = await readSheetStatement(OPERAZIONI);
    expect([detection.profile, detection.headerLine]).toEqual(['it-intesa-sanpaolo-xlsx', 20]);
    expect([issues, skipped, rows]).toEqual([[], 4, 11]);
    expect(records.map(view)).toEqual([
      [21, '2026-11-30', null, 'pending', '21.34', 'EUR', null, null, null, null, card(POS_ESTERO, 'OPENAI *CHATGPT SUBSCR OPENAI.COM USA')],
      [22, '2026-11-27', null, 'posted', '-1250', 'EUR', null, null, null, null, 'Accredito bonifico istantaneo / Bonifico da STUDIO ROSSI SRL per fattura 2026/57'],
      [23, '2026-11-24', null, 'posted', '46.37', 'EUR', null, null, null, null, card(POS_ESTERO, 'ANTHROPIC SAN FRANCISCO USA')],
      [24, '2026-11-14', null, 'posted', '18.45', 'EUR', null, null, null, null, card(POS_ESTERO, 'OPENAI SAN FRANCISCO USA')],
      [25, '2026-11-10', null, 'posted', '-18.45', 'EUR', null, null, null, null, 'Storno pagamento POS estero / OPENAI SAN FRANCISCO USA'],
      [26, '2026-11-05', null, 'posted', '100', 'EUR', null, null, null, null, 'Prelievo carta debito su banche del gruppo / Prelievo ATM VIA ROMA 1 TORINO'],
      [27, '2026-11-02', null, 'posted', '2.5', 'EUR', null, null, null, null, 'Canone mensile base e servizi aggiuntivi / Canone XME Conto novembre 2026'],
    ]);
  });

  it('a currency other than EUR in Valuta is the line currency (the column is read, not assumed)', async () => {
    const path = await variant(OPERAZIONI, 'usd.xlsx', (xml) => xml.replace(/<c r="G24" t="s"><v>\d+<\/v><\/c>/, '<c r="G24" t="inlineStr"><is><t>USD</t></is></c>'));
    const { records, issues } = await readSheetStatement(path);
    expect(issues).toEqual([]);
    expect(records.map((r) => [r.src.line, r.currency])).toEqual([
      [21, 'EUR'],
      [22, 'EUR'],
      [23, 'EUR'],
      [24, 'USD'],
      [25, 'EUR'],
      [26, 'EUR'],
      [27, 'EUR'],
    ]);
  });
});

describe('Intesa Sanpaolo "Lista Movimenti" .xlsx (Italy)', () => {
  const EXPECTED = [
    [
      30,
      '2026-11-02',
      '2026-11-03',
      'posted',
      '18.45',
      'EUR',
      null,
      null,
      null,
      null,
      card(POS_ESTERO, 'OPENAI *CHATGPT SUBSCR OPENAI.COM 02/11-10:14 Carta N.4417 XXXX XXXX XX17'),
    ],
    [31, '2026-11-05', '2026-11-05', 'posted', '-980', 'EUR', null, null, null, null, 'Accredito bonifico istantaneo / Bonifico da STUDIO ROSSI SRL per fattura 2026/51'],
    [32, '2026-11-11', '2026-11-12', 'posted', '6.4', 'EUR', null, null, null, null, 'Pagamento tramite POS / Farmacia Comunale Via Po 11/11-18:48 Carta N.4417 XXXX XXXX XX17'],
    [33, '2026-11-19', '2026-11-20', 'posted', '46.37', 'EUR', null, null, null, null, card(POS_ESTERO, 'ANTHROPIC SAN FRANCISCO 19/11-22:03 Carta N.4417 XXXX XXXX XX17')],
    [
      34,
      '2026-11-21',
      '2026-11-23',
      'posted',
      '250',
      'EUR',
      null,
      null,
      null,
      null,
      'Prelievo carta debito su banche del gruppo / Con Carta N.4417 XXXX XXXX XX17 effettuato il 21/11/2026 alle ore 12:22 presso sportello VIA ROMA 1 TORINO',
    ],
    [35, '2026-11-30', '2026-11-30', 'posted', '2.5', 'EUR', null, null, null, null, 'Canone mensile base e servizi aggiuntivi / Canone XME Conto novembre 2026'],
  ];

  it('header on row 28 below ten preamble lines, the opening and closing balance rows skipped, Data valuta the transaction date and Data contabile the posting date, Addebiti negative', async () => {
    const { detection, records, issues, skipped, rows } = await readSheetStatement(MOVIMENTI);
    expect([detection.profile, detection.headerLine]).toEqual(['it-intesa-sanpaolo-movimenti-xlsx', 28]);
    expect([issues, skipped, rows]).toEqual([[], 12, 18]);
    expect(records.map(view)).toEqual(EXPECTED);
    // the statement's own check: opening 1520.60 - charges + money in = closing 2176.88
    const closing = Decimal.from('1520.60').minus(sum(records.map((r) => r.amount)));
    expect(closing.eq(Decimal.from('2176.88'))).toBe(true);
  });

  it('Addebiti written positive (as matapan reads them) give the same lines', async () => {
    const path = await variant(MOVIMENTI, 'positive-addebiti.xlsx', (xml) => xml.replace(/(<c r="E\d+" s="2"><v>)-/g, '$1'));
    const { records, issues } = await readSheetStatement(path);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual(EXPECTED);
  });
});

describe('Intesa Sanpaolo profiles against the other fixtures', () => {
  it('each Intesa workbook fits its own profile only, and no other workbook fits an Intesa profile', async () => {
    const sheets = readdirSync(REAL).filter((n) => n.endsWith('.xlsx'));
    const fits = await Promise.all(
      sheets.map(async (n) => [n, fittingProfiles(await detectSheet(join(REAL, n))).filter((p) => INTESA_PROFILES.includes(p) || n.startsWith('it-intesa'))]),
    );
    expect(Object.fromEntries(fits.filter(([, p]) => p!.length > 0))).toEqual({
      'it-intesa-sanpaolo-lista-movimenti.xlsx': ['it-intesa-sanpaolo-movimenti-xlsx'],
      'it-intesa-sanpaolo-lista-operazioni.xlsx': ['it-intesa-sanpaolo-xlsx'],
    });
  });

  it('the Intesa profiles take no CSV statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(INTESA_PROFILES)).toEqual({});
  });
});
