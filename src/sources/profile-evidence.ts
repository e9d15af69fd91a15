/**
 * Evidence for `spendrecon profile`: what the cells of a statement column are, decided
 * from the WHOLE column with the same parsers the statement reader uses (bank-values.ts),
 * never from a first row. Pure: columns of strings in, findings with their reasons out.
 */
import {
  DATE_FORMATS,
  isBlank,
  normaliseCurrency,
  parseAmount,
  parseDate,
  resolveDateOrder,
  splitRegionCode,
  type DateFormat,
  type DateOrder,
  type NumberFormat,
} from './bank-values.js';
import type { LocalDate } from '../time.js';

/** One column of the data rows: its header name and its cells, in row order. */
export interface ColumnCells {
  index: number;
  name: string;
  cells: string[];
}

const nonBlank = (cells: readonly string[]) => cells.filter((c) => !isBlank(c));

// ---------------------------------------------------------------------------
// Dates

export interface DateFinding {
  format: DateFormat;
  /** Non-blank cells the format reads, of how many. */
  parsed: number;
  nonBlank: number;
  reason: string;
  /** Set when the day/month order is a guess the file could not prove. */
  attention: string | null;
}

// only for telling whether a year-less MM/DD cell is a calendar day; the reader places the year
const ANY_YEAR = { from: '2024-01-01', to: '2024-12-31', source: 'shape test' };
/** The formats the profile language reads, 'auto' last (an explicit order is clearer when both fit). */
const FORMATS: DateFormat[] = [...DATE_FORMATS.filter((f) => f !== 'auto'), 'auto'];

/** Each cell of a column read with one format (null where it does not read); `auto` gets the column's order. */
function columnDates(cells: readonly string[], format: DateFormat): (LocalDate | null)[] {
  let order: DateOrder | 'either' | null = null;
  if (format === 'auto') {
    const r = resolveDateOrder(cells);
    if (!r.ok) return cells.map(() => null);
    order = r.order;
  }
  return cells.map((c) => {
    const p = parseDate(c, [format], { order, period: ANY_YEAR });
    return p.ok ? p.date : null;
  });
}

function countParsed(cells: readonly string[], format: DateFormat): number {
  return columnDates(cells, format).filter((d) => d !== null).length;
}

/**
 * The date format of a column when at least 80 % of its non-blank cells read as dates (the
 * rest are listed later as unread rows). DD/MM vs MM/DD: a day above 12 anywhere in the
 * column decides; when none does, the order in which the rows are sorted, else a guess.
 */
export function dateFinding(col: ColumnCells, decimalComma: boolean): DateFinding | null {
  const cells = nonBlank(col.cells);
  if (cells.length === 0) return null;
  let best: { format: DateFormat; parsed: number } | null = null;
  for (const format of FORMATS) {
    const parsed = countParsed(cells, format);
    if (parsed > (best?.parsed ?? 0)) best = { format, parsed };
  }
  if (!best || best.parsed < 0.8 * cells.length) return null;
  const base = { parsed: best.parsed, nonBlank: cells.length, attention: null };
  const shown = `"${col.name}": ${best.parsed} of ${cells.length} cells read as ${best.format}`;
  const slash = best.format === 'DD/MM/YYYY' || best.format === 'MM/DD/YYYY';
  if (slash && countParsed(cells, 'DD/MM/YYYY') === countParsed(cells, 'MM/DD/YYYY')) return ambiguousOrder(col, cells, base, decimalComma);
  if (slash) {
    const proof = resolveDateOrder(cells, `"${col.name}"`);
    return { ...base, format: best.format, reason: `${shown}${proof.ok ? ` (${proof.reason})` : ''}` };
  }
  if (best.format === 'auto') {
    const proof = resolveDateOrder(cells, `"${col.name}"`);
    return { ...base, format: 'auto', reason: `${shown}: the day/month order is decided from the whole column (${proof.ok ? proof.reason : ''})` };
  }
  return { ...base, format: best.format, reason: shown };
}

