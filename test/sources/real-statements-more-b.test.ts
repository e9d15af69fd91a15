/**
 * More statements people actually download (issue #9): euro-area banks, Revolut Business
 * and Japanese cards and banks (fixtures/statements/real/, sources in its README), read
 * with the shipped profiles. Every line of every fixture is checked.
 */
import { describe, expect, it } from 'vitest';
import { fixturesFitting, readReal, view } from './real-statement-helpers.js';

/** The profiles added with these fixtures, and the fixtures each must take. */
const OWN: Record<string, string[]> = {
  'de-n26-legacy': ['de-n26-legacy-2026-11.csv'],
  'eu-n26': ['eu-n26-2026-11.csv'],
  'de-commerzbank': ['de-commerzbank-2026-11.csv', 'de-commerzbank-2026-11-v2.csv'],
  'de-volksbank': ['de-volksbank-2026-11.csv'],
  'de-comdirect': ['de-comdirect-2026-11.csv'],
  'nl-bunq': ['nl-bunq-2026-11.csv', 'nl-bunq-2026-11-en.csv'],
  'nl-rabobank': ['nl-rabobank-2026-11.csv'],
  'nl-abn-amro': ['nl-abn-amro-2026-11.csv'],
  'nl-asn': ['nl-asn-2026-11.csv'],
  'be-bnp-paribas-fortis': ['be-bnp-paribas-fortis-2026-11.csv'],
  'be-belfius': ['be-belfius-2026-11.csv'],
  'be-kbc': ['be-kbc-2026-11.csv'],
  'be-kbc-credit-card': ['be-kbc-credit-card-2026-11.csv'],
  'fr-boursorama': ['fr-boursorama-2026-11.csv'],
  'eu-revolut-business': ['eu-revolut-business-2026-11.csv'],
  'jp-mufg': ['jp-mufg-2026-11.csv'],
  'jp-rakuten-card': ['jp-rakuten-card-2026-11.csv'],
};

describe('the added profiles', () => {
  it('each takes its own fixtures and fits no other statement fixture, not even as a runner-up', async () => {
    expect(await fixturesFitting(Object.keys(OWN))).toEqual(Object.fromEntries(Object.entries(OWN).map(([n, list]) => [n, [...list].sort()])));
  });
});

describe('Germany and N26', () => {
  it('N26, older German export: Betrag (Fremdwährung)/Fremdwährung give the USD amount; EUR lines repeat the EUR amount, which is no original', async () => {
    const { detection, records, issues } = await readReal('de-n26-legacy-2026-11.csv');
    expect([detection.profile, detection.encoding, detection.delimiter]).toEqual(['de-n26-legacy', 'utf-8', ',']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '18.52', 'EUR', '20', 'USD', null, null, 'OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-24', null, 'posted', '92.61', 'EUR', '100', 'USD', null, null, 'ANTHROPIC'],
      [4, '2026-11-20', null, 'posted', '23.45', 'EUR', null, null, null, null, 'BEISPIEL MARKT'],
      [5, '2026-11-15', null, 'posted', '-450', 'EUR', null, null, null, null, 'Erika Beispiel / Miete Anteil'],
      [6, '2026-11-03', null, 'posted', '12.9', 'EUR', null, null, null, null, 'Beispiel Versicherung AG / Vertrag 4711'],
    ]);
  });

  it('N26, English export: Original Amount/Original Currency; an empty Value Date does not make a transfer pending', async () => {
    const { detection, records, issues } = await readReal('eu-n26-2026-11.csv');
    expect(detection.profile).toBe('eu-n26');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '18.52', 'EUR', '20', 'USD', null, null, 'OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-25', null, 'posted', '9.26', 'EUR', '10', 'USD', null, null, 'ANTHROPIC'],
      [4, '2026-11-20', null, 'posted', '23.45', 'EUR', null, null, null, null, 'Beispiel Markt'],
      [5, '2026-11-07', null, 'posted', '-328', 'EUR', null, null, null, null, 'Compte courant'],
      [6, '2026-11-07', null, 'posted', '328', 'EUR', null, null, null, null, 'Compte courant'],
    ]);
  });

  it('Commerzbank: Wertstellung is the transaction date, Buchungstag the posting date; "-1.150,00"; the newer Kategorie column', async () => {
    const { detection, records, issues } = await readReal('de-commerzbank-2026-11.csv');
    expect([detection.profile, detection.delimiter]).toEqual(['de-commerzbank', ';']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-28',
        '2026-11-30',
        'posted',
        '18.52',
        'EUR',
        null,
        null,
        null,
        null,
        'Kartenzahlung OPENAI *CHATGPT SUBSCR//SAN FRANCISCO 2026-11-27T09:12:44 KFN 1 VJ 2912 / Lastschrift',
      ],
      [
        3,
        '2026-11-24',
        '2026-11-24',
        'posted',
        '17.22',
        'EUR',
        null,
        null,
        null,
        null,
        'Kartenzahlung REWE SAGT DANKE. 40000001//Hamburg 2026-11-23T18:02:10 KFN 1 VJ 2912 / Lastschrift',
      ],
      [4, '2026-11-16', '2026-11-16', 'posted', '-25', 'EUR', null, null, null, null, 'Erika Beispiel Rueckzahlung Abendessen / Gutschrift'],
      [5, '2026-11-02', '2026-11-02', 'posted', '1150', 'EUR', null, null, null, null, 'Hausverwaltung Beispiel GmbH Miete November / Dauerauftrag'],
    ]);
  });
});

