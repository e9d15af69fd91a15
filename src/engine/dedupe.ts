/**
 * Duplicates across files (SPEC §3): exports with overlapping ranges are normal. A record
 * is identified by its bucket and all its dimensions; an identical repeat is counted once,
 * a different value for the same identity is a conflict (the first seen is kept, the later
 * one is reported as an error row and left out — never summed).
 */
import type { CostRecord, Provenance, UsageRecord } from '../model.js';

export type DedupeVerdict = { kind: 'new' } | { kind: 'duplicate'; first: Provenance } | { kind: 'conflict'; first: Provenance; firstValue: string; value: string };

export class DuplicateTracker<R extends { src: Provenance }> {
  private readonly seen = new Map<string, { value: string; src: Provenance }>();

  constructor(
    private readonly identity: (r: R) => string,
    private readonly valueOf: (r: R) => string,
  ) {}

  check(r: R): DedupeVerdict {
    const id = this.identity(r);
    const value = this.valueOf(r);
    const prev = this.seen.get(id);
    if (!prev) {
      this.seen.set(id, { value, src: r.src });
      return { kind: 'new' };
    }
    if (prev.value === value) return { kind: 'duplicate', first: prev.src };
    return { kind: 'conflict', first: prev.src, firstValue: prev.value, value };
  }
}

export function usageTracker(): DuplicateTracker<UsageRecord> {
  return new DuplicateTracker<UsageRecord>(
    (r) => `${r.start}|${r.end}|${r.projectId}|${r.userId}|${r.apiKeyId}|${r.model}|${r.batch}|${r.serviceTier}`,
    (r) => `requests ${r.requests}, input ${r.inputTokens}, output ${r.outputTokens}, cached ${r.cachedTokens}, cache writes ${r.cacheWriteTokens}${r.other ? `, ${JSON.stringify(r.other)}` : ''}`,
  );
}

export function costTracker(): DuplicateTracker<CostRecord> {
  return new DuplicateTracker<CostRecord>(
    (r) => `${r.start}|${r.end}|${r.organizationId}|${r.projectId}|${r.lineItemRaw}|${r.apiKeyId}|${r.userId}`,
    (r) => `${r.amount.toString()} ${r.currency}`,
  );
}