/** Every slash date fits both orders: the rows' sort order tells, else the number format's locale. */
function ambiguousOrder(col: ColumnCells, cells: string[], base: Omit<DateFinding, 'format' | 'reason'>, decimalComma: boolean): DateFinding {
  const breaks = (format: DateFormat) => sortBreaks(columnDates(cells, format).filter((d): d is LocalDate => d !== null));
  const dmy = breaks('DD/MM/YYYY');
  const mdy = breaks('MM/DD/YYYY');
  const what = `every date in "${col.name}" fits both DD/MM/YYYY and MM/DD/YYYY (no day above 12)`;
  if (Math.abs(dmy - mdy) >= 2) {
    const format: DateFormat = dmy < mdy ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
    return {
      ...base,
      format,
      reason: `${what}; read as ${format}, the order that keeps the rows sorted by date (${Math.min(dmy, mdy)} breaks in the sort order against ${Math.max(dmy, mdy)})`,
      attention: null,
    };
  }
  const format: DateFormat = decimalComma ? 'DD/MM/YYYY' : 'MM/DD/YYYY';
  const why = decimalComma ? 'amounts use a decimal comma, as where days come first' : 'amounts use a decimal point';
  return {
    ...base,
    format,
    reason: `${what}; guessed ${format} because ${why}`,
    attention: `the day/month order of "${col.name}" is a guess (${format}): check a date against your bank's website`,
  };
}

/** Adjacent pairs that go against the column's main direction (statements list dates in order). */
function sortBreaks(dates: readonly LocalDate[]): number {
  let up = 0;
  let down = 0;
  for (let i = 1; i < dates.length; i++) {
    if (dates[i]! > dates[i - 1]!) up++;
    else if (dates[i]! < dates[i - 1]!) down++;
  }
  return Math.min(up, down);
}

/** Of two date columns, the transaction date is the earlier one where they differ (a charge posts after it is made). */
export function transactionFirst(a: ColumnCells, fa: DateFormat, b: ColumnCells, fb: DateFormat): { earlierIsA: boolean; differ: number; reason: string } {
  let aFirst = 0;
  let bFirst = 0;
  const da = columnDates(a.cells, fa);
  const db = columnDates(b.cells, fb);
  da.forEach((x, i) => {
    const y = db[i];
    if (!x || !y) return;
    if (x < y) aFirst++;
    else if (y < x) bFirst++;
  });
  const differ = aFirst + bFirst;
  const earlierIsA = aFirst >= bFirst;
  const [tx, posted] = earlierIsA ? [a, b] : [b, a];
  const reason =
    differ === 0
      ? `"${a.name}" and "${b.name}" hold the same date on every row: "${a.name}" (the first) is the transaction date`
      : `"${tx.name}" is the transaction date and "${posted.name}" the posting date: "${tx.name}" is the earlier on ${Math.max(aFirst, bFirst)} of ${differ} rows where they differ`;
  return { earlierIsA, differ, reason };
}

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
const AMOUNT_NAME = /amount|\bamt\b|betrag|bedrag|montant|importe|importo|金额|debit|credit|débit|crédit|soll|haben|withdraw|deposit|paid|charge|value|\bsum\b/i;
const SECONDARY = /original|orig\b|exchange|foreign|交易地|local|\bfx\b|fee|gebühr|entgelt|frais|tax|steuer/i;
const DEBIT_NAME = /debit|débit|soll|withdraw|paid out|ausgang|支出|belastung|charge/i;
const CREDIT_NAME = /credit|crédit|haben|deposit|paid in|eingang|收入|gutschrift/i;

export interface AmountColumn {
  col: ColumnCells;
  /** Parsed non-blank cells (null where a cell does not read). */
  values: (ReturnType<typeof parseAmount> | null)[];
  filled: number;
  hinted: boolean;
  secondary: boolean;
}

