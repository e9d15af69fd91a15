/**
 * The reading stage's plumbing: finds, opens and recognises the files given, and streams each
 * through its reader, keeping the file's accounts (rows read, the read side of its money).
 */
import { MISSING_COLUMN_NEXT_STEP } from '../engine/exceptions.js';
import { describeFsError } from '../fs-errors.js';
import type { Detection, InputFileReport, InputIssue } from '../model.js';
import type { InputKind, OpenedInput, ReadBatch } from '../sources/contract.js';
import { sha256File } from '../sources/csv.js';
import { displayPath, expandInputs, InputError, openInput, recognise, UNREADABLE_NEXT_STEP, type AnyReader, type FileProblem, type FoundFile } from '../sources/index.js';
import { unmatchedDocumentReason } from '../sources/receipts/reader.js';
import type { Period } from '../time.js';
import { emptyReport, takeBatch } from './fates.js';

/** Progress of the reading stage: bytes of all inputs read so far, of the total. */
export type Progress = (p: { file: string; rows: number; bytesRead: number; bytesTotal: number }) => void;

export interface OpenedFile {
  found: FoundFile;
  display: string;
  input: OpenedInput;
  reader: AnyReader;
  detection: Detection;
  report: InputFileReport;
}

function newReport(display: string, reader: AnyReader | null, label?: string): InputFileReport {
  return emptyReport(display, reader?.kind ?? null, reader?.format ?? 'unrecognised', label ?? reader?.label ?? 'not recognised');
}

/** A file met while scanning that cannot be used: listed on Inputs and an error on Exceptions. */
interface LeftOut {
  display: string;
  reader: AnyReader | null;
  /** `message` says what it is and that it was left out, without the file's name. */
  problem: FileProblem;
  /** The Inputs note, where it says it more briefly than the message. */
  note?: string;
  column?: string | null;
  line?: number;
}

function leaveOut(f: LeftOut, ignored: InputFileReport[], issues: InputIssue[], notice: (m: string) => void): void {
  const r = newReport(f.display, f.reader);
  // not read: its rows are in no conservation equation (the file_left_out error says so)
  r.kind = null;
  r.notes.push(f.note ?? f.problem.message);
  ignored.push(r);
  issues.push({
    severity: f.problem.severity,
    file: f.display,
    line: f.line ?? 0,
    column: f.column ?? null,
    message: f.problem.message,
    amount: null,
    currency: null,
    rejected: false,
    scope: 'file',
    nextStep: f.problem.nextStep,
  });
  notice(`${f.display}: ${f.problem.message}`);
}

const UNRECOGNISED_NEXT_STEP =
  'Check what the file is (`spendrecon inspect FILE` says why it was not recognised), or move it out of the folder; until then nothing in it is counted.';

const UNMATCHED_DOCUMENT_NEXT_STEP =
  'If it is a receipt or invoice of a provider spendrecon knows, its layout changed: add its payment to the payment-history CSV by hand (and report the layout); otherwise move it out of the folder.';

/**
 * Finds, opens and recognises the files given for the roles `wanted`. A file is used for
 * the kind its content shows, whatever flag named it. A file named explicitly that cannot be
 * read or recognised stops the run; one met while scanning is listed and left out.
 */
