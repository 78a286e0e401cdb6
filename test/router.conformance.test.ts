/**
 * The conformance suite every router policy runs (in the manner of Hono's shared router
 * tests), followed by the checks particular to each policy. Part of it drives a policy
 * directly against a stand-in for the web tier, whose routable dynos are a scattered
 * subset that changes during the test; part runs whole simulations.
 */
import test from 'ava';
import { Streams, type Uniform } from '../src/engine/streams.ts';
import type { DynoLoad } from '../src/model/router/RouterPolicy.ts';
import { createPolicy, ROUTER_POLICIES, type RouterPolicyName } from '../src/model/router/policies.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';
import type { RunResult } from '../src/model/run/results.ts';
import { simulate } from '../src/model/run/simulate.ts';

/** Policies that draw no random numbers: the same load history must give the same choices. */
const DETERMINISTIC: readonly RouterPolicyName[] = ['round-robin', 'least-connections', 'shared-queue'];

/** Chi-square quantile at p (Wilson–Hilferty; z is the standard normal quantile at p). */
function chiSquareQuantile(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * Math.max(0, 1 - a + z * Math.sqrt(a)) ** 3;
}
const Z999 = 3.0902;

function chiSquareUniform(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
}

/** A stand-in web tier: requests held per dyno, and a routable list with junk past `routableCount`. */
class FakeLoad implements DynoLoad {
  readonly routable = new Int32Array(12);
  routableCount = 0;
  readonly held = new Int32Array(12);
  asked = 0;

  setRoutable(dynos: readonly number[]): void {
    this.routable.fill(-1);
    dynos.forEach((d, i) => (this.routable[i] = d));
    this.routableCount = dynos.length;
  }

  inSystem(d: number): number {
    this.asked++;
    return this.held[d]!;
  }
}

function counting(u: Uniform): { u: Uniform; draws: () => number } {
  let n = 0;
  return { u: { next: () => (n++, u.next()) }, draws: () => n };
}

/**
 * Drives a policy for `steps` requests: each choice adds a request to the chosen dyno, and
 * requests leave at random (from a stream of the test's own). Halfway, the routable set
 * changes. Returns the choices.
 */
function drive(name: RouterPolicyName, routing: Uniform, steps: number, load = new FakeLoad()): number[] {
  const policy = createPolicy(name, routing);
  const departures = new Streams(99).stream('departures');
  const choices: number[] = [];
  load.setRoutable([3, 7, 1, 10, 4, 0, 8]);
  for (let i = 0; i < steps; i++) {
    if (i === steps / 2) load.setRoutable([5, 2, 9, 7]);
    const d = policy.choose(load, i * 1000);
    choices.push(d);
    load.held[d]!++;
    for (let k = 0; k < load.held.length; k++) if (load.held[k]! > 0 && departures.next() < 0.12) load.held[k]!--;
  }
  return choices;
}

/**
 * 125 % of capacity: the backlog grows by 10 requests a second until it reaches its cap of
 * 4 × 400, 40 s of work, so waits pass the 30 s timeout (H12) before the cap is hit (H11).
 * The router's limit of active requests per dyno is lifted above the backlog, so that the
 * requests wait at the dynos (where the 30 s clock runs) rather than at the router (a
 * shared queue has no such limit: it keeps its queue at the router and times it there).
 */
const SATURATED = {
  name: 'conformance',
  seed: 11,
  platform: { profile: 'heroku-2025', router: { backlogPerDyno: 400, maxActivePerDyno: 1000 }, dynoManager: { cycling: false } },
  duration: '10m',
  formation: { web: { count: 4, size: 'standard-1x' } },
  traffic: { rate: '50/s', service: { distribution: 'exponential', mean: '100ms' } },
} as const;

/** Ten dynos, one worker each, at ρ = 0.9: about 2·10^5 requests after the warm-up. */
const LOAD_09 = {
  name: 'conformance',
  seed: 5,
  // Faults off: theory knows no daily cycling.
  platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
  duration: '2350s',
  warmup: '120s',
  formation: { web: { count: 10, size: 'standard-1x' } },
  traffic: { rate: '90/s', service: { distribution: 'exponential', mean: '100ms' } },
} as const;

