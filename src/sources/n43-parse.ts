/**
 * A Norma 43 file's lines → CardLines and issues. One CardLine per movement record 22 (with its
 * 23 texts and 24 original amount); the file's own totals (record 33: counts and sums of debits
 * and credits, final balance = initial + credits − debits) and record count (88) are checked,
 * and every mismatch is an issue naming its line. Pure: the reader in n43.ts does the I/O.
 */
import type { CardLine, InputIssue } from '../model.js';
import { Decimal } from '../money.js';
import { issue } from './contract.js';
import { ACCOUNT_END, COMMON_CONCEPTS, FILE_END, MOVEMENT, RECORD_LENGTH, columnOf, isRecordCode } from './n43-layout.js';
import { readAccountEnd, readAccountHeader, readConcept, readEquivalence, readFileEnd, readMovement, type AccountHeader, type FieldProblem, type Movement } from './n43-records.js';

/** The CardLine's profile name: the format, as no statement profile reads it. */
const N43_PROFILE = 'norma43';

export interface N43Line {
  /** 1-based physical line. */
  line: number;
  text: string;
}

export interface N43Result {
  records: CardLine[];
  issues: InputIssue[];
  skipped: number;
  rows: number;
}

interface Totals {
  count: number;
  sum: Decimal;
}

interface OpenAccount {
  line: number;
  header: AccountHeader;
  /** Every movement whose amount and sign could be read, rejected or not: what the bank's 33 totals count. */
  debits: Totals;
  credits: Totals;
}

interface PendingMovement {
  line: number;
  movement: Movement;
  problems: FieldProblem[];
  texts: string[];
  original: { amount: Decimal; currency: string } | null;
  account: OpenAccount | null;
}

interface State {
  file: string;
  out: N43Result;
  account: OpenAccount | null;
  pending: PendingMovement | null;
  /** Records since the file (or the last 88) began, 00 and 88 not counted, as the 88 record counts them. */
  recordCount: number;
  sawFileEnd: boolean;
  lastLine: number;
}

/** Reads every line; blank lines (and a DOS end-of-file mark) are skipped and counted. */
export function parseN43(lines: readonly N43Line[], file: string): N43Result {
  const s: State = { file, out: { records: [], issues: [], skipped: 0, rows: 0 }, account: null, pending: null, recordCount: 0, sawFileEnd: false, lastLine: 0 };
  for (const l of lines) {
    s.out.rows++;
    const text = l.text.replace(/\x1a+$/, '');
    if (text.trim() === '') {
      s.out.skipped++;
      continue;
    }
    s.lastLine = l.line;
    readLine(s, l.line, text);
  }
  flushMovement(s);
  if (s.account) unclosedAccount(s, s.account, null);
  if (!s.sawFileEnd && s.lastLine > 0) {
    s.out.issues.push(issue('warning', file, s.lastLine, null, `the file ends at line ${s.lastLine} without its end-of-file record 88: it may have been cut short`, false));
  }
  return s.out;
}

/** A line longer than 80 characters is a problem unless the extra characters are blanks; a shorter one is padded (banks drop trailing blanks). */
/** A line as a record: padded to 80, its own length (blanks dropped), and a length problem if any. */
interface Rec {
  text: string;
  length: number;
  problem: FieldProblem | null;
}

function fitToRecord(text: string): Rec {
  const extra = text.slice(RECORD_LENGTH);
  const problem =
    extra.trim() === ''
      ? null
      : {
          column: `characters ${RECORD_LENGTH + 1}–${text.length}`,
          message: `expected a record of ${RECORD_LENGTH} characters, found ${text.length} (${JSON.stringify(extra.trim().slice(0, 20))} after character ${RECORD_LENGTH})`,
        };
  return { text: text.slice(0, RECORD_LENGTH).padEnd(RECORD_LENGTH, ' '), length: Math.min(text.trimEnd().length, RECORD_LENGTH), problem };
}

function readLine(s: State, line: number, raw: string): void {
  const code = raw.slice(0, 2);
  const rec = fitToRecord(raw);
  if (code !== '23' && code !== '24') flushMovement(s);
  if (code !== '00' && code !== '88') s.recordCount++;
  if (!isRecordCode(code)) {
    const message = `expected a record code (11, 22, 23, 24, 33 or 88) in characters 1–2, found ${JSON.stringify(code)}; the line is left out`;
    reject(s, line, 'record code (characters 1–2)', message, null, null);
    return;
  }
  if (code === '00') s.out.skipped++;
  else if (code === '11') openAccount(s, line, rec);
  else if (code === '22') startMovement(s, line, rec);
  else if (code === '23' || code === '24') addToMovement(s, line, rec, code);
  else if (code === '33') closeAccount(s, line, rec);
  else endFile(s, line, rec);
}

