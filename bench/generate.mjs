#!/usr/bin/env node
// @ts-check
/**
 * Deterministic generator of realistic OpenAI exports for the benchmark (SPEC §8).
 *
 *   node bench/generate.mjs --rows 1000000 --out bench/data/1m [--seed 20261101] [--days 31]
 *
 * Writes, into --out:
 *   completions_usage_<from>_<to>.csv   the 2026 usage header (SPEC §2.1), 1-MINUTE buckets,
 *                                       exactly --rows data rows (empty buckets included)
 *   cost_<from>_<to>.csv                the 2026 cost header (SPEC §2.2), daily buckets, whose
 *                                       amounts are the list price of that UTC day's usage per
 *                                       project × model × tier × token kind (exact decimals)
 *   manifest.json                       what was generated (seed, sizes, sha256) and the
 *                                       generator's own truth (billed totals, token totals)
 *
 * The world: 12 projects in several home time zones, 60 API keys (some owned by one user,
 * some shared by a team, some service accounts with an empty user_id), 40 users, the models
 * of src/data/prices.json as dated snapshots, default/batch/flex/priority tiers, prompt
 * caching, cache writes on the gpt-5 family, some image input. Activity follows each
 * project's local business hours and weekdays; a few minutes are empty buckets (only the four
 * time columns). Counts are written as floats (`31422.0`), batch as `True`/`False` (upper
 * case on three days, as real exports sometimes do).
 *
 * Deterministic: one seeded PRNG (sfc32) consumed in a fixed order, integer arithmetic for
 * every written number, a price snapshot kept in this file (a warning is printed when
 * src/data/prices.json disagrees). Same seed and size give the same bytes.
 *
 * Streaming: rows are appended to ~1 MiB string chunks that are written with backpressure
 * (`write()` false → wait for 'drain'); no file is ever built in memory. Per-minute row
 * counts (one Int32Array entry per minute) and the cost sums of the current day are the only
 * state. Files are written under temporary names and renamed when complete; the manifest is
 * written last, so a manifest means a complete data set.
 */
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20261101;
const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------
// arguments

export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(String(text).trim());
  if (!m) throw new Error(`bad size "${text}" (expected e.g. 100k, 1m, 5m, 250000)`);
  const mult = { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()];
  return Math.round(Number(m[1]) * mult);
}

function parseArgs(argv) {
  /** @type {{ rows: number | null, out: string | null, seed: number, days: number | null, start: string, quiet: boolean }} */
  const o = { rows: null, out: null, seed: DEFAULT_SEED, days: null, start: '2026-10-01', quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--rows') o.rows = parseSize(v());
    else if (a === '--out') o.out = v();
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--days') o.days = Number(v());
    else if (a === '--start') o.start = v();
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node bench/generate.mjs --rows 1000000 --out bench/data/1m [--seed N] [--days 31] [--start 2026-10-01]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!o.rows || o.rows < 1) throw new Error('--rows N is required (e.g. 100k, 1m, 5m)');
  if (!o.out) throw new Error('--out DIR is required');
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be an integer');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(o.start)) throw new Error('--start must be YYYY-MM-DD');
  return { ...o, rows: o.rows, out: o.out }; // the checks above narrow rows and out
}

// ---------------------------------------------------------------------------------------
// PRNG: sfc32 seeded through splitmix32; every draw in a fixed order

function makeRng(seed) {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 16; i++) next();
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** standard normal (Box–Muller, one value per call) */
    normal: () => {
      const u = 1 - next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
    },
    lognormal: (mu, sigma) => Math.exp(mu + sigma * rng.normal()),
    id: (n) => {
      const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
      let out = '';
      for (let i = 0; i < n; i++) out += ALNUM[Math.floor(next() * ALNUM.length)];
      return out;
    },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------
// price snapshot (src/data/prices.json version 2026-11-01), USD per 1M tokens:
// [input, cachedInput, output, cacheWrite] per variant

