/**
 * Trace tests of the dyno manager: tiny scenarios whose whole event log (events.csv) is
 * known in advance, in the manner of SimPy's tests. Boots take a constant 10 s so that
 * every time is exact.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { RunResult } from '../src/model/run/results.ts';

const TEN_S = { boot: { distribution: 'constant', value: '10s' } };

function base(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'trace',
    seed: 1,
    dynoAges: 'zero',
    formation: { web: { count: 1, size: 'standard-1x' } },
    traffic: { rate: '1/s', service: { distribution: 'constant', value: '50ms' } },
    ...overrides,
  };
}

async function run(obj: Record<string, unknown>, opts: Parameters<typeof simulate>[1] = {}): Promise<RunResult> {
  return simulate(await scenarioFromObject(obj), opts);
}

/** events.csv rows after time zero, as "time dyno from>to reason" (host and zone left out unless asked). */
function trace(r: RunResult, withHost = false): string[] {
  return r.lifecycle
    .filter((e) => e.timeUs > 0)
    .map((e) => `${e.timeUs / 1e6} ${e.dyno || e.host} ${e.from}>${e.to} ${e.reason}${withHost && e.dyno && e.host ? ` @${e.host}` : ''}`);
}

test('a release that cannot boot: crashes and restarts on the 2019 back-off (at once, 20, 40, 60, 180 min)', async (t) => {
  const r = await run(
    base({
      duration: '6h',
      platform: { profile: 'heroku-2025', sizes: { 'standard-1x': TEN_S }, dynoManager: { cycling: false } },
      events: [{ at: '60s', release: { crashOnBoot: 1 } }],
    }),
  );
  const crashAt = [70, 80, 1290, 3700, 7310, 18120];
  const expected: string[] = ['60 web.1 up>starting release'];
  crashAt.forEach((c, i) => {
    expected.push(`${c} web.1 starting>crashed crashed during boot`);
    const delayMin = [0, 20, 40, 60, 180, 320][i]!;
    if (c + delayMin * 60 < 6 * 3600) expected.push(`${c + delayMin * 60} web.1 crashed>starting restart`);
  });
  t.deepEqual(trace(r), expected);
  t.is(r.summary.platform.dynoCrashes, 6);
  t.is(r.summary.platform.restarts, 1 + 5);
});

test('the 2013 back-off doubles from 10 min; a release that boots resets it', async (t) => {
  const r = await run(
    base({
      duration: '3h',
      platform: { profile: 'heroku-2013', sizes: { '1X': TEN_S }, dynoManager: { cycling: false } },
      formation: { web: { count: 1, size: '1X' } },
      events: [
        { at: '60s', release: { crashOnBoot: 1 } },
        { at: '2h', release: { crashOnBoot: 0 } },
      ],
    }),
  );
  // Crashes at 70 (restart at once), 80 (+10 min), 690 (+20), 1900 (+40), 4310 (+80 → 9110, after the fix).
  t.deepEqual(trace(r), [
    '60 web.1 up>starting release',
    '70 web.1 starting>crashed crashed during boot',
    '70 web.1 crashed>starting restart',
    '80 web.1 starting>crashed crashed during boot',
    '680 web.1 crashed>starting restart',
    '690 web.1 starting>crashed crashed during boot',
    '1890 web.1 crashed>starting restart',
    '1900 web.1 starting>crashed crashed during boot',
    '4300 web.1 crashed>starting restart',
    '4310 web.1 starting>crashed crashed during boot',
    '7200 web.1 crashed>starting release',
    '7210 web.1 starting>up booted',
  ]);
  // While the only dyno is crashed, the router answers H10 at once; while it boots, requests wait (then H20 or served).
  t.true((r.summary.requests.errors['H10'] ?? 0) > 6000);
});

test('a host failure: the dyno dies, the manager notices after the detection delay and relocates it', async (t) => {
  const r = await run(
    base({
      duration: '20m',
      platform: {
        profile: 'heroku-2025',
        sizes: { 'standard-1x': TEN_S },
        dynoManager: { cycling: false },
        hosts: { zones: ['a', 'b'], hostsPerZone: 1, detection: '60s' },
      },
      formation: { web: { count: 2, size: 'standard-1x' } },
      events: [{ at: '2m', failHost: 1, for: '10m' }],
    }),
  );
  const lost = r.lifecycle.find((e) => e.timeUs === 120e6 && e.dyno !== '')!;
  t.deepEqual(trace(r, true), [
    '120 host-1 up>down host failure',
    `120 ${lost.dyno} up>down host failure (not yet detected) @host-1`,
    `180 ${lost.dyno} down>starting relocation @host-2`,
    `190 ${lost.dyno} starting>up booted @host-2`,
    '720 host-1 down>up repaired',
  ]);
  t.deepEqual(
    { hostFailures: r.summary.platform.hostFailures, relocations: r.summary.platform.relocations },
    { hostFailures: 1, relocations: 1 },
  );
});

