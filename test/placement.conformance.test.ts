/**
 * The conformance suite every placement policy runs (in the manner of Hono's shared
 * router tests), followed by the property particular to each policy. The suite drives a
 * policy through long seeded sequences of placements, releases, host failures and
 * repairs, and checks every answer against a ledger of its own: an independent model of
 * what each host holds, so that the fleet's bookkeeping is checked along the way.
 */
import test from 'ava';
import { Streams, type Uniform } from '../src/engine/streams.ts';
import { HostFleet, type FleetSpec, type PlacementRequest } from '../src/model/dynos/hosts/HostFleet.ts';
import { createPlacement, PLACEMENT_POLICIES, type PlacementPolicyName } from '../src/model/dynos/placement/policies.ts';

const SPEC: FleetSpec = { zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], hostsPerZone: 4, memoryMb: 2048, slots: 3 };
const STD_1X: PlacementRequest = { memoryMb: 512, dedicated: false };
const STD_2X: PlacementRequest = { memoryMb: 1024, dedicated: false };
const PERF_M: PlacementRequest = { memoryMb: 1536, dedicated: true };
const REQUESTS = [STD_1X, STD_1X, STD_2X, PERF_M] as const;

/** What the test believes each host holds, kept apart from the fleet's own bookkeeping. */
class Ledger {
  readonly spec: FleetSpec;
  readonly up: boolean[];
  readonly on: PlacementRequest[][];

  constructor(spec: FleetSpec) {
    this.spec = spec;
    const n = spec.zones.length * spec.hostsPerZone;
    this.up = Array.from({ length: n }, () => true);
    this.on = Array.from({ length: n }, () => []);
  }

  zoneOf(h: number): number {
    return Math.floor(h / this.spec.hostsPerZone);
  }

  usedMb(h: number): number {
    return this.on[h]!.reduce((a, r) => a + r.memoryMb, 0);
  }

  zoneDynos(z: number): number {
    let n = 0;
    for (let h = 0; h < this.on.length; h++) if (this.zoneOf(h) === z) n += this.on[h]!.length;
    return n;
  }

  canTake(h: number, req: PlacementRequest): boolean {
    if (!this.up[h]) return false;
    const here = this.on[h]!;
    if (req.dedicated) return here.length === 0; // on an instance of its own size
    return !here.some((r) => r.dedicated) && here.length < this.spec.slots && this.usedMb(h) + req.memoryMb <= this.spec.memoryMb;
  }

  fitting(req: PlacementRequest): number[] {
    return this.on.map((_, h) => h).filter((h) => this.canTake(h, req));
  }

  /** Hosts tied for spread's best (zone dynos, host dynos) among those that fit. */
  spreadBest(req: PlacementRequest): number[] {
    const keyed = this.fitting(req).map((h) => ({ h, z: this.zoneDynos(this.zoneOf(h)), d: this.on[h]!.length }));
    const zMin = Math.min(...keyed.map((k) => k.z));
    const dMin = Math.min(...keyed.filter((k) => k.z === zMin).map((k) => k.d));
    return keyed.filter((k) => k.z === zMin && k.d === dMin).map((k) => k.h);
  }