const PRICE_TABLE_VERSION = '2026-11-01';
const PRICES = {
  'gpt-5': {
    standard: ['1.25', '0.125', '10.00', '1.25'],
    batch: ['0.625', '0.0625', '5.00', '0.625'],
    flex: ['0.625', '0.0625', '5.00', '0.625'],
    priority: ['2.50', '0.25', '20.00', '2.50'],
  },
  'gpt-5.1': {
    standard: ['1.25', '0.125', '10.00', '1.25'],
    batch: ['0.625', '0.0625', '5.00', '0.625'],
    flex: ['0.625', '0.0625', '5.00', '0.625'],
    priority: ['2.50', '0.25', '20.00', '2.50'],
  },
  'gpt-5-mini': {
    standard: ['0.25', '0.025', '2.00', '0.25'],
    batch: ['0.125', '0.0125', '1.00', '0.125'],
    flex: ['0.125', '0.0125', '1.00', '0.125'],
    priority: ['0.45', '0.045', '3.60', '0.45'],
  },
  'gpt-5-nano': { standard: ['0.05', '0.005', '0.40', '0.05'], batch: ['0.025', '0.0025', '0.20', '0.025'], flex: ['0.025', '0.0025', '0.20', '0.025'] },
  'gpt-4.1': { standard: ['2.00', '0.50', '8.00', '2.00'], batch: ['1.00', '0.25', '4.00', '1.00'], priority: ['3.50', '0.875', '14.00', '3.50'] },
  'gpt-4.1-mini': { standard: ['0.40', '0.10', '1.60', '0.40'], batch: ['0.20', '0.05', '0.80', '0.20'], priority: ['0.70', '0.175', '2.80', '0.70'] },
  'gpt-4.1-nano': { standard: ['0.10', '0.025', '0.40', '0.10'], batch: ['0.05', '0.0125', '0.20', '0.05'], priority: ['0.20', '0.05', '0.80', '0.20'] },
  'gpt-4o': { standard: ['2.50', '1.25', '10.00', '2.50'], batch: ['1.25', '0.625', '5.00', '1.25'], priority: ['4.25', '2.125', '17.00', '4.25'] },
  'gpt-4o-mini': { standard: ['0.15', '0.075', '0.60', '0.15'], batch: ['0.075', '0.0375', '0.30', '0.075'], priority: ['0.25', '0.125', '1.00', '0.25'] },
  o3: { standard: ['2.00', '0.50', '8.00', '2.00'], batch: ['1.00', '0.25', '4.00', '1.00'], flex: ['1.00', '0.25', '4.00', '1.00'], priority: ['3.50', '0.875', '14.00', '3.50'] },
  'o4-mini': {
    standard: ['1.10', '0.275', '4.40', '1.10'],
    batch: ['0.55', '0.1375', '2.20', '0.55'],
    flex: ['0.55', '0.1375', '2.20', '0.55'],
    priority: ['2.00', '0.50', '8.00', '2.00'],
  },
  'o3-mini': { standard: ['1.10', '0.55', '4.40', '1.10'], batch: ['0.55', '0.275', '2.20', '0.55'] },
};

