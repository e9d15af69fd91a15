/**
 * The HTML report's charts drawn on the chart thread (src/report/html/chart-thread.ts): the
 * same SVG as on the calling thread, a refused spec's message carried back, and a process that
 * ends by itself once the charts are drawn. The thread is the compiled one (dist/): tests that
 * run the sources draw on their own thread, so this one imports the build.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIST = join(import.meta.dirname, '..', '..', 'dist', 'report', 'html');
const url = (f: string) => pathToFileURL(join(DIST, f)).href;

const spec = {
  width: 200,
  height: 100,
  data: {
    values: [
      { d: 'a', v: 1.25 },
      { d: 'b', v: 3 },
    ],
  },
  mark: 'bar',
  encoding: { x: { field: 'd', type: 'nominal' }, y: { field: 'v', type: 'quantitative' } },
};

describe('chart thread', () => {
  it('draws the same SVG as the calling thread, and carries a failure back', async () => {
    const { renderSvg } = (await import(url('chart-thread.js'))) as typeof import('../../src/report/html/chart-thread.js');
    const { renderHere } = (await import(url('svg-render.js'))) as typeof import('../../src/report/html/svg-render.js');
    const [there, here] = await Promise.all([renderSvg(spec as never), renderHere(spec as never)]);
    expect(there).toMatch(/^<svg/);
    expect(there).toBe(here);
    // a spec vega cannot draw fails with vega's own message, as on the calling thread
    const broken = { ...spec, mark: 'no-such-mark' };
    const message = await renderHere(broken as never).then(
      () => 'drawn',
      (e: Error) => e.message,
    );
    expect(message).not.toBe('drawn');
    await expect(renderSvg(broken as never)).rejects.toThrow(message);
    expect(await renderSvg(spec as never), 'the thread still draws after a failure').toBe(here);
  });

  it('an idle chart thread does not keep the process alive', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'spendrecon-chart-')), 'draw.mjs');
    writeFileSync(
      script,
      `const { renderSvg } = await import(${JSON.stringify(url('chart-thread.js'))}); const svg = await renderSvg(${JSON.stringify(spec)}); console.log(svg.slice(0, 4));`,
    );
    // a thread held open would leave this child running until the timeout kills it
    const out = execFileSync(process.execPath, [script], { timeout: 30_000, encoding: 'utf8' });
    expect(out.trim()).toBe('<svg');
  });

  it('a thread warmed ahead (vega loading before the first chart) draws the same, and alone does not keep the process alive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spendrecon-chart-'));
    const warmOnly = join(dir, 'warm.mjs');
    writeFileSync(warmOnly, `const { warmCharts } = await import(${JSON.stringify(url('chart-thread.js'))}); warmCharts(); console.log('warmed');`);
    expect(execFileSync(process.execPath, [warmOnly], { timeout: 30_000, encoding: 'utf8' }).trim()).toBe('warmed');
    const warmThenDraw = join(dir, 'draw.mjs');
    writeFileSync(
      warmThenDraw,
      `const t = await import(${JSON.stringify(url('chart-thread.js'))}); const h = await import(${JSON.stringify(url('svg-render.js'))});
t.warmCharts();
const [there, here] = await Promise.all([t.renderSvg(${JSON.stringify(spec)}), h.renderHere(${JSON.stringify(spec)})]);
console.log(there === here && there.startsWith('<svg') ? 'same' : 'different');`,
    );
    expect(execFileSync(process.execPath, [warmThenDraw], { timeout: 30_000, encoding: 'utf8' }).trim()).toBe('same');
  });

  it('is the spare thread when there is one (the fold worker, its job done): the same SVG, and the process ends', () => {
    const script = join(mkdtempSync(join(tmpdir(), 'spendrecon-chart-')), 'spare.mjs');
    const dist = (p: string) => JSON.stringify(pathToFileURL(join(DIST, '..', '..', p)).href);
    const idle = join(mkdtempSync(join(tmpdir(), 'spendrecon-chart-')), 'idle.mjs');
    writeFileSync(idle, '');
    writeFileSync(
      script,
      `const wf = await import(${dist('worker-file.js')});
const { workerFile } = await import(${dist('stages/usage-parallel/threads.js')});
const t = await import(${JSON.stringify(url('chart-thread.js'))}); const h = await import(${JSON.stringify(url('svg-render.js'))});
const fold = wf.startWorker(workerFile());
let exited = false;
fold.once('exit', () => { exited = true; });
wf.offerSpareWorker(fold);
// a file that is not a one-file build cannot run in it: a thread of its own, the spare left as it is
const other = wf.startSpareOr(${JSON.stringify(idle)});
await new Promise((r) => other.once('exit', r));
const [there, here] = await Promise.all([t.renderSvg(${JSON.stringify(spec)}), h.renderHere(${JSON.stringify(spec)})]);
console.log(other !== fold && !exited && there === here && there.startsWith('<svg') ? 'same' : 'different');`,
    );
    const run = spawnSync(process.execPath, [script], { timeout: 30_000, encoding: 'utf8', env: { ...process.env, SPENDRECON_DEBUG: '1' } });
    expect(run.stdout.trim(), run.stderr).toBe('same');
    expect(run.stderr).toContain('chart-worker.bundle.cjs: on the spare thread');
  });
});