function reject(s: State, line: number, column: string | null, message: string, amount: Decimal | null, currency: string | null): void {
  s.out.issues.push(issue('error', s.file, line, column, message, true, amount, currency));
}

function problemsText(problems: readonly FieldProblem[]): string {
  const [first, ...also] = problems;
  return first!.message + (also.length ? `; also ${also.map((p) => `${p.column}: ${p.message}`).join('; ')}` : '');
}

function openAccount(s: State, line: number, rec: Rec): void {
  if (s.account) unclosedAccount(s, s.account, line);
  const header = readAccountHeader(rec.text, rec.length);
  const problems = [...(rec.problem ? [rec.problem] : []), ...header.problems];
  s.account = { line, header, debits: { count: 0, sum: Decimal.ZERO }, credits: { count: 0, sum: Decimal.ZERO } };
  s.out.skipped++;
  if (problems.length) {
    const message = `account header 11: ${problemsText(problems)}; its movements are read with what could be read (without a currency they are rejected)`;
    s.out.issues.push(issue('error', s.file, line, problems[0]!.column, message, false));
  }
}

function unclosedAccount(s: State, account: OpenAccount, nextLine: number | null): void {
  const where = nextLine === null ? 'before the end of the file' : `before the next account header on line ${nextLine}`;
  const message = `account ${accountName(account.header)} (header on line ${account.line}) has no end-of-account record 33 ${where}: the bank's totals and final balance cannot be checked`;
  s.out.issues.push(issue('warning', s.file, account.line, null, message, false));
  s.account = null;
}

function accountName(h: AccountHeader): string {
  return `${h.bank} ${h.branch} ${h.account}`;
}

function startMovement(s: State, line: number, rec: Rec): void {
  const movement = readMovement(rec.text, rec.length);
  const problems = [...(rec.problem ? [rec.problem] : []), ...movement.problems];
  const account = s.account;
  if (account && movement.amount && movement.direction) {
    const t = movement.direction === 'debit' ? account.debits : account.credits;
    t.count++;
    t.sum = t.sum.plus(movement.amount);
  }
  s.pending = { line, movement, problems, texts: [], original: null, account };
}

function addToMovement(s: State, line: number, rec: Rec, code: '23' | '24'): void {
  const p = s.pending;
  if (!p) {
    const what = code === '23' ? 'a complementary concept record 23' : 'a currency equivalence record 24';
    s.out.issues.push(issue('error', s.file, line, 'record code (characters 1–2)', `${what} with no movement record 22 before it; the line is left out`, true));
    return;
  }
  s.out.skipped++;
  if (rec.problem) p.problems.push({ column: `line ${line}, ${rec.problem.column}`, message: rec.problem.message });
  if (code === '23') {
    p.texts.push(...readConcept(rec.text, rec.length).texts);
    return;
  }
  const eq = readEquivalence(rec.text, rec.length);
  if (eq.problems.length || !eq.amount || !eq.currency) {
    const message = `currency equivalence 24 of the movement on line ${p.line}: ${problemsText(eq.problems)}; the movement is read without its original amount`;
    s.out.issues.push(issue('warning', s.file, line, eq.problems[0]?.column ?? null, message, false));
    return;
  }
  p.original = { amount: eq.amount, currency: eq.currency };
}

/** The pending movement becomes a CardLine, or one rejection naming every problem on it. */
function flushMovement(s: State): void {
  const p = s.pending;
  if (!p) return;
  s.pending = null;
  const m = p.movement;
  const currency = p.account?.header.currency ?? null;
  const signed = m.amount && m.direction ? (m.direction === 'debit' ? m.amount : m.amount.neg()) : null;
  const problems = [...p.problems];
  if (!p.account) problems.push({ column: 'record code (characters 1–2)', message: 'a movement record 22 outside any account: expected an account header 11 before it' });
  else if (!currency) problems.push({ column: columnOf(MOVEMENT.amount), message: `no currency: the account header on line ${p.account.line} has no readable currency code` });
  if (problems.length || !signed || !m.operationDate || !currency) {
    reject(s, p.line, problems[0]?.column ?? null, `movement 22: ${problemsText(problems)}`, signed ?? m.amount, currency);
    return;
  }
  s.out.records.push(cardLine(s.file, p, signed, currency));
}

function cardLine(file: string, p: PendingMovement, amount: Decimal, currency: string): CardLine {
  const m = p.movement;
  const refs = `${m.reference1.padEnd(12, ' ')}${m.reference2}`.trim();
  // without 23 records, banks put the text in the references (53–80, one text across both fields)
  const refsAreText = p.texts.length === 0 && /[A-Za-z]/.test(refs);
  const description = p.texts.length ? p.texts.join(' ') : refsAreText ? refs : (COMMON_CONCEPTS[m.commonConcept] ?? `concept ${m.commonConcept}`);
  const reference = [m.document, refsAreText ? '' : refs].filter((r) => r !== '' && !/^0+$/.test(r)).join(' / ');
  const sign = amount.sign() < 0 ? -1 : 1;
  return {
    src: { file, line: p.line },
    profile: N43_PROFILE,
    transactionDate: m.operationDate!,
    postedDate: m.valueDate,
    description,
    amount,
    currency,
    originalAmount: p.original ? (sign < 0 ? p.original.amount.neg() : p.original.amount) : null,
    originalCurrency: p.original?.currency ?? null,
    fee: null,
    status: 'posted',
    reference: reference === '' ? null : reference,
    cardLast4: cardLastFour(description),
  };
}

