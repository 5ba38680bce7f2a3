import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { accumulateRange, lossRange, predictRange } from "./logistic-accumulate.ts";

/**
 * The fit's row loops on two threads: the Newton pass (accumulatePass), the objective's data term for
 * the line search (lossPass) and the linear predictor (predictPass). From PARALLEL_ROWS rows on, a pass is always computed as two row
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
const lossRange = ${lossRange.toString()};
const predictRange = ${predictRange.toString()};
parentPort.on("message", (m) => {
  try {
    if (m.kind === "loss") m.result[0] = lossRange(m.lo, m.hi, m.w, m.labels, m.eta, m.dEta, m.t);
    else if (m.kind === "predict") predictRange(m.lo, m.hi, m.blocks, m.pmap, m.beta, m.nzStart, m.nzP, m.nzV, m.out);
    else accumulateRange(m.lo, m.hi, m.Q, m.K, m.blocks, m.pmap, m.w, m.labels, m.eta, m.nzStart, m.nzP, m.nzV, m.out, m.full);
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

/**
 * Runs `first` here while the worker runs `message` (the rows from splitPoint on), or runs `secondHere`
 * after `first` when there is no worker or it could not take the message. `message` is null when its
 * arrays are not all on shared memory.
 */
function onTwoThreads(
  message: Record<string, unknown> | null,
  first: () => void,
  secondHere: () => void,
): boolean {
  const ctl = new Int32Array(new SharedArrayBuffer(4));
  const w = message ? theWorker() : null;
  let posted = false;
  if (w) {
    try {
      w.postMessage({ ...message, ctl });
      posted = true;
    } catch {
      posted = false;
    }
  }
  first();
  // the worker answers within the time this thread took for its own half; 10 minutes means it is gone
  if (!posted || Atomics.wait(ctl, 0, 0, 600_000) === "timed-out" || Atomics.load(ctl, 0) !== 1) {
    secondHere();
    return false;
  }
  return true;
}

/** Whether arrays that change between passes are on shared memory (see floats), as the worker needs. */
function live(...arrays: (Float64Array | Int32Array)[]): boolean {
  return arrays.every((a) => a.buffer instanceof SharedArrayBuffer);
}

/** accumulateRange over rows [lo, hi) of a problem's arrays, on this thread. */
export function accumulateInto(
  x: PassInputs,
  lo: number,
  hi: number,
  out: Float64Array,
  full: boolean,
): void {
  const { Q, K, blocks, pmap, w, labels, eta, nzStart, nzP, nzV } = x;
  accumulateRange(lo, hi, Q, K, blocks, pmap, w, labels, eta, nzStart, nzP, nzV, out, full);
}

/**
 * One Newton pass over all rows into `out` ([M | diag | grad], see accumulateRange); with `full` false,
 * the gradient only.
 */
export function accumulatePass(x: PassInputs, out: Float64Array, full = true): void {
  const n = x.w.length;
  const run = (lo: number, hi: number, into: Float64Array) => accumulateInto(x, lo, hi, into, full);
  if (n < PARALLEL_ROWS) {
    run(0, n, out);
    return;
  }
  const mid = splitPoint(n);
  const second = new Float64Array(new SharedArrayBuffer(8 * out.length));
  const message = live(x.eta, x.w)
    ? {
        kind: "pass",
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
        full,
      }
    : null;
  const byWorker = onTwoThreads(
    message,
    () => run(0, mid, out),
    () => run(mid, n, second),
  );
  if (byWorker) passCounts.worker++;
  else passCounts.here++;
  for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + (second[j] as number);
}

/**
 * The data term of the objective, sum_i w_i logloss_i at eta + t * dEta. From PARALLEL_ROWS rows on it
 * is always the sum of the two ranges' sums, first range first, so it is the same number on one core or two.
 */
export function lossPass(x: PassInputs, dEta: Float64Array, t: number): number {
  const n = x.w.length;
  if (n < PARALLEL_ROWS) return lossRange(0, n, x.w, x.labels, x.eta, dEta, t);
  const mid = splitPoint(n);
  const result = new Float64Array(new SharedArrayBuffer(8));
  let firstSum = 0;
  const message = live(x.eta, x.w, dEta)
    ? { kind: "loss", lo: mid, hi: n, w: x.w, labels: shared(x.labels), eta: x.eta, dEta, t, result }
    : null;
  onTwoThreads(
    message,
    () => {
      firstSum = lossRange(0, mid, x.w, x.labels, x.eta, dEta, t);
    },
    () => {
      result[0] = lossRange(mid, n, x.w, x.labels, x.eta, dEta, t);
    },
  );
  return firstSum + (result[0] as number);
}

/** out = X beta (the sink entry of beta must be 0), the two ranges on two threads where it can. */
export function predictPass(x: PassInputs, beta: Float64Array, out: Float64Array): void {
  const n = x.w.length;
  const run = (lo: number, hi: number, b: Float64Array) =>
    predictRange(lo, hi, x.blocks, x.pmap, b, x.nzStart, x.nzP, x.nzV, out);
  if (n < PARALLEL_ROWS) {
    run(0, n, beta);
    return;
  }
  const mid = splitPoint(n);
  const b = new Float64Array(new SharedArrayBuffer(8 * beta.length));
  b.set(beta);
  const message = live(out)
    ? {
        kind: "predict",
        lo: mid,
        hi: n,
        blocks: x.blocks.map(shared),
        pmap: shared(x.pmap),
        beta: b,
        nzStart: shared(x.nzStart),
        nzP: shared(x.nzP),
        nzV: shared(x.nzV),
        out,
      }
    : null;
  onTwoThreads(
    message,
    () => run(0, mid, b),
    () => run(mid, n, b),
  );
}

/** Whether passes from PARALLEL_ROWS rows on run their second half on a worker thread. */
export function secondThread(): boolean {
  return theWorker() !== null;
}
