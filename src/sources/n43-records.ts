/**
 * One Norma 43 record at a time: its fields sliced and checked (digits where the spec says
 * numeric, real YYMMDD dates, a 1/2 sign, a known currency number). Pure; every problem names
 * the field and its character positions, so the reader can put it on an issue as is.
 */
import { Decimal } from '../money.js';
import { ACCOUNT_END, ACCOUNT_HEADER, CONCEPT, CURRENCY_BY_NUMBER, EQUIVALENCE, FILE_END, MOVEMENT, columnOf, slice, type N43Field } from './n43-layout.js';

export interface FieldProblem {
  column: string;
  message: string;
}

/** Collects a record's field problems while its fields are read. */
class FieldReader {
  readonly problems: FieldProblem[] = [];
  /** `length`: the line's own length before padding, to say when a field was cut off. */
  constructor(
    private readonly line: string,
    private readonly length: number,
  ) {}

  text(field: N43Field): string {
    return slice(this.line, field).trim();
  }

  digits(field: N43Field): string | null {
    const raw = slice(this.line, field);
    if (/^\d+$/.test(raw) && raw.length === field.to - field.from + 1) return raw;
    const width = field.to - field.from + 1;
    const kept = raw.slice(0, Math.max(0, this.length - field.from + 1)).trimEnd();
    const found =
      field.to > this.length
        ? kept === ''
          ? `nothing: the line ends at character ${this.length}`
          : `${JSON.stringify(kept)} and the end of the line (character ${this.length})`
        : raw.trim() === ''
          ? 'blanks'
          : JSON.stringify(raw);
    this.problems.push({ column: columnOf(field), message: `expected ${width} digit${width > 1 ? 's' : ''} (the ${field.name}), found ${found}` });
    return null;
  }

  /** An unsigned amount with two implied decimals (`00000000001234` = 12.34). */
  amount(field: N43Field): Decimal | null {
    const d = this.digits(field);
    return d === null ? null : Decimal.of(BigInt(d), 2);
  }

  /** YYMMDD → YYYY-MM-DD. Years are 20YY: the format has no century, and no bank exports 1900s movements now. */
  date(field: N43Field): string | null {
    const d = this.digits(field);
    if (d === null) return null;
    const [y, m, day] = [2000 + Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6))];
    const probe = new Date(Date.UTC(y, m - 1, day));
    if (m < 1 || m > 12 || probe.getUTCDate() !== day) {
      this.problems.push({ column: columnOf(field), message: `expected a date as YYMMDD (the ${field.name}), found "${d}", which is no calendar date` });
      return null;
    }
    return `${y}-${d.slice(2, 4)}-${d.slice(4, 6)}`;
  }

  /** 1 = debit (money out of the account), 2 = credit (money in). */
  sign(field: N43Field): 'debit' | 'credit' | null {
    const c = slice(this.line, field);
    if (c === '1') return 'debit';
    if (c === '2') return 'credit';
    this.problems.push({ column: columnOf(field), message: `expected 1 (debit) or 2 (credit) (the ${field.name}), found ${JSON.stringify(c)}` });
    return null;
  }

  currency(field: N43Field): string | null {
    const d = this.digits(field);
    if (d === null) return null;
    const code = CURRENCY_BY_NUMBER[d];
    if (!code)
      this.problems.push({ column: columnOf(field), message: `expected an ISO 4217 numeric currency code (978 = EUR, 840 = USD…), found "${d}", which this reader does not know` });
    return code ?? null;
  }
}

/** A balance as signed money: 2 (credit) is money the holder has, 1 (debit) an overdraft. */
function signedBalance(sign: 'debit' | 'credit' | null, amount: Decimal | null): Decimal | null {
  return sign === null || amount === null ? null : sign === 'credit' ? amount : amount.neg();
}

