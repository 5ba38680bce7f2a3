import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { accumulateRange } from "./logistic-accumulate.ts";

/**
 * The Newton pass on two threads. From PARALLEL_ROWS rows on, a pass is always computed as two row
 * ranges split at a point that depends only on the number of rows, and the two partial sums are added
 * in the same order: the second range runs on a worker thread when the machine has a second core, else
 * on this thread after the first. Either way the sums are the same to the last bit, so a calibration
 * gives the same bytes on one core or two.
 *
 * The worker shares the rows' arrays through SharedArrayBuffer (nothing is copied per pass); this
 * thread waits for it with Atomics.wait. The worker's code is accumulateRange's own text, so there is
 * one kernel, tested once, whichever thread runs it. `LEADCAL_THREADS=1` keeps everything on this thread.
 */

export const PARALLEL_ROWS = 100_000;
const CHUNK = 2048;

/** Arrays of one fitting problem, as the pass reads them. */
export interface PassInputs {
  Q: number;
  K: number;
  blocks: Int32Array[];
  pmap: Int32Array;
  w: Float64Array;
  labels: Uint8Array;
  eta: Float64Array;
  nzStart: Int32Array;
  nzP: Int32Array;
  nzV: Float64Array;
}

/** Where the two ranges meet: a whole number of chunks, about half way. */
export function splitPoint(n: number): number {
  return Math.min(n, CHUNK * Math.ceil(Math.ceil(n / CHUNK) / 2));
}

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const accumulateRange = ${accumulateRange.toString()};
parentPort.on("message", (m) => {
  try {
    accumulateRange(m.lo, m.hi, m.Q, m.K, m.blocks, m.pmap, m.w, m.labels, m.eta, m.nzStart, m.nzP, m.nzV, m.out);
    Atomics.store(m.ctl, 0, 1);
  } catch (e) {
    Atomics.store(m.ctl, 0, 2);
  }
  Atomics.notify(m.ctl, 0);
});
`;

let worker: Worker | null | undefined;

/** How many split passes had their second half done by the worker, and by this thread instead. */
export const passCounts = { worker: 0, here: 0 };

function theWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (process.env.LEADCAL_THREADS === "1" || availableParallelism() < 2) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    w.on("error", () => {
      worker = null;
    });
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * A typed array on shared memory: the array itself if it is already, else a copy, cached per array:
 * only for arrays that do not change once made (the design's blocks, labels, the parameter map).
 */
const sharedCopies = new WeakMap<object, unknown>();
export function shared<T extends Int32Array | Float64Array | Uint8Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const cached = sharedCopies.get(a) as T | undefined;
  if (cached && cached.length === a.length) return cached;
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const copy = new Ctor(new SharedArrayBuffer(a.byteLength));
  copy.set(a as never);
  sharedCopies.set(a, copy);
  return copy;
}

/** A zeroed Float64Array, on shared memory when the problem is big enough for two threads. */
export function floats(n: number, rows: number): Float64Array {
  return rows >= PARALLEL_ROWS ? new Float64Array(new SharedArrayBuffer(8 * n)) : new Float64Array(n);
}

/** A zeroed Int32Array, on shared memory when the problem is big enough for two threads. */
export function ints(n: number, rows: number): Int32Array {
  return rows >= PARALLEL_ROWS ? new Int32Array(new SharedArrayBuffer(4 * n)) : new Int32Array(n);
}

/** One Newton pass over all rows into `out` ([M | diag | grad], see accumulateRange). */
export function accumulatePass(x: PassInputs, out: Float64Array): void {
  const n = x.w.length;
  if (n < PARALLEL_ROWS) {
    accumulateRange(0, n, x.Q, x.K, x.blocks, x.pmap, x.w, x.labels, x.eta, x.nzStart, x.nzP, x.nzV, out);
    return;
  }
  const mid = splitPoint(n);
  const second = new Float64Array(new SharedArrayBuffer(8 * out.length));
  const ctl = new Int32Array(new SharedArrayBuffer(4));
  const w = theWorker();
  let posted = false;
  // eta and w change between passes: they must live on shared memory already (see floats)
  const live = x.eta.buffer instanceof SharedArrayBuffer && x.w.buffer instanceof SharedArrayBuffer;
  if (w && live) {
    try {
      w.postMessage({
        lo: mid,
        hi: n,
        Q: x.Q,
        K: x.K,
        blocks: x.blocks.map(shared),
        pmap: shared(x.pmap),
        w: x.w,
        labels: shared(x.labels),
        eta: x.eta,
        nzStart: shared(x.nzStart),
        nzP: shared(x.nzP),
        nzV: shared(x.nzV),
        out: second,
        ctl,
      });
      posted = true;
    } catch {
      posted = false;
    }
  }
  accumulateRange(0, mid, x.Q, x.K, x.blocks, x.pmap, x.w, x.labels, x.eta, x.nzStart, x.nzP, x.nzV, out);
  // the worker answers within the time this thread took for its own half; 10 minutes means it is gone
  if (!posted || Atomics.wait(ctl, 0, 0, 600_000) === "timed-out" || Atomics.load(ctl, 0) !== 1) {
    accumulateRange(
      mid,
      n,
      x.Q,
      x.K,
      x.blocks,
      x.pmap,
      x.w,
      x.labels,
      x.eta,
      x.nzStart,
      x.nzP,
      x.nzV,
      second,
    );
    passCounts.here++;
  } else passCounts.worker++;
  for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + (second[j] as number);
}

/** Whether passes from PARALLEL_ROWS rows on run their second half on a worker thread. */
export function secondThread(): boolean {
  return theWorker() !== null;
}