/** Columns that read as amounts (90 % of their non-blank cells), leaving out balances, rates and identifiers. */
export function amountColumns(cols: readonly ColumnCells[], fmt: NumberFormat): AmountColumn[] {
  const out: AmountColumn[] = [];
  for (const col of cols) {
    if (BALANCE.test(col.name) || (IDENTIFIER.test(col.name) && !AMOUNT_NAME.test(col.name))) continue;
    const values = col.cells.map((c) => (isBlank(c) ? null : parseAmount(c, fmt)));
    const filled = values.filter((v) => v !== null).length;
    const ok = values.filter((v) => v?.ok).length;
    if (filled === 0 || ok < 0.9 * filled) continue;
    const hinted = AMOUNT_NAME.test(col.name);
    const hasCents = col.cells.some((c) => /\d[.,]\d{1,2}\b/.test(c));
    if (!hinted && !hasCents) continue;
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
      if (both > 0 || either < 0.95 * rows || !some(a) || !some(b)) continue;
      const named = DEBIT_NAME.test(b.col.name) && CREDIT_NAME.test(a.col.name) && !DEBIT_NAME.test(a.col.name) ? { debit: b, credit: a } : null;
      const byName = named ?? (DEBIT_NAME.test(a.col.name) || CREDIT_NAME.test(b.col.name) ? { debit: a, credit: b } : null);
      const chosen = byName ?? (a.filled >= b.filled ? { debit: a, credit: b } : { debit: b, credit: a });
      const why = byName ? 'by their names' : `"${chosen.debit.col.name}" has more rows, and charges are usually most rows`;
      return {
        kind: 'pair',
        ...chosen,
        reason: `"${chosen.debit.col.name}" (charges) and "${chosen.credit.col.name}" (money in) are a debit/credit pair: never both filled on a row, one of them on ${either} of ${rows} rows; which is which ${why}`,
        attention: byName ? null : `which of "${a.col.name}" and "${b.col.name}" holds the charges is a guess: check one row`,
      };
    }
  }
  return null;
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

// ---------------------------------------------------------------------------
// Currency, status, description

let isoCodes: Set<string> | null = null;
function isIsoCurrency(code: string): boolean {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes.has(code);
}

/** A column whose every non-blank cell is an ISO currency code (or a name banks print for one). */
export function isCurrencyColumn(col: ColumnCells, rows: number): boolean {
  const cells = nonBlank(col.cells);
  if (cells.length < 0.9 * rows || cells.length === 0) return false;
  return cells.every((c) => {
    const code = normaliseCurrency(c);
    return code !== null && isIsoCurrency(code) && (c.trim().length !== 3 || c.trim() === c.trim().toUpperCase());
  });
}

const SYMBOLS: [RegExp, string][] = [
  [/US\$/, 'USD'],
  [/HK\$/, 'HKD'],
  [/C\$/, 'CAD'],
  [/A\$/, 'AUD'],
  [/€/, 'EUR'],
  [/£/, 'GBP'],
  [/[¥￥元]|人民币|\bRMB\b/, 'CNY'],
  [/₹/, 'INR'],
];

/** The account currency from what the amount cells or the amount header print: a code, then a symbol. */
export function currencyFromText(cells: readonly string[], header: string): { code: string; reason: string } | null {
  const coded = cells.map((c) => (isBlank(c) ? null : parseAmount(c, { decimalMark: '.', thousandsSeparator: '' }))).find((p) => p?.ok && p.currency);
  if (coded?.ok && coded.currency) return { code: coded.currency, reason: `the amount cells name ${coded.currency}` };
  const inHeader = /\(\s*([A-Z]{3})\s*\)/.exec(header);
  if (inHeader && isIsoCurrency(inHeader[1]!)) return { code: inHeader[1]!, reason: `the column "${header}" names ${inHeader[1]}` };
  for (const text of [header, ...cells]) {
    const hit = SYMBOLS.find(([re]) => re.test(text));
    if (hit)
      return {
        code: hit[1],
        reason: `${text === header ? `the column "${header}"` : `amount cells such as "${text.trim()}"`} ${text === header ? 'prints' : 'print'} ${hit[1]}'s sign`,
      };
  }
  return null;
}

