/**
 * What the router sees of a type's processes, block by block of its tier: whether it
 * routes to a block, a block quarantined after a failed connection, and the route update
 * that withdraws a dead process only some time after it died. Also the host each block
 * runs on, for its slowdown, and the block's epoch: it moves on when the block's process
 * is gone for good, so that events of the old one are ignored.
 */
import { REACHABLE, SILENT } from '../../router/WebTier.ts';
import type { TrackRecords } from '../../router/TrackLog.ts';
import type { DynoMemory } from '../DynoMemory.ts';
import { epochOf, indexOf, pack } from '../eventArg.ts';
import type { ManagerEnv } from './ManagerEnv.ts';

/** A block's route: not routed, routed, or routed but quarantined. */
export const NOT_ROUTED = 0;
export const ROUTED = 1;
export const QUARANTINED = 2;

export class BlockRoutes {
  private readonly env: ManagerEnv;
  private readonly memory: DynoMemory | null;
  private readonly lost: (ring: TrackRecords, o: number, b: number) => void;
  private readonly k: { routeUpdate: number; quarantineEnd: number };
  private host = new Int32Array(0);
  /** Whether each block's process is of a dedicated size (it has no neighbours). */
  private dedicated = new Uint8Array(0);
  epoch = new Float64Array(0);
  route = new Uint8Array(0);

  constructor(env: ManagerEnv, memory: DynoMemory | null) {
    const { engine, flow } = env;
    this.env = env;
    this.memory = memory;
    this.lost = (ring, o, b) => flow.lost(ring, o, b);
    this.k = {
      routeUpdate: engine.register((a) => this.onRouteUpdate(indexOf(a), epochOf(a))),
      quarantineEnd: engine.register((a) => this.onQuarantineEnd(indexOf(a), epochOf(a))),
    };
  }

  /** A new process of `slot` on host `h`: a block of the tier, not routed yet. */
  open(slot: number, h: number): number {
    const b = this.env.tier.acquire(slot, this.env.engine.nowUs);
    if (b >= this.host.length) {
      const n = this.env.tier.blocks;
      const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (l: number) => T): T => {
        const next = make(n);
        next.set(a);
        return next;
      };
      this.host = grow(this.host, (l) => new Int32Array(l).fill(-1));
      this.dedicated = grow(this.dedicated, (l) => new Uint8Array(l));
      this.epoch = grow(this.epoch, (l) => new Float64Array(l));
      this.route = grow(this.route, (l) => new Uint8Array(l));
    }
    this.host[b] = h;
    const { size } = this.env.sizing;
    this.dedicated[b] = size.dedicated ? 1 : 0;
    if (size !== this.env.proc.size) this.env.tier.setCores(b, size.cpuShare);
    this.epoch[b]!++;
    this.route[b] = NOT_ROUTED;
    this.refreshSlow(b);
    return b;
  }

  /** The router starts sending block `b` work. */
  startRouting(b: number, nowUs: number): void {
    this.route[b] = ROUTED;
    this.env.tier.startRouting(b);
  }

  /** The router stops sending block `b` work (its process is stopping). */
  stopRouting(b: number, nowUs: number): void {
    if (this.route[b] === ROUTED) this.env.tier.stopRouting(b);
    this.route[b] = NOT_ROUTED;
  }

  /** Block `b`'s process is gone at once: the work it holds is lost (the router may go on trying it, failing `how`). */
  cut(b: number, nowUs: number, how = REACHABLE): void {
    this.env.tier.cut(b, nowUs, how, this.lost);
  }

  /** Block `b` goes back to the tier; events of its process are ignored from now. */
  free(b: number, nowUs: number): void {
    this.env.tier.release(b, nowUs);
    this.epoch[b]!++;
  }

  /**
   * Block `b`'s process is gone now. Its work is handed back; if the router routes to it,
   * it goes on trying it (`how` it fails) until the route update reaches it. True if the
   * block is free already.
   */
  end(b: number, how: number): boolean {
    const now = this.env.engine.nowUs;
    const routed = this.route[b] !== NOT_ROUTED;
    this.cut(b, now, routed ? how : REACHABLE);
    this.memory?.stopped(b);
    if (!routed) {
      this.free(b, now);
      return true;
    }
    // Unless the manager itself has not noticed (it withdraws the block then), the router learns soon.
    if (how !== SILENT) this.env.engine.at(now + this.env.s.platform.router.routeUpdateUs, this.k.routeUpdate, pack(b, this.epoch[b]!));
    return false;
  }

  /** The router no longer routes to block `b`, which goes back to the tier. */
  withdraw(b: number): void {
    const now = this.env.engine.nowUs;
    if (this.route[b] === ROUTED) this.env.tier.stopRouting(b);
    this.route[b] = NOT_ROUTED;
    this.free(b, now);
  }

  /** Block `b` failed a connection at `nowUs`: the router skips it for the quarantine period. */
  quarantine(b: number, nowUs: number): void {
    if (this.route[b] !== ROUTED) return;
    this.route[b] = QUARANTINED;
    this.env.tier.stopRouting(b);
    this.env.engine.at(nowUs + this.env.s.platform.router.quarantineUs, this.k.quarantineEnd, pack(b, this.epoch[b]!));
  }

  /** Service-time multiplier of block `b` from its host's neighbours and its own swapping. */
  refreshSlow(b: number): void {
    const neighbours = this.dedicated[b] === 1 ? 1 : this.env.hosts.neighbourFactor(this.host[b]!);
    this.env.tier.slow[b] = neighbours * (this.memory?.swapFactor(b) ?? 1);
  }

  private onRouteUpdate(b: number, e: number): void {
    if (e !== this.epoch[b]) return;
    this.withdraw(b);
  }

  private onQuarantineEnd(b: number, e: number): void {
    if (e !== this.epoch[b] || this.route[b] !== QUARANTINED) return;
    this.route[b] = ROUTED;
    this.env.tier.startRouting(b);
    this.env.flow.releaseHeld(this.env.engine.nowUs);
  }
}
