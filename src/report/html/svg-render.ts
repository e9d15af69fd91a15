/**
 * A Vega-Lite spec drawn as SVG by vega's headless renderer, on the thread that calls it (the
 * chart thread, chart-thread.ts, or the main thread where there is none).
 */
import { join } from 'node:path';
import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { requireCached, writeCodeCaches } from '../../code-cache.js';
import { builtFile } from '../../worker-file.js';

/** Every load refused: a spec with a URL in it must fail here, not fetch. */
const NO_LOADER = {
  load: async (uri: string) => {
    throw new Error(`chart data must be inline, not loaded from ${uri}`);
  },
  sanitize: async (uri: string) => {
    throw new Error(`chart data must be inline, not loaded from ${uri}`);
  },
  http: async () => {
    throw new Error('no network');
  },
  file: async () => {
    throw new Error('no file access');
  },
} as unknown as Vega.Loader;

/** The categorical palette: projects, accounts — as many colours as the data has, cycling past ten. */
export const PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 220 },
  range: { category: PALETTE },
};

type Renderer = [typeof Vega, typeof import('vega-lite')];

/** vega and vega-lite, loaded on the first chart: ~60 packages a run without charts (match, ledger, an error) need not load. */
let renderer: Promise<Renderer> | null = null;

/**
 * vega and vega-lite, loaded once (a thread may begin loading them before its first chart): their
 * one-file CommonJS build with its code cache (bin/bundle.mjs, built from the installed packages;
 * ../../code-cache.ts) where this module runs from dist/ — ~60 ms to load and ~150 ms to the
 * first two charts instead of ~150 and ~230 ms — else the packages themselves (tests that run
 * the sources).
 */
export function loadRenderer(): Promise<Renderer> {
  renderer ??= (async () => {
    const built = builtFile(import.meta.url, join('report', 'html', 'vega-charts.cjs'));
    if (!built) return Promise.all([import('vega'), import('vega-lite')]);
    const m = requireCached(built) as { vega: Renderer[0]; vegaLite: Renderer[1] };
    return [m.vega, m.vegaLite];
  })();
  return renderer;
}

/** A spec's SVG, drawn on this thread. */
export async function renderHere(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await loadRenderer();
  // the specs are ours and tested; vega-lite's hints must not reach the user's console
  const logger = vega.logger(vega.Error);
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader: NO_LOADER, logger });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
    // bin/bundle.mjs's run of the demo: the cache holds what drawing compiled (a thread may not see its exit)
    writeCodeCaches();
  }
}