const STATUS_WORDS: [RegExp, 'pending' | 'posted' | 'reversed' | 'declined'][] = [
  [/pending|vorgemerkt|authori[sz]ed|en cours|processing|待|等待|未入账/i, 'pending'],
  [/revert|revers|cancel|storn|annul|关闭|撤销/i, 'reversed'],
  [/declin|fail|reject|abgelehnt|refus|失败/i, 'declined'],
  [/posted|cleared|complete|booked|settled|gebucht|comptabilis|success|成功|已入账|已到账|已存入|已转账|已收/i, 'posted'],
];

/** A column whose every distinct value is a status word: its statusMap, or null. */
export function statusMapOf(col: ColumnCells, rows: number): Record<string, 'pending' | 'posted' | 'reversed' | 'declined'> | null {
  const cells = nonBlank(col.cells);
  const values = [...new Set(cells.map((c) => c.trim()))];
  if (cells.length < 0.9 * rows || values.length === 0 || values.length > 8 || DESCRIPTION_NAME.some((re) => re.test(col.name))) return null;
  const map: Record<string, 'pending' | 'posted' | 'reversed' | 'declined'> = {};
  for (const v of values) {
    const hit = STATUS_WORDS.find(([re]) => re.test(v));
    if (!hit) return null;
    map[v] = hit[1];
  }
  return map;
}

// strongest first: "Buchungstext" (booking type) is text, but "Verwendungszweck" says what the payment was
const DESCRIPTION_NAME = [/description|beschreibung|libell|omschrijving|verwendungszweck|摘要|商品说明|particulars|narrati/i, /details|memo|text|商品|purpose|motif/i];
const COUNTERPARTY_NAME = /auftraggeber|empfänger|payee|merchant|counterpart|交易对方|\bnaam\b|beguenstigter|bénéficiaire/i;

/**
 * The description: a column named so, else the one with the longest text on average; then
 * a payee/merchant column too when its text is mostly not already in the description.
 */
export function descriptionColumns(cols: readonly ColumnCells[], rows: number): { cols: ColumnCells[]; reason: string } | null {
  const texty = cols.filter((c) => nonBlank(c.cells).length >= 0.5 * rows && nonBlank(c.cells).some((x) => /\p{L}/u.test(x)));
  const mean = (c: ColumnCells) => nonBlank(c.cells).reduce((n, x) => n + x.trim().length, 0) / Math.max(1, nonBlank(c.cells).length);
  let main: ColumnCells | null = null;
  let why = '';
  for (const re of DESCRIPTION_NAME) {
    main ??= texty.find((c) => re.test(c.name)) ?? null;
    if (main) why = 'named so';
  }
  if (!main) {
    main = texty.reduce<ColumnCells | null>((a, b) => (!a || mean(b) > mean(a) ? b : a), null);
    if (!main) return null;
    why = `the longest text (${Math.round(mean(main))} characters on average)`;
  }
  const m = main;
  const inMain = (c: ColumnCells) => c.cells.filter((x, i) => !isBlank(x) && (m.cells[i] ?? '').toLowerCase().includes(x.trim().toLowerCase())).length;
  const party = texty.find((c) => c !== m && COUNTERPARTY_NAME.test(c.name) && inMain(c) < 0.5 * nonBlank(c.cells).length);
  const reason = `"${m.name}" is the description: ${why}${party ? `; "${party.name}" is joined to it (a payee/merchant not already in the text)` : ''}`;
  return { cols: party ? [m, party] : [m], reason };
}

