/**
 * The record layout of the AEB Norma 43 (Cuaderno 43, CSB 43) statement file: fixed-width
 * 80-character records, positions 1-based and inclusive as the AEB booklet prints them
 * (fixtures/statements/real/README.md names the sources). Pure data and field slicing.
 */

/** One field: where it sits on the record and what it holds, as the spec names it. */
export interface N43Field {
  name: string;
  from: number;
  to: number;
}

const f = (name: string, from: number, to: number): N43Field => ({ name, from, to });

/** 11: account header. */
export const ACCOUNT_HEADER = {
  bank: f('bank code', 3, 6),
  branch: f('branch code', 7, 10),
  account: f('account number', 11, 20),
  startDate: f('start date', 21, 26),
  endDate: f('end date', 27, 32),
  balanceSign: f('initial balance sign', 33, 33),
  balance: f('initial balance', 34, 47),
  currency: f('currency code', 48, 50),
  mode: f('information mode', 51, 51),
  name: f('abbreviated name', 52, 77),
} as const;

/** 22: main movement record. */
export const MOVEMENT = {
  branch: f('origin branch', 7, 10),
  operationDate: f('operation date', 11, 16),
  valueDate: f('value date', 17, 22),
  commonConcept: f('common concept', 23, 24),
  ownConcept: f('own concept', 25, 27),
  sign: f('debit/credit code', 28, 28),
  amount: f('amount', 29, 42),
  document: f('document number', 43, 52),
  reference1: f('reference 1', 53, 64),
  reference2: f('reference 2', 65, 80),
} as const;

/** 23: complementary concept, up to five per movement, two 38-character texts each. */
export const CONCEPT = {
  code: f('data code', 3, 4),
  text1: f('concept 1', 5, 42),
  text2: f('concept 2', 43, 80),
} as const;

/** 24: currency equivalence, the movement's amount in its original currency. */
export const EQUIVALENCE = {
  code: f('data code', 3, 4),
  currency: f('original currency code', 5, 7),
  amount: f('original amount', 8, 21),
} as const;

/** 33: end of account, the bank's own totals. */
export const ACCOUNT_END = {
  bank: f('bank code', 3, 6),
  branch: f('branch code', 7, 10),
  account: f('account number', 11, 20),
  debitCount: f('number of debits', 21, 25),
  debitSum: f('total debits', 26, 39),
  creditCount: f('number of credits', 40, 44),
  creditSum: f('total credits', 45, 58),
  balanceSign: f('final balance sign', 59, 59),
  balance: f('final balance', 60, 73),
  currency: f('currency code', 74, 76),
} as const;

/** 88: end of file. */
export const FILE_END = {
  nines: f('nines', 3, 20),
  records: f('number of records', 21, 26),
} as const;

export const RECORD_LENGTH = 80;
/** 00 is an optional file header some banks put first; the rest are the five record types. */
export const RECORD_CODES = ['00', '11', '22', '23', '24', '33', '88'] as const;
export type RecordCode = (typeof RECORD_CODES)[number];

export function isRecordCode(code: string): code is RecordCode {
  return (RECORD_CODES as readonly string[]).includes(code);
}

/** The field's characters on a line padded to 80 (a bank that drops trailing blanks leaves them out). */
export function slice(line: string, field: N43Field): string {
  return line.slice(field.from - 1, field.to);
}

/** How a field is named in an issue's column: `amount (characters 29–42)`. */
export function columnOf(field: N43Field): string {
  return field.from === field.to ? `${field.name} (character ${field.from})` : `${field.name} (characters ${field.from}–${field.to})`;
}

/**
 * ISO 4217 numeric → alphabetic codes, the currencies a Spanish bank account or card charge is
 * likely to be in (the file writes only the number). An unknown number is an issue, never a guess.
 */
export const CURRENCY_BY_NUMBER: Readonly<Record<string, string>> = {
  '036': 'AUD',
  '124': 'CAD',
  '156': 'CNY',
  '203': 'CZK',
  '208': 'DKK',
  '344': 'HKD',
  '348': 'HUF',
  '356': 'INR',
  '392': 'JPY',
  '410': 'KRW',
  '484': 'MXN',
  '504': 'MAD',
  '554': 'NZD',
  '578': 'NOK',
  '643': 'RUB',
  '702': 'SGD',
  '710': 'ZAR',
  '752': 'SEK',
  '756': 'CHF',
  '826': 'GBP',
  '840': 'USD',
  '946': 'RON',
  '949': 'TRY',
  '978': 'EUR',
  '985': 'PLN',
  '986': 'BRL',
  '032': 'ARS',
  '152': 'CLP',
  '170': 'COP',
  '604': 'PEN',
};

/** The AEB common concepts (positions 23–24), for a movement without any 23 record to describe it. */
export const COMMON_CONCEPTS: Readonly<Record<string, string>> = {
  '01': 'TALONES - REINTEGROS',
  '02': 'ABONARES - ENTREGAS - INGRESOS',
  '03': 'DOMICILIADOS - RECIBOS - LETRAS - PAGOS POR SU CUENTA',
  '04': 'GIROS - TRANSFERENCIAS - TRASPASOS - CHEQUES',
  '05': 'AMORTIZACIONES PRESTAMOS, CREDITOS, ETC.',
  '06': 'REMESAS EFECTOS',
  '07': 'SUSCRIPCIONES - DIV. PASIVOS - CANJES',
  '08': 'DIV. CUPONES - PRIMA JUNTA - AMORTIZACIONES',
  '09': 'OPERACIONES DE BOLSA Y/O COMPRA/VENTA VALORES',
  '10': 'CHEQUES GASOLINA',
  '11': 'CAJERO AUTOMATICO',
  '12': 'TARJETAS DE CREDITO - TARJETAS DE DEBITO',
  '13': 'OPERACIONES EXTRANJERO',
  '14': 'DEVOLUCIONES E IMPAGADOS',
  '15': 'NOMINAS - SEGUROS SOCIALES',
  '16': 'TIMBRES - CORRETAJE - POLIZA',
  '17': 'INTERESES - COMISIONES - CUSTODIA - GASTOS E IMPUESTOS',
  '98': 'ANULACIONES - CORRECCIONES ASIENTO',
  '99': 'VARIOS',
};
