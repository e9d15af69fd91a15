/**
 * `--json` (SPEC §5.3): the same results as one JSON document. Amounts are exact decimal
 * strings, dates ISO. The documented core is stable; extra fields may be added.
 */
import { Decimal } from '../money.js';
import type { ReportResult } from '../pipeline.js';
import { isoUtc } from '../time.js';
import { redactSecrets } from './cells.js';

const money = (d: Decimal | null) => (d === null ? null : d.toString());

export function reportToJson(r: ReportResult): Record<string, unknown> {
  const daily = new Map<string, Decimal>();
  for (const d of r.summaries.daily) daily.set(d.localDate, (daily.get(d.localDate) ?? Decimal.ZERO).plus(d.billed));
  return {
    period: { from: r.period.from, to: r.period.to, timezone: r.period.timezone, utcStart: isoUtc(r.period.utcStart), utcEnd: isoUtc(r.period.utcEnd) },
    totals: {
      billed: money(r.totals.billed),
      currency: r.totals.currency,
      unallocated: money(r.totals.unallocated),
      rejectedRows: r.totals.rejectedRows,
      rejectedAmount: money(r.totals.rejectedAmount),
      costExport: money(r.totals.costExport),
      splitOutside: money(r.totals.splitOutside),
    },
    byProject: r.summaries.byProject.map((p) => ({ projectId: p.projectId, projectName: p.projectName, billed: money(p.billed), unallocatedToKeys: money(p.unallocatedToKeys), budget: money(p.budget) })),
    byModel: r.summaries.byModel.map((m) => ({ model: m.model, billed: money(m.billed), listPrice: money(m.listPrice), inputTokens: m.inputTokens, outputTokens: m.outputTokens })),
    byKey: r.summaries.byKey.map((k) => ({ apiKeyId: k.apiKeyId, projectId: k.projectId, billed: money(k.billed), keyName: k.keyName, basis: k.basis })),
    byUser: r.summaries.byUser.map((u) => ({ userId: u.userId, projectId: u.projectId, billed: money(u.billed) })),
    daily: [...daily.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([date, billed]) => ({ date, billed: money(billed) })),
    dailyByProject: r.summaries.daily.map((d) => ({ date: d.localDate, projectId: d.projectId, billed: money(d.billed) })),
    usageVsCost: r.crossCheck.map((c) => ({
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
    exceptions: r.exceptions.map((e) => ({
      severity: e.severity,
      class: e.class,
      amount: money(e.amount),
      currency: e.currency,
      message: redactSecrets(e.message),
      subject: redactSecrets(e.subject),
      nextStep: e.nextStep,
      refs: e.refs,
    })),
    inputs: r.inputs.map((i) => ({ ...i, rejectedAmount: money(i.rejectedAmount) })),
  };
}