describe('Germany, 2025 layouts', () => {
  it('Commerzbank 2025 (BOM, CRLF, nothing quoted): IBAN Kontoinhaber; "-10,7", "30" and a zero Rechnungsabschluss line', async () => {
    const { detection, records, issues } = await readReal('de-commerzbank-2026-11-v2.csv');
    expect([detection.profile, detection.unknownColumns]).toEqual(['de-commerzbank', []]);
    expect(issues).toEqual([]);
    expect(records.map((r) => view(r).slice(0, 6))).toEqual([
      [2, '2026-11-30', '2026-11-30', 'posted', '10.7', 'EUR'],
      [3, '2026-11-26', '2026-11-27', 'posted', '92.61', 'EUR'],
      [4, '2026-11-15', '2026-11-15', 'posted', '-30', 'EUR'],
      [5, '2026-11-02', '2026-11-02', 'posted', '12.34', 'EUR'],
      [6, '2026-11-01', '2026-11-01', 'posted', '0', 'EUR'],
    ]);
    expect(records[1]!.description).toBe('ANTHROPIC//SAN FRANCISCO/US 2026-11-26T18:02:10 KFN 1 VJ 2912 Kartenzahlung / Lastschrift');
  });

  it('Volksbank (Atruvia layout): BOM, CRLF, "-45,3" and "-1150"; a later Valutadatum (Abschluss) leaves Buchungstag the date', async () => {
    const { detection, records, issues } = await readReal('de-volksbank-2026-11.csv');
    expect([detection.profile, detection.delimiter]).toEqual(['de-volksbank', ';']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-30',
        null,
        'posted',
        '18.52',
        'EUR',
        null,
        null,
        null,
        null,
        'OPENAI *CHATGPT SUBSCR / Kartenzahlung / OPENAI *CHATGPT SUBSCR/SAN FRANCISCO/US 2026-11-27T09:12:44 Karte 1 2029-12',
      ],
      [3, '2026-11-28', null, 'posted', '6', 'EUR', null, null, null, null, 'Abschluss / Abrechnung 30.11.2026 Kontoführung'],
      [
        4,
        '2026-11-24',
        null,
        'posted',
        '45.3',
        'EUR',
        null,
        null,
        null,
        null,
        'Beispiel Versicherung AG / Basislastschrift / 40-0000001/Beispiel Leben EREF: 100000000001 MREF: M-100-000-001 CRED: DE00ZZZ00000000001 IBAN: DE00300500000000000002 BIC: WELADEDDXXX',
      ],
      [5, '2026-11-03', null, 'posted', '-175', 'EUR', null, null, null, null, 'Erika Beispiel / Gutschrift / Rate'],
      [6, '2026-11-02', null, 'posted', '1150', 'EUR', null, null, null, null, 'Hausverwaltung Beispiel GmbH / Dauerauftrag / Miete November'],
    ]);
  });
});

