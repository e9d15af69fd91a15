/**
 * Running variants: writing their files, then the CLI on them — most in one worker process
 * that calls dist/cli.js's main() in turn, a few as the real program in its own process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './gen.js';
import type { Variant } from './variants.js';

export interface Placed {
  variant: Variant;
  inDir: string;
  outDir: string;
  argv: string[];
  /** SHA-256 of every input file before the run: inputs are only ever read. */
  inputHashes: Map<string, string>;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why the run did not end normally: an exception that escaped, a dead or hung process. */
  crash: string | null;
}

const CLI = join(ROOT, 'dist', 'cli.js');
const BIN = join(ROOT, 'bin', 'spendrecon');

/** Per-variant limit before a worker or child counts as hung; generous, the inputs are small. */
const HANG_MS = Number(process.env.SPENDRECON_FUZZ_HANG_MS ?? 60_000);

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Every regular file under dir (following nothing: links are listed by lstat). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

export function placeVariant(variant: Variant, base: string): Placed {
  const dir = join(base, String(variant.index).padStart(3, '0'));
  const inDir = join(dir, 'in');
  const outDir = join(dir, 'out');
  mkdirSync(outDir, { recursive: true });
  for (const f of variant.files) {
    const p = join(inDir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    if (f.symlink !== undefined) symlinkSync(f.symlink, p);
    else writeFileSync(p, f.bytes!);
  }
  const inputHashes = new Map(listFiles(inDir).map((p) => [p, sha256(readFileSync(p))]));
  const argv = variant.args.map((a) => a.replace(/^@in\//, `${inDir}/`).replace(/^@out\//, `${outDir}/`));
  return { variant, inDir, outDir, argv, inputHashes };
}

/** Input files changed, removed or added by the run. */
export function inputChanges(p: Placed): string[] {
  const now = new Map(listFiles(p.inDir).map((f) => [f, sha256(readFileSync(f))]));
  const changes: string[] = [];
  for (const [f, h] of p.inputHashes) if (now.get(f) !== h) changes.push(`${f.slice(p.inDir.length + 1)} ${now.has(f) ? 'modified' : 'removed'}`);
  for (const f of now.keys()) if (!p.inputHashes.has(f)) changes.push(`${f.slice(p.inDir.length + 1)} written into the input directory`);
  return changes;
}

/** Runs the worker from job `first` on; resolves with the results it wrote and how it ended. */
function runWorker(jobsFile: string, resultsFile: string, first: number): Promise<{ exit: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'worker.mjs'), jobsFile, resultsFile, String(first)], {
      cwd: ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    child.stdout.on('data', () => {
      clearTimeout(timer); // a job finished: the next one gets its own time
      timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
    });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ exit: signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (no progress in ${HANG_MS} ms: hung)` : ''}` : `exit ${code}`, stderr });
    });
  });
}

function readResults(resultsFile: string): Map<number, RunResult> {
  const got = new Map<number, RunResult>();
  if (!existsSync(resultsFile)) return got;
  for (const line of readFileSync(resultsFile, 'utf8').split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line) as RunResult & { i: number };
    got.set(r.i, { code: r.code, stdout: r.stdout, stderr: r.stderr, crash: r.crash });
  }
  return got;
}

/** All in-process variants through one worker; a worker that dies is restarted after its job. */
export async function runInWorker(placed: Placed[], scratch: string): Promise<RunResult[]> {
  const jobsFile = join(scratch, 'jobs.json');
  const resultsFile = join(scratch, 'results.jsonl');
  writeFileSync(jobsFile, JSON.stringify({ cliPath: CLI, jobs: placed.map((p) => ({ cwd: p.outDir, argv: p.argv })) }));
  let results = new Map<number, RunResult>();
  let first = 0;
  while (first < placed.length) {
    const ended = await runWorker(jobsFile, resultsFile, first);
    results = readResults(resultsFile);
    while (results.has(first)) first++;
    if (first < placed.length) {
      results.set(first, { code: null, stdout: '', stderr: ended.stderr, crash: `worker process died during this run (${ended.exit}): ${ended.stderr.slice(-600)}` });
      writeFileSync(resultsFile, `${JSON.stringify({ i: first, ...results.get(first) })}\n`, { flag: 'a' });
      first++;
    }
  }
  return placed.map((_, i) => results.get(i)!);
}

/** One variant as the real program: bin/spendrecon. */
export function runAsChild(p: Placed): RunResult {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  const r = spawnSync(process.execPath, [BIN, ...p.argv], { cwd: p.outDir, env, encoding: 'utf8', timeout: HANG_MS, maxBuffer: 256 * 1024 * 1024 });
  let crash: string | null = null;
  if (r.error) crash = `could not run: ${r.error.message}`;
  else if (r.signal) crash = `killed by ${r.signal}${r.signal === 'SIGTERM' ? ` (over ${HANG_MS} ms: hung)` : ''}`;
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', crash };
}
