/**
 * The read stage: every input recognised by its content and read once, each row given its
 * fate where it is met (other organisations, repeats, outside the period) or handed on.
 */
import { costTracker } from '../engine/dedupe.js';
import { PriceTable } from '../engine/prices.js';
import { UsageAggregator, type UsageGroup } from '../engine/usage.js';
import type { CardLine, CostRecord, InputFileReport, InputIssue, PaymentRecord, UsageRecord } from '../model.js';
import type { InputKind } from '../sources/contract.js';
import type { StatementDetection } from '../sources/statement.js';
import { InputError } from '../sources/index.js';
import type { Period } from '../time.js';
import { dedupeIssue, settle } from './fates.js';
import { openInputs, readRecords, type OpenedFile } from './inputs.js';
import { countPaymentCopiesOnce } from './payment-copies.js';
import { resolvePeriod } from './period.js';
import { foldsInParallel, foldUsageParallel, ParallelStart } from './usage-parallel/index.js';
import { prestartFoldWorker } from './usage-parallel/threads.js';
import { UsageFold } from './usage-fold.js';
import { allReaders } from './readers.js';
import type { ReportRequest } from './request.js';
import { MemoryBoundError, MORE_MEMORY, maxStatementLines } from '../memory-bounds.js';

/** The sections a run computes (each only where its inputs allow). */
export interface WantedSections {
  attribution: boolean;
  reconciliation: boolean;
  ledger: boolean;
}

/** A record with the file it came from, whose report takes the record's fate. */
export interface FromFile<R> {
  rec: R;
  file: OpenedFile;
}

export interface FilesOfKind {
  usage: OpenedFile[];
  costs: OpenedFile[];
  payments: OpenedFile[];
  statement: OpenedFile[];
}

export interface ReadInputs {
  files: OpenedFile[];
  /** Files met while scanning and left out (not read). */
  ignored: InputFileReport[];
  issues: InputIssue[];
  ofKind: FilesOfKind;
  /** The period if the request gave one, else the dates the cost export covers (null without costs). */
  earlyPeriod: Period | null;
  /** Cost rows of the organisations in scope, counted once; their fates are decided later. */
  costs: FromFile<CostRecord>[];
  /** Usage folded into groups (each row already settled). */
  usageGroups: UsageGroup[];
  /** Every payment read; their fates are decided once matching and the ledger have run. */
  payments: FromFile<PaymentRecord>[];
  cardLines: CardLine[];
  /** Settles when every file's report is complete: a large usage file's hash ends after its fold (usage-parallel). */
  settled: Promise<void>;
}

type ReadContext = (f: OpenedFile) => Parameters<typeof readRecords>[1] & { onIdle: (free: 'thread' | 'core') => void };

export async function readInputs(req: ReportRequest, want: WantedSections): Promise<ReadInputs> {
  const cwd = req.cwd ?? process.cwd();
  const tz = req.config.timezone;
  const notice = req.onNotice ?? (() => {});
  const ignored: InputFileReport[] = [];
  const explicitPeriod = req.period.month || (req.period.since && req.period.until) ? resolvePeriod(req.period, tz, [], []) : null;
  const readers = allReaders(req.config, explicitPeriod);
  const patterns = [...req.usage, ...req.costs, ...(req.payments ?? []), ...(req.statements ?? [])];
  const wantedKinds: InputKind[] = ['usage', 'costs', 'payments', 'statement'];
  const issues: InputIssue[] = [];
  // a fold worker loads its code while the inputs are recognised, when a large usage file is named
  const early = prestartFoldWorker(req.usage, cwd, req.strict);
  let adopted = false;
  try {
    const files = await openInputs(patterns, wantedKinds, readers, cwd, ignored, notice, issues, req.payments ?? []);
    const kind = (k: InputKind) => files.filter((f) => f.reader.kind === k);
    const ofKind: FilesOfKind = { usage: kind('usage'), costs: kind('costs'), payments: kind('payments'), statement: kind('statement') };
    checkSectionsPossible(req, want, ofKind);

    const bytesTotal = files.reduce((s, f) => s + f.report.bytes, 0);
    let bytesBefore = 0;
    const said = new Set<'thread' | 'core'>();
    const onIdle = (free: 'thread' | 'core') => {
      if (said.has(free)) return;
      said.add(free);
      req.onIdle?.(free);
    };
    const ctxFor: ReadContext = (f) => {
      const c = { timezone: tz, strict: req.strict, onProgress: req.onProgress, onIdle, bytesBefore, bytesTotal, statementPeriod: explicitPeriod };
      bytesBefore += f.report.bytes;
      return c;
    };
    // the first large usage export's threads start now, while the costs are read (one: each takes a core)
    const first = ofKind.usage.find((f) => foldsInParallel(f, req.strict));
    const started = first ? new ParallelStart(first, !!req.splitDays, explicitPeriod ?? undefined, early) : null;
    adopted = started !== null;
    // no usage thread: the second core is free from the start
    if (!started) {
      onIdle('core');
      onIdle('thread');
    }
    try {
      return await readAll(req, { files, ignored, issues, ofKind, ctxFor, explicitPeriod }, started);
    } catch (e) {
      started?.stop(true);
      throw e;
    } finally {
      started?.stop();
    }
  } finally {
    if (!adopted) void early?.terminate();
  }
}

interface Opened {
  files: OpenedFile[];
  ignored: InputFileReport[];
  issues: InputIssue[];
  ofKind: FilesOfKind;
  ctxFor: ReadContext;
  explicitPeriod: Period | null;
}