// ---------------------------------------------------------------------------
// Direction, original amounts, header-less signatures, non-transaction rows

type Direction = 'out' | 'in' | 'neither';
// what banks print for each direction; single letters only count in a column of nothing else
const DIRECTION_VALUES: [RegExp, Direction][] = [
  [/^(af|debit|dr|d|out|ausgang|soll|s|支出|支|withdrawal|débit)$/i, 'out'],
  [/^(bij|credit|cr|c|in|eingang|haben|h|收入|收|deposit|crédit)$/i, 'in'],
  [/^(不计收支|中性交易|\/|neutral)$/i, 'neither'],
];

export interface DirectionFinding {
  col: ColumnCells;
  map: Record<string, Direction>;
  reason: string;
}

/**
 * The column that says which way an unsigned amount went: filled on (nearly) every row,
 * two or three distinct values, each a known word for out, in or neither, with "out" among them.
 * Of several, the one nearest the amount column.
 */
export function directionFinding(cols: readonly ColumnCells[], amount: ColumnCells, rows: number): DirectionFinding | null {
  const found = cols.flatMap((col) => {
    const cells = nonBlank(col.cells);
    const values = [...new Set(cells.map((c) => c.trim()))];
    if (cells.length < 0.9 * rows || values.length < 2 || values.length > 3) return [];
    const map: Record<string, Direction> = {};
    for (const v of values) {
      const hit = DIRECTION_VALUES.find(([re]) => re.test(v));
      if (!hit) return [];
      map[v] = hit[1];
    }
    const kinds = new Set(Object.values(map));
    return kinds.has('out') && kinds.size === values.length ? [{ col, map }] : [];
  });
  const best = found.sort((a, b) => Math.abs(a.col.index - amount.index) - Math.abs(b.col.index - amount.index))[0];
  if (!best) return null;
  const count = (v: string) => best.col.cells.filter((c) => c.trim() === v).length;
  const shown = Object.entries(best.map)
    .map(([v, d]) => `${v} → ${d} (${count(v)} row${count(v) === 1 ? '' : 's'})`)
    .join(', ');
  const neither = Object.values(best.map).includes('neither') ? '; "neither" rows (moves between your own balances) are skipped and counted' : '';
  return { col: best.col, map: best.map, reason: `"${best.col.name}" says the direction of each unsigned amount in "${amount.name}": ${shown}${neither}` };
}

// where the card was used → the currency spent there (CMB prints `20.00(US)`, a region, not a currency)
const REGION_CURRENCY: Record<string, string> = {
  CN: 'CNY',
  US: 'USD',
  HK: 'HKD',
  MO: 'MOP',
  TW: 'TWD',
  JP: 'JPY',
  KR: 'KRW',
  SG: 'SGD',
  GB: 'GBP',
  CA: 'CAD',
  AU: 'AUD',
  NZ: 'NZD',
  CH: 'CHF',
  TH: 'THB',
  MY: 'MYR',
  IN: 'INR',
  DE: 'EUR',
  FR: 'EUR',
  NL: 'EUR',
  IT: 'EUR',
  ES: 'EUR',
  IE: 'EUR',
  AT: 'EUR',
  BE: 'EUR',
  PT: 'EUR',
  FI: 'EUR',
};

export interface OriginalFinding {
  col: ColumnCells;
  regions: Record<string, string>;
  reason: string;
  attention: string | null;
}

/**
 * The merchant's amount: a money column whose cells carry a currency (`20.00(USD)`) or a
 * region code (`20.00(US)`) on some rows; the regions seen are mapped to their currencies.
 */
