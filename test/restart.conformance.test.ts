/**
 * The conformance suite every restart policy runs (in the manner of Hono's shared router
 * tests): the first crash of a series restarts at once; cool-offs are whole, non-negative
 * microseconds that never shrink along a series and stop at the policy's published cap,
 * which they reach; each era's published schedule, crash by crash; a crash of a dyno that
 * started fine, or any crash after a reset (release, restart, scale to 0 and back), is a
 * first crash again; and a policy is pure, so one history gives one schedule. It loops
 * over the registry (policies.ts), and the published schedules are keyed by its names,
 * so a new policy fails to type-check here until its schedule is written down.
 */
import test from 'ava';
import { CrashSeries } from '../src/model/dynos/restart/CrashSeries.ts';
import { TEN_MINUTES_US } from '../src/model/dynos/restart/RestartPolicy.ts';
import { createRestartPolicy, RESTART_POLICIES, type RestartPolicyName } from '../src/model/dynos/restart/policies.ts';

const S = 1_000_000;
const MIN = 60 * S;

interface Published {
  /** Cool-offs (minutes) after crashes 1, 2, 3, … of a series, from the policy's source comments; the last repeats. */
  readonly scheduleMin: readonly number[];
  /** The longest cool-off (minutes). */
  readonly capMin: number;
  /** Run time (µs) up to which a crash continues the series (inclusive); longer is "started fine". */
  readonly windowUs: number;
}

const PUBLISHED: Readonly<Record<RestartPolicyName, Published>> = {
  // October 2013: at once, then 10, 20, 40, 80 … minutes, doubling up to 24 hours.
  'heroku-2013': {
    scheduleMin: [0, 10, 20, 40, 80, 160, 320, 640, 1280, 1440],
    capMin: 24 * 60,
    windowUs: TEN_MINUTES_US,
  },
  // Before October 2013: at once, then every 10 minutes.
  'heroku-2013-early': { scheduleMin: [0, 10], capMin: 10, windowUs: TEN_MINUTES_US },
  // 2019: at once, then 20, 40, 60, 180 and 320 minutes, then every 320 minutes.
  'heroku-2019': { scheduleMin: [0, 20, 40, 60, 180, 320], capMin: 320, windowUs: TEN_MINUTES_US },
};

/** The published cool-off (µs) after the n-th crash of a series. */
function publishedUs(p: Published, n: number): number {
  return p.scheduleMin[Math.min(n, p.scheduleMin.length) - 1]! * MIN;
}

/** Crash-series lengths to look at: past every schedule's last change, and far beyond. */
const NS = [...Array.from({ length: 60 }, (_, i) => i + 1), 100, 1000, 10_000];

/**
 * A dyno that crashes `runUs` after each start, `crashes` times, restarted after the
 * series's delay each time. Returns the delays (µs).
 */
function crashLoop(series: CrashSeries, runUs: number, crashes: number, startUs = 0): number[] {
  const delays: number[] = [];
  let startedUs = startUs;
  for (let k = 0; k < crashes; k++) {
    const crashUs = startedUs + runUs;
    const d = series.crashed(startedUs, crashUs);
    delays.push(d);
    startedUs = crashUs + d;
  }
  return delays;
}

test('every policy in the registry has its published schedule here, and nothing else does', (t) => {
  t.deepEqual(Object.keys(PUBLISHED).sort(), [...RESTART_POLICIES].sort());
});

