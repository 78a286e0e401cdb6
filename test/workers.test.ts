/**
 * Worker dynos and job queues: a worker pool against queueing theory (jobs arriving as a
 * Poisson stream to c workers sharing one FIFO queue are an M/M/c queue), jobs enqueued by
 * requests, lost or delivered again when a worker dies, and queue bookkeeping.
 * Statistical figures use replications under seeds 2000, 2001, … and pass within 4
 * standard errors, as in queueing.test.ts.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { Summary } from '../src/model/run/results.ts';
import { mmc } from '../src/stats/theory/index.ts';

/** No web traffic; 80 jobs/s of 100 ms mean to two worker dynos of five threads: M/M/10 at ρ = 0.8. */
const POOL = {
  name: 'worker-pool',
  platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
  duration: '1370s',
  warmup: '120s',
  formation: { web: { count: 0, size: 'standard-1x' }, worker: { count: 2, size: 'standard-1x', concurrency: 5 } },
  jobs: [{ queue: 'default', rate: '80/s', run: { distribution: 'exponential', mean: '100ms' } }],
};

async function replicate(obj: object, n: number): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let k = 0; k < n; k++) out.push(simulate(await scenarioFromObject({ ...obj, seed: 2000 + k })).summary);
  return out;
}

function estimate(xs: number[]): { mean: number; se: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
  return { mean, se: Math.sqrt(v / xs.length) };
}

test('a worker pool is an M/M/c queue: Erlang C probability of waiting, mean wait, mean queue length', async (t) => {
  const runs = await replicate(POOL, 10);
  const q = mmc(80, 10, 10);
  const check = (label: string, xs: number[], theory: number, maxRelSe: number): void => {
    const e = estimate(xs);
    const msg = `${label}: simulated ${e.mean.toFixed(4)} ± ${e.se.toFixed(4)}, theory ${theory.toFixed(4)}`;
    t.log(msg);
    t.true(Math.abs(e.mean - theory) <= 4 * e.se, msg);
    t.true(e.se <= maxRelSe * theory, `${label}: standard error too large`);
  };
  const d = (s: Summary) => s.queues!['default']!;
  check('P(wait > 0)', runs.map((s) => d(s).fractionWaited!), q.probWait, 0.02);
  check('mean wait (ms)', runs.map((s) => d(s).wait.meanMs!), q.meanWaitS * 1000, 0.03);
  // Little's law: jobs waiting on average = λ · mean wait.
  check('mean queue length', runs.map((s) => d(s).lengthMean), 80 * q.meanWaitS, 0.04);
  check('worker busy fraction', runs.map((s) => s.dynos['worker']!.busyFraction), q.rho, 0.01);
  for (const s of runs) t.is(d(s).lost + d(s).redelivered + d(s).stranded, 0);
});

test('requests enqueue their class’s jobs with its probability, when their dyno finishes them', async (t) => {
  const s = await scenarioFromObject({
    name: 'enqueue',
    platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
    duration: '30m',
    formation: { web: { count: 4, size: 'standard-1x', concurrency: 2 }, worker: { count: 1, size: 'standard-1x', concurrency: 4 } },
    traffic: {
      rate: '40/s',
      classes: [
        { name: 'GET /', weight: 3, service: { distribution: 'exponential', mean: '50ms' } },
        { name: 'POST /checkout', weight: 1, service: { distribution: 'exponential', mean: '150ms' }, jobs: [{ probability: 0.5, run: { distribution: 'constant', value: '200ms' } }] },
      ],
    },
  });
  const r = simulate(s);
  const checkout = r.summary.classes!['POST /checkout']!;
  const jobs = r.summary.queues!['default']!;
  // A quarter of the traffic is checkouts, and half of those enqueue a job.
  t.true(Math.abs(checkout.arrived / r.summary.requests.arrived - 0.25) < 0.01);
  const expected = checkout.arrived * 0.5;
  t.true(Math.abs(jobs.enqueued - expected) < 4 * Math.sqrt(expected * 0.25), `${jobs.enqueued} jobs for ${checkout.arrived} checkouts`);
  t.is(jobs.completed, jobs.enqueued);
  t.is(jobs.run.meanMs, 200);
  t.is(r.summary.classes!['GET /']!.arrived + checkout.arrived, r.summary.requests.arrived);
  // Jobs per worker dyno add up in dynos.csv.
  t.is(r.dynos.find((d) => d.dyno === 'worker.1')!.requests, jobs.completed);
});

test('a worker killed mid-job: its running jobs are lost with lostJobs: lose, delivered again with redeliver', async (t) => {
  const base = {
    name: 'worker-crash',
    platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
    duration: '20m',
    dynoAges: 'zero',
    formation: { web: { count: 0, size: 'standard-1x' }, worker: { count: 1, size: 'standard-1x', concurrency: 4 } },
    jobs: [{ queue: 'default', rate: '2/s', run: { distribution: 'constant', value: '1s' } }],
    events: [{ at: '10m', crash: 'worker.1' }],
  };
  const lose = simulate(await scenarioFromObject({ ...base, queues: { default: { lostJobs: 'lose' } } })).summary.queues!['default']!;
  const again = simulate(await scenarioFromObject({ ...base, queues: { default: { lostJobs: 'redeliver' } } })).summary.queues!['default']!;
  t.true(lose.lost >= 1, `lost ${lose.lost}`);
  t.is(lose.redelivered, 0);
  t.is(lose.enqueued, lose.completed + lose.lost + lose.stranded);
  t.is(again.lost, 0);
  t.is(again.redelivered, lose.lost);
  t.is(again.enqueued, again.completed + again.stranded);
  // The crashed worker restarts at once and boots: jobs wait for it meanwhile.
  t.true(again.wait.maxMs! > 20_000, `longest wait ${again.wait.maxMs} ms`);
});

test('jobs wait for a worker when none is up, and are counted stranded if none ever comes', async (t) => {
  const s = await scenarioFromObject({
    name: 'no-workers',
    platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
    duration: '10m',
    formation: { web: { count: 0, size: 'standard-1x' }, worker: { count: 0, size: 'standard-1x' } },
    jobs: [{ queue: 'default', rate: '1/s', run: { distribution: 'constant', value: '1s' } }],
    events: [{ at: '5m', scale: { worker: 1 } }],
  });
  const q = simulate(s).summary.queues!['default']!;
  t.is(q.stranded, 0);
  t.true(q.enqueued > 500);
  t.true(q.wait.maxMs! > 5 * 60_000 - 5_000);
  const none = simulate(await scenarioFromObject({ ...(s.source as object), events: [] })).summary.queues!['default']!;
  t.is(none.stranded, none.enqueued);
  t.is(none.completed, 0);
});