export interface AccountHeader {
  bank: string;
  branch: string;
  account: string;
  startDate: string | null;
  endDate: string | null;
  initialBalance: Decimal | null;
  currency: string | null;
  name: string;
  problems: FieldProblem[];
}

export function readAccountHeader(line: string, length = line.length): AccountHeader {
  const r = new FieldReader(line, length);
  const F = ACCOUNT_HEADER;
  const bank = r.text(F.bank);
  const branch = r.text(F.branch);
  const account = r.text(F.account);
  const startDate = r.date(F.startDate);
  const endDate = r.date(F.endDate);
  const initialBalance = signedBalance(r.sign(F.balanceSign), r.amount(F.balance));
  const currency = r.currency(F.currency);
  return { bank, branch, account, startDate, endDate, initialBalance, currency, name: r.text(F.name), problems: r.problems };
}

export interface Movement {
  operationDate: string | null;
  valueDate: string | null;
  commonConcept: string;
  ownConcept: string;
  direction: 'debit' | 'credit' | null;
  /** Unsigned, as the file writes it. */
  amount: Decimal | null;
  document: string;
  reference1: string;
  reference2: string;
  problems: FieldProblem[];
}

export function readMovement(line: string, length = line.length): Movement {
  const r = new FieldReader(line, length);
  const F = MOVEMENT;
  // amount and sign first: any issue on the line can then say how much money it held
  const amount = r.amount(F.amount);
  const direction = r.sign(F.sign);
  const operationDate = r.date(F.operationDate);
  const valueDate = r.date(F.valueDate);
  return {
    operationDate,
    valueDate,
    commonConcept: r.text(F.commonConcept),
    ownConcept: r.text(F.ownConcept),
    direction,
    amount,
    document: r.text(F.document),
    reference1: r.text(F.reference1),
    reference2: r.text(F.reference2),
    problems: r.problems,
  };
}

/** The two 38-character texts of a 23 record, blanks dropped. */
export function readConcept(line: string, length = line.length): { code: string; texts: string[] } {
  const r = new FieldReader(line, length);
  return { code: r.text(CONCEPT.code), texts: [r.text(CONCEPT.text1), r.text(CONCEPT.text2)].filter((t) => t !== '') };
}

export interface Equivalence {
  currency: string | null;
  amount: Decimal | null;
  problems: FieldProblem[];
}

export function readEquivalence(line: string, length = line.length): Equivalence {
  const r = new FieldReader(line, length);
  const currency = r.currency(EQUIVALENCE.currency);
  const amount = r.amount(EQUIVALENCE.amount);
  return { currency, amount, problems: r.problems };
}

export interface AccountEnd {
  bank: string;
  branch: string;
  account: string;
  debitCount: number | null;
  debitSum: Decimal | null;
  creditCount: number | null;
  creditSum: Decimal | null;
  finalBalance: Decimal | null;
  currency: string | null;
  problems: FieldProblem[];
}

export function readAccountEnd(line: string, length = line.length): AccountEnd {
  const r = new FieldReader(line, length);
  const F = ACCOUNT_END;
  const count = (field: N43Field) => {
    const d = r.digits(field);
    return d === null ? null : Number(d);
  };
  return {
    bank: r.text(F.bank),
    branch: r.text(F.branch),
    account: r.text(F.account),
    debitCount: count(F.debitCount),
    debitSum: r.amount(F.debitSum),
    creditCount: count(F.creditCount),
    creditSum: r.amount(F.creditSum),
    finalBalance: signedBalance(r.sign(F.balanceSign), r.amount(F.balance)),
    currency: r.currency(F.currency),
    problems: r.problems,
  };
}

/** The 88 record's count of records (all but 00 and the 88 itself). */
export function readFileEnd(line: string, length = line.length): { records: number | null; problems: FieldProblem[] } {
  const r = new FieldReader(line, length);
  const d = r.digits(FILE_END.records);
  return { records: d === null ? null : Number(d), problems: r.problems };
}
