import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';

describe('config dates (issue 8: an impossible date was accepted)', () => {
  const withPrice = (effectiveFrom: string) => ({ prices: [{ model: 'gpt-x', effectiveFrom, standard: { input: '1.00', output: '2.00' } }] });
  it('refuses a date that does not exist, naming its JSON path', () => {
    expect(() => parseConfig(withPrice('2026-02-30'), 'c.json')).toThrow(ConfigError);
    expect(() => parseConfig(withPrice('2026-02-30'), 'c.json')).toThrow(/prices\.0\.effectiveFrom|prices\[0\]\.effectiveFrom/);
    expect(() => parseConfig({ openingBalance: { amount: '1.00', date: '2026-13-01' } }, 'c.json')).toThrow(/openingBalance\.date/);
  });
  it('takes real dates, 29 February of a leap year included', () => {
    expect(() => parseConfig(withPrice('2028-02-29'), 'c.json')).not.toThrow();
  });
});
