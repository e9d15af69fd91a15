/**
 * localDateOf must not depend on the machine's zone (DESIGN.md, Tests): under system zones with
 * a DST jump at midnight (Santiago, Havana, Beirut) or a skipped day (Apia skipped 2011-12-30),
 * its date for seeded instants near those transitions equals Intl's in the target zone. This file
 * changes process.env.TZ, so test/run-tz.mjs runs it isolated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localDateOf } from '../src/time.js';
import { prng } from './helpers.js';

const TARGETS = ['UTC', 'America/Santiago', 'America/Havana', 'Asia/Beirut', 'Pacific/Apia', 'Asia/Shanghai', 'America/Los_Angeles', 'Australia/Lord_Howe'];
const SYSTEM = ['Pacific/Apia', 'America/Santiago', 'America/Havana', 'Asia/Beirut'];
/** Transitions of the zones above (UTC seconds): Apia's skipped day, then DST at midnight. */
const NEAR = [
  Date.UTC(2011, 11, 29, 10), // Apia: 2011-12-29 24:00 −10 became 2011-12-31 00:00 +14
  Date.UTC(2022, 8, 11, 4), // Santiago: 2022-09-11 00:00 → 01:00
  Date.UTC(2023, 3, 2, 3), // Santiago: 2023-04-02 00:00 → 23:00 the day before
  Date.UTC(2024, 2, 10, 5), // Havana: 2024-03-10 00:00 → 01:00
  Date.UTC(2024, 10, 3, 4), // Havana: 2024-11-03 01:00 → 00:00
  Date.UTC(2024, 2, 30, 22), // Beirut: 2024-03-31 00:00 → 01:00
  Date.UTC(2024, 9, 26, 21), // Beirut: 2024-10-27 00:00 → 23:00 the day before
].map((ms) => ms / 1000);

const formats = new Map(TARGETS.map((tz) => [tz, new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' })]));

function intlDate(t: number, tz: string): string {
  const parts = formats.get(tz)!.formatToParts(new Date(t * 1000));
  const part = (k: string) => parts.find((p) => p.type === k)!.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

describe('localDateOf under system zones with DST at midnight or a skipped day', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    process.env.TZ = saved;
  });

  it('gives Intl`s date in the target zone, whatever the machine`s zone', () => {
    const r = prng(43);
    SYSTEM.forEach((system, k) => {
      process.env.TZ = system;
      // the switch took effect (Apia's 2011-12-30 does not exist there)
      if (system === 'Pacific/Apia') expect(new Date(2011, 11, 30, 12).getDate()).toBe(31);
      const wrong: string[] = [];
      for (const near of NEAR) {
        for (let i = 0; i < 200; i++) {
          // within two days of the transition; a second per system zone apart, so the memo holds none of them
          const t = Math.floor(near + (r() - 0.5) * 4 * 86400) + k;
          for (const tz of TARGETS) if (localDateOf(t, tz) !== intlDate(t, tz)) wrong.push(`${system}: ${tz} ${new Date(t * 1000).toISOString()}`);
        }
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    });
  });
});
