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
 *
 * The unit of state is a *block*: the workers of one dyno process (one incarnation of
 * web.N). A restarted, cycled or relocated dyno gets a fresh block while the old one
 * drains, so an old process finishing its requests after SIGTERM never delays the new
 * one. With no restarts, block d is simply web.(d+1).
 */
import { FloatRing } from '../../engine/FloatRing.ts';
import { RingSet } from '../../engine/RingSet.ts';
import { drawInto, type Uniform } from '../../engine/streams.ts';
import { LoadBoard } from './LoadBoard.ts';
import { belowLimit, endAtCount, type RouterCounts } from './activeLimit.ts';
import type { DynoLoad, RouterPolicy } from './RouterPolicy.ts';
import { RouterView } from './RouterView.ts';
import { BLOCK, END, START, STRIDE, TrackLog, type TrackRecords } from './TrackLog.ts';

/** `dispatch` results that are not a dyno index. */
export const REJECT_BACKLOG = -1; // H11
export const REJECT_NO_DYNOS = -2; // nothing routable: H10, H14, or held (H20, H99)
export const REJECT_UNREACHABLE = -3; // the chosen dyno's process is gone and the router does not know yet
export const REJECT_QUARANTINED = -4; // several routers: the request's router has quarantined every routable dyno (held, then H99)
export const REJECT_AT_LIMIT = -5; // the request's router has its limit of active requests at every dyno: it waits in that router's backlog

/** How a gone dyno answers a connection attempt. */
export const REACHABLE = 0;
export const REFUSES = 1; // the host is up, nothing listens: refused at once (H21)
export const SILENT = 2; // the host is down: the connection times out (H19)

export class WebTier implements RouterCounts {
  /** Blocks allocated (grows when restarts overlap). */
  blocks: number;
  readonly concurrency: number;
  readonly sharedQueue: boolean;
  routable: Int32Array;
  routableCount = 0;
  /** Start and end of service of the request last dispatched (microseconds). */
  startUs = 0;
  endUs = 0;
  /** The block the last REJECT_UNREACHABLE tried. */
  failedBlock = -1;
  /** Several routers: the router of the request last dispatched (−1: one router). */
  router = -1;
  /**
   * No process stops before this time (−Infinity: one may stop now). Set by the request
   * source for each arrival it runs between scheduled events: every stop is a scheduled
   * event's doing, so none comes before the next one (nor before the end of the stretch
   * the engine runs). A request that ends by then can never be lost and needs no record.
   */
  horizonUs = -Infinity;
  /** The latest horizon a request went unrecorded under: no process may stop before it. */
  private skippedUntilUs = -Infinity;
  /** After REJECT_AT_LIMIT: when the request's router next has a dyno below its limit (Infinity: its backlog is being served in turn). */
  get limitFreeUs(): number {
    return this.limitOut.freeUs;
  }
  private readonly limitOut = { freeUs: Infinity };
  /** True while a router's backlog is being served: those requests go before new ones and are not counted against its cap again. */
  releasing = false;
  /** Requests waiting in each router's own backlog (index 0 for one router); they count against its cap. */
  held: Float64Array = new Float64Array(1);
  /** Service-time multiplier per block (swap, noisy neighbours); 1 when nothing slows it. */
  slow: Float64Array;
  /** Per block: REACHABLE, or how its gone process answers connections. */
  gone: Uint8Array;
  /** Per block: the web dyno (slot) it belongs to, or −1 when free. */
  ownerOf: Int32Array;

