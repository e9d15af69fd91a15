/**
 * `spendrecon fetch`: each provider whose key is set, each endpoint, every page to the end,
 * saved as it came (one page per line) beside a manifest. Sequential on purpose: the admin
 * APIs rate-limit per organisation, and one request at a time keeps well under the limits.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from '../fs-errors.js';
import { redactSecrets } from '../redact.js';
import type { Period } from '../time.js';
import { DEFAULT_RETRY_POLICY, FetchError, getPage, type RetryPolicy } from './http.js';
import { compactJson, countPage, nextPageOf } from './json-text.js';
import { paramsObject, readManifest, writeManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { PageFile, type PagesSoFar } from './page-file.js';
import { PROVIDERS, providerErrorText, type EndpointPlan, type FetchRange, type ProviderDescription, type ProviderId, type UsageBucketWidth } from './providers.js';

export { FetchError } from './http.js';

export interface FetchOptions {
  period: Period;
  outDir: string;
  usageWidth: UsageBucketWidth;
  resume: boolean;
  keys: Partial<Record<ProviderId, string>>;
  /** Replaces every provider's base URL: for a local test server only. */
  baseUrl?: string;
  policy?: Partial<RetryPolicy>;
  now?: () => Date;
  /** One line of progress (stderr in the CLI). */
  log: (line: string) => void;
}

export interface FetchSummary {
  manifest: Manifest;
  /** One message per provider that did not finish. */
  failures: string[];
}

const DAY = 86_400;

/**
 * Whole UTC days around the local period: every daily bucket that overlaps it, which is what
 * the midpoint rule may place in it and what --split-days cuts at the edges.
 */
export function fetchRange(period: Period, usageWidth: UsageBucketWidth): FetchRange {
  return { start: Math.floor(period.utcStart / DAY) * DAY, end: Math.ceil(period.utcEnd / DAY) * DAY, usageWidth };
}

/** Text from a provider or the system with the key taken out, whatever shape it has. */
export function withoutKey(text: string, key: string): string {
  return redactSecrets(key ? text.split(key).join('[the key]') : text);
}

interface Run {
  o: FetchOptions;
  policy: RetryPolicy;
  now: () => Date;
  previous: Manifest | null;
}

function refusalMessage(p: ProviderDescription, plan: EndpointPlan, status: number, body: string): string {
  const said = providerErrorText(body);
  const where = `${p.label} ${plan.name}`;
  if (status === 401)
    return `${where}: the Admin API refused the key (HTTP 401: ${said}); set ${p.keyVariable} to ${p.keyShape} of the organisation, or name a file holding one with ${p.keyFileFlag}`;
  if (status === 403)
    return `${where}: the key may not read usage and costs (HTTP 403: ${said}); ${p.keyVariable} must be ${p.keyShape} with access to the organisation's usage and costs`;
  return `${where}: HTTP ${status}: ${said}`;
}

function pageUrl(base: string, plan: EndpointPlan, params: [string, string][], cursor: string | null): URL {
  const url = new URL(plan.path, base);
  for (const [k, v] of params) url.searchParams.append(k, v);
  if (cursor !== null) url.searchParams.set('page', cursor);
  return url;
}

/** With --resume, a file the last manifest lists as complete, for the same query, unchanged. */
async function alreadyComplete(run: Run, plan: EndpointPlan, base: string): Promise<ManifestEntry | null> {
  if (!run.o.resume || !run.previous) return null;
  const queries = [plan.params, ...(plan.fallback ? [plan.fallback.params] : [])].map((q) => JSON.stringify(paramsObject(q)));
  const e = run.previous.entries.find((x) => x.provider === plan.provider && x.endpoint === plan.path && x.baseUrl === base && queries.includes(JSON.stringify(x.params)));
  if (!e || (e.status !== 'complete' && e.status !== 'empty')) return null;
  if (e.status === 'empty') return e;
  const data = await readFile(join(run.o.outDir, e.file!)).catch(() => null);
  return data && createHash('sha256').update(data).digest('hex') === e.sha256 ? e : null;
}

