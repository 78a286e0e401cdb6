/**
 * The router's limits: the 30 s timeout (H12), the backlog cap (H11) and no web dynos
 * (H14). The timeout tests replay the run's "arrivals" stream and work out by hand, with
 * Lindley's recursion for one FIFO dyno, what every request must see; the simulator must
 * agree to the rounding of its reports. Every scenario here also checks conservation:
 * each request that arrives gets exactly one answer, a response or an error.
 */
import test, { type ExecutionContext } from 'ava';
import { Streams } from '../src/engine/streams.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';
import type { RunResult } from '../src/model/run/results.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { poissonArrivals } from '../src/model/traffic/arrivals/poisson.ts';

const MINUTE_US = 60_000_000;
const TIMEOUT_US = 30_000_000;

/** arrived = completed + Σ errors, in the summary and minute by minute (warm-up 0, so the series sees every request). */
function conserved(t: ExecutionContext, r: RunResult): void {
  const q = r.summary.requests;
  const errors = Object.values(q.errors).reduce((a, b) => a + b, 0);
  t.is(q.arrived, q.completed + errors, 'arrived = completed + errors');
  let arrivals = 0;
  let answers = 0;
  for (const m of r.timeseries) {
    arrivals += m.arrivals;
    answers += m.completed + m.errors.H11 + m.errors.H12 + m.errors.H14;
  }
  if (r.summary.scenario.warmupS === 0) {
    t.is(arrivals, q.arrived, 'the series counts every arrival');
    t.is(answers, q.arrived, 'the series counts every answer');
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One FIFO single-worker dyno fed the run's own arrivals; everything in µs. */
function replayOneDyno(seed: number, ratePerS: number, serviceUs: number, durationUs: number) {
  const arrivals = poissonArrivals(ratePerS, new Streams(seed).stream('arrivals'));
  const requests: Array<{ arriveUs: number; startUs: number; endUs: number; answeredUs: number; timedOut: boolean }> = [];
  let freeUs = 0;
  for (let a = arrivals.next(); a < durationUs; a = arrivals.next()) {
    const startUs = Math.max(a, freeUs);
    const endUs = startUs + serviceUs;
    freeUs = endUs;
    const timedOut = endUs - a > TIMEOUT_US;
    requests.push({ arriveUs: a, startUs, endUs, answeredUs: timedOut ? a + TIMEOUT_US : endUs, timedOut });
  }
  const busyIn = (fromUs: number, toUs: number): number =>
    requests.reduce((sum, q) => sum + Math.max(0, Math.min(q.endUs, toUs) - Math.max(q.startUs, fromUs)), 0);
  return { requests, busyIn };
}

// Seed 2 at one request a minute puts arrivals at 43.6 s, 48.0 s, 76.7 s, 116.6 s and 173.1 s.
const LONG = {
  name: 'timeout',
  seed: 2,
  // Faults off: theory knows no daily cycling.
  platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
  duration: '4m',
  formation: { web: { count: 1, size: 'standard-1x' } },
  traffic: { rate: '1/min', service: { distribution: 'constant', value: '40s' } },
} as const;

test('a 40 s request: the client gets H12 at exactly 30 s, the dyno works on for the full 40 s', async (t) => {
  const r = simulate(await scenarioFromObject(LONG));
  const durationUs = 240_000_000;
  const ref = replayOneDyno(2, 1 / 60, 40_000_000, durationUs);
  const n = ref.requests.length;
  t.true(n >= 3, 'the scenario needs a few requests');
  // The second request arrives while the first is in service: the point of the test.
  t.true(ref.requests[1]!.arriveUs < ref.requests[0]!.endUs);

  const q = r.summary.requests;
  t.is(q.arrived, n);
  t.is(q.completed, 0);
  t.is(q.errors['H12'], n);
  t.is(q.servedAfterTimeout, n);
  conserved(t, r);

  // The client side: every latency is the timeout, exactly.
  t.is(r.summary.latency.maxMs, 30000);
  t.is(r.summary.latency.p50Ms, 30000);
  t.is(r.summary.latency.meanMs, 30000);
  t.is(r.dynos[0]!.requests, n);
  t.is(r.dynos[0]!.timeouts, n);

  // The dyno side: 40 s of work per request, not 30 s. Busy from the first arrival on.
  const busyUs = ref.busyIn(0, durationUs);
  t.is(r.dynos[0]!.busyFraction, Math.round((busyUs / durationUs) * 1e6) / 1e6);
  t.true(busyUs >= (n - 1) * 40_000_000, `busy ${busyUs / 1e6} s for ${n} requests of 40 s (the last may run past the end)`);
  t.is(r.summary.dynos['web']!.busyFraction, r.dynos[0]!.busyFraction);

  // The series: busy dynos per minute, and each H12 in the minute the client got it.
  t.true(r.timeseries.length >= 4);
  for (const row of r.timeseries) {
    const m = row.minute;
    t.is(row.busyDynos, round3(ref.busyIn(m * MINUTE_US, (m + 1) * MINUTE_US) / MINUTE_US), `busyDynos in minute ${m}`);
    const h12 = ref.requests.filter((x) => Math.floor(x.answeredUs / MINUTE_US) === m).length;
    t.is(row.errors.H12, h12, `H12 in minute ${m}`);
    t.is(row.completed, 0);
  }
  t.is(r.timeseries[1]!.busyDynos, 1, 'minute 1 is all busy, though every client there already had its H12 or will');
});

test('requests behind a timed-out one wait for the rest of its service', async (t) => {
  const r = simulate(await scenarioFromObject(LONG));
  const ref = replayOneDyno(2, 1 / 60, 40_000_000, 240_000_000);
  const [first, second] = ref.requests;
  // The second waits for what is left of the first's 40 s (35.6 s), beyond the first's H12.
  t.is(second!.startUs, first!.endUs);
  t.true(second!.startUs > first!.answeredUs);
  const meanWaitUs = ref.requests.reduce((a, x) => a + (x.startUs - x.arriveUs), 0) / ref.requests.length;
  t.is(r.summary.queue.meanMs, round3(meanWaitUs / 1000));
  t.is(r.dynos[0]!.queueMeanMs, round3(meanWaitUs / 1000));
  // A router that freed the dyno at the timeout would give a shorter mean wait.
  let freeUs = 0;
  let cutWaitUs = 0;
  for (const x of ref.requests) {
    const start = Math.max(x.arriveUs, freeUs);
    cutWaitUs += start - x.arriveUs;
    freeUs = start + TIMEOUT_US;
  }
  t.true(r.summary.queue.meanMs! > round3(cutWaitUs / ref.requests.length / 1000));
  t.is(r.summary.queue.fractionQueued, Math.round((ref.requests.filter((x) => x.startUs > x.arriveUs).length / ref.requests.length) * 1e6) / 1e6);
});

test('queueing alone can time a request out: 20 s of service after more than 10 s in the queue is an H12', async (t) => {
  const r = simulate(await scenarioFromObject({ ...LONG, traffic: { rate: '1/min', service: { distribution: 'constant', value: '20s' } } }));
  const ref = replayOneDyno(2, 1 / 60, 20_000_000, 240_000_000);
  const timedOut = ref.requests.filter((x) => x.timedOut).length;
  t.true(timedOut > 0 && timedOut < ref.requests.length, 'the scenario needs both outcomes');
  t.is(r.summary.requests.errors['H12'], timedOut);
  t.is(r.summary.requests.servedAfterTimeout, timedOut);
  t.is(r.summary.requests.completed, ref.requests.length - timedOut);
  t.is(r.summary.latency.maxMs, 30000);
  conserved(t, r);
});

test('H11: past the backlog cap the router turns requests away', async (t) => {
  const busy: Record<string, number> = {};
  for (const policy of ['random', 'shared-queue'] as const) {
    const r = simulate(
      await scenarioFromObject({
        name: 'backlog',
        seed: 3,
        platform: { profile: 'heroku-2013', router: { backlogPerDyno: 1 } },
        duration: '10m',
        formation: { web: { count: 2, size: '1X' } },
        router: { policy },
        traffic: { rate: '100/s', service: { distribution: 'exponential', mean: '100ms' } },
      }),
    );
    const q = r.summary.requests;
    t.true(q.errors['H11']! > 0.7 * q.arrived, `${policy}: most of 5× the capacity gets H11 (${q.errors['H11']} of ${q.arrived})`);
    t.true(q.completed > 0);
    conserved(t, r);
    // Requests that reached a dyno are the ones not turned away.
    t.is(r.dynos.reduce((a, d) => a + d.requests, 0), q.arrived - q.errors['H11']!);
    // At most backlogPerDyno × dynos = 2 requests ever wait, so the time-averaged queue cannot pass 2.
    for (const row of r.timeseries) t.true(row.queueMean <= 2, `${policy}: minute ${row.minute} queue ${row.queueMean}`);
    busy[policy] = r.summary.dynos['web']!.busyFraction;
  }
  // One queue never idles a dyno while requests wait. The backlog is per app, so under random
  // routing two requests queued at one dyno turn everyone away while the other may sit idle.
  t.true(busy['shared-queue']! > 0.99, `shared queue saturates both dynos: ${busy['shared-queue']}`);
  t.true(busy['random']! < busy['shared-queue']!, `random ${busy['random']} < shared ${busy['shared-queue']}`);
});

test('H14: with no web dynos every request is an H14', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      name: 'nodynos',
      duration: '5m',
      formation: { web: { count: 0, size: 'standard-1x' } },
      traffic: { rate: '10/s', service: { distribution: 'exponential', mean: '100ms' } },
    }),
  );
  const q = r.summary.requests;
  t.true(q.arrived > 2500);
  t.is(q.errors['H14'], q.arrived);
  t.is(q.completed, 0);
  t.is(q.errorRate, 1);
  t.is(r.summary.latency.meanMs, null);
  t.is(r.summary.queue.meanMs, null);
  t.deepEqual(r.dynos, []);
  conserved(t, r);
});