  private readonly policy: RouterPolicy;
  /** What the policy chooses on: the tier itself (one router, live counts), or a board of late loads. */
  private readonly load: DynoLoad;
  /** Several routers: each one's policy and view, and the stream that picks a request's router (null: one router). */
  private readonly views: RouterView[] | null = null;
  private readonly policies: RouterPolicy[] = [];
  private readonly pickRouter: Uniform | null = null;
  /** The routers' draws, a batch at a time (the same sequence as one at a time). */
  private readonly routerDraws = new Float64Array(256);
  private routerDrawPos = 256;
  private readonly backlogPerDyno: number;
  /** Requests one router may have active at one dyno (Infinity: no limit; a shared queue needs none). */
  private readonly maxActive: number;
  /** CPU slowdown: the share of service time on the CPU, and the cores a dyno has (0: none). */
  private readonly cpuBound: number;
  private readonly cores: number;
  /** The cores of each block's dyno: the tier's, unless its type was resized (setCores). */
  private coresOf = new Float64Array(0);
  private backlogCap = 0;
  /** When each worker (block b's workers are b·c … b·c+c−1) next falls free. */
  private freeUs: Float64Array;
  /** Start times of the requests queued at each block (per-dyno queues: one ring a block). */
  private readonly queues = new RingSet(0, 64);
  /** Start times of the requests queued at the router (shared queue). */
  private readonly routerQueue = new FloatRing(64);
  /** Queued requests as last counted, summed over blocks: an upper bound on the true backlog, exact after `refreshAll`. */
  private queuedUpper = 0;
  /** Service time handed to each worker so far, and waiting time of every routed request so far. */
  private assignedUs: Float64Array;
  private waitedUs = 0;
  /** Shared queue only: the routable blocks' workers in a heap ordered by (free time, index). */
  private heap: Int32Array;
  private heapSize = 0;
  /** The requests the blocks hold, when something can stop a dyno (see TrackLog.ts). */
  private tracks: TrackLog | null;
  private freeBlocks: number[] = [];
  // Busy time attributed to web dynos inside a measuring window.
  private windowOpen = false;
  private readonly checkpointUs: number[] = [];
  readonly slotBusyUs: Float64Array;

  constructor(
    slots: number,
    concurrency: number,
    policy: RouterPolicy,
    backlogPerDyno: number,
    opts: {
      track: boolean;
      blocks?: number;
      cpu?: { cores: number; bound: number };
      /** Several uncoordinated routers: one policy each, whether it reads dyno loads, and the stream that sends each request to one of them. */
      routers?: { policies: RouterPolicy[]; loadAware: boolean; pick: Uniform };
      /** The policy sees the dynos' loads only as refreshed every this many µs (null: live). */
      loadRefreshUs?: number | null;
      /** Requests a router may have active at one dyno; past it, at every dyno, requests wait in the router's backlog. */
      maxActivePerDyno?: number;
    },
  ) {
    this.concurrency = concurrency;
    this.cores = opts.cpu?.cores ?? 1;
    this.cpuBound = opts.cpu?.bound ?? 0;
    this.policy = policy;
    this.sharedQueue = policy.sharedQueue;
    this.backlogPerDyno = backlogPerDyno;
    this.maxActive = policy.sharedQueue ? Infinity : (opts.maxActivePerDyno ?? Infinity);
    this.slotBusyUs = new Float64Array(slots);
    const n = Math.max(1, opts.blocks ?? slots);
    this.blocks = 0;
    this.freeUs = new Float64Array(0);
    this.assignedUs = new Float64Array(0);
    this.slow = new Float64Array(0);
    this.gone = new Uint8Array(0);
    this.ownerOf = new Int32Array(0);
    this.routable = new Int32Array(0);
    this.heap = new Int32Array(0);
    this.tracks = opts.track ? new TrackLog() : null;
    if (opts.routers !== undefined && opts.routers.policies.length > 1) {
      this.policies = opts.routers.policies;
      this.pickRouter = opts.routers.pick;
      const counts = (opts.routers.loadAware && opts.loadRefreshUs == null) || this.maxActive !== Infinity;
      this.views = this.policies.map(() => new RouterView(this, n, counts));
      this.held = new Float64Array(this.policies.length);
    }
    this.load = opts.loadRefreshUs != null ? new LoadBoard(this, opts.loadRefreshUs, n) : this;
    this.grow(n);
  }

  /** Block `b`'s dyno has `cores` cores (a type resized during the run); from its next request on. */
  setCores(b: number, cores: number): void {
    this.coresOf[b] = cores;
  }

