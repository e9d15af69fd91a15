/**
 * What each provider's Admin API is asked, as data: endpoints, their parameters, page sizes,
 * how the key is sent, and how an error body reads. Sources: fixtures/api-pages/README.md.
 */
import type { EpochSeconds } from '../time.js';

export type ProviderId = 'openai' | 'anthropic';
export type UsageBucketWidth = '1d' | '1h';

/** The UTC range asked for: whole UTC days around the local period. */
export interface FetchRange {
  start: EpochSeconds;
  end: EpochSeconds;
  usageWidth: UsageBucketWidth;
}

export type QueryParams = [string, string][];

export interface EndpointPlan {
  provider: ProviderId;
  /** For progress lines and messages: `usage/completions`, `costs`. */
  name: string;
  path: string;
  params: QueryParams;
  file: string;
  /** A usage category the organisation may not use: with no results it gets no file. */
  optional: boolean;
  /** Asked instead when the API answers the first form with HTTP 400. */
  fallback?: { params: QueryParams; note: string };
}

export interface ProviderDescription {
  id: ProviderId;
  label: string;
  keyVariable: string;
  keyFileFlag: string;
  keyShape: string;
  baseUrl: string;
  headers(key: string): Record<string, string>;
  endpoints(range: FetchRange): EndpointPlan[];
}

/** One page per line, read by src/sources/anthropic-api-json.ts like OpenAI's pages. */
const ANTHROPIC_PAGE_EXTENSION = '.jsonl';

const day = (t: EpochSeconds) => new Date(t * 1000).toISOString().slice(0, 10);
const rangeLabel = (r: FetchRange) => `${day(r.start)}_${day(r.end - 1)}`;
const iso = (t: EpochSeconds) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

/** Buckets per page, the most each API allows for the width (OpenAI and Anthropic agree on usage). */
const USAGE_LIMIT: Record<UsageBucketWidth, number> = { '1d': 31, '1h': 168 };
const OPENAI_COSTS_LIMIT = 180;
const ANTHROPIC_COSTS_LIMIT = 31;

const OPENAI_USAGE_GROUPS: Record<string, string[]> = {
  completions: ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier'],
  embeddings: ['project_id', 'user_id', 'api_key_id', 'model'],
  moderations: ['project_id', 'user_id', 'api_key_id', 'model'],
  images: ['project_id', 'user_id', 'api_key_id', 'model', 'size', 'source'],
  audio_speeches: ['project_id', 'user_id', 'api_key_id', 'model'],
  audio_transcriptions: ['project_id', 'user_id', 'api_key_id', 'model'],
  vector_stores: ['project_id'],
  code_interpreter_sessions: ['project_id'],
};

function openAiEndpoints(r: FetchRange): EndpointPlan[] {
  const time: QueryParams = [
    ['start_time', String(r.start)],
    ['end_time', String(r.end)],
  ];
  const usage = Object.entries(OPENAI_USAGE_GROUPS).map(
    ([category, groups]): EndpointPlan => ({
      provider: 'openai',
      name: `usage/${category}`,
      path: `/v1/organization/usage/${category}`,
      params: [...time, ['bucket_width', r.usageWidth], ...groups.map((g): [string, string] => ['group_by', g]), ['limit', String(USAGE_LIMIT[r.usageWidth])]],
      file: `openai_usage_${category}_${rangeLabel(r)}_${r.usageWidth}.jsonl`,
      optional: category !== 'completions',
    }),
  );
  const costs = (groups: string[]): QueryParams => [
    ...time,
    ['bucket_width', '1d'],
    ...groups.map((g): [string, string] => ['group_by', g]),
    ['limit', String(OPENAI_COSTS_LIMIT)],
  ];
  return [
    ...usage,
    {
      provider: 'openai',
      name: 'costs',
      path: '/v1/organization/costs',
      // api_key_id is documented but has been seen to answer HTTP 400
      params: costs(['project_id', 'line_item', 'api_key_id']),
      fallback: {
        params: costs(['project_id', 'line_item']),
        note: 'costs grouped by project and line item only (the API refused group_by=api_key_id); report splits them over keys by usage',
      },
      file: `openai_costs_${rangeLabel(r)}.jsonl`,
      optional: false,
    },
  ];
}

function anthropicEndpoints(r: FetchRange): EndpointPlan[] {
  const time: QueryParams = [
    ['starting_at', iso(r.start)],
    ['ending_at', iso(r.end)],
  ];
  const groups = (g: string[]) => g.map((x): [string, string] => ['group_by[]', x]);
  return [
    {
      provider: 'anthropic',
      name: 'usage_report/messages',
      path: '/v1/organizations/usage_report/messages',
      params: [
        ...time,
        ['bucket_width', r.usageWidth],
        ...groups(['workspace_id', 'api_key_id', 'model', 'service_tier', 'context_window']),
        ['limit', String(USAGE_LIMIT[r.usageWidth])],
      ],
      file: `anthropic_usage_report_messages_${rangeLabel(r)}_${r.usageWidth}${ANTHROPIC_PAGE_EXTENSION}`,
      optional: false,
    },
    {
      provider: 'anthropic',
      name: 'cost_report',
      path: '/v1/organizations/cost_report',
      params: [...time, ['bucket_width', '1d'], ...groups(['workspace_id', 'description']), ['limit', String(ANTHROPIC_COSTS_LIMIT)]],
      file: `anthropic_cost_report_${rangeLabel(r)}${ANTHROPIC_PAGE_EXTENSION}`,
      optional: false,
    },
  ];
}

export const PROVIDERS: Record<ProviderId, ProviderDescription> = {
  openai: {
    id: 'openai',
    label: 'OpenAI',
    keyVariable: 'OPENAI_ADMIN_KEY',
    keyFileFlag: '--openai-key-file',
    keyShape: 'an Admin key (sk-admin-…)',
    baseUrl: 'https://api.openai.com',
    headers: (key) => ({ authorization: `Bearer ${key}`, accept: 'application/json' }),
    endpoints: openAiEndpoints,
  },
  anthropic: {
    id: 'anthropic',
    label: 'Anthropic',
    keyVariable: 'ANTHROPIC_ADMIN_KEY',
    keyFileFlag: '--anthropic-key-file',
    keyShape: 'an Admin key (sk-ant-admin…)',
    baseUrl: 'https://api.anthropic.com',
    headers: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01', accept: 'application/json' }),
    endpoints: anthropicEndpoints,
  },
};

/**
 * The provider's own words from an error body: OpenAI `{"error": {"message", "code"}}`,
 * Anthropic `{"type": "error", "error": {"type", "message"}}`; the raw start of anything else.
 */
export function providerErrorText(body: string): string {
  try {
    const e = (JSON.parse(body) as { error?: { message?: unknown; code?: unknown; type?: unknown } }).error;
    if (e && typeof e.message === 'string') {
      const kind = typeof e.code === 'string' ? e.code : typeof e.type === 'string' ? e.type : null;
      return kind ? `${e.message} (${kind})` : e.message;
    }
  } catch {
    // not JSON: shown as text below
  }
  const t = body.replace(/\s+/g, ' ').trim();
  return t === '' ? 'an empty body' : t.length > 200 ? `${t.slice(0, 200)}…` : t;
}
