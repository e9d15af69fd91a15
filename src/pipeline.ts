/**
 * The one place where stages are wired together:
 *   files → sources (detect, decode, parse, validate) → records → engine → results.
 * Reports are written by report/ from the results; the CLI only parses flags and prints.
 */
import { ConfigError, type Config } from './config.js';
import { buildCreditLedger, type LedgerResult } from './engine/ledger/index.js';
import { matchPaymentsToCardLines, parseMatchingConfig, type MatchOptions, type MatchOverrides, type MatchResult } from './engine/matching/index.js';
import { paymentsReader } from './sources/payments.js';
import { makeStatementReader, type StatementDetection } from './sources/statement.js';
import { resolveProfiles, StatementProfileError } from './sources/statement-profile.js';
import { attributeSpend, type AttributedRow, type CrossCheckRow } from './engine/attribution.js';
import { checkConservation, conservationExceptions, tally, type Conservation } from './engine/conservation.js';
import { costTracker, resolveOverlappingCostWidths, type DuplicateTracker } from './engine/dedupe.js';
import { PriceTable, BUILTIN_PRICE_TABLE_VERSION } from './engine/prices.js';
import { summarise, type Summaries } from './engine/summaries.js';
import { budgetedProjects, computeBudgets, type BudgetResult } from './engine/budget.js';
import { computeRunway, type RunwayResult } from './engine/runway.js';
import { resolveOverlappingWidths, UsageAggregator, widthLabel } from './engine/usage.js';
import { Decimal } from './money.js';
import type { CardLine, CostRecord, Detection, Exception, InputFileReport, InputIssue, PaymentRecord, Provenance, RowFate, UsageRecord } from './model.js';
import type { InputKind, OpenedInput, ReadBatch } from './sources/contract.js';
import { sha256File } from './sources/csv.js';
import { describeFsError } from './fs-errors.js';
import { displayPath, expandInputs, exportReaders, InputError, openInput, recognise, UNREADABLE_NEXT_STEP, type AnyReader, type FileProblem, type FoundFile } from './sources/index.js';
import { addDays, BUCKET_PLACEMENT_RULE, SPLIT_DAYS_RULE, localDateOf, makePeriod, monthPeriod, placeOnLocalDate, type Period } from './time.js';

export interface PeriodRequest {
  month?: string;
  since?: string;
  until?: string;
}

export interface ReportRequest {
  usage: string[];
  costs: string[];
  payments?: string[];
  statements?: string[];
  config: Config;
  period: PeriodRequest;
  strict: boolean;
  /** SPEC §3 --split-days. */
  splitDays?: boolean;
  /** Reviewer decisions for matching (--overrides). */
  overrides?: MatchOverrides;
  /** The balance the dashboard shows, for the ledger's closing check (--closing-balance). */
  closingBalance?: Decimal;
  /** Which sections to compute; default: every one its inputs allow. */
  want?: { attribution?: boolean; reconciliation?: boolean; ledger?: boolean };
  cwd?: string;
  /** Progress for long inputs: called per batch. */
  onProgress?: Progress;
  /** Notices (unknown columns, files ignored in a directory) for stderr. */
  onNotice?: (message: string) => void;
}

export interface ReportTotals {
  /** Sum of the cost rows in the period (after dedupe): what every table must add up to. */
  costExport: Decimal;
  /** Sum of the attributed rows. */
  billed: Decimal;
  /** --split-days: billed money of boundary buckets spread onto local days outside the period (left out). */
  splitOutside: Decimal;
  currency: string;
  unallocated: Decimal;
  rejectedRows: number;
  rejectedAmount: Decimal;
}

/** Attribution of billed spend (SPEC §4.1, §4.2): present when cost exports were given. */
export interface AttributionSection {
  /** What the cost export is grouped by (attribution and the cross-check work at that level). */
  costGranularity: string;
  attributed: AttributedRow[];
  crossCheck: CrossCheckRow[];
  summaries: Summaries;
}

export interface ReportResult {
  period: Period;
  placementRule: string;
  priceTableVersion: string;
  /** Currency of the cost export (billed money); USD when there is none. */
  currency: string;
  homeCurrency: string;
  inputs: InputFileReport[];
  issues: InputIssue[];
  exceptions: Exception[];
  attribution: AttributionSection | null;
  /** Payments ↔ card lines (SPEC §4.3): present when both were given. */
  reconciliation: MatchResult | null;
  /** Credit ledger (SPEC §4.4): present when payments were given with cost exports. */
  ledger: LedgerResult | null;
  /** Budget burn and forecast per budgeted project (issue #13): with attribution. */
  budgets: BudgetResult | null;
  /** Credit runway and expiring credit (issue #13): with the ledger. */
  runway: RunwayResult | null;
  /** Payments and card lines as read (the reimbursement workbook needs them). */
  payments: PaymentRecord[];
  cardLines: CardLine[];
  totals: ReportTotals;
  /** The run's own check that every row and cent read is accounted for exactly once. */
  conservation: Conservation;
}