  /** Takes a free block for web dyno `slot`, its workers idle from `nowUs`. Not routable until `startRouting`. */
  acquire(slot: number, nowUs: number): number {
    if (this.freeBlocks.length === 0) this.grow(this.blocks * 2);
    const b = this.freeBlocks.pop()!;
    const c = this.concurrency;
    for (let k = b * c; k < b * c + c; k++) this.freeUs[k] = nowUs;
    this.slow[b] = 1;
    this.coresOf[b] = this.cores;
    this.gone[b] = REACHABLE;
    this.ownerOf[b] = slot;
    if (this.windowOpen) this.checkpointUs[b] = this.busyIntegralUs(b, nowUs);
    return b;
  }

  /** Returns a block whose process has ended (it holds no work after `nowUs`). */
  release(b: number, nowUs: number): void {
    const slot = this.ownerOf[b]!;
    if (slot < 0) throw new Error(`block ${b} released twice`);
    if (this.windowOpen) this.slotBusyUs[slot]! += this.busyIntegralUs(b, nowUs) - this.checkpointUs[b]!;
    this.ownerOf[b] = -1;
    this.freeBlocks.push(b);
  }

  /** Starts measuring busy time per web dyno (at the end of the warm-up). */
  openWindow(nowUs: number): void {
    this.windowOpen = true;
    for (let b = 0; b < this.blocks; b++) if (this.ownerOf[b]! >= 0) this.checkpointUs[b] = this.busyIntegralUs(b, nowUs);
  }

  closeWindow(nowUs: number): void {
    for (let b = 0; b < this.blocks; b++) {
      const slot = this.ownerOf[b]!;
      if (slot >= 0) this.slotBusyUs[slot]! += this.busyIntegralUs(b, nowUs) - this.checkpointUs[b]!;
    }
    this.windowOpen = false;
  }

  /** The router starts sending requests to block `b`. */
  startRouting(b: number): void {
    this.routable[this.routableCount++] = b;
    this.routableChanged();
  }

  /** The router stops sending requests to block `b` (it keeps serving what it holds). */
  stopRouting(b: number): void {
    const r = this.routable;
    let i = 0;
    while (i < this.routableCount && r[i] !== b) i++;
    if (i === this.routableCount) return;
    r.copyWithin(i, i + 1, this.routableCount);
    this.routableCount--;
    this.routableChanged();
  }

  isRoutable(b: number): boolean {
    for (let i = 0; i < this.routableCount; i++) if (this.routable[i] === b) return true;
    return false;
  }

  /** Several routers: router `r` skips block `b` until `untilUs` (the others go on routing to it). */
  quarantineAt(r: number, b: number, untilUs: number): void {
    this.views![r]!.quarantine(b, untilUs);
  }

  private routableChanged(): void {
    this.backlogCap = this.backlogPerDyno * this.routableCount;
    if (this.views !== null) for (const v of this.views) v.invalidate();
    // Per-dyno queues need nothing more: the H11 check counts them exactly when their
    // upper bound reaches the new cap (counting them here made a formation's boot quadratic).
    if (!this.sharedQueue) return;
    const c = this.concurrency;
    let n = 0;
    for (let i = 0; i < this.routableCount; i++) {
      const b = this.routable[i]!;
      for (let k = b * c; k < b * c + c; k++) this.heap[n++] = k;
    }
    this.heapSize = n;
    for (let i = (n >> 1) - 1; i >= 0; i--) this.siftDown(i, this.heap[i]!);
  }

