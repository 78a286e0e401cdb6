/**
 * The router tier as Heroku runs it: the per-app dyno limit as a platform parameter,
 * several uncoordinated routers (each with its own counts and backlog), the power of d
 * choices against the supermarket model's mean-field values, and late load information.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError, type Problem } from '../src/scenario/problems.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { RunResult } from '../src/model/run/results.ts';
import { createPolicy } from '../src/model/router/policies.ts';
import { REFUSES, REJECT_UNREACHABLE, WebTier } from '../src/model/router/WebTier.ts';

async function problemsOf(raw: Record<string, unknown>): Promise<readonly Problem[]> {
  try {
    await scenarioFromObject(raw);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

const TINY = {
  name: 'router-tier',
  seed: 1,
  platform: 'heroku-2013',
  duration: '1m',
  formation: { web: { count: 2, size: '1X' } },
  traffic: { rate: '10/s', service: { distribution: 'exponential', mean: '50ms' } },
};

// ---- The per-app dyno limit ------------------------------------------------------------

test('over 100 dynos is refused by default, naming the field that raises the limit', async (t) => {
  const problems = await problemsOf({ ...TINY, formation: { web: { count: 150, size: '1X' } } });
  t.deepEqual(problems, [
    { path: 'formation', message: "expected at most 100 dynos in all (Heroku's limit per app, raised on request: platform.limits.dynosPerApp), got 150" },
  ]);
});

test('platform.limits.dynosPerApp raises the limit: 1 000 dynos run', async (t) => {
  const s = await scenarioFromObject(
    { ...TINY, duration: '10s', platform: { profile: 'heroku-2013', limits: { dynosPerApp: 1000 } }, formation: { web: { count: 1000, size: '1X' } } },
    { set: [] },
  );
  t.is(s.platform.limits.dynosPerApp, 1000);
  const r = simulate(s);
  t.is(r.dynos.length, 1000);
  t.true(r.summary.requests.completed > 0);
});

test('--set platform.limits.dynosPerApp=1000 works on a scenario that names its platform by profile', async (t) => {
  // TINY says `platform: heroku-2013`; --set opens it into { profile: heroku-2013, limits: … }.
  const s = await scenarioFromObject({ ...TINY, formation: { web: { count: 150, size: '1X' } } }, { set: ['platform.limits.dynosPerApp=1000'] });
  t.is(s.platform.name, 'heroku-2013');
  t.is(s.platform.limits.dynosPerApp, 1000);
  t.is(s.web.count, 150);
  // With no platform at all, the default profile is opened.
  const { platform: _omitted, ...noPlatform } = TINY;
  const d = await scenarioFromObject({ ...noPlatform, formation: { web: { count: 2, size: 'standard-1x' } } }, { set: ['platform.router.routers=4'] });
  t.is(d.platform.name, 'heroku-2025');
  t.is(d.platform.router.routers, 4);
});

// ---- Bad input -------------------------------------------------------------------------

test('bad router-tier fields: one problem each, with its path', async (t) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ platform: { profile: 'heroku-2013', router: { routers: 0 } } }, 'platform.router.routers'],
    [{ router: { policy: 'power-of-d', choices: 1 } }, 'router.choices'],
    [{ router: { policy: 'random', choices: 3 } }, 'router.choices'],
    [{ router: { policy: 'random', loadRefresh: '1s' } }, 'router.loadRefresh'],
    [{ router: { policy: 'least-connections', loadRefresh: '0s' } }, 'router.loadRefresh'],
    [{ platform: { profile: 'heroku-2013', limits: { dynosPerApp: 0 } } }, 'platform.limits.dynosPerApp'],
    [{ router: { policy: 'shared-queue' }, platform: { profile: 'heroku-2013', router: { routers: 4 } } }, 'platform.router.routers'],
    [{ platform: { profile: 'heroku-2013', router: { maxActivePerDyno: 0 } } }, 'platform.router.maxActivePerDyno'],
    [{ router: { policy: 'shared-queue' }, platform: { profile: 'heroku-2013', router: { maxActivePerDyno: 10 } } }, 'platform.router.maxActivePerDyno'],
  ];
  for (const [over, path] of cases) {
    const problems = await problemsOf({ ...TINY, ...over });
    t.is(problems.length, 1, `${JSON.stringify(over)}: ${JSON.stringify(problems)}`);
    t.is(problems[0]!.path, path, JSON.stringify(problems));
  }
});

// ---- Several routers -------------------------------------------------------------------

test('routers: 1 written out gives the default run, byte for byte', async (t) => {
  for (const policy of ['random', 'least-connections', 'power-of-two']) {
    const a = simulate(await scenarioFromObject({ ...TINY, router: { policy } }));
    const b = simulate(await scenarioFromObject({ ...TINY, router: { policy }, platform: { profile: 'heroku-2013', router: { routers: 1 } } }));
    t.is(JSON.stringify(b.summary), JSON.stringify(a.summary), policy);
    t.is(JSON.stringify(b.timeseries), JSON.stringify(a.timeseries), policy);
  }
});

/** Twenty single-worker dynos at ρ = 0.9 (faults off), on one seed, behind `routers` routers. */
function at09Router(router: Record<string, unknown>, routers = 1): Promise<RunResult> {
  return scenarioFromObject({
    name: 'routers',
    seed: 7,
    platform: { profile: 'heroku-2025', router: { routers }, dynoManager: { cycling: false } },
    duration: '1200s',
    warmup: '100s',
    formation: { web: { count: 20, size: 'standard-1x' } },
    router,
    traffic: { rate: '180/s', service: { distribution: 'exponential', mean: '100ms' } },
  }).then(simulate);
}