test('daily cycling counts from the process start; SIGTERM lets requests finish, SIGKILL after the grace period is R12', async (t) => {
  let log = '';
  const r = await run(
    base({
      duration: '2h30m',
      platform: { profile: 'heroku-2013', sizes: { '1X': TEN_S }, dynoManager: { cycleEvery: '1h', cycleJitter: '0s' } },
      formation: { web: { count: 1, size: '1X' } },
      // One 25 s request a minute: the one in service at the first cycle outlives the 10 s grace.
      traffic: { rate: '1/min', service: { distribution: 'constant', value: '25s' } },
    }),
    { log: { write: (text) => void (log += text), sampleRate: 1, format: 'plain' } },
  );
  t.deepEqual(trace(r), [
    '3600 web.1 up>starting cycle',
    '3610 web.1 starting>up booted',
    '7200 web.1 up>starting cycle',
    '7210 web.1 starting>up booted',
  ]);
  t.is(r.summary.platform.cycles, 2);
  const dyno = log.split('\n').filter((l) => l.includes('heroku[web.1]')).map((l) => l.slice(33));
  const first = dyno.indexOf('heroku[web.1]: Cycling');
  t.true(first >= 0);
  t.deepEqual(dyno.slice(first, first + 4), [
    'heroku[web.1]: Cycling',
    'heroku[web.1]: State changed from up to starting',
    'heroku[web.1]: Stopping all processes with SIGTERM',
    'heroku[web.1]: Starting process with command `bundle exec puma -C config/puma.rb`',
  ]);
  // Each cycle either lets its request finish (exit 143) or kills it (R12, exit 137, the client gets H13).
  const r12 = dyno.filter((l) => l.includes('Error R12')).length;
  t.is(r12, r.summary.platform.r12);
  t.is(r.summary.requests.errors['H13'] ?? 0, r12);
  t.is(dyno.filter((l) => l.endsWith('Process exited with status 143')).length + dyno.filter((l) => l.endsWith('status 137')).length, 2);
});

test('memory: R14 at every sample over the quota, then R15 at twice it kills the process, which restarts at once', async (t) => {
  const r = await run(
    base({
      duration: '75m',
      platform: { profile: 'heroku-2025', sizes: { 'standard-1x': TEN_S }, dynoManager: { cycling: false } },
      traffic: { rate: '1/h', service: { distribution: 'constant', value: '1ms' } },
      runtimeMetrics: true,
      // 400 MB + 600 MB/h: over the 512 MB quota after 672 s, at 2 × 512 after 3744 s.
      formation: { web: { count: 1, size: 'standard-1x', memory: { base: '400MB', leak: '600MB/h' } } },
    }),
  );
  t.deepEqual(trace(r), ['3760 web.1 up>crashed R15', '3760 web.1 crashed>starting restart', '3770 web.1 starting>up booted']);
  // Samples every 20 s from each process start: R14 at 680 … 3740 s, R15 at 3760 s; the new
  // process (started at 3760 s) is over quota again from its sample at 4440 s.
  const over = r.metrics.filter((m) => m.memoryTotalMb! > 512).map((m) => m.timeUs / 1e6);
  t.is(over[0], 680);
  t.is(over[(3740 - 680) / 20], 3740);
  t.is(over[(3760 - 680) / 20], 3760);
  t.is(over[(3760 - 680) / 20 + 1], 4440);
  t.is(r.summary.platform.r14, over.length - 1);
  t.is(r.summary.platform.r15, 1);
  const at = (s: number) => r.metrics.find((m) => m.timeUs === s * 1e6)!;
  t.is(at(660).memorySwapMb, 0);
  t.is(at(680).memoryTotalMb, 400 + (600 * 680) / 3600);
  t.is(at(3740).memorySwapMb, 400 + (600 * 3740) / 3600 - 512);
  t.is(at(3780).memoryTotalMb, 400 + (600 * 20) / 3600);
});

test('a dyno no host can take waits for one, and the wait is reported', async (t) => {
  // Two hosts, two performance dynos (a host each): when one host fails there is nowhere
  // to relocate until it is repaired ten minutes later.
  const r = await run(
    base({
      duration: '30m',
      platform: {
        profile: 'heroku-2025',
        sizes: { 'performance-m': TEN_S },
        dynoManager: { cycling: false },
        hosts: { zones: ['a'], hostsPerZone: 2, detection: '60s' },
      },
      formation: { web: { count: 2, size: 'performance-m' } },
      events: [{ at: '5m', failHost: 2, for: '10m' }],
    }),
  );
  const lost = r.lifecycle.find((e) => e.timeUs === 300e6 && e.dyno !== '')!;
  t.deepEqual(trace(r, true), [
    '300 host-2 up>down host failure',
    `300 ${lost.dyno} up>down host failure (not yet detected) @host-2`,
    `360 ${lost.dyno} down>starting relocation; no host has room`,
    '900 host-2 down>up repaired',
    `900 ${lost.dyno} starting>starting placed @host-2`,
    `910 ${lost.dyno} starting>up booted @host-2`,
  ]);
  t.is(r.summary.platform.placementWaitS, 540);
});

test('noisy neighbours slow shared dynos while their host is busy, not dedicated ones', async (t) => {
  const busy = async (size: string) =>
    (
      await run(
        base({
          duration: '20m',
          platform: { profile: 'heroku-2025', dynoManager: { cycling: false }, noisyNeighbours: { slowdown: 2, busyShare: 1, busyPeriod: '10m' } },
          formation: { web: { count: 2, size } },
          traffic: { rate: '2/s', service: { distribution: 'constant', value: '100ms' } },
        }),
      )
    ).summary.dynos['web']!.busyFraction;
  // 2 requests/s of 100 ms on two dynos: 10% busy each, 20% when every host is busy and serves at half speed.
  t.is(Math.round((await busy('standard-1x')) * 100), 20);
  t.is(Math.round((await busy('performance-m')) * 100), 10);
});