  /**
   * Routes a request reaching a dyno at `nowUs` that needs `serviceUs` of a worker. Returns
   * the block and sets `startUs`/`endUs`, or returns one of the REJECT_ codes.
   */
  dispatch(nowUs: number, serviceUs: number, router = -1): number {
    if (this.routableCount === 0) {
      this.router = router;
      return REJECT_NO_DYNOS;
    }
    if (this.sharedQueue) return this.dispatchShared(nowUs, serviceUs);
    if (this.views !== null) return this.dispatchRouted(nowUs, serviceUs, router);
    const held = this.held[0]!;
    if (!this.releasing) {
      // The backlog is what waits at the dynos and what the router holds: past its cap, H11.
      if (this.queuedUpper + held >= this.backlogCap && this.lowerQueued(nowUs, this.backlogCap - held) + held >= this.backlogCap) return REJECT_BACKLOG;
      if (held > 0) {
        // Requests wait in the router's backlog already: this one joins them.
        this.limitOut.freeUs = Infinity;
        return REJECT_AT_LIMIT;
      }
    }
    let d = this.policy.choose(this.load, nowUs);
    // At most maxActive requests at a dyno: the bound q.length + c ≥ its count is cheap, the count exact.
    if (this.maxActive !== Infinity && this.queues.length(d) + this.concurrency >= this.maxActive) {
      d = this.belowLimit(d, nowUs, -1);
      if (d < 0) return REJECT_AT_LIMIT;
    }
    return this.serve(d, nowUs, serviceUs);
  }

  /**
   * The one router's counts are the dynos' own. Each start of a queued request is the end
   * of the one before it on that worker, so the end times of what dyno `d` holds are its
   * queued starts and its busy workers' free times.
   */
  endAtCount(d: number, nowUs: number, count: number): number {
    const ends: number[] = [];
    const q = this.queues;
    this.queuedUpper -= q.dropThrough(d, nowUs);
    for (let i = 0; i < q.length(d); i++) ends.push(q.at(d, i));
    const c = this.concurrency;
    for (let k = d * c; k < d * c + c; k++) {
      const f = this.freeUs[k]!;
      if (f > nowUs && f !== Infinity) ends.push(f);
    }
    return endAtCount(ends, nowUs, count);
  }

  /** Dyno `d`, or another below router `r`'s limit (−1: the one router), or −1 with `limitFreeUs` set. */
  private belowLimit(d: number, nowUs: number, r: number): number {
    return belowLimit(r < 0 ? this : this.views![r]!, d, nowUs, this.maxActive, this.limitOut);
  }

  /** Whether router `r` (−1: the one router) has a dyno below its limit at `nowUs`; if not, `limitFreeUs` says when it will. */
  hasRoom(r: number, nowUs: number): boolean {
    const load: DynoLoad = r < 0 ? this : this.views![r]!;
    if (r >= 0) this.views![r]!.sync(nowUs);
    if (load.routableCount === 0) {
      this.limitOut.freeUs = Infinity;
      return true; // no dyno at all: the request goes on to be held or answered as any other
    }
    return this.belowLimit(load.routable[0]!, nowUs, r) >= 0;
  }

  /** Routers in front of the dynos: 1, or as many as there are views. */
  get routers(): number {
    return this.views === null ? 1 : this.views.length;
  }

  /**
   * Several routers: the request's router (drawn at random for a new request, the same one
   * for a retry or a held request) checks its own backlog and chooses on its own view.
   */
  private dispatchRouted(nowUs: number, serviceUs: number, router: number): number {
    let r = router;
    if (r < 0) {
      if (this.routerDrawPos === 256) {
        drawInto(this.pickRouter!, this.routerDraws);
        this.routerDrawPos = 0;
      }
      r = Math.floor(this.routerDraws[this.routerDrawPos++]! * this.views!.length);
    }
    this.router = r;
    const view = this.views![r]!;
    view.sync(nowUs);
    if (view.routableCount === 0) return REJECT_QUARANTINED;
    const held = this.held[r]!;
    if (!this.releasing) {
      if (view.backlogFull(nowUs, this.backlogCap - held)) return REJECT_BACKLOG;
      if (held > 0) {
        this.limitOut.freeUs = Infinity;
        return REJECT_AT_LIMIT;
      }
    }
    const load = this.load === this ? view : this.load;
    let d = this.policies[r]!.choose(load, nowUs);
    if (this.maxActive !== Infinity) {
      d = this.belowLimit(d, nowUs, r);
      if (d < 0) return REJECT_AT_LIMIT;
    }
    d = this.serve(d, nowUs, serviceUs);
    if (d >= 0) view.sent(d, nowUs, this.startUs, this.endUs);
    return d;
  }