const at09 = (policy: string, routers: number): Promise<RunResult> => at09Router({ policy }, routers);

test('least-connections: one router beats 8 uncoordinated ones, which beat random', async (t) => {
  const one = (await at09('least-connections', 1)).summary.queue.meanMs!;
  const eight = (await at09('least-connections', 8)).summary.queue.meanMs!;
  const random = (await at09('random', 1)).summary.queue.meanMs!;
  t.log(`mean queue: 1 router ${one} ms, 8 routers ${eight} ms, random ${random} ms`);
  t.true(one < eight, `${one} < ${eight}`);
  t.true(eight < random, `${eight} < ${random}`);
});

test('random routing is the same with any number of routers: they hold no state', async (t) => {
  const one = await at09('random', 1);
  const eight = await at09('random', 8);
  // Each request goes to a uniformly random dyno either way; only which draws pick it differ.
  const q1 = one.summary.queue.meanMs!;
  const q8 = eight.summary.queue.meanMs!;
  t.true(Math.abs(q8 - q1) / q1 < 0.25, `random: ${q1} ms with 1 router, ${q8} ms with 8`);
});

test('H11 per router: each router turns requests away past its own backlog only', async (t) => {
  // One dyno busy for the whole run with its first request; a cap of one waiting request
  // per router. Every router lets exactly one request wait, then answers H11.
  for (const routers of [1, 2, 4]) {
    const r = simulate(
      await scenarioFromObject({
        name: 'backlog-per-router',
        seed: 2,
        platform: { profile: 'heroku-2013', router: { backlogPerDyno: 1, routers }, dynoManager: { cycling: false } },
        duration: '60s',
        formation: { web: { count: 1, size: '1X' } },
        traffic: { rate: '1/s', service: { distribution: 'constant', value: '100s' } },
      }),
    );
    const q = r.summary.requests;
    t.true(q.arrived > 30);
    t.is(q.errors['H11'], q.arrived - 1 - routers, `${routers} routers: ${q.arrived} arrived, H11 ${q.errors['H11']}`);
    t.is(r.dynos[0]!.requests, 1 + routers);
  }
});

// ---- The power of d choices against the supermarket model ------------------------------

/**
 * The supermarket model (Vvedenskaya, Dobrushin and Karpelevich 1996; Mitzenmacher, "The
 * power of two choices in randomized load balancing", IEEE TPDS 12(10), 2001): N → ∞
 * exponential servers of rate 1, Poisson arrivals of rate λN, each to the shorter of d
 * queues drawn at random. The share of queues holding at least i requests is
 * s_i = λ^((d^i − 1)/(d − 1)), so the mean time in the system is
 * T = Σ_{i≥1} s_i / λ = Σ_{i≥1} λ^((d^i − d)/(d − 1)) service times.
 */
function supermarketMeanTime(lambda: number, d: number): number {
  let t = 0;
  for (let i = 1; i < 100_000; i++) {
    // d = 1 (random routing) as the limit: the exponent is then i − 1.
    const term = lambda ** (d === 1 ? i - 1 : (d ** i - d) / (d - 1));
    t += term;
    if (term < 1e-15) break;
  }
  return t;
}

function thousandDynos(router: Record<string, unknown>): Promise<RunResult> {
  // N = 1 000 dynos at λ = 0.9: 9 000 requests a second of mean 100 ms, 100 s after 20 s of warm-up.
  return scenarioFromObject({
    name: 'supermarket',
    seed: 13,
    platform: { profile: 'heroku-2025', limits: { dynosPerApp: 1000 }, dynoManager: { cycling: false } },
    duration: '120s',
    warmup: '20s',
    formation: { web: { count: 1000, size: 'standard-1x' } },
    router,
    traffic: { rate: '9000/s', service: { distribution: 'exponential', mean: '100ms' } },
  }).then(simulate);
}

