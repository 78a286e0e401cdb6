/**
 * Each router's own backlog: the requests a router holds because every dyno already has
 * its limit of active requests from that router (`maxActivePerDyno`). They wait at the
 * router, first in first out, and go to the dynos as the router's requests there end; new
 * requests to that router queue behind them. They count against the router's backlog cap
 * (H11 past it). The 30 s clock starts when a request is sent to a dyno, so time waited
 * here is queue time, not time towards H12.
 */
import type { Engine } from '../../engine/Engine.ts';
import { FloatRing } from '../../engine/FloatRing.ts';
import type { WebTier } from '../router/WebTier.ts';

/** Fields of a request in a router's backlog: arrival, service, index, class. */
const FIELDS = 4;

export class RouterBacklog {
  private readonly engine: Engine;
  private readonly tier: WebTier;
  private readonly fifos: FloatRing[];
  /** When each router's backlog is next looked at (Infinity: no wake-up pending). */
  private readonly wakeUs: Float64Array;
  private readonly kind: number;

  constructor(engine: Engine, tier: WebTier, routers: number, release: (router: number, nowUs: number) => void) {
    this.engine = engine;
    this.tier = tier;
    this.fifos = Array.from({ length: routers }, () => new FloatRing(64));
    this.wakeUs = new Float64Array(routers).fill(Infinity);
    this.kind = engine.register((r, t) => {
      if (t !== this.wakeUs[r]) return; // a later wake-up that an earlier one made stale
      this.wakeUs[r] = Infinity;
      release(r, t);
    });
  }

  /** Router `r` holds a request; `freeUs` is when it next has a dyno below its limit (Infinity: it is waiting for one already). */
  hold(r: number, arrivalUs: number, serviceUs: number, index: number, cls: number, freeUs: number): void {
    const f = this.fifos[r]!;
    f.push(arrivalUs);
    f.push(serviceUs);
    f.push(index);
    f.push(cls);
    this.tier.held[r]!++;
    this.wake(r, freeUs);
  }

  /** Requests router `r` holds. */
  size(r: number): number {
    return this.fifos[r]!.length / FIELDS;
  }

  /** Takes router `r`'s oldest request: [arrival, service, index, class]. */
  shift(r: number, out: Float64Array): void {
    const f = this.fifos[r]!;
    for (let i = 0; i < FIELDS; i++) out[i] = f.at(i);
    f.dropFirst(FIELDS);
    this.tier.held[r]!--;
  }

  /** Looks at router `r`'s backlog again at `atUs`. */
  wake(r: number, atUs: number): void {
    if (atUs === Infinity || atUs >= this.wakeUs[r]!) return;
    this.wakeUs[r] = atUs;
    this.engine.at(atUs, this.kind, r);
  }
}
