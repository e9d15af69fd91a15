#!/usr/bin/env node
// @ts-check
/**
 * The baseline of the benchmark (SPEC §8): DuckDB scans the same usage and cost CSVs and
 * computes the same group-by totals, in SQL, the result staying in DuckDB.
 *
 *   node bench/duckdb-job.mjs USAGE.csv COST.csv            the timed job (bench/run.mjs)
 *   node bench/duckdb-job.mjs USAGE.csv COST.csv --diag     + untimed diagnostics (group counts)
 *
 * Prints one JSON document on stdout:
 *   usage: rows, emptyBuckets, groups (project × key × model × UTC day), input/output tokens
 *          (all rows, and only models that the cost export bills), per model
 *   cost:  rows, billed total and per project, summed EXACTLY: amount_value is read as VARCHAR
 *          and cast to DECIMAL(38,18) (never DOUBLE); exact for amounts with ≤ 18 decimals
 *          of non-zero digits, which the generated data and the real exports satisfy.
 * Token counts are written as floats (`31422.0`): read as DOUBLE and cast to BIGINT per row
 * before summing, so the sums are exact integers.
 */
import { DuckDBInstance } from '@duckdb/node-api';

const [usagePath, costPath, ...flags] = process.argv.slice(2);
if (!usagePath || !costPath) {
  process.stderr.write('usage: node bench/duckdb-job.mjs USAGE.csv COST.csv [--diag]\n');
  process.exit(2);
}
const diag = flags.includes('--diag');
const q = (s) => `'${s.replace(/'/g, "''")}'`;
const t0 = performance.now();
const phases = {};
const lap = (name, since) => {
  phases[name] = Math.round(performance.now() - since) / 1000;
  return performance.now();
};

const instance = await DuckDBInstance.create(':memory:');
const con = await instance.connect();
const rows = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJson();

const USAGE_TYPES = `{'start_time': 'BIGINT', 'end_time': 'BIGINT', 'project_id': 'VARCHAR', 'api_key_id': 'VARCHAR', 'user_id': 'VARCHAR', 'model': 'VARCHAR', 'service_tier': 'VARCHAR', 'batch': 'VARCHAR', 'input_tokens': 'DOUBLE', 'output_tokens': 'DOUBLE'}`;
const COST_TYPES = `{'start_time': 'BIGINT', 'end_time': 'BIGINT', 'amount_value': 'VARCHAR', 'amount_currency': 'VARCHAR', 'line_item': 'VARCHAR', 'project_id': 'VARCHAR', 'api_key_id': 'VARCHAR', 'user_id': 'VARCHAR'}`;
const usageScan = `read_csv(${q(usagePath)}, header = true, types = ${USAGE_TYPES})`;
const costScan = `read_csv(${q(costPath)}, header = true, types = ${COST_TYPES})`;

// 1. usage: one scan, tokens per project × key × model × UTC day; kept in DuckDB
let t = performance.now();
await con.run(`
  CREATE TEMP TABLE g AS
  SELECT project_id, api_key_id, model, start_time // 86400 AS utc_day,
         count(*) AS n,
         sum(input_tokens::BIGINT) AS input_tokens,
         sum(output_tokens::BIGINT) AS output_tokens
  FROM ${usageScan}
  GROUP BY ALL`);
t = lap('usageScanGroupBy', t);

// 2. cost: billed per project, exact decimals
await con.run(`
  CREATE TEMP TABLE c AS
  SELECT project_id,
         regexp_extract(line_item, '^(?:[^|]*\\| )?([A-Za-z0-9][A-Za-z0-9._:-]*)[^,]*, (input|output|cached input|cache writes)', 1) AS model,
         start_time // 86400 AS utc_day,
         count(*) AS n,
         sum(amount_value::DECIMAL(38,18)) AS billed
  FROM ${costScan}
  WHERE amount_value IS NOT NULL AND amount_value <> ''
  GROUP BY ALL`);
t = lap('costScanGroupBy', t);

// 3. read the small answers back
const [u] = await rows(`
  SELECT sum(n)::BIGINT AS rows,
         coalesce(sum(n) FILTER (WHERE model IS NULL AND project_id IS NULL AND api_key_id IS NULL), 0)::BIGINT AS empty_buckets,
         count(*) FILTER (WHERE model IS NOT NULL)::BIGINT AS groups,
         sum(input_tokens)::BIGINT AS input_tokens,
         sum(output_tokens)::BIGINT AS output_tokens,
         sum(input_tokens) FILTER (WHERE model IN (SELECT model FROM c WHERE model <> ''))::BIGINT AS input_tokens_billed_models,
         sum(output_tokens) FILTER (WHERE model IN (SELECT model FROM c WHERE model <> ''))::BIGINT AS output_tokens_billed_models
  FROM g`);
const byModel = await rows(`
  SELECT model, sum(input_tokens)::BIGINT AS input_tokens, sum(output_tokens)::BIGINT AS output_tokens
  FROM g WHERE model IS NOT NULL GROUP BY model ORDER BY model`);
const [ct] = await rows(`SELECT sum(n)::BIGINT AS rows, sum(billed)::VARCHAR AS billed FROM c`);
const byProject = await rows(`SELECT project_id, sum(billed)::VARCHAR AS billed FROM c GROUP BY project_id ORDER BY project_id`);
t = lap('readBack', t);

const out = {
  engine: 'duckdb',
  version: (await rows('SELECT version() AS v'))[0].v,
  threads: Number((await rows(`SELECT current_setting('threads') AS t`))[0].t),
  usage: {
    rows: Number(u.rows),
    emptyBuckets: Number(u.empty_buckets),
    groupsProjectKeyModelUtcDay: Number(u.groups),
    inputTokens: Number(u.input_tokens),
    outputTokens: Number(u.output_tokens),
    inputTokensBilledModels: Number(u.input_tokens_billed_models ?? 0),
    outputTokensBilledModels: Number(u.output_tokens_billed_models ?? 0),
    byModel: byModel.map((r) => ({ model: r.model, inputTokens: Number(r.input_tokens), outputTokens: Number(r.output_tokens) })),
  },
  cost: {
    rows: Number(ct.rows),
    billed: ct.billed,
    byProject: byProject.map((r) => ({ projectId: r.project_id, billed: r.billed })),
  },
  phases,
};

if (diag) {
  // not part of the timed job: the number of groups spendrecon's UsageAggregator keeps without
  // --split-days (bucket width × UTC day × project × model × key × user × tier × batch; a bucket
  // of a day or wider is its own slot), and the hour slots those groups' seen buckets span
  t = performance.now();
  const [d] = await rows(`
    SELECT count(DISTINCT (w, CASE WHEN w < 86400 THEN s // 86400 ELSE s END, project_id, model, api_key_id, user_id, service_tier, b))::BIGINT AS aggregator_groups,
           count(DISTINCT (w, s // 3600, project_id, model, api_key_id, user_id, service_tier, b))::BIGINT AS hour_groups
    FROM (SELECT end_time - start_time AS w, start_time AS s, project_id, model, api_key_id, user_id, service_tier, lower(batch) AS b
          FROM ${usageScan} WHERE model IS NOT NULL)`);
  const [cd] = await rows(`SELECT count(*)::BIGINT AS cost_groups FROM (SELECT DISTINCT utc_day, project_id, model FROM c)`);
  out.diag = {
    version: 2,
    aggregatorGroups: Number(d.aggregator_groups),
    hourGroups: Number(d.hour_groups),
    costDayProjectModelGroups: Number(cd.cost_groups),
    seconds: Math.round(performance.now() - t) / 1000,
  };
}
out.seconds = Math.round(performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
