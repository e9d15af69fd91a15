/**
 * Options of the payment ↔ card-line matching (the `matching` section of
 * spendrecon.config.json) and the reviewer overrides file (`--overrides`): zod schemas
 * with defaults, and parse functions that name the JSON path of a bad value.
 */
import { z } from 'zod';
import { Decimal } from '../../money.js';
import { DEFAULT_PROVIDER, provider, PROVIDERS, type ProviderId } from '../../providers.js';

// ---------------------------------------------------------------------------
// Configuration (the `matching` section of spendrecon.config.json)

// the top-level descriptor lists predate providers and always meant OpenAI's (the default provider's)
const DEFAULT_DESCRIPTOR_PATTERNS = provider(DEFAULT_PROVIDER).descriptorPatterns;
const DEFAULT_SUBSCRIPTION_PATTERNS = provider(DEFAULT_PROVIDER).subscriptionPatterns;
const DEFAULT_FEE_PATTERNS = [
  'FOREIGN TRANSACTION FEE',
  'FOREIGN TRANS* FEE',
  'INTL TRANSACTION FEE',
  'INTERNATIONAL TRANSACTION FEE',
  'FOREIGN EXCHANGE FEE',
  'FX FEE',
  'CROSS*BORDER FEE',
  'NON-STERLING TRANSACTION FEE',
  'CURRENCY CONVERSION FEE',
  '货币转换费',
  '境外交易手续费',
  '外币交易手续费',
  'AUSLANDSEINSATZENTGELT*',
  'AUSLANDSENTGELT*',
  'FREMDWÄHRUNGSENTGELT*',
  'FRAIS CB HORS ZONE EURO*',
  'COMMISSION CHANGE*',
  'FRAIS SUR PAIEMENT*DEVISE*',
];

/**
 * A descriptor pattern: `/regex/flags`, or a glob where `*` is any text and `?` one
 * character. Globs match anywhere in the description but only at word edges, so
 * `OPENAI` matches `OPENAI *API OPENAI.COM CA` and not `NOTOPENAIX`. Both are
 * case-insensitive and see the description with runs of spaces collapsed.
 */