describe('comdirect', () => {
  it('Girokonto (Windows-1252): a ";" ending every line, the section title and balance before the header, "Alter Kontostand" after the rows', async () => {
    const { detection, records, issues, skipped } = await readReal('de-comdirect-2026-11.csv');
    expect([detection.profile, detection.encoding, detection.headerLine]).toEqual(['de-comdirect', 'windows-1252', 5]);
    expect(issues).toEqual([]);
    expect(records.map((r) => view(r).slice(0, 6))).toEqual([
      [6, '2026-11-28', '2026-11-30', 'posted', '18.52', 'EUR'],
      [7, '2026-11-20', '2026-11-20', 'posted', '92.61', 'EUR'],
      [8, '2026-11-17', '2026-11-17', 'posted', '50', 'EUR'],
      [9, '2026-11-04', '2026-11-04', 'posted', '1150', 'EUR'],
      [10, '2026-11-02', '2026-11-02', 'posted', '-2500', 'EUR'],
    ]);
    expect(records[0]!.description).toBe(
      'Lastschrift / Belastung / Auftraggeber: OPENAI *CHATGPT SUBSCR Buchungstext: OPENAI *CHATGPT SUBSCR SAN FRANCISCO US Karte Nr. 4871 78XX XXXX 1234 Ref. AA00000000000001/0001',
    );
    expect(records[3]!.description).toBe(
      'Übertrag / Überweisung / Empfänger: Max BeispielKto/IBAN: DE00000000000000000001 BLZ/BIC: XXXXXXXXXXX Buchungstext: Miete Beispielallee 1 Ref. A000000000000004/0',
    );
    // the two preamble lines (section title, Neuer Kontostand) and the "Alter Kontostand" trailer
    expect(skipped).toBe(3);
  });
});