/** Progress of the reading stage: bytes of all inputs read so far, of the total. */
export type Progress = (p: { file: string; rows: number; bytesRead: number; bytesTotal: number }) => void;

/** Thrown under --strict at the first bad row. */
export class StrictModeError extends InputError {}

interface OpenedFile {
  found: FoundFile;
  display: string;
  input: OpenedInput;
  reader: AnyReader;
  detection: Detection;
  report: InputFileReport;
}

function newReport(display: string, reader: AnyReader | null, label?: string): InputFileReport {
  return {
    file: display,
    kind: reader?.kind ?? null,
    sha256: '',
    bytes: 0,
    format: reader?.format ?? 'unrecognised',
    label: label ?? reader?.label ?? 'not recognised',
    encoding: '',
    rowsRead: 0,
    rowsUsed: 0,
    emptyBuckets: 0,
    duplicates: 0,
    outOfPeriod: 0,
    outOfScope: 0,
    rowsRejected: 0,
    setAside: 0,
    rejectedAmount: Decimal.ZERO,
    money: [],
    notes: [],
  };
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
  issues.push({ severity: f.problem.severity, file: f.display, line: f.line ?? 0, column: f.column ?? null, message: f.problem.message, amount: null, currency: null, rejected: false, scope: 'file', nextStep: f.problem.nextStep });
  notice(`${f.display}: ${f.problem.message}`);
}

const UNRECOGNISED_NEXT_STEP = 'Check what the file is (`spendrecon inspect FILE` says why it was not recognised), or move it out of the folder; until then nothing in it is counted.';
const MISSING_COLUMN_NEXT_STEP = 'Export the file again with all its columns (or fix its header); until then nothing in it is counted.';

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
): Promise<OpenedFile[]> {
  const files = await expandInputs(patterns, cwd, (m) => notice(m));
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
      if (found.explicit) throw new InputError(`${display}: not a recognised input (run \`spendrecon inspect ${display}\` to see why)`);
      left({ severity: 'error', message: 'not recognised as any input format; the whole file is left out', nextStep: UNRECOGNISED_NEXT_STEP });
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
      issues.push({ severity: 'warning', file: display, line: 1, column: null, message: `${display}: ${warning}`, amount: null, currency: null, rejected: false, nextStep: 'Check that its text reads right (names, descriptions); if not, save the file again in one encoding (UTF-8) and run again.' });
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
  const source = f.reader.read(f.input, f.detection, { timezone: ctx.timezone, displayPath: f.display, statementPeriod: ctx.statementPeriod ? { from: ctx.statementPeriod.from, to: ctx.statementPeriod.to } : null }) as AsyncIterable<ReadBatch<R>>;
  for await (const batch of source) {
    f.report.rowsRead += batch.rows;
    f.report.emptyBuckets += batch.skipped;
    for (const i of batch.issues) {
      if (ctx.strict && i.severity === 'error') {
        throw new StrictModeError(`${i.file}, line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.message} (--strict stops at the first bad row)`);
      }
      issues.push(i);
      // readers give one rejected issue per row (a JSON page's line holds many rows)
      if (i.rejected) {
        // the read side of the money is tallied here, at the reader's boundary
        if (i.amount) tally(f.report.money, i.currency ?? '(unknown currency)', 'read', i.amount);
        settle(f, 'rejected', i.amount ? { amount: i.amount, currency: i.currency ?? '(unknown currency)' } : null);
      }
    }
    for (const r of batch.records) {
      const m = moneyOf(r);
      if (m) tally(f.report.money, m.currency, 'read', m.amount);
      onRecord(r);
    }
    if (ctx.onProgress) {
      const read = f.input.type === 'csv' ? f.input.csv.bytesRead : 0;
      ctx.onProgress({ file: f.display, rows: f.report.rowsRead, bytesRead: (ctx.bytesBefore ?? 0) + read, bytesTotal: ctx.bytesTotal ?? f.report.bytes });
    }
  }
  if (f.input.type === 'csv') f.report.sha256 = f.input.csv.sha256 ?? '';
  else {
    f.report.sha256 = await sha256File(f.input.path);
  }
  if (!f.report.bytes) {
    const { stat } = await import('node:fs/promises');
    f.report.bytes = (await stat(f.input.path)).size;
  }
}