export function compileDescriptorPattern(pattern: string): RegExp {
  const rx = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (rx) {
    const flags = rx[2]!.includes('i') ? rx[2]! : `${rx[2]}i`;
    return new RegExp(rx[1]!, flags.replace(/g|y/g, ''));
  }
  let body = '';
  for (const ch of pattern.trim().replace(/\s+/g, ' ')) {
    if (ch === '*') body += '.*';
    else if (ch === '?') body += '.';
    else if (ch === ' ') body += '\\s+';
    else body += /[.+^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`(?<![A-Za-z0-9])${body}(?![A-Za-z0-9])`, 'i');
}

const patternList = z.array(
  z
    .string()
    .min(1)
    .refine(
      (p) => {
        try {
          compileDescriptorPattern(p);
          return true;
        } catch {
          return false;
        }
      },
      { message: 'not a valid pattern (a glob such as "OPENAI *API" or a regular expression such as "/^OPENAI/")' },
    ),
);

// amounts and percentages arrive as JSON strings (exact) or numbers (converted through their text)
const decimalText = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const d = Decimal.parse(String(v));
  if (d === null || d.sign() < 0) {
    ctx.addIssue({ code: 'custom', message: `expected a non-negative decimal number such as "1.00", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return d;
});
const currencyCode = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'expected a 3-letter currency code such as "USD"')
  .transform((s) => s.toUpperCase());

/** `matching.providers.<id>`: one provider's card descriptors, replacing those of its description. */
const providerPatternsSchema = z
  .object({
    descriptorPatterns: patternList.min(1).optional(),
    subscriptionPatterns: patternList.optional(),
  })
  .strict();

/** Only known provider ids: a typo must not silently leave a provider's lines out. */
const providersSchema = z
  .object(Object.fromEntries(PROVIDERS.map((p) => [p.id, providerPatternsSchema.optional()])) as Record<ProviderId, z.ZodOptional<typeof providerPatternsSchema>>)
  .strict()
  .default(() => ({}));

export const matchingConfigSchema = z
  .object({
    /** Card lines whose description matches one of these belong to the default provider (OpenAI): the setting predates providers. */
    descriptorPatterns: patternList.default(() => [...DEFAULT_DESCRIPTOR_PATTERNS]),
    /** The default provider's lines that are a plan charge (ChatGPT), not API credit. */
    subscriptionPatterns: patternList.default(() => [...DEFAULT_SUBSCRIPTION_PATTERNS]),
    /** Per provider id: descriptor and plan patterns replacing its description's (for the default provider, replacing the two above). */
    providers: providersSchema,
    /** Bank fee lines that may belong to a foreign provider charge. */
    feePatterns: patternList.default(() => [...DEFAULT_FEE_PATTERNS]),
    /** Card date may be this many days before the payment's local date. */
    windowDaysBefore: z.number().int().min(0).max(31).default(1),
    /** ... and this many days after it. */
    windowDaysAfter: z.number().int().min(0).max(62).default(5),
    /** Across currencies: tolerance in percent of the converted amount ... */
    fxTolerancePercent: decimalText.default(Decimal.from('3')),
    /** ... plus this fixed allowance in the card's currency. */
    fxFeeAllowance: decimalText.default(Decimal.from('1.00')),
    /** Same currency: allowed difference (0 = exact). */
    sameCurrencyTolerance: decimalText.default(Decimal.ZERO),
    /** 1 `from` = `rate` `to`; used before rates derived from statement lines. */
    fxRates: z
      .array(z.object({ from: currencyCode, to: currencyCode, rate: decimalText }).strict())
      .default(() => [])
      .refine((rs) => rs.every((r) => !r.rate.isZero()), { message: 'an FX rate must be above zero' }),
    /** Cost of leaving a row unmatched; a pair is taken only when cheaper than two of these. */
    unmatchedCost: z.number().positive().max(100).default(1),
    amountWeight: z.number().min(0).max(10).default(1),
    dateWeight: z.number().min(0).max(10).default(1),
    textWeight: z.number().min(0).max(10).default(0.5),
    pendingPenalty: z.number().min(0).max(10).default(0.25),
    /** Extra cost of pairing a failed/void payment with a posted (not pending) line. */
    statusPenalty: z.number().min(0).max(10).default(0.5),
    /** Extra cost per additional member of a many-to-one group. */
    groupMemberPenalty: z.number().min(0).max(10).default(0.25),
    /** Largest many-to-one group (lines per payment or payments per line); 1 turns it off. */
    maxGroupSize: z.number().int().min(1).max(4).default(3),
    /** A reversal may follow its authorisation by this many days. */
    reversalWindowDays: z.number().int().min(0).max(60).default(10),
    /** A refund may follow its payment by this many days. */
    refundWindowDays: z.number().int().min(0).max(400).default(120),
    /** A fee line may follow its parent charge by this many days. */
    feeWindowDays: z.number().int().min(0).max(10).default(2),
  })
  .strict();

export type MatchingConfig = z.output<typeof matchingConfigSchema>;
/** Resolved options: the config section plus the statement's local time zone. */
export type MatchOptions = MatchingConfig & {
  /** Zone in which a payment instant becomes the statement-local date. */
  timezone: string;
};

export function defaultMatchOptions(timezone: string): MatchOptions {
  return { ...matchingConfigSchema.parse({}), timezone };
}

/** Validates the config section; errors name the JSON path (`matching.windowDaysAfter: ...`). */
export function parseMatchingConfig(raw: unknown, timezone: string, prefix = 'matching'): { ok: true; options: MatchOptions } | { ok: false; errors: string[] } {
  const res = matchingConfigSchema.safeParse(raw ?? {});
  if (!res.success) return { ok: false, errors: zodErrors(res.error, prefix) };
  const twice = twiceGiven(raw);
  if (twice.length) return { ok: false, errors: twice.map((k) => `${prefix}.providers.${DEFAULT_PROVIDER}.${k}: also given as ${prefix}.${k}; give one of them`) };
  return { ok: true, options: { ...res.data, timezone } };
}

/** The default provider's patterns given both at the top level and under `providers`: which one wins would be a guess. */
function twiceGiven(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const top = raw as Record<string, unknown>;
  const own = (top.providers as Record<string, Record<string, unknown> | undefined> | undefined)?.[DEFAULT_PROVIDER];
  return (['descriptorPatterns', 'subscriptionPatterns'] as const).filter((k) => top[k] !== undefined && own?.[k] !== undefined);
}

/** One provider's card patterns: for the default provider the top-level lists (unless `providers` names it), else its description's. */
export interface ProviderPatterns {
  id: ProviderId;
  descriptorPatterns: readonly string[];
  subscriptionPatterns: readonly string[];
}

export function providerPatterns(o: MatchingConfig): ProviderPatterns[] {
  return PROVIDERS.map((p) => {
    const own = o.providers[p.id];
    const isDefault = p.id === DEFAULT_PROVIDER;
    return {
      id: p.id,
      descriptorPatterns: own?.descriptorPatterns ?? (isDefault ? o.descriptorPatterns : p.descriptorPatterns),
      subscriptionPatterns: own?.subscriptionPatterns ?? (isDefault ? o.subscriptionPatterns : p.subscriptionPatterns),
    };
  });
}

function zodErrors(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${prefix}${path}: ${i.message}`;
  });
}

// ---------------------------------------------------------------------------
// Overrides file (`--overrides`)

const srcRefSchema = z.object({ file: z.string().min(1), line: z.number().int().positive() }).strict();
const paymentRefSchema = z.union([srcRefSchema, z.object({ reference: z.string().min(1) }).strict()], {
  error: 'expected {"file": "...", "line": N} or {"reference": "..."}',
});
const overridePairSchema = z.object({ payment: paymentRefSchema, card: srcRefSchema, note: z.string().optional() }).strict();

export const matchOverridesSchema = z
  .object({
    /** Pairs a reviewer confirmed: matched whatever the limits say. */
    force: z.array(overridePairSchema).default(() => []),
    /** Pairs a reviewer rejected: never matched. */
    forbid: z.array(overridePairSchema).default(() => []),
  })
  .strict();
export type MatchOverrides = z.output<typeof matchOverridesSchema>;
export type OverridePair = z.output<typeof overridePairSchema>;

/** Validates an overrides document already read from JSON (the CLI does the reading). */
export function parseMatchOverrides(raw: unknown, source = 'overrides'): { ok: true; overrides: MatchOverrides } | { ok: false; errors: string[] } {
  const res = matchOverridesSchema.safeParse(raw ?? {});
  if (!res.success) return { ok: false, errors: zodErrors(res.error, source) };
  return { ok: true, overrides: res.data };
}
