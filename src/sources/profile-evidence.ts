/**
 * Evidence for `spendrecon profile`: what the cells of a statement column are, decided
 * from the WHOLE column with the same parsers the statement reader uses (bank-values.ts),
 * never from a first row. Pure: columns of strings in, findings with their reasons out.
 * Here: numbers, amount columns and their sign; dates and the other roles are in
 * profile-evidence-dates.ts and profile-evidence-roles.ts.
 */
import { isBlank, parseAmount, type NumberFormat } from './bank-values.js';

/** One column of the data rows: its header name and its cells, in row order. */
export interface ColumnCells {
  index: number;
  name: string;
  cells: string[];
}

export const nonBlank = (cells: readonly string[]) => cells.filter((c) => !isBlank(c));

// ---------------------------------------------------------------------------
// Numbers

const POINT_FORMATS: NumberFormat[] = [
  { decimalMark: '.', thousandsSeparator: ',' },
  { decimalMark: '.', thousandsSeparator: ' ' },
  { decimalMark: '.', thousandsSeparator: "'" },
];
const COMMA_FORMATS: NumberFormat[] = [
  { decimalMark: ',', thousandsSeparator: '.' },
  { decimalMark: ',', thousandsSeparator: ' ' },
];

export interface NumberFinding {
  format: NumberFormat;
  reason: string;
}

/**
 * The decimal mark from cells that read under one mark only (`-43,06`, `1,250.00`); a cell
 * both read alike (`20`) or differently (`1.450`) is no evidence. Then the thousands
 * separator that reads the most cells under that mark.
 */
export function numberFinding(cells: readonly string[]): NumberFinding {
  const reads = (c: string, fs: NumberFormat[]) => fs.some((f) => parseAmount(c, f).ok);
  let point = 0;
  let comma = 0;
  let pointExample = '';
  let commaExample = '';
  for (const c of cells) {
    if (isBlank(c) || !/\d/.test(c)) continue;
    const p = reads(c, POINT_FORMATS);
    const k = reads(c, COMMA_FORMATS);
    if (p && !k) {
      point++;
      pointExample ||= c.trim();
    } else if (k && !p) {
      comma++;
      commaExample ||= c.trim();
    }
  }
  const useComma = comma > point;
  const options = useComma ? COMMA_FORMATS : POINT_FORMATS;
  const score = (f: NumberFormat) => cells.filter((c) => !isBlank(c) && parseAmount(c, f).ok).length;
  const format = options.reduce((a, b) => (score(b) > score(a) ? b : a));
  const evidence = useComma
    ? `${comma} cells read only with a decimal comma (e.g. "${commaExample}")${point ? `, ${point} only with a point` : ''}`
    : point
      ? `${point} cells read only with a decimal point (e.g. "${pointExample}")${comma ? `, ${comma} only with a comma` : ''}`
      : 'no cell tells the decimal mark apart: the point is assumed';
  const sep = format.thousandsSeparator === ' ' ? 'a space' : `"${format.thousandsSeparator}"`;
  return { format, reason: `decimal mark "${format.decimalMark}": ${evidence}; thousands separator ${sep}` };
}

// ---------------------------------------------------------------------------
// Amount columns

const BALANCE = /balance|\bbal\b|saldo|solde|余额|kontostand|running|\brate\b|kurs|taux|汇率/i;
const IDENTIFIER = /#|\bno\.?$|number|nummer|numéro|\bid\b|iban|\bbic\b|zip|postal|referen|\bref\b|card|karte|卡号|account|konto|单号|账号|check|scheck/i;
const AMOUNT_NAME =
  /amount|\bamt\b|betrag|bedrag|montant|importe|importo|金额|金額|금액|출금|입금|debit|credit|débit|crédit|\bdare\b|\bavere\b|soll|haben|withdraw|deposit|paid|charge|value|\bsum\b/i;
// amounts beside the one that moved: the merchant's, fees, taxes, and amounts before tax (Shine's "Montant HT")
const SECONDARY = /original|orig\b|exchange|foreign|交易地|local|\bfx\b|fee|gebühr|entgelt|frais|tax|steuer|\bHT\b|hors tax|\bTVA\b|\bVAT\b|\bMwSt\b|税抜/i;
// a pair's sides by name, so a side filled on a single row (one deposit in the month) is still a side, not a stray column
const DEBIT_NAME = /debit|débit|\bdare\b|addebit|uscite|soll|withdraw|paid out|ausgang|支出|出金|引出|払出|借方|출금|belastung|charge/i;
const CREDIT_NAME = /credit|crédit|\bavere\b|accredit|entrate|haben|deposit|paid in|eingang|收入|入金|預入|受入|贷方|貸方|입금|gutschrift/i;

