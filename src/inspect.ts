/**
 * `spendrecon inspect FILE...`: what each file was detected as and why, how its columns
 * map, its first rows, and every problem a full read finds — without writing anything.
 */
import type { Config } from './config.js';
import type { Detection, InputIssue } from './model.js';
import { redactSecrets } from './redact.js';
import { inlineText, type TextSink } from './terminal.js';
import type { OpenedInput, ReadBatch } from './sources/contract.js';
import { CsvFile } from './sources/csv.js';
import type { StatementDetection } from './sources/statement.js';
import { displayPath, expandInputs, exportReaders, openInput, recognise, type AnyReader } from './sources/index.js';

export interface Inspection {
  file: string;
  recognised: boolean;
  format: string | null;
  label: string | null;
  confidence: number | null;
  reasons: string[];
  otherCandidates: { format: string; confidence: number }[];
  encoding: string | null;
  encodingReason: string | null;
  delimiter: string | null;
  header: string[];
  missingRequired: string[];
  unknownColumns: string[];
  firstRows: string[][];
  rowsRead: number;
  records: number;
  emptyBuckets: number;
  problems: Pick<InputIssue, 'severity' | 'line' | 'column' | 'message'>[];
  problemCount: number;
}

const MAX_PROBLEMS = 50;

/**
 * The file as the reader that took it reads it: a statement profile may name an encoding or a
 * delimiter the sniffing did not guess (Shift_JIS sniffed as Windows-1252), and the first rows
 * shown should be the ones it reads, not mojibake.
 */
async function shownAs(csv: CsvFile, path: string, detection: Detection | null): Promise<CsvFile> {
  const d = detection as Partial<StatementDetection> | null;
  const encoding = d?.encoding ?? csv.encoding.encoding;
  const delimiter = d?.delimiter ?? csv.delimiter;
  if (encoding === csv.encoding.encoding && delimiter === csv.delimiter) return csv;
  return CsvFile.open(path, { encoding, delimiter, quote: csv.quote });
}

/** Why the file's text reads as it does: the format's own decoding, the profile's, the sniffer's, or the medium. */
function encodingReason(input: OpenedInput, sniffed: CsvFile | null, csv: CsvFile | null, lineText: Detection['lineText'] | null): string {
  if (lineText) return lineText.reason;
  if (csv) return csv !== sniffed ? `the profile's encoding; sniffed ${sniffed!.encoding.encoding}` : csv.encoding.reason;
  if (input.type === 'document') return `text of a ${input.document.medium === 'pdf' ? 'PDF' : 'message'}`;
  if (input.type === 'sheet') return `cells of an Excel workbook, sheet "${input.sheet.sheetName}"`;
  return 'JSON is UTF-8';
}

export async function inspectFiles(patterns: string[], config: Config, cwd: string, readers: AnyReader[] = exportReaders): Promise<Inspection[]> {
  const files = await expandInputs(patterns, cwd);
  const out: Inspection[] = [];
  for (const f of files) {
    const display = displayPath(f.path, cwd);
    const input = await openInput(f.path);
    const rec = recognise(input, readers);
    const sniffed = input.type === 'csv' ? input.csv : null;
    // a workbook's rows as its cells hold them, shown the way a CSV's first lines are
    const sheetRows = input.type === 'sheet' ? input.sheet.rows : [];
    const lineText = rec.detection?.lineText ?? null;
    // a fixed-width format: its own decoding, and its first lines whole (no header, no cells)
    const csv = sniffed && !lineText ? await shownAs(sniffed, f.path, rec.detection) : null;
    const ins: Inspection = {
      file: display,
      recognised: !!rec.reader && (rec.detection?.confidence ?? 0) >= 0.5,
      format: rec.detection?.format ?? null,
      label: rec.detection?.label ?? null,
      confidence: rec.detection?.confidence ?? null,
      reasons: rec.detection?.reasons ?? ['no reader recognised the header / content'],
      otherCandidates: rec.candidates.slice(1).map((c) => ({ format: c.detection.format, confidence: c.detection.confidence })),
      encoding: lineText ? lineText.encoding : csv ? csv.encoding.encoding : 'utf-8',
      encodingReason: encodingReason(input, sniffed, csv, lineText),
      delimiter: csv ? csv.delimiter : null,
      header: csv ? (csv.head[0]?.fields ?? []) : (sheetRows[0]?.fields ?? []),
      missingRequired: rec.detection?.missingRequired ?? [],
      unknownColumns: rec.detection?.unknownColumns ?? [],
      firstRows: csv
        ? csv.head.slice(1, 6).map((r) => r.fields)
        : lineText && sniffed
          ? sniffed.head.slice(0, 5).map((r) => [r.fields.join(sniffed.delimiter)])
          : sheetRows.slice(1, 6).map((r) => r.fields),
      rowsRead: 0,
      records: 0,
      emptyBuckets: 0,
      problems: [],
      problemCount: 0,
    };
    if (ins.recognised && rec.reader && rec.detection && ins.missingRequired.length === 0) {
      const source = rec.reader.read(input, rec.detection, { timezone: config.timezone, displayPath: display }) as AsyncIterable<ReadBatch<unknown>>;
      for await (const b of source) {
        ins.rowsRead += b.rows;
        ins.records += b.records.length;
        ins.emptyBuckets += b.skipped;
        ins.problemCount += b.issues.length;
        for (const i of b.issues) {
          if (ins.problems.length < MAX_PROBLEMS) ins.problems.push({ severity: i.severity, line: i.line, column: i.column, message: i.message });
        }
      }
    }
    out.push(ins);
  }
  return out;
}