/** The opened files read: costs first (they give the period), then usage, payments and statements. */
async function readAll(req: ReportRequest, opened: Opened, started: ParallelStart | null): Promise<ReadInputs> {
  const { files, ignored, issues, ofKind, ctxFor, explicitPeriod } = opened;
  const tz = req.config.timezone;
  const scope = new Set(req.config.organizations);
  const costs = await readCosts(ofKind.costs, ctxFor, issues, scope, req.strict);
  // the period is known once the costs are read (they cover it, unless given), so usage
  // outside it can be counted as such while it streams
  const earlyPeriod =
    explicitPeriod ??
    (costs.length
      ? resolvePeriod(
          req.period,
          tz,
          costs.map((c) => c.rec),
          [],
        )
      : null);
  const { agg: usageAgg, hashed } = await readUsage(ofKind.usage, ctxFor, issues, earlyPeriod, !!req.splitDays, req.strict, started);
  // payments and statements: small; repeats of CSV rows are the matching engine's to judge,
  // copies of a receipt (its invoice, its CSV row, its billing-table row) count once here
  const read: FromFile<PaymentRecord>[] = [];
  for (const f of ofKind.payments) await readRecords<PaymentRecord>(f, ctxFor(f), issues, (r) => read.push({ rec: r, file: f }));
  const payments = countPaymentCopiesOnce(read, issues, req.strict);
  const cardLines = await readStatements(ofKind.statement, ctxFor, issues);
  const usageGroups = usageAgg.finish(PriceTable.load(req.config.prices));
  const settled = Promise.all(hashed).then(() => {});
  settled.catch(() => {}); // awaited by the pipeline; a run that fails before then has its own error
  return { files, ignored, issues, ofKind, earlyPeriod, costs, usageGroups, payments, cardLines, settled };
}

function checkSectionsPossible(req: ReportRequest, want: WantedSections, ofKind: FilesOfKind): void {
  if (want.attribution && (req.want?.attribution || req.costs.length) && ofKind.costs.length === 0) {
    throw new InputError('no cost export among the inputs: the cost export is the source of billed money (give --costs FILE)');
  }
  if (req.want?.reconciliation && (ofKind.payments.length === 0 || ofKind.statement.length === 0)) {
    throw new InputError(`matching needs both a payment history and a card statement; found ${ofKind.payments.length} payment file(s) and ${ofKind.statement.length} statement(s)`);
  }
  if (req.want?.ledger && ofKind.payments.length === 0) throw new InputError('the ledger needs a payment history (give --payments FILE)');
}

/** Costs: small (daily buckets); kept whole so the default period can be derived from them. */
async function readCosts(costFiles: OpenedFile[], ctxFor: ReadContext, issues: InputIssue[], scope: Set<string>, strict: boolean): Promise<FromFile<CostRecord>[]> {
  const costs: FromFile<CostRecord>[] = [];
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
      if (!dedupeIssue(f, r, costDupes.check(r), r.amount, r.currency, issues, strict)) return;
      costs.push({ rec: r, file: f });
    });
  }
  if (costs.length === 0 && outOfScope.size) throw new InputError(noCostRowsInScope(scope, outOfScope));
  return costs;
}

/** An organisation filter that leaves no cost row: say which organisations the rows belong to. */
function noCostRowsInScope(scope: Set<string>, found: Map<string, number>): string {
  const rows = [...found.values()].reduce((a, b) => a + b, 0);
  const orgs = [...found.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([o, n]) => `${o} (${n})`)
    .join(', ');
  return `the config's "organizations" (${[...scope].join(', ')}) leaves no cost rows: all ${rows} cost rows belong to ${orgs}; add those organisations to "organizations", or leave it empty to take every organisation`;
}

/**
 * Usage: folded into groups as it streams; identical repeats (within a file or across files)
 * counted once, judged by the aggregator's groups.
 */
async function readUsage(
  usageFiles: OpenedFile[],
  ctxFor: ReadContext,
  issues: InputIssue[],
  earlyPeriod: Period | null,
  split: boolean,
  strict: boolean,
  started: ParallelStart | null,
): Promise<{ agg: UsageAggregator; hashed: Promise<void>[] }> {
  const fold = new UsageFold(new UsageAggregator(split), earlyPeriod, split, strict);
  const hashed: Promise<void>[] = [];
  for (const [i, f] of usageFiles.entries()) {
    const ctx = ctxFor(f);
    if (foldsInParallel(f, strict)) {
      // the last input's seen buckets may be released as it goes: no later file meets them
      const release = i === usageFiles.length - 1;
      hashed.push((await foldUsageParallel(started?.file === f ? started : new ParallelStart(f, split), fold, { earlyPeriod, release }, issues, ctx)).hashed);
      ctx.onIdle('core');
    } else await readRecords<UsageRecord>(f, ctx, issues, (r) => fold.fold(f, r, issues));
  }
  return { agg: fold.agg, hashed };
}

/** Statements: every card line read is used (matching classifies each one). */
async function readStatements(statementFiles: OpenedFile[], ctxFor: ReadContext, issues: InputIssue[]): Promise<CardLine[]> {
  const cardLines: CardLine[] = [];
  const most = maxStatementLines();
  for (const f of statementFiles) {
    await readRecords<CardLine>(f, ctxFor(f), issues, (r) => {
      settle(f, 'used', r);
      if (cardLines.push(r) > most)
        throw new MemoryBoundError(
          `statements: more than ${most.toLocaleString('en-US')} card lines in one run (at ${f.display}); reconcile fewer statements or a shorter period at a time, ${MORE_MEMORY}`,
        );
    });
    const d = f.detection as StatementDetection;
    f.report.encoding = d.encoding ?? f.report.encoding;
    f.report.label = `${f.report.label}: profile ${d.profile}`;
  }
  return cardLines;
}