// snapshot, family, popularity, prompt tokens per request, output/input ratio, cached share, cache writes?
const MODELS = [
  { model: 'gpt-4o-mini-2024-07-18', family: 'gpt-4o-mini', pop: 5, prompt: 1400, out: 0.22, cache: 0.45, cw: false },
  { model: 'gpt-4.1-2025-04-14', family: 'gpt-4.1', pop: 3, prompt: 3200, out: 0.18, cache: 0.35, cw: false },
  { model: 'gpt-4.1-mini-2025-04-14', family: 'gpt-4.1-mini', pop: 4, prompt: 2200, out: 0.2, cache: 0.4, cw: false },
  { model: 'gpt-4.1-nano-2025-04-14', family: 'gpt-4.1-nano', pop: 2, prompt: 900, out: 0.15, cache: 0.3, cw: false },
  { model: 'gpt-4o-2024-08-06', family: 'gpt-4o', pop: 1.5, prompt: 2600, out: 0.25, cache: 0.3, cw: false },
  { model: 'gpt-5-2025-08-07', family: 'gpt-5', pop: 2.5, prompt: 5200, out: 0.45, cache: 0.5, cw: true },
  { model: 'gpt-5-mini-2025-08-07', family: 'gpt-5-mini', pop: 4, prompt: 3000, out: 0.4, cache: 0.5, cw: true },
  { model: 'gpt-5-nano-2025-08-07', family: 'gpt-5-nano', pop: 2, prompt: 1200, out: 0.35, cache: 0.4, cw: true },
  { model: 'gpt-5.1-2025-11-13', family: 'gpt-5.1', pop: 1.5, prompt: 6000, out: 0.5, cache: 0.55, cw: true },
  { model: 'o3-2025-04-16', family: 'o3', pop: 1, prompt: 4000, out: 0.9, cache: 0.25, cw: false },
  { model: 'o4-mini-2025-04-16', family: 'o4-mini', pop: 2, prompt: 2500, out: 0.8, cache: 0.3, cw: false },
  { model: 'o3-mini-2025-01-31', family: 'o3-mini', pop: 0.7, prompt: 2000, out: 0.7, cache: 0.2, cw: false },
];
const VARIANTS = ['standard', 'batch', 'flex', 'priority'];
const SURFACE = { standard: '', batch: 'batch | ', flex: 'flex | ', priority: 'priority | ' };
const TIER_TEXT = { standard: 'default', batch: 'default', flex: 'flex', priority: 'priority' };

const PROJECTS = [
  ['Support bot', 1],
  ['Search', 1],
  ['Data pipeline', 0],
  ['Default project', 1],
  ['Sales assistant', -5],
  ['Docs QA', -8],
  ['Code review', -5],
  ['Fraud scoring', 0],
  ['Marketing copy', -8],
  ['Internal tools', 8],
  ['Analytics agent', 9],
  ['Voice of customer', 5],
];
const KEYS_PER_PROJECT = 5;
const USERS = 40;
const WEB_SEARCH_PROJECTS = new Set([1, 4, 10]); // projects billed for web search calls (no model: unallocated)
const EMPTY_MINUTE_SHARE = 0.002;

/** A decimal price text → units at scale 4 (every snapshot price has ≤ 4 decimals). */
function priceUnits4(text) {
  const [i, f = ''] = text.split('.');
  if (f.length > 4) throw new Error(`price ${text} has more than 4 decimals`);
  return BigInt(i) * 10000n + BigInt(f.padEnd(4, '0'));
}

function checkPriceSnapshot() {
  try {
    const table = JSON.parse(readFileSync(join(HERE, '..', 'src', 'data', 'prices.json'), 'utf8'));
    const diffs = [];
    for (const [family, variants] of Object.entries(PRICES)) {
      const entries = table.models.filter((m) => m.model === family && !m.effectiveTo);
      const e = entries[entries.length - 1];
      if (!e) {
        diffs.push(`${family} missing`);
        continue;
      }
      for (const [v, p] of Object.entries(variants)) {
        const t = e[v];
        const got = t ? [t.input, t.cachedInput ?? t.input, t.output ?? '0', t.cacheWrite ?? t.input] : null;
        if (!got || got.some((x, i) => priceUnits4(x) !== priceUnits4(p[i]))) diffs.push(`${family}/${v}`);
      }
    }
    if (diffs.length) process.stderr.write(`generate: warning: src/data/prices.json differs from the generator's snapshot (${diffs.join(', ')}); costs follow the snapshot\n`);
  } catch (e) {
    process.stderr.write(`generate: warning: could not compare with src/data/prices.json (${e instanceof Error ? e.message : e})\n`);
  }
}

// ---------------------------------------------------------------------------------------
// the world