describe('the Netherlands and Belgium', () => {
  it('bunq, Dutch header: decimal comma; the USD amount is only in the text, with a decimal point, read by the originalInText number format', async () => {
    const { detection, records, issues } = await readReal('nl-bunq-2026-11.csv');
    expect(detection.profile).toBe('nl-bunq');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '18.52', 'EUR', '20', 'USD', null, null, 'OPENAI / OPENAI *CHATGPT SUBSCR SAN FRANCISCO, US 20.00 USD, 1 USD = 0.92600 EUR'],
      [3, '2026-11-20', null, 'posted', '23.45', 'EUR', null, null, null, null, 'Albert Heijn / Albert Heijn 1234 (AMSTERDAM, NL)'],
      [4, '2026-11-09', null, 'posted', '-750', 'EUR', null, null, null, null, 'E. VOORBEELD EO / Naar Bunq'],
      [5, '2026-11-01', null, 'posted', '2.56', 'EUR', null, null, null, null, 'bunq / invoice 410001'],
    ]);
  });

  it('bunq, English header: the same profile through its alternative column names; "100.00 USD" in the text is the original; a refund naming only the rate is money in with none', async () => {
    const { detection, records, issues } = await readReal('nl-bunq-2026-11-en.csv');
    expect(detection.profile).toBe('nl-bunq');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-24', null, 'posted', '92.65', 'EUR', '100', 'USD', null, null, 'ANTHROPIC / ANTHROPIC SAN FRANCISCO, US 100.00 USD, 1 USD = 0.92650 EUR'],
      [3, '2026-11-25', null, 'posted', '-92.65', 'EUR', null, null, null, null, 'ANTHROPIC / Refund: ANTHROPIC (SAN FRANCISCO, US) 1 USD = 0.92650 EUR'],
      [4, '2026-11-17', null, 'posted', '7.99', 'EUR', null, null, null, null, 'NETFLIX.COM / NETFLIX.COM 14080000000, NL'],
    ]);
  });

  it('Rabobank (Windows-1252, CRLF): "+50,00" and "-18,52", Oorspr bedrag/munt, Rentedatum before Datum, Volgnr as the reference', async () => {
    const { detection, records, issues } = await readReal('nl-rabobank-2026-11.csv');
    expect([detection.profile, detection.encoding]).toEqual(['nl-rabobank', 'windows-1252']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-02', '2026-11-02', 'posted', '1150', 'EUR', null, null, null, '000000000000012001', 'Verhuur Voorbeeld B.V. / Huur november'],
      [3, '2026-11-14', '2026-11-14', 'posted', '-50', 'EUR', null, null, null, '000000000000012002', 'Nederlandse Loterij Voorbeeld B.V. / Gefeliciteerd, Gewonnen'],
      [
        4,
        '2026-11-27',
        '2026-11-28',
        'posted',
        '18.52',
        'EUR',
        '20',
        'USD',
        null,
        '000000000000012003',
        'OpenAI *ChatGPT Subscr / OpenAI *ChatGPT Subscr>SAN FRANCISCO US / Betaalautomaat 09:12 pasnr. 001',
      ],
      [5, '2026-11-29', '2026-11-29', 'posted', '23.45', 'EUR', null, null, null, '000000000000012004', 'Albert Heijn 1234 / Albert Heijn 1234>AMSTERDAM / Apple Pay'],
    ]);
  });

  it('ABN AMRO TAB export: no header row, recognised by its cells; two accounts in one file; "USD 20,00 1EUR=1,0799 USD" in the text', async () => {
    const { detection, records, issues } = await readReal('nl-abn-amro-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.delimiter]).toEqual(['nl-abn-amro', 0, '\t']);
    expect(issues).toEqual([]);
    // the description is written in 32-character fields; the trailing padding is trimmed
    const fields = (...parts: string[]) =>
      parts
        .map((p) => p.padEnd(32))
        .join('')
        .trimEnd();
    expect(records.map(view)).toEqual([
      [
        1,
        '2026-11-02',
        null,
        'posted',
        '1150',
        'EUR',
        null,
        null,
        null,
        null,
        fields('SEPA Overboeking', 'IBAN: NL00RABO0300000009', 'BIC: RABONL2U', 'Naam: VERHUUR VOORBEELD BV', 'Omschrijving: huur november'),
      ],
      [2, '2026-11-20', null, 'posted', '23.45', 'EUR', null, null, null, null, fields('BEA, Betaalpas', 'Albert Heijn 1234,PAS123', 'NR:0ABC0D, 20.11.26/17:40', 'AMSTERDAM')],
      [
        3,
        '2026-11-28',
        null,
        'posted',
        '18.52',
        'EUR',
        '20',
        'USD',
        null,
        null,
        fields(
          'BEA, Google Pay',
          'OPENAI *CHATGPT SUBSCR,PAS456',
          'NR:01234567, 27.11.26/09:12',
          'SAN FRANCISCO, Land: USA',
          'USD 20,00 1EUR=1,0799 USD',
          'KOSTEN EUR0,15 ACHTERAF BEREKEND',
        ),
      ],
      [
        4,
        '2026-11-29',
        null,
        'posted',
        '-10',
        'EUR',
        null,
        null,
        null,
        null,
        fields('BEA, Betaalpas', 'Albert Heijn 1234,PAS123', 'NR:0ABC0E, 29.11.26/10:02', 'AMSTERDAM', 'TERUGBOEKING BEA-TRANSACTIE'),
      ],
      [
        5,
        '2026-11-30',
        null,
        'posted',
        '91.51',
        'EUR',
        null,
        null,
        null,
        null,
        '/TRTP/SEPA Incasso algemeen doorlopend/CSID/IE00ZZZ000000000001/NAME/ANTHROPIC IRELAND LTD/MARF/AN000000000001/REMI/Invoice 2026-11 API credits/IBAN/IE00BOFI90000000000001/BIC/BOFIIE2D/EREF/AN-2026-11-0001',
      ],
      [
        6,
        '2026-12-01',
        null,
        'posted',
        '-12.34',
        'EUR',
        null,
        null,
        null,
        null,
        fields('Basic interest', 'over the period from', '30-11-2025 to 30-11-2026', 'For interest rates please visit www.abnamro.nl/rente'),
      ],
    ]);
  });

  it("ASN Bank: no header row, 19 columns by position, DD-MM-YYYY, a decimal point; cells quoted with ' (the profile's quote), so a comma inside them stays in the description", async () => {
    const { detection, records, issues } = await readReal('nl-asn-2026-11.csv');
    expect([detection.profile, detection.headerLine, detection.delimiter]).toEqual(['nl-asn', 0, ',']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [1, '2026-11-02', '2026-11-02', 'posted', '1150', 'EUR', null, null, null, '00000000', 'Verhuur Voorbeeld BV / Huur november'],
      [2, '2026-11-05', '2026-11-05', 'posted', '2.2', 'EUR', null, null, null, '50950001', 'Kosten gebruik betaalrekening inclusief 1 betaalpas'],
      [
        3,
        '2026-11-20',
        '2026-11-20',
        'posted',
        '111.13',
        'EUR',
        null,
        null,
        null,
        '51400001',
        'International Card Services B V / 000000000000000000000000000000000 0000000000000000 Betaling aan ICS 00000000001 ICS Referentie: 2026-11-20 14:21 000000000000001',
      ],
      [4, '2026-11-28', '2026-11-29', 'posted', '18.52', 'EUR', null, null, null, '51400002', 'OPENAI *CHATGPT SUBSCR / OPENAI *CHATGPT SUBSCR>SAN FRANCISCO US'],
      [5, '2026-11-30', '2026-11-30', 'posted', '-2500', 'EUR', null, null, null, '00000000', 'Voorbeeld BV / SALARIS NOVEMBER 2026'],
      // the comma inside the quotes used to make a 20th cell and get the row rejected
      [6, '2026-11-30', '2026-11-30', 'posted', '-25', 'EUR', null, null, null, '00000000', 'Erika Voorbeeld / Etentje, bedankt'],
    ]);
  });

  it('KBC account: cells padded with spaces; the USD amount read from Omschrijving ("20,00 USD WISSELKOERS")', async () => {
    const { detection, records, issues } = await readReal('be-kbc-2026-11.csv');
    expect([detection.profile, detection.delimiter]).toEqual(['be-kbc', ';']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-28',
        null,
        'posted',
        '18.52',
        'EUR',
        '20',
        'USD',
        null,
        null,
        'BETALING VIA UW KBC-DEBETKAART 27-11 OM 09.12 UUR OPENAI *CHATGPT SUBSCR SAN FRANCISCO US 20,00 USD WISSELKOERS 1,0799',
      ],
      [3, '2026-11-20', null, 'posted', '23.45', 'EUR', null, null, null, null, 'BETALING VIA UW KBC-DEBETKAART 20-11 OM 17.40 UUR DELHAIZE BRUSSEL'],
      [4, '2026-11-02', null, 'posted', '-2500', 'EUR', null, null, null, null, 'OVERSCHRIJVING VAN VOORBEELD NV / VOORBEELD NV / LOON NOVEMBER'],
      [5, '2026-11-01', null, 'posted', '3.4', 'EUR', null, null, null, null, 'BIJDRAGE 01-10-2026 - 31-10-2026     31-10 KBC-PLUSREKENING'],
    ]);
  });

  it('KBC credit card: "bedrag in EUR" is the charge and bedrag/munt the original; Kosten op verrichting is the fee; no newline at the end', async () => {
    const { detection, records, issues } = await readReal('be-kbc-credit-card-2026-11.csv');
    expect(detection.profile).toBe('be-kbc-credit-card');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', '2026-11-30', 'posted', '18.52', 'EUR', '20', 'USD', '1234', null, 'OPENAI *CHATGPT SUBSCR / SAN FRANCISCO / USA'],
      [3, '2026-11-24', '2026-11-25', 'posted', '92.61', 'EUR', '100', 'USD', '1234', null, 'ANTHROPIC / SAN FRANCISCO / USA'],
      [4, '2026-11-20', '2026-11-21', 'posted', '42.1', 'EUR', null, null, '1234', null, 'Voorbeeld Hotel / GENT / BEL'],
      [5, '2026-11-24', '2026-11-24', 'posted', '-135.77', 'EUR', null, null, null, null, 'Betaling van zichtrekening'],
      [6, '2026-11-01', '2026-11-02', 'posted', '16.52', 'EUR', null, null, '1234', null, 'Jaarlijkse bijdrage'],
    ]);
    expect(records.map((r) => r.fee?.toString() ?? null)).toEqual(['0.33', '1.67', null, null, null]);
  });
});