/** Text from the file on one line (the sink redacts and shows control characters). */
const shown = (t: string) => inlineText(t);

/** The inspection as text. `s` is a terminal sink (src/terminal.ts) or any collector. */

/** Formats whose rows are skipped rather than empty buckets. */
const SKIPS_ROWS = new Set(['statement', 'norma43', 'payments-csv']);
export function printInspection(list: Inspection[], s: TextSink): void {
  for (const i of list) {
    s.write(`\n${shown(i.file)}\n`);
    if (!i.recognised) {
      s.write('  not recognised: no reader knows this header or content\n');
      // a receipt document that fits no layout: each layout's missing lines (reasons of a weak detection)
      if (i.format === 'receipt-document') for (const r of i.reasons) s.write(`    - ${shown(r)}\n`);
      if (i.header.length) s.write(`  header: ${i.header.map(shown).join(' | ')}\n`);
      continue;
    }
    s.write(`  detected: ${i.label} [${i.format}], confidence ${Math.round(i.confidence! * 100)}%\n`);
    for (const r of i.reasons) s.write(`    - ${shown(r)}\n`);
    if (i.otherCandidates.length) s.write(`  also considered: ${i.otherCandidates.map((c) => `${c.format} (${Math.round(c.confidence * 100)}%)`).join(', ')}\n`);
    s.write(`  encoding: ${i.encoding} (${i.encodingReason})${i.delimiter ? `; delimiter ${JSON.stringify(i.delimiter)}` : ''}\n`);
    if (i.missingRequired.length) s.write(`  MISSING required column(s): ${i.missingRequired.map(shown).join(', ')}\n`);
    if (i.unknownColumns.length) s.write(`  unknown extra column(s), ignored: ${i.unknownColumns.map(shown).join(', ')}\n`);
    if (i.firstRows.length) {
      s.write('  first rows:\n');
      // redacted before it is cut to the line: a cut key would no longer look like one
      for (const r of i.firstRows) s.write(`    ${shown(redactSecrets(r.join(', '))).slice(0, 160)}\n`);
    }
    // empty buckets are a provider export's; a statement's or a payment history's rows are skipped (preamble, totals, blank lines)
    const skipped = i.format !== null && SKIPS_ROWS.has(i.format);
    s.write(`  rows: ${i.rowsRead} read, ${i.records} records, ${i.emptyBuckets} ${skipped ? 'skipped' : 'empty buckets'}, ${i.problemCount} problem(s)\n`);
    for (const p of i.problems) s.write(`    ${p.severity} line ${p.line}${p.column ? `, column ${shown(p.column)}` : ''}: ${shown(p.message)}\n`);
    if (i.problemCount > i.problems.length) s.write(`    … and ${i.problemCount - i.problems.length} more\n`);
  }
}
