/**
 * The EC2 instances an app's dynos can land on, spread over availability zones. Heroku
 * does not publish host sizes or how many dynos share one, so the fleet is a parameter
 * (see the platform profiles). The fleet is bookkeeping only: which hosts are up and
 * what is allocated on them. Choosing a host is a placement policy's job, and what
 * happens to the dynos of a failed host is the dyno manager's. State is kept per host in
 * typed arrays so that policies can scan a hundred hosts per placement without
 * allocating.
 */

/** The shape of the fleet. */
export interface FleetSpec {
  /** Availability-zone names, in order; hosts are numbered zone by zone. */
  readonly zones: readonly string[];
  /** Hosts in each zone (≥ 1). */
  readonly hostsPerZone: number;
  /** Memory of one host available to dynos (MB). */
  readonly memoryMb: number;
  /** Shared dynos one host can hold at most (≥ 1). */
  readonly slots: number;
}

/** What one dyno needs of a host. */
export interface PlacementRequest {
  /** The dyno size's memory (MB). */
  readonly memoryMb: number;
  /**
   * True for a Performance (dedicated) dyno: it needs an up host with nothing on it and
   * then holds the whole host, an instance as large as the dyno needs (performance-2xl's
   * 126 GB is more than a shared host has). False for a shared dyno (Eco, Basic, Standard, 1X, 2X):
   * it needs its memory and one slot on an up host that no dedicated dyno holds.
   */
  readonly dedicated: boolean;
}

/**
 * Hosts 0..count−1, zone-major: hosts 0..k−1 are in zones[0], k..2k−1 in zones[1], and so
 * on (k = hostsPerZone). Every allocation is one of this app's dynos, so `appDynos` and
 * `slotsUsed` agree today; they are kept apart for when other apps' dynos take slots.
 */
export class HostFleet {
  readonly spec: FleetSpec;
  private readonly up: Uint8Array;
  private readonly usedMb: Float64Array;
  private readonly usedSlots: Int32Array;
  private readonly dedicatedHeld: Uint8Array;
  private readonly dynos: Int32Array;
  private readonly zoneDynos: Int32Array;

  constructor(spec: FleetSpec) {
    if (spec.zones.length === 0) throw new RangeError('HostFleet: at least one zone is needed');
    if (!Number.isInteger(spec.hostsPerZone) || spec.hostsPerZone < 1) throw new RangeError(`HostFleet: hostsPerZone must be a whole number ≥ 1, got ${spec.hostsPerZone}`);
    if (!(spec.memoryMb > 0)) throw new RangeError(`HostFleet: memoryMb must be positive, got ${spec.memoryMb}`);
    if (!Number.isInteger(spec.slots) || spec.slots < 1) throw new RangeError(`HostFleet: slots must be a whole number ≥ 1, got ${spec.slots}`);
    this.spec = spec;
    const n = spec.zones.length * spec.hostsPerZone;
    this.up = new Uint8Array(n).fill(1);
    this.usedMb = new Float64Array(n);
    this.usedSlots = new Int32Array(n);
    this.dedicatedHeld = new Uint8Array(n);
    this.dynos = new Int32Array(n);
    this.zoneDynos = new Int32Array(spec.zones.length);
  }

  /** Number of hosts. */
  get count(): number {
    return this.up.length;
  }

  get zoneCount(): number {
    return this.zoneDynos.length;
  }

  /** The zone index of host `h`. */
  zoneOf(h: number): number {
    return Math.floor(h / this.spec.hostsPerZone);
  }

  zoneName(z: number): string {
    return this.spec.zones[z]!;
  }

  /** `host-1` for index 0: users say "fail host 3" for index 2. */
  hostName(h: number): string {
    return `host-${h + 1}`;
  }

  isUp(h: number): boolean {
    return this.up[h] === 1;
  }

  /** Whether host `h` can take `req` now (see PlacementRequest). */
  fits(h: number, req: PlacementRequest): boolean {
    if (this.up[h] !== 1) return false;
    if (req.dedicated) return this.usedSlots[h] === 0;
    return this.dedicatedHeld[h] === 0 && this.usedSlots[h]! < this.spec.slots && this.usedMb[h]! + req.memoryMb <= this.spec.memoryMb;
  }

  /** Puts one dyno on host `h`. Throws if it does not fit: callers place first. */
  allocate(h: number, req: PlacementRequest): void {
    if (!this.fits(h, req)) throw new Error(`HostFleet.allocate: ${this.hostName(h)} cannot take a ${req.dedicated ? 'dedicated' : 'shared'} ${req.memoryMb} MB dyno`);
    this.usedMb[h]! += req.memoryMb;
    this.usedSlots[h]!++;
    if (req.dedicated) this.dedicatedHeld[h] = 1;
    this.dynos[h]!++;
    this.zoneDynos[this.zoneOf(h)]!++;
  }

  /** Takes one dyno off host `h`, up or down. Throws if no such dyno is there. */
  release(h: number, req: PlacementRequest): void {
    const dedicated = this.dedicatedHeld[h] === 1;
    if (this.dynos[h]! < 1 || this.usedMb[h]! < req.memoryMb || req.dedicated !== dedicated) {
      throw new Error(`HostFleet.release: ${this.hostName(h)} holds no ${req.dedicated ? 'dedicated' : 'shared'} ${req.memoryMb} MB dyno`);
    }
    this.usedMb[h]! -= req.memoryMb;
    this.usedSlots[h]!--;
    this.dedicatedHeld[h] = 0;
    this.dynos[h]!--;
    this.zoneDynos[this.zoneOf(h)]!--;
  }

  /** Host `h` goes down. Its allocations stay until the dyno manager releases them. */
  fail(h: number): void {
    this.up[h] = 0;
  }

  repair(h: number): void {
    this.up[h] = 1;
  }

  /** This app's dynos allocated on host `h`. */
  appDynos(h: number): number {
    return this.dynos[h]!;
  }

  /** This app's dynos allocated on the hosts of zone `z` (down hosts included until released). */
  appDynosInZone(z: number): number {
    return this.zoneDynos[z]!;
  }

  /** Memory allocated on host `h` (MB). */
  usedMemoryMb(h: number): number {
    return this.usedMb[h]!;
  }

  /** Memory of host `h` not yet allocated (MB), whether the host is up or not. */
  freeMemoryMb(h: number): number {
    return this.spec.memoryMb - this.usedMb[h]!;
  }

  /** Dynos allocated on host `h` (a dedicated dyno counts one). */
  slotsUsed(h: number): number {
    return this.usedSlots[h]!;
  }

  /** Whether a dedicated (Performance) dyno holds host `h`. */
  isDedicated(h: number): boolean {
    return this.dedicatedHeld[h] === 1;
  }
}