describe('Belgium, from importer code only', () => {
  it('BNP Paribas Fortis: BOM, CRLF, Date valeur before the execution date, Statut Accepté/Refusé (a refused card payment is declined), Nº de séquence as the reference', async () => {
    const { detection, records, issues } = await readReal('be-bnp-paribas-fortis-2026-11.csv');
    expect([detection.profile, detection.delimiter]).toEqual(['be-bnp-paribas-fortis', ';']);
    expect(issues).toEqual([]);
    const card = (merchant: string, day: string, ref: string) =>
      `AVEC LA CARTE 4871 04XX XXXX 1234 1 ${merchant} ${day}/11/2026${ref ? ` REFERENCE BANQUE : ${ref} DATE VALEUR : ` : ''}`;
    expect(records.map(view)).toEqual([
      [
        2,
        '2026-11-27',
        '2026-11-28',
        'posted',
        '18.52',
        'EUR',
        null,
        null,
        null,
        '2026-0041',
        `${card('OPENAI *CHATGPT SUBSCR SAN FRANCISCO', '27', '2611270912340001')}27/11/2026`,
      ],
      [3, '2026-11-25', '2026-11-25', 'posted', '92.61', 'EUR', null, null, null, '2026-0040', `${card('ANTHROPIC SAN FRANCISCO', '24', '2611250912340002')}25/11/2026`],
      [4, '2026-11-22', '2026-11-22', 'declined', '46.3', 'EUR', null, null, null, null, card('OPENAI SAN FRANCISCO', '22', '')],
      [5, '2026-11-20', '2026-11-20', 'posted', '23.45', 'EUR', null, null, null, '2026-0039', `${card('DELHAIZE BRUXELLES', '19', '2611200912340003')}20/11/2026`],
      [
        6,
        '2026-11-02',
        '2026-11-02',
        'posted',
        '-2500',
        'EUR',
        null,
        null,
        null,
        '2026-0038',
        'EXEMPLE SA / VIREMENT EN EUROS DU COMPTE BE00 0010 0000 0099 EXEMPLE SA COMMUNICATION : SALAIRE NOVEMBRE REFERENCE BANQUE : 2611020912340004',
      ],
    ]);
  });

  it('Belfius (CRLF): the search criteria and a line of bare ";" before the header are skipped; Valutadatum before Boekingsdatum', async () => {
    const { detection, records, issues, skipped } = await readReal('be-belfius-2026-11.csv');
    expect([detection.profile, detection.headerLine]).toEqual(['be-belfius', 7]);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [
        8,
        '2026-11-27',
        '2026-11-28',
        'posted',
        '18.52',
        'EUR',
        null,
        null,
        null,
        '00000041',
        'BETALING MET DEBETKAART NUMMER 4871 04XX XXXX 1234 OPENAI *CHATGPT SUBSCR SAN FRANCISCO 27/11 09:12',
      ],
      [9, '2026-11-19', '2026-11-20', 'posted', '23.45', 'EUR', null, null, null, '00000040', 'BETALING MET DEBETKAART NUMMER 4871 04XX XXXX 1234 DELHAIZE BRUSSEL 19/11 17:40'],
      [
        10,
        '2026-11-03',
        '2026-11-03',
        'posted',
        '1150',
        'EUR',
        null,
        null,
        null,
        '00000039',
        'EUROPESE OVERSCHRIJVING NAAR BE00 0000 0000 0002 Verhuur Voorbeeld BV / Huur november',
      ],
      [11, '2026-11-02', '2026-11-02', 'posted', '-2500', 'EUR', null, null, null, '00000038', 'EUROPESE OVERSCHRIJVING VAN BE00 0000 0000 0003 Voorbeeld NV / Loon november'],
    ]);
    expect(skipped).toBe(6);
  });
});

