/**
 * Bounds that stop a run with a clear message where Node's heap would otherwise run out
 * (issue #14: never an out-of-memory crash, whatever the input's size). They scale with the
 * heap limit (V8's default for the machine unless the user sets one), so giving Node more
 * memory raises them. Measured live sizes, with the heap's growth between collections (2×,
 * which bin/spendrecon fixes):
 * a usage group with its seen buckets ~0.8 KB, a statement line while matching ~1.2 KB.
 */
import { getHeapStatistics } from 'node:v8';

export class MemoryBoundError extends Error {}

const heapMiB = (): number => getHeapStatistics().heap_size_limit / 2 ** 20;

function bound(envName: string, perMiB: number): number {
  const set = Number(process.env[envName]);
  return Number.isInteger(set) && set > 0 ? set : Math.floor(heapMiB() * perMiB);
}

/** Usage groups (UTC day or hour × project × key × user × model × tier) one run may hold. */
export const maxUsageGroups = (): number => bound('SPENDRECON_MAX_USAGE_GROUPS', 600);

/** Statement lines one run may hold (read whole: matching looks at all of them at once). */
export const maxStatementLines = (): number => bound('SPENDRECON_MAX_STATEMENT_LINES', 300);

export const MORE_MEMORY = `or give Node more memory (NODE_OPTIONS=--max-old-space-size=8192, in MB; this run may use ${Math.round(heapMiB())} MB)`;
