/**
 * Cell parsers shared by the Anthropic readers (Claude Console CSV exports and the Admin API
 * usage_report / cost_report pages). Facts and their sources: fixtures/anthropic/README.md.
 */
import models from '../data/anthropic-models.json' with { type: 'json' };
import type { LineItem } from '../model.js';
import { Decimal } from '../money.js';
import { provider } from '../providers.js';

/** The provider id these readers stamp on their records (src/data/providers/anthropic.json). */
export const ANTHROPIC = 'anthropic';

const DAY = 86400;
const HOUR = 3600;

/** Buckets each source writes: usage by day or hour (the API also by minute), costs by day. */
export const ANTHROPIC_USAGE_WIDTHS = [60, HOUR, DAY] as const;
export const ANTHROPIC_COST_WIDTHS = [DAY] as const;

const CONSOLE_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A Console `usage_date_utc`: `2026-10-01` is that UTC day, `2026-10-01 02:00` that UTC hour.
 * Null when the text is neither (or names no real date or time).
 */
export function consoleBucket(text: string): { start: number; end: number } | null {
  const m = CONSOLE_DATE.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dayStart = Date.UTC(y, mo - 1, d) / 1000;
  const check = new Date(dayStart * 1000);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || y < 2015 || y >= 2100) return null;
  if (m[4] === undefined) return { start: dayStart, end: dayStart + DAY };
  const h = Number(m[4]);
  const mi = Number(m[5]);
  // an hourly row starts on the hour; anything else is not a bucket the Console writes
  if (h > 23 || mi !== 0 || (m[6] !== undefined && Number(m[6]) !== 0)) return null;
  const start = dayStart + h * HOUR;
  return { start, end: start + HOUR };
}

/** An RFC 3339 instant of the Admin API (`2026-10-01T00:00:00Z`), Unix seconds; null otherwise. */
export function apiInstant(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(v.trim());
  if (!m) return null;
  const ms = Date.parse(v.trim());
  if (!Number.isFinite(ms)) return null;
  const t = Math.floor(ms / 1000);
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Date.parse rolls 2026-02-30 over to March: the fields must survive the round trip (offset aside)
  if (m[7] === 'Z') {
    const back = new Date(t * 1000);
    if (
      back.getUTCFullYear() !== y ||
      back.getUTCMonth() !== mo - 1 ||
      back.getUTCDate() !== d ||
      back.getUTCHours() !== h ||
      back.getUTCMinutes() !== mi ||
      back.getUTCSeconds() !== s
    )
      return null;
  }
  return t;
}

/**
 * cost_report `amount` is a decimal string in the currency's lowest unit — cents for USD:
 * "123.78912" is $1.2378912. Exact: the digits move two places, nothing is divided.
 */
export function centsToAmount(text: string): Decimal | null {
  const cents = Decimal.parseAmount(text);
  return cents === null ? null : cents.shiftLeft(2);
}

/**
 * Whether a context-window cell names the long-context band: the Console writes `≤ 200k` and
 * `> 200k`, the API `0-200k` and `200k-1M`. Null for a value neither writes.
 */
export function isLongContext(text: string | null): boolean | null {
  if (text === null) return false;
  const t = text.replace(/\s+/g, '').toLowerCase();
  if (t === '' || t === '≤200k' || t === '<=200k' || t === '0-200k') return false;
  if (t === '>200k' || t === '200k-1m' || t === '>200k≤1m') return true;
  return null;
}

const BY_NAME = new Map(models.models.map((m) => [m.name.toLowerCase(), m.id]));

/** The model id of a Console display name ("Claude Haiku 4.5" → claude-haiku-4-5-20251001); null when the table has none. */
export function modelIdOfDisplayName(name: string): string | null {
  return BY_NAME.get(name.trim().toLowerCase()) ?? null;
}

/** Token kinds as the Console cost export (`token_type`) and the cost_report (`token_type`) write them. */
const TOKEN_KINDS: Record<string, NonNullable<LineItem['tokenKind']>> = {
  input_no_cache: 'input',
  uncached_input_tokens: 'input',
  input_cache_read: 'cached input',
  cache_read_input_tokens: 'cached input',
  input_cache_write_5m: 'cache writes',
  cache_creation_5m_input_tokens: 'cache writes',
  'cache_creation.ephemeral_5m_input_tokens': 'cache writes',
  input_cache_write_1h: 'cache writes 1h',
  cache_creation_1h_input_tokens: 'cache writes 1h',
  'cache_creation.ephemeral_1h_input_tokens': 'cache writes 1h',
  output: 'output',
  output_tokens: 'output',
};

export function tokenKindOf(tokenType: string | null): LineItem['tokenKind'] {
  return tokenType === null ? null : (TOKEN_KINDS[tokenType.trim().toLowerCase()] ?? null);
}

/** Usage types / service tiers that are the Message Batches API (priced at half). */
export function isBatch(tier: string | null): boolean {
  return tier !== null && /batch/i.test(tier);
}

/**
 * The workspace as the project dimension: the default workspace (no id in the API, named
 * "Default" in the Console) is the provider's default project; others keep their id or name.
 */
export function workspaceProject(idOrName: string | null): { projectId: string | null; projectName: string | null } {
  const def = provider(ANTHROPIC).defaultProject;
  if (idOrName === null || idOrName.trim() === '' || /^default( workspace)?$/i.test(idOrName.trim())) return { projectId: def?.id ?? null, projectName: def?.name ?? null };
  return { projectId: idOrName, projectName: null };
}

/** Part of a usage row's identity: rows of one bucket differ by context window, region and speed. */
export function usageVariant(contextWindow: string | null, geo: string | null, speed: string | null): string | null {
  const parts = [contextWindow, geo, speed].map((p) => (p === null ? '' : p.trim()));
  return parts.every((p) => p === '') ? null : parts.join('/');
}

/** A non-empty trimmed cell or null. */
export const cell = (f: readonly string[], i: number): string | null => {
  if (i < 0) return null;
  const t = (f[i] ?? '').trim();
  return t === '' ? null : t;
};