  /** Differences between the fleet's bookkeeping and the ledger, and capacity breaches. */
  audit(fleet: HostFleet): string[] {
    const out: string[] = [];
    for (let h = 0; h < fleet.count; h++) {
      const here = this.on[h]!;
      const usedMb = this.usedMb(h);
      const dedicated = here.some((r) => r.dedicated);
      if (fleet.isUp(h) !== this.up[h]) out.push(`host ${h}: up ${fleet.isUp(h)}`);
      if (fleet.appDynos(h) !== here.length || fleet.slotsUsed(h) !== here.length) out.push(`host ${h}: ${fleet.appDynos(h)} dynos, ledger ${here.length}`);
      if (fleet.usedMemoryMb(h) !== usedMb || fleet.freeMemoryMb(h) !== SPEC.memoryMb - usedMb) out.push(`host ${h}: memory ${fleet.usedMemoryMb(h)}`);
      if (fleet.isDedicated(h) !== dedicated) out.push(`host ${h}: dedicated ${fleet.isDedicated(h)}`);
      if (usedMb > SPEC.memoryMb || here.length > SPEC.slots) out.push(`host ${h}: over capacity`);
      if (dedicated && here.length !== 1) out.push(`host ${h}: dedicated dyno shares its host`);
      for (const req of [STD_1X, STD_2X, PERF_M]) if (fleet.fits(h, req) !== this.canTake(h, req)) out.push(`host ${h}: fits(${req.memoryMb}) wrong`);
    }
    for (let z = 0; z < fleet.zoneCount; z++) if (fleet.appDynosInZone(z) !== this.zoneDynos(z)) out.push(`zone ${z}: dynos`);
    return out;
  }
}

/** Everything `place` could change, as one string. */
function snapshot(fleet: HostFleet): string {
  const rows: string[] = [];
  for (let h = 0; h < fleet.count; h++) rows.push(`${fleet.isUp(h)},${fleet.usedMemoryMb(h)},${fleet.slotsUsed(h)},${fleet.isDedicated(h)},${fleet.appDynos(h)}`);
  for (let z = 0; z < fleet.zoneCount; z++) rows.push(`${fleet.appDynosInZone(z)}`);
  return rows.join(';');
}

function counting(u: Uniform): { u: Uniform; draws: () => number } {
  let n = 0;
  return { u: { next: () => (n++, u.next()) }, draws: () => n };
}

/** Numbers the policy should draw for `req` in the ledger's state. */
function expectedDraws(name: PlacementPolicyName, ledger: Ledger, req: PlacementRequest): number {
  if (name === 'spread') return ledger.spreadBest(req).length > 1 ? 1 : 0;
  if (name === 'random') return ledger.fitting(req).length > 1 ? 1 : 0;
  return 0;
}

/**
 * A long seeded sequence of placements (each allocated when a host is found), releases,
 * host failures and repairs. Dynos on a failed host keep their allocations until a later
 * release, as the fleet promises. Returns the hosts chosen and every problem seen.
 */
function churn(name: PlacementPolicyName, seed: number, steps: number): { choices: number[]; problems: string[] } {
  const fleet = new HostFleet(SPEC);
  const ledger = new Ledger(SPEC);
  const policy = createPlacement(name);
  const placement = counting(new Streams(seed).stream('placement'));
  const w = new Streams(seed).stream('x');
  const pick = (n: number): number => Math.floor(w.next() * n);
  const choices: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < steps && problems.length < 10; i++) {
    const r = w.next();
    if (r < 0.55) {
      const req = REQUESTS[pick(REQUESTS.length)]!;
      const before = snapshot(fleet);
      const drawsBefore = placement.draws();
      const h = policy.place(fleet, req, placement.u);
      choices.push(h);
      if (snapshot(fleet) !== before) problems.push(`step ${i}: place changed the fleet`);
      const drew = placement.draws() - drawsBefore;
      const want = expectedDraws(name, ledger, req);
      if (drew !== want) problems.push(`step ${i}: drew ${drew}, expected ${want}`);
      const fitting = ledger.fitting(req);
      if (h === -1) {
        if (fitting.length > 0) problems.push(`step ${i}: −1 although hosts ${fitting} fit`);
      } else if (!Number.isInteger(h) || h < 0 || h >= fleet.count) {
        problems.push(`step ${i}: no such host ${h}`);
      } else if (!ledger.up[h]) {
        problems.push(`step ${i}: chose down host ${h}`);
      } else if (!ledger.canTake(h, req)) {
        problems.push(`step ${i}: host ${h} cannot take ${req.memoryMb} MB`);
      } else {
        if (req.dedicated && ledger.on[h]!.length !== 0) problems.push(`step ${i}: dedicated dyno on a busy host`);
        if (name === 'spread' && !ledger.spreadBest(req).includes(h)) problems.push(`step ${i}: spread chose ${h}, not one of ${ledger.spreadBest(req)}`);
        fleet.allocate(h, req);
        ledger.on[h]!.push(req);
      }
    } else if (r < 0.85) {
      const held = ledger.on.flatMap((reqs, h) => reqs.map((req, k) => ({ h, k, req })));
      if (held.length > 0) {
        const { h, k, req } = held[pick(held.length)]!;
        fleet.release(h, req);
        ledger.on[h]!.splice(k, 1);
      }
    } else if (r < 0.93) {
      const h = pick(fleet.count);
      fleet.fail(h);
      ledger.up[h] = false;
    } else {
      const h = pick(fleet.count);
      fleet.repair(h);
      ledger.up[h] = true;
    }
    problems.push(...ledger.audit(fleet).map((p) => `step ${i}: ${p}`));
  }
  return { choices, problems };
}

