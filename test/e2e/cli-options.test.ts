import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import { cli, ROOT } from './run-cli.js';

const program = buildProgram(() => {});
const optionsOf = (name: string) =>
  program.commands
    .find((c) => c.name() === name)!
    .options.map((o) => o.long!)
    .filter((o) => o !== '--help');
const helpOf = (name: string) => program.commands.find((c) => c.name() === name)!.helpInformation();
const shared = ['--tz', '--config', '--json', '--fail-on'];

describe('each subcommand lists only the options that do something there', () => {
  it.each([
    [
      'report',
      [
        '--usage',
        '--costs',
        '--payments',
        '--statement',
        '--period',
        '--since',
        '--until',
        ...shared,
        '--csv',
        '--strict',
        '--split-days',
        '--overrides',
        '--closing-balance',
        '--home-currency',
        '--focus',
        '--html',
        '--out',
      ],
    ],
    ['match', ['--payments', '--statement', '--period', '--since', '--until', ...shared, '--csv', '--strict', '--overrides', '--home-currency', '--html', '--out']],
    ['ledger', ['--payments', '--costs', '--period', '--since', '--until', ...shared, '--csv', '--strict', '--closing-balance', '--html', '--out']],
    ['inspect', [...shared, '--suggest-profile']],
    ['demo', [...shared, '--csv', '--strict', '--split-days', '--out', '--focus', '--html']],
    ['init', ['--force']],
    ['profile', ['--name', '--currency', '--period', '--json']],
    [
      'fetch',
      [
        '--period',
        '--since',
        '--until',
        '--tz',
        '--config',
        '--out',
        '--bucket-width',
        '--split-days',
        '--resume',
        '--openai-key-file',
        '--anthropic-key-file',
        '--timeout',
        '--base-url',
      ],
    ],
  ])('%s', (name, expected) => {
    expect(optionsOf(name).sort()).toEqual([...expected].sort());
  });

  it('marks the required inputs in the help', () => {
    expect(helpOf('report')).toMatch(/--costs <files\.\.\.>\s+cost exports \(files, directories, globs\)\s+\(required\)/);
    expect(helpOf('report')).not.toMatch(/--usage[^\n]*\(required\)/);
    for (const o of ['--payments', '--statement']) expect(program.commands.find((c) => c.name() === 'match')!.options.find((x) => x.long === o)!.mandatory).toBe(true);
  });
});

describe('help and version', () => {
  it('--help has examples and the exit codes; --version is the package version', async () => {
    const help = await cli(['--help'], tmpdir());
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n\s+spendrecon demo/);
    expect(help.stdout).toMatch(/Exit codes:\n\s+0\s+success\n\s+1\s+finished[^\n]*--fail-on[^\n]*\n\s+2\s+bad usage or unreadable input/);
    const version = await cli(['--version'], tmpdir());
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('a subcommand help ends with an example and the exit codes', () => {
    for (const name of ['report', 'match', 'ledger', 'inspect']) {
      let text = '';
      const cmd = program.commands.find((c) => c.name() === name)!;
      cmd.configureOutput({ writeOut: (s) => void (text += s) });
      cmd.outputHelp();
      expect(text, name).toMatch(/Exit codes:/);
      expect(text, name).toMatch(new RegExp(`Example:\\n  spendrecon ${name} `));
    }
  });
});

describe('an option a subcommand does not take is refused (exit 2), not accepted silently', () => {
  it.each([
    [['inspect', 'x.csv', '--csv', 'out'], '--csv'],
    [['match', '--payments', 'p.csv', '--statement', 's.csv', '--closing-balance', '1.00'], '--closing-balance'],
    [['ledger', '--payments', 'p.csv', '--overrides', 'o.json'], '--overrides'],
  ])('%j', async (args, flag) => {
    const r = await cli(args, tmpdir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`unknown option '${flag}'`);
  });

  it('report without --costs is bad usage (exit 2) naming the option', async () => {
    const r = await cli(['report', '--usage', 'u.csv'], tmpdir());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/required option '--costs <files\.\.\.>' not specified/);
  });
});