const runs = new Map<string, Promise<RunResult>>();
function runOnce(obj: object, policy: RouterPolicyName): Promise<RunResult> {
  const key = `${JSON.stringify(obj)}|${policy}`;
  let r = runs.get(key);
  if (r === undefined) {
    r = scenarioFromObject({ ...obj, router: { policy } }).then(simulate);
    runs.set(key, r);
  }
  return r;
}

// ---- The shared suite ------------------------------------------------------------------

for (const name of ROUTER_POLICIES) {
  test(`${name}: is made under its own name`, (t) => {
    t.is(createPolicy(name, new Streams(1).stream('routing')).name, name);
  });

  test(`${name}: every chosen dyno is one of the routable ones`, (t) => {
    const policy = createPolicy(name, new Streams(1).stream('routing'));
    if (policy.sharedQueue) {
      // A shared queue has no per-request choice; the web tier must never ask for one.
      t.throws(() => policy.choose(new FakeLoad(), 0));
      return;
    }
    const load = new FakeLoad();
    const choices = drive(name, new Streams(1).stream('routing'), 20_000, load);
    const first = new Set([3, 7, 1, 10, 4, 0, 8]);
    const second = new Set([5, 2, 9, 7]);
    let bad = 0;
    choices.forEach((d, i) => {
      if (!(i < 10_000 ? first : second).has(d)) bad++;
    });
    t.is(bad, 0);
    // With one routable dyno there is only one answer.
    load.setRoutable([6]);
    for (let i = 0; i < 10; i++) t.is(policy.choose(load, 0), 6);
  });

  test(`${name}: ${DETERMINISTIC.includes(name) ? 'draws no random numbers and repeats itself' : 'draws from the routing stream and repeats itself on one seed'}`, (t) => {
    const a = counting(new Streams(1).stream('routing'));
    const b = counting(new Streams(2).stream('routing'));
    const same = counting(new Streams(1).stream('routing'));
    const policy = createPolicy(name, a.u);
    if (policy.sharedQueue) {
      t.is(a.draws(), 0);
      return;
    }
    const ca = drive(name, a.u, 4000);
    const cb = drive(name, b.u, 4000);
    const cs = drive(name, same.u, 4000);
    t.deepEqual(ca, cs, 'one seed, one sequence of choices');
    if (DETERMINISTIC.includes(name)) {
      t.is(a.draws() + b.draws(), 0, 'no draws from the routing stream');
      t.deepEqual(ca, cb, 'the seed does not matter');
    } else {
      t.true(a.draws() >= 4000, 'at least one draw per request');
      t.notDeepEqual(ca, cb, 'another seed, other choices');
    }
  });

  test(`${name}: every request answered once, per-dyno counts add up (overloaded, with H11 and H12)`, async (t) => {
    const r = await runOnce(name === 'shared-queue' ? { ...SATURATED, platform: { ...SATURATED.platform, router: { backlogPerDyno: 400 } } } : SATURATED, name);
    const q = r.summary.requests;
    const h11 = q.errors['H11'] ?? 0;
    const h12 = q.errors['H12'] ?? 0;
    t.true(h11 > 0 && h12 > 0, `the scenario overloads the dynos (H11 ${h11}, H12 ${h12})`);
    t.is(q.arrived, q.completed + h11 + h12 + (q.errors['H14'] ?? 0));
    t.is(r.dynos.reduce((a, d) => a + d.requests, 0), q.arrived - h11, 'dyno counts = requests not turned away');
    t.is(r.dynos.reduce((a, d) => a + d.timeouts, 0), h12);
    t.is(q.servedAfterTimeout, h12);
    let arrivals = 0;
    let answers = 0;
    for (const m of r.timeseries) {
      arrivals += m.arrivals;
      answers += m.completed + m.errors.H11 + m.errors.H12 + m.errors.H14;
    }
    t.is(arrivals, q.arrived);
    t.is(answers, q.arrived, 'one answer per request, in the series too');
  });

  test(`${name}: per-dyno counts sum to arrivals at ρ = 0.9`, async (t) => {
    const r = await runOnce(LOAD_09, name);
    const q = r.summary.requests;
    t.is(q.completed, q.arrived);
    t.is(r.dynos.reduce((a, d) => a + d.requests, 0), q.arrived);
    t.true(r.dynos.every((d) => d.requests > 0), 'every dyno gets work');
  });
}

