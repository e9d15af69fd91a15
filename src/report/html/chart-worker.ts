/** The chart thread (chart-thread.ts): specs in, SVG or the error's message out. */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { loadRenderer, renderHere } from './svg-render.js';

parentPort!.on('message', (m: { id: number; spec: TopLevelSpec } | { warm: true }) => {
  // told early: vega loads before the first chart comes (a failure is met again there)
  if ('warm' in m) return void loadRenderer().catch(() => {});
  renderHere(m.spec).then(
    (svg) => parentPort!.postMessage({ id: m.id, svg }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
