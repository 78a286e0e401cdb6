/**
 * The web dynos and the router in front of them, advanced in closed form. Between
 * platform events, a dyno that serves its queue first-in first-out with `c` workers is
 * fully described by when each worker next falls free: a request arriving at t starts at
 * max(t, earliest free worker) and leaves after its service time (Lindley's recursion,
 * Kiefer–Wolfowitz for c > 1). No departure or timeout is ever an event: the 30 s timeout
 * is a comparison, and the dyno keeps working on a timed-out request because nothing
 * tells it otherwise, exactly as on the platform.
 *
 * Queued requests are remembered only by their start times (which never decrease in a
 * FIFO queue), so the router can count what each dyno holds, and the per-app backlog
 * (H11) can be checked exactly.
 */
import { FloatRing } from '../engine/FloatRing.ts';
import type { DynoLoad, RouterPolicy } from '../router/RouterPolicy.ts';

/** `dispatch` results that are not a dyno index. */
export const REJECT_BACKLOG = -1; // H11
export const REJECT_NO_DYNOS = -2; // H14

export class WebTier implements DynoLoad {
  readonly dynos: number;
  readonly concurrency: number;
  readonly routable: Int32Array;
  routableCount: number;
  /** Start and end of service of the request last dispatched (microseconds). */
  startUs = 0;
  endUs = 0;

  private readonly policy: RouterPolicy;
  private readonly backlogCap: number;
  /** When each worker (dyno d's workers are d·c … d·c+c−1) next falls free. */
  private readonly freeUs: Float64Array;
  /** Start times of the requests queued at each dyno (per-dyno queues), or at the router (shared queue). */
  private readonly queues: FloatRing[];
  /** Queued requests as last counted, summed over dynos: an upper bound on the true backlog, exact after `refreshAll`. */
  private queuedUpper = 0;
  /** Service time handed to each worker so far, and waiting time of every routed request so far. */
  private readonly assignedUs: Float64Array;
  private waitedUs = 0;
  /** Shared queue only: workers in a heap ordered by (free time, index). */
  private readonly heap: Int32Array;

  constructor(dynos: number, concurrency: number, policy: RouterPolicy, backlogPerDyno: number) {
    this.dynos = dynos;
    this.concurrency = concurrency;
    this.policy = policy;
    this.backlogCap = backlogPerDyno * dynos;
    this.freeUs = new Float64Array(dynos * concurrency);
    this.assignedUs = new Float64Array(dynos * concurrency);
    this.routable = new Int32Array(dynos);
    for (let d = 0; d < dynos; d++) this.routable[d] = d;
    this.routableCount = dynos;
    const queueCount = policy.sharedQueue ? 1 : dynos;
    this.queues = [];
    for (let i = 0; i < queueCount; i++) this.queues.push(new FloatRing(64));
    this.heap = new Int32Array(policy.sharedQueue ? dynos * concurrency : 0);
    for (let w = 0; w < this.heap.length; w++) this.heap[w] = w;
  }

  /**
   * Routes a request arriving at `nowUs` that needs `serviceUs` of a worker. Returns the
   * dyno index and sets `startUs`/`endUs`, or returns REJECT_BACKLOG / REJECT_NO_DYNOS.
   */
  dispatch(nowUs: number, serviceUs: number): number {
    if (this.routableCount === 0) return REJECT_NO_DYNOS;
    return this.policy.sharedQueue ? this.dispatchShared(nowUs, serviceUs) : this.dispatchToDyno(nowUs, serviceUs);
  }

