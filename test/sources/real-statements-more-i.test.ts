/**
 * French statement layouts, third pass: La Banque Postale, BNP Paribas's older header-less
 * download, and Caisse d'Épargne (read by the Banque Populaire profile: both BPCE banks write
 * one layout). Sources in fixtures/statements/real/README.md. Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'fr-la-banque-postale': ['fr-la-banque-postale-2026-11.csv'],
  'fr-bnp-paribas': ['fr-bnp-paribas-2026-11.csv'],
};

describe('the profiles added for La Banque Postale and BNP Paribas', () => {
  it('each takes its own fixture and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(OWN);
  });
});

describe('France (third pass)', () => {
  it('La Banque Postale: five padded account lines and a blank line before the header, quoted Libellé, money in bare, the USD amount in the card text', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-la-banque-postale-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-la-banque-postale', 7]);
    expect([issues, skipped]).toEqual([[], 5]);
    const cb = (text: string) => `ACHAT CB ${text} CARTE NUMERO                821`;
    expect(records.map(view)).toEqual([
      [8, '2026-11-28', null, 'posted', '32.45', 'EUR', null, null, null, null, cb('MONOPRIX 27.11.26 EUR    32,45')],
      [9, '2026-11-25', null, 'posted', '-2450', 'EUR', null, null, null, null, 'VIREMENT DE ACME SAS REFERENCE : SALAIRE NOVEMBRE'],
      [10, '2026-11-13', null, 'posted', '93.17', 'EUR', '108', 'USD', null, null, cb('ANTHROPIC 12.11.26 USD   108,00')],
      [11, '2026-11-10', null, 'posted', '19.99', 'EUR', null, null, null, null, 'PRELEVEMENT DE FREE MOBILE REF : FM2611'],
      [12, '2026-11-04', null, 'posted', '18.36', 'EUR', '20', 'USD', null, null, cb('OPENAI *CHATGPT SUBSCR 02.11.26 USD    20,00')],
      [13, '2026-11-03', null, 'posted', '680', 'EUR', null, null, null, null, 'VIREMENT POUR DUPONT LUCIE LOYER NOVEMBRE'],
      [14, '2026-11-02', null, 'posted', '-4.2', 'EUR', null, null, null, null, 'AVOIR CB CAFÉ DES ARTS 31.10.26 EUR     4,20 CARTE NUMERO                821'],
    ]);
  });

  it('BNP Paribas (older download): no header row, the account line skipped, empty category cells, "2 450,00" with a space between thousands', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-bnp-paribas-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-bnp-paribas', 0]);
    expect([issues, skipped]).toEqual([[], 1]);
    const card = (text: string) => `FACTURE CARTE DU ${text} CARTE 4974XXXXXXXX4821`;
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '32.45', 'EUR', null, null, null, null, card('271126 MONOPRIX PARIS 11')],
      [3, '2026-11-25', null, 'posted', '-2450', 'EUR', null, null, null, null, 'VIR SEPA RECU /DE ACME SAS /MOTIF SALAIRE NOVEMBRE'],
      [4, '2026-11-13', null, 'posted', '93.17', 'EUR', null, null, null, null, card('121126 ANTHROPIC')],
      [5, '2026-11-10', null, 'posted', '19.99', 'EUR', null, null, null, null, 'PRLV SEPA FREE MOBILE ECH/101126 ID EMETTEUR/FR22ZZZ123456'],
      [6, '2026-11-04', null, 'posted', '18.36', 'EUR', null, null, null, null, card('021126 OPENAI *CHATGPT SUBSCR')],
      [7, '2026-11-03', null, 'posted', '60', 'EUR', null, null, null, null, 'RETRAIT DAB 031126 PARIS 11 CARTE 4974XXXXXXXX4821'],
    ]);
  });

  it("Caisse d'Épargne: the BPCE 13-column layout, LF, Latin-1, read by fr-banque-populaire (Date operation the purchase day, '+2450,00' money in)", async () => {
    const { detection, records, issues, skipped } = await readReal('fr-caisse-epargne-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-banque-populaire', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-26', '2026-11-27', 'posted', '54.2', 'EUR', null, null, null, null, 'CB CARREFOUR MARKET FACT 261126'],
      [3, '2026-11-25', '2026-11-25', 'posted', '-2450', 'EUR', null, null, null, 'REF557201', 'VIR INST Acme SAS / Salaire Novembre-'],
      [4, '2026-11-12', '2026-11-13', 'posted', '93.17', 'EUR', null, null, null, null, 'CB ANTHROPIC FACT 121126'],
      [5, '2026-11-10', '2026-11-10', 'posted', '31.8', 'EUR', null, null, null, 'REF810344', 'PRLV ASSURANCE HABITATION / REF810344-'],
      [6, '2026-11-02', '2026-11-04', 'posted', '18.36', 'EUR', null, null, null, null, 'CB OPENAI *CHATGPT SUBSCR FACT 021126'],
      [7, '2026-11-03', '2026-11-03', 'posted', '60', 'EUR', null, null, null, null, 'RETRAIT DAB 031126 PARIS 11'],
    ]);
  });
});
