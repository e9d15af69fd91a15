/**
 * French statement layouts (issue #9, sixth pass): BNP Paribas's current download (a header row
 * below an account line, dates DD/MM/YYYY or YYYY-MM-DD) and the single-amount Crédit Mutuel / CIC
 * exports (';' with a decimal comma, ',' with a decimal point). Sources in fixtures/statements/real/README.md.
 * Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'fr-bnp-paribas-2024': ['fr-bnp-paribas-export-2026-11.csv', 'fr-bnp-paribas-export-iso-2026-11.csv'],
  'fr-credit-mutuel-montant': ['fr-credit-mutuel-montant-2026-11.csv'],
  'fr-cic-comma': ['fr-cic-comma-2026-11.csv'],
};

describe('the profiles added in the sixth French pass', () => {
  it('each takes its own fixtures and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(Object.fromEntries(Object.entries(OWN).map(([n, list]) => [n, [...list].sort()])));
  });
});

describe('France', () => {
  it('BNP Paribas (current download): the account line and the blank line above the header not read as money, DD/MM/YYYY, one signed amount with "2 450,00"', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-bnp-paribas-export-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-bnp-paribas-2024', 3]);
    expect([issues, skipped]).toEqual([[], 1]);
    const card = (day: string, merchant: string) => `FACTURE CARTE DU ${day} ${merchant} CARTE 4974XXXXXXXX4821`;
    expect(records.map(view)).toEqual([
      [4, '2026-11-28', null, 'posted', '32.45', 'EUR', null, null, null, null, card('271126', 'MONOPRIX PARIS 11')],
      [5, '2026-11-25', null, 'posted', '-2450', 'EUR', null, null, null, null, 'VIR SEPA RECU /DE ACME SAS /MOTIF SALAIRE NOVEMBRE'],
      [6, '2026-11-13', null, 'posted', '93.17', 'EUR', null, null, null, null, card('121126', 'ANTHROPIC')],
      [7, '2026-11-10', null, 'posted', '19.99', 'EUR', null, null, null, null, 'PRLV SEPA FREE MOBILE ECH/101126 ID EMETTEUR/FR00ZZZ000000'],
      [8, '2026-11-05', null, 'posted', '1150', 'EUR', null, null, null, null, 'VIR SEPA EMIS /MOTIF LOYER NOVEMBRE /BEN DUPONT JEAN'],
      [9, '2026-11-04', null, 'posted', '18.36', 'EUR', null, null, null, null, card('031126', 'OPENAI *CHATGPT SUBSCR')],
      [10, '2026-11-02', null, 'posted', '60', 'EUR', null, null, null, null, 'RETRAIT DAB 01/11/26 PARIS 11 CARTE 4974XXXXXXXX4821'],
    ]);
  });

  it('BNP Paribas (current download) with ISO dates: the same profile reads YYYY-MM-DD; LF line ends', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-bnp-paribas-export-iso-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-bnp-paribas-2024', 3]);
    expect([issues, skipped]).toEqual([[], 1]);
    const card = (day: string, merchant: string) => `FACTURE CARTE DU ${day} ${merchant} CARTE 4974XXXXXXXX7710`;
    expect(records.map(view)).toEqual([
      [4, '2026-11-27', null, 'posted', '22', 'EUR', null, null, null, null, card('261126', 'OPENAI')],
      [5, '2026-11-20', null, 'posted', '-45.5', 'EUR', null, null, null, null, 'VIR SEPA RECU /DE MARTIN LUCIE /MOTIF REMBOURSEMENT'],
      [6, '2026-11-14', null, 'posted', '18', 'EUR', null, null, null, null, card('131126', 'ANTHROPIC')],
      [7, '2026-11-03', null, 'posted', '64.12', 'EUR', null, null, null, null, 'PRLV SEPA EDF CLIENTS PARTICULIERS'],
      [8, '2026-11-01', null, 'posted', '-1980', 'EUR', null, null, null, null, 'VIR SEPA RECU /DE ACME SAS /MOTIF SALAIRE OCTOBRE'],
    ]);
  });

  it('Crédit Mutuel / CIC with one Montant column: ISO-8859-15, ";", decimal comma, Date (booking) read, not Date de valeur, Solde not read', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-credit-mutuel-montant-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['fr-credit-mutuel-montant', 1, 'iso-8859-15']);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', null, 'posted', '26.99', 'EUR', null, null, null, null, 'PRLV SEPA FREE MOBILE VOTRE ABONNEMENT MOBILE: 06XXXX'],
      [3, '2026-11-03', null, 'posted', '18.36', 'EUR', null, null, null, null, 'PAIEMENT CB 0211 SAN FRANCISCO OPENAI *CHATGPT SUBSCR CARTE 4821'],
      [4, '2026-11-05', null, 'posted', '-2450', 'EUR', null, null, null, null, 'VIR ACME SAS SALAIRE NOVEMBRE'],
      [5, '2026-11-06', null, 'posted', '10.3', 'EUR', null, null, null, null, 'F COTIS EUROCOMPTE CONFORT'],
      [6, '2026-11-13', null, 'posted', '93.17', 'EUR', null, null, null, null, 'PAIEMENT CB 1211 SAN FRANCISCO ANTHROPIC CARTE 4821'],
      [7, '2026-11-16', null, 'posted', '32.45', 'EUR', null, null, null, null, 'PAIEMENT PSC 1411 LILLE MONOPRIX CARTE 4821'],
      [8, '2026-11-30', null, 'posted', '1150', 'EUR', null, null, null, null, 'VIR SEPA DUPONT JEAN LOYER NOVEMBRE N°11'],
    ]);
  });

  it("CIC comma-separated: Date d'opération read (Date de valeur later on line 5), decimal point, ISO-8859-15", async () => {
    const { detection, records, issues, skipped } = await readReal('fr-cic-comma-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['fr-cic-comma', 1, 'iso-8859-15']);
    expect([issues, skipped]).toEqual([[], 0]);
    const cb = (day: string, merchant: string) => `PAIEMENT CB ${day} SAN FRANCISCO ${merchant} CARTE 05970000`;
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', null, 'posted', '-1584', 'EUR', null, null, null, null, 'VIREMENT ACME SAS 0556847000000000001 FA 4072'],
      [3, '2026-11-04', null, 'posted', '4', 'EUR', null, null, null, null, 'PRLV SEPA ORANGE SA FR00ZZZ000000'],
      [4, '2026-11-05', null, 'posted', '18.36', 'EUR', null, null, null, null, cb('0311', 'OPENAI *CHATGPT SUBSCR')],
      [5, '2026-11-06', null, 'posted', '-50', 'EUR', null, null, null, null, 'REMCB00096 NB0001 CBD000000001'],
      [6, '2026-11-13', null, 'posted', '93.17', 'EUR', null, null, null, null, cb('1211', 'ANTHROPIC')],
      [7, '2026-11-20', null, 'posted', '20', 'EUR', null, null, null, null, 'RETRAIT DAB 2011 REF02220A00 CARTE **0000'],
    ]);
  });
});