export interface AmountColumn {
  col: ColumnCells;
  /** Parsed non-blank cells (null where a cell does not read). */
  values: (ReturnType<typeof parseAmount> | null)[];
  filled: number;
  hinted: boolean;
  secondary: boolean;
}

/**
 * Columns that read as amounts (90 % of their non-blank cells, 75 % under a header naming money),
 * leaving out balances, rates and
 * identifiers. Unnamed whole numbers are money only when the currency has no minor unit
 * (`wholeUnits`, yen) and the column is not one repeated value (an instalment count, a code).
 */
export function amountColumns(cols: readonly ColumnCells[], fmt: NumberFormat, wholeUnits = false): AmountColumn[] {
  const out: AmountColumn[] = [];
  for (const col of cols) {
    if (BALANCE.test(col.name) || (IDENTIFIER.test(col.name) && !AMOUNT_NAME.test(col.name))) continue;
    const values = col.cells.map((c) => (isBlank(c) ? null : parseAmount(c, fmt)));
    const filled = values.filter((v) => v !== null).length;
    const ok = values.filter((v) => v?.ok).length;
    const hinted = AMOUNT_NAME.test(col.name);
    // a header naming money is evidence too: there one stray cell in four (BancoPosta's "3.412,60|") does not unmake the column
    if (filled === 0 || ok < (hinted ? 0.75 : 0.9) * filled) continue;
    const hasCents = col.cells.some((c) => /\d[.,]\d{1,2}\b/.test(c));
    const varies = new Set(nonBlank(col.cells).map((c) => c.trim())).size > 1;
    if (!hinted && !hasCents && !(wholeUnits && varies)) continue;
    out.push({ col, values, filled, hinted, secondary: SECONDARY.test(col.name) });
  }
  return out;
}

export type AmountChoice =
  | { kind: 'single'; amount: AmountColumn; reason: string }
  | { kind: 'pair'; debit: AmountColumn; credit: AmountColumn; reason: string; attention: string | null };

/** One signed amount column filled on (nearly) every row, or a debit/credit pair never both filled. */
export function chooseAmount(cands: readonly AmountColumn[], rows: number): AmountChoice | null {
  // 80 %: a row without an amount (an opening-balance line) is listed as unread, not a reason to look elsewhere
  const full = cands.filter((c) => c.filled >= 0.8 * rows);
  const named = full.find((c) => c.hinted && !c.secondary && !(DEBIT_NAME.test(c.col.name) !== CREDIT_NAME.test(c.col.name)));
  if (named) return { kind: 'single', amount: named, reason: `"${named.col.name}" is the amount: named so, and it reads on ${named.filled} of ${rows} rows` };
  const pair = findPair(
    cands.filter((c) => !c.secondary),
    rows,
  );
  if (pair) return pair;
  const any = full.find((c) => !c.secondary) ?? full[0];
  if (any) return { kind: 'single', amount: any, reason: `"${any.col.name}" is the amount: the only column that reads as money on ${any.filled} of ${rows} rows` };
  return null;
}

function nonZero(v: AmountColumn['values'][number] | undefined): boolean {
  return !!v && v.ok && !v.value.isZero();
}

const rowsOf = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function findPair(cands: readonly AmountColumn[], rows: number): AmountChoice | null {
  for (let i = 0; i < cands.length; i++) {
    for (let j = i + 1; j < cands.length; j++) {
      const [a, b] = [cands[i]!, cands[j]!];
      let both = 0;
      let either = 0;
      for (let r = 0; r < rows; r++) {
        const [x, y] = [nonZero(a.values[r]), nonZero(b.values[r])];
        if (x && y) both++;
        if (a.values[r] || b.values[r]) either++;
      }
      const some = (c: AmountColumn) => c.values.some(nonZero);
      // the union covers most rows (an opening-balance row may have neither), and a row with both is rare
      if (both > 0.05 * either || either < 0.8 * rows || !some(a) || !some(b)) continue;
      const named = DEBIT_NAME.test(b.col.name) && CREDIT_NAME.test(a.col.name) && !DEBIT_NAME.test(a.col.name) ? { debit: b, credit: a } : null;
      const byName = named ?? (DEBIT_NAME.test(a.col.name) || CREDIT_NAME.test(b.col.name) ? { debit: a, credit: b } : null);
      const bySign = byName ? null : signedSides(a, b);
      const chosen = byName ?? bySign ?? (a.filled >= b.filled ? { debit: a, credit: b } : { debit: b, credit: a });
      const why = byName ? 'by their names' : bySign ? 'by their signs' : `"${chosen.debit.col.name}" has more rows, and charges are usually most rows`;
      const signed = signedSides(chosen.debit, chosen.credit)?.debit === chosen.debit ? signedPairNote(chosen.debit, chosen.credit) : '';
      return {
        kind: 'pair',
        ...chosen,
        reason: `"${chosen.debit.col.name}" (charges, ${rowsOf(chosen.debit.filled)}) and "${chosen.credit.col.name}" (money in, ${rowsOf(chosen.credit.filled)}) are a debit/credit pair: ${both ? `both filled on only ${rowsOf(both)}` : 'never both filled on a row'}, one of them on ${either} of ${rows} rows; which is which ${why}${signed}`,
        attention: byName || bySign ? null : `which of "${a.col.name}" and "${b.col.name}" holds the charges is a guess: check one row`,
      };
    }
  }
  return null;
}

