import { describe, expect, it } from 'vitest';
import { localDateOf, makePeriod, monthPeriod, parseIsoInstant, placeOnLocalDate, inPeriod, isoUtc, parseLocalDateTime } from '../src/time.js';

const t = (iso: string) => Date.parse(iso) / 1000;

describe('local dates in the configured zone (never the machine zone)', () => {
  it('derives the local date across DST changes', () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local (01:00 UTC)
    expect(localDateOf(t('2026-10-24T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25'); // 00:30 CEST
    expect(localDateOf(t('2026-10-25T22:30:00Z'), 'Europe/Berlin')).toBe('2026-10-25'); // 23:30 CET
    expect(localDateOf(t('2026-10-25T23:00:00Z'), 'Europe/Berlin')).toBe('2026-10-26');
    // US: DST ends 2026-11-01 02:00 local
    expect(localDateOf(t('2026-11-01T06:59:59Z'), 'America/Los_Angeles')).toBe('2026-10-31');
    expect(localDateOf(t('2026-11-01T07:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-01');
    expect(localDateOf(t('2026-10-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-11-01');
  });
});

describe('bucket placement by midpoint (SPEC §3)', () => {
  const day = (d: string) => [t(`${d}T00:00:00Z`), t(`${d}T00:00:00Z`) + 86400] as const;
  it('puts a 1-day UTC bucket on its UTC date in zones within ±12 h', () => {
    for (const tz of ['America/Los_Angeles', 'Pacific/Honolulu', 'Europe/Berlin', 'Asia/Shanghai', 'Asia/Tokyo', 'UTC']) {
      expect(placeOnLocalDate(...day('2026-10-05'), tz)).toBe('2026-10-05');
      expect(placeOnLocalDate(...day('2026-11-01'), tz)).toBe('2026-11-01');
    }
  });
  it('beyond ±12 h (Auckland in summer, UTC+13) the midpoint falls on the next local date', () => {
    expect(placeOnLocalDate(...day('2026-10-05'), 'Pacific/Auckland')).toBe('2026-10-06');
  });
  it('puts 1-hour buckets on the local date they fall in', () => {
    const h = t('2026-10-31T23:00:00Z');
    expect(placeOnLocalDate(h, h + 3600, 'Asia/Shanghai')).toBe('2026-11-01');
    expect(placeOnLocalDate(h, h + 3600, 'America/Los_Angeles')).toBe('2026-10-31');
    expect(placeOnLocalDate(h, h + 3600, 'Europe/Berlin')).toBe('2026-11-01');
  });
});

describe('periods: local inclusive dates → half-open UTC range', () => {
  it('October in Asia/Shanghai (SPEC §5.3 example)', () => {
    const p = monthPeriod('2026-10', 'Asia/Shanghai');
    expect(isoUtc(p.utcStart)).toBe('2026-09-30T16:00:00Z');
    expect(isoUtc(p.utcEnd)).toBe('2026-10-31T16:00:00Z');
    expect(p.label).toBe('2026-10');
  });
  it('October in Europe/Berlin spans the DST change: 31 days + 1 hour', () => {
    const p = monthPeriod('2026-10', 'Europe/Berlin');
    expect(isoUtc(p.utcStart)).toBe('2026-09-30T22:00:00Z');
    expect(isoUtc(p.utcEnd)).toBe('2026-10-31T23:00:00Z');
    expect(p.utcEnd - p.utcStart).toBe(31 * 86400 + 3600);
  });
  it('a day whose midnight does not exist starts at its first instant (America/Santiago, DST at 00:00)', () => {
    const p = makePeriod('2026-09-06', '2026-09-12', 'America/Santiago');
    expect(isoUtc(p.utcStart)).toBe('2026-09-06T04:00:00Z');
    expect(localDateOf(p.utcStart, 'America/Santiago')).toBe('2026-09-06');
    expect(localDateOf(p.utcStart - 1, 'America/Santiago')).toBe('2026-09-05');
  });
  it('custom ranges get a from_to label and are checked', () => {
    expect(makePeriod('2026-10-03', '2026-10-17', 'UTC').label).toBe('2026-10-03_2026-10-17');
    expect(() => makePeriod('2026-10-17', '2026-10-03', 'UTC')).toThrow(/before/);
    expect(() => makePeriod('2026-02-30', '2026-03-03', 'UTC')).toThrow(/not a date/);
    expect(() => monthPeriod('2026-13', 'UTC')).toThrow();
  });
  it('inPeriod uses the midpoint', () => {
    const p = monthPeriod('2026-10', 'Asia/Shanghai');
    const h = t('2026-10-31T15:00:00Z');
    expect(inPeriod(h, h + 3600, p)).toBe(true);
    expect(inPeriod(h + 3600, h + 7200, p)).toBe(false);
  });
});

describe('parsing instants', () => {
  it('reads ISO text with and without offset (no offset = UTC for exports)', () => {
    expect(parseIsoInstant('2026-08-31T00:00:00')).toBe(t('2026-08-31T00:00:00Z'));
    expect(parseIsoInstant('2026-08-31T00:00:00+00:00')).toBe(t('2026-08-31T00:00:00Z'));
    expect(parseIsoInstant('2026-08-31T08:00:00+0800')).toBe(t('2026-08-31T00:00:00Z'));
    expect(parseIsoInstant('2026-08-31 10:15:00Z')).toBe(t('2026-08-31T10:15:00Z'));
    expect(parseIsoInstant('2026-02-30T00:00:00Z')).toBeNull();
    expect(parseIsoInstant('yesterday')).toBeNull();
  });
  it('reads local wall-clock times in a zone (payments)', () => {
    expect(parseIsoInstant('2026-10-05 09:30', 'Asia/Shanghai')).toBe(t('2026-10-05T01:30:00Z'));
    expect(parseLocalDateTime('2026-10-25 02:30:00', 'Europe/Berlin')).not.toBeNull();
  });
});
