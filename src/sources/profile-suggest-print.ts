/**
 * What `spendrecon profile FILE` prints: the proposed profile first (to paste), then why,
 * what to check, and the first rows as the profile reads them, so a wrong guess is seen
 * before any matching. Text from the file goes through inlineText (one line, controls shown).
 */
import { inlineText, type TextSink } from '../terminal.js';
import type { ProfileSuggestion } from './profile-suggest.js';

const FIRST_ROWS = 10;
const MAX_UNREAD = 20;

export function printProfileSuggestion(s: ProfileSuggestion, out: TextSink): void {
  out.write(`${inlineText(s.file)}\n`);
  if (!s.profile) {
    out.write(`  no profile proposed: ${inlineText(s.problem ?? 'nothing usable found')}\n`);
    for (const r of s.reasons) out.write(`    - ${inlineText(r)}\n`);
    return;
  }
  out.write('\nProposed profile (paste it into the "statementProfiles" list of spendrecon.config.json):\n\n');
  // JSON escapes every control character, so the block stays pasteable as printed
  out.write(`${JSON.stringify(s.profile, null, 2)}\n\n`);
  out.write('Why:\n');
  for (const r of s.reasons) out.write(`  - ${inlineText(r)}\n`);
  if (s.attention.length) {
    out.write('\nCheck before use:\n');
    for (const a of s.attention) out.write(`  ! ${inlineText(a)}\n`);
  }
  printRows(s, out);
  if (s.unread.length) {
    out.write(`\nRows this profile cannot read (${s.unread.length}):\n`);
    for (const u of s.unread.slice(0, MAX_UNREAD)) out.write(`  line ${u.line}${u.column ? `, column ${inlineText(JSON.stringify(u.column))}` : ''}: ${inlineText(u.message)}\n`);
    if (s.unread.length > MAX_UNREAD) out.write(`  … and ${s.unread.length - MAX_UNREAD} more\n`);
  }
  out.write(`\n${s.records.length} of ${s.dataRows} data rows read${s.attention.length ? `; ${s.attention.length} thing(s) to check` : ''}.\n`);
}

/** At least two decimals for reading down a column; never rounded (47.500 KWD stays 47.500). */
function cents(amount: string): string {
  const [whole, frac = ''] = amount.split('.');
  return `${whole}.${frac.padEnd(2, '0')}`;
}

function printRows(s: ProfileSuggestion, out: TextSink): void {
  if (!s.records.length) return;
  const shown = s.records.slice(0, FIRST_ROWS);
  out.write(`\nFirst rows as this profile reads them (amount: charges positive, money in negative):\n`);
  const table = [
    ['line', 'date', 'amount', 'currency', 'status', 'description'],
    ...shown.map((r) => [String(r.line), r.date, cents(r.amount), r.currency, r.status, inlineText(r.description).slice(0, 60)]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    out.write(
      `  ${row
        .map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd()}\n`,
    );
  if (s.records.length > shown.length) out.write(`  … and ${s.records.length - shown.length} more\n`);
}
