/**
 * spendrecon.config.json (SPEC §2.5): a zod schema in which every field has a default,
 * so the tool runs with no config at all. Errors name the JSON path of the bad value.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { Decimal } from './money.js';
import { DEFAULT_PROVIDER, PROVIDERS, providerFromText } from './providers.js';
import { isCalendarDate, isValidTimeZone, systemTimeZone } from './time.js';

/** A date that exists (`2026-02-30` does not): the price table and the ledger compare them as text. */
const calendarDate = () => z.string().refine(isCalendarDate, 'expected a real date YYYY-MM-DD');

const decimalText = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = Decimal.parse(String(v));
  if (d === null) {
    ctx.addIssue({ code: 'custom', message: `expected a decimal number such as "150.00", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return d;
});

/** A provider by id, name or alias (`"anthropic"`, `"Anthropic"`), stored as its id. */
const providerId = z.string().transform((v, ctx) => {
  const p = providerFromText(v);
  if (p === null) {
    ctx.addIssue({ code: 'custom', message: `expected a provider (${PROVIDERS.map((x) => `"${x.id}"`).join(', ')}), got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return p.id;
});

const openingBalanceSchema = z.object({
  amount: decimalText,
  date: calendarDate(),
  organization: z.string().optional(),
  expiresOn: calendarDate().optional(),
  /** Whose credit; default: the default provider (a config without it keeps meaning what it always meant). */
  provider: providerId.optional(),
});

/** One object or a list of them, read as a list; a bad value's message names its own path (a union would only say "Invalid input"). */
function oneOrList<T extends z.ZodType>(item: T) {
  return z.unknown().transform((v, ctx): z.output<T>[] => {
    const r = (Array.isArray(v) ? z.array(item) : item).safeParse(v);
    if (!r.success) {
      for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
      return z.NEVER;
    }
    return Array.isArray(v) ? (r.data as z.output<T>[]) : [r.data as z.output<T>];
  });
}

const timeZone = z.string().refine(isValidTimeZone, { message: 'expected an IANA time zone name such as "Europe/Berlin"' });
const currencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter currency code such as "USD"')
  .transform((s) => s.toUpperCase());

const priceVariant = z.object({
  input: decimalText,
  cachedInput: decimalText.optional(),
  /** 5-minute cache writes where the provider has two durations (Anthropic); defaults to the input price. */
  cacheWrite: decimalText.optional(),
  /** 1-hour cache writes (Anthropic); defaults to cacheWrite. */
  cacheWrite1h: decimalText.optional(),
  output: decimalText.optional(),
});

export const priceEntrySchema = z.object({
  model: z.string().min(1),
  effectiveFrom: calendarDate().default('1970-01-01'),
  effectiveTo: calendarDate().optional(),
  standard: priceVariant,
  batch: priceVariant.optional(),
  flex: priceVariant.optional(),
  priority: priceVariant.optional(),
  /** Requests over the long-context threshold (Anthropic: > 200k input tokens), standard tier. */
  longContext: priceVariant.optional(),
  note: z.string().optional(),
});
export type PriceEntryInput = z.input<typeof priceEntrySchema>;
export type PriceEntry = z.output<typeof priceEntrySchema>;

const projectSchema = z.object({
  /** Whose project (an OpenAI project, an Anthropic workspace); default: the default provider, as elsewhere. */
  provider: providerId.optional(),
  /** The project id when the entry's key is not it: two providers' projects of one id need two keys. */
  id: z.string().min(1).optional(),
  name: z.string().optional(),
  owner: z.string().optional(),
  costCenter: z.string().optional(),
  monthlyBudget: decimalText.optional(),
});

const apiKeySchema = z.object({
  name: z.string().optional(),
  owner: z.string().optional(),
  costCenter: z.string().optional(),
});

const cardholderSchema = z.object({
  name: z.string(),
  costCenter: z.string().optional(),
});

/** A project entry as the engine looks it up: by (provider, project id). */
export interface ConfiguredProject {
  /** The entry's key under `projects` (messages name it as the JSON path). */
  key: string;
  provider: string;
  projectId: string;
  name?: string;
  owner?: string;
  costCenter?: string;
  monthlyBudget?: Decimal;
}

type ProjectEntries = Readonly<Record<string, z.output<typeof projectSchema>>>;

/** Every `projects` entry with its provider and project id resolved. */
export function configuredProjects(projects: ProjectEntries): ConfiguredProject[] {
  return Object.entries(projects).map(([key, p]) => ({ ...p, key, provider: p.provider ?? DEFAULT_PROVIDER, projectId: p.id ?? key }));
}

/** Looks up the config's entry for one provider's project; undefined when it has none (the entry's provider must match). */
export function projectLookup(projects: ProjectEntries): (providerId: string, projectId: string) => ConfiguredProject | undefined {
  const byKey = new Map(configuredProjects(projects).map((p) => [`${p.provider}\u0000${p.projectId}`, p]));
  return (providerId, projectId) => byKey.get(`${providerId}\u0000${projectId}`);
}

/** `providers` is keyed by provider id: a typo would leave the names unmapped and the month counted twice. */
function knownProviderKeys(v: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const k of Object.keys(v)) {
    if (!PROVIDERS.some((p) => p.id === k))
      ctx.addIssue({ code: 'custom', path: [k], message: `expected a provider id (${PROVIDERS.map((x) => `"${x.id}"`).join(', ')}), got ${JSON.stringify(k)}` });
  }
}

