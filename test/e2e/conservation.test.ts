/**
 * Issue 8, "every cent, every run": the run's own conservation check, and the placement of
 * every local day, on the real CLI — a hand-computed --split-days month across a DST change,
 * repeats inside one file, overlapping cost widths, and seeded random months in several zones.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './run-cli.js';
import { COST_HEADER, dollars, expectedBilling, generateMonth, nanosToText, USAGE_HEADER } from './month-generator.js';

const FX = join(ROOT, 'fixtures', 'openai');

interface Equation {
  name: string;
  file: string | null;
  currency: string | null;
  left: string;
  right: string;
  holds: boolean;
}
interface RunJson {
  period: { from: string; to: string; utcStart: string; utcEnd: string };
  totals: { billed: string; costExport: string; splitOutside: string; rejectedRows: number };
  daily: { date: string; billed: string }[];
  conservation: { holds: boolean; equations: Equation[] };
  exceptions: { severity: string; class: string; amount: string | null; message: string }[];
  inputs: {
    file: string;
    rowsRead: number;
    rowsUsed: number;
    outOfPeriod: number;
    duplicates: number;
    rowsRejected: number;
    setAside: number;
    money: { currency: string; read: string; used: string; rejected: string; setAside: string; duplicates: string }[];
  }[];
}

async function report(dir: string, args: string[]): Promise<{ code: number | null; json: RunJson; stderr: string }> {
  const r = await cli(['report', '--json', '--out', join(dir, 'out.xlsx'), ...args], dir);
  if (r.code !== 0 && r.code !== 1) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return { code: r.code, json: JSON.parse(r.stdout) as RunJson, stderr: r.stderr };
}

const work = () => mkdtempSync(join(tmpdir(), 'spendrecon-conservation-'));
const broken = (j: RunJson) => j.conservation.equations.filter((e) => !e.holds);

function usageRow(start: number, key: string, tokens: number, project = 'proj_A') {
  const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', '+00:00');
  return `${start},${start + 3600},${iso(start)},${iso(start + 3600)},${project},1,,${key},gpt-4o-mini-2024-07-18,False,default,,${tokens},0,0,0,${tokens},${tokens},0,0,0,0,0,0,0,0`;
}
function costRow(start: number, amount: string, width = 86400, project = 'proj_A') {
  const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', '+00:00');
  return `${start},${start + width},${iso(start)},${iso(start + width)},${amount},usd,,,"gpt-4o-mini-2024-07-18, input",,,${project},org-1,Project A,Org,`;
}
const utc = (s: string) => Date.parse(s) / 1000;

describe('--split-days places every hour of usage on its own local date', () => {
  it('a nightly batch key 00:00–02:59 Europe/Berlin, October 2026 (DST change on the 25th): the figures to the digit', async () => {
    const dir = work();
    writeFileSync(
      join(dir, 'usage.csv'),
      [
        USAGE_HEADER,
        // UTC 30 Sep 22:00–23:59 is local 1 Oct 00:00–01:59 (CEST): all of the nightly key's share of that bucket is October's
        usageRow(utc('2026-09-30T22:00:00Z'), 'key_nightly', 1000),
        usageRow(utc('2026-09-30T23:00:00Z'), 'key_nightly', 1000),
        usageRow(utc('2026-09-30T12:00:00Z'), 'key_day', 2000),
        usageRow(utc('2026-10-01T00:00:00Z'), 'key_nightly', 1000),
        usageRow(utc('2026-10-01T12:00:00Z'), 'key_day', 1000),
        // after the change (CET): UTC 31 Oct 23:00 is local 1 Nov 00:00, November's
        usageRow(utc('2026-10-31T23:00:00Z'), 'key_nightly', 1000),
        usageRow(utc('2026-10-31T12:00:00Z'), 'key_day', 3000),
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'cost.csv'),
      [COST_HEADER, costRow(utc('2026-09-30T00:00:00Z'), '10.00'), costRow(utc('2026-10-01T00:00:00Z'), '7.00'), costRow(utc('2026-10-31T00:00:00Z'), '8.00')].join('\n'),
    );
    const { json } = await report(dir, ['--usage', 'usage.csv', '--costs', 'cost.csv', '--period', '2026-10', '--tz', 'Europe/Berlin', '--split-days']);
    const day = (d: string) => json.daily.find((x) => x.date === d)?.billed;
    // 30 Sep bucket 10.00: 5.00 nightly → 1 Oct, 5.00 day → 30 Sep (cut); 1 Oct bucket 7.00 → 1 Oct;
    // 31 Oct bucket 8.00: 6.00 day → 31 Oct, 2.00 nightly → 1 Nov (cut)
    expect(day('2026-10-01')).toBe('12');
    expect(day('2026-10-31')).toBe('6');
    expect(json.totals.billed).toBe('18');
    expect(json.totals.splitOutside).toBe('7');
    expect(json.conservation.holds).toBe(true);
  });
});

describe('repeats inside one file are treated like repeats across files', () => {
  const original = readFileSync(join(FX, 'cost_2026-10-01_2026-10-31.csv'), 'utf8');
  const usage = join(FX, 'completions_usage_2026-10-01_2026-10-31.csv');
  let baseline: RunJson;
  beforeAll(async () => {
    baseline = (await report(work(), ['--usage', usage, '--costs', join(FX, 'cost_2026-10-01_2026-10-31.csv'), '--period', '2026-10', '--tz', 'UTC'])).json;
  });

  it('a cost export with its own data rows pasted again (no second header) bills the same, the repeats counted once', async () => {
    const dir = work();
    const lines = original.trimEnd().split(/\r?\n/);
    writeFileSync(join(dir, 'twice.csv'), [...lines, ...lines.slice(1)].join('\n'));
    const { json } = await report(dir, ['--usage', usage, '--costs', 'twice.csv', '--period', '2026-10', '--tz', 'UTC']);
    expect(json.totals.billed).toBe(baseline.totals.billed);
    const f = json.inputs.find((i) => i.file === 'twice.csv')!;
    const b = baseline.inputs.find((i) => i.file.endsWith('cost_2026-10-01_2026-10-31.csv'))!;
    // the second copy: every row repeats one of the first (a conflicting row conflicts again)
    expect(f.duplicates).toBe(2 * b.duplicates + b.rowsUsed + b.outOfPeriod);
    expect(f.rowsRejected).toBe(2 * b.rowsRejected);
    expect(broken(json)).toEqual([]);
  });

  it('a conflicting repeat inside one file is rejected with its money, never summed; a repeated usage row counts once', async () => {
    const dir = work();
    const lines = original.trimEnd().split(/\r?\n/);
    const idx = lines.findIndex((l, i) => i > 0 && /gpt-/.test(l));
    const cells = lines[idx]!.split(',');
    const header = lines[0]!.split(',');
    const amountAt = header.indexOf('amount_value');
    cells[amountAt] = '99.5';
    writeFileSync(join(dir, 'conflict.csv'), [...lines, cells.join(',')].join('\n'));
    const usageLines = readFileSync(usage, 'utf8').trimEnd().split(/\r?\n/);
    const withUsage = usageLines.filter((l) => /,proj_\w+,[1-9]/.test(l));
    writeFileSync(join(dir, 'usage.csv'), [...usageLines, withUsage[3]!, withUsage[7]!].join('\n'));
    const { json } = await report(dir, ['--usage', 'usage.csv', '--costs', 'conflict.csv', '--period', '2026-10', '--tz', 'UTC']);
    expect(json.totals.billed).toBe(baseline.totals.billed);
    const f = json.inputs.find((i) => i.file === 'conflict.csv')!;
    expect(f.money[0]!.rejected).toBe((Number(baseline.inputs.find((i) => i.file.endsWith('cost_2026-10-01_2026-10-31.csv'))!.money[0]!.rejected) + 99.5).toString());
    const u = json.inputs.find((i) => i.file === 'usage.csv')!;
    expect(u.duplicates).toBe(2);
    expect(json.exceptions.some((e) => e.class === 'rejected_row' && /conflicting repeat/.test(e.message) && e.amount === '99.5')).toBe(true);
    expect(broken(json)).toEqual([]);
  });
});

describe('a daily and an hourly cost export of the same day', () => {
  it('uses the daily rows and sets the hourly ones aside with their money, instead of summing both', async () => {
    const dir = work();
    const day = utc('2026-10-05T00:00:00Z');
    writeFileSync(join(dir, 'daily.csv'), [COST_HEADER, costRow(day, '2.40'), costRow(day + 86400, '1.00')].join('\n'));
    writeFileSync(join(dir, 'hourly.csv'), [COST_HEADER, ...Array.from({ length: 24 }, (_, h) => costRow(day + h * 3600, '0.10', 3600))].join('\n'));
    writeFileSync(join(dir, 'usage.csv'), [USAGE_HEADER, usageRow(day + 3600, 'key_a', 500), usageRow(day + 86400 + 7200, 'key_a', 500)].join('\n'));
    const { json } = await report(dir, ['--usage', 'usage.csv', '--costs', 'daily.csv', 'hourly.csv', '--period', '2026-10', '--tz', 'UTC']);
    expect(json.totals.billed).toBe('3.4');
    const hourly = json.inputs.find((i) => i.file === 'hourly.csv')!;
    expect(hourly.setAside).toBe(24);
    expect(hourly.money[0]!.setAside).toBe('2.4');
    expect(json.exceptions.find((e) => e.class === 'cost_granularity_overlap')?.amount).toBe('2.4');
    expect(broken(json)).toEqual([]);
  });
});

describe('property: on random months in several zones, every equation holds and every local day is billed what its usage says', () => {
  const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Auckland', 'America/Santiago', 'Asia/Kathmandu'];
  const MONTHS = ['2026-03', '2026-10', '2026-11', '2026-04', '2026-09', '2027-01'];
  const seeds = Number(process.env.SPENDRECON_CONSERVATION_RUNS ?? ZONES.length);
  for (let i = 0; i < seeds; i++) {
    const zone = ZONES[i % ZONES.length]!;
    const month = MONTHS[i % MONTHS.length]!;
    for (const split of [false, true]) {
      it(`seed ${i + 1}: ${month} in ${zone}${split ? ', --split-days' : ''}`, async () => {
        const g = generateMonth(1000 + i, zone, month);
        const dir = work();
        writeFileSync(join(dir, 'usage.csv'), g.usageCsv);
        writeFileSync(join(dir, 'cost.csv'), g.costCsv);
        const { json } = await report(dir, ['--usage', 'usage.csv', '--costs', 'cost.csv', '--period', month, '--tz', zone, ...(split ? ['--split-days'] : [])]);
        expect(broken(json), `seed ${1000 + i}`).toEqual([]);
        expect(json.conservation.holds).toBe(true);
        const p = json.period;
        const exp = expectedBilling(g, split, { from: p.from, to: p.to, utcStart: Date.parse(p.utcStart) / 1000, utcEnd: Date.parse(p.utcEnd) / 1000 });
        // the cost rows used: exactly the oracle's (the conservation equations tie them to every table)
        const costFile = json.inputs.find((f) => f.file === 'cost.csv')!;
        expect(costFile.money[0]!.used).toBe(trim(nanosToText(exp.usedNanos)));
        const got = new Map(json.daily.map((d) => [d.date, d.billed]));
        const dates = [...new Set([...got.keys(), ...exp.perDate.keys()])].sort();
        for (const d of dates) {
          const e = exp.perDate.get(d);
          if (!split) expect(got.get(d), d).toBe(e ? trim(nanosToText(e.num)) : undefined);
          // split parts are exact at 10 decimals, in two steps (keys, then days): within 1e-8 of the exact share
          else expect(Math.abs(Number(got.get(d) ?? 0) - (e ? dollars(e) : 0)), d).toBeLessThan(1e-8);
        }
      });
    }
  }
});

/** The JSON writes exact decimals without trailing zeros. */
function trim(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