test('the mean-field values: T(2) ≈ 2.614 and T(3) ≈ 2.028 service times at λ = 0.9', (t) => {
  t.is(supermarketMeanTime(0.9, 2).toFixed(3), '2.614');
  t.is(supermarketMeanTime(0.9, 3).toFixed(3), '2.028');
  // d = 1 is the M/M/1 queue: 1 / (1 − λ).
  t.true(Math.abs(supermarketMeanTime(0.9, 1) - 10) < 1e-9);
});

test('power of d at N = 1 000, λ = 0.9: mean time in the system within 3% of the mean field (d = 2, 3)', async (t) => {
  for (const [router, d] of [[{ policy: 'power-of-two' }, 2], [{ policy: 'power-of-d', choices: 2 }, 2], [{ policy: 'power-of-d', choices: 3 }, 3]] as const) {
    const r = await thousandDynos(router);
    const measured = r.summary.latency.meanMs! / 100;
    const theory = supermarketMeanTime(0.9, d);
    t.log(`${JSON.stringify(router)}: ${measured.toFixed(3)} service times, mean field ${theory.toFixed(3)}`);
    t.true(Math.abs(measured / theory - 1) < 0.03, `${measured} vs ${theory}`);
  }
});

test('power of d approaches joining the shortest queue as d grows', async (t) => {
  const times: number[] = [];
  for (const router of [{ policy: 'random' }, { policy: 'power-of-d', choices: 2 }, { policy: 'power-of-d', choices: 3 }, { policy: 'power-of-d', choices: 5 }, { policy: 'least-connections' }]) {
    times.push((await thousandDynos(router)).summary.latency.meanMs! / 100);
  }
  t.log(`mean time in system (service times): random, d = 2, 3, 5, least-connections: ${times.map((x) => x.toFixed(3)).join(', ')}`);
  for (let i = 1; i < times.length; i++) t.true(times[i]! < times[i - 1]!, `${times[i]} < ${times[i - 1]}`);
  // Joining the shortest of 1 000 queues at λ = 0.9 hardly ever waits.
  t.true(times[times.length - 1]! < 1.05);
});

// ---- Late load information -------------------------------------------------------------

test('late load information: least-connections on a stale board herds, and worse as the board ages', async (t) => {
  const run = (loadRefresh?: string) =>
    at09Router({ policy: 'least-connections', ...(loadRefresh === undefined ? {} : { loadRefresh }) }).then((r) => r.summary.queue.meanMs!);
  const live = await run();
  const late = await run('100ms');
  const stale = await run('2s');
  const random = (await at09('random', 1)).summary.queue.meanMs!;
  t.log(`mean queue: live ${live} ms, board every 100 ms ${late} ms, every 2 s ${stale} ms, random ${random} ms`);
  t.true(live < late, `${live} < ${late}`);
  t.true(late < stale, `${late} < ${stale}`);
  // With a long interval every request goes to the dyno that looked emptiest: worse than random.
  t.true(stale > random, `${stale} > ${random}`);
});


// ---- Quarantine per router -------------------------------------------------------------

test('quarantine is per router: only the router that failed to connect skips the dyno, until its quarantine ends', (t) => {
  const rr = () => createPolicy('round-robin', { next: () => 0 });
  const tier = new WebTier(2, 1, rr(), 50, { track: false, routers: { policies: [rr(), rr()], loadAware: false, pick: { next: () => 0 } } });
  t.is(tier.routers, 2);
  for (const slot of [0, 1]) tier.startRouting(tier.acquire(slot, 0));
  // web.1's process is gone; the routers do not know yet.
  tier.setGone(0, REFUSES);
  const chosen = (router: number, nowUs: number): number => {
    const d = tier.dispatch(nowUs, 1_000, router);
    return d === REJECT_UNREACHABLE ? tier.failedBlock : d;
  };
  t.is(tier.dispatch(10, 1_000, 0), REJECT_UNREACHABLE);
  t.is(tier.failedBlock, 0);
  tier.quarantineAt(0, 0, 5_000_010);
  // Router 0 now sends everything to web.2; router 1 still tries web.1 in its turn.
  const byRouter0 = [20, 30, 40, 50].map((now) => chosen(0, now));
  const byRouter1 = [20, 30, 40, 50].map((now) => chosen(1, now));
  t.deepEqual(byRouter0, [1, 1, 1, 1]);
  t.true(byRouter1.includes(0), `router 1 chose ${byRouter1}`);
  // Its quarantine over, router 0 tries web.1 again.
  t.true([6_000_000, 6_000_010].map((now) => chosen(0, now)).includes(0));
});

