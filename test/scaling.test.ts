/**
 * Scaling strategies: each decision rule's exact trace on a metric series worked out by
 * hand, the time-bucketed window the autoscalers read against a direct computation, an
 * autoscaler in a run meeting a step change in traffic, schedules on the calendar, and
 * the scenario checks on scaling fields.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError } from '../src/scenario/problems.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { ScalingPlan } from '../src/model/Scenario.ts';
import { HerokuAutoscaleRule, QueueTimeRule } from '../src/model/scaling/strategies.ts';
import { TimeBins } from '../src/model/scaling/TimeBins.ts';
import { STEP } from './helpers/step.ts';

type QueueTime = Extract<ScalingPlan, { strategy: 'queue-time' }>;
type Heroku = Extract<ScalingPlan, { strategy: 'heroku-autoscale' }>;

const S = 1e6;
const MS = 1e3;

/** Runs a rule over one value per tick (ms, or null), applying its decisions; returns "t:from→to" for each change. */
function trace(rule: QueueTimeRule | HerokuAutoscaleRule, start: number, valuesMs: Array<number | null>): string[] {
  let n = start;
  const out: string[] = [];
  valuesMs.forEach((v, i) => {
    const t = (i + 1) * rule.tickUs;
    const d = rule.decide(t, n, v === null ? null : v * MS);
    if (d !== null && d.to !== n) {
      out.push(`${t / S}:${n}→${d.to}`);
      n = d.to;
    }
  });
  return out;
}

const judoscale: QueueTime = {
  strategy: 'queue-time',
  process: 0,
  preset: 'judoscale',
  metric: 'mean',
  sampleEveryUs: 10 * S,
  upUs: 100 * MS,
  downUs: 20 * MS,
  upBreaches: 2,
  downAfterUs: 60 * S,
  upCooldownUs: 30 * S,
  downCooldownUs: 40 * S,
  step: 2,
  downStep: 1,
  min: 2,
  max: 7,
};

test('queue-time rule: breaches in a row, up-cooldown, step capped at max, down after a spell under the threshold', (t) => {
  // Ticks every 10 s. Queue time steps up at the 3rd sample, falls back at the 12th.
  const v = [5, 5, 300, 300, 300, 300, 300, 300, 300, 300, 300, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10];
  t.deepEqual(trace(new QueueTimeRule(judoscale), 2, v), [
    // Two breaches (30 s, 40 s): up by 2 at 40 s. Breaches count again from zero: 50 s, 60 s → but the
    // up-cooldown (30 s from 40 s) holds until 70 s: at 70 s (breaches 3 ≥ 2) up by 2.
    '40:2→4',
    '70:4→6',
    // Two more breaches (80 s, 90 s) and the cooldown passed (100 s ≥ 70 + 30): up at 100 s, capped at 7.
    '100:6→7',
    // Under 20 ms from 120 s: 60 s later (180 s) and 40 s after the last change: down by 1; then again 60 s on.
    '180:7→6',
    '240:6→5',
  ]);
});

test('queue-time rule: a sample between the thresholds resets the spell, no sample reads as zero, min holds', (t) => {
  const p: QueueTime = { ...judoscale, upBreaches: 1, downAfterUs: 30 * S, downCooldownUs: 0 };
  const v = [null, null, null, 50, null, null, null, null, null, null, null, null, null, null, null, null];
  // Under from 10 s; at 40 s (30 s later) a sample of 50 ms (between 20 and 100) ends the spell before
  // it is long enough; under again from 50 s: down at 80 s, again at 110 s, then min (2) holds to 160 s.
  t.deepEqual(trace(new QueueTimeRule(p), 4, v), ['80:4→3', '110:3→2']);
});

const heroku: Heroku = {
  strategy: 'heroku-autoscale',
  process: 0,
  targetUs: 500 * MS,
  min: 1,
  max: 4,
  windowUs: 3600 * S,
  upEveryUs: 60 * S,
  downBelow: 0.5,
  downEveryUs: 180 * S,
};

test('heroku-autoscale rule: one dyno a minute up to max, down one at a time, no sooner than downEvery after any change', (t) => {
  const rule = new HerokuAutoscaleRule(heroku);
  t.is(rule.tickUs, 60 * S);
  const v = [400, 800, 900, 900, 900, 900, 300, 200, 200, 200, 200, 200, 200, 200];
  t.deepEqual(trace(rule, 1, v), [
    '120:1→2',
    '180:2→3',
    '240:3→4',
    // 300 s, 360 s: above target at max, no change. 420 s: 300 ms is between 250 and 500, no change.
    // Under 250 ms from 480 s; the last change was at 240 s: 480 ≥ 240 + 180, down; then every 180 s.
    '480:4→3',
    '660:3→2',
    '840:2→1',
  ]);
});

