/**
 * Evidence for `spendrecon profile` about the other roles a column can have: currency,
 * status, description, direction and original amount; plus header-less signatures and the
 * balance/subtotal rows that are not transactions.
 */
import { isBlank, normaliseCurrency, parseAmount, splitRegionCode, type NumberFormat } from './bank-values.js';
import { nonBlank, type ColumnCells } from './profile-evidence.js';
import type { CsvRow } from './csv-rows.js';

// ---------------------------------------------------------------------------
// Currency, status, description

let isoCodes: Set<string> | null = null;
export function isIsoCurrency(code: string): boolean {
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
    // only a real ISO code: "REF557201" is a reference whose letters merely look like a code
    const coded = parsed.filter((p) => p.ok && p.currency && isIsoCurrency(p.currency)).length;
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
  /\b(beginning|opening|closing|ending|previous|new)\s+balance|\bbalance\s+(as of|forward|brought|carried)|brought forward|carried forward|\bsub-?total|zwischensumme|übertrag|anfangssaldo|endsaldo|alter kontostand|neuer kontostand|solde (initial|final|précédent)|saldo (iniziale|finale|inicial|final)|期初余额|期末余额|小计/i;

/**
 * Skip patterns for data rows that are not transactions: their text names a balance or a
 * subtotal and they have no amount or no date. Digits are generalised, so the same row of
 * the next month's file is skipped too.
 */
export function summaryRowPatterns(rows: readonly { text: string; description: string; dated: boolean; hasAmount: boolean }[]): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    if ((r.dated && r.hasAmount) || !SUMMARY_ROW.test(r.text)) continue;
    // a stray mark before the words (BancoPosta's "|SALDO FINALE") is not part of what the row says
    const phrase = (r.description.trim() || r.text).replace(/\s+/g, ' ').replace(/^[^\p{L}\p{N}]+/u, '');
    out.add(escapeRe(phrase).replace(/\d+/g, '\\d+'));
  }
  return [...out];
}

/** A cell by its shape: text without digits any text, a whole number any whole number, other digits any digits. */
function cellShape(cell: string): string {
  if (!/\d/.test(cell)) return '\\D+';
  if (/^-?\d+$/.test(cell)) return '-?\\d+';
  return escapeRe(cell.replace(/\d+/g, '#')).replace(/#/g, '\\d+');
}

/**
 * Skip patterns for rows of a debit/credit pair with zero on both sides (ICICI's opening
 * balance, "B/F 0.00 0.00"): no money moved, so no transaction. One pattern per row, the
 * zeros and the description as written (digits generalised), the other cells by shape; a
 * pattern that would also take a row that moves money is dropped.
 */
export function zeroRowPatterns(data: readonly CsvRow[], amountAt: readonly [number, number], descriptionAt: number, fmt: NumberFormat): { patterns: string[]; lines: number[] } {
  const zero = (cell: string | undefined) => {
    const p = isBlank(cell) ? null : parseAmount(cell!, fmt);
    return !!p?.ok && p.value.isZero();
  };
  const noMoney = data.filter((r) => amountAt.every((i) => zero(r.fields[i])));
  const moving = data.filter((r) => !noMoney.includes(r)).map(textOf);
  const patterns = new Map<string, number[]>();
  for (const r of noMoney) {
    const shape = r.fields.flatMap((f, i) => {
      const cell = f.trim();
      if (cell === '') return [];
      if (amountAt.includes(i)) return [escapeRe(cell)];
      return [i === descriptionAt ? escapeRe(cell).replace(/\d+/g, '\\d+') : cellShape(cell)];
    });
    const p = `^${shape.join(' ')}$`;
    if (!moving.some((t) => new RegExp(p, 'iu').test(t))) patterns.set(p, [...(patterns.get(p) ?? []), r.line]);
  }
  return { patterns: [...patterns.keys()], lines: [...patterns.values()].flat() };
}

function textOf(r: CsvRow): string {
  return r.fields
    .map((f) => f.trim())
    .filter((f) => f !== '')
    .join(' ');
}

/**
 * Skip patterns for the dateless rows of a header-less file (SMBC Vpass's card-holder and
 * total lines), one per shape of their cells, so next month's card names and totals match
 * too. A pattern that would also take a dated data row is dropped: those rows stay unread, said.
 */
export function sectionRowPatterns(sections: readonly CsvRow[], data: readonly CsvRow[]): { patterns: string[]; dropped: number[] } {
  const patterns = new Map<string, number[]>();
  for (const r of sections) {
    const cells = r.fields.map((f) => f.trim()).filter((f) => f !== '');
    const p = `^${cells.map(cellShape).join(' ')}$`;
    patterns.set(p, [...(patterns.get(p) ?? []), r.line]);
  }
  const texts = data.map((r) =>
    r.fields
      .map((f) => f.trim())
      .filter((f) => f !== '')
      .join(' '),
  );
  const kept = [...patterns.keys()].filter((p) => !texts.some((t) => new RegExp(p, 'iu').test(t)));
  const dropped = [...patterns].filter(([p]) => !kept.includes(p)).flatMap(([, lines]) => lines);
  return { patterns: kept, dropped };
}
