/**
 * `--json` (SPEC §5.3): the same results as one JSON document. Amounts are exact decimal
 * strings, dates ISO. The documented core is stable; extra fields may be added.
 */
import { providersMeetIn } from '../providers.js';
import { Decimal } from '../money.js';
import { rejectedByCurrency } from '../engine/conservation.js';
import type { ReportResult } from '../results.js';
import { isoUtc, type LocalDate } from '../time.js';
import { mayHoldSecret, redactSecrets } from '../redact.js';
import type { LedgerResult } from '../engine/ledger/index.js';
import type { MatchClass, MatchResult, MatchSide } from '../engine/matching/index.js';
import type { BudgetResult } from '../engine/budget.js';
import type { RunwayResult } from '../engine/runway.js';
import { cardPaymentBridges } from './tie-out.js';
import { providersMeet, reportByProvider } from './providers.js';

const money = (d: Decimal | null) => (d === null ? null : d.toString());

/**
 * The card ↔ payments bridge of Summary, per currency: card total, one line per class (or
 * cross-currency pair) with its step, payments total, and the difference (0 when it ties).
 */
function bridgeToJson(result: MatchResult) {
  return cardPaymentBridges(result).map((b) => ({
    currency: b.currency,
    start: money(b.cardTotal),
    lines: b.lines.map((l) => ({
      key: l.key,
      label: l.label,
      cardCount: l.cardCount,
      cardAmount: money(l.cardAmount),
      paymentCount: l.paymentCount,
      paymentAmount: money(l.paymentAmount),
      step: money(l.step),
    })),
    end: money(b.paymentTotal),
    difference: money(b.difference),
  }));
}

/** The §5.3 `reconciliation` rows of the JSON output. */
export function reconciliationRows(result: MatchResult): {
  side: MatchSide;
  file: string;
  line: number;
  class: MatchClass;
  amount: string;
  currency: string;
  counterpart: { file: string; line: number } | null;
}[] {
  return result.classifications.map((c) => {
    const first = c.counterparts[0];
    return {
      side: c.side,
      file: c.src.file,
      line: c.src.line,
      class: c.class,
      amount: c.amount.toString(),
      currency: c.currency,
      counterpart: first ? { file: first.file, line: first.line } : null,
    };
  });
}

// JSON projection of the ledger (SPEC §5.3 "ledger")

export interface LedgerJsonRow {
  date: LocalDate;
  organization: string | null;
  opening: string;
  in: string;
  out: string;
  expired: string;
  balance: string;
  /** The day's events joined with "; "; empty when nothing happened. */
  event: string;
}

/** Where providers meet, each row also names its provider (`provider` first). */
export function ledgerToJson(result: LedgerResult): (LedgerJsonRow & { provider?: string })[] {
  const several = result.providers.length > 1;
  return result.days.map((d) => ({
    ...(several ? { provider: d.provider } : {}),
    date: d.date,
    organization: d.organization,
    opening: d.opening.toString(),
    in: d.in.toString(),
    out: d.out.toString(),
    expired: d.expired.toString(),
    balance: d.closing.toString(),
    event: d.events.join('; '),
  }));
}

// JSON projections of budgets and runway (issue #13): amounts exact, the burn lines left to the HTML report

function budgetsToJson(b: BudgetResult) {
  const several = providersMeetIn(b.projects);
  return {
    asOf: b.asOf,
    currency: b.currency,
    projects: b.projects.map((p) => ({
      ...(several ? { provider: p.provider } : {}),
      projectId: p.projectId,
      projectName: p.projectName,
      monthlyBudget: money(p.monthlyBudget),
      periodBudget: money(p.periodBudget),
      proratedToDate: money(p.proratedToDate),
      spent: money(p.spent),
      overProrated: money(p.overProrated),
      dailyRunRate: money(p.dailyRunRate),
      forecast: money(p.forecast),
      reachesBudgetOn: p.reachesBudgetOn,
      reached: p.reached,
      daysElapsed: p.daysElapsed,
      daysInPeriod: p.daysInPeriod,
    })),
  };
}