// ---- The conformance suite ----

for (const name of PLACEMENT_POLICIES) {
  test(`${name}: through churn, a fitting up host or −1 only when none fits; never over capacity; place changes nothing`, (t) => {
    for (const seed of [1, 2, 3]) {
      const { choices, problems } = churn(name, seed, 2500);
      t.deepEqual(problems, [], `seed ${seed}`);
      t.true(choices.some((h) => h === -1), 'the sequence reaches a full fleet');
      t.true(choices.filter((h) => h >= 0).length > 300);
    }
  });

  test(`${name}: the same uniform sequence gives the same choices`, (t) => {
    t.deepEqual(churn(name, 5, 1500).choices, churn(name, 5, 1500).choices);
  });

  test(`${name}: a dedicated dyno gets an empty up host, and holds it`, (t) => {
    const fleet = new HostFleet(SPEC);
    const policy = createPlacement(name);
    const u = new Streams(1).stream('placement');
    for (let h = 0; h < fleet.count; h++) if (h % 3 !== 1) fleet.allocate(h, STD_1X);
    fleet.fail(4);
    const h = policy.place(fleet, PERF_M, u);
    t.true([1, 7, 10].includes(h), `chose ${h}`);
    fleet.allocate(h, PERF_M);
    for (let k = 0; k < 50; k++) t.not(policy.place(fleet, STD_1X, u), h);
    for (const g of [1, 7, 10]) if (g !== h) fleet.allocate(g, PERF_M);
    t.is(policy.place(fleet, PERF_M, u), -1);
    t.throws(() => fleet.allocate(4, STD_1X));
  });

  test(`${name}: after a zone outage, placements land in the other zones and fit`, (t) => {
    const fleet = new HostFleet(SPEC);
    const ledger = new Ledger(SPEC);
    const policy = createPlacement(name);
    const u = new Streams(2).stream('placement');
    const place = (): number => {
      const h = policy.place(fleet, STD_1X, u);
      if (h >= 0) {
        fleet.allocate(h, STD_1X);
        ledger.on[h]!.push(STD_1X);
      }
      return h;
    };
    for (let k = 0; k < 9; k++) place();
    for (let h = 0; h < fleet.count; h++) {
      if (fleet.zoneOf(h) !== 1) continue;
      fleet.fail(h);
      ledger.up[h] = false;
    }
    // The dyno manager relocates the lost dynos: their allocations are released, then placed again.
    for (let h = 0; h < fleet.count; h++) {
      while (fleet.zoneOf(h) === 1 && fleet.appDynos(h) > 0) {
        fleet.release(h, STD_1X);
        ledger.on[h]!.pop();
      }
    }
    for (;;) {
      const h = place();
      if (h < 0) break;
      t.not(fleet.zoneOf(h), 1);
    }
    t.is(fleet.appDynosInZone(0) + fleet.appDynosInZone(2), 2 * SPEC.hostsPerZone * SPEC.slots);
    t.deepEqual(ledger.audit(fleet), []);
  });
}

