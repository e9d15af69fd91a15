/** Every reader a run knows, and the matching options, from the config (a bad one is a ConfigError). */
import { ConfigError, type Config } from '../config.js';
import { parseMatchingConfig, type MatchOptions } from '../engine/matching/index.js';
import { paymentsReader } from '../sources/payments.js';
import { billingTableReader } from '../sources/receipts/billing-table.js';
import { receiptReader } from '../sources/receipts/reader.js';
import { makeStatementReader } from '../sources/statement.js';
import { n43Reader } from '../sources/n43.js';
import { resolveProfiles, StatementProfileError } from '../sources/statement-profile.js';
import { exportReaders, type AnyReader } from '../sources/index.js';
import { identityMaps, withApiIds, type IdentityMap } from '../engine/identities.js';
import type { CostRecord, UsageRecord } from '../model.js';
import type { ReadBatch } from '../sources/contract.js';
import type { Period } from '../time.js';

/** Every reader a run knows: the provider's exports, the payment history (CSV, receipts, pasted billing tables), statements through the built-in and configured profiles, Norma 43 files. */
export function allReaders(config: Config, period: Period | null = null): AnyReader[] {
  const statementReader = makeStatementReader(statementProfiles(config), { period: period ? { from: period.from, to: period.to } : null, homeCurrency: config.homeCurrency });
  const maps = identityMaps(config.providers);
  return [...exportReaders.map((r) => withChannelAndIds(r, maps)), paymentsReader, receiptReader, billingTableReader, statementReader, n43Reader];
}

/** An export reader whose records carry its channel and the API's ids for the console's names (config `providers`). */
function withChannelAndIds(reader: AnyReader, maps: ReadonlyMap<string, IdentityMap>): AnyReader {
  if (reader.channel === undefined && maps.size === 0) return reader;
  const channel = reader.channel;
  return {
    format: reader.format,
    label: reader.label,
    kind: reader.kind,
    channel,
    detect: (input) => reader.detect(input),
    async *read(input, detection, ctx) {
      for await (const b of reader.read(input, detection, ctx) as AsyncIterable<ReadBatch<UsageRecord | CostRecord>>) {
        yield { ...b, records: b.records.map((r) => withApiIds(channel ? { ...r, channel } : r, maps)) };
      }
    },
  };
}

export function matchOptions(config: Config): MatchOptions {
  const parsed = parseMatchingConfig(config.matching, config.timezone);
  if (!parsed.ok) throw new ConfigError(`config is not valid:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.options;
}

function statementProfiles(config: Config) {
  try {
    return resolveProfiles(config.statementProfiles, 'statementProfiles');
  } catch (e) {
    if (e instanceof StatementProfileError) throw new ConfigError(`config is not valid:\n  ${e.problems.map((p) => `${p.path}: ${p.message}`).join('\n  ')}`);
    throw e;
  }
}
