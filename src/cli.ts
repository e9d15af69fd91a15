/**
 * The command line (SPEC §6): parses flags, calls the pipeline, writes and prints.
 * Exit codes: 0 success; 1 finished but exceptions at or above --fail-on; 2 bad usage
 * or unreadable input. Messages, never stack traces.
 */
import { readFileSync } from 'node:fs';
import { access, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_TEMPLATE, ConfigError, loadConfig } from './config.js';
import { SEVERITY_RANK, type Exception, type Severity } from './model.js';
import { allReaders, runReport, StrictModeError, type Progress } from './pipeline.js';
import cliProgress from 'cli-progress';
import { CellValueError } from './report/cells.js';
import { reportCsvPaths } from './report/csv-out.js';
import { jsonText, reportToJson } from './report/json.js';
import { htmlReportPath } from './report/html/index.js';
import { loadOutputWriters, writeRunOutputs } from './report/outputs.js';
import { reimbursementWorkbookPath } from './report/reimbursement/index.js';
import { inspectFiles, printInspection } from './inspect.js';
import { displayPath, expandInputs, InputError, openInput } from './sources/index.js';
import { suggestionExitCode, suggestProfile } from './sources/profile-suggest.js';
import { printProfileSuggestion } from './sources/profile-suggest-print.js';
import { installTempFileCleanup, OutputError, refuseOverwritingInputs, removeLiveTempFiles, type NamedPath } from './output-files.js';
import { PAYMENTS_TEMPLATE_CSV } from './sources/payments.js';
import { MatchingLimitError, parseMatchOverrides, type MatchOverrides } from './engine/matching/index.js';
import { Decimal } from './money.js';
import { isCalendarDate, lastDayOfMonth } from './time.js';
import { guardClosedPipe, inlineText, stderrSink, stdoutSink } from './terminal.js';
import { fetchCommand, type FetchCommandOptions } from './fetch/command.js';
import { addInputOptions, addPeriodOptions, addRunOptions, EXAMPLES, EXIT_CODES, type InputName, type RunOption } from './cli-options.js';
import { printReportSummary } from './cli-summary.js';
import { MemoryBoundError } from './memory-bounds.js';

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

class UsageError extends Error {}

/** The version in package.json (read at run time: the checkout and an installed copy both have it). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Where a run is, so a last-resort message can say which stage (and file) it failed in. */
const whereWeAre: { stage: string; file: string | null } = { stage: 'reading the command line', file: null };

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

function validatePeriod(o: CommonOptions) {
  if (o.period && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.period)) throw new UsageError(`--period: expected YYYY-MM, got "${o.period}"`);
  for (const [flag, v] of [
    ['--since', o.since],
    ['--until', o.until],
  ] as const) {
    if (v && !isCalendarDate(v)) throw new UsageError(`${flag}: expected a date YYYY-MM-DD, got "${v}"`);
  }
  if (o.since && o.until && o.until < o.since) throw new UsageError(`--until ${o.until} is before --since ${o.since}`);
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
        bar.start(Math.ceil(bytesTotal / 1e6), 0, { file: inlineText(file) });
      }
      bar.update(Math.floor(bytesRead / 1e6), { file: inlineText(file) });
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

type Job = 'report' | 'match' | 'ledger';
type JobOptions = CommonOptions & {
  usage?: string[];
  costs?: string[];
  payments?: string[];
  statement?: string[];
  overrides?: string;
  closingBalance?: string;
  homeCurrency?: string;
  focus?: string;
  html?: string;
};

