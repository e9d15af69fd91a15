/**
 * Italian statement layouts (issue #9, fourth pass): Inbank's "Movimenti conto" CSV of the
 * cooperative banks and Fineco's movements CSV (fixtures/statements/real/, sources in its
 * README). Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'it-inbank': ['it-inbank-2026-11.csv'],
  'it-fineco': ['it-fineco-2026-11.csv'],
};

describe('the profiles added in the fourth pass', () => {
  it('each takes its own fixtures and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(Object.fromEntries(Object.entries(OWN).map(([n, list]) => [n, [...list].sort()])));
  });
});

describe('Italy', () => {
  it('Inbank: ";", unnamed 5th and trailing column, DARE/AVERE unsigned with "1.200,00", the opening-balance row and three closing lines not read as money', async () => {
    const { detection, records, issues, skipped } = await readReal('it-inbank-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['it-inbank', 1]);
    expect([issues, skipped]).toEqual([[], 4]);
    const pos = (when: string, merchant: string) => `PAGAMENTO TRAMITE POS DATA/ORA ${when} CARTA N.****4821 PRESSO: ${merchant}`;
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '12.5', 'EUR', null, null, null, null, pos('27/11/2026 19:02', 'PIZZERIA DA MARIO ROMAGNANO')],
      [3, '2026-11-25', null, 'posted', '-1850', 'EUR', null, null, null, null, 'BONIFICO A VOSTRO FAVORE ORDINANTE: ROSSI SRL CAUSALE: STIPENDIO NOVEMBRE 2026'],
      [4, '2026-11-20', null, 'posted', '6.2', 'EUR', null, null, null, null, 'PAGAMENTI DIVERSI CRED. PAYPAL EUROPE S.A.R.L. ID.MANDATO 5ABCD1234 IMP. E 6,20'],
      [5, '2026-11-12', null, 'posted', '93.17', 'EUR', null, null, null, null, pos('12/11/2026 08:44', 'ANTHROPIC')],
      [6, '2026-11-05', null, 'posted', '1200', 'EUR', null, null, null, null, 'VOSTRA DISPOSIZIONE A FAVORE A FAV: BIANCHI LUCIA - AFFITTO NOVEMBRE ID.MSG 0000000123'],
      [7, '2026-11-03', null, 'posted', '18.36', 'EUR', null, null, null, null, pos('03/11/2026 23:41', 'OPENAI *CHATGPT SUBSCR')],
    ]);
  });

  it('Fineco: Data_Valuta the purchase date and Data_Operazione the booking, Entrate/Uscite unsigned, Descrizione and Descrizione_Completa joined, Stato Contabilizzato posted', async () => {
    const { detection, records, issues, skipped } = await readReal('it-fineco-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['it-fineco', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    const visa = (merchant: string) => `Pagamento Visa Debit / ${merchant} Carta N. *****9012`;
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', '2026-11-28', 'posted', '45.9', 'EUR', null, null, null, null, visa('SUPERMERCATO ESSE MILANO')],
      [
        3,
        '2026-11-25',
        '2026-11-25',
        'posted',
        '-2100',
        'EUR',
        null,
        null,
        null,
        null,
        'Bonifico SEPA Italia / Ord: VERDI SPA Ben: MARCO ROSSI Dt.Reg: 25/11/2026 Stipendio novembre',
      ],
      [4, '2026-11-12', '2026-11-13', 'posted', '93.17', 'EUR', null, null, null, null, visa('ANTHROPIC SAN FRANCISCO')],
      [
        5,
        '2026-11-10',
        '2026-11-10',
        'posted',
        '1200',
        'EUR',
        null,
        null,
        null,
        null,
        'Bonifico SEPA Italia / Ord: MARCO ROSSI Ben: LUCIA BIANCHI Dt.Reg: 10/11/2026 Affitto novembre',
      ],
      [6, '2026-11-03', '2026-11-04', 'posted', '18.36', 'EUR', null, null, null, null, visa('OPENAI *CHATGPT SUBSCR SAN FRANCISCO')],
      [7, '2026-11-02', '2026-11-02', 'posted', '250', 'EUR', null, null, null, null, 'Prelevamento Bancomat / Prelievo ATM Carta N. *****9012'],
    ]);
  });
});