function runwayToJson(r: RunwayResult, several: boolean) {
  return {
    currency: r.currency,
    organizations: r.organizations.map((o) => ({
      ...(several ? { provider: o.provider } : {}),
      organization: o.organization,
      asOf: o.asOf,
      balance: money(o.balance),
      burnLast7Days: money(o.burnLast7Days),
      dailyBurn: money(o.dailyBurn),
      runsOutOn: o.runsOutOn,
      autoRechargeAmount: money(o.autoRechargeAmount),
      autoRechargeLimit: money(o.autoRechargeLimit),
      runsOutWithAutoRechargeOn: o.runsOutWithAutoRechargeOn,
      autoRechargeLimitHitOn: o.autoRechargeLimitHitOn,
      nextTopUpExpected: o.nextTopUpExpected,
      deadline: o.deadline,
      expiring: o.expiring.map((e) => ({ days: e.days, until: e.until, atRisk: money(e.atRisk), expectedUnused: money(e.expectedUnused) })),
    })),
  };
}

function periodToJson(p: ReportResult['period']) {
  return { from: p.from, to: p.to, timezone: p.timezone, utcStart: isoUtc(p.utcStart), utcEnd: isoUtc(p.utcEnd) };
}

function totalsToJson(r: ReportResult) {
  return {
    billed: money(r.totals.billed),
    currency: r.totals.currency,
    unallocated: money(r.totals.unallocated),
    rejectedRows: r.totals.rejectedRows,
    rejectedAmount: money(r.totals.rejectedAmount),
    rejectedByCurrency: rejectedByCurrency(r.inputs).map((x) => ({ currency: x.currency, amount: money(x.amount) })),
    costExport: money(r.totals.costExport),
    splitOutside: money(r.totals.splitOutside),
    ...(r.attribution ? { costGranularity: r.attribution.costGranularity } : {}),
  };
}

/** Each provider's billed, attributed and unallocated money, usage tokens, payments and balance: each adds up to the run's. */
function byProviderToJson(r: ReportResult) {
  return reportByProvider(r).map((t) => ({
    provider: t.provider,
    billed: money(t.billed),
    attributed: money(t.attributed),
    unallocated: money(t.unallocated),
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    payments: t.payments.map((p) => ({ currency: p.currency, count: p.count, amount: money(p.amount) })),
    balance: money(t.balance),
  }));
}

/**
 * The attribution sections, each a top-level key of the document. `several`: providers meet in
 * the run, so every row names its provider (first); a one-provider run keeps its columns.
 */
function attributionToJson(a: NonNullable<ReportResult['attribution']>, several: boolean) {
  const daily = new Map<string, Decimal>();
  for (const d of a.summaries.daily) daily.set(d.localDate, (daily.get(d.localDate) ?? Decimal.ZERO).plus(d.billed));
  const tagOf = <T extends { provider: string }>(x: T) => (several ? { provider: x.provider } : {});
  return {
    byProject: a.summaries.byProject.map((pr) => ({
      ...tagOf(pr),
      projectId: pr.projectId,
      projectName: pr.projectName,
      billed: money(pr.billed),
      unallocatedToKeys: money(pr.unallocatedToKeys),
      budget: money(pr.budget),
    })),
    byModel: a.summaries.byModel.map((m) => ({
      ...tagOf(m),
      model: m.model,
      billed: money(m.billed),
      listPrice: money(m.listPrice),
      billedDaysWithoutUsage: m.billedDaysWithoutUsage,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
    })),
    byKey: a.summaries.byKey.map((k) => ({ ...tagOf(k), apiKeyId: k.apiKeyId, projectId: k.projectId, billed: money(k.billed), keyName: k.keyName, basis: k.basis })),
    byUser: a.summaries.byUser.map((u) => ({ ...tagOf(u), userId: u.userId, projectId: u.projectId, billed: money(u.billed) })),
    daily: [...daily.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([date, billed]) => ({ date, billed: money(billed) })),
    dailyByProject: a.summaries.daily.map((d) => ({ ...tagOf(d), date: d.localDate, projectId: d.projectId, billed: money(d.billed) })),
    usageVsCost: a.crossCheck.map((c) => ({
      ...tagOf(c),
      utcDay: c.utcDay,
      date: c.localDate,
      projectId: c.projectId,
      model: c.model,
      billed: money(c.billed),
      listPrice: money(c.listPrice),
      variance: money(c.variance),
      flagged: c.flagged,
      cause: c.cause,
    })),
  };
}