describe('France and Revolut Business', () => {
  it('Boursorama: BOM, "-1 150,00" with a space between thousands, dateOp and dateVal', async () => {
    const { detection, records, issues } = await readReal('fr-boursorama-2026-11.csv');
    expect([detection.profile, detection.delimiter]).toEqual(['fr-boursorama', ';']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', '2026-11-30', 'posted', '18.52', 'EUR', null, null, null, null, 'CARTE 27/11/26 OPENAI *CHATGPT SUBSCR'],
      [3, '2026-11-20', '2026-11-20', 'posted', '23.45', 'EUR', null, null, null, null, 'CARTE 19/11/26 MONOPRIX PARIS'],
      [4, '2026-11-05', '2026-11-05', 'posted', '-2500', 'EUR', null, null, null, null, 'VIR SEPA EXEMPLE SARL SALAIRE NOVEMBRE'],
      [5, '2026-11-02', '2026-11-02', 'posted', '1150', 'EUR', null, null, null, null, 'PRLV SEPA AGENCE IMMO EXEMPLE LOYER'],
    ]);
  });

  it('Revolut Business: PENDING with no completion date, DECLINED, Orig amount/currency, card last four, a fee on a transfer', async () => {
    const { detection, records, issues } = await readReal('eu-revolut-business-2026-11.csv');
    expect(detection.profile).toBe('eu-revolut-business');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-29', null, 'pending', '92.61', 'EUR', '100', 'USD', '1234', null, 'Anthropic'],
      [3, '2026-11-27', '2026-11-28', 'posted', '18.52', 'EUR', '20', 'USD', '1234', null, 'OpenAI *ChatGPT Subscr'],
      [4, '2026-11-20', '2026-11-20', 'posted', '23.45', 'EUR', null, null, '5678', null, 'Beispiel Markt'],
      [5, '2026-11-18', '2026-11-18', 'declined', '46.3', 'EUR', '50', 'USD', '5678', null, 'OpenAI'],
      [6, '2026-11-02', '2026-11-02', 'posted', '1150', 'EUR', null, null, null, null, 'To Example Landlord GmbH / Rent November'],
      [7, '2026-11-01', '2026-11-01', 'posted', '-5273.65', 'EUR', null, null, null, null, 'Payment from Example Customer SAS / INV-2026-0042'],
    ]);
    expect(records.map((r) => r.fee?.toString() ?? null)).toEqual([null, null, null, null, '0.2', null]);
  });
});

