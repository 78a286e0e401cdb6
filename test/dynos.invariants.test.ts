/**
 * What must hold however dynos die: every request ends in exactly one outcome, no dyno
 * runs on a failed host, and spread placement confines a zone outage to that zone's dynos.
 * The chaos scenario throws everything at once: random crashes and host failures, fast
 * daily cycles, a leak to R15, a release that crashes half its boots, scaling both ways,
 * a restart and a zone outage.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { SERIES_CODES } from '../src/model/router/codes.ts';
import { ROUTER_POLICIES } from '../src/model/router/policies.ts';
import type { RunResult } from '../src/model/run/results.ts';

const CHAOS = {
  name: 'chaos',
  seed: 17,
  duration: '3h30m',
  platform: {
    profile: 'heroku-2025',
    hosts: { zones: ['a', 'b', 'c'], hostsPerZone: 3, mtbf: '3h', repair: '20m', detection: '30s' },
    dynoManager: { cycleEvery: '30m', cycleJitter: '20m' },
  },
  formation: {
    web: { count: 8, size: 'standard-1x', concurrency: 2, crashRate: '2/h', memory: { base: '300MB', perRequest: '10MB', leak: '1200MB/h' } },
  },
  traffic: { rate: '60/s', service: { distribution: 'lognormal', median: '80ms', p99: '2s' } },
  events: [
    { at: '40m', release: { crashOnBoot: 0.5 } },
    { at: '1h', scale: { web: 12 } },
    { at: '1h30m', scale: { web: 3 } },
    { at: '1h45m', scale: { web: 8 } },
    { at: '2h', restart: 'web' },
    { at: '2h30m', zoneDown: 'b', for: '20m' },
    { at: '3h', crash: 'web.2' },
  ],
};

/** Codes the router answers without any dyno having the request. */
const NO_DYNO = ['H10', 'H11', 'H14', 'H19', 'H20', 'H21', 'H99'];

const runs = new Map<string, Promise<RunResult>>();
function chaos(policy: string): Promise<RunResult> {
  if (!runs.has(policy)) runs.set(policy, scenarioFromObject({ ...CHAOS, router: { policy } }).then((s) => simulate(s)));
  return runs.get(policy)!;
}

for (const policy of ROUTER_POLICIES) {
  test(`${policy}: every request ends in exactly one outcome however dynos die`, async (t) => {
    const r = await chaos(policy);
    const q = r.summary.requests;
    const p = r.summary.platform;
    t.true(p.dynoCrashes > 5 && p.hostFailures > 2 && p.cycles > 0 && p.r15 > 0 && p.relocations > 0, JSON.stringify(p));
    t.true((q.errors['H13'] ?? 0) > 0, 'dying dynos lose requests');
    const errors = Object.values(q.errors).reduce((a, b) => a + b, 0);
    t.is(q.arrived, r.requests, 'no warm-up: every request counts');
    t.is(q.completed + errors, q.arrived);
    t.is(r.summary.availability, Math.round((q.completed / q.arrived) * 1e6) / 1e6);
    // Minute by minute: each arrival is answered exactly once, in some minute.
    let arrivals = 0;
    let answers = 0;
    for (const m of r.timeseries) {
      arrivals += m.arrivals;
      answers += m.completed + SERIES_CODES.reduce((a, c) => a + m.errors[c], 0);
    }
    t.is(arrivals, q.arrived);
    t.is(answers, q.arrived);
    t.true(q.servedAfterTimeout >= 0 && q.servedAfterTimeout <= (q.errors['H12'] ?? 0));
    // Requests that reached a dyno are counted by one dyno each (a shared queue's request
    // put back in the queue when its dyno dies counts on the dyno that serves it), and H12s too.
    const reached = q.arrived - NO_DYNO.reduce((a, c) => a + (q.errors[c] ?? 0), 0);
    t.is(r.dynos.reduce((a, d) => a + d.requests, 0), reached);
    t.is(r.dynos.reduce((a, d) => a + d.timeouts, 0), q.errors['H12'] ?? 0);
  });
}

test('no dyno is ever starting or up on a failed host', async (t) => {
  const r = await chaos('random');
  const down = new Set<string>();
  let checked = 0;
  for (const e of r.lifecycle) {
    if (e.dyno === '') {
      if (e.to === 'down') down.add(e.host);
      else down.delete(e.host);
      continue;
    }
    if (e.to === 'starting' || e.to === 'up') {
      checked++;
      t.false(down.has(e.host), `${e.dyno} ${e.to} on ${e.host} at ${e.timeUs / 1e6} s while the host is down`);
    }
  }
  t.true(checked > 20 && r.lifecycle.some((e) => e.dyno === '' && e.to === 'down'));
});

test('with spread placement a zone outage loses only the dynos in that zone', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      name: 'zone',
      seed: 4,
      duration: '30m',
      platform: { profile: 'heroku-2025', hosts: { zones: ['a', 'b', 'c'], hostsPerZone: 3 }, dynoManager: { cycling: false } },
      formation: { web: { count: 9, size: 'standard-1x' } },
      traffic: { rate: '30/s', service: { distribution: 'exponential', mean: '100ms' } },
      events: [{ at: '10m', zoneDown: 'b' }],
    }),
  );
  const start = r.lifecycle.filter((e) => e.timeUs === 0 && e.dyno !== '');
  t.deepEqual(['a', 'b', 'c'].map((z) => start.filter((e) => e.zone === z).length), [3, 3, 3], 'spread: three dynos per zone');
  t.is(new Set(start.map((e) => e.host)).size, 9, 'spread: one dyno per host');
  const inB = start.filter((e) => e.zone === 'b').map((e) => e.dyno).sort();
  const lost = r.lifecycle.filter((e) => e.dyno !== '' && e.to === 'down').map((e) => e.dyno).sort();
  t.deepEqual(lost, inB);
  const touched = new Set(r.lifecycle.filter((e) => e.timeUs > 0 && e.dyno !== '').map((e) => e.dyno));
  t.deepEqual([...touched].sort(), inB, 'dynos in zones a and c are untouched');
  const relocatedTo = r.lifecycle.filter((e) => e.reason === 'relocation').map((e) => e.zone);
  t.is(relocatedTo.length, 3);
  t.true(relocatedTo.every((z) => z !== 'b'));
});