// ---- Each policy's own property ----

test('spread: zones stay within one dyno of each other, and no host doubles up while an empty one fits', (t) => {
  for (const seed of [1, 2, 3, 4]) {
    const fleet = new HostFleet(SPEC);
    const policy = createPlacement('spread');
    const u = new Streams(seed).stream('placement');
    for (;;) {
      const everyZoneHasRoom = [0, 1, 2].every((z) => Array.from({ length: fleet.count }, (_, h) => h).some((h) => fleet.zoneOf(h) === z && fleet.fits(h, STD_1X)));
      const emptyFits = Array.from({ length: fleet.count }, (_, h) => h).some((h) => fleet.appDynos(h) === 0 && fleet.fits(h, STD_1X));
      const h = policy.place(fleet, STD_1X, u);
      if (h < 0) break;
      if (emptyFits) t.is(fleet.appDynos(h), 0, `seed ${seed}: doubled up on host ${h}`);
      fleet.allocate(h, STD_1X);
      if (everyZoneHasRoom) {
        const perZone = [0, 1, 2].map((z) => fleet.appDynosInZone(z));
        t.true(Math.max(...perZone) - Math.min(...perZone) <= 1, `seed ${seed}: zones ${perZone}`);
      }
    }
    t.is(fleet.appDynosInZone(0) + fleet.appDynosInZone(1) + fleet.appDynosInZone(2), fleet.count * SPEC.slots);
  }
});

test('spread: after a zone outage the surviving zones stay balanced', (t) => {
  const fleet = new HostFleet(SPEC);
  const policy = createPlacement('spread');
  const u = new Streams(3).stream('placement');
  for (let h = 0; h < fleet.count; h++) if (fleet.zoneOf(h) === 0) fleet.fail(h);
  for (let k = 0; k < 2 * SPEC.hostsPerZone; k++) {
    const h = policy.place(fleet, STD_1X, u);
    fleet.allocate(h, STD_1X);
    t.true(Math.abs(fleet.appDynosInZone(1) - fleet.appDynosInZone(2)) <= 1);
  }
  // Eight dynos on the eight surviving hosts: one each.
  for (let h = SPEC.hostsPerZone; h < fleet.count; h++) t.is(fleet.appDynos(h), 1);
});

test('spread: one draw when hosts tie, none when one host is best', (t) => {
  const fleet = new HostFleet(SPEC);
  const policy = createPlacement('spread');
  const c = counting(new Streams(1).stream('placement'));
  policy.place(fleet, STD_1X, c.u);
  t.is(c.draws(), 1);
  for (let h = 0; h < fleet.count; h++) if (h !== 6) fleet.allocate(h, STD_1X);
  t.is(policy.place(fleet, STD_1X, c.u), 6);
  t.is(c.draws(), 1);
  for (let h = 0; h < fleet.count; h++) fleet.fail(h);
  t.is(policy.place(fleet, STD_1X, c.u), -1);
  t.is(c.draws(), 1);
});

test('first-fit: fills hosts in index order', (t) => {
  const fleet = new HostFleet(SPEC);
  const policy = createPlacement('first-fit');
  const u: Uniform = {
    next: () => {
      throw new Error('first-fit draws nothing');
    },
  };
  const choices: number[] = [];
  for (let h = policy.place(fleet, STD_1X, u); h >= 0; h = policy.place(fleet, STD_1X, u)) {
    fleet.allocate(h, STD_1X);
    choices.push(h);
  }
  t.deepEqual(choices, Array.from({ length: fleet.count * SPEC.slots }, (_, k) => Math.floor(k / SPEC.slots)));
  fleet.release(5, STD_1X);
  fleet.release(9, STD_1X);
  t.is(policy.place(fleet, STD_1X, u), 5);
  fleet.fail(5);
  t.is(policy.place(fleet, STD_1X, u), 9);
});