  private dispatchToDyno(nowUs: number, serviceUs: number): number {
    if (this.queuedUpper >= this.backlogCap && this.refreshAll(nowUs) >= this.backlogCap) return REJECT_BACKLOG;
    const d = this.policy.choose(this, nowUs);
    const c = this.concurrency;
    const free = this.freeUs;
    let k = d * c;
    let f = free[k]!;
    for (let j = k + 1, end = k + c; j < end; j++) {
      if (free[j]! < f) {
        f = free[j]!;
        k = j;
      }
    }
    const q = this.queues[d]!;
    if (q.length > 0) this.queuedUpper -= q.dropThrough(nowUs);
    const start = f > nowUs ? f : nowUs;
    const end = start + serviceUs;
    free[k] = end;
    this.assignedUs[k]! += serviceUs;
    if (start > nowUs) {
      q.push(start);
      this.queuedUpper++;
      this.waitedUs += start - nowUs;
    }
    this.startUs = start;
    this.endUs = end;
    return d;
  }

  private dispatchShared(nowUs: number, serviceUs: number): number {
    const q = this.queues[0]!;
    if (q.length > 0) q.dropThrough(nowUs);
    if (q.length >= this.backlogCap) return REJECT_BACKLOG;
    const heap = this.heap;
    const free = this.freeUs;
    const w = heap[0]!;
    const f = free[w]!;
    const start = f > nowUs ? f : nowUs;
    const end = start + serviceUs;
    free[w] = end;
    this.assignedUs[w]! += serviceUs;
    // Sift the worker down to its new place.
    const n = heap.length;
    let i = 0;
    for (;;) {
      let m = 2 * i + 1;
      if (m >= n) break;
      const r = m + 1;
      if (r < n) {
        const fm = free[heap[m]!]!;
        const fr = free[heap[r]!]!;
        if (fr < fm || (fr === fm && heap[r]! < heap[m]!)) m = r;
      }
      const fm = free[heap[m]!]!;
      if (end < fm || (end === fm && w < heap[m]!)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = w;
    if (start > nowUs) {
      q.push(start);
      this.waitedUs += start - nowUs;
    }
    this.startUs = start;
    this.endUs = end;
    return Math.floor(w / this.concurrency);
  }

  /** Brings every queue count up to `nowUs`; returns the exact number of queued requests. */
  refreshAll(nowUs: number): number {
    let total = 0;
    for (const q of this.queues) {
      if (q.length > 0) q.dropThrough(nowUs);
      total += q.length;
    }
    this.queuedUpper = total;
    return total;
  }

  /** Requests queued or in service at dyno `d` at `nowUs` (per-dyno queues). */
  inSystem(d: number, nowUs: number): number {
    const q = this.queues[d]!;
    if (q.length > 0) this.queuedUpper -= q.dropThrough(nowUs);
    return q.length + this.busyWorkers(d, nowUs);
  }

  /** Workers of dyno `d` busy at `nowUs`. */
  busyWorkers(d: number, nowUs: number): number {
    let busy = 0;
    const c = this.concurrency;
    for (let j = d * c, end = j + c; j < end; j++) if (this.freeUs[j]! > nowUs) busy++;
    return busy;
  }

  /**
   * Time dyno `d`'s workers have spent serving from the start until `tUs`, for `tUs` no
   * earlier than the last arrival. Exact without any per-request bookkeeping: a worker's
   * work queued after the last arrival runs back to back until it falls free, so what is
   * still to come is just free time − t.
   */
  busyIntegralUs(d: number, tUs: number): number {
    let total = 0;
    const c = this.concurrency;
    for (let k = d * c, end = k + c; k < end; k++) {
      const rest = this.freeUs[k]! - tUs;
      total += this.assignedUs[k]! - (rest > 0 ? rest : 0);
    }
    return total;
  }

  /** Time requests have spent waiting for a worker from the start until `tUs` (no earlier than the last arrival), summed over requests. */
  queueIntegralUs(tUs: number): number {
    let ahead = 0;
    for (const q of this.queues) {
      for (let i = q.length - 1; i >= 0; i--) {
        const start = q.at(i);
        if (start <= tUs) break;
        ahead += start - tUs;
      }
    }
    return this.waitedUs - ahead;
  }
}
