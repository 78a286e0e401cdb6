/**
 * A router policy chooses the web dyno for each request. Heroku's router picks at random;
 * the others are what users weigh it against. A policy sees only what a router could
 * know: how many requests each routable dyno holds. Each policy is a class, so that the
 * tier's call to `choose` sees one target per policy in every run of a process (see
 * AleaStream in src/engine/streams.ts).
 */

/** What a policy may ask of the web dynos. */
export interface DynoLoad {
  /** Dyno indices that can take a request now; only the first `routableCount` are valid. */
  readonly routable: Int32Array;
  readonly routableCount: number;
  /** Requests queued or in service at dyno `d` at `nowUs`. */
  inSystem(d: number, nowUs: number): number;
}

export interface RouterPolicy {
  readonly name: string;
  /**
   * True for one queue shared by every dyno (requests wait at the router and go to the
   * first worker to free up); false for a queue per dyno, filled by `choose`.
   */
  readonly sharedQueue: boolean;
  /** The dyno (an index, one of `load.routable`) for a request arriving at `nowUs`. */
  choose(load: DynoLoad, nowUs: number): number;
}