test('bin-pack: fills one host before the next, best fit first', (t) => {
  const fleet = new HostFleet(SPEC);
  const policy = createPlacement('bin-pack');
  const u: Uniform = {
    next: () => {
      throw new Error('bin-pack draws nothing');
    },
  };
  fleet.allocate(5, STD_2X);
  fleet.allocate(2, STD_1X);
  const choices: number[] = [];
  for (let h = policy.place(fleet, STD_1X, u); h >= 0; h = policy.place(fleet, STD_1X, u)) {
    fleet.allocate(h, STD_1X);
    choices.push(h);
  }
  // Host 5 (1024 MB free) fills first, then host 2 (1536 MB free), then the empty hosts in order.
  const rest = [0, 1, 3, 4, 6, 7, 8, 9, 10, 11].flatMap((h) => [h, h, h]);
  t.deepEqual(choices, [5, 5, 2, 2, ...rest]);
  // A 1024 MB dyno goes where it leaves the least room.
  const fresh = new HostFleet(SPEC);
  fresh.allocate(3, STD_1X);
  fresh.allocate(8, STD_2X);
  t.is(policy.place(fresh, STD_2X, u), 8);
  fresh.fail(8);
  t.is(policy.place(fresh, STD_2X, u), 3);
});

/** Chi-square quantile at p (Wilson–Hilferty; z is the standard normal quantile at p). */
function chiSquareQuantile(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * Math.max(0, 1 - a + z * Math.sqrt(a)) ** 3;
}

test('random: roughly uniform over the fitting hosts, never another', (t) => {
  const fleet = new HostFleet({ ...SPEC, zones: ['a', 'b'], hostsPerZone: 5 });
  const policy = createPlacement('random');
  const u = new Streams(11).stream('placement');
  for (let k = 0; k < 3; k++) fleet.allocate(3, STD_1X);
  fleet.allocate(6, STD_2X);
  fleet.fail(7);
  const counts = new Array<number>(fleet.count).fill(0);
  const N = 40_000;
  for (let k = 0; k < N; k++) counts[policy.place(fleet, STD_1X, u)]!++;
  t.is(counts[3], 0);
  t.is(counts[7], 0);
  const fitting = counts.filter((_, h) => h !== 3 && h !== 7);
  const e = N / fitting.length;
  const chi2 = fitting.reduce((a, c) => a + (c - e) ** 2 / e, 0);
  // p = 0.9999 (z = 3.719): a generous threshold for a fixed seed.
  t.true(chi2 < chiSquareQuantile(fitting.length - 1, 3.719), `chi-square ${chi2.toFixed(2)}`);
});

test('HostFleet: zone-major numbering, names, and errors on misuse', (t) => {
  const fleet = new HostFleet(SPEC);
  t.is(fleet.count, 12);
  t.is(fleet.zoneCount, 3);
  t.deepEqual([0, 3, 4, 11].map((h) => fleet.zoneOf(h)), [0, 0, 1, 2]);
  t.is(fleet.zoneName(fleet.zoneOf(5)), 'us-east-1b');
  t.is(fleet.hostName(2), 'host-3');
  t.throws(() => fleet.release(0, STD_1X));
  fleet.allocate(0, STD_1X);
  t.throws(() => fleet.release(0, PERF_M));
  fleet.fail(0);
  t.false(fleet.isUp(0));
  t.is(fleet.appDynos(0), 1, 'a failed host keeps its allocations until released');
  t.throws(() => fleet.allocate(0, STD_1X));
  fleet.release(0, STD_1X);
  fleet.repair(0);
  t.true(fleet.fits(0, PERF_M));
  t.throws(() => new HostFleet({ ...SPEC, zones: [] }));
  t.throws(() => new HostFleet({ ...SPEC, slots: 0 }));
});