/** Two entries for one (provider, project) would make one of them silently lose. */
function noProjectTwice(projects: ProjectEntries, ctx: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  for (const p of configuredProjects(projects)) {
    const k = `${p.provider}\u0000${p.projectId}`;
    const first = seen.get(k);
    if (first !== undefined) {
      ctx.addIssue({ code: 'custom', path: [p.key], message: `the same project as "${first}" (provider "${p.provider}", id "${p.projectId}"): give each project one entry` });
    } else seen.set(k, p.key);
  }
}

export const configSchema = z
  .object({
    /** Reporting time zone; default: the machine's. */
    timezone: timeZone.optional(),
    homeCurrency: currencyCode.default('USD'),
    /** Organisation ids in scope; empty = every organisation in the inputs. */
    organizations: z.array(z.string()).default([]),
    projects: z.record(z.string(), projectSchema).default({}).superRefine(noProjectTwice),
    apiKeys: z.record(z.string(), apiKeySchema).default({}),
    cardholders: z.record(z.string().regex(/^\d{4}$/, 'card last4 must be 4 digits'), cardholderSchema).default({}),
    /** User statement profiles, validated by the statement reader (SPEC §2.4). */
    statementProfiles: z.array(z.unknown()).default([]),
    /** Matching tolerances (SPEC §4.3), validated by the matching engine. */
    matching: z.record(z.string(), z.unknown()).default({}),
    crosscheck: z
      .object({
        /** A usage-vs-cost variance is flagged when beyond both of these. */
        tolerancePercent: decimalText.default(Decimal.from('10')),
        toleranceAbsolute: decimalText.default(Decimal.from('0.05')),
      })
      .default({ tolerancePercent: Decimal.from('10'), toleranceAbsolute: Decimal.from('0.05') }),
    prices: z.array(priceEntrySchema).default([]),
    /**
     * The prepaid balance at the start of `date` (SPEC §4.4); it never expires unless `expiresOn` is
     * given. A list gives one per provider and organisation.
     */
    openingBalance: oneOrList(openingBalanceSchema).optional(),
    /** The balance the provider's dashboard shows, checked against the ledger's closing balance. */
    closingBalance: z
      .object({
        amount: decimalText,
        date: calendarDate().optional(),
        organization: z.string().optional(),
        /** Whose dashboard; default: the only provider in the ledger, else the default provider. */
        provider: providerId.optional(),
      })
      .optional(),
    autoRechargeMonthlyLimit: decimalText.optional(),
    /**
     * Per provider id: the console's names of projects (Anthropic: workspaces) and API keys by the
     * ids its Admin API gives, `{"anthropic": {"projects": {"wrkspc_…": "Research"}, "apiKeys": {"apikey_…": "prod-backend"}}}`,
     * so a console export and an API export of the same month meet (and count once).
     */
    providers: z
      .record(z.string(), z.object({ projects: z.record(z.string(), z.string().min(1)).default({}), apiKeys: z.record(z.string(), z.string().min(1)).default({}) }).strict())
      .default({})
      .superRefine(knownProviderKeys),
    /** Months a purchased credit lot stays valid, for every provider; default: each provider's own (src/data/providers/). */
    creditValidityMonths: z.number().int().min(1).max(120).optional(),
  })
  .strict();

export type Config = z.output<typeof configSchema> & { timezone: string };

export class ConfigError extends Error {}

/** Formats zod issues as `path: message` lines. */
function describeZodIssues(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((i) => {
    const path = i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : '';
    return `${prefix}${path.replace(/^\./, '') || '(root)'}: ${i.message}`;
  });
}

export function parseConfig(raw: unknown, source = 'config', tzOverride?: string): Config {
  const res = configSchema.safeParse(raw ?? {});
  if (!res.success) {
    throw new ConfigError(`${source} is not valid:\n  ${describeZodIssues(res.error).join('\n  ')}`);
  }
  if (tzOverride !== undefined && !isValidTimeZone(tzOverride)) {
    throw new ConfigError(`--tz: "${tzOverride}" is not an IANA time zone name (for example "Asia/Shanghai")`);
  }
  return { ...res.data, timezone: tzOverride ?? res.data.timezone ?? systemTimeZone() };
}

export async function loadConfig(path: string | undefined, tzOverride?: string): Promise<Config> {
  if (!path) return parseConfig({}, 'config', tzOverride);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ConfigError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(raw, path, tzOverride);
}

export const CONFIG_TEMPLATE = {
  timezone: 'Asia/Shanghai',
  homeCurrency: 'CNY',
  // empty: every organisation's cost rows count; the README says how to narrow it
  organizations: [],
  projects: {
    proj_XXXXXXXXXXXXXXXXXXXXXXXX: { name: 'Support bot', owner: 'Team lead name', costCenter: 'CC-100', monthlyBudget: '500.00' },
  },
  apiKeys: { key_XXXXXXXXXXXXXXXX: { name: 'support-prod', owner: 'Owner name' } },
  cardholders: { '4242': { name: 'Cardholder name', costCenter: 'CC-100' } },
  crosscheck: { tolerancePercent: '10', toleranceAbsolute: '0.05' },
  prices: [],
};
