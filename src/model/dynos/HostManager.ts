/**
 * The hosts under every process type's dynos: placement, random and scripted host
 * failures, the dyno manager noticing them (detection), repairs, and noisy neighbours.
 * A host failure kills the processes of every type on it; each process type's
 * DynoManager (and the one-off runner) hears of it through the `HostTenant` interface.
 */
import type { Engine } from '../../engine/Engine.ts';
import type { Streams, Uniform } from '../../engine/streams.ts';
import type { Scenario } from '../Scenario.ts';
import { HostFleet, type PlacementRequest } from './hosts/HostFleet.ts';
import type { PlacementPolicy } from './placement/PlacementPolicy.ts';
import { createPlacement, type PlacementPolicyName } from './placement/policies.ts';
import { NoisyNeighbours } from './NoisyNeighbours.ts';
import { epochOf, indexOf, pack } from './eventArg.ts';

/** Something that runs dynos on the hosts. */
export interface HostTenant {
  /** Host `h` failed now: its processes are dead; the tenant has not noticed yet. */
  hostFailed(h: number, reason: string): void;
  /** The dyno manager notices host `h` is gone: dynos on it are relocated (or, for one-offs, lost). */
  hostDetected(h: number): void;
  /** Some host has room again: dynos waiting for one are placed, oldest first. */
  placeWaiting(): void;
  /** The slowness of shared hosts changed. */
  refreshSlowAll(): void;
}

/** A row of events.csv about a host rather than a dyno. */
export type HostRecord = (h: number, from: string, to: string, reason: string) => void;

export class HostManager {
  readonly fleet: HostFleet;
  readonly neighbours: NoisyNeighbours | null;
  hostFailures = 0;
  private readonly engine: Engine;
  private readonly s: Scenario;
  private readonly placement: PlacementPolicy;
  private readonly u: { placement: Uniform; hosts: Uniform };
  private readonly hostEpoch: Float64Array;
  private readonly tenants: HostTenant[] = [];
  private readonly onRecord: HostRecord;
  private readonly k: { fail: number; repair: number; detect: number };

  constructor(engine: Engine, s: Scenario, streams: Streams, onRecord: HostRecord) {
    this.engine = engine;
    this.s = s;
    this.onRecord = onRecord;
    const p = s.platform;
    this.fleet = new HostFleet({ zones: p.hosts.zones, hostsPerZone: p.hosts.hostsPerZone, memoryMb: p.hosts.memoryMb, slots: p.hosts.slots });
    this.placement = createPlacement(p.hosts.placement as PlacementPolicyName);
    this.u = { placement: streams.stream('placement'), hosts: streams.stream('hosts') };
    this.hostEpoch = new Float64Array(this.fleet.count);
    // Only shared sizes feel their neighbours; a formation of dedicated dynos has none.
    const shared = s.processes.some((p) => p.sizes.some((z) => !z.dedicated));
    this.neighbours =
      p.noisyNeighbours !== null && shared
        ? new NoisyNeighbours(engine, this.fleet.count, p.noisyNeighbours, streams.stream('neighbours'), () => {
            for (const t of this.tenants) t.refreshSlowAll();
          })
        : null;
    this.k = {
      fail: engine.register((a) => this.onRandomFailure(indexOf(a), epochOf(a))),
      repair: engine.register((a) => this.onRepair(indexOf(a), epochOf(a))),
      detect: engine.register((h) => {
        for (const t of this.tenants) t.hostDetected(h);
      }),
    };
  }

  add(tenant: HostTenant): void {
    this.tenants.push(tenant);
  }

  /** Random host failures, and the neighbours' first moves: after the formation is placed. */
  start(): void {
    if (Number.isFinite(this.s.platform.hosts.mtbfUs)) {
      for (let h = 0; h < this.fleet.count; h++) this.scheduleRandomFailure(h);
    }
    this.neighbours?.start();
  }

  /** A host for a new process of `req`, or −1 when none has room. */
  place(req: PlacementRequest): number {
    return this.placement.place(this.fleet, req, this.u.placement);
  }

  /** Lets every tenant place the dynos waiting for room. */
  placeWaiting(): void {
    for (const t of this.tenants) t.placeWaiting();
  }

  /** How much slower a shared dyno on `h` serves because of its neighbours. */
  neighbourFactor(h: number): number {
    return this.neighbours !== null && h >= 0 ? this.neighbours.factor(h) : 1;
  }

  private scheduleRandomFailure(h: number): void {
    const dt = -Math.log(1 - this.u.hosts.next()) * this.s.platform.hosts.mtbfUs;
    if (this.engine.nowUs + dt < this.s.durationUs) this.engine.at(this.engine.nowUs + dt, this.k.fail, pack(h, this.hostEpoch[h]!));
  }

  private onRandomFailure(h: number, e: number): void {
    if (e !== this.hostEpoch[h] || !this.fleet.isUp(h)) return;
    this.fail(h, 'host failure');
    const repairUs = -Math.log(1 - this.u.hosts.next()) * this.s.platform.hosts.repairUs;
    this.engine.at(this.engine.nowUs + repairUs, this.k.repair, pack(h, this.hostEpoch[h]!));
  }

  /** Host `h` fails now (for `forUs`, or until repaired by its random repair time when null and failures are random). */
  fail(h: number, reason: string, forUs: number | null = null): void {
    if (!this.fleet.isUp(h)) return;
    this.hostFailures++;
    this.fleet.fail(h);
    this.onRecord(h, 'up', 'down', reason);
    this.hostEpoch[h]!++;
    for (const t of this.tenants) t.hostFailed(h, reason);
    this.engine.at(this.engine.nowUs + this.s.platform.hosts.detectionUs, this.k.detect, h);
    if (forUs !== null) this.engine.at(this.engine.nowUs + forUs, this.k.repair, pack(h, this.hostEpoch[h]!));
  }

  private onRepair(h: number, e: number): void {
    if (e !== this.hostEpoch[h]) return;
    this.repair(h);
  }

  repair(h: number): void {
    if (this.fleet.isUp(h)) return;
    this.fleet.repair(h);
    this.hostEpoch[h]!++;
    this.onRecord(h, 'down', 'up', 'repaired');
    if (Number.isFinite(this.s.platform.hosts.mtbfUs)) this.scheduleRandomFailure(h);
    this.placeWaiting();
  }

  /** Every host of zone `zone` fails now, for `forUs` when given. */
  zoneDown(zone: number, forUs: number | null): void {
    for (let h = 0; h < this.fleet.count; h++) if (this.fleet.zoneOf(h) === zone) this.fail(h, 'zone outage', forUs);
  }
}