function resolvePeriod(req: PeriodRequest, tz: string, costs: CostRecord[], usageDays: string[], otherDates: string[] = []): Period {
  if (req.month) {
    if (req.since || req.until) throw new InputError('--period cannot be combined with --since/--until');
    return monthPeriod(req.month, tz);
  }
  let from = req.since;
  let to = req.until;
  if (!from || !to) {
    // default: the local dates the data covers
    const dates = costs.map((c) => placeOnLocalDate(c.start, c.end, tz));
    for (const d of usageDays) dates.push(placeOnLocalDate(Date.parse(`${d}T00:00:00Z`) / 1000, Date.parse(`${d}T00:00:00Z`) / 1000 + 86400, tz));
    // first and last by a scan: a spread of 125,000 dates into push() overflowed the call stack
    const pool = dates.length ? dates : otherDates;
    if (pool.length === 0) throw new InputError('no rows were read, so there is no period to report (give --period YYYY-MM)');
    let first = pool[0]!;
    let last = first;
    for (const d of pool) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
    from ??= first;
    to ??= last;
  }
  return makePeriod(from, to, tz);
}

type Money = { amount: Decimal; currency: string } | null;

/** Appends without spreading: a million rejected rows as arguments would overflow the call stack. */
function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

/** The money a record carries (cost rows, payments, card lines), if any. */
function moneyOf(r: unknown): Money {
  const x = r as { amount?: unknown; currency?: unknown };
  return x.amount instanceof Decimal && typeof x.currency === 'string' ? { amount: x.amount, currency: x.currency } : null;
}

const FATE_COUNTER: Record<RowFate, 'rowsUsed' | 'outOfPeriod' | 'duplicates' | 'outOfScope' | 'rowsRejected' | 'setAside'> = {
  used: 'rowsUsed',
  outOfPeriod: 'outOfPeriod',
  duplicates: 'duplicates',
  outOfScope: 'outOfScope',
  rejected: 'rowsRejected',
  setAside: 'setAside',
};

/** Gives a row its one fate: counted on the file's report, its money tallied under that fate. */
function settle(f: OpenedFile, fate: RowFate, money: Money): void {
  f.report[FATE_COUNTER[fate]]++;
  if (!money) return;
  tally(f.report.money, money.currency, fate, money.amount);
}

function dedupeIssue(f: OpenedFile, r: { src: Provenance }, v: ReturnType<DuplicateTracker<never>['check']>, amount: Decimal | null, currency: string | null, issues: InputIssue[], strict: boolean): boolean {
  if (v.kind === 'new') return true;
  if (v.kind === 'duplicate') {
    settle(f, 'duplicates', amount && currency ? { amount, currency } : null);
    return false;
  }
  rejectRow(f, issues, strict, {
    severity: 'error',
    file: r.src.file,
    line: r.src.line,
    column: null,
    message: `conflicting repeat of ${v.first.file} line ${v.first.line}: same bucket and dimensions, different values (${v.value} here, ${v.firstValue} there); the first is kept, this row is left out`,
    amount,
    currency,
    rejected: true,
  });
  return false;
}

/** A usage row repeating an earlier one's bucket and dimensions with other values: the first is kept. */
function usageConflict(f: OpenedFile, r: UsageRecord, issues: InputIssue[], strict: boolean): void {
  const dims = [`project ${r.projectId ?? '(none)'}`, `key ${r.apiKeyId ?? '(none)'}`, `user ${r.userId ?? '(none)'}`, `model ${r.model ?? '(none)'}`, `tier ${r.serviceTier ?? '(none)'}`, `batch ${r.batch ?? '(none)'}`];
  rejectRow(f, issues, strict, {
    severity: 'error',
    file: r.src.file,
    line: r.src.line,
    column: null,
    message: `conflicting repeat: a row for the same bucket (start_time ${r.start}, ${widthLabel(r.end - r.start)}) and dimensions (${dims.join(', ')}) was read earlier with other values (here: requests ${r.requests}, input ${r.inputTokens}, output ${r.outputTokens}, cached ${r.cachedTokens}); the first is kept, this row is left out`,
    amount: null,
    currency: null,
    rejected: true,
  });
}