  /** Serves the request at dyno `d`, first in first out, on its first worker to fall free. */
  private serve(d: number, nowUs: number, serviceUs: number): number {
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
    // A gone process's workers are never free.
    if (f === Infinity) {
      this.failedBlock = d;
      return REJECT_UNREACHABLE;
    }
    const start = f > nowUs ? f : nowUs;
    const workUs = this.cpuBound > 0 ? this.cpuWork(d, k, start, serviceUs) : serviceUs * this.slow[d]!;
    const end = start + workUs;
    free[k] = end;
    this.assignedUs[k]! += workUs;
    if (start > nowUs) {
      // Started requests are dropped from the front only when the ring is full (or when
      // counted): the bound stays an upper bound, and a dispatch does no scan.
      this.queuedUpper += 1 - this.queues.pushDropping(d, start, nowUs);
      this.waitedUs += start - nowUs;
    }
    this.startUs = start;
    this.endUs = end;
    return d;
  }

  private dispatchShared(nowUs: number, serviceUs: number): number {
    const q = this.routerQueue;
    if (q.length > 0) q.dropThrough(nowUs);
    if (q.length >= this.backlogCap) return REJECT_BACKLOG;
    const free = this.freeUs;
    const w = this.heap[0]!;
    const f = free[w]!;
    const b = Math.floor(w / this.concurrency);
    if (f === Infinity) {
      this.failedBlock = b;
      return REJECT_UNREACHABLE;
    }
    const start = f > nowUs ? f : nowUs;
    const workUs = this.cpuBound > 0 ? this.cpuWork(b, w, start, serviceUs) : serviceUs * this.slow[b]!;
    const end = start + workUs;
    free[w] = end;
    this.assignedUs[w]! += workUs;
    this.siftDown(0, w);
    if (start > nowUs) {
      q.push(start);
      this.waitedUs += start - nowUs;
    }
    this.startUs = start;
    this.endUs = end;
    return b;
  }

  /**
   * The time worker `k` of block `b` takes for `serviceUs` starting at `startUs`, when more
   * requests run at once than the dyno has cores (Puma threads on one core): the CPU share
   * of the work is stretched by running ÷ cores. The count is taken when the request
   * starts and held for its whole service: requests that start later do not slow it.
   */
  private cpuWork(b: number, k: number, startUs: number, serviceUs: number): number {
    const c = this.concurrency;
    let running = 1;
    for (let j = b * c, end = j + c; j < end; j++) {
      const f = this.freeUs[j]!;
      if (j !== k && f > startUs && f !== Infinity) running++;
    }
    const cores = this.coresOf[b]!;
    const stretch = running > cores ? 1 - this.cpuBound + (this.cpuBound * running) / cores : 1;
    return serviceUs * stretch * this.slow[b]!;
  }

