/**
 * Random months of usage and cost exports in the real 2026 CSV layouts (SPEC §2.1, §2.2),
 * with an oracle: what each local day must be billed, computed here independently of
 * src/ (date-fns-tz directly, plain BigInt arithmetic), for the conservation property test.
 *
 * Keys have usage hours in the reporting zone (a nightly batch key 00:00–02:59, office hours,
 * round the clock); each UTC day × project × model has one daily cost row whose amount the
 * usage explains; some days bill a model nobody used (unallocated) and one line item names
 * no model. Input tokens only, so list-price weights are proportional to input tokens.
 */
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { prng } from '../helpers.js';

export const USAGE_HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,compute_units,input_tokens,output_tokens,input_cached_tokens,input_cache_write_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';
export const COST_HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,organization_name,user_email';

const HOUR = 3600;
const DAY = 86400;
const MODEL = 'gpt-4o-mini-2024-07-18';

/** Amounts are integers of nano-dollars here (9 decimals, as the exports write them). */
const SCALE = 1_000_000_000n;

export interface UsageHour {
  start: number;
  project: string;
  key: string;
  tokens: number;
}

export interface CostBucket {
  start: number;
  project: string;
  model: string | null;
  lineItem: string;
  nanos: bigint;
}

export interface GeneratedMonth {
  zone: string;
  month: string;
  usageCsv: string;
  costCsv: string;
  usage: UsageHour[];
  costs: CostBucket[];
}

type Pattern = (localHour: number) => boolean;
const PATTERNS: Pattern[] = [(h) => h < 3, (h) => h >= 9 && h < 18, () => true, (h) => h >= 20 || h < 1];

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', '+00:00');
const money = (n: bigint) => `${n / SCALE}.${(n % SCALE).toString().padStart(9, '0')}`;

/** The local date an instant interval is placed on: the date of its midpoint (SPEC §3). */
function localDateOfMidpoint(start: number, end: number, zone: string): string {
  return formatInTimeZone(new Date(((start + end) / 2) * 1000), zone, 'yyyy-MM-dd');
}

export function generateMonth(seed: number, zone: string, month: string): GeneratedMonth {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const projects = ['proj_alpha', 'proj_beta', 'proj_gamma'].slice(0, 1 + Math.floor(rnd() * 3));
  const keys = projects.flatMap((p, i) => Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => ({ project: p, key: `key_${i}${k}`, pattern: pick(PATTERNS) })));
  // the UTC days whose buckets can touch the local month: one day either side
  const first = fromZonedTime(`${month}-01T00:00:00`, zone).getTime() / 1000;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
  const last = fromZonedTime(`${next}-01T00:00:00`, zone).getTime() / 1000;
  const dayFrom = Math.floor(first / DAY) - 1;
  const dayTo = Math.floor(last / DAY) + 1;

  const usage: UsageHour[] = [];
  const costs: CostBucket[] = [];
  for (let d = dayFrom; d <= dayTo; d++) {
    const unusedDay = rnd() < 0.08;
    for (const p of projects) {
      if (!unusedDay) {
        for (const k of keys.filter((x) => x.project === p)) {
          for (let h = 0; h < 24; h++) {
            const start = d * DAY + h * HOUR;
            const localHour = Number(formatInTimeZone(new Date((start + HOUR / 2) * 1000), zone, 'H'));
            if (k.pattern(localHour) && rnd() < 0.85) usage.push({ start, project: p, key: k.key, tokens: 1 + Math.floor(rnd() * 50_000) });
          }
        }
      }
      costs.push({ start: d * DAY, project: p, model: MODEL, lineItem: `${MODEL}, input`, nanos: BigInt(1 + Math.floor(rnd() * 9_000_000_000)) });
      if (rnd() < 0.2) costs.push({ start: d * DAY, project: p, model: null, lineItem: 'web search tool calls', nanos: BigInt(Math.floor(rnd() * 500_000_000)) });
    }
  }
  const usageCsv = [
    USAGE_HEADER,
    ...usage.map(
      (u) =>
        `${u.start},${u.start + HOUR},${iso(u.start)},${iso(u.start + HOUR)},${u.project},3,,${u.key},${MODEL},False,default,,${u.tokens},0,0,0,${u.tokens},${u.tokens},0,0,0,0,0,0,0,0`,
    ),
  ].join('\n');
  const costCsv = [
    COST_HEADER,
    ...costs.map(
      (c) => `${c.start},${c.start + DAY},${iso(c.start)},${iso(c.start + DAY)},${money(c.nanos)},usd,,,"${c.lineItem}",,,${c.project},org-gen,${c.project} name,Gen org,`,
    ),
  ].join('\n');
  return { zone, month, usageCsv: `${usageCsv}\n`, costCsv: `${costCsv}\n`, usage, costs };
}

export interface Expectation {
  /** Billed per local date in the period, as exact rationals (numerator/denominator as nanos). */
  perDate: Map<string, { num: bigint; den: bigint }>;
  /** Money of the cost rows the run uses (bucket in the period by the rule in force). */
  usedNanos: bigint;
}

/**
 * What every local date must be billed: per cost bucket, its amount spread over the hours of
 * usage behind it (same project and model) by tokens — each hour on its own local date with
 * --split-days, the whole bucket on its midpoint's date without; buckets with no usage, and
 * line items without a model, on the bucket's midpoint date.
 */
export function expectedBilling(g: GeneratedMonth, splitDays: boolean, period: { from: string; to: string; utcStart: number; utcEnd: number }): Expectation {
  const perDate = new Map<string, { num: bigint; den: bigint }>();
  const addTo = (date: string, num: bigint, den: bigint) => {
    if (date < period.from || date > period.to) return;
    const cur = perDate.get(date) ?? { num: 0n, den: 1n };
    perDate.set(date, { num: cur.num * den + num * cur.den, den: cur.den * den });
  };
  let usedNanos = 0n;
  for (const c of g.costs) {
    const inPeriod = splitDays ? c.start < period.utcEnd && c.start + DAY > period.utcStart : inside(localDateOfMidpoint(c.start, c.start + DAY, g.zone), period);
    if (!inPeriod) continue;
    usedNanos += c.nanos;
    const hours = c.model ? g.usage.filter((u) => u.project === c.project && u.start >= c.start && u.start < c.start + DAY) : [];
    const total = BigInt(hours.reduce((s, u) => s + u.tokens, 0));
    if (!splitDays || hours.length === 0) {
      addTo(localDateOfMidpoint(c.start, c.start + DAY, g.zone), c.nanos, 1n);
      continue;
    }
    for (const u of hours) addTo(localDateOfMidpoint(u.start, u.start + HOUR, g.zone), c.nanos * BigInt(u.tokens), total);
  }
  return { perDate, usedNanos };
}

const inside = (d: string, p: { from: string; to: string }) => d >= p.from && d <= p.to;

/** An exact rational in nanos as a decimal number of dollars (for comparison within a tolerance). */
export function dollars(r: { num: bigint; den: bigint }): number {
  return Number((r.num * 1_000_000n) / r.den) / 1e15;
}

export { money as nanosToText };