export function originalFinding(cols: readonly ColumnCells[], fmt: NumberFormat): OriginalFinding | null {
  for (const col of cols) {
    const cells = nonBlank(col.cells);
    const split = cells.map((c) => splitRegionCode(c));
    const parsed = split.map((s) => parseAmount(s.text, fmt));
    if (cells.length === 0 || parsed.filter((p) => p.ok).length < 0.9 * cells.length) continue;
    const regions = [...new Set(split.flatMap((s) => (s.region ? [s.region] : [])))];
    const coded = parsed.filter((p) => p.ok && p.currency).length;
    if (regions.length === 0 && coded === 0) continue;
    const map: Record<string, string> = {};
    const unknown: string[] = [];
    for (const r of regions) {
      if (REGION_CURRENCY[r]) map[r] = REGION_CURRENCY[r]!;
      else unknown.push(r);
    }
    const shown = Object.entries(map)
      .map(([r, c]) => `${r} → ${c}`)
      .join(', ');
    const why = regions.length
      ? `its cells end in region codes where the card was used (${regions.join(', ')}), read as the currency spent there${shown ? `: ${shown}` : ''}; a bare amount is the account currency`
      : `${coded} of its cells name their currency`;
    return {
      col,
      regions: map,
      reason: `"${col.name}" is the original (merchant) amount: ${why}`,
      attention: unknown.length ? `region code${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in "${col.name}": add the currency spent there to "originalRegions"` : null,
    };
  }
  return null;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One pattern per column of a header-less file, from every data row (the reader checks the
 * first five): a constant, digits, an amount, a date shape, or any text; blank allowed if seen.
 */
export function signaturePattern(col: ColumnCells, fmt: NumberFormat): string {
  const cells = col.cells.map((c) => c.trim());
  const filled = cells.filter((c) => c !== '');
  const blank = filled.length < cells.length;
  const opt = (p: string) => (blank ? `^(${p})?$` : `^${p}$`);
  if (filled.length === 0) return '^$';
  const values = new Set(filled);
  if (values.size === 1 && filled.length > 1 && !/\p{L}{2}/u.test(filled[0]!)) return opt(escapeRe(filled[0]!));
  const shapes = new Set(filled.map((c) => c.replace(/\d+/g, '#')));
  if (shapes.size === 1 && [...shapes][0] === '#') return blank ? '^\\d*$' : '^\\d+$';
  const dateShape = [...shapes][0]!;
  if (shapes.size === 1 && /^#([./-])#\1#$|^#\/#$/.test(dateShape)) return opt(escapeRe(dateShape).replace(/#/g, '\\d+'));
  const t = fmt.thousandsSeparator ? escapeRe(fmt.thousandsSeparator) : '';
  const money = `[-+]?[\\d${t}]*${escapeRe(fmt.decimalMark)}?\\d+`;
  // a pattern that would refuse one of these very cells (a "$" in it, a note) is no signature
  if (filled.every((c) => parseAmount(c, fmt).ok && new RegExp(`^${money}$`, 'u').test(c))) return opt(money);
  return blank ? '.*' : '\\S';
}

// rows that report on the account rather than move money: opening and closing balances, subtotals
const SUMMARY_ROW =
  /\b(beginning|opening|closing|ending|previous|new)\s+balance|\bbalance\s+(as of|forward|brought|carried)|brought forward|carried forward|\bsub-?total|zwischensumme|übertrag|anfangssaldo|endsaldo|alter kontostand|neuer kontostand|solde (initial|final|précédent)|期初余额|期末余额|小计/i;

/**
 * Skip patterns for data rows that are not transactions: their text names a balance or a
 * subtotal and they have no amount or no date. Digits are generalised, so the same row of
 * the next month's file is skipped too.
 */
export function summaryRowPatterns(rows: readonly { text: string; description: string; dated: boolean; hasAmount: boolean }[]): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    if ((r.dated && r.hasAmount) || !SUMMARY_ROW.test(r.text)) continue;
    const phrase = (r.description.trim() || r.text).replace(/\s+/g, ' ');
    out.add(escapeRe(phrase).replace(/\d+/g, '\\d+'));
  }
  return [...out];
}
