/**
 * The providers spendrecon knows, as data (src/data/providers/*.json): names, card
 * descriptors for API credit and for the consumer plans, the project dimension's name,
 * FOCUS names and credit validity. Readers stamp each record with its provider's id; the
 * engine and reports read names and texts from here, never from code. Adding a provider
 * is adding its JSON here and its readers under src/sources/ (README: "Adding a provider").
 */
import { z } from 'zod';
import anthropic from './data/providers/anthropic.json' with { type: 'json' };
import openai from './data/providers/openai.json' with { type: 'json' };

export const providerDescriptionSchema = z
  .object({
    /** Stable id: records, JSON output, config keys (`openai`, `anthropic`). */
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a lower-case id such as "openai"'),
    /** As people write it: sheet cells, messages. */
    name: z.string().min(1),
    /** Other spellings accepted in a payment history's `provider` column (case-insensitive). */
    aliases: z.array(z.string()).default([]),
    /** The metered API product (`OpenAI API`). */
    apiProduct: z.string().min(1),
    /** The consumer plans billed as subscriptions, never API credit (`ChatGPT`). */
    planProduct: z.string().min(1),
    /** What the provider calls a project (`project`; Anthropic: `workspace`). */
    projectDimension: z.string().min(1),
    /**
     * What a row with no project id means, where the provider says (Anthropic: its default workspace, which
     * exports leave unnamed); null where such a row simply has no project (an OpenAI export without grouping).
     */
    defaultProject: z.object({ id: z.string().nullable(), name: z.string().min(1) }).nullable(),
    /** Card lines whose description matches one of these belong to the provider (matching/config.ts syntax). */
    descriptorPatterns: z.array(z.string().min(1)).min(1),
    /** Those of its lines that are a plan charge, not API credit. */
    subscriptionPatterns: z.array(z.string().min(1)),
    focus: z.object({
      providerName: z.string(),
      publisherName: z.string(),
      invoiceIssuerName: z.string(),
      serviceName: z.string(),
      serviceCategory: z.string(),
    }),
    /** Purchased prepaid credit expires this many months after purchase. */
    creditExpiryMonths: z.number().int().min(1).max(120),
    about: z.string().optional(),
  })
  .strict();
export type ProviderDescription = z.infer<typeof providerDescriptionSchema>;
export type ProviderId = string;

/** The provider a file without a provider column means: spendrecon read only OpenAI's files before. */
export const DEFAULT_PROVIDER: ProviderId = 'openai';

const BUILTIN_JSON: unknown[] = [openai, anthropic];

const REGISTERED: ProviderDescription[] = BUILTIN_JSON.map((j) => providerDescriptionSchema.parse(j));

/** Every known provider, the built-in ones first (a list the registry grows; read it, never keep a copy). */
export const PROVIDERS: readonly ProviderDescription[] = REGISTERED;

const BY_ID = new Map(PROVIDERS.map((p) => [p.id, p]));

/**
 * Adds a provider description at run time (validated like the built-in JSON): for a test that
 * proves a third provider needs no code change, or an embedding program with its own provider.
 * A shipped provider is a JSON file in src/data/providers/ listed in BUILTIN_JSON instead. Register
 * before the first config is parsed: the `matching` schema lists the providers it knows when loaded.
 */
export function registerProvider(description: unknown): ProviderDescription {
  const p = providerDescriptionSchema.parse(description);
  if (BY_ID.has(p.id)) throw new Error(`provider "${p.id}" is already registered`);
  REGISTERED.push(p);
  BY_ID.set(p.id, p);
  return p;
}

/** The description of a known provider id; an unknown id is a programming error (readers stamp known ids). */
export function provider(id: ProviderId): ProviderDescription {
  const p = BY_ID.get(id);
  if (!p) throw new Error(`unknown provider id "${id}"`);
  return p;
}

/** A provider named in an input cell (id, name or alias, any case); null when none matches. */
export function providerFromText(text: string): ProviderDescription | null {
  const t = text.trim().toLowerCase();
  if (t === '') return null;
  return PROVIDERS.find((p) => p.id === t || p.name.toLowerCase() === t || p.aliases.some((a) => a.toLowerCase() === t)) ?? null;
}

/** Whether the rows name more than one provider (a provider column or name is then needed to tell them apart). */
export function providersMeetIn(rows: readonly { provider: string }[]): boolean {
  return rows.some((r) => r.provider !== rows[0]!.provider);
}

/** Display name of a provider id (unknown ids shown as they are, for robustness in texts). */
export function providerName(id: ProviderId): string {
  return BY_ID.get(id)?.name ?? id;
}
