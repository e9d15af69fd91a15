/**
 * The folder's record of what was fetched: enough to tell, offline, which query produced
 * each file, when, and whether the file is still the one that came (its SHA-256). No key.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../output-files.js';
import type { ProviderId, QueryParams } from './providers.js';

/**
 * Not `.json`: a folder scan reads .json files as exports, and one it cannot recognise is an
 * error on `report`'s Exceptions sheet. `.txt` is skipped by the scan.
 */
export const MANIFEST_FILE = 'fetch-manifest.txt';

export interface ManifestEntry {
  provider: ProviderId;
  endpoint: string;
  baseUrl: string;
  params: Record<string, string | string[]>;
  /** null when nothing was kept (an unused usage category, or a failure). */
  file: string | null;
  status: 'complete' | 'empty' | 'failed';
  pages: number;
  buckets: number;
  results: number;
  fetchedAt: string;
  finishedAt: string;
  sha256?: string;
  bytes?: number;
  note?: string;
  error?: string;
}

export interface Manifest {
  tool: 'spendrecon fetch';
  manifestVersion: 1;
  period: { from: string; to: string; timezone: string };
  utcRange: { start: string; end: string };
  usageBucketWidth: string;
  complete: boolean;
  entries: ManifestEntry[];
}

/** Repeated keys (`group_by`) become arrays, so the manifest reads like the query. */
export function paramsObject(params: QueryParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

export async function writeManifest(dir: string, m: Manifest): Promise<void> {
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(m, null, 2)}\n`);
}

/** The manifest an earlier run left, or null (none, or not one this program wrote). */
export async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    return m.tool === 'spendrecon fetch' && Array.isArray(m.entries) ? m : null;
  } catch {
    return null;
  }
}