/** A masked card number in the text (`4176XXXXXXXX1234`, `**** 1234`) → its last four digits. */
export function cardLastFour(text: string): string | null {
  const m = /(?:^|\D)(?:\d{4,6}[ -]?)?[X*]{4,}[X* -]*(\d{4})(?!\d)/.exec(text);
  return m ? m[1]! : null;
}

function closeAccount(s: State, line: number, rec: Rec): void {
  s.out.skipped++;
  const account = s.account;
  s.account = null;
  if (!account) {
    s.out.issues.push(
      issue('error', s.file, line, 'record code (characters 1–2)', 'an end-of-account record 33 with no account header 11 before it: its totals cannot be checked', false),
    );
    return;
  }
  const end = readAccountEnd(rec.text, rec.length);
  const problems = [...(rec.problem ? [rec.problem] : []), ...end.problems];
  if (problems.length) {
    s.out.issues.push(issue('error', s.file, line, problems[0]!.column, `end of account 33: ${problemsText(problems)}; the bank's totals cannot be checked`, false));
    return;
  }
  for (const i of totalsIssues(s.file, line, account, end)) s.out.issues.push(i);
}

function totalsIssues(file: string, line: number, account: OpenAccount, end: ReturnType<typeof readAccountEnd>): InputIssue[] {
  const out: InputIssue[] = [];
  const h = account.header;
  const cur = h.currency ?? '';
  const name = accountName(h);
  if (end.bank !== h.bank || end.branch !== h.branch || end.account !== h.account) {
    out.push(
      issue(
        'warning',
        file,
        line,
        columnOf(ACCOUNT_END.account),
        `end of account 33 names account ${end.bank} ${end.branch} ${end.account}, the header on line ${account.line} ${name}`,
        false,
      ),
    );
  }
  if (end.currency !== h.currency) {
    out.push(issue('error', file, line, columnOf(ACCOUNT_END.currency), `end of account 33 is in ${end.currency}, the header on line ${account.line} in ${h.currency}`, false));
  }
  const sides = [
    { what: 'debits', read: account.debits, count: end.debitCount!, sum: end.debitSum!, column: ACCOUNT_END.debitCount },
    { what: 'credits', read: account.credits, count: end.creditCount!, sum: end.creditSum!, column: ACCOUNT_END.creditCount },
  ];
  for (const x of sides) {
    if (x.read.count === x.count && x.read.sum.eq(x.sum)) continue;
    const message = `the file's own totals do not match its movements: account ${name} has ${x.read.count} ${x.what} summing ${x.read.sum.toDisplay(2)} ${cur} (lines ${account.line}–${line}), its end-of-account record says ${x.count} summing ${x.sum.toDisplay(2)}; a movement may be missing or misread`;
    out.push(issue('error', file, line, columnOf(x.column), message, false));
  }
  if (h.initialBalance && end.finalBalance) {
    const expected = h.initialBalance.plus(end.creditSum!).minus(end.debitSum!);
    if (!expected.eq(end.finalBalance)) {
      const message = `final balance ${end.finalBalance.toDisplay(2)} ${cur} is not the initial balance ${h.initialBalance.toDisplay(2)} (line ${account.line}) + credits ${end.creditSum!.toDisplay(2)} − debits ${end.debitSum!.toDisplay(2)} = ${expected.toDisplay(2)}`;
      out.push(issue('error', file, line, columnOf(ACCOUNT_END.balance), message, false));
    }
  }
  return out;
}

function endFile(s: State, line: number, rec: Rec): void {
  s.out.skipped++;
  if (s.account) unclosedAccount(s, s.account, null);
  s.sawFileEnd = true;
  const end = readFileEnd(rec.text, rec.length);
  const counted = s.recordCount;
  s.recordCount = 0;
  const problems = [...(rec.problem ? [rec.problem] : []), ...end.problems];
  if (problems.length) {
    s.out.issues.push(issue('warning', s.file, line, problems[0]!.column, `end of file 88: ${problemsText(problems)}; the record count is not checked`, false));
  } else if (end.records !== counted) {
    const message = `end of file 88 counts ${end.records} records, the file has ${counted} before it (00 and 88 not counted); a line may be missing`;
    s.out.issues.push(issue('warning', s.file, line, columnOf(FILE_END.records), message, false));
  }
}
