/**
 * The command line (SPEC §6): parses flags, calls the pipeline, writes and prints.
 * Exit codes: 0 success; 1 finished but exceptions at or above --fail-on; 2 bad usage
 * or unreadable input. Messages, never stack traces.
 */
import { access, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_TEMPLATE, ConfigError, loadConfig } from './config.js';
import { SEVERITY_RANK, type Exception, type Severity } from './model.js';
import { runReport, StrictModeError, type Progress, type ReportResult } from './pipeline.js';
import cliProgress from 'cli-progress';
import { writeReportCsv } from './report/csv-out.js';
import { reportToJson } from './report/json.js';
import { writeReportWorkbook } from './report/index.js';
import { inspectFiles, printInspection } from './inspect.js';
import { InputError } from './sources/index.js';
import { isoUtc } from './time.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

class UsageError extends Error {}

interface CommonOptions {
  tz?: string;
  config?: string;
  json?: boolean;
  csv?: string;
  strict?: boolean;
  splitDays?: boolean;
  failOn: 'none' | Severity;
  period?: string;
  since?: string;
  until?: string;
  out?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

function addPeriodOptions(cmd: Command): Command {
  return cmd
    .option('--period <YYYY-MM>', 'a calendar month in the reporting time zone')
    .option('--since <YYYY-MM-DD>', 'first local date (inclusive)')
    .option('--until <YYYY-MM-DD>', 'last local date (inclusive)');
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--tz <zone>', 'reporting time zone (IANA name); overrides the config')
    .option('--config <file>', 'spendrecon.config.json')
    .option('--json', 'print the results as one JSON document on stdout')
    .option('--csv <dir>', 'also write one CSV per sheet into this directory')
    .option('--strict', 'stop at the first bad row')
    .option('--split-days', 'spread daily cost buckets over local days by hourly/minute usage')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an exception at or above this severity is found').choices(['none', 'info', 'warning', 'error']).default('none'));
}

function validatePeriod(o: CommonOptions) {
  if (o.period && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.period)) throw new UsageError(`--period: expected YYYY-MM, got "${o.period}"`);
  for (const [flag, v] of [['--since', o.since], ['--until', o.until]] as const) {
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`${flag}: expected YYYY-MM-DD, got "${v}"`);
  }
}

/** A progress bar on stderr for inputs large enough to wait for; silent when stderr is not a terminal. */
function stderrProgress(): { onProgress?: Progress; stop: () => void } {
  if (!process.stderr.isTTY) return { stop: () => {} };
  let bar: cliProgress.SingleBar | null = null;
  return {
    onProgress: ({ file, bytesRead, bytesTotal }) => {
      if (bytesTotal < PROGRESS_MIN_BYTES) return;
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: ' reading |{bar}| {percentage}% | {value}/{total} MB | {file}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.ceil(bytesTotal / 1e6), 0, { file });
      }
      bar.update(Math.floor(bytesRead / 1e6), { file });
    },
    stop: () => bar?.stop(),
  };
}

/** Below this much input a run takes about a second: no bar. */
const PROGRESS_MIN_BYTES = 20 * 1024 * 1024;

