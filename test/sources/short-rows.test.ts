/**
 * Rows shorter than the header with a quoted cell over several lines (issue #9): Crédit Agricole
 * ends a money-out row after `Débit Euros`, one cell short of its header's trailing `;`. The
 * tokenizer takes such a row only when the profile says `rows.maxMissingCells`; by default it is
 * still an unbalanced quote. Then the fr-credit-agricole fixture, line by line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RowSplitter, splitAll, type RowSplitterOptions } from '../../src/sources/csv-rows.js';
import { builtinProfiles, statementProfileSchema } from '../../src/sources/statement-profile.js';
import { makeStatementReader } from '../../src/sources/statement.js';
import { readReal, readStatement, REAL, view } from './real-statement-helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'spendrecon-short-rows-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A header of five cells (trailing `;`), a money-out row of four whose Libellé spans three lines, a money-in row of five. */
const TEXT = 'Date;Libellé;Débit Euros;Crédit Euros;\n10/11/2026;"PAIEMENT PAR CARTE \nX4821 OPENAI \n";22,80;\n11/11/2026;"VIREMENT \nACME \n";;100,00;\n';
const base: RowSplitterOptions = { delimiter: ';', crLineEnds: false, width: 5 };

describe('RowSplitter: a multi-line quoted row short of the header', () => {
  it('is still an unbalanced quote by default (maxMissingCells unset or 0)', () => {
    for (const o of [base, { ...base, maxMissingCells: 0 }]) {
      const rows = splitAll(TEXT, o);
      expect(rows[1]!.fault?.kind).toBe('quote');
      expect(rows[1]!.fault?.message).toMatch(/spans lines and leaves the row 4 fields wide where the header has 5;/);
    }
  });

  it('is one row, its missing trailing cell absent, when up to maxMissingCells cells short', () => {
    const rows = splitAll(TEXT, { ...base, maxMissingCells: 1 });
    expect(rows.map((r) => [r.line, r.fault?.kind ?? null, r.fields])).toEqual([
      [1, null, ['Date', 'Libellé', 'Débit Euros', 'Crédit Euros', '']],
      [2, null, ['10/11/2026', 'PAIEMENT PAR CARTE \nX4821 OPENAI \n', '22,80', '']],
      [5, null, ['11/11/2026', 'VIREMENT \nACME \n', '', '100,00', '']],
    ]);
  });

  it('reads the same when the text comes one character at a time (a row split across chunks)', () => {
    const s = new RowSplitter({ ...base, maxMissingCells: 1 });
    const rows = [...[...TEXT].flatMap((c) => s.push(c)), ...s.end()];
    expect(rows).toEqual(splitAll(TEXT, { ...base, maxMissingCells: 1 }));
  });

  it('is refused when shorter than allowed, or wider than the header, and says what was allowed', () => {
    const short = splitAll('a;b;c;d;e\n1;"x\ny";3\n', { ...base, maxMissingCells: 1 });
    expect(short[1]!.fault?.message).toMatch(/leaves the row 3 fields wide where the header has 5 \(or up to 1 fewer\)/);
    const wide = splitAll('a;b;c;d;e\n1;"x\ny";3;4;5;6\n', { ...base, maxMissingCells: 1 });
    expect(wide[1]!.fault?.kind).toBe('quote');
  });
});

describe('profile option rows.maxMissingCells', () => {
  const fr = builtinProfiles().find((p) => p.name === 'fr-credit-agricole')!;
  const { rows: _rows, ...withoutRows } = fr;

  it('defaults to 0, and takes 0 to 3 whole cells only', () => {
    expect(statementProfileSchema.parse(withoutRows).rows).toEqual({ maxMissingCells: 0 });
    for (const bad of [-1, 4, 1.5]) expect(statementProfileSchema.safeParse({ ...fr, rows: { maxMissingCells: bad } }).success).toBe(false);
    expect(statementProfileSchema.safeParse({ ...fr, rows: { maxMissingCell: 1 } }).success).toBe(false);
  });

  it('without it, the Crédit Agricole file reads only its money-in rows and reports each money-out row as an unbalanced quote', async () => {
    const reader = makeStatementReader([{ ...fr, rows: { maxMissingCells: 0 } }]);
    const { records, issues } = await readStatement(join(REAL, 'fr-credit-agricole-2026-11.csv'), reader);
    expect(records.map((r) => r.src.line)).toEqual([18, 25]);
    expect(issues.filter((i) => /unbalanced quote: the quoted field that begins on line (\d+) \(field 2\) spans lines/.test(i.message)).map((i) => i.line)).toEqual([
      11, 14, 21, 28, 32, 35, 38,
    ]);
  });
});

describe('Crédit Agricole (France)', () => {
  it('Windows-1252, six preamble lines, each Libellé over several lines as one description, money-out rows one cell short, the card block as trailer', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('fr-credit-agricole-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['fr-credit-agricole', 10, 'windows-1252']);
    expect(issues).toEqual([]);
    const row = (line: number, day: string, amount: string, text: string) => [line, day, null, 'posted', amount, 'EUR', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(11, '2026-11-28', '22.8', 'PAIEMENT PAR CARTE X4821 OPENAI *CHATGPT SUBSCR 26/11'),
      row(14, '2026-11-27', '18.4', 'PAIEMENT PAR CARTE X4821 ANTHROPIC 25/11'),
      row(18, '2026-11-25', '-2450', 'VIREMENT EN VOTRE FAVEUR SALAIRE NOVEMBRE ACME SARL'),
      row(21, '2026-11-21', '1120', 'VIREMENT INSTANTANE EMIS LOYER NOVEMBRE 7c1d09ab52e84f3b9a60d2e4f8b31c57'),
      row(25, '2026-11-18', '-30.13', '4417209 Remise De Cheque'),
      row(28, '2026-11-14', '3.18', "Il faut toujours viser la lune, car même en cas d'échec, on atterrit dans les étoiles."),
      row(32, '2026-11-10', '64.12', 'PRELEVEMENT EDF CLIENTS PARTICULIERS'),
      row(35, '2026-11-05', '7.9', 'PAIEMENT PAR CARTE X4821 BOULANGERIE DU PORT 04/11'),
      row(38, '2026-11-03', '45', '4417208 Cheque Emis'),
    ]);
    // counted, not read: the six preamble lines, the spaces-only line 42, the card block (holder, card, "Pas d'opération")
    expect([skipped, rows]).toEqual([10, 19]);
  });

  it('the newer export with "Date valeur" after Date: the value date is the posting date', async () => {
    const path = join(tmp, 'ca-date-valeur.csv');
    const text =
      'Téléchargement du 29/11/2026;\n\nCompte de Dépôt carte n° 00047118263;\nSolde au 28/11/2026 1 873,42 €\nListe des opérations du compte entre le 01/11/2026 et le 28/11/2026;\n' +
      'Date;Date valeur;Libellé;Débit euros;Crédit euros;\n28/11/2026;27/11/2026;"PAIEMENT PAR CARTE \nX4821 OPENAI *CHATGPT SUBSCR 26/11 \n";22,80;;\n';
    writeFileSync(path, Buffer.from(text, 'latin1'));
    const { detection, records, issues } = await readStatement(path);
    expect([detection.profile, issues]).toEqual(['fr-credit-agricole', []]);
    expect(records.map(view)).toEqual([[7, '2026-11-28', '2026-11-27', 'posted', '22.8', 'EUR', null, null, null, null, 'PAIEMENT PAR CARTE X4821 OPENAI *CHATGPT SUBSCR 26/11']]);
  });
});
