/**
 * `--csv DIR`: one CSV per sheet, from the same JSON projection, with formula-looking text
 * neutralised; secrets are redacted and control characters shown over each file's whole text.
 */
import { join } from 'node:path';
import Papa from 'papaparse';
import type { ReportResult } from '../results.js';
import { Decimal } from '../money.js';
import { csvText } from '../redact.js';
import { safeCsvText } from './cells.js';
import { reportToJson } from './json.js';
import { writeFileAtomic } from '../output-files.js';

const SHEETS: [string, string][] = [
  ['exceptions', 'exceptions'],
  ['by-project', 'byProject'],
  ['by-model', 'byModel'],
  ['by-key', 'byKey'],
  ['by-user', 'byUser'],
  ['daily', 'dailyByProject'],
  ['usage-vs-cost', 'usageVsCost'],
  ['inputs', 'inputs'],
];

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // exact amounts are strings in the JSON projection: a negative one is a number, not a formula
  if (typeof v === 'string') return Decimal.parse(v) !== null && /^-?\d/.test(v) ? v : safeCsvText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return safeCsvText(JSON.stringify(v));
}

/** The files `--csv DIR` writes, so none of them is checked against the inputs too late. */
export function reportCsvPaths(dir: string): string[] {
  return SHEETS.map(([name]) => join(dir, `${name}.csv`));
}

export async function writeReportCsv(result: ReportResult, dir: string): Promise<string[]> {
  const json = reportToJson(result);
  const written: string[] = [];
  for (const [name, key] of SHEETS) {
    const rows = (json[key] as Record<string, unknown>[] | undefined) ?? [];
    const header = rows.length ? Object.keys(rows[0]!) : [];
    const text = Papa.unparse({ fields: header, data: rows.map((r) => header.map((h) => cell(r[h]))) }, { newline: '\n' });
    const path = join(dir, `${name}.csv`);
    // the boundary: the whole file's text is redacted and its control characters shown, once
    await writeFileAtomic(path, csvText(`${text}\n`));
    written.push(path);
  }
  return written;
}