async function loadOverrides(path: string | undefined, cwd: string): Promise<MatchOverrides | undefined> {
  if (!path) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse((await readFile(resolve(cwd, path), 'utf8')).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UsageError(`--overrides ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const parsed = parseMatchOverrides(raw, path);
  if (!parsed.ok) throw new UsageError(`--overrides ${path} is not valid:\n  ${parsed.errors.join('\n  ')}`);
  return parsed.overrides;
}

/**
 * Every file an output must never replace: each input named or found by scanning (under
 * every path that reaches it), the config file and the overrides file.
 */
async function inputsNotToOverwrite(patterns: string[], o: JobOptions, cwd: string): Promise<NamedPath[]> {
  const files = await expandInputs(patterns, cwd, undefined, o.payments ?? []);
  const list: NamedPath[] = files.flatMap((f) => [f.path, ...(f.aliases ?? [])].map((path) => ({ path, role: 'the input' })));
  if (o.config) list.push({ path: resolve(cwd, o.config), role: 'the config file' });
  if (o.overrides) list.push({ path: resolve(cwd, o.overrides), role: 'the overrides file' });
  return list;
}

/** The job's own options checked; the closing balance given, as a decimal. */
function checkJobOptions(job: Job, o: JobOptions): Decimal | undefined {
  validatePeriod(o);
  if (job === 'report' && !o.costs?.length) throw new UsageError('report needs --costs FILE... (the cost export is the source of billed money)');
  if (job === 'match' && (!o.payments?.length || !o.statement?.length)) throw new UsageError('match needs --payments FILE... and --statement FILE...');
  if (job === 'ledger' && !o.payments?.length) throw new UsageError('ledger needs --payments FILE... (and --costs FILE... for the usage drawn down)');
  if (o.closingBalance === undefined) return undefined;
  const d = Decimal.parse(o.closingBalance);
  if (d === null) throw new UsageError(`--closing-balance: expected a decimal amount such as 123.45, got "${o.closingBalance}"`);
  return d;
}

/** report, match and ledger share one runner; they differ in the sections they ask for. */
async function runJobCommand(job: Job, o: JobOptions, defaults: { cwd: string }) {
  const closingBalance = checkJobOptions(job, o);
  whereWeAre.stage = 'loading the config';
  const config = await loadConfig(o.config, o.tz);
  if (o.homeCurrency) {
    if (!/^[A-Za-z]{3}$/.test(o.homeCurrency)) throw new UsageError(`--home-currency: expected a 3-letter code such as CNY, got "${o.homeCurrency}"`);
    config.homeCurrency = o.homeCurrency.toUpperCase();
  }
  const overrides = await loadOverrides(o.overrides, defaults.cwd);
  const inputPatterns = [...(o.usage ?? []), ...(o.costs ?? []), ...(o.payments ?? []), ...(o.statement ?? [])];
  const protectedInputs = await inputsNotToOverwrite(inputPatterns, o, defaults.cwd);
  const progress = stderrProgress();
  whereWeAre.stage = 'reading the inputs and computing the results';
  const result = await runReport({
    usage: job === 'report' ? (o.usage ?? []) : [],
    costs: job === 'match' ? [] : (o.costs ?? []),
    payments: o.payments ?? [],
    statements: job === 'ledger' ? [] : (o.statement ?? []),
    config,
    period: { month: o.period, since: o.since, until: o.until },
    strict: !!o.strict,
    splitDays: !!o.splitDays,
    overrides,
    closingBalance,
    want: job === 'report' ? undefined : { attribution: false, reconciliation: job === 'match', ledger: job === 'ledger' },
    cwd: defaults.cwd,
    onProgress: (p) => {
      whereWeAre.file = p.file;
      progress.onProgress?.(p);
    },
    onNotice: (m) => stderrSink().write(`notice: ${m}\n`),
    onIdle: (free) => loadOutputWriters(free, !!o.html || job === 'report'),
  }).finally(() => progress.stop());
  whereWeAre.file = null;
  const suffix = job === 'report' ? '' : `-${job}`;
  const out = resolve(defaults.cwd, o.out ?? join('reports', `${result.period.label}${suffix}.xlsx`));
  // the accountants' workbook (SPEC §5.2) beside the report
  const reimb =
    result.reconciliation && job !== 'ledger'
      ? o.out
        ? out.replace(/(\.xlsx)?$/i, '-reimbursement.xlsx')
        : resolve(defaults.cwd, reimbursementWorkbookPath(result.period, 'reports'))
      : null;
  const outs = reimb ? [out, reimb] : [out];
  const csvDir = o.csv ? resolve(defaults.cwd, o.csv) : null;
  const focus = o.focus ? resolve(defaults.cwd, o.focus) : null;
  // the month at a glance beside the workbook (report, demo), or where --html says
  const html = o.html ? resolve(defaults.cwd, o.html) : job === 'report' ? htmlReportPath(out) : null;
  const planned: NamedPath[] = [
    { path: out, role: o.out ? '--out' : 'the workbook' },
    ...(reimb ? [{ path: reimb, role: 'the reimbursement workbook' }] : []),
    ...(csvDir ? reportCsvPaths(csvDir).map((path) => ({ path, role: '--csv' })) : []),
    ...(focus ? [{ path: focus, role: '--focus' }] : []),
    ...(html ? [{ path: html, role: o.html ? '--html' : 'the HTML report' }] : []),
  ];
  whereWeAre.stage = 'checking the output paths';
  await refuseOverwritingInputs(planned, protectedInputs, (p) => displayPath(p, defaults.cwd));
  whereWeAre.stage = 'writing the outputs';
  await writeRunOutputs(result, config, { out, reimb, csvDir, focus, html });
  if (o.json) {
    stdoutSink().write(`${jsonText({ ...reportToJson(result), workbooks: outs, html })}\n`);
    printReportSummary(result, outs, stderrSink());
  } else printReportSummary(result, outs, stdoutSink());
  if (html) (o.json ? stderrSink() : stdoutSink()).write(`html: ${inlineText(html)}\n`);
  // a broken conservation equation never passes silently, whatever --fail-on says
  if (!result.conservation.holds) return 1;
  return failExit(result.exceptions, o.failOn);
}

/** report, match and ledger: one runner, each with the inputs and options that do something there. */
function addJobCommands(program: Command, setExit: (code: number) => void): void {
  const job = (name: Job, description: string, which: InputName[], required: Exclude<InputName, 'usage'>[], options: readonly RunOption[], example: string) =>
    addRunOptions(addPeriodOptions(addInputOptions(program.command(name).description(description), which, required)), options)
      .addHelpText('after', `\nExample:\n  ${example}\n${EXIT_CODES}`)
      .action(async (o: JobOptions) => setExit(await runJobCommand(name, o, { cwd: process.cwd() })));

  job(
    'report',
    'the whole job: attribution, reconciliation and ledger, as far as the inputs allow',
    ['usage', 'costs', 'payments', 'statement'],
    ['costs'],
    ['tz', 'config', 'json', 'csv', 'strict', 'splitDays', 'failOn', 'overrides', 'closingBalance', 'homeCurrency', 'focus', 'html', 'out'],
    'spendrecon report --usage exports/ --costs exports/ --payments payments.csv --statement bank/ --period 2026-10',
  );
  // no attribution here: --split-days, --focus and --closing-balance would do nothing
  job(
    'match',
    'reconciliation only: payments ↔ card statement lines',
    ['payments', 'statement'],
    ['payments', 'statement'],
    ['tz', 'config', 'json', 'csv', 'strict', 'failOn', 'overrides', 'homeCurrency', 'html', 'out'],
    'spendrecon match --payments payments.csv --statement bank/ --period 2026-10 --fail-on warning',
  );
  // no matching and no reimbursement workbook here: --overrides and --home-currency would do nothing
  job(
    'ledger',
    'credit balance roll-forward only: payments in, billed usage out',
    ['payments', 'costs'],
    ['payments'],
    ['tz', 'config', 'json', 'csv', 'strict', 'failOn', 'closingBalance', 'html', 'out'],
    'spendrecon ledger --payments payments.csv --costs exports/ --closing-balance 310.21',
  );
}

/** fetch: the period's usage and costs from the Admin APIs into a folder. */
function addFetchCommand(program: Command, setExit: (code: number) => void): void {
  addPeriodOptions(program.command('fetch').description("pull the period's usage and costs from the providers' Admin APIs into a folder `report` reads"))
    .option('--tz <zone>', 'time zone of the period (IANA name); overrides the config')
    .option('--config <file>', 'spendrecon.config.json (for its time zone)')
    .requiredOption('--out <dir>', 'folder for the page files and fetch-manifest.txt')
    .addOption(new Option('--bucket-width <width>', 'usage bucket width').choices(['1d', '1h']).default('1d'))
    .option('--split-days', 'hourly usage, as report --split-days needs (= --bucket-width 1h)')
    .option('--resume', 'continue an interrupted fetch from its last good page')
    .option('--openai-key-file <file>', 'read the OpenAI Admin key from this file instead of OPENAI_ADMIN_KEY')
    .option('--anthropic-key-file <file>', 'read the Anthropic Admin key from this file instead of ANTHROPIC_ADMIN_KEY')
    .option('--timeout <seconds>', 'per request (default 60)')
    .addOption(new Option('--base-url <url>', 'a local server replaying pages (tests only)').hideHelp())
    .action(async (o: FetchCommandOptions & { tz?: string; config?: string }) => {
      validatePeriod({ ...o, failOn: 'none' });
      whereWeAre.stage = 'fetching from the Admin APIs';
      const config = await loadConfig(o.config, o.tz);
      setExit(await fetchCommand(o, config.timezone, process.cwd(), stderrSink()));
    });
}

/** inspect: what each file was detected as, and why. */
function addInspectCommand(program: Command, setExit: (code: number) => void): void {
  addRunOptions(program.command('inspect').description('what each file was detected as and why, its mapping, first rows and problems').argument('<files...>'), [
    'tz',
    'config',
    'json',
    'failOn',
  ])
    .option('--suggest-profile', 'for one statement no profile knows: propose a profile, as `spendrecon profile FILE` does')
    .addHelpText(
      'after',
      `\nExample:\n  spendrecon inspect bank/statement.csv exports/cost_2026-10-01_2026-10-31.csv\n${EXIT_CODES.replace('(or a conservation equation broke)', '')}`,
    )
    .action(async (files: string[], o: CommonOptions & { suggestProfile?: boolean }) => {
      // the spelling of `profile FILE`, so both reach the same proposal
      if (o.suggestProfile) {
        if (files.length !== 1) throw new UsageError(`--suggest-profile takes one statement file, got ${files.length}`);
        await suggestProfileFor(files[0]!, { json: o.json }, setExit);
        return;
      }
      whereWeAre.stage = 'inspecting the files';
      const config = await loadConfig(o.config, o.tz);
      const results = await inspectFiles(files, config, process.cwd(), allReaders(config));
      if (o.json) stdoutSink().write(`${jsonText(results)}\n`);
      else printInspection(results, stdoutSink());
      const bad = results.some((r) => !r.recognised || r.missingRequired.length > 0);
      setExit(
        bad
          ? 2
          : failExit(
              results.flatMap((r) => r.problems.map((p) => ({ severity: p.severity }) as Exception)),
              o.failOn,
            ),
      );
    });
}

/** profile: a proposed statement profile for an unknown layout. */
function addProfileCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('profile')
    .description('propose a statement profile for a layout no profile knows: the profile JSON, the reasons, the rows as it reads them')
    .argument('<file>')
    .option('--name <name>', 'profile name (default: from the file name)')
    .option('--currency <code>', "the account's currency, for files that never name it")
    .option('--period <YYYY-MM>', 'the statement month, for dates printed without a year')
    .option('--json', 'print the proposal, reasons and rows as one JSON document on stdout')
    .action((file: string, o: ProfileOptions) => suggestProfileFor(file, o, setExit));
}

interface ProfileOptions {
  name?: string;
  currency?: string;
  period?: string;
  json?: boolean;
}

/** `profile FILE` and `inspect --suggest-profile FILE`: the proposal printed, exit 0 or 1 as it has things to check. */
async function suggestProfileFor(file: string, o: ProfileOptions, setExit: (code: number) => void): Promise<void> {
  whereWeAre.stage = 'proposing a statement profile';
  whereWeAre.file = file;
  if (o.name !== undefined && !/^[a-z0-9][a-z0-9._-]*$/.test(o.name)) throw new UsageError(`--name: lower-case letters, digits, ".", "_" or "-"; got "${o.name}"`);
  if (o.currency !== undefined && !/^[A-Za-z]{3}$/.test(o.currency)) throw new UsageError(`--currency: expected an ISO code such as USD, got "${o.currency}"`);
  validatePeriod({ period: o.period, failOn: 'none' });
  const path = resolve(file);
  // a missing file, a directory or a FIFO: opened the way every input is, for the same message
  const opened = await openInput(path, { display: file });
  if (opened.type !== 'csv' && opened.type !== 'sheet') throw new UsageError(`${file}: a card or bank statement must be a CSV file or an Excel workbook (.xlsx)`);
  const period = o.period ? { from: `${o.period}-01`, to: lastDayOfMonth(o.period) } : null;
  const s = await suggestProfile(path, { displayPath: displayPath(path), name: o.name, currency: o.currency?.toUpperCase(), period });
  if (o.json) stdoutSink().write(`${jsonText(s)}\n`);
  else printProfileSuggestion(s, stdoutSink());
  setExit(suggestionExitCode(s));
}

/** init: the config and payments templates in the current directory. */
function addInitCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('init')
    .description('write templates into the current directory: spendrecon.config.json and payments.csv')
    .option('--force', 'overwrite existing files')
    .action(async (o: { force?: boolean }) => {
      whereWeAre.stage = 'writing the templates';
      const files: [string, string][] = [
        ['spendrecon.config.json', `${JSON.stringify(CONFIG_TEMPLATE, null, 2)}\n`],
        ['payments.csv', PAYMENTS_TEMPLATE_CSV],
      ];
      for (const [name] of files) {
        const exists = await access(resolve(name)).then(
          () => true,
          () => false,
        );
        if (exists && !o.force) throw new UsageError(`${resolve(name)} exists; use --force to overwrite`);
      }
      for (const [name, text] of files) {
        await writeFile(resolve(name), text);
        stdoutSink().write(`wrote ${resolve(name)}\n`);
      }
      setExit(0);
    });
}

/** demo: the whole job on the bundled fixtures. */
function addDemoCommand(program: Command, setExit: (code: number) => void): void {
  addRunOptions(program.command('demo').description('the whole job on the bundled fixtures; the workbooks land in reports/'), [
    'tz',
    'config',
    'json',
    'csv',
    'strict',
    'splitDays',
    'failOn',
  ])
    .option('--out <file>', 'workbook path (default reports/2026-10.xlsx)')
    .option('--focus <file>', 'also write a FinOps FOCUS cost CSV')
    .option('--html <file>', 'HTML report path (default beside the workbook)')
    .addHelpText('after', EXIT_CODES)
    .action(async (o: JobOptions) => {
      const fx = join(PACKAGE_ROOT, 'fixtures');
      // Anthropic from its Console CSVs only: the API pages of the same month would count it twice
      const exports = [join(fx, 'openai', '*.csv'), join(fx, 'openai', 'api'), join(fx, 'demo', 'anthropic')];
      setExit(
        await runJobCommand(
          'report',
          {
            ...o,
            config: o.config ?? join(fx, 'spendrecon.config.json'),
            usage: exports,
            costs: exports,
            // receipts as finance keeps them, and a CSV of what has no receipt (fixtures/demo/README.md)
            payments: [join(fx, 'demo', 'receipts')],
            statement: [join(fx, 'demo', 'us-card-2026-10.csv'), join(fx, 'demo', 'cmb-credit-card-2026-10.csv')],
            period: '2026-10',
          },
          { cwd: process.cwd() },
        ),
      );
    });
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('spendrecon')
    .description('Reconcile and report spend on AI APIs: usage and cost exports into attributed Excel workbooks.')
    .version(packageVersion(), '-V, --version', 'the version of spendrecon')
    .addHelpText('after', `${EXAMPLES}${EXIT_CODES}\n\nEach command's options: spendrecon <command> --help`)
    .showHelpAfterError()
    .exitOverride()
    // commander echoes what it was given (an unknown option may be a pasted key): through the sinks too
    .configureOutput({ writeOut: (s) => void stdoutSink().write(s), writeErr: (s) => void stderrSink().write(s) });

  for (const add of [addJobCommands, addFetchCommand, addInspectCommand, addProfileCommand, addInitCommand, addDemoCommand]) add(program, setExit);
  return program;
}

/** The message of an error nobody expected: where it happened, what it said, never a stack. */
function internalErrorMessage(e: unknown): string {
  const at = whereWeAre.file ? ` (last file read: ${whereWeAre.file})` : '';
  const what = e instanceof Error ? e.message : String(e);
  return `spendrecon: internal error while ${whereWeAre.stage}${at}: ${what}; this is a bug (SPENDRECON_DEBUG=1 shows where)\n`;
}

/**
 * For the command-line process only (bin/spendrecon): temp files removed on every exit path,
 * and the last-resort message for errors outside main's reach.
 */
export function installProcessHandlers(): void {
  installTempFileCleanup();
  const lastResort = (e: unknown) => {
    // `spendrecon … --json | head`: the reader went away; not a bug
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') process.stderr.write('spendrecon: cannot write to standard output: the reader closed it (EPIPE)\n');
    else process.stderr.write(internalErrorMessage(e));
    if (process.env.SPENDRECON_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    removeLiveTempFiles();
    process.exit(2);
  };
  process.on('uncaughtException', lastResort);
  process.on('unhandledRejection', lastResort);
}

export async function main(argv: string[]): Promise<number> {
  // a reader that stops early (| head) ends the output quietly, whatever writes first
  guardClosedPipe(process.stdout);
  guardClosedPipe(process.stderr);
  let code = 0;
  whereWeAre.stage = 'reading the command line';
  whereWeAre.file = null;
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
    const err = stderrSink();
    if (
      e instanceof UsageError ||
      e instanceof InputError ||
      e instanceof ConfigError ||
      e instanceof StrictModeError ||
      e instanceof OutputError ||
      e instanceof CellValueError ||
      e instanceof MatchingLimitError ||
      e instanceof MemoryBoundError
    ) {
      err.write(`spendrecon: ${e.message}\n`);
      return 2;
    }
    err.write(internalErrorMessage(e));
    if (process.env.SPENDRECON_DEBUG) err.write(`${(e as Error).stack}\n`);
    return 2;
  }
}
