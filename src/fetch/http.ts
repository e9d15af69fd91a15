/**
 * One GET of one page, with the retries a rate-limited admin API needs: 429 and 5xx (and a
 * dropped connection, a timeout or a cut-off body) are tried again after an exponential
 * backoff with jitter, or after the server's own Retry-After. Anything else is the caller's.
 */
import { parsePage, type JsonObject } from './json-text.js';

export interface RetryPolicy {
  /** Per request, headers and body together. */
  timeoutMs: number;
  maxAttempts: number;
  /** First backoff; doubled per attempt, capped at maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A Retry-After longer than this is not waited for: the run stops and says when to retry. */
  maxRetryAfterMs: number;
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter. Injectable so tests can pin it. */
  random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  timeoutMs: 60_000,
  maxAttempts: 6,
  baseBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 300_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
};

/** A response the caller decides about: a page (2xx), or a refusal that retrying cannot fix. */
export type Answer = { ok: true; page: JsonObject; text: string } | { ok: false; status: number; body: string; retryAfterMs: number | null };

/** The run cannot go on: the message names provider and endpoint, never the key. */
export class FetchError extends Error {}

export interface RetryNotice {
  attempt: number;
  maxAttempts: number;
  waitMs: number;
  why: string;
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const t = header.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const at = Date.parse(t);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, p: Pick<RetryPolicy, 'baseBackoffMs' | 'maxBackoffMs' | 'random'>): number {
  const step = Math.min(p.maxBackoffMs, p.baseBackoffMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + p.random() * (step / 2));
}

type Attempt = { done: Answer } | { retry: string; retryAfterMs: number | null };

async function attemptOnce(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<Attempt> {
  let res: Response;
  let text: string;
  try {
    // the signal covers the body too: a server that stalls mid-body times out like one that never answers
    res = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    text = await res.text();
  } catch (e) {
    const err = e as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError') return { retry: `no complete answer within ${timeoutMs / 1000} s`, retryAfterMs: null };
    const cause = err.cause?.code ?? err.cause?.message ?? err.message;
    return { retry: `the connection failed or the body was cut off (${cause})`, retryAfterMs: null };
  }
  const after = retryAfterMs(res.headers.get('retry-after'));
  if (res.status === 429) return { retry: 'HTTP 429 (rate limited)', retryAfterMs: after };
  if (res.status >= 500) return { retry: `HTTP ${res.status} (server error)`, retryAfterMs: after };
  if (res.status < 200 || res.status >= 300) return { done: { ok: false, status: res.status, body: text, retryAfterMs: after } };
  const parsed = parsePage(text);
  if ('problem' in parsed) return { retry: parsed.problem, retryAfterMs: null };
  return { done: { ok: true, page: parsed.page, text } };
}

/**
 * GETs until an answer that is not worth retrying, or the attempts run out (FetchError).
 * `what` names the request in messages ("OpenAI costs"); the URL carries no secret.
 */
export async function getPage(url: URL, headers: Record<string, string>, what: string, policy: RetryPolicy, onRetry: (n: RetryNotice) => void): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const a = await attemptOnce(url, headers, policy.timeoutMs);
    if ('done' in a) return a.done;
    if (attempt >= policy.maxAttempts) throw new FetchError(`${what}: gave up after ${attempt} attempts; the last: ${a.retry}`);
    if (a.retryAfterMs !== null && a.retryAfterMs > policy.maxRetryAfterMs) {
      throw new FetchError(`${what}: ${a.retry}, and the server asks to wait ${Math.ceil(a.retryAfterMs / 1000)} s; run again later with --resume`);
    }
    const waitMs = a.retryAfterMs ?? backoffMs(attempt, policy);
    onRetry({ attempt: attempt + 1, maxAttempts: policy.maxAttempts, waitMs, why: a.retry });
    await policy.sleep(waitMs);
  }
}