function failExit(exceptions: Exception[], failOn: CommonOptions['failOn']): number {
  if (failOn === 'none') return 0;
  return exceptions.some((e) => SEVERITY_RANK[e.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}

function printReportSummary(r: ReportResult, out: string | null, stream: NodeJS.WritableStream) {
  const cur = r.currency;
  const lines: [string, string][] = [
    ['period', `${r.period.from} to ${r.period.to} (${r.period.timezone}; UTC ${isoUtc(r.period.utcStart)} to ${isoUtc(r.period.utcEnd)})`],
    ['billed (cost export)', `${r.totals.costExport.toDisplay(2)} ${cur}`],
    ['attributed', `${r.totals.billed.toDisplay(2)} ${cur}`],
    ['not attributed to a key', `${r.totals.unallocated.toDisplay(2)} ${cur}`],
    ['rejected rows', `${r.totals.rejectedRows} (${r.totals.rejectedAmount.toDisplay(2)} ${cur})`],
    ['exceptions', (['error', 'warning', 'info'] as const).map((s) => `${r.exceptions.filter((e) => e.severity === s).length} ${s}`).join(', ')],
  ];
  const top = r.summaries.byProject.slice(0, 8).map((p) => [`  ${p.projectName ?? p.projectId}`, `${p.billed.toDisplay(2)} ${cur}`] as [string, string]);
  const w = Math.max(...[...lines, ...top].map(([k]) => k.length));
  for (const [k, v] of lines) stream.write(`${k.padEnd(w)}  ${v}\n`);
  if (top.length) {
    stream.write('by project:\n');
    for (const [k, v] of top) stream.write(`${k.padEnd(w)}  ${v.padStart(14)}\n`);
  }
  if (out) stream.write(`workbook: ${out}\n`);
}

async function runReportCommand(o: CommonOptions & { usage?: string[]; costs?: string[]; payments?: string[]; statement?: string[] }, defaults: { cwd: string; outDir?: string }) {
  validatePeriod(o);
  if (!o.costs?.length) throw new UsageError('report needs --costs FILE... (the cost export is the source of billed money)');
  if (o.payments?.length || o.statement?.length) {
    throw new UsageError('--payments/--statement: reconciliation is not part of this build yet (see README, "Status")');
  }
  const config = await loadConfig(o.config, o.tz);
  const progress = stderrProgress();
  const result = await runReport({
    usage: o.usage ?? [],
    costs: o.costs,
    config,
    period: { month: o.period, since: o.since, until: o.until },
    strict: !!o.strict,
    splitDays: !!o.splitDays,
    cwd: defaults.cwd,
    onProgress: progress.onProgress,
    onNotice: (m) => process.stderr.write(`notice: ${m}\n`),
  }).finally(() => progress.stop());
  const out = resolve(defaults.cwd, o.out ?? join(defaults.outDir ?? 'reports', `${result.period.label}.xlsx`));
  await writeReportWorkbook(result, out);
  if (o.csv) await writeReportCsv(result, resolve(defaults.cwd, o.csv));
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ ...reportToJson(result), workbook: out }, null, 2)}\n`);
    printReportSummary(result, out, process.stderr);
  } else printReportSummary(result, out, process.stdout);
  return failExit(result.exceptions, o.failOn);
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('spendrecon')
    .description('Reconcile and report spend on AI APIs: usage and cost exports into attributed Excel workbooks.')
    .showHelpAfterError()
    .exitOverride();

  addPeriodOptions(
    addCommonOptions(
      program
        .command('report')
        .description('attribute billed spend by project, key, model, user and local day; write the workbook')
        .option('--usage <files...>', 'usage exports (files, directories, globs)', collect)
        .option('--costs <files...>', 'cost exports (files, directories, globs)', collect)
        .option('--payments <files...>', 'payment history (not yet in this build)')
        .option('--statement <files...>', 'card statements (not yet in this build)')
        .option('--out <file>', 'workbook path (default reports/<period>.xlsx)'),
    ),
  ).action(async (o) => setExit(await runReportCommand(o, { cwd: process.cwd() })));

  addCommonOptions(program.command('inspect').description('what each file was detected as and why, its mapping, first rows and problems').argument('<files...>'))
    .action(async (files: string[], o: CommonOptions) => {
      const config = await loadConfig(o.config, o.tz);
      const results = await inspectFiles(files, config, process.cwd());
      if (o.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else printInspection(results, process.stdout);
      const bad = results.some((r) => !r.recognised || r.missingRequired.length > 0);
      setExit(bad ? 2 : failExit(results.flatMap((r) => r.problems.map((p) => ({ severity: p.severity }) as Exception)), o.failOn));
    });

  program
    .command('init')
    .description('write a config template (spendrecon.config.json) into the current directory')
    .option('--force', 'overwrite existing files')
    .action(async (o: { force?: boolean }) => {
      const target = resolve('spendrecon.config.json');
      if (!o.force) {
        const exists = await access(target).then(
          () => true,
          () => false,
        );
        if (exists) throw new UsageError(`${target} exists; use --force to overwrite`);
      }
      await writeFile(target, `${JSON.stringify(CONFIG_TEMPLATE, null, 2)}\n`);
      process.stdout.write(`wrote ${target}\n`);
      setExit(0);
    });

  addCommonOptions(program.command('demo').description('the whole job on the bundled fixtures; the workbook lands in reports/').option('--out <file>', 'workbook path (default reports/2026-10.xlsx)')).action(async (o: CommonOptions) => {
    const fx = join(PACKAGE_ROOT, 'fixtures');
    setExit(
      await runReportCommand(
        {
          ...o,
          config: o.config ?? join(fx, 'spendrecon.config.json'),
          usage: [join(fx, 'openai', '*.csv'), join(fx, 'openai', 'api')],
          costs: [join(fx, 'openai', '*.csv'), join(fx, 'openai', 'api')],
          period: '2026-10',
        },
        { cwd: process.cwd() },
      ),
    );
  });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; commander has already printed its message
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError || e instanceof InputError || e instanceof ConfigError || e instanceof StrictModeError) {
      process.stderr.write(`spendrecon: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`spendrecon: unexpected error: ${(e as Error).message}\n`);
    if (process.env.SPENDRECON_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return 2;
  }
}
