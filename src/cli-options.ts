/** The command line's shared options and help texts (SPEC §6). */
import { type Command, Option } from 'commander';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function addPeriodOptions(cmd: Command): Command {
  return cmd
    .option('--period <YYYY-MM>', 'a calendar month in the reporting time zone')
    .option('--since <YYYY-MM-DD>', 'first local date (inclusive)')
    .option('--until <YYYY-MM-DD>', 'last local date (inclusive)');
}

/** Every option a run can take; each subcommand lists the ones that do something there. */
const RUN_OPTIONS = {
  tz: () => new Option('--tz <zone>', 'reporting time zone (IANA name); overrides the config'),
  config: () => new Option('--config <file>', 'spendrecon.config.json'),
  json: () => new Option('--json', 'print the results as one JSON document on stdout'),
  csv: () => new Option('--csv <dir>', 'also write one CSV per sheet into this directory'),
  strict: () => new Option('--strict', 'stop at the first bad row'),
  splitDays: () => new Option('--split-days', 'spread daily cost buckets over local days by hourly/minute usage'),
  failOn: () => new Option('--fail-on <severity>', 'exit 1 when an exception at or above this severity is found').choices(['none', 'info', 'warning', 'error']).default('none'),
  overrides: () => new Option('--overrides <file>', 'reviewer decisions: pairs to force or forbid (JSON)'),
  closingBalance: () => new Option('--closing-balance <amount>', 'the balance the dashboard shows, checked against the ledger'),
  homeCurrency: () => new Option('--home-currency <code>', 'home currency of the reimbursement workbook (overrides the config)'),
  focus: () => new Option('--focus <file>', 'also write the attributed spend as a FinOps FOCUS cost CSV'),
  html: () => new Option('--html <file>', 'HTML report path (report and demo write reports/<period>.html beside the workbook anyway)'),
  out: () => new Option('--out <file>', 'workbook path (default reports/<period>[-match|-ledger].xlsx)'),
} as const;
export type RunOption = keyof typeof RUN_OPTIONS;

export function addRunOptions(cmd: Command, names: readonly RunOption[]): Command {
  for (const n of names) cmd.addOption(RUN_OPTIONS[n]());
  return cmd;
}

export const EXIT_CODES = `
Exit codes:
  0  success
  1  finished, but an exception at or above --fail-on was found (or a conservation equation broke)
  2  bad usage or unreadable input (a message names the file, line and column)`;

export const EXAMPLES = `
Examples:
  spendrecon demo                                   the whole job on the bundled fixtures
  spendrecon report --usage exports/ --costs exports/ --payments payments.csv --statement bank/ --period 2026-10 --tz Europe/Berlin
  spendrecon match --payments payments.csv --statement bank/ --fail-on warning
  spendrecon ledger --payments payments.csv --costs exports/ --closing-balance 310.21
  spendrecon inspect bank/statement.csv             what a file was detected as, and why
  spendrecon init                                   spendrecon.config.json and payments.csv templates
`;

export type InputName = 'usage' | 'costs' | 'payments' | 'statement';

/** The input options a subcommand takes; the ones it cannot run without are mandatory. */
export function addInputOptions(cmd: Command, which: InputName[], required: Exclude<InputName, 'usage'>[] = []): Command {
  const add = (flags: string, what: string, name: InputName) => {
    if (!which.includes(name)) return;
    const o = new Option(flags, required.includes(name as 'costs') ? `${what} (required)` : what).argParser(collect);
    if (required.includes(name as 'costs')) o.makeOptionMandatory();
    cmd.addOption(o);
  };
  add('--usage <files...>', 'usage exports (files, directories, globs)', 'usage');
  add('--costs <files...>', 'cost exports (files, directories, globs)', 'costs');
  add('--payments <files...>', 'payment history CSV (see `spendrecon init`)', 'payments');
  add('--statement <files...>', 'card or bank statements (any built-in or configured profile)', 'statement');
  return cmd;
}