test('time bins: the window holds the last buckets only, late and taken-back samples count, quantiles within 2.2%', (t) => {
  const bins = new TimeBins(10 * S, 30 * S);
  // Samples 1..1000 ms in bucket 0 (t in [0, 10 s)), 2 s each in bucket 1, one filed ahead in bucket 5.
  for (let i = 1; i <= 1000; i++) bins.add(5 * S, i * MS, 1);
  for (let i = 0; i < 100; i++) bins.add(15 * S, 2000 * MS, 1);
  bins.add(55 * S, 9000 * MS, 1);
  bins.closeTo(10 * S);
  t.is(bins.count, 1000);
  t.true(Math.abs(bins.quantile(0.95)! / (950 * MS) - 1) < 0.022);
  t.true(Math.abs(bins.mean()! - 500.5 * MS) < 1e-6);
  bins.closeTo(20 * S);
  t.is(bins.count, 1100);
  // A sample taken back from a closed bucket inside the window, and one added late.
  bins.add(15 * S, 2000 * MS, -1);
  bins.add(12 * S, 1 * MS, 1);
  t.is(bins.count, 1100);
  bins.closeTo(40 * S); // window [10 s, 40 s): bucket 0 gone
  t.is(bins.count, 100);
  t.true(Math.abs(bins.quantile(0.5)! / (2000 * MS) - 1) < 0.022);
  bins.closeTo(60 * S); // window [30 s, 60 s): only the sample filed ahead
  t.is(bins.count, 1);
  t.true(Math.abs(bins.quantile(0.95)! / (9000 * MS) - 1) < 0.022);
  bins.closeTo(100 * S);
  t.is(bins.quantile(0.95), null);
  t.is(bins.mean(), null);
});


test('queue-time autoscaler meets a step in traffic: up within a sample of it, 3 min between upscales, down only after 10 min under', async (t) => {
  const r = simulate(await scenarioFromObject(STEP));
  const rows = r.scaling;
  const ups = rows.filter((x) => x.to > x.from);
  const downs = rows.filter((x) => x.to < x.from);
  t.true(ups.length >= 2, `upscales: ${ups.length}`);
  // The first upscale at the first 10 s sample after the step (queue time jumps at once at 5× load on 2 dynos).
  t.is(ups[0]!.timeUs, 1210 * S);
  t.true(ups[0]!.valueUs! > 50 * MS);
  for (let i = 1; i < ups.length; i++) t.true(ups[i]!.timeUs - ups[i - 1]!.timeUs >= 180 * S);
  for (const u of ups) t.is(u.to, u.from + 1);
  // No downscale while the step lasts; after it, the first one 10 min or more after the traffic fell.
  t.true(downs.length >= 1);
  t.true(downs[0]!.timeUs >= (50 + 10) * 60 * S, `first downscale at ${downs[0]!.timeUs / S} s`);
  for (const x of rows) t.true(x.to >= 2 && x.to <= 10);
  // Rows chain: each starts from where the last left the formation.
  for (let i = 1; i < rows.length; i++) t.is(rows[i]!.from, rows[i - 1]!.to);
  const sc = r.summary.scaling!['web']!;
  t.is(sc.changes, rows.length);
  t.is(sc.max, Math.max(2, ...rows.map((x) => x.to)));
  // Billing follows the formation: more dyno hours than 2 dynos, fewer than the most it reached all along.
  const hours = r.summary.cost.dynoHours;
  t.true(hours > 2 * (80 / 60) && hours < sc.max * (80 / 60), `${hours} dyno hours`);
  t.true(Math.abs(sc.mean - hours / (80 / 60)) < 0.1, `mean ${sc.mean} vs ${hours / (80 / 60)}`);
  // New dynos boot before they serve: the count up trails the formation at each decision.
  for (const u of ups) t.true(u.up <= u.from);
  // Deterministic: the same trace again.
  t.deepEqual(simulate(await scenarioFromObject(STEP)).scaling, rows);
});

test('an autoscaled run beats the fixed formation it starts from, at a cost between fixed-at-min and fixed-at-max', async (t) => {
  const fixed = simulate(await scenarioFromObject({ ...STEP, scaling: {} })).summary;
  const auto = simulate(await scenarioFromObject(STEP)).summary;
  t.true(auto.latency.p99Ms! < fixed.latency.p99Ms!, `p99 ${auto.latency.p99Ms} vs ${fixed.latency.p99Ms}`);
  t.true(auto.cost.totalUsd > fixed.cost.totalUsd);
});