function buildWorld(rng) {
  const org = { id: `org-${rng.id(12)}`, name: 'Northwind Labs' };
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(`user-${rng.id(24)}`);
  const projects = PROJECTS.map(([name, tzShift], pi) => {
    const team = [];
    const size = 3 + rng.int(4);
    while (team.length < size) {
      const u = users[rng.int(USERS)];
      if (!team.includes(u)) team.push(u);
    }
    return { index: pi, id: `proj_${rng.id(11)}`, name, tzShift, team };
  });
  const combos = [];
  const keys = [];
  const modelWeights = MODELS.map((m) => m.pop);
  const totalPop = modelWeights.reduce((s, w) => s + w, 0);
  const pickModel = () => {
    let x = rng.next() * totalPop;
    for (let i = 0; i < MODELS.length; i++) {
      x -= modelWeights[i];
      if (x < 0) return i;
    }
    return MODELS.length - 1;
  };
  for (const p of projects) {
    for (let k = 0; k < KEYS_PER_PROJECT; k++) {
      const key = `key_${rng.id(16)}`;
      const r = rng.next();
      let keyUsers;
      if (r < 0.2)
        keyUsers = [null]; // service account: user_id empty
      else if (r < 0.32)
        keyUsers = p.team.slice(0, 2 + rng.int(2)); // a shared team key
      else keyUsers = [rng.pick(p.team)];
      keys.push({ key, project: p.index, users: keyUsers });
      const nCombos = 3 + rng.int(5);
      const seen = new Set();
      const keyActivity = rng.lognormal(0, 0.8);
      for (let c = 0; c < nCombos; c++) {
        const mi = pickModel();
        const fam = PRICES[MODELS[mi].family];
        const v = rng.next();
        let variant = 'standard';
        if (v < 0.68) variant = 'standard';
        else if (v < 0.8) variant = 'batch';
        else if (v < 0.9) variant = fam.flex ? 'flex' : 'standard';
        else variant = fam.priority ? 'priority' : 'standard';
        const id = `${mi}|${variant}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const m = MODELS[mi];
        const params = {
          weight: keyActivity * rng.lognormal(0, 0.9) * m.pop,
          requests: rng.lognormal(1.2, 0.9), // per active minute
          prompt: m.prompt * rng.lognormal(0, 0.5),
          outRatio: m.out * rng.lognormal(0, 0.3),
          cache: Math.min(0.9, m.cache * rng.lognormal(0, 0.4)),
          cw: m.cw ? 0.02 + 0.06 * rng.next() : 0,
          image: rng.next() < 0.1 ? 0.05 + 0.2 * rng.next() : 0,
        };
        for (const user of keyUsers) {
          combos.push({
            project: p.index,
            key,
            user,
            model: mi,
            variant,
            weight: params.weight * (keyUsers.length > 1 ? rng.lognormal(-0.4, 0.5) : 1),
            requests: params.requests,
            prompt: params.prompt,
            outRatio: params.outRatio,
            cache: params.cache,
            cw: params.cw,
            image: params.image,
          });
        }
      }
    }
  }
  // export order inside a bucket: project, key, user, model, tier
  combos.sort(
    (a, b) => a.project - b.project || cmp(a.key, b.key) || cmp(a.user ?? '', b.user ?? '') || a.model - b.model || VARIANTS.indexOf(a.variant) - VARIANTS.indexOf(b.variant),
  );
  return { org, users, projects, keys, combos };
}

/** Indices of the k smallest values (k small), in index order. */
function smallestK(values, k) {
  const idx = [];
  const val = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (idx.length === k && v >= val[k - 1]) continue;
    let j = idx.length === k ? k - 1 : idx.length;
    while (j > 0 && val[j - 1] > v) {
      val[j] = val[j - 1];
      idx[j] = idx[j - 1];
      j--;
    }
    val[j] = v;
    idx[j] = i;
  }
  return idx.sort((a, b) => a - b);
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/** Relative activity of a combo in a UTC hour: its project's local business hours and weekdays. */
function activity(combo, project, utcHourOfDay, utcWeekday) {
  let h = utcHourOfDay + project.tzShift;
  let wd = utcWeekday;
  if (h < 0) {
    h += 24;
    wd = (wd + 6) % 7;
  } else if (h >= 24) {
    h -= 24;
    wd = (wd + 1) % 7;
  }
  if (combo.variant === 'batch' || combo.user === null) {
    // batch results and service accounts: around the clock, a little more at night
    return h < 6 ? 1.2 : 0.8;
  }
  const weekend = wd === 0 || wd === 6;
  let shape;
  if (h < 6) shape = 0.12;
  else if (h < 8) shape = 0.45;
  else if (h < 12) shape = 1.0;
  else if (h < 13) shape = 0.7;
  else if (h < 18) shape = 1.0;
  else if (h < 22) shape = 0.4;
  else shape = 0.18;
  return shape * (weekend ? 0.3 : 1);
}

// ---------------------------------------------------------------------------------------
// writing

class ChunkedWriter {
  constructor(path) {
    this.path = path;
    this.stream = createWriteStream(path);
    this.hash = createHash('sha256');
    this.parts = [];
    this.pending = 0;
    this.bytes = 0;
  }
  /** Appends text; flushes a ~1 MiB chunk with backpressure when enough has accumulated. */
  async add(text) {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) await this.flush();
  }
  async flush() {
    if (!this.parts.length) return;
    const chunk = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.pending = 0;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
  async close() {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

const USAGE_HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,compute_units,input_tokens,output_tokens,input_cached_tokens,input_cache_write_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';
const COST_HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,amount_value,amount_currency,quantity,quantity_unit,line_item,user_id,api_key_id,project_id,organization_id,project_name,organization_name,user_email';
const EMPTY_USAGE_TAIL = ','.repeat(USAGE_HEADER.split(',').length - 4);

const iso = (t) => `${new Date(t * 1000).toISOString().slice(0, 19)}+00:00`;
const isoNoOffset = (t) => new Date(t * 1000).toISOString().slice(0, 19);
const utcDate = (t) => new Date(t * 1000).toISOString().slice(0, 10);

/** units at `scale` decimals → text with exactly `digits` decimals (digits ≥ scale), or the plain form. */
function formatUnits(units, scale, digits) {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const int = s.slice(0, s.length - scale);
  let frac = s.slice(s.length - scale);
  if (digits === 'plain') {
    frac = frac.replace(/0+$/, '');
    return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
  }
  return `${neg ? '-' : ''}${int}.${frac.padEnd(digits, '0')}`;
}

// ---------------------------------------------------------------------------------------
// generation

/** @param {{ rows: number, out: string, seed?: number, days?: number | null, start?: string, quiet?: boolean }} options */
export async function generate({ rows, out, seed = DEFAULT_SEED, days = null, start = '2026-10-01', quiet = false }) {
  const t0 = Date.now();
  checkPriceSnapshot();
  const rng = makeRng(seed);
  const world = buildWorld(rng);
  const { combos, projects, org } = world;
  const C = combos.length;

  // span: a month of minutes, shortened only for tiny sizes (every non-empty minute has ≥ 1 row),
  // lengthened only when the rows do not fit a month's minutes × combinations (20m: 46 days)
  const span = days ?? Math.max(1, Math.min(31, Math.floor(rows / (1440 * 1.5))), Math.ceil(rows / (1440 * C * 0.95)));
  const startT = Date.parse(`${start}T00:00:00Z`) / 1000;
  const minutes = span * 1440;
  const endT = startT + minutes * 60;
  const fromLabel = utcDate(startT);
  const toLabel = utcDate(endT - 86400);

  // 1. per-hour combo weights, per-minute empty flags and jitter → exact per-minute row counts
  const hours = span * 24;
  const hourWeight = new Float64Array(hours * C);
  const hourTotal = new Float64Array(hours);
  for (let h = 0; h < hours; h++) {
    const t = startT + h * 3600;
    const d = new Date(t * 1000);
    let sum = 0;
    for (let c = 0; c < C; c++) {
      const w = combos[c].weight * activity(combos[c], projects[combos[c].project], d.getUTCHours(), d.getUTCDay());
      hourWeight[h * C + c] = w;
      sum += w;
    }
    hourTotal[h] = sum;
  }
  const counts = new Int32Array(minutes);
  const minuteWeight = new Float64Array(minutes);
  let empty = 0;
  for (let m = 0; m < minutes; m++) {
    const isEmpty = rng.next() < EMPTY_MINUTE_SHARE;
    const jitter = 0.8 + 0.4 * rng.next();
    if (isEmpty) {
      counts[m] = -1;
      empty++;
    } else minuteWeight[m] = hourTotal[Math.floor(m / 60)] * jitter;
  }
  const nonEmpty = minutes - empty;
  const extra = rows - empty - nonEmpty;
  if (extra < 0) throw new Error(`${rows} rows are too few for ${span} day(s) of minute buckets (need at least ${empty + nonEmpty}); give --days`);
  let W = 0;
  for (let m = 0; m < minutes; m++) W += minuteWeight[m];
  let cum = 0;
  let prev = 0;
  let carry = 0;
  for (let m = 0; m < minutes; m++) {
    if (counts[m] === -1) continue;
    cum += minuteWeight[m];
    const upto = m === minutes - 1 ? extra : Math.round((extra * cum) / W);
    let k = 1 + (upto - prev) + carry;
    prev = upto;
    carry = 0;
    if (k > C) {
      carry = k - C;
      k = C;
    }
    counts[m] = k;
  }
  // overflow left at the end (only when the catalogue is saturated): spread backwards
  for (let m = minutes - 1; carry > 0 && m >= 0; m--) {
    if (counts[m] <= 0) continue;
    const room = C - counts[m];
    const add = Math.min(room, carry);
    counts[m] += add;
    carry -= add;
  }
  if (carry > 0) throw new Error(`${rows} rows do not fit ${span} day(s) × ${C} combinations per minute; give more --days`);

  // 2. stream the usage rows; fold the list price per (UTC day, project, model, variant)
  mkdirSync(out, { recursive: true });
  const usageName = `completions_usage_${fromLabel}_${toLabel}.csv`;
  const costName = `cost_${fromLabel}_${toLabel}.csv`;
  const usageTmp = join(out, `${usageName}.partial`);
  const costTmp = join(out, `${costName}.partial`);
  rmSync(join(out, 'manifest.json'), { force: true });
  const usage = new ChunkedWriter(usageTmp);
  const cost = new ChunkedWriter(costTmp);
  await usage.add(`${USAGE_HEADER}\n`);
  await cost.add(`${COST_HEADER}\n`);

  const priceUnits = {};
  for (const [fam, vs] of Object.entries(PRICES)) {
    priceUnits[fam] = {};
    for (const [v, p] of Object.entries(vs)) priceUnits[fam][v] = p.map(priceUnits4);
  }
  const truth = {
    usageRows: 0,
    emptyBuckets: 0,
    costRows: 0,
    billed: 0n, // scale 10
    byProject: new Map(),
    inputTokens: 0,
    outputTokens: 0,
    byModel: new Map(),
  };
  // day accumulators: index (project * MODELS + model) * 4 + variant → [uncached, cached, cw, output, requests]
  const NV = VARIANTS.length;
  const daySums = new Float64Array(projects.length * MODELS.length * NV * 5);
  const costFormats = () => {
    const x = rng.next();
    return x < 0.6 ? 16 : x < 0.75 ? 'plain' : x < 0.9 ? 36 : 17;
  };

  const flushDay = async (dayStart) => {
    const s = dayStart;
    const e = dayStart + 86400;
    const day = utcDate(s);
    const noOffset = day.endsWith('-17'); // some real exports omit the offset on some rows
    const isoS = noOffset ? isoNoOffset(s) : iso(s);
    const isoE = noOffset ? isoNoOffset(e) : iso(e);
    for (const p of projects) {
      let projectRequests = 0;
      for (let mi = 0; mi < MODELS.length; mi++) {
        for (let vi = 0; vi < NV; vi++) {
          const base = ((p.index * MODELS.length + mi) * NV + vi) * 5;
          projectRequests += daySums[base + 4];
          const qty = [daySums[base], daySums[base + 1], daySums[base + 2], daySums[base + 3]];
          if (qty.every((q) => q === 0)) continue;
          const variant = VARIANTS[vi];
          const pu = priceUnits[MODELS[mi].family][variant];
          // [input, cachedInput, output, cacheWrite] prices; kinds in export order
          const kinds = [
            ['input', qty[0], pu[0]],
            ['cached input', qty[1], pu[1]],
            ['cache writes', qty[2], pu[3]],
            ['output', qty[3], pu[2]],
          ];
          for (const [kind, q, price] of kinds) {
            if (q === 0) continue;
            if (!Number.isSafeInteger(q)) throw new Error('token sum beyond 2^53');
            const units = BigInt(q) * price; // scale 4 (price) + 6 (per 1M tokens) = 10
            const fmt = costFormats();
            const amount = formatUnits(units, 10, fmt);
            await cost.add(`${s},${e},${isoS},${isoE},${amount},usd,${q}.0,tokens,"${SURFACE[variant]}${MODELS[mi].model}, ${kind}",,,${p.id},${org.id},${p.name},${org.name},\n`);
            truth.costRows++;
            truth.billed += units;
            truth.byProject.set(p.id, (truth.byProject.get(p.id) ?? 0n) + units);
          }
        }
      }
      if (WEB_SEARCH_PROJECTS.has(p.index) && projectRequests > 0) {
        // $10 per 1,000 calls; no model: spendrecon cannot split it by key (unallocated)
        const calls = Math.max(1, Math.round(projectRequests * 0.004));
        const units = BigInt(calls) * 100000000n; // 0.01 at scale 10
        await cost.add(
          `${s},${e},${isoS},${isoE},${formatUnits(units, 10, costFormats())},usd,${calls}.0,calls,web search tool calls,,,${p.id},${org.id},${p.name},${org.name},\n`,
        );
        truth.costRows++;
        truth.billed += units;
        truth.byProject.set(p.id, (truth.byProject.get(p.id) ?? 0n) + units);
      }
    }
    daySums.fill(0);
  };

  const keysBuf = new Float64Array(C);
  const order = new Int32Array(C);
  let currentDay = startT;
  let lastReport = Date.now();
  for (let m = 0; m < minutes; m++) {
    const s = startT + m * 60;
    const e = s + 60;
    if (s >= currentDay + 86400) {
      await flushDay(currentDay);
      currentDay += 86400;
    }
    const isoS = iso(s);
    const isoE = iso(e);
    const k = counts[m];
    if (k === -1) {
      await usage.add(`${s},${e},${isoS},${isoE}${EMPTY_USAGE_TAIL}\n`);
      truth.usageRows++;
      truth.emptyBuckets++;
      continue;
    }
    // k distinct combinations, weighted, without replacement (exponential race), then export order
    const h = Math.floor(m / 60);
    for (let c = 0; c < C; c++) {
      const w = hourWeight[h * C + c];
      keysBuf[c] = w > 0 ? -Math.log(1 - rng.next()) / w : Infinity;
      order[c] = c;
    }
    const chosen =
      k === C
        ? Array.from(order)
        : k <= 24
          ? smallestK(keysBuf, k)
          : Array.from(order)
              .sort((a, b) => keysBuf[a] - keysBuf[b])
              .slice(0, k)
              .sort((a, b) => a - b);
    const dayOfMonth = new Date(s * 1000).getUTCDate();
    const upperBool = dayOfMonth >= 12 && dayOfMonth <= 14;
    let text = '';
    for (const ci of chosen) {
      const c = combos[ci];
      const mdl = MODELS[c.model];
      const requests = Math.max(1, Math.round(c.requests * Math.exp(0.5 * rng.normal())));
      const input = Math.max(1, Math.round(requests * c.prompt * Math.exp(0.4 * rng.normal())));
      const cached = Math.min(input, Math.floor((input * c.cache * (0.7 + 0.6 * rng.next())) / 128) * 128);
      const cw = c.cw ? Math.min(input - cached, Math.round(input * c.cw * rng.next())) : 0;
      const uncached = input - cached - cw;
      const image = c.image ? Math.round((input - cached) * c.image * rng.next()) : 0;
      const output = Math.max(1, Math.round(input * c.outRatio * Math.exp(0.3 * rng.normal())));
      const batch = c.variant === 'batch' ? (upperBool ? 'TRUE' : 'True') : upperBool ? 'FALSE' : 'False';
      const p = projects[c.project];
      text += `${s},${e},${isoS},${isoE},${p.id},${requests}.0,${c.user ?? ''},${c.key},${mdl.model},${batch},${TIER_TEXT[c.variant]},0.0,${input}.0,${output}.0,${cached}.0,${cw}.0,${uncached}.0,${input - cached - image}.0,${output}.0,${cached}.0,0.0,0.0,0.0,${image}.0,0.0,0.0\n`;
      const base = ((c.project * MODELS.length + c.model) * NV + VARIANTS.indexOf(c.variant)) * 5;
      daySums[base] += uncached;
      daySums[base + 1] += cached;
      daySums[base + 2] += cw;
      daySums[base + 3] += output;
      daySums[base + 4] += requests;
      truth.inputTokens += input;
      truth.outputTokens += output;
      const bm = truth.byModel.get(mdl.model) ?? { inputTokens: 0, outputTokens: 0 };
      bm.inputTokens += input;
      bm.outputTokens += output;
      truth.byModel.set(mdl.model, bm);
    }
    truth.usageRows += chosen.length;
    await usage.add(text);
    if (!quiet && Date.now() - lastReport > 2000) {
      lastReport = Date.now();
      process.stderr.write(`generate: ${truth.usageRows.toLocaleString('en-US')} / ${rows.toLocaleString('en-US')} rows\n`);
    }
  }
  await flushDay(currentDay);
  const usageInfo = await usage.close();
  const costInfo = await cost.close();
  if (truth.usageRows !== rows) throw new Error(`internal: wrote ${truth.usageRows} rows, expected ${rows}`);
  renameSync(usageTmp, join(out, usageName));
  renameSync(costTmp, join(out, costName));

  const money = (u) => formatUnits(u, 10, 'plain');
  const manifest = {
    generator: 'bench/generate.mjs',
    generatorVersion: GENERATOR_VERSION,
    priceTableVersion: PRICE_TABLE_VERSION,
    seed,
    rows,
    days: span,
    utcFrom: iso(startT),
    utcTo: iso(endT),
    world: { projects: projects.length, keys: world.keys.length, users: USERS, models: MODELS.length, combinations: C },
    usage: { file: usageName, rows: truth.usageRows, emptyBuckets: truth.emptyBuckets, bytes: usageInfo.bytes, sha256: usageInfo.sha256 },
    cost: { file: costName, rows: truth.costRows, bytes: costInfo.bytes, sha256: costInfo.sha256 },
    truth: {
      billed: money(truth.billed),
      byProject: Object.fromEntries([...truth.byProject.entries()].map(([k, v]) => [k, money(v)])),
      inputTokens: truth.inputTokens,
      outputTokens: truth.outputTokens,
      byModel: Object.fromEntries([...truth.byModel.entries()].sort((a, b) => cmp(a[0], b[0]))),
    },
    seconds: (Date.now() - t0) / 1000,
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  if (!quiet) {
    process.stderr.write(
      `generate: ${rows.toLocaleString('en-US')} usage rows (${truth.emptyBuckets} empty buckets, ${(usageInfo.bytes / 1e6).toFixed(1)} MB), ${truth.costRows} cost rows, ${C} combinations, ${span} days, ${manifest.seconds.toFixed(1)} s → ${out}\n`,
    );
  }
  return manifest;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    const o = parseArgs(process.argv.slice(2));
    await generate(o);
  } catch (e) {
    process.stderr.write(`generate: ${e instanceof Error ? e.message : e}\n`);
    process.exit(2);
  }
}
