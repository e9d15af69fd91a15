import { isBlank, parseAmount, type NumberFormat } from './bank-values.js';
import { sectionRowPatterns, summaryRowPatterns, zeroRowPatterns } from './profile-evidence-roles.js';
import { originalTextFinding } from './profile-evidence-text.js';
import { isDateCell, rowText, trailerPattern, type Layout } from './profile-layout.js';
import type { StatementProfileInput } from './statement-profile.js';
import type { Roles } from './profile-suggest.js';

// the schema's limit for rows.maxMissingCells with a header row
const MAX_MISSING_CELLS = 3;

/**
 * Continuation rows that each hold an amount and a currency code are the merchant's amount
 * (Rakuten Card): joined to originalInText, not to the description; other rows add text.
 */
export function continuationRule(profile: StatementProfileInput, layout: Layout, fmt: NumberFormat, reasons: string[]): void {
  const found = originalTextFinding(layout.continuations.map(rowText), fmt);
  if (!found) {
    profile.continuation = { join: 'description' };
    return;
  }
  profile.continuation = { join: 'original', pattern: found.rowPattern };
  profile.originalInText = { pattern: found.pattern, ...(found.numbers ? { numbers: found.numbers } : {}) };
  reasons.push(`continuation joined to the original amount, rows matching ${JSON.stringify(found.rowPattern)}: ${found.reason}`);
}

/** Trailer and skip patterns: the rows after the last transaction, and the balance/subtotal rows among them. */
export function addRowRules(profile: StatementProfileInput, layout: Layout, roles: Roles, reasons: string[]): void {
  const trailer = trailerPattern(layout.trailer);
  if (trailer) {
    profile.trailer = { patterns: [trailer] };
    reasons.push(`trailer pattern ${JSON.stringify(trailer)}: the start of line ${layout.trailer[0]!.line}; the dateless lines after it are trailer too`);
  }
  const { dates, amount, descCols } = roles;
  const amountAt = amount.kind === 'single' ? [amount.amount.col.index] : [amount.debit.col.index, amount.credit.col.index];
  const fmt = roles.numbers;
  const summary = layout.data.map((r) => ({
    line: r.line,
    text: rowText(r),
    description: r.fields[descCols[0]!.index] ?? '',
    // a balance row with only a posting date (BancoPosta's SALDO rows) is no transaction the posting date stands in for
    dated: isDateCell(r.fields[dates.tx.col.index] ?? ''),
    hasAmount: amountAt.some((i) => !isBlank(r.fields[i]) && parseAmount(r.fields[i]!, fmt).ok),
  }));
  const skip = summaryRowPatterns(summary);
  sectionRules(profile, layout, reasons);
  if (amount.kind === 'pair') zeroRowRules(profile, layout, [amount.debit.col.index, amount.credit.col.index], descCols[0]!.index, fmt, reasons);
  if (skip.length) {
    profile.skip = { patterns: [...(profile.skip?.patterns ?? []), ...skip] };
    const lines = summary.filter((r) => skip.some((p) => new RegExp(p, 'iu').test(r.text))).map((r) => r.line);
    reasons.push(
      `skip pattern${skip.length > 1 ? 's' : ''} ${skip.map((p) => JSON.stringify(p)).join(', ')}: line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} report${lines.length > 1 ? '' : 's'} a balance or subtotal without an amount or a date, not a transaction`,
    );
    if (dates.postedFallback) dropSkippedFallback(profile, layout, roles, skip, reasons);
  }
}

/**
 * Rows with a cell over several lines that stop short of the header (Crédit Agricole's money-out
 * rows end after Débit): the reader takes them only with rows.maxMissingCells, else they are unbalanced quotes.
 */
export function shortRowRule(profile: StatementProfileInput, layout: Layout, reasons: string[]): void {
  const width = layout.header.fields.length;
  const short = layout.data.filter((r) => r.fields.length < width && r.fields.some((f) => f.includes('\n')));
  const missing = Math.max(0, ...short.map((r) => width - r.fields.length));
  if (missing === 0 || missing > MAX_MISSING_CELLS) return;
  profile.rows = { maxMissingCells: missing };
  reasons.push(
    `rows.maxMissingCells ${missing}: ${rowsOf(short.length)} with a cell over several lines ${short.length > 1 ? 'are' : 'is'} up to ${missing} cell${missing > 1 ? 's' : ''} short of the header's ${width} (from line ${short[0]!.line}); without it they read as unbalanced quotes`,
  );
}

const rowsOf = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

/** Skip patterns for the rows of a debit/credit pair with zero on both sides: no money moved. */
function zeroRowRules(profile: StatementProfileInput, layout: Layout, amountAt: [number, number], descAt: number, fmt: NumberFormat, reasons: string[]): void {
  const { patterns, lines } = zeroRowPatterns(layout.data, amountAt, descAt, fmt);
  if (patterns.length === 0) return;
  profile.skip = { patterns: [...(profile.skip?.patterns ?? []), ...patterns] };
  reasons.push(
    `skip pattern${patterns.length > 1 ? 's' : ''} ${patterns.map((p) => JSON.stringify(p)).join(', ')}: line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} ${lines.length > 1 ? 'have' : 'has'} zero on both sides of the debit/credit pair (an opening balance, say), so no money moved: not a transaction`,
  );
}

/** The posting-date fallback is not needed when every row without a transaction date is a skipped balance row. */
function dropSkippedFallback(profile: StatementProfileInput, layout: Layout, roles: Roles, skip: readonly string[], reasons: string[]): void {
  const { tx, posted } = roles.dates;
  const needing = layout.data.filter((r) => isBlank(r.fields[tx.col.index]) && !isBlank(r.fields[posted!.col.index]));
  if (!needing.every((r) => skip.some((p) => new RegExp(p, 'iu').test(rowText(r))))) return;
  delete profile.dates.emptyTransactionDate;
  reasons.push(`the rows with no "${tx.col.name}" are all skipped: no posting-date fallback (dates.emptyTransactionDate) is needed`);
}

/** Skip patterns for a header-less file's dateless rows, by the shape of their cells. */
function sectionRules(profile: StatementProfileInput, layout: Layout, reasons: string[]): void {
  if (layout.sections.length === 0) return;
  const { patterns, dropped } = sectionRowPatterns(layout.sections, layout.data);
  const lines = layout.sections.map((r) => r.line).filter((l) => !dropped.includes(l));
  if (patterns.length) {
    profile.skip = { patterns };
    reasons.push(
      `skip pattern${patterns.length > 1 ? 's' : ''} ${patterns.map((p) => JSON.stringify(p)).join(', ')}: line${lines.length > 1 ? 's' : ''} ${lines.join(', ')} have no date and another shape than the dated rows (card-holder, section or total lines); a file without a header row has no preamble or trailer to hold them`,
    );
  }
  if (dropped.length)
    reasons.push(`line${dropped.length > 1 ? 's' : ''} ${dropped.join(', ')} have no date, but a pattern for them would also skip dated rows: left to be listed as unread`);
}
