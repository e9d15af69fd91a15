/**
 * One provider, two spellings of the same thing: a console export names projects (Anthropic:
 * workspaces) and API keys, its Admin API gives ids. With the config's `providers.<id>` names
 * (id → name), a record's names become the API's ids, so both exports meet in dedupe and attribution.
 */
import type { CostRecord, UsageRecord } from '../model.js';

export interface ProviderNames {
  projects: Readonly<Record<string, string>>;
  apiKeys: Readonly<Record<string, string>>;
}

/** name → id, per provider; a name given to two ids is ambiguous and left as it is. */
export interface IdentityMap {
  projects: Map<string, string>;
  apiKeys: Map<string, string>;
}

function invert(byId: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  const twice = new Set<string>();
  for (const [id, name] of Object.entries(byId)) {
    if (out.has(name)) twice.add(name);
    out.set(name, id);
  }
  for (const n of twice) out.delete(n);
  return out;
}

export function identityMaps(config: Readonly<Record<string, ProviderNames>>): Map<string, IdentityMap> {
  return new Map(Object.entries(config).map(([p, n]) => [p, { projects: invert(n.projects), apiKeys: invert(n.apiKeys) }]));
}

/** The record with its console names replaced by ids (the name kept as the project's name); unchanged when nothing maps. */
export function withApiIds<R extends UsageRecord | CostRecord>(r: R, maps: ReadonlyMap<string, IdentityMap>): R {
  const m = maps.get(r.provider);
  if (!m) return r;
  const projectId = r.projectId === null ? undefined : m.projects.get(r.projectId);
  const apiKeyId = r.apiKeyId === null ? undefined : m.apiKeys.get(r.apiKeyId);
  if (projectId === undefined && apiKeyId === undefined) return r;
  const out = { ...r };
  if (projectId !== undefined) {
    if ('projectName' in out && out.projectName === null) out.projectName = r.projectId;
    out.projectId = projectId;
  }
  if (apiKeyId !== undefined) out.apiKeyId = apiKeyId;
  return out;
}
