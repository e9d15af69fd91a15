// Runs many CLI invocations in one Node process (start-up costs ~0.7 s a run otherwise):
// imports dist/cli.js's main(argv) and captures what each run writes to stdout/stderr.
// Usage: node worker.mjs JOBS.json RESULTS.jsonl FIRST_INDEX
// Each finished job appends one JSON line to RESULTS and writes "." to the real fd 1, so the
// harness can tell a hang (no progress) from a slow job and knows which job killed a worker.
import { appendFileSync, readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [jobsPath, resultsPath, firstArg] = process.argv.slice(2);
const { cliPath, jobs } = JSON.parse(readFileSync(jobsPath, 'utf8'));
const { main } = await import(pathToFileURL(cliPath).href);

const realStdoutWrite = process.stdout.write;
const realStderrWrite = process.stderr.write;
let current = null;

function capture(key) {
  return (chunk, encoding, cb) => {
    if (current) current[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') done();
    return true;
  };
}

// An exception that escapes main() is a defect of the run in progress: record it, then die,
// because the process state can no longer be trusted for the next job.
function dieWith(kind, err) {
  if (!current) return;
  current.crash = `${kind}: ${err?.stack ? err.stack : String(err)}`;
  appendFileSync(resultsPath, `${JSON.stringify(current)}\n`);
  process.exit(70);
}
process.on('uncaughtException', (e) => dieWith('uncaughtException', e));
process.on('unhandledRejection', (e) => dieWith('unhandledRejection', e));

for (let i = Number(firstArg); i < jobs.length; i++) {
  const job = jobs[i];
  process.chdir(job.cwd);
  current = { i, code: null, stdout: '', stderr: '', crash: null };
  process.stdout.write = capture('stdout');
  process.stderr.write = capture('stderr');
  try {
    current.code = await main(job.argv);
  } catch (e) {
    current.crash = `main() threw: ${e?.stack ? e.stack : String(e)}`;
  } finally {
    process.stdout.write = realStdoutWrite;
    process.stderr.write = realStderrWrite;
  }
  // let stray callbacks of this run (unhandled rejections, timers) surface before the next one
  await new Promise((r) => setImmediate(r));
  appendFileSync(resultsPath, `${JSON.stringify(current)}\n`);
  current = null;
  process.exitCode = 0;
  writeSync(1, '.');
}
