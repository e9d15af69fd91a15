/**
 * Austrian, French and Italian statement layouts (issue #9, fifth pass): easybank's credit card CSV and
 * Raiffeisen's Mein ELBA account CSV (both without a header row), Fortuneo's account CSV,
 * which the French débit/crédit profile already reads, Banque Populaire's, Crédit Mutuel's, Société Générale's, Shine's, Qonto's and BancoPosta's (DD/MM/YY dates) (fixtures/statements/real/, sources in
 * its README). Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'at-easybank-credit-card': ['at-easybank-credit-card-2026-11.csv'],
  'at-raiffeisen': ['at-raiffeisen-2026-11.csv'],
  'it-bancoposta': ['it-bancoposta-2026-11.csv'],
  // Caisse d'Épargne writes Banque Populaire's layout (same group, BPCE): one profile reads both
  'fr-banque-populaire': ['fr-banque-populaire-2026-11.csv', 'fr-caisse-epargne-2026-11.csv'],
  'fr-credit-mutuel': ['fr-credit-mutuel-2026-11.csv'],
  'fr-societe-generale': ['fr-societe-generale-2026-11.csv'],
  'fr-shine': ['fr-shine-2026-11.csv'],
  'fr-qonto': ['fr-qonto-2026-11.csv'],
};

describe('the profiles added in the fifth pass', () => {
  it('each takes its own fixtures and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(Object.fromEntries(Object.entries(OWN).map(([n, list]) => [n, [...list].sort()])));
  });
});

describe('Austria', () => {
  it('easybank credit card: no header, Windows-1252, "-23,40" charges and "+412,85" credits, "|USD 20,00|" in the text as the original', async () => {
    const { detection, records, issues, skipped } = await readReal('at-easybank-credit-card-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['at-easybank-credit-card', 0]);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-27', '2026-11-28', 'posted', '23.4', 'EUR', null, null, null, null, 'SPAR DANKT 5470 WIEN|20261128000041718293645'],
      [2, '2026-11-22', '2026-11-24', 'posted', '18.36', 'EUR', '20', 'USD', null, null, 'OPENAI *CHATGPT SUBSCR|USD 20,00|20261124000041718293646'],
      [3, '2026-11-20', '2026-11-20', 'posted', '-412.85', 'EUR', null, null, null, null, 'Gutschrift Zahlung|20261120000041718293647'],
      [4, '2026-11-12', '2026-11-13', 'posted', '93.17', 'EUR', '108', 'USD', null, null, 'ANTHROPIC|USD 108,00|20261113000041718293648'],
      [5, '2026-11-08', '2026-11-09', 'posted', '1049', 'EUR', null, null, null, null, 'OEBB TICKET 1100 WIEN|20261109000041718293649'],
      [6, '2026-11-04', '2026-11-05', 'posted', '-12.99', 'EUR', null, null, null, null, 'AMAZON EU RETOUR|20261105000041718293650'],
      [7, '2026-11-01', '2026-11-03', 'posted', '9.22', 'EUR', '8', 'GBP', null, null, 'NOTION LABS|GBP 8,00|20261103000041718293651'],
    ]);
  });

  it('Raiffeisen Mein ELBA: no header, the text quoted, value date the transaction date, "2.350,00" money in, two empty trailing cells', async () => {
    const { detection, records, issues, skipped } = await readReal('at-raiffeisen-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['at-raiffeisen', 0]);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-28', '2026-11-28', 'posted', '41.27', 'EUR', null, null, null, null, 'BILLA DANKT  0613  K1   28.11. 18:02'],
      [2, '2026-11-26', '2026-11-27', 'posted', '93.17', 'EUR', null, null, null, null, 'POS          93,17 IE  K1   26.11. 09:14 ANTHROPIC DUBLIN'],
      [3, '2026-11-25', '2026-11-25', 'posted', '-2350', 'EUR', null, null, null, null, 'Gutschrift  Auftraggeber:  Muster Handels GmbH  Verwendungszweck:  Gehalt November'],
      [
        4,
        '2026-11-20',
        '2026-11-20',
        'posted',
        '64',
        'EUR',
        null,
        null,
        null,
        null,
        'Lastschrift  Auftraggeber:  Wiener Stadtwerke  Kundendaten:  000000123456  Verwendungszweck:  Strom 11/26 20%USt',
      ],
      [
        5,
        '2026-11-12',
        '2026-11-12',
        'posted',
        '1180',
        'EUR',
        null,
        null,
        null,
        null,
        'ELBA-INTERNET VOM 11.11 UM 20:31  Empfänger:  Hausverwaltung Gruber  Verwendungszweck:  Miete November',
      ],
      [6, '2026-11-03', '2026-11-04', 'posted', '18.36', 'EUR', null, null, null, null, 'POS          18,36 IE  K2   03.11. 23:41 OPENAI *CHATGPT SUBSCR'],
      [7, '2026-11-02', '2026-11-03', 'posted', '27.8', 'EUR', null, null, null, null, 'HOFER DANKT  0412  K2   02.11. 17:55'],
    ]);
  });
});

describe('France', () => {
  it('Fortuneo: read by fr-bank; lower-case "libellé", a trailing ";" on every line, Windows-1252, money out already negative in Débit', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-fortuneo-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-bank', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, day: string, amount: string, text: string) => [line, day, day, 'posted', amount, 'EUR', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-28', '32.45', 'CARTE 27/11 MONOPRIX PARIS 11'),
      row(3, '2026-11-25', '-2450', 'VIR INST SALAIRE NOVEMBRE ACME SAS'),
      row(4, '2026-11-24', '18.36', 'CARTE 22/11 OPENAI *CHATGPT SUBSCR'),
      row(5, '2026-11-13', '93.17', 'CARTE 12/11 ANTHROPIC'),
      row(6, '2026-11-10', '19.99', 'PRLV SEPA FREE MOBILE'),
      row(7, '2026-11-05', '1150', 'VIR LOYER NOVEMBRE M. DUPONT'),
      row(8, '2026-11-03', '-45.5', 'AVOIR CARTE 02/11 SNCF CONNECT'),
    ]);
  });

  it('Banque Populaire: Debit "-32,45", Credit "+2450,00", Date operation before the booking, "CB****4821-20,00USD 1 EURO = 1,089325" as the original', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-banque-populaire-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-banque-populaire', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const card = (ref: string, amount: string, ccy: string) => `48213 CB****4821${ref}${amount}${ccy} 1 EURO = `;
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', '2026-11-03', 'posted', '32.45', 'EUR', null, null, null, 'RG4K2M', `MONOPRIX PARIS 11 / ${card('-', '32,45', 'EUR')}1,000000`],
      [3, '2026-11-02', '2026-11-04', 'posted', '18.36', 'EUR', '20', 'USD', null, 'TX8P3Q', `OPENAI *CHATGPT SUBSCR / ${card('-', '20,00', 'USD')}1,089325`],
      [4, '2026-11-05', '2026-11-05', 'posted', '500', 'EUR', null, null, null, '884120', 'ECHEANCE PRET / DONT CAP    412,30 ASS.    8,10E-     INT.    79,60 COM.    0,00E'],
      [5, '2026-11-12', '2026-11-13', 'posted', '93.17', 'EUR', '108', 'USD', null, 'ZK27WD', `ANTHROPIC / ${card('-', '108,00', 'USD')}1,159172`],
      [6, '2026-11-18', '2026-11-18', 'posted', '19.99', 'EUR', null, null, null, 'FM2611', 'PRLV SEPA FREE MOBILE / FREE MOBILE FM-00412873 ECH/181126'],
      [7, '2026-11-27', '2026-11-27', 'posted', '-2450', 'EUR', null, null, null, '7HJ21K', 'VIR ACME SAS SALAIRE NOVEMBRE'],
      [8, '2026-11-26', '2026-11-28', 'posted', '-45.5', 'EUR', null, null, null, 'AV5521', `AVOIR SNCF CONNECT / ${card('+', '45,50', 'EUR')}1,000000`],
    ]);
  });
});

describe('France (Crédit Mutuel)', () => {
  it('Crédit Mutuel / CIC: ISO-8859-15 ("N°002"), Date the transaction date, Débit "-26,99", Crédit unsigned, Solde not read', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-credit-mutuel-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-credit-mutuel', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    // no posting-date column is read: Date is the booking itself, Date de valeur no purchase date
    const row = (line: number, day: string, amount: string, text: string) => [line, day, null, 'posted', amount, 'EUR', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-02', '26.99', 'PRLV SEPA FREE MOBILE VOTRE ABONNEMENT MOBILE: 06XXXX'),
      row(3, '2026-11-03', '18.36', 'PAIEMENT CB 0211 SAN FRANCISCO OPENAI *CHATGPT SUBSCR PAYWEB4821 GIR0130600101'),
      row(4, '2026-11-05', '-2450', 'VIR ACME SAS SALAIRE NOVEMBRE PP000000000021'),
      row(5, '2026-11-06', '10.3', 'F COTIS EUROCOMPTE CONFORT'),
      row(6, '2026-11-09', '543.21', 'ECH PRET CAP+IN 01000 000000 14 UTILISATION N°002'),
      row(7, '2026-11-13', '93.17', 'PAIEMENT CB 1211 SAN FRANCISCO ANTHROPIC PAYWEB4821 GIR0130600102'),
      row(8, '2026-11-16', '32.45', 'PAIEMENT PSC 1411 LILLE MONOPRIX CARTE 4821 GIR0130600103'),
      row(9, '2026-11-20', '-45.5', 'VIR INST SNCF VOYAGEURS REMBOURSEMENT 0000000000000000007'),
      row(10, '2026-11-30', '1150', 'VIR SEPA DUPONT JEAN LOYER NOVEMBRE CG3V26112L000009'),
    ]);
  });
});

describe('France (Société Générale)', () => {
  it('Société Générale: an account line and a blank line before the header, most recent first, one signed amount, the 18-character Libellé and the whole text', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-societe-generale-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-societe-generale', 3]);
    // the account line is the one skipped row; the blank line is no row
    expect([issues, skipped]).toEqual([[], 1]);
    const row = (line: number, day: string, amount: string, text: string) => [line, day, null, 'posted', amount, 'EUR', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(4, '2026-11-28', '-45.5', 'VIR RECU    784512 / VIR RECU    7845123690S DE: SNCF VOYAGEURS MOTIF: REMBOURSEMENT REF: 00074512'),
      row(5, '2026-11-25', '-2450', 'VIR RECU    712093 / VIR RECU    7120938810S DE: ACME SAS MOTIF: SALAIRE NOVEMBRE'),
      row(6, '2026-11-24', '18.36', 'CARTE X4821 22/11 / CARTE X4821 22/11 OPENAI *CHATGPT SUBSCR COMMERCE ELECTRONIQUE'),
      row(7, '2026-11-18', '19.99', 'PRELEVEMENT EUROPE / PRELEVEMENT EUROPEEN 5012349871 DE: FREE MOBILE ID: FR25ZZZ123456 MOTIF: FACTURE 11/2026'),
      row(8, '2026-11-13', '93.17', 'CARTE X4821 12/11 / CARTE X4821 12/11 ANTHROPIC COMMERCE ELECTRONIQUE'),
      row(9, '2026-11-05', '1150', 'VIR PERM POUR: M. / VIR PERM POUR: M. DUPONT JEAN REF: 4471200 MOTIF: LOYER NOVEMBRE'),
      row(10, '2026-11-04', '32.45', 'CARTE X4821 03/11 / CARTE X4821 03/11 MONOPRIX PARIS 11'),
      row(11, '2026-11-02', '8.7', 'COTISATION JAZZ / COTISATION JAZZ'),
    ]);
  });
});

describe('France (Shine)', () => {
  it('Shine: every cell quoted, Débit and Crédit both filled (the unused one "0,00"), Date d\'opération before the value date, the Transaction ID as reference', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-shine-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-shine', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, tx: string, posted: string, amount: string, text: string) => [
      line,
      tx,
      posted,
      'posted',
      amount,
      'EUR',
      null,
      null,
      null,
      `b1f4c2a0-${line - 1}`,
      text,
    ];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-02', '2026-11-02', '18.36', 'Paiement carte OPENAI *CHATGPT SUBSCR / OPENAI'),
      row(3, '2026-11-04', '2026-11-05', '-1800', 'Virement FACTURE 2026-041 / ACME SAS'),
      row(4, '2026-11-08', '2026-11-08', '7.9', 'Abonnement Shine / Shine'),
      row(5, '2026-11-12', '2026-11-13', '93.17', 'Paiement carte ANTHROPIC / ANTHROPIC'),
      row(6, '2026-11-20', '2026-11-20', '32.45', 'Paiement carte MONOPRIX PARIS 11 / MONOPRIX'),
      row(7, '2026-11-27', '2026-11-27', '1200', 'Virement Salaire novembre / DUPONT JEAN'),
    ]);
  });
});

describe('France (Qonto)', () => {
  it('Qonto: UTC date-times read as their date, the operation date before the settlement, a pending card line without an operation date takes the settlement date', async () => {
    const { detection, records, issues, skipped } = await readReal('fr-qonto-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['fr-qonto', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const row = (line: number, tx: string, posted: string, status: string, amount: string, text: string) => [
      line,
      tx,
      posted,
      status,
      amount,
      'EUR',
      null,
      null,
      null,
      `qt_9f2a0${line - 1}`,
      text,
    ];
    expect(records.map(view)).toEqual([
      row(2, '2026-11-02', '2026-11-03', 'posted', '18.36', 'OPENAI *CHATGPT SUBSCR'),
      row(3, '2026-11-05', '2026-11-05', 'posted', '-1800', 'ACME SAS / FACTURE 2026-041'),
      row(4, '2026-11-10', '2026-11-10', 'posted', '64', 'FREE PRO / FM-00412873'),
      row(5, '2026-11-12', '2026-11-13', 'posted', '93.17', 'ANTHROPIC'),
      row(6, '2026-11-20', '2026-11-20', 'posted', '1150', 'SCI DUPONT / LOYER NOVEMBRE'),
      row(7, '2026-11-29', '2026-11-29', 'pending', '32.45', 'MONOPRIX PARIS 11'),
    ]);
  });
});

describe('Italy', () => {
  it('BancoPosta: DD/MM/YY, Valuta the transaction date, Addebiti/Accrediti unsigned, the two SALDO rows with a stray "|" skipped, no newline at the end', async () => {
    const { detection, records, issues, skipped } = await readReal('it-bancoposta-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['it-bancoposta', 1]);
    expect([issues, skipped]).toEqual([[], 2]);
    const row = (line: number, tx: string, posted: string, amount: string, text: string) => [line, tx, posted, 'posted', amount, 'EUR', null, null, null, null, text];
    expect(records.map(view)).toEqual([
      row(3, '2026-11-02', '2026-11-04', '18.36', 'PAGAMENTO POSTAMAT ALTRI GESTORI 02/11/2026 23.41 OPENAI *CHATGPT SUBSCR SAN FRANCISCO USA OPERAZIONE 4F7K2Q CARTA 482913'),
      row(4, '2026-11-10', '2026-11-10', '64', 'ADDEBITO DIRETTO SDD ENEL ENERGIA S.p. CID. IT00ZZZ0000000000000000000 261110 MAN. 00'),
      row(5, '2026-11-12', '2026-11-13', '93.17', 'PAGAMENTO POSTAMAT ALTRI GESTORI 12/11/2026 09.14 ANTHROPIC SAN FRANCISCO USA OPERAZIONE 8H3M1T CARTA 482913'),
      row(6, '2026-11-20', '2026-11-20', '150', 'PRELIEVO POSTAMAT NOSTRO SPORTELLO AUTOMATICO 20/11/2026 18.05 ATM N. 00412 UFFICIO POSTALE BOLOGNA CARTA 482913'),
      row(7, '2026-11-25', '2026-11-25', '-1850', 'BONIFICO A VOSTRO FAVORE TRN BPPIITRRXXX 0000000000000000000000000IT DA MUSTER SRL PER STIPENDIO NOVEMBRE'),
      row(8, '2026-11-27', '2026-11-27', '1', 'COMMISSIONE RICARICA PREPAGATA ADDEBITO IN CONTO DA APP/WEB Ricarica Postepay da APP addebito su conto'),
      row(9, '2026-11-27', '2026-11-27', '100', 'ADDEBITO PER RICARICA CARTA PREPAGATA DA APP/WEB Ricarica Postepay da APP addebito su conto'),
      row(10, '2026-11-28', '2026-11-28', '-45.5', 'POSTAGIRO Da Mario Rossi per Cena TRN 0000000000000000000000000IT'),
    ]);
  });
});
