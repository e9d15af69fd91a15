/**
 * Worker thread: takes ranges of an OpenAI usage export in turn with the main thread (a shared
 * counter hands each to one thread), folds each on its own (fold-rows.ts `foldPart`) and posts
 * its groups, counts and issues for the main thread to merge in file order. It may be started
 * before its file is known (it loads its code meanwhile) and is told what to fold by a `start`
 * message. It starts while the cost export that gives the period is read: ranges begun before
 * the period came are folded without it, and the main thread checks them when it merges.
 */
import { parentPort } from 'node:worker_threads';
import { usageRowReader } from '../../sources/openai-usage.js';
import type { Period } from '../../time.js';
import { writeCodeCaches } from '../../code-cache.js';
import { foldPart } from './fold-rows.js';
import { AHEAD, type FoldWorkerData, type FromWorker, MERGED, messagesIn, rangeSpec, TAKEN, type ToWorker } from './protocol.js';

/** undefined until the main thread has said. */
let period: Period | null | undefined;

parentPort!.on('message', (m: ToWorker) => {
  if (m.kind === 'start') void run(m.data);
  else period = m.period;
});

const post = (m: FromWorker) => parentPort!.postMessage(m);

/** Waits until range r is fewer than AHEAD ranges past those merged. */
function waitTurn(shared: Int32Array, r: number): void {
  for (let merged = Atomics.load(shared, MERGED); r - merged >= AHEAD; merged = Atomics.load(shared, MERGED)) Atomics.wait(shared, MERGED, merged, 100);
}

async function run(data: FoldWorkerData): Promise<void> {
  const reader = usageRowReader(data.header, data.file);
  const shared = new Int32Array(data.shared);
  const ranges = data.at.length - 1;
  for (;;) {
    await messagesIn();
    const r = Atomics.add(shared, TAKEN, 1);
    if (r >= ranges) return;
    waitTurn(shared, r);
    await messagesIn();
    try {
      post(foldPart(r, rangeSpec(data.spec, data.at, r, 1), reader, data.split, period));
      // bin/bundle.mjs's run: the cache holds what folding compiled (a worker is stopped, it sees no exit)
      writeCodeCaches();
    } catch (e) {
      // the main thread reads the range itself, and meets the problem there with its own message
      post({ kind: 'failed', range: r, reason: e instanceof Error ? e.message : String(e) });
      return;
    }
  }
}
