/**
 * Big banks missing from the statement layouts (issue #9, eleventh pass): NatWest Group (NatWest,
 * RBS, Ulster) in its older apostrophe-quoted and its current export, Deutsche Bank and Postbank
 * ("Umsätze" with a preamble and a Kontostand line), TARGOBANK (no header row). Sources in
 * fixtures/statements/real/README.md. Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'uk-natwest': ['uk-natwest-2026-11.csv', 'uk-natwest-export-2026-11.csv'],
  'de-deutsche-bank': ['de-deutsche-bank-umsaetze-2026-11.csv', 'de-postbank-umsaetze-2026-11.csv'],
  'de-targobank': ['de-targobank-umsaetze-2026-11.csv'],
};

describe('the profiles added in the big-banks pass', () => {
  it('each takes its own fixtures and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(Object.fromEntries(Object.entries(OWN).map(([n, list]) => [n, [...list].sort()])));
  });
});

describe('UK: NatWest Group', () => {
  it('older export: blank line above and below the spaced header, apostrophe-led quoted text, a comma ending each row, DD/MM/YYYY, signed Value in GBP', async () => {
    const { detection, records, issues, skipped } = await readReal('uk-natwest-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.delimiter]).toEqual(['uk-natwest', 2, ',']);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [4, '2026-11-01', null, 'posted', '74.2', 'GBP', null, null, null, null, "'BRITISH GAS , 850012345678"],
      [5, '2026-11-03', null, 'posted', '18.36', 'GBP', null, null, null, null, "'4821 02NOV26 CD , OPENAI *CHATGPT SUBSCR , OPENAI.COM US"],
      [6, '2026-11-05', null, 'posted', '40', 'GBP', null, null, null, null, "'C/L 04NOV26 , NATWEST 04NOV , @10:41 , HIGH STREET"],
      [7, '2026-11-14', null, 'posted', '93.17', 'GBP', null, null, null, null, "'4821 13NOV26 CD , ANTHROPIC , SAN FRANCISCO US"],
      [8, '2026-11-20', null, 'posted', '-250', 'GBP', null, null, null, null, "'FROM A/C 87654321 , SMITH A , VIA MOBILE XFER"],
      [9, '2026-11-27', null, 'posted', '-2450', 'GBP', null, null, null, null, "'ACME TRADING LTD , SALARY NOV"],
      [10, '2026-11-30', null, 'posted', '2', 'GBP', null, null, null, null, "'10NOV A/C 12345678"],
    ]);
  });

  it('current export: plain header and cells, DD Mon YYYY, LF line ends', async () => {
    const { detection, records, issues, skipped } = await readReal('uk-natwest-export-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['uk-natwest', 1]);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', null, 'posted', '950', 'GBP', null, null, null, null, 'HOMELY LETTINGS , RENT NOV , 4521007733'],
      [3, '2026-11-04', null, 'posted', '22', 'GBP', null, null, null, null, '4417 03NOV26 CD , OPENAI , SAN FRANCISCO US'],
      [4, '2026-11-10', null, 'posted', '31.48', 'GBP', null, null, null, null, '4417 09NOV26 CD , TESCO STORES 2041 , LONDON GB'],
      [5, '2026-11-18', null, 'posted', '18', 'GBP', null, null, null, null, '4417 17NOV26 CD , ANTHROPIC , SAN FRANCISCO US'],
      [6, '2026-11-28', null, 'posted', '-1200', 'GBP', null, null, null, null, 'EXAMPLE HOLDINGS , INV-2231'],
      [7, '2026-11-30', null, 'posted', '-0.42', 'GBP', null, null, null, null, 'GROSS INTEREST'],
    ]);
  });
});

describe('Germany: Deutsche Bank, Postbank, TARGOBANK', () => {
  it('Deutsche Bank Umsätze: six preamble lines and a blank one, D.M.YYYY, Wert read (Buchungstag posted), signed Betrag with "1.150,00", the Kontostand line skipped', async () => {
    const { detection, records, issues, skipped } = await readReal('de-deutsche-bank-umsaetze-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.delimiter]).toEqual(['de-deutsche-bank', 8, ';']);
    expect([issues, skipped]).toEqual([[], 7]);
    const card = (merchant: string, place: string, when: string) => `Kartenzahlung / ${merchant} / ${merchant}//${place} ${when} Folgenr. 04 Verfalld. 1229`;
    expect(records.map(view)).toEqual([
      [9, '2026-11-27', '2026-11-27', 'posted', '-2950', 'EUR', null, null, null, null, 'SEPA Überweisung / Beispiel Handels GmbH / LOHN NOVEMBER 2026 PERS.NR 4417'],
      [10, '2026-11-23', '2026-11-24', 'posted', '93.17', 'EUR', null, null, null, null, card('ANTHROPIC', 'SAN FRANCISCO/US', '22-11-2026T18:04:11')],
      [11, '2026-11-17', '2026-11-17', 'posted', '64', 'EUR', null, null, null, null, 'SEPA Lastschrift / Stadtwerke Musterstadt GmbH / Abschlag Strom 11/2026 Vertrag 7781200'],
      [12, '2026-11-09', '2026-11-10', 'posted', '18.36', 'EUR', null, null, null, null, card('OPENAI *CHATGPT SUBSCR', 'OPENAI.COM/US', '08-11-2026T02:31:45')],
      [13, '2026-11-03', '2026-11-03', 'posted', '100', 'EUR', null, null, null, null, 'Bargeldauszahlung / GA NR00001234 BLZ50070024 0 03.11/10.22UHR MUSTERSTADT'],
      [14, '2026-11-02', '2026-11-02', 'posted', '1150', 'EUR', null, null, null, null, 'SEPA Überweisung / Erika Musterfrau / Miete November Whg 3 links'],
    ]);
  });

  it('Postbank Umsätze: the same layout with a UTF-8 BOM, CRLF, every line padded to 18 cells, amounts without trailing zeros ("-22", "-5,7")', async () => {
    const { detection, records, issues, skipped } = await readReal('de-postbank-umsaetze-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.encoding]).toEqual(['de-deutsche-bank', 8, 'utf-8']);
    expect([issues, skipped]).toEqual([[], 8]);
    const card = (merchant: string, when: string) => `Kartenzahlung / ${merchant} / ${merchant}//SAN FRANCISCO/US ${when} Folgenr. 09 Verfalld. 1229`;
    expect(records.map(view)).toEqual([
      [9, '2026-12-01', '2026-12-01', 'posted', '24.99', 'EUR', null, null, null, null, 'SEPA Lastschrift / Mobilfunk Beispiel GmbH / Kd-Nr. 55012233 Rechnung 11/2026'],
      [10, '2026-11-27', '2026-11-28', 'posted', '22', 'EUR', null, null, null, null, card('OPENAI', '26-11-2026T21:12:09')],
      [11, '2026-11-25', '2026-11-25', 'posted', '-1874.76', 'EUR', null, null, null, null, 'SEPA Überweisung / Beispiel Verein e. V. / Pers Nr 100 Gehalt Nov 26'],
      [12, '2026-11-12', '2026-11-13', 'posted', '18', 'EUR', null, null, null, null, card('ANTHROPIC', '11-11-2026T16:40:27')],
      [13, '2026-11-04', '2026-11-04', 'posted', '64.96', 'EUR', null, null, null, null, 'SEPA Echtzeitüberweisung / Jan Beispiel / Konzertkarten'],
      [14, '2026-11-03', '2026-11-03', 'posted', '5.7', 'EUR', null, null, null, null, 'Zinsen/Kosten/Auslagen / Kontoabschluss Oktober 26 Kontoführung 5,70 S'],
    ]);
  });

  it('TARGOBANK: no header row, money out signed negative in its own column, money in beside it, the own IBAN in apostrophes, a blank last line', async () => {
    const { detection, records, issues, skipped } = await readReal('de-targobank-umsaetze-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.delimiter]).toEqual(['de-targobank', 0, ';']);
    expect([issues, skipped]).toEqual([[], 0]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-02', null, 'posted', '64', 'EUR', null, null, null, null, 'Lastschrift   STADTWERKE BEISPIEL GMBH   DE44000000000000000000   Abschlag Strom November 2026'],
      [2, '2026-11-03', null, 'posted', '18.36', 'EUR', null, null, null, null, 'Kartenzahlung   OPENAI *CHATGPT SUBSCR   OPENAI.COM 00000001   Kartennummer: 439556XXXXXX417X'],
      [3, '2026-11-04', null, 'posted', '6.95', 'EUR', null, null, null, null, 'Entgelt Kontoführung   für Oktober 2026'],
      [4, '2026-11-10', null, 'posted', '-42.9', 'EUR', null, null, null, null, 'Gutschrift   BEISPIEL VERSAND GMBH   Erstattung Bestellung 55-1029384'],
      [5, '2026-11-13', null, 'posted', '93.17', 'EUR', null, null, null, null, 'Kartenzahlung   ANTHROPIC   SAN FRANCISCO 00000002   Kartennummer: 439556XXXXXX417X'],
      [6, '2026-11-16', null, 'posted', '25', 'EUR', null, null, null, null, 'Echtzeitüberweisung   ERIKA BEISPIEL   DE70000000000000000000   Geburtstagsgeschenk'],
      [7, '2026-11-27', null, 'posted', '-980', 'EUR', null, null, null, null, 'Gutschrift   MUSTER LOGISTIK AG   Lohn November 2026 PNR 3381'],
    ]);
  });
});
