/**
 * Worker thread: takes ranges of an OpenAI usage export in turn with the main thread (a shared
 * counter hands each to one thread), folds each on its own (fold-rows.ts `foldPart`) and posts
 * its groups, counts and issues for the main thread to merge in file order. It may be started
 * before its file is known (it loads its code meanwhile) and is told what to fold by a `start`
 * message. It starts while the cost export that gives the period is read: ranges begun before
 * the period came are folded without it, and the main thread checks them when it merges. It
 * hashes the file too, when it would otherwise wait and after the fold (protocol.ts
 * HASH_IN_TAIL), and answers on a port of the hash's own; then it may be given another job
 * (worker-file.ts becomesOn: the charts).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { usageRowReader } from '../../sources/openai-usage.js';
import type { Period } from '../../time.js';
import { writeCodeCaches } from '../../code-cache.js';
import { becomesOn } from '../../worker-file.js';
import { FileHash } from './file-hash.js';
import { foldPart } from './fold-rows.js';
import { AHEAD, type FoldWorkerData, type FromWorker, HASH_IN_TAIL, type HashReply, MERGED, messagesIn, rangeSpec, TAKEN, type ToWorker } from './protocol.js';

/** undefined until the main thread has said. */
let period: Period | null | undefined;

/**
 * The file's hash, begun before the job came when bin/spendrecon named the file it guessed
 * (threads.ts startEarlyFoldWorker): this thread waits ~0.1 s for its first range while the main
 * thread loads the CLI and recognises the inputs, and hashes meanwhile.
 */
let hash: FileHash | null = null;
let folding = false;

/** A step of the hash; true when there is no more to do (done, or the file could not be read: no hash then). */
function hashStep(): boolean {
  if (!hash) return true;
  try {
    return hash.step();
  } catch {
    hash.close();
    hash = null;
    return true;
  }
}

function openHash(path: string): void {
  hash?.close();
  try {
    hash = new FileHash(path);
  } catch {
    hash = null;
  }
}

/** Hashes while nothing else is to do: a step at a time, the messages taken in between. */
async function hashWhileWaiting(): Promise<void> {
  while (!folding && !hashStep()) await messagesIn();
}

const early = (workerData as { hash?: string } | null)?.hash;
if (early) {
  openHash(early);
  void hashWhileWaiting();
}

const listener = (m: ToWorker) => {
  // its job done, the thread may be given another (worker-file.ts offerSpareWorker: the charts)
  if (becomesOn(m, listener)) return;
  if (m.kind === 'start') void run(m.data, m.hashPort);
  else period = m.period;
};
parentPort!.on('message', listener);

const post = (m: FromWorker) => parentPort!.postMessage(m);

/**
 * The bytes to have hashed before taking another range: none for a file up to HASH_IN_TAIL (all
 * of it is hashed after the fold, while the main thread attributes and writes), else the rest in
 * step with the ranges taken, so that about HASH_IN_TAIL is left for after the fold.
 */
function hashDue(data: FoldWorkerData, taken: number): number {
  const size = data.spec.size;
  return size <= HASH_IN_TAIL ? 0 : ((size - HASH_IN_TAIL) * data.at[Math.min(taken, data.at.length - 1)]!) / size;
}

/** Waits until range r is fewer than AHEAD ranges past those merged, hashing meanwhile. */
function waitTurn(shared: Int32Array, r: number): void {
  for (let merged = Atomics.load(shared, MERGED); r - merged >= AHEAD; merged = Atomics.load(shared, MERGED)) if (hashStep()) Atomics.wait(shared, MERGED, merged, 100);
}

async function run(data: FoldWorkerData, port: MessagePort): Promise<void> {
  folding = true;
  if (hash?.path !== data.spec.path) {
    if (early && hash && process.env.SPENDRECON_DEBUG) process.stderr.write(`fold worker: the file hashed while waiting is not the one to fold, hashed anew\n`);
    openHash(data.spec.path);
  }
  const reader = usageRowReader(data.header, data.file);
  const shared = new Int32Array(data.shared);
  const ranges = data.at.length - 1;
  for (;;) {
    await messagesIn();
    const due = hashDue(data, Atomics.load(shared, TAKEN));
    while (hash && hash.hashed < due && !hashStep());
    const r = Atomics.add(shared, TAKEN, 1);
    if (r >= ranges) break;
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
  // the rest of the hash after the fold, a step at a time (the thread may take another job meanwhile)
  folding = false;
  await hashWhileWaiting();
  port.postMessage({ digest: hash?.digest ?? null } satisfies HashReply);
  port.close();
}