export async function openInputs(
  patterns: string[],
  wanted: InputKind[],
  readers: AnyReader[],
  cwd: string,
  ignored: InputFileReport[],
  notice: (m: string) => void,
  issues: InputIssue[] = [],
  paymentPatterns: readonly string[] = [],
): Promise<OpenedFile[]> {
  const files = await expandInputs(patterns, cwd, (m) => notice(m), paymentPatterns);
  const out: OpenedFile[] = [];
  for (const found of files) {
    const display = displayPath(found.path, cwd);
    const left = (problem: FileProblem, more: Partial<LeftOut> = {}) => leaveOut({ display, reader: null, problem, ...more }, ignored, issues, notice);
    if (found.problem) {
      left(found.problem);
      continue;
    }
    let input: OpenedInput;
    try {
      input = await openInput(found.path, { display });
    } catch (e) {
      const message = e instanceof InputError ? e.message : `cannot read ${display}: ${describeFsError(e)}`;
      if (found.explicit) throw new InputError(message);
      const what = message.startsWith(`${display}: `) ? message.slice(display.length + 2) : message.replace(`cannot read ${display}: `, 'cannot be read: ');
      left({ severity: 'error', message: `${what}; the whole file is left out`, nextStep: UNREADABLE_NEXT_STEP });
      continue;
    }
    const rec = recognise(input, readers);
    if (!rec.reader || !rec.detection || rec.detection.confidence < 0.5) {
      if (!found.explicit && input.type === 'sheet' && input.sheet.creator === 'spendrecon') {
        // a folder that holds last month's reports beside the exports: not an input, and no error
        left({
          severity: 'info',
          message: 'a workbook spendrecon wrote (an output, not an input); left out',
          nextStep: 'Nothing to do; keep reports out of the input folders to silence this.',
        });
        continue;
      }
      // a receipt PDF or e-mail says which layouts it was tried against and what it lacks
      const documentReason = unmatchedDocumentReason(input);
      if (found.explicit) throw new InputError(`${display}: ${documentReason ?? `not a recognised input (run \`spendrecon inspect ${display}\` to see why)`}`);
      const message = documentReason ? `${documentReason}; the whole file is left out` : 'not recognised as any input format; the whole file is left out';
      left({ severity: 'error', message, nextStep: documentReason ? UNMATCHED_DOCUMENT_NEXT_STEP : UNRECOGNISED_NEXT_STEP });
      continue;
    }
    if (!wanted.includes(rec.reader.kind)) {
      if (found.explicit) notice(`${display} is a ${rec.reader.label}, not used by this command`);
      continue;
    }
    if (rec.detection.missingRequired.length) {
      const message = `looks like: ${rec.detection.label}, but the required column(s) ${rec.detection.missingRequired.map((c) => `"${c}"`).join(', ')} are missing`;
      // a file named on the command line is the user's intent: stop; one met while scanning a
      // directory is left out whole, on Inputs and Exceptions, and the run goes on
      if (found.explicit) throw new InputError(`${display}: ${message}`);
      const problem: FileProblem = { severity: 'error', message: `${message}; the whole file is left out`, nextStep: MISSING_COLUMN_NEXT_STEP };
      left(problem, { reader: rec.reader, note: `left out whole: ${message}`, column: rec.detection.missingRequired[0] ?? null, line: 1 });
      continue;
    }
    out.push(openedFile(found, display, input, rec.reader, rec.detection, notice, issues));
  }
  return out;
}

function openedFile(found: FoundFile, display: string, input: OpenedInput, reader: AnyReader, detection: Detection, notice: (m: string) => void, issues: InputIssue[]): OpenedFile {
  const report = newReport(display, reader);
  if (input.type === 'csv') {
    report.encoding = input.csv.encoding.encoding;
    report.bytes = input.csv.bytes;
    const warning = input.csv.encoding.warning;
    if (warning) {
      // a byte-order mark that contradicts the content: read by the content, and said so
      report.notes.push(warning);
      issues.push({
        severity: 'warning',
        file: display,
        line: 1,
        column: null,
        message: `${display}: ${warning}`,
        amount: null,
        currency: null,
        rejected: false,
        nextStep: 'Check that its text reads right (names, descriptions); if not, save the file again in one encoding (UTF-8) and run again.',
      });
      notice(`${display}: ${warning}`);
    }
  } else report.encoding = 'utf-8';
  if (found.aliases?.length) report.notes.push(`also reached as ${found.aliases.map((a) => displayPath(a)).join(', ')}; read once`);
  if (detection.unknownColumns.length) {
    const note = `unknown extra column(s): ${detection.unknownColumns.join(', ')} (ignored)`;
    report.notes.push(note);
    notice(`${display}: ${note}`);
  }
  return { found, display, input, reader, detection, report };
}

/** Streams a file through its reader, handing records on and keeping the file's accounts. */
export async function readRecords<R>(
  f: OpenedFile,
  ctx: { timezone: string; strict: boolean; onProgress?: Progress; bytesBefore?: number; bytesTotal?: number; statementPeriod?: Period | null },
  issues: InputIssue[],
  onRecord: (r: R) => void,
): Promise<void> {
  const source = f.reader.read(f.input, f.detection, {
    timezone: ctx.timezone,
    displayPath: f.display,
    statementPeriod: ctx.statementPeriod ? { from: ctx.statementPeriod.from, to: ctx.statementPeriod.to } : null,
  }) as AsyncIterable<ReadBatch<R>>;
  for await (const batch of source) {
    takeBatch(f, batch, ctx.strict, issues, onRecord);
    if (ctx.onProgress) {
      const read = f.input.type === 'csv' ? f.input.csv.bytesRead : 0;
      ctx.onProgress({ file: f.display, rows: f.report.rowsRead, bytesRead: (ctx.bytesBefore ?? 0) + read, bytesTotal: ctx.bytesTotal ?? f.report.bytes });
    }
  }
  await finishFile(f);
}

/** The file's hash and size on its report, once all of it is read. */
export async function finishFile(f: OpenedFile): Promise<void> {
  if (f.input.type === 'csv') f.report.sha256 = f.input.csv.sha256 ?? '';
  else {
    f.report.sha256 = await sha256File(f.input.path);
  }
  if (!f.report.bytes) {
    const { stat } = await import('node:fs/promises');
    f.report.bytes = (await stat(f.input.path)).size;
  }
}
