/** The chart thread (chart-thread.ts): specs in, SVG or the error's message out. */
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { renderHere } from './svg-render.js';

parentPort!.on('message', (m: { id: number; spec: TopLevelSpec }) => {
  renderHere(m.spec).then(
    (svg) => parentPort!.postMessage({ id: m.id, svg }),
    (e: unknown) => parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