/** The reconciliation sections: the classified rows, the class totals and the bridge. */
function reconciliationToJson(rec: NonNullable<ReportResult['reconciliation']>) {
  return {
    reconciliation: reconciliationRows(rec).map((row, i) => {
      const c = rec.classifications[i]!;
      return { ...row, date: c.date, reason: c.reason, counted: c.counted };
    }),
    reconciliationTotals: rec.classTotals.map((t) => ({ side: t.side, class: t.class, currency: t.currency, count: t.count, amount: money(t.total) })),
    bridge: bridgeToJson(rec),
  };
}

function exceptionsToJson(exceptions: ReportResult['exceptions']) {
  return exceptions.map((e) => ({
    severity: e.severity,
    class: e.class,
    amount: money(e.amount),
    currency: e.currency,
    message: e.message,
    subject: e.subject,
    nextStep: e.nextStep,
    refs: e.refs,
  }));
}

function inputsToJson(inputs: ReportResult['inputs']) {
  return inputs.map((i) => ({
    ...i,
    rejectedAmount: money(i.rejectedAmount),
    money: i.money.map((a) => ({
      currency: a.currency,
      read: money(a.read.net),
      ...Object.fromEntries(Object.entries(a.fates).map(([fate, v]) => [fate, money(v.net)])),
    })),
  }));
}

function conservationToJson(c: ReportResult['conservation']) {
  return {
    holds: c.holds,
    equations: c.equations.map((e) => ({
      name: e.name,
      file: e.file,
      currency: e.currency,
      left: e.left.value.toString(),
      right: e.right.reduce((s, t) => s.plus(t.value), Decimal.ZERO).toString(),
      terms: Object.fromEntries([[e.left.label, e.left.value.toString()], ...e.right.map((t) => [t.label, t.value.toString()])]),
      holds: e.holds,
    })),
  };
}

/** The whole run as one JSON document; the sections in a fixed order, absent when not computed. */
export function reportToJson(r: ReportResult): Record<string, unknown> {
  const out: Record<string, unknown> = { period: periodToJson(r.period), totals: totalsToJson(r), byProvider: byProviderToJson(r) };
  if (r.attribution) Object.assign(out, attributionToJson(r.attribution, providersMeet(r)));
  if (r.reconciliation) Object.assign(out, reconciliationToJson(r.reconciliation));
  if (r.ledger) out.ledger = ledgerToJson(r.ledger);
  if (r.budgets) out.budgets = budgetsToJson(r.budgets);
  if (r.runway) out.runway = runwayToJson(r.runway, providersMeet(r));
  out.exceptions = exceptionsToJson(r.exceptions);
  out.inputs = inputsToJson(r.inputs);
  out.conservation = conservationToJson(r.conservation);
  return out;
}

/** Redacts every string and every property name: the one boundary of a JSON document. */
function redactingReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.some(([k]) => redactSecrets(k) !== k) ? Object.fromEntries(entries.map(([k, v]) => [redactSecrets(k), v])) : value;
}

/**
 * A JSON document as text for stdout: redacted, and the characters JSON.stringify leaves raw
 * but a terminal obeys (DEL, C1 controls such as 8-bit CSI, line/paragraph separators) escaped
 * as \uXXXX, so the text stays exact and inert.
 */
export function jsonText(doc: unknown): string {
  // JSON escapes only quotes, backslashes, C0 controls and lone surrogates, none of them in `sk-`
  // or an invisible character: when the whole text holds neither, no string or name in it would
  // be redacted, and the replacer (one call per value: ~5× the time, 1M rows ~20 ms) is skipped
  const plain = JSON.stringify(doc, null, 2);
  return (mayHoldSecret(plain) ? JSON.stringify(doc, redactingReplacer, 2) : plain).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
