/**
 * The HTML report's charts drawn on a thread of their own, so vega loads and draws on the second
 * core while the main thread writes the workbooks (cli.ts starts the page first). The same
 * renderer (svg-render.ts), so the same SVG. Where the compiled worker is not built, the charts
 * are drawn on the calling thread.
 */
import type { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { compiledWorker, startSpareOr } from '../../worker-file.js';
import { renderHere } from './svg-render.js';

type Reply = { id: number; svg: string } | { id: number; error: string };

class ChartThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (svg: string) => void; reject: (e: Error) => void }>();
  private next = 0;
  /** Failed or gone: later charts are drawn on the calling thread. */
  private dead = false;

  constructor(file: string) {
    // the fold worker when a large usage export was just read on two cores (a thread already started)
    this.worker = startSpareOr(file);
    this.worker.on('message', (m: Reply) => this.settle(m));
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', (code) => this.failAll(new Error(`the chart thread exited (code ${code})`)));
    // held open only while a chart is being drawn: an idle chart thread never keeps the process
    // alive (after the listeners: adding one holds the thread's port open again)
    this.worker.unref();
  }

  /** vega loads on the thread now, before the first chart. */
  warm(): void {
    if (!this.dead) this.worker.postMessage({ warm: true });
  }

  render(spec: TopLevelSpec): Promise<string> {
    if (this.dead) return renderHere(spec);
    const id = this.next++;
    if (this.waiting.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, spec });
    });
  }

  private settle(m: Reply): void {
    const w = this.waiting.get(m.id);
    if (!w) return;
    this.waiting.delete(m.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('svg' in m) w.resolve(m.svg);
    else w.reject(new Error(m.error));
  }

  private failAll(e: Error): void {
    this.dead = true;
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
    this.worker.unref();
  }
}

let thread: ChartThread | null | undefined;

function chartThread(): ChartThread | null {
  if (thread === undefined) {
    const file = compiledWorker(import.meta.url, 'report/html', 'chart-worker');
    thread = file ? new ChartThread(file) : null;
  }
  return thread;
}

/** A spec's SVG: drawn on the chart thread, started on the first chart (or by warmCharts). */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const t = chartThread();
  return t ? t.render(spec) : renderHere(spec);
}

/** The chart thread started and vega loading on it, for a page to come (a core is idle now). */
export function warmCharts(): void {
  chartThread()?.warm();
}
