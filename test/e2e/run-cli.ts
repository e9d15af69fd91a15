/**
 * Runs bin/spendrecon as a child process, asynchronously: a test that ran several CLI runs
 * with spawnSync held its vitest worker's event loop for the whole test, and on a busy
 * 2-core machine that ended once in "[vitest-worker]: Timeout calling onTaskUpdate".
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'spendrecon');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `env` is added to the test's environment.
 * `timeout`: a run that would hang (a FIFO opened) is killed, so the test fails instead of stalling.
 */
export function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const merged: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', ...env };
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: merged, stdio: ['ignore', 'pipe', 'pipe'], timeout });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}