/** A row the pipeline itself rejects (after its reader accepted it): counted, or fatal under --strict. */
function rejectRow(f: OpenedFile, issues: InputIssue[], strict: boolean, i: InputIssue): void {
  if (strict) throw new StrictModeError(`${i.file}, line ${i.line}${i.column ? `, column ${i.column}` : ''}: ${i.message} (--strict stops at the first bad row)`);
  settle(f, 'rejected', i.amount ? { amount: i.amount, currency: i.currency ?? '(unknown currency)' } : null);
  issues.push(i);
}

/**
 * Which buckets a period takes: by the midpoint rule, or — with --split-days — every bucket
 * that overlaps the period's UTC range (its parts on local days outside are cut off later).
 */
function bucketInPeriod(start: number, end: number, period: Period, splitDays: boolean): boolean {
  if (splitDays) return start < period.utcEnd && end > period.utcStart;
  const local = placeOnLocalDate(start, end, period.timezone);
  return local >= period.from && local <= period.to;
}

/** An organisation filter that leaves no cost row: say which organisations the rows belong to. */
function noCostRowsInScope(scope: Set<string>, found: Map<string, number>): string {
  const rows = [...found.values()].reduce((a, b) => a + b, 0);
  const orgs = [...found.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([o, n]) => `${o} (${n})`).join(', ');
  return `the config's "organizations" (${[...scope].join(', ')}) leaves no cost rows: all ${rows} cost rows belong to ${orgs}; add those organisations to "organizations", or leave it empty to take every organisation`;
}

/**
 * The whole job: every input recognised by its content, read once, then the sections its
 * inputs allow — attribution (costs, usage), reconciliation (payments, statements), credit
 * ledger (payments, costs).
 */
