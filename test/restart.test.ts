/**
 * The dyno manager's restart schedules, crash by crash, for each era of Heroku's policy;
 * and the load averages of log-runtime-metrics against their closed form.
 */
import test from 'ava';
import { CrashSeries } from '../src/model/dynos/restart/CrashSeries.ts';
import { createRestartPolicy, RESTART_POLICIES, type RestartPolicyName } from '../src/model/dynos/restart/policies.ts';
import { LoadAverage } from '../src/model/dynos/loadAverage.ts';

const S = 1_000_000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

/**
 * A dyno that crashes `runUs` after every start, `crashes` times: restarts happen after
 * the delay the series gives. Returns the delays in minutes.
 */
function crashLoop(series: CrashSeries, runUs: number, crashes: number, startUs = 0): number[] {
  const delays: number[] = [];
  let startedUs = startUs;
  for (let k = 0; k < crashes; k++) {
    const crashUs = startedUs + runUs;
    const delayUs = series.crashed(startedUs, crashUs);
    delays.push(delayUs / MIN);
    startedUs = crashUs + delayUs;
  }
  return delays;
}

const series = (name: RestartPolicyName, stableAfterUs?: number): CrashSeries =>
  new CrashSeries(createRestartPolicy(name, stableAfterUs === undefined ? {} : { stableAfterUs }));

test('heroku-2013: a dyno crashing a minute after each start waits 0, 10, 20, 40 … minutes, capped at 24 h', (t) => {
  const s = series('heroku-2013');
  t.deepEqual(crashLoop(s, 1 * MIN, 13), [0, 10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440, 1440, 1440]);
  t.is(s.n, 13);
  t.is(createRestartPolicy('heroku-2013').delayUs(5000), 24 * HOUR);
});

test('heroku-2013: a crash more than 10 minutes after the start begins a new series', (t) => {
  const s = series('heroku-2013');
  t.deepEqual(crashLoop(s, 1 * MIN, 4), [0, 10, 20, 40]);
  t.is(s.crashed(0, 10 * MIN + 1), 0);
  t.is(s.n, 1);
  t.is(s.crashed(0, 10 * MIN), 10 * MIN, 'exactly 10 minutes still continues');
  t.is(s.n, 2);
  // A process that runs 11 minutes each time is restarted at once, every time.
  t.deepEqual(crashLoop(series('heroku-2013'), 11 * MIN, 5), [0, 0, 0, 0, 0]);
});

test('heroku-2013-early: at once, then every 10 minutes', (t) => {
  t.deepEqual(crashLoop(series('heroku-2013-early'), 1 * MIN, 8), [0, 10, 10, 10, 10, 10, 10, 10]);
  t.deepEqual(crashLoop(series('heroku-2013-early'), 20 * MIN, 3), [0, 0, 0]);
});

test('heroku-2019: 0, 20, 40, 60, 180, 320 minutes, then every 320', (t) => {
  t.deepEqual(crashLoop(series('heroku-2019'), 1 * MIN, 10), [0, 20, 40, 60, 180, 320, 320, 320, 320, 320]);
});

test('heroku-2019: the series resets once the dyno has run past stableAfter', (t) => {
  const byDefault = series('heroku-2019');
  t.deepEqual(crashLoop(byDefault, 1 * MIN, 3), [0, 20, 40]);
  t.is(byDefault.crashed(0, 10 * MIN + 1), 0, 'the default window is 10 minutes');
  const s = series('heroku-2019', 30 * MIN);
  t.deepEqual(crashLoop(s, 25 * MIN, 4), [0, 20, 40, 60], '25 minutes is not yet stable');
  t.is(s.crashed(0, 31 * MIN), 0);
  t.is(s.n, 1);
  t.deepEqual(crashLoop(series('heroku-2019', 30 * MIN), 31 * MIN, 3), [0, 0, 0]);
});

test('CrashSeries: reset (a release, a restart, a scale to 0 and back) starts over', (t) => {
  for (const name of RESTART_POLICIES) {
    const s = series(name);
    t.is(s.n, 0);
    crashLoop(s, 1 * MIN, 4);
    t.is(s.n, 4);
    s.reset();
    t.is(s.n, 0);
    t.is(s.crashed(100 * MIN, 101 * MIN), 0, name);
    t.is(s.n, 1);
  }
});

test('restart policies: every first crash restarts at once, and delays never shrink within a series', (t) => {
  for (const name of RESTART_POLICIES) {
    const p = createRestartPolicy(name);
    t.is(p.name, name);
    t.is(p.delayUs(1), 0);
    for (let n = 2; n < 60; n++) t.true(p.delayUs(n) >= p.delayUs(n - 1) && p.delayUs(n) > 0, `${name} n=${n}`);
  }
});

// ---- Load averages ----

const TAUS_US = [60 * S, 300 * S, 900 * S] as const;
const loads = (l: LoadAverage): number[] => [l.load1m, l.load5m, l.load15m];

test('LoadAverage: a constant input converges: within 1% after five time constants', (t) => {
  TAUS_US.forEach((tauUs, i) => {
    const l = new LoadAverage();
    for (let elapsedUs = 0; elapsedUs < 5 * tauUs; elapsedUs += 5 * S) l.update(3, 5 * S);
    t.true(Math.abs(loads(l)[i]! - 3) / 3 < 0.01, `τ = ${tauUs / S} s: ${loads(l)[i]}`);
  });
  const l = new LoadAverage();
  for (let k = 0; k < 1000; k++) l.update(3, 20 * S);
  for (const v of loads(l)) t.true(Math.abs(v - 3) < 1e-9);
});

test('LoadAverage: step up and down match the closed form, whatever the update intervals', (t) => {
  const l = new LoadAverage();
  t.deepEqual(loads(l), [0, 0, 0]);
  // 2 runnable tasks from time 0, updated at irregular intervals.
  const steps = [1, 7, 0.5, 20, 13, 60, 2, 180, 37].map((s) => s * S);
  let tUs = 0;
  for (const dtUs of steps) {
    l.update(2, dtUs);
    tUs += dtUs;
    const expected = TAUS_US.map((tauUs) => 2 * (1 - Math.exp(-tUs / tauUs)));
    loads(l).forEach((v, i) => t.true(Math.abs(v - expected[i]!) < 1e-12, `t = ${tUs / S} s`));
  }
  // Then none: each average decays from where it stood.
  const at = loads(l);
  l.update(0, 45 * S);
  l.update(0, 75 * S);
  loads(l).forEach((v, i) => t.true(Math.abs(v - at[i]! * Math.exp(-120 * S / TAUS_US[i]!)) < 1e-12));
  // An interval of zero changes nothing.
  const before = loads(l);
  l.update(Number.NaN, 0);
  t.deepEqual(loads(l), before);
});

test('LoadAverage: the shorter window reacts faster', (t) => {
  const l = new LoadAverage();
  l.update(4, 60 * S);
  t.true(l.load1m > l.load5m && l.load5m > l.load15m);
  t.true(Math.abs(l.load1m - 4 * (1 - Math.exp(-1))) < 1e-12);
});