for (const name of RESTART_POLICIES) {
  const pub = PUBLISHED[name];

  test(`${name}: the policy answers to its name; the first crash restarts at once`, (t) => {
    const policy = createRestartPolicy(name);
    t.is(policy.name, name);
    t.is(policy.delayUs(1), 0);
    t.is(new CrashSeries(policy).crashed(0, 5 * S), 0);
  });

  test(`${name}: cool-offs are whole µs, never negative, never shorter than the one before, and stop at the published cap`, (t) => {
    const policy = createRestartPolicy(name);
    let prev = -Infinity;
    let most = 0;
    for (const n of NS) {
      const d = policy.delayUs(n);
      t.true(Number.isSafeInteger(d) && d >= 0, `n = ${n}: ${d}`);
      t.true(d >= prev, `n = ${n}: ${d} after ${prev}`);
      t.true(d <= pub.capMin * MIN, `n = ${n}: ${d / MIN} min over the ${pub.capMin} min cap`);
      prev = d;
      most = Math.max(most, d);
    }
    // The cap is reached, not merely respected, and held from there on.
    t.is(most, pub.capMin * MIN);
    t.is(policy.delayUs(10_000), pub.capMin * MIN);
  });

  test(`${name}: the published schedule, crash by crash`, (t) => {
    const policy = createRestartPolicy(name);
    for (const n of NS) t.is(policy.delayUs(n), publishedUs(pub, n), `crash ${n}`);
    // Through the dyno manager's counter, for a dyno that crashes 30 s after every start.
    const delays = crashLoop(new CrashSeries(policy), 30 * S, 15);
    t.deepEqual(delays, Array.from({ length: 15 }, (_, i) => publishedUs(pub, i + 1)));
  });

  test(`${name}: a crash within the window continues the series, one after it (started fine) begins a new one`, (t) => {
    const policy = createRestartPolicy(name);
    const startedUs = 3 * 3_600 * S;
    t.true(policy.continues(startedUs, startedUs + 1));
    t.true(policy.continues(startedUs, startedUs + pub.windowUs));
    t.false(policy.continues(startedUs, startedUs + pub.windowUs + 1));
    t.false(policy.continues(startedUs, startedUs + 24 * 3_600 * S));

    // Three quick crashes, then a dyno that ran for longer than the window: back to at once,
    // and the next quick crash gets the second cool-off, not the fourth.
    const series = new CrashSeries(policy);
    crashLoop(series, 10 * S, 3);
    t.is(series.n, 3);
    t.is(series.crashed(startedUs, startedUs + pub.windowUs + 1), 0);
    t.is(series.n, 1);
    t.is(series.crashed(startedUs + pub.windowUs + 1, startedUs + pub.windowUs + 2), publishedUs(pub, 2));
  });

  test(`${name}: after a reset (release, restart, scale to 0 and back) the next crash is a first crash`, (t) => {
    const series = new CrashSeries(createRestartPolicy(name));
    const first = crashLoop(series, 20 * S, 8);
    t.true(series.n === 8 && first[7]! > 0);
    series.reset();
    t.is(series.n, 0);
    // The whole schedule starts over, even for a crash that would have continued the series.
    t.deepEqual(crashLoop(series, 20 * S, 8, 1_000 * S), first);
  });

  test(`${name}: pure: one history gives one schedule, from a new policy or an old one`, (t) => {
    const a = createRestartPolicy(name);
    const b = createRestartPolicy(name);
    const runs = [1, 5 * S, 2 * MIN, pub.windowUs, pub.windowUs + 1, 3 * MIN, 9 * MIN, 11 * MIN, 30 * S, 4 * 3_600 * S];
    const history = (p: typeof a): number[] => {
      const series = new CrashSeries(p);
      const out: number[] = [];
      let startedUs = 0;
      for (let k = 0; k < 40; k++) {
        const runUs = runs[(k * 7) % runs.length]!;
        const d = series.crashed(startedUs, startedUs + runUs);
        out.push(d, series.n);
        startedUs += runUs + d;
        if (k === 25) series.reset();
      }
      return out;
    };
    const once = history(a);
    t.deepEqual(history(a), once);
    t.deepEqual(history(b), once);
    for (const n of NS) t.is(a.delayUs(n), b.delayUs(n));
    // Not a constant sequence: the history mixes first crashes and continued ones.
    t.true(once.some((d, i) => i % 2 === 0 && d > 0) && once.some((d, i) => i % 2 === 0 && d === 0));
  });
}

test('heroku-2019: the "started fine" window follows stableAfterUs, and only for heroku-2019', (t) => {
  const p = createRestartPolicy('heroku-2019', { stableAfterUs: 2 * MIN });
  t.true(p.continues(0, 2 * MIN));
  t.false(p.continues(0, 2 * MIN + 1));
  // The schedule itself does not move.
  for (const n of NS) t.is(p.delayUs(n), publishedUs(PUBLISHED['heroku-2019'], n));
  // The 2013 policies keep Heroku's 10 minutes whatever is asked.
  for (const name of ['heroku-2013', 'heroku-2013-early'] as const) {
    t.true(createRestartPolicy(name, { stableAfterUs: 2 * MIN }).continues(0, TEN_MINUTES_US));
  }
  t.throws(() => createRestartPolicy('heroku-2019', { stableAfterUs: -1 }), { instanceOf: RangeError });
});