export async function runReport(req: ReportRequest): Promise<ReportResult> {
  const cwd = req.cwd ?? process.cwd();
  const tz = req.config.timezone;
  const notice = req.onNotice ?? (() => {});
  const ignored: InputFileReport[] = [];
  const explicitPeriod = req.period.month || (req.period.since && req.period.until) ? resolvePeriod(req.period, tz, [], []) : null;
  const readers = allReaders(req.config, explicitPeriod);
  const patterns = [...req.usage, ...req.costs, ...(req.payments ?? []), ...(req.statements ?? [])];
  const wantedKinds: InputKind[] = ['usage', 'costs', 'payments', 'statement'];
  const issues: InputIssue[] = [];
  const files = await openInputs(patterns, wantedKinds, readers, cwd, ignored, notice, issues);
  const ofKind = (k: InputKind) => files.filter((f) => f.reader.kind === k);
  const usageFiles = ofKind('usage');
  const costFiles = ofKind('costs');
  const paymentFiles = ofKind('payments');
  const statementFiles = ofKind('statement');
  const want = {
    attribution: req.want?.attribution ?? true,
    reconciliation: req.want?.reconciliation ?? true,
    ledger: req.want?.ledger ?? true,
  };
  if (want.attribution && (req.want?.attribution || req.costs.length) && costFiles.length === 0) {
    throw new InputError('no cost export among the inputs: the cost export is the source of billed money (give --costs FILE)');
  }
  if (req.want?.reconciliation && (paymentFiles.length === 0 || statementFiles.length === 0)) {
    throw new InputError(`matching needs both a payment history and a card statement; found ${paymentFiles.length} payment file(s) and ${statementFiles.length} statement(s)`);
  }
  if (req.want?.ledger && paymentFiles.length === 0) throw new InputError('the ledger needs a payment history (give --payments FILE)');

  const bytesTotal = files.reduce((s, f) => s + f.report.bytes, 0);
  let bytesBefore = 0;
  const ctxFor = (f: OpenedFile) => {
    const c = { timezone: tz, strict: req.strict, onProgress: req.onProgress, bytesBefore, bytesTotal, statementPeriod: explicitPeriod };
    bytesBefore += f.report.bytes;
    return c;
  };
  const scope = new Set(req.config.organizations);

  // costs: small (daily buckets); kept whole so the default period can be derived from them
  const costs: { rec: CostRecord; file: OpenedFile }[] = [];
  // repeats are judged within a file as across files (two exports pasted together with `cat`)
  const costDupes = costTracker();
  const outOfScope = new Map<string, number>();
  for (const f of costFiles) {
    await readRecords<CostRecord>(f, ctxFor(f), issues, (r) => {
      if (scope.size && r.organizationId !== null && !scope.has(r.organizationId)) {
        outOfScope.set(r.organizationId, (outOfScope.get(r.organizationId) ?? 0) + 1);
        settle(f, 'outOfScope', r);
        return;
      }
      if (!dedupeIssue(f, r, costDupes.check(r), r.amount, r.currency, issues, req.strict)) return;
      costs.push({ rec: r, file: f });
    });
  }
  if (costs.length === 0 && outOfScope.size) throw new InputError(noCostRowsInScope(scope, outOfScope));

  // the period is known once the costs are read (they cover it, unless given), so usage
  // outside it can be counted as such while it streams
  const earlyPeriod = explicitPeriod ?? (costs.length ? resolvePeriod(req.period, tz, costs.map((c) => c.rec), []) : null);

  // usage: folded into groups as it streams; identical repeats (within a file or across files)
  // counted once, judged by the aggregator's groups
  const usageAgg = new UsageAggregator(!!req.splitDays);
  const dayKept = new Map<number, boolean>();
  const split = !!req.splitDays;
  for (const f of usageFiles) {
    await readRecords<UsageRecord>(f, ctxFor(f), issues, (r) => {
      if (earlyPeriod) {
        // usage is needed for every UTC day whose daily cost bucket falls in the period
        const dayStart = r.start - (r.start % 86400);
        let keep = dayKept.get(dayStart);
        if (keep === undefined) {
          keep = bucketInPeriod(dayStart, dayStart + 86400, earlyPeriod, split);
          dayKept.set(dayStart, keep);
        }
        if (!keep) {
          settle(f, 'outOfPeriod', null);
          return;
        }
      }
      const verdict = usageAgg.add(r);
      if (verdict === 'new') settle(f, 'used', null);
      else if (verdict === 'duplicate') settle(f, 'duplicates', null);
      else usageConflict(f, r, issues, req.strict);
    });
  }

  // payments and statements: small; duplicates across files are the matching engine's to judge.
  // Other organisations' payments still go to matching (a top-up bought for the wrong
  // organisation is on the card) but not to the ledger.
  const payments: { rec: PaymentRecord; file: OpenedFile }[] = [];
  const inScope = (p: { rec: PaymentRecord }) => !scope.size || p.rec.organization === null || scope.has(p.rec.organization);
  for (const f of paymentFiles) await readRecords<PaymentRecord>(f, ctxFor(f), issues, (r) => payments.push({ rec: r, file: f }));
  const cardLines: CardLine[] = [];
  for (const f of statementFiles) {
    await readRecords<CardLine>(f, ctxFor(f), issues, (r) => {
      settle(f, 'used', r);
      cardLines.push(r);
    });
    const d = f.detection as StatementDetection;
    f.report.encoding = d.encoding ?? f.report.encoding;
    f.report.label = `${f.report.label}: profile ${d.profile}`;
  }

  const prices = PriceTable.load(req.config.prices);
  const allGroups = usageAgg.finish(prices);
  const period =
    earlyPeriod ??
    resolvePeriod(
      req.period,
      tz,
      costs.map((c) => c.rec),
      [...new Set(allGroups.map((g) => g.utcDay))],
      [...payments.map((p) => localDateOf(p.rec.paidAt, tz)), ...cardLines.map((l) => l.transactionDate)],
    );

  // one currency per report: the cost export's; rows in another are rejected, not converted
  const currencyCount = new Map<string, number>();
  for (const { rec } of costs) currencyCount.set(rec.currency, (currencyCount.get(rec.currency) ?? 0) + 1);
  const currency = [...currencyCount.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? 'USD';

  // a cost row in another currency is rejected once, for every section
  const sameCurrency = costs.filter(({ rec, file }) => {
    if (rec.currency === currency) return true;
    rejectRow(file, issues, req.strict, {
      severity: 'error',
      file: rec.src.file,
      line: rec.src.line,
      column: 'amount_currency',
      message: `expected ${currency} like the rest of the cost export, found ${rec.currency}; the row is left out (no exchange rate is applied to billed cost)`,
      amount: rec.amount,
      currency: rec.currency,
      rejected: true,
    });
    return false;
  });
  // a daily and an hourly cost export of the same day: the coarser bucket's rows are used
  const widths = resolveOverlappingCostWidths(sameCurrency.map((c) => c.rec));
  const setAside = new Set(widths.setAside);
  for (const c of sameCurrency) if (setAside.has(c.rec)) settle(c.file, 'setAside', c.rec);
  const billedCosts = sameCurrency.filter((c) => !setAside.has(c.rec));

  const exceptions: Exception[] = [...widths.exceptions];
  let attribution: AttributionSection | null = null;
  let costExport = Decimal.ZERO;
  let splitOutside = Decimal.ZERO;
  if (want.attribution && costFiles.length) {
    const inPeriodCosts: CostRecord[] = [];
    for (const { rec, file } of billedCosts) {
      if (!bucketInPeriod(rec.start, rec.end, period, split)) {
        settle(file, 'outOfPeriod', rec);
        continue;
      }
      settle(file, 'used', rec);
      inPeriodCosts.push(rec);
    }
    const periodGroups = allGroups.filter((g) => {
      const t = Date.parse(`${g.utcDay}T00:00:00Z`) / 1000;
      return bucketInPeriod(t, t + 86400, period, split);
    });
    const { kept, dropped } = resolveOverlappingWidths(periodGroups);
    for (const d of dropped) exceptions.push(granularityException(d));
    const result = attributeSpend({
      costs: inPeriodCosts,
      usage: kept,
      timezone: tz,
      currency,
      tolerancePercent: req.config.crosscheck.tolerancePercent,
      toleranceAbsolute: req.config.crosscheck.toleranceAbsolute,
      splitDays: split,
      usageGiven: usageFiles.length > 0,
    });
    append(exceptions, result.exceptions);
    // --split-days: parts of boundary buckets that land on local days outside the period are cut off
    const attributed = split
      ? result.rows.filter((r) => {
          const inside = r.localDate >= period.from && r.localDate <= period.to;
          if (!inside) splitOutside = splitOutside.plus(r.amount);
          return inside;
        })
      : result.rows;
    costExport = inPeriodCosts.reduce((s, c) => s.plus(c.amount), Decimal.ZERO).minus(splitOutside);
    attribution = { costGranularity: result.costGranularity, attributed, crossCheck: result.crossCheck, summaries: summarise(attributed, result.crossCheck, req.config, period) };
  }

  let reconciliation: MatchResult | null = null;
  if (want.reconciliation && paymentFiles.length && statementFiles.length) {
    const options = matchOptions(req.config);
    // every line of the statements given is classified, so payments that may explain any of
    // them are taken too (posting lag, a statement running over the period's edge); those that
    // explain nothing outside the period are dropped after matching
    const cardDates = cardLines.map((l) => l.transactionDate).sort();
    const earliest = cardDates[0] && cardDates[0] < period.from ? cardDates[0] : period.from;
    const latest = cardDates.length && cardDates[cardDates.length - 1]! > period.to ? cardDates[cardDates.length - 1]! : period.to;
    const from = addDays(earliest, -Math.max(options.windowDaysAfter, options.refundWindowDays));
    const to = addDays(latest, options.windowDaysBefore);
    const near = payments.filter(({ rec }) => {
      const d = localDateOf(rec.paidAt, tz);
      return d >= from && d <= to;
    });
    reconciliation = matchPaymentsToCardLines(
      near.map((p) => p.rec),
      cardLines,
      options,
      req.overrides,
    );
    // a payment outside the period that explains nothing in it is not this period's business
    reconciliation = dropOutsidePayments(reconciliation, period);
    append(exceptions, reconciliation.exceptions);
  }

  let ledger: LedgerResult | null = null;
  if (want.ledger && paymentFiles.length && (costFiles.length || req.want?.ledger)) {
    const usage = new Map<string, { organization: string | null; date: string; amount: Decimal; refs: Provenance[] }>();
    // the ledger draws down every billed day it is given (its lots may predate the period)
    for (const { rec, file } of billedCosts) {
      if (!attribution) settle(file, 'used', rec);
      const date = placeOnLocalDate(rec.start, rec.end, tz);
      const k = `${rec.organizationId ?? ''}|${date}`;
      const u = usage.get(k) ?? { organization: rec.organizationId, date, amount: Decimal.ZERO, refs: [] };
      u.amount = u.amount.plus(rec.amount);
      usage.set(k, u);
    }
    ledger = buildCreditLedger({
      timezone: tz,
      period,
      currency,
      openingBalance: req.config.openingBalance
        ? { amount: req.config.openingBalance.amount, date: req.config.openingBalance.date, organization: req.config.openingBalance.organization, expiresOn: req.config.openingBalance.expiresOn }
        : undefined,
      payments: payments.filter(inScope).map((p) => p.rec),
      usage: [...usage.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
      autoRechargeMonthlyLimit: req.config.autoRechargeMonthlyLimit,
      closingBalanceReported: req.closingBalance
        ? { amount: req.closingBalance, date: period.to }
        : req.config.closingBalance
          ? { amount: req.config.closingBalance.amount, date: req.config.closingBalance.date ?? period.to, organization: req.config.closingBalance.organization }
          : undefined,
      defaultOrganization: req.config.organizations.length === 1 ? req.config.organizations[0] : undefined,
    });
    append(exceptions, ledger.exceptions);
  }

  const budgets = attribution ? computeBudgets({ period, currency, projects: budgetedProjects(req.config, attribution.summaries.byProject), daily: attribution.summaries.daily }) : null;
  const runway = ledger ? computeRunway({ ledger, autoRechargeMonthlyLimit: req.config.autoRechargeMonthlyLimit }) : null;
  exceptions.push(...(budgets?.exceptions ?? []), ...(runway?.exceptions ?? []));

  // every payment row is counted once: used by the ledger (all of an organisation in scope) or
  // by matching (classified), else another organisation's, else outside the period
  const classified = new Set((reconciliation?.classifications ?? []).filter((c) => c.side === 'payment').map((c) => `${c.src.file}\u0000${c.src.line}`));
  for (const p of payments) {
    if ((ledger && inScope(p)) || classified.has(`${p.rec.src.file}\u0000${p.rec.src.line}`)) settle(p.file, 'used', p.rec);
    else if (!inScope(p)) settle(p.file, 'outOfScope', p.rec);
    else settle(p.file, 'outOfPeriod', p.rec);
  }

  const inputs = [...files.map((f) => f.report), ...ignored].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const r of inputs) if (r.duplicates) exceptions.push(duplicatesException(r));
  // input issues first, then what the stages found
  const withIssues = issues.map(issueToException);
  append(withIssues, exceptions);
  exceptions.length = 0;
  append(exceptions, withIssues);

  const conservation = checkConservation({
    inputs,
    currency,
    attribution: attribution
      ? {
          rows: attribution.attributed,
          splitCut: splitOutside,
          tables: [
            { name: 'By project', values: attribution.summaries.byProject.map((p) => p.billed) },
            { name: 'By model', values: attribution.summaries.byModel.map((m) => m.billed) },
            { name: 'By key', values: attribution.summaries.byKey.map((k) => k.billed) },
            { name: 'By user', values: attribution.summaries.byUser.map((u) => u.billed) },
            { name: 'Daily', values: attribution.summaries.daily.map((d) => d.billed) },
          ],
        }
      : null,
    reconciliation: reconciliation
      ? {
          cardClassified: reconciliation.classifications.filter((c) => c.side === 'card'),
          leftOut: reconciliation.leftOut.totals,
        }
      : null,
  });
  append(exceptions, conservationExceptions(conservation));

  // money in rejected rows is shown in the run's currency; other currencies per file (Inputs, --json money)
  for (const r of inputs) r.rejectedAmount = r.money.find((m) => m.currency === currency)?.fates.rejected.net ?? Decimal.ZERO;
  const rejectedRows = inputs.reduce((s, r) => s + r.rowsRejected, 0);
  const rejectedAmount = inputs.reduce((s, r) => s.plus(r.rejectedAmount), Decimal.ZERO);
  const summaries = attribution?.summaries;
  return {
    period,
    placementRule: split ? `${BUCKET_PLACEMENT_RULE} ${SPLIT_DAYS_RULE}` : BUCKET_PLACEMENT_RULE,
    priceTableVersion: BUILTIN_PRICE_TABLE_VERSION,
    currency,
    homeCurrency: req.config.homeCurrency,
    inputs,
    issues,
    exceptions: sortExceptions(exceptions),
    attribution,
    reconciliation,
    ledger,
    budgets,
    runway,
    payments: payments.map((p) => p.rec),
    cardLines,
    conservation,
    totals: {
      costExport,
      splitOutside,
      billed: summaries?.billed ?? Decimal.ZERO,
      currency,
      unallocated: summaries?.unallocated ?? Decimal.ZERO,
      rejectedRows,
      rejectedAmount,
    },
  };
}

/** Every reader a run knows: the provider's exports, the payment history, statements through the built-in and configured profiles. */
export function allReaders(config: Config, period: Period | null = null): AnyReader[] {
  const statementReader = makeStatementReader(statementProfiles(config), { period: period ? { from: period.from, to: period.to } : null, homeCurrency: config.homeCurrency });
  return [...exportReaders, paymentsReader, statementReader];
}

function matchOptions(config: Config): MatchOptions {
  const parsed = parseMatchingConfig(config.matching, config.timezone);
  if (!parsed.ok) throw new ConfigError(`config is not valid:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.options;
}

function statementProfiles(config: Config) {
  try {
    return resolveProfiles(config.statementProfiles, 'statementProfiles');
  } catch (e) {
    if (e instanceof StatementProfileError) throw new ConfigError(`config is not valid:\n  ${e.problems.map((p) => `${p.path}: ${p.message}`).join('\n  ')}`);
    throw e;
  }
}

/**
 * Payments outside the period stay only where they explain a card line; the ones dropped
 * leave the payment-side totals too, so the Summary tie-out sums what the sheet shows.
 */
function dropOutsidePayments(r: MatchResult, period: Period): MatchResult {
  const isKept = (c: MatchResult['classifications'][number]) => c.side === 'card' || (c.date >= period.from && c.date <= period.to) || c.counterparts.some((x) => x.side === 'card');
  const gone = r.classifications.filter((c) => !isKept(c));
  if (gone.length === 0) return r;
  const dropped = new Set(gone.map((c) => `${c.src.file}:${c.src.line}`));
  const less = <T extends { currency: string; count: number; total: Decimal }>(list: T[], match: (t: T, c: (typeof gone)[number]) => boolean, only: (c: (typeof gone)[number]) => boolean) =>
    list
      .map((t) => {
        const out = gone.filter((c) => only(c) && match(t, c));
        return out.length ? { ...t, count: t.count - out.length, total: out.reduce((s, c) => s.minus(c.amount), t.total) } : t;
      })
      .filter((t) => t.count > 0);
  const counted = (c: (typeof gone)[number]) => c.counted;
  return {
    ...r,
    classifications: r.classifications.filter(isKept),
    exceptions: r.exceptions.filter((e) => !e.refs.some((ref) => dropped.has(`${ref.file}:${ref.line}`))),
    classTotals: less(r.classTotals, (t, c) => t.side === 'payment' && t.class === c.class && t.currency === c.currency, counted),
    payments: {
      ...r.payments,
      all: less(r.payments.all, (t, c) => t.currency === c.currency, () => true),
      counted: less(r.payments.counted, (t, c) => t.currency === c.currency, counted),
    },
  };
}

function granularityException(d: { utcDay: string; width: number; keptWidth: number; rows: number; uncoveredHours: number[] }): Exception {
  return {
    severity: d.uncoveredHours.length ? 'warning' : 'info',
    class: 'usage_granularity_overlap',
    subject: d.utcDay,
    amount: null,
    currency: null,
    message: `Usage for UTC day ${d.utcDay} is in the inputs at ${widthLabel(d.width)} and at ${widthLabel(d.keptWidth)} buckets; the ${widthLabel(d.keptWidth)} rows are used and ${d.rows} ${widthLabel(d.width)} row(s) inside them are set aside so usage is not counted twice.${d.uncoveredHours.length ? ` The set-aside rows also cover UTC hour(s) ${d.uncoveredHours.join(', ')} that the ${widthLabel(d.keptWidth)} rows do not: that usage does not weight the split.` : ''}`,
    nextStep: d.uncoveredHours.length ? 'Export one bucket width for the whole period so every hour is in one export.' : 'Nothing to do; export one bucket width per period to avoid the overlap.',
    refs: [],
  };
}

function duplicatesException(r: InputFileReport): Exception {
  return {
    severity: 'info',
    class: 'duplicate_rows',
    subject: r.file,
    amount: null,
    currency: null,
    message: `${r.duplicates} row(s) of ${r.file} repeat rows of an earlier file exactly (overlapping export ranges); each is counted once.`,
    nextStep: 'Nothing to do.',
    refs: [{ file: r.file, line: 0 }],
  };
}

export function issueToException(i: InputIssue): Exception {
  if (i.scope === 'file') {
    return {
      severity: i.severity,
      class: 'file_left_out',
      subject: i.file,
      amount: null,
      currency: null,
      message: i.message,
      nextStep: i.nextStep ?? MISSING_COLUMN_NEXT_STEP,
      refs: [{ file: i.file, line: i.line }],
    };
  }
  return {
    severity: i.severity,
    class: i.rejected ? 'rejected_row' : 'input_notice',
    subject: `${i.file}:${i.line}${i.column ? ` (${i.column})` : ''}`,
    amount: i.amount,
    currency: i.currency,
    message: i.message,
    nextStep: i.nextStep ?? (i.rejected ? 'Correct the row in the file (or re-export it) and run again; until then its amount is outside every total.' : 'Nothing to do.'),
    refs: [{ file: i.file, line: i.line }],
  };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;
export function sortExceptions(list: Exception[]): Exception[] {
  return list
    .map((e, i) => ({ e, i }))
    .sort((a, b) => SEVERITY_ORDER[a.e.severity] - SEVERITY_ORDER[b.e.severity] || (a.e.class < b.e.class ? -1 : a.e.class > b.e.class ? 1 : 0) || a.i - b.i)
    .map((x) => x.e);
}
