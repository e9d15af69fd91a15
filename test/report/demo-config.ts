/** The demo config as the OpenAI-only month of earlier sessions: without its Anthropic opening balance. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, parseConfig } from '../../src/config.js';

const FX = join(import.meta.dirname, '..', '..', 'fixtures');

/** `overrides` replace top-level keys (e.g. `organizations: []`). */
export function openAiOnlyConfig(overrides: Record<string, unknown> = {}): Config {
  const raw = JSON.parse(readFileSync(join(FX, 'spendrecon.config.json'), 'utf8'));
  raw.openingBalance = [raw.openingBalance].flat().filter((o: { provider?: string }) => o.provider !== 'anthropic');
  return parseConfig({ ...raw, ...overrides });
}
