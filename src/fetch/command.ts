/**
 * The fetch command between the flags and runFetch: the period, the keys (environment or a
 * named file, never echoed), the base URL check, and the exit code.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFsError } from '../fs-errors.js';
import { makePeriod, monthPeriod, type Period } from '../time.js';
import { FetchError, runFetch, withoutKey } from './index.js';
import { PROVIDERS, type ProviderId, type UsageBucketWidth } from './providers.js';

export interface FetchCommandOptions {
  period?: string;
  since?: string;
  until?: string;
  out: string;
  bucketWidth: UsageBucketWidth;
  splitDays?: boolean;
  resume?: boolean;
  openaiKeyFile?: string;
  anthropicKeyFile?: string;
  baseUrl?: string;
  timeout?: string;
}

/** A key as sent in a header: no spaces, line breaks or controls (they would corrupt it, or add a header). */
function checkedKey(key: string, from: string): string {
  const k = key.trim();
  if (k === '') throw new FetchError(`${from} is empty`);
  if (/[\s\u0000-\u001f\u007f]/.test(k)) throw new FetchError(`${from} holds spaces, line breaks or control characters inside the key; it must hold the key alone`);
  return k;
}

/** Each provider's key: the named file wins over the environment; the text never reaches a message. */
export async function resolveKeys(env: NodeJS.ProcessEnv, files: Partial<Record<ProviderId, string>>, cwd: string): Promise<Partial<Record<ProviderId, string>>> {
  const keys: Partial<Record<ProviderId, string>> = {};
  for (const p of Object.values(PROVIDERS)) {
    const file = files[p.id];
    if (file) {
      const text = await readFile(resolve(cwd, file), 'utf8').catch((e: unknown) => {
        throw new FetchError(`${p.keyFileFlag} ${file}: cannot read it: ${describeFsError(e)}`);
      });
      keys[p.id] = checkedKey(text, `${p.keyFileFlag} ${file}`);
    } else if (env[p.keyVariable] !== undefined && env[p.keyVariable] !== '') keys[p.id] = checkedKey(env[p.keyVariable]!, p.keyVariable);
  }
  if (!keys.openai && !keys.anthropic) {
    const how = Object.values(PROVIDERS)
      .map((p) => `${p.keyVariable} (or ${p.keyFileFlag} FILE)`)
      .join(' and/or ');
    throw new FetchError(`no provider key: set ${how} to the organisation's Admin key`);
  }
  return keys;
}

function fetchPeriod(o: FetchCommandOptions, tz: string): Period {
  if (o.period) return monthPeriod(o.period, tz);
  if (o.since && o.until) return makePeriod(o.since, o.until, tz);
  throw new FetchError('fetch needs --period YYYY-MM, or --since and --until');
}

/** Only a server on this machine: the flag is for replaying pages in tests, and the key must never go astray. */
function checkedBaseUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FetchError(`--base-url: expected a URL such as http://127.0.0.1:8080, got "${text}"`);
  }
  if (!/^https?:$/.test(url.protocol) || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw new FetchError(`--base-url: only a local test server (http://127.0.0.1:PORT) is allowed, got "${text}"`);
  }
  return url.origin;
}

function timeoutMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const s = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || s <= 0) throw new FetchError(`--timeout: expected seconds, a positive number, got "${text}"`);
  return s * 1000;
}

/** Runs the fetch; 0 when every provider finished, 2 (with the reasons on stderr) when one did not. */
export async function fetchCommand(o: FetchCommandOptions, tz: string, cwd: string, stderr: { write(s: string): unknown }): Promise<number> {
  let keys: Partial<Record<ProviderId, string>> = {};
  try {
    keys = await resolveKeys(process.env, { openai: o.openaiKeyFile, anthropic: o.anthropicKeyFile }, cwd);
    const period = fetchPeriod(o, tz);
    const ms = timeoutMs(o.timeout);
    const summary = await runFetch({
      period,
      outDir: resolve(cwd, o.out),
      usageWidth: o.splitDays ? '1h' : o.bucketWidth,
      resume: !!o.resume,
      keys,
      baseUrl: checkedBaseUrl(o.baseUrl),
      policy: ms ? { timeoutMs: ms } : {},
      log: (line) => stderr.write(`${line}\n`),
    });
    for (const f of summary.failures) stderr.write(`spendrecon: ${f}\n`);
    if (summary.failures.length) stderr.write('spendrecon: the pages fetched so far are kept in hidden .partial files; run again with --resume to continue\n');
    return summary.failures.length ? 2 : 0;
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    const all = Object.values(keys).reduce<string>((t, k) => withoutKey(t, k!), e.message);
    stderr.write(`spendrecon: ${all}\n`);
    return 2;
  }
}