const signsOf = (c: AmountColumn) => new Set(c.values.filter(nonZero).map((v) => (v!.ok ? v!.value.sign() : 0)));

/**
 * A signed pair: one side's amounts all negative, the other's all positive (Caisse d'Épargne's
 * "-54,20" / "+2450,00"); the negative side is the debit. The reader takes each side's size.
 */
function signedSides(a: AmountColumn, b: AmountColumn): { debit: AmountColumn; credit: AmountColumn } | null {
  const [sa, sb] = [signsOf(a), signsOf(b)];
  if (sa.size !== 1 || sb.size !== 1 || sa.has(0) || sb.has(0) || sa.has(1) === sb.has(1)) return null;
  return sa.has(-1) ? { debit: a, credit: b } : { debit: b, credit: a };
}

function signedPairNote(debit: AmountColumn, credit: AmountColumn): string {
  return `; a signed pair (every "${debit.col.name}" amount negative, every "${credit.col.name}" amount positive): each side is read by its size, so no amountSign is needed`;
}

// ---------------------------------------------------------------------------
// Sign convention

// words that mark money coming in: payments to a card, refunds, salary
const MONEY_IN =
  /payment|thank you|refund|return|reversal|credit|gutschrift|erstattung|storno|gehalt|lohn|salaire|salary|payroll|avoir|remboursement|virement reçu|top-up|topup|还款|退款|收入|工资/i;

export interface SignFinding {
  sign: 'charges-negative' | 'charges-positive';
  reason: string;
  attention: string | null;
}

/** Most rows of a statement are purchases: the sign most amounts carry is the sign of a charge. */
export function signFinding(amount: AmountColumn, descriptions: readonly string[]): SignFinding {
  let neg = 0;
  let pos = 0;
  let inNeg = 0;
  let inPos = 0;
  let marked = 0;
  amount.values.forEach((v, r) => {
    if (v?.ok && v.direction) marked++;
    if (!v?.ok || v.value.isZero() || v.direction) return;
    const n = v.value.sign() < 0;
    if (n) neg++;
    else pos++;
    if (MONEY_IN.test(descriptions[r] ?? '')) {
      if (n) inNeg++;
      else inPos++;
    }
  });
  if (marked > 0 && neg + pos === 0) {
    return { sign: 'charges-negative', reason: `every amount in "${amount.col.name}" is marked DR or CR, which says its direction whatever the sign convention`, attention: null };
  }
  const words = inNeg + inPos ? `; of the rows whose text reads like money in (payment, refund, salary), ${inPos} are positive and ${inNeg} negative` : '';
  const counts = `${neg} of ${neg + pos} amounts in "${amount.col.name}" are negative and ${pos} positive`;
  if (neg > 0 && neg > pos)
    return {
      sign: 'charges-negative',
      reason: `charges are negative: ${counts}, and purchases are usually most rows${words}`,
      attention: inNeg > inPos ? 'the sign convention is doubtful: the money-in rows are negative too' : null,
    };
  if (pos > neg && neg > 0)
    return {
      sign: 'charges-positive',
      reason: `charges are positive: ${counts}, and purchases are usually most rows${words}`,
      attention: inPos > inNeg ? 'the sign convention is doubtful: the money-in rows are positive too' : null,
    };
  if (pos > 0 && neg === 0) {
    return {
      sign: 'charges-positive',
      reason: `every amount in "${amount.col.name}" is unsigned: read as charges`,
      attention: `every amount in "${amount.col.name}" is unsigned, so money in (refunds, payments) would be read as charges; look for a direction column (debit/credit, Af/Bij, 收/支) and check the rows`,
    };
  }
  const sign = inPos > inNeg ? 'charges-negative' : inNeg > inPos ? 'charges-positive' : 'charges-negative';
  return {
    sign,
    reason: `${counts}; decided from the money-in rows${words || ' (none found: charges-negative assumed)'}`,
    attention: inPos === inNeg ? 'the sign convention is a guess: check a purchase row' : null,
  };
}