/** Pages until has_more is false, appended as they come; the fallback query on a 400 to the first. */
async function fetchPages(run: Run, p: ProviderDescription, plan: EndpointPlan, key: string, base: string): Promise<{ file: PageFile; so: PagesSoFar; note?: string }> {
  const queries = [plan.params, ...(plan.fallback ? [plan.fallback.params] : [])];
  let file = await PageFile.open(run.o.outDir, plan.file, queries, run.o.resume);
  const so: PagesSoFar = file.resumedFrom ? { ...file.resumedFrom } : { pages: 0, buckets: 0, results: 0, cursor: null };
  let note = file.params === plan.fallback?.params ? plan.fallback.note : undefined;
  if (file.resumedFrom) run.o.log(`${p.label} ${plan.name}: resuming after page ${so.pages}`);
  if (file.resumedFrom && so.cursor === null) return { file, so, note }; // the last page was already in
  const seen = new Set<string>();
  try {
    for (;;) {
      const url = pageUrl(base, plan, file.params, so.cursor);
      const answer = await getPage(url, p.headers(key), `${p.label} ${plan.name}`, run.policy, (n) =>
        run.o.log(`${p.label} ${plan.name}: ${withoutKey(n.why, key)}; retrying in ${(n.waitMs / 1000).toFixed(1)} s (attempt ${n.attempt} of ${n.maxAttempts})`),
      );
      if (!answer.ok) {
        if (answer.status === 400 && plan.fallback && file.params !== plan.fallback.params && so.pages === 0) {
          note = `${plan.fallback.note}; the API said: ${providerErrorText(answer.body)}`;
          run.o.log(`${p.label} ${plan.name}: ${withoutKey(note, key)}`);
          await file.discard();
          file = await PageFile.open(run.o.outDir, plan.file, [plan.fallback.params], false);
          continue;
        }
        throw new FetchError(refusalMessage(p, plan, answer.status, answer.body));
      }
      await file.append(compactJson(answer.text));
      const c = countPage(answer.page);
      so.pages++;
      so.buckets += c.buckets;
      so.results += c.results;
      const next = nextPageOf(answer.page);
      if ('problem' in next) throw new FetchError(`${p.label} ${plan.name}: page ${so.pages}: ${next.problem}`);
      if (next.cursor === null) return { file, so, note };
      if (seen.has(next.cursor)) throw new FetchError(`${p.label} ${plan.name}: page ${so.pages} points back to a page already fetched; stopped to avoid a loop`);
      seen.add(next.cursor);
      so.cursor = next.cursor;
    }
  } catch (e) {
    await file.leave();
    throw e;
  }
}

async function fetchEndpoint(run: Run, p: ProviderDescription, plan: EndpointPlan, key: string): Promise<ManifestEntry> {
  const base = run.o.baseUrl ?? p.baseUrl;
  const done = await alreadyComplete(run, plan, base);
  if (done) {
    run.o.log(`${p.label} ${plan.name}: already complete (${done.file ?? 'no usage'}), kept`);
    return done;
  }
  const fetchedAt = run.now().toISOString();
  const { file, so, note } = await fetchPages(run, p, plan, key, base);
  const entry: ManifestEntry = {
    provider: p.id,
    endpoint: plan.path,
    baseUrl: base,
    params: paramsObject(file.params),
    file: plan.file,
    status: 'complete',
    pages: so.pages,
    buckets: so.buckets,
    results: so.results,
    fetchedAt,
    finishedAt: '',
    ...(note ? { note: withoutKey(note, key) } : {}),
  };
  const counted = `${so.pages} page${so.pages === 1 ? '' : 's'}, ${so.buckets} buckets, ${so.results} results`;
  if (plan.optional && so.results === 0) {
    await file.discard();
    run.o.log(`${p.label} ${plan.name}: ${counted}: not used in the range, no file`);
    return { ...entry, file: null, status: 'empty', finishedAt: run.now().toISOString() };
  }
  const { sha256, bytes } = await file.commit();
  run.o.log(`${p.label} ${plan.name}: ${counted} → ${plan.file}`);
  return { ...entry, sha256, bytes, finishedAt: run.now().toISOString() };
}

/** Every endpoint of one provider; the first failure stops that provider (its partial file stays). */
async function fetchProvider(run: Run, p: ProviderDescription, key: string, range: FetchRange, entries: ManifestEntry[]): Promise<string | null> {
  for (const plan of p.endpoints(range)) {
    try {
      entries.push(await fetchEndpoint(run, p, plan, key));
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      const message = withoutKey(e.message, key);
      const now = run.now().toISOString();
      entries.push({
        provider: p.id,
        endpoint: plan.path,
        baseUrl: run.o.baseUrl ?? p.baseUrl,
        params: paramsObject(plan.params),
        file: null,
        status: 'failed',
        pages: 0,
        buckets: 0,
        results: 0,
        fetchedAt: now,
        finishedAt: now,
        error: message,
      });
      return message;
    }
  }
  return null;
}

export async function runFetch(o: FetchOptions): Promise<FetchSummary> {
  const run: Run = { o, policy: { ...DEFAULT_RETRY_POLICY, ...o.policy }, now: o.now ?? (() => new Date()), previous: null };
  try {
    await mkdir(o.outDir, { recursive: true });
  } catch (e) {
    throw new FetchError(`cannot create ${o.outDir}: ${describeFsError(e)}`);
  }
  run.previous = o.resume ? await readManifest(o.outDir) : null;
  const range = fetchRange(o.period, o.usageWidth);
  const entries: ManifestEntry[] = [];
  const failures: string[] = [];
  for (const id of ['openai', 'anthropic'] as const) {
    const key = o.keys[id];
    if (!key) continue;
    const failed = await fetchProvider(run, PROVIDERS[id], key, range, entries);
    if (failed) failures.push(failed);
  }
  const manifest: Manifest = {
    tool: 'spendrecon fetch',
    manifestVersion: 1,
    period: { from: o.period.from, to: o.period.to, timezone: o.period.timezone },
    utcRange: { start: new Date(range.start * 1000).toISOString(), end: new Date(range.end * 1000).toISOString() },
    usageBucketWidth: o.usageWidth,
    complete: failures.length === 0,
    entries,
  };
  await writeManifest(o.outDir, manifest);
  return { manifest, failures };
}