  /** Puts worker `w` at heap position `i` and sifts it down to its place. */
  private siftDown(i: number, w: number): void {
    const heap = this.heap;
    const free = this.freeUs;
    const n = this.heapSize;
    const fw = free[w]!;
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
      if (fw < fm || (fw === fm && w < heap[m]!)) break;
      heap[i] = heap[m]!;
      i = m;
    }
    heap[i] = w;
  }

  /** Remembers the request just dispatched to `b` (when tracking) if a stop could catch it: see TrackLog.ts. */
  track(b: number, arrivalUs: number, dispatchUs: number, serviceUs: number, index: number, tag: number, cls: number): void {
    if (this.endUs <= this.horizonUs) {
      if (this.horizonUs > this.skippedUntilUs) this.skippedUntilUs = this.horizonUs;
      return;
    }
    this.tracks!.push(b, arrivalUs, dispatchUs, this.startUs, this.endUs, serviceUs, index, tag, cls);
  }

  get tracking(): boolean {
    return this.tracks !== null;
  }

  /**
   * Block `b`'s process dies at `nowUs` (the engine's time: every earlier arrival has been
   * dispatched). If the router still routes to it, it is marked gone (`how`: REFUSES or
   * SILENT). Every request it still held is then handed to `lost` (its record's offset in
   * `records.buf`), oldest first, and forgotten: the block holds no work after `nowUs`.
   */
  cut(b: number, nowUs: number, how: number, lost: (records: TrackRecords, offset: number, block: number) => void): void {
    // A request left unrecorded might be held now: the horizon was wrong.
    if (nowUs < this.skippedUntilUs) throw new Error(`internal: block ${b} stopped at ${nowUs} µs, before the horizon ${this.skippedUntilUs} µs under which requests went unrecorded`);
    const log = this.tracks!;
    const c = this.concurrency;
    // The work the block's workers will never do, and the waits that end now.
    for (let k = b * c; k < b * c + c; k++) {
      const rest = this.freeUs[k]! - nowUs;
      if (rest > 0 && rest !== Infinity) {
        this.assignedUs[k]! -= rest;
        this.freeUs[k] = nowUs;
      }
    }
    // The block's records still held, copied out (`lost` may dispatch, and the log move) and forgotten.
    const mine: number[] = [];
    for (let i = 0; i < log.length; i++) {
      const o = log.offset(i);
      if (log.buf[o + BLOCK] === b && log.buf[o + END]! > nowUs) mine.push(o);
    }
    const held = new Float64Array(mine.length * STRIDE);
    mine.forEach((o, j) => {
      held.set(log.buf.subarray(o, o + STRIDE), j * STRIDE);
      log.forget(o);
    });
    for (let j = 0; j < mine.length; j++) {
      const start = held[j * STRIDE + START]!;
      if (start > nowUs) {
        this.waitedUs -= start - nowUs;
        if (this.sharedQueue) this.routerQueue.removeOne(start);
      }
    }
    if (!this.sharedQueue) {
      this.queuedUpper -= this.queues.length(b);
      this.queues.clear(b);
    }
    if (this.views !== null) for (const v of this.views) v.cut(b);
    if (how !== REACHABLE && this.isRoutable(b)) this.setGone(b, how);
    // Hand them over last: `lost` may dispatch requests again (to other blocks).
    const pushedBefore = log.pushed;
    const records = { buf: held };
    for (let j = 0; j < mine.length; j++) lost(records, j * STRIDE, b);
    // The block holds nothing after now, not even what `lost` sent it again.
    for (let i = Math.max(0, log.length - (log.pushed - pushedBefore)); i < log.length; i++) {
      const o = log.offset(i);
      if (log.buf[o + BLOCK] === b) log.forget(o);
    }
  }

  /** Marks block `b`'s process gone: the router, until told, still tries it and fails to connect (`how`). */
  setGone(b: number, how: number): void {
    this.gone[b] = how;
    const c = this.concurrency;
    for (let k = b * c; k < b * c + c; k++) this.freeUs[k] = Infinity;
    if (this.sharedQueue) this.routableChanged();
  }

  /** When block `b` will have finished everything it holds (its last worker falls free). */
  drainEndUs(b: number, nowUs: number): number {
    let last = nowUs;
    const c = this.concurrency;
    for (let k = b * c; k < b * c + c; k++) {
      const f = this.freeUs[k]!;
      if (f > last && f !== Infinity) last = f;
    }
    return last;
  }

  /** Brings queue counts up to `nowUs` until the bound on queued requests is below `cap` (or exact); returns the bound. */
  private lowerQueued(nowUs: number, cap: number): number {
    this.queuedUpper = this.queues.lower(nowUs, this.queuedUpper, cap);
    return this.queuedUpper;
  }

  /** Brings every queue count up to `nowUs`; returns the exact number of queued requests. */
  refreshAll(nowUs: number): number {
    if (this.sharedQueue) {
      const q = this.routerQueue;
      if (q.length > 0) q.dropThrough(nowUs);
      this.queuedUpper = q.length;
    } else {
      this.queuedUpper = this.queues.countAbove(nowUs);
    }
    return this.queuedUpper;
  }

  /** Requests queued or in service at block `d` at `nowUs` (per-dyno queues). */
  inSystem(d: number, nowUs: number): number {
    const q = this.queues;
    this.queuedUpper -= q.dropThrough(d, nowUs);
    return q.length(d) + this.busyWorkers(d, nowUs);
  }

  /** Workers of block `d` busy at `nowUs`. */
  busyWorkers(d: number, nowUs: number): number {
    let busy = 0;
    const c = this.concurrency;
    for (let j = d * c, end = j + c; j < end; j++) {
      const f = this.freeUs[j]!;
      if (f > nowUs && f !== Infinity) busy++;
    }
    return busy;
  }

  /**
   * Time block `d`'s workers have spent serving from the start until `tUs`, for `tUs` no
   * earlier than the last arrival. Exact without any per-request bookkeeping: a worker's
   * work queued after the last arrival runs back to back until it falls free, so what is
   * still to come is just free time − t.
   */
  busyIntegralUs(d: number, tUs: number): number {
    let total = 0;
    const c = this.concurrency;
    for (let k = d * c, end = k + c; k < end; k++) {
      const rest = this.freeUs[k]! - tUs;
      total += this.assignedUs[k]! - (rest > 0 && rest !== Infinity ? rest : 0);
    }
    return total;
  }

  /** Busy time of every block, summed (see busyIntegralUs). */
  totalBusyUs(tUs: number): number {
    let total = 0;
    for (let b = 0; b < this.blocks; b++) total += this.busyIntegralUs(b, tUs);
    return total;
  }

  /** Time requests have spent waiting for a worker from the start until `tUs` (no earlier than the last arrival), summed over requests. */
  queueIntegralUs(tUs: number): number {
    let ahead = 0;
    if (this.sharedQueue) {
      const q = this.routerQueue;
      for (let i = q.length - 1; i >= 0; i--) {
        const start = q.at(i);
        if (start <= tUs) break;
        ahead += start - tUs;
      }
    } else {
      const q = this.queues;
      for (let d = 0; d < q.size; d++) {
        for (let i = q.length(d) - 1; i >= 0; i--) {
          const start = q.at(d, i);
          if (start <= tUs) break;
          ahead += start - tUs;
        }
      }
    }
    return this.waitedUs - ahead;
  }

  /** Makes room for `n` blocks in all. */
  private grow(n: number): void {
    const c = this.concurrency;
    const old = this.blocks;
    const widen = <T extends Float64Array | Int32Array | Uint8Array>(a: T, make: (len: number) => T, len: number): T => {
      const next = make(len);
      next.set(a);
      return next;
    };
    this.freeUs = widen(this.freeUs, (l) => new Float64Array(l), n * c);
    this.assignedUs = widen(this.assignedUs, (l) => new Float64Array(l), n * c);
    this.slow = widen(this.slow, (l) => new Float64Array(l).fill(1), n);
    this.coresOf = widen(this.coresOf, (l) => new Float64Array(l).fill(this.cores), n);
    this.gone = widen(this.gone, (l) => new Uint8Array(l), n);
    this.ownerOf = widen(this.ownerOf, (l) => new Int32Array(l).fill(-1), n);
    this.routable = widen(this.routable, (l) => new Int32Array(l), n);
    if (this.sharedQueue) this.heap = widen(this.heap, (l) => new Int32Array(l), n * c);
    if (this.views !== null) for (const v of this.views) v.grow(n);
    if (!this.sharedQueue) this.queues.add(n - old);
    for (let b = old; b < n; b++) this.checkpointUs.push(0);
    // Lowest index first: with no restarts, web.(d+1) gets block d.
    const added: number[] = [];
    for (let b = n - 1; b >= old; b--) added.push(b);
    this.freeBlocks = added.concat(this.freeBlocks);
    this.blocks = n;
  }
}
