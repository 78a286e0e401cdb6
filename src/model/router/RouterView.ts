/**
 * What one of several uncoordinated routers knows: only the requests it sent itself.
 * Heroku runs many routers behind a load balancer; each counts its own active requests per
 * dyno and keeps its own backlog, and none sees the others'. A router's view is the
 * `DynoLoad` its policy chooses on: `inSystem` is the number of the router's own requests
 * at a dyno that have not ended, not the dyno's true load.
 *
 * Both are kept in closed form, as the tier keeps the dynos: per dyno, the end times of
 * the router's requests there (sorted), and the start times of those still waiting for a
 * worker (non-decreasing in a first-in first-out queue).
 *
 * A router also quarantines on its own: a dyno that failed one of its connections is
 * skipped by it, and only by it, for the quarantine period. Its routable dynos are the
 * tier's less those it has quarantined.
 */
import { RingSet } from '../../engine/RingSet.ts';
import type { RouterCounts } from './activeLimit.ts';

export class RouterView implements RouterCounts {
  private readonly tier: RouterCounts;
  /** The dynos this router may choose from now (the tier's, less its quarantined ones). */
  routable: Int32Array = new Int32Array(0);
  routableCount = 0;
  /** Until when this router skips each block (0: not quarantined). */
  private quarantinedUntil = new Float64Array(0);
  /** When the earliest quarantine ends, and whether the tier's routable dynos changed since the list was made. */
  private nextExpiryUs = Infinity;
  private stale = true;
  private readonly ends = new RingSet(0, 16);
  private readonly starts = new RingSet(0, 16);
  /** Requests of this router waiting for a worker, as last counted: an upper bound, exact after a sweep of every ring. */
  private queuedUpper = 0;

  /** Whether the router's policy reads its counts (least-connections, power of d); if not, only its backlog is kept. */
  private readonly counts: boolean;

  constructor(tier: RouterCounts, blocks: number, counts: boolean) {
    this.tier = tier;
    this.counts = counts;
    this.grow(blocks);
  }

  /** The tier's routable dynos changed. */
  invalidate(): void {
    this.stale = true;
  }

  /** Brings the router's routable dynos up to `nowUs` (quarantines that have ended, the tier's changes). */
  sync(nowUs: number): void {
    if (!this.stale && nowUs < this.nextExpiryUs) return;
    const { routable, routableCount } = this.tier;
    if (this.routable.length < routable.length) this.routable = new Int32Array(routable.length);
    let n = 0;
    let next = Infinity;
    for (let i = 0; i < routableCount; i++) {
      const b = routable[i]!;
      const until = b < this.quarantinedUntil.length ? this.quarantinedUntil[b]! : 0;
      if (until > nowUs) {
        if (until < next) next = until;
      } else {
        this.routable[n++] = b;
      }
    }
    this.routableCount = n;
    this.nextExpiryUs = next;
    this.stale = false;
  }

  /** This router skips block `b` until `untilUs`. */
  quarantine(b: number, untilUs: number): void {
    this.quarantinedUntil[b] = untilUs;
    this.stale = true;
  }

  /** The router's own requests at dyno `d` that have not ended by `nowUs`. */
  inSystem(d: number, nowUs: number): number {
    this.ends.dropThrough(d, nowUs);
    return this.ends.length(d);
  }

  /** When this router's count at dyno `d` falls to `count` (its (len − count)-th end from the first); `nowUs` if it is there already. */
  endAtCount(d: number, nowUs: number, count: number): number {
    const len = this.inSystem(d, nowUs);
    return len > count ? this.ends.at(d, len - count - 1) : nowUs;
  }

  /** Whether this router's own backlog (its requests waiting for a worker) is at `cap` or over. */
  backlogFull(nowUs: number, cap: number): boolean {
    if (this.queuedUpper < cap) return false;
    this.queuedUpper = this.starts.lower(nowUs, this.queuedUpper, cap);
    return this.queuedUpper >= cap;
  }

  /** The router sent dyno `d` a request at `nowUs` that starts at `startUs` and ends at `endUs`. */
  sent(d: number, nowUs: number, startUs: number, endUs: number): void {
    if (this.counts) {
      this.ends.dropThrough(d, nowUs);
      this.ends.pushSorted(d, endUs);
    }
    if (startUs > nowUs) {
      this.queuedUpper -= this.starts.dropThrough(d, nowUs);
      this.starts.push(d, startUs);
      this.queuedUpper++;
    }
  }

  /** Block `d`'s process is gone: the router's requests there are over. */
  cut(d: number): void {
    this.queuedUpper -= this.starts.length(d);
    this.starts.clear(d);
    this.ends.clear(d);
  }

  /** Makes room for `n` blocks in all. */
  grow(n: number): void {
    if (this.quarantinedUntil.length < n) {
      const q = new Float64Array(n);
      q.set(this.quarantinedUntil);
      this.quarantinedUntil = q;
    }
    this.stale = true;
    if (this.ends.size < n) {
      this.ends.add(n - this.ends.size);
      this.starts.add(n - this.starts.size);
    }
  }
}