// ---- Policy by policy ------------------------------------------------------------------

test('round-robin: dyno counts differ by at most one', async (t) => {
  const r = await runOnce(LOAD_09, 'round-robin');
  const counts = r.dynos.map((d) => d.requests);
  t.true(Math.max(...counts) - Math.min(...counts) <= 1, counts.join(' '));
  const choices = drive('round-robin', { next: () => 0 }, 700);
  const per = new Map<number, number>();
  for (const d of choices.slice(0, 350)) per.set(d, (per.get(d) ?? 0) + 1);
  t.deepEqual([...per.values()].sort(), [50, 50, 50, 50, 50, 50, 50]);
});

test('least-connections and power-of-two queue less than random at ρ = 0.9', async (t) => {
  const random = (await runOnce(LOAD_09, 'random')).summary;
  for (const name of ['least-connections', 'power-of-two'] as const) {
    const s = (await runOnce(LOAD_09, name)).summary;
    t.is(s.requests.arrived, random.requests.arrived, 'the same traffic');
    t.log(`${name}: mean queue ${s.queue.meanMs} ms, random ${random.queue.meanMs} ms`);
    // M/M/1 at ρ = 0.9 waits 900 ms on average; balancing on load must do far better.
    t.true(s.queue.meanMs! < 0.5 * random.queue.meanMs!, `${name} ${s.queue.meanMs} ms vs random ${random.queue.meanMs} ms`);
  }
  const lc = (await runOnce(LOAD_09, 'least-connections')).summary;
  const p2 = (await runOnce(LOAD_09, 'power-of-two')).summary;
  t.true(lc.queue.meanMs! < p2.queue.meanMs!, 'looking at every dyno beats looking at two');
});

test('least-connections: picks the emptiest routable dyno', (t) => {
  const load = new FakeLoad();
  load.setRoutable([3, 7, 1, 10]);
  load.held.set([9, 2, 9, 4, 9, 9, 9, 1, 9, 9, 6, 9]); // dyno 1 holds 2, 3 holds 4, 7 holds 1, 10 holds 6
  const policy = createPolicy('least-connections', { next: () => 0 });
  t.is(policy.choose(load, 0), 7);
  load.held[1] = 0;
  t.is(policy.choose(load, 0), 1);
});

test('power-of-two: of two dynos, the one holding fewer requests', (t) => {
  const load = new FakeLoad();
  load.setRoutable([3, 7, 1, 10]);
  load.held.set([0, 5, 0, 1, 0, 0, 0, 9, 0, 0, 3, 0]);
  // Draws land on positions 0 and 1 (dynos 3 and 7) whatever the order: 3 holds fewer.
  const u = [0.1, 0.1, 0.3, 0.0];
  let i = 0;
  const policy = createPolicy('power-of-two', { next: () => u[i++ % u.length]! });
  t.is(policy.choose(load, 0), 3);
  t.is(policy.choose(load, 0), 3);
});

test('random: spreads uniformly over the routable dynos (chi-square)', async (t) => {
  const r = await runOnce(LOAD_09, 'random');
  const counts = r.dynos.map((d) => d.requests);
  const k = counts.length - 1;
  const chi2 = chiSquareUniform(counts);
  const lo = chiSquareQuantile(k, -Z999);
  const hi = chiSquareQuantile(k, Z999);
  t.log(`simulation: chi-square ${chi2.toFixed(2)} on ${k} df, 0.1%..99.9% band ${lo.toFixed(2)}..${hi.toFixed(2)}`);
  t.true(chi2 >= lo && chi2 <= hi, `chi-square ${chi2} outside ${lo}..${hi}`);

  const choices = drive('random', new Streams(3).stream('routing'), 140_000);
  const first = [3, 7, 1, 10, 4, 0, 8].map((d) => choices.slice(0, 70_000).filter((c) => c === d).length);
  const second = [5, 2, 9, 7].map((d) => choices.slice(70_000).filter((c) => c === d).length);
  for (const c of [first, second]) {
    const x = chiSquareUniform(c);
    const [l, h] = [chiSquareQuantile(c.length - 1, -Z999), chiSquareQuantile(c.length - 1, Z999)];
    t.true(x >= l && x <= h, `routable subset: chi-square ${x} outside ${l}..${h} (${c.join(' ')})`);
  }
});
