/**
 * Statements saved as Excel workbooks (issue #9), read through the statement profiles like a
 * CSV: Fineco's "Movimenti" .xlsx (Italy), BBVA's "Informe BBVA" and Santander's "Cuenta online"
 * (Spain) — public samples anonymised (fixtures/statements/real/README.md, XLSX-LAYOUTS.md).
 * Every line is checked; then the workbooks edited as a bank could have written them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { CardLine, InputIssue } from '../../src/model.js';
import { openInput } from '../../src/sources/index.js';
import { statementReader, type StatementDetection } from '../../src/sources/statement.js';
import { fittingProfiles, fixturesFitting, REAL, view } from './real-statement-helpers.js';

const FINECO = join(REAL, 'it-fineco-2026-11.xlsx');
const BBVA = join(REAL, 'es-bbva-movimientos.xlsx');
const SANTANDER = join(REAL, 'es-santander-movimientos.xlsx');
const DIR = mkdtempSync(join(tmpdir(), 'real-xlsx-'));

async function readSheetStatement(
  path: string,
  displayPath = 'fineco.xlsx',
  timezone = 'UTC',
): Promise<{ detection: StatementDetection; records: CardLine[]; issues: InputIssue[]; skipped: number; rows: number }> {
  const input = await openInput(path);
  expect(input.type).toBe('sheet');
  const detection = statementReader.detect(input) as StatementDetection | null;
  if (!detection) throw new Error(`not detected: ${path}`);
  const out = { detection, records: [] as CardLine[], issues: [] as InputIssue[], skipped: 0, rows: 0 };
  for await (const b of statementReader.read(input, detection, { timezone, displayPath })) {
    out.records.push(...b.records);
    out.issues.push(...b.issues);
    out.skipped += b.skipped;
    out.rows += b.rows;
  }
  return out;
}

/** The fixture with its parts edited: the workbook a bank could have written differently. */
async function variant(name: string, edit: (part: string, xml: string) => string, source = FINECO): Promise<string> {
  const zip = await JSZip.loadAsync(readFileSync(source));
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

/** A sheet cell replaced by an inline string: the same value written as text instead of typed. */
const asText = (xml: string, ref: string, text: string): string =>
  xml.replace(new RegExp(`<c r="${ref}"([^>]*?)(?: t="\\w+")?>(?:<v>[^<]*</v>)?</c>`), (_, attrs: string) => `<c r="${ref}"${attrs} t="inlineStr"><is><t>${text}</t></is></c>`);

const sheetOnly = (edit: (xml: string) => string) => (part: string, xml: string) => (part === 'xl/worksheets/sheet1.xml' ? edit(xml) : xml);

const BBVA_EXPECTED = [
  [6, '2026-11-02', '2026-11-02', 'posted', '-2150', 'EUR', null, null, null, null, 'Empresa Ejemplo SL / Ingreso'],
  [7, '2026-11-03', '2026-11-03', 'posted', '21.78', 'EUR', null, null, null, null, 'OPENAI *CHATGPT SUBSCR / Pago con tarjeta'],
  [8, '2026-11-05', '2026-11-05', 'posted', '46.35', 'EUR', null, null, null, null, 'Mercadona / Pago con tarjeta'],
  [9, '2026-11-08', '2026-11-08', 'posted', '18.15', 'EUR', null, null, null, null, 'ANTHROPIC / Pago con tarjeta'],
  [10, '2026-11-12', '2026-11-12', 'posted', '25', 'EUR', null, null, null, null, 'Lucia Martin Perez / Bizum / Cena sabado'],
  [11, '2026-11-18', '2026-11-18', 'posted', '750', 'EUR', null, null, null, null, 'Inmobiliaria Ficticia SA / Transferencia realizada / Alquiler noviembre'],
  [12, '2026-11-25', '2026-11-25', 'posted', '4.84', 'EUR', null, null, null, null, 'OPENAI / Pago con tarjeta'],
];

describe('BBVA .xlsx (Spain)', () => {
  it('header on row 5 in column B below the title rows, Fecha and F.Valor date cells (the noon one read as its date), Importe signed, the first Divisa its currency', async () => {
    const { detection, records, issues, skipped, rows } = await readSheetStatement(BBVA, 'bbva.xlsx');
    expect([detection.profile, detection.headerLine]).toEqual(['es-bbva-xlsx', 5]);
    expect([issues, skipped, rows]).toEqual([[], 2, 9]);
    expect(records.map(view)).toEqual(BBVA_EXPECTED);
  });

  it('the noon date cell is a wall-clock time, not an instant: read with the reporting zone at UTC+14 or UTC-11 it is still 2 November', async () => {
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      const { records } = await readSheetStatement(BBVA, 'bbva.xlsx', zone);
      expect([records[0]!.transactionDate, records[0]!.postedDate], zone).toEqual(['2026-11-02', '2026-11-02']);
    }
  });

  it("the currency is the first Divisa (Importe's), not the second (Disponible's)", async () => {
    const path = await variant(
      'bbva-divisa.xlsx',
      sheetOnly((xml) => asText(asText(xml, 'G7', 'USD'), 'I8', 'USD')),
      BBVA,
    );
    const { records, issues } = await readSheetStatement(path, 'bbva.xlsx');
    expect(issues).toEqual([]);
    expect(records.slice(1, 3).map((r) => [r.src.line, r.currency])).toEqual([
      [7, 'USD'],
      [8, 'EUR'],
    ]);
  });

  it('an Importe written as text is read with the Spanish decimal comma and thousands dot; the typed ones beside it with their point', async () => {
    const path = await variant(
      'bbva-text-amount.xlsx',
      sheetOnly((xml) => asText(xml, 'F9', '-1.018,15')),
      BBVA,
    );
    const { records, issues } = await readSheetStatement(path, 'bbva.xlsx');
    expect(issues).toEqual([]);
    expect(records.map((r) => r.amount.toString())).toEqual(['-2150', '21.78', '46.35', '1018.15', '25', '750', '4.84']);
  });
});