test('a schedule scales at local clock times on the days it names; the count at the start is the one in force', async (t) => {
  const s = await scenarioFromObject({
    ...STEP,
    duration: '3d',
    // Friday 2025-06-06 12:00 in Paris (10:00 UTC).
    calendar: { start: '2025-06-06T10:00:00Z', timezone: 'Europe/Paris' },
    traffic: { rate: '1/s', service: { distribution: 'constant', value: '10ms' } },
    events: [],
    formation: { web: { count: 1, size: 'standard-1x' } },
    scaling: {
      web: {
        strategy: 'schedule',
        schedule: [
          { at: '08:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'], count: 6 },
          { at: '20:00', count: 2 },
          { at: '10:00', days: ['sat', 'sun'], count: 3 },
        ],
      },
    },
  });
  // Friday 08:00 came last before the start: 6 dynos at time zero.
  t.is(s.web.count, 6);
  t.is(s.web.maxCount, 6);
  const r = simulate(s);
  const at = (day: number, hh: number): number => ((day * 24 + hh - 12) * 3600) * S;
  t.deepEqual(
    r.scaling.map((x) => [x.timeUs, x.from, x.to]),
    [
      [at(0, 20), 6, 2], // Fri 20:00
      [at(1, 10), 2, 3], // Sat 10:00
      [at(1, 20), 3, 2], // Sat 20:00
      [at(2, 10), 2, 3], // Sun 10:00
      [at(2, 20), 3, 2], // Sun 20:00
      [at(3, 8), 2, 6], // Mon 08:00
    ],
  );
});

async function problems(obj: object): Promise<string[]> {
  try {
    await scenarioFromObject(obj);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

test('scaling fields are checked: Heroku autoscales Performance dynos of web only, an autoscaler needs max, the count starts inside min..max', async (t) => {
  const base = { ...STEP, formation: { web: { count: 2, size: 'standard-1x' }, worker: { count: 1, size: 'standard-1x' } }, jobs: [] };
  const p1 = await problems({ ...base, scaling: { web: { strategy: 'heroku-autoscale', max: 4 } } });
  t.true(p1.some((m) => m.startsWith('scaling.web.strategy: Heroku autoscales Performance')), p1.join('\n'));
  t.deepEqual(await problems({ ...base, scaling: { web: { strategy: 'heroku-autoscale', max: 4, anySize: true } } }), []);
  const p2 = await problems({ ...base, scaling: { worker: { strategy: 'heroku-autoscale', max: 4, anySize: true } } });
  t.true(p2.some((m) => m === 'scaling.worker.strategy: Heroku autoscales web dynos only'), p2.join('\n'));
  const p3 = await problems({ ...base, scaling: { web: { strategy: 'queue-time', up: '50ms', down: '5ms' } } });
  t.true(p3.some((m) => m.startsWith('scaling.web.max: missing')), p3.join('\n'));
  const p4 = await problems({ ...base, scaling: { web: { strategy: 'queue-time', up: '50ms', down: '5ms', min: 3, max: 5 } } });
  t.true(p4.some((m) => m.startsWith('formation.web.count: expected a count from scaling.web.min to max (3..5)')), p4.join('\n'));
  const p5 = await problems({ ...base, scaling: { clock: { strategy: 'fixed' } } });
  t.true(p5.some((m) => m.startsWith('scaling.clock: no process type clock')), p5.join('\n'));
  const p6 = await problems({ ...base, scaling: { web: { strategy: 'queue-time', up: '5ms', down: '50ms', max: 4 } } });
  t.true(p6.some((m) => m.startsWith('scaling.web.down: expected a threshold below up')), p6.join('\n'));
  const p7 = await problems({ ...base, scaling: { web: { strategy: 'sometimes' } } });
  t.true(p7.some((m) => m.startsWith('scaling.web.strategy: expected strategy to be one of fixed, schedule, heroku-autoscale, queue-time')), p7.join('\n'));
});

test('a worker type scales on its queue\'s job waits', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      name: 'workers-scale',
      seed: 3,
      duration: '40m',
      dynoAges: 'zero',
      platform: { profile: 'heroku-2025', hosts: { mtbf: 'never' }, dynoManager: { cycling: false } },
      formation: { web: { count: 0, size: 'standard-1x' }, worker: { count: 1, size: 'standard-1x', concurrency: 5 } },
      jobs: [{ rate: '40/s', run: { distribution: 'exponential', mean: '200ms' } }],
      scaling: { worker: { strategy: 'queue-time', preset: 'hirefire', up: '1s', down: '50ms', min: 1, max: 4 } },
    }),
  );
  // 8 busy workers' worth of jobs on 5: the queue grows until a second dyno comes, at the first 60 s sample.
  const ups = r.scaling.filter((x) => x.to > x.from);
  t.true(ups.length >= 1);
  t.is(ups[0]!.timeUs, 60 * S);
  t.is(ups[0]!.process, 'worker');
  t.is(r.summary.scaling!['worker']!.strategy, 'queue-time');
  t.true(r.summary.queues!['default']!.stranded === 0);
});