test('each router finds a dead dyno for itself: refused connections (H21) grow with the number of routers', async (t) => {
  // One dyno crashes at 10 s; the route update that withdraws it is slow (1 min), so the
  // routers keep trying it. A router that is refused (H21: one attempt, one dyno)
  // quarantines it for 5 s and holds its requests; at the end of its quarantine it tries
  // again. With R routers each does so on its own.
  const h21: number[] = [];
  for (const routers of [1, 2, 4]) {
    const r = simulate(
      await scenarioFromObject({
        name: 'quarantine-per-router',
        seed: 4,
        platform: { profile: 'heroku-2013', router: { routers, routeUpdate: '1m', quarantine: '5s' }, dynoManager: { cycling: false } },
        duration: '2m',
        formation: { web: { count: 1, size: '1X' } },
        events: [{ at: '10s', crash: 'web.1' }],
        traffic: { rate: '5/s', service: { distribution: 'constant', value: '10ms' } },
      }),
    );
    const q = r.summary.requests;
    h21.push(q.errors['H21'] ?? 0);
    // Every request is answered once: completed, or an error.
    t.is(q.completed + Object.values(q.errors).reduce((a, b) => a + b, 0), q.arrived);
  }
  t.log(`H21 with 1, 2 and 4 routers: ${h21.join(', ')}`);
  // About one refusal per router per quarantine period, for the minute before the update.
  t.true(h21[0]! >= 10 && h21[0]! <= 13, `${h21[0]}`);
  t.true(h21[1]! > 1.6 * h21[0]!, `${h21}`);
  t.true(h21[2]! > 1.6 * h21[1]!, `${h21}`);
});

// ---- The limit of active requests per dyno, per router ---------------------------------

function atLimit(routers: number): Promise<RunResult> {
  // Two single-worker dynos, each busy 100 s with any request; each router may have one
  // request at a time at each dyno and holds up to backlogPerDyno × 2 = 4 of its own.
  return scenarioFromObject({
    name: 'active-limit',
    seed: 9,
    platform: { profile: 'heroku-2013', router: { routers, maxActivePerDyno: 1, backlogPerDyno: 2 }, dynoManager: { cycling: false } },
    duration: '60s',
    formation: { web: { count: 2, size: '1X' } },
    traffic: { rate: '1/s', service: { distribution: 'constant', value: '100s' } },
  }).then(simulate);
}

test('maxActivePerDyno: past the limit at every dyno a router holds requests in its own backlog, H11 past its cap', async (t) => {
  const one = await atLimit(1);
  const q = one.summary.requests;
  t.true(q.arrived > 40);
  // One request at each dyno, four held by the router (sent on as the first two end), the rest H11.
  const reached = one.dynos.reduce((a, d) => a + d.requests, 0);
  t.is(reached, 6);
  t.is(q.errors['H11'], q.arrived - 6);
  // Held at the router, not queued at a dyno: no dyno ever had two requests waiting.
  t.is(q.completed + Object.values(q.errors).reduce((a, b) => a + b, 0), q.arrived);
  // Two routers: each has its own limit and its own cap, so more requests get through.
  const two = await atLimit(2);
  const reached2 = two.dynos.reduce((a, d) => a + d.requests, 0);
  t.true(reached2 > reached && reached2 <= 2 * 6, `2 routers: ${reached2} reached the dynos`);
  t.is(two.summary.requests.errors['H11'], two.summary.requests.arrived - reached2);
});

test('maxActivePerDyno: with a dyno at its limit the router sends the request to another dyno', async (t) => {
  // Random routing to 2 dynos with a limit of 1: no dyno ever queues a request while the other is free.
  const r = simulate(
    await scenarioFromObject({
      name: 'active-limit-spread',
      seed: 3,
      platform: { profile: 'heroku-2013', router: { maxActivePerDyno: 1 }, dynoManager: { cycling: false } },
      duration: '10m',
      formation: { web: { count: 2, size: '1X' } },
      traffic: { rate: '5/s', service: { distribution: 'exponential', mean: '100ms' } },
    }),
  );
  const shared = simulate(
    await scenarioFromObject({
      name: 'active-limit-spread',
      seed: 3,
      platform: { profile: 'heroku-2013', dynoManager: { cycling: false } },
      duration: '10m',
      formation: { web: { count: 2, size: '1X' } },
      router: { policy: 'shared-queue' },
      traffic: { rate: '5/s', service: { distribution: 'exponential', mean: '100ms' } },
    }),
  );
  // A limit of one request per single-worker dyno is a shared queue at the router.
  t.is(r.summary.queue.meanMs, shared.summary.queue.meanMs);
  t.is(r.summary.latency.p99Ms, shared.summary.latency.p99Ms);
});