const card = (merchant: string) => `Compra Tarjeta 5489 XXXX XXXX 4821 ${merchant}`;
const SANTANDER_EXPECTED = [
  [8, '2026-11-29', '2026-11-29', 'posted', '21.61', 'EUR', null, null, null, null, card('OPENAI *CHATGPT SUBSCR')],
  [9, '2026-11-27', '2026-11-27', 'posted', '18.02', 'EUR', null, null, null, null, card('ANTHROPIC')],
  [10, '2026-11-25', '2026-11-26', 'posted', '-1890', 'EUR', null, null, null, null, 'Transferencia Recibida De Empresa Ejemplo Sl Concepto Nomina Noviembre'],
  [11, '2026-11-20', '2026-11-20', 'posted', '64.35', 'EUR', null, null, null, null, 'Recibo Compania Electrica Ficticia Sa Ref. 000123456789'],
  [12, '2026-11-14', '2026-11-14', 'posted', '22.5', 'EUR', null, null, null, null, 'Bizum Enviado A Carlos Ruiz Concepto Cena'],
  [13, '2026-11-09', '2026-11-09', 'posted', '5.08', 'EUR', null, null, null, null, card('OPENAI')],
  [14, '2026-11-03', '2026-11-03', 'posted', '41.27', 'EUR', null, null, null, null, card('Supermercado Ejemplo, Madrid')],
];

describe('Santander .xlsx (Spain)', () => {
  it("header on row 7 below the label/value preamble and 'Movimientos', dates in the custom id-59 d/m/yyyy format, value date apart, Importe signed, Divisa EUR", async () => {
    const { detection, records, issues, skipped, rows } = await readSheetStatement(SANTANDER, 'santander.xlsx');
    expect([detection.profile, detection.headerLine]).toEqual(['es-santander-xlsx', 7]);
    expect([issues, skipped, rows]).toEqual([[], 5, 12]);
    expect(records.map(view)).toEqual(SANTANDER_EXPECTED);
  });
});

describe('which profile takes which workbook', () => {
  it('each .xlsx fixture is taken by its own profile and fits no other', async () => {
    const taken: Record<string, string[]> = {};
    for (const path of [FINECO, BBVA, SANTANDER]) taken[path.slice(REAL.length + 1)] = fittingProfiles(statementReader.detect(await openInput(path)) as StatementDetection);
    expect(taken).toEqual({
      'it-fineco-2026-11.xlsx': ['it-fineco-xlsx'],
      'es-bbva-movimientos.xlsx': ['es-bbva-xlsx'],
      'es-santander-movimientos.xlsx': ['es-santander-xlsx'],
    });
  });

  it('the Spanish .xlsx profiles fit no CSV statement fixture', async () => {
    expect(await fixturesFitting(['es-bbva-xlsx', 'es-santander-xlsx'])).toEqual({});
  });
});