describe('Japan', () => {
  it('MUFG (Shift_JIS, sniffed as Windows-1252): read as shift_jis by the profile; unsigned 支払い金額/預かり金額 with thousands commas', async () => {
    const { detection, records, issues } = await readReal('jp-mufg-2026-11.csv');
    expect([detection.profile, detection.encoding]).toEqual(['jp-mufg', 'shift_jis']);
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-04', null, 'posted', '-10000', 'JPY', null, null, null, null, 'カード / ＭＵＦＧ'],
      [3, '2026-11-10', null, 'posted', '3120', 'JPY', null, null, null, null, 'デビット / ＯＰＥＮＡＩ　＊ＣＨＡＴＧＰＴ'],
      [4, '2026-11-25', null, 'posted', '15500', 'JPY', null, null, null, null, '口座振替３ / ＡＮＴＨＲＯＰＩＣ'],
      [5, '2026-11-27', null, 'posted', '9000', 'JPY', null, null, null, null, 'ゆうちょ / リヨウキヨク０１７０１'],
    ]);
  });

  it('Rakuten Card: BOM, purchases unsigned and a refund negative; the dateless 現地利用額 row after a USD purchase continues it, read as its original', async () => {
    const { detection, records, issues, skipped, rows } = await readReal('jp-rakuten-card-2026-11.csv');
    expect(detection.profile).toBe('jp-rakuten-card');
    expect(issues).toEqual([]);
    expect(records.map(view)).toEqual([
      [2, '2026-11-28', null, 'posted', '3120', 'JPY', '20', 'USD', null, null, 'OPENAI *CHATGPT SUBSCR'],
      [4, '2026-11-24', null, 'posted', '15500', 'JPY', null, null, null, null, 'ANTHROPIC'],
      [5, '2026-11-20', null, 'posted', '4980', 'JPY', null, null, null, null, '楽天市場'],
      [6, '2026-11-15', null, 'posted', '660', 'JPY', null, null, null, null, 'ｽﾀｰﾊﾞｯｸｽ ｼﾌﾞﾔ'],
      [7, '2026-11-03', null, 'posted', '-3000', 'JPY', null, null, null, null, '返品 ヨドバシ 新宿'],
    ]);
    // the continuation row (line 3) is one of the file's other lines: 6 rows = 5 lines + 1
    expect([skipped, rows]).toEqual([1, 6]);
  });
});
