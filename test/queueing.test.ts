/**
 * Statistical tests: simulated runs against closed-form queueing theory, with fixed seeds.
 *
 * Each figure is estimated by independent replications (the same scenario under seeds
 * 1000, 1001, …, each about 10^5 requests after a two-minute warm-up, 10^6 in all), so
 * the standard error comes from the spread of the replications and already includes the
 * autocorrelation of waits inside a run. A figure passes when it lies within 4 standard
 * errors of the theory (|t| > 4 with 9 degrees of freedom has probability 0.3 %), and
 * each test also asserts that the standard error is small, so that a noisy simulator
 * cannot pass by being noisy. Quantiles get 0.1 % more: the histogram reports bucket
 * midpoints (relative precision 2^-10).
 */
import test, { type ExecutionContext } from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { Summary } from '../src/model/run/results.ts';
import { md1, mg1, mm1, mmc } from '../src/stats/theory/index.ts';

const Z = 4;
const HISTOGRAM_REL = 0.001;

/** 10 web dynos, one worker each, λ = 8/s per dyno, μ = 10/s: ρ = 0.8. About 10^5 requests after the warm-up. */
const MM1_BASE = {
  name: 'queueing',
  // Faults off: theory knows no daily cycling.
  platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
  duration: '1370s',
  warmup: '120s',
  formation: { web: { count: 10, size: 'standard-1x' } },
  traffic: { rate: '80/s', service: { distribution: 'exponential', mean: '100ms' } },
} as const;

interface Estimate {
  mean: number;
  se: number;
  n: number;
}

async function replicate(obj: object, replications: number): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let k = 0; k < replications; k++) {
    out.push(simulate(await scenarioFromObject({ ...obj, seed: 1000 + k })).summary);
  }
  return out;
}

/** The M/M/1 replications, shared by the tests that read them. */
let mm1Runs: Promise<Summary[]> | undefined;
function mm1Replications(): Promise<Summary[]> {
  mm1Runs ??= replicate(MM1_BASE, 10);
  return mm1Runs;
}

function estimate(xs: readonly number[]): Estimate {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n), n };
}

function pick(runs: readonly Summary[], f: (s: Summary) => number | null): Estimate {
  return estimate(runs.map((s) => {
    const v = f(s);
    if (v === null) throw new Error('missing figure');
    return v;
  }));
}

/**
 * Asserts |estimate − theory| ≤ 4·SE + relExtra·theory, and SE ≤ maxRelSe·theory (the
 * run is long enough for the comparison to mean something).
 */
function within(t: ExecutionContext, label: string, e: Estimate, theory: number, maxRelSe: number, relExtra = 0): void {
  const tol = Z * e.se + relExtra * theory;
  const msg = `${label}: simulated ${e.mean.toFixed(4)} ± ${e.se.toFixed(4)} (SE, ${e.n} runs), theory ${theory.toFixed(4)}, tolerance ${tol.toFixed(4)}`;
  t.log(msg);
  t.true(Math.abs(e.mean - theory) <= tol, msg);
  t.true(e.se <= maxRelSe * theory, `${label}: standard error ${e.se} above ${maxRelSe * 100}% of ${theory}`);
}

/** Upper 0.1 % point of chi-square with k degrees of freedom (Wilson–Hilferty; within 1 % for k ≥ 5). */
function chiSquare999(k: number): number {
  const z = 3.0902;
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

test('random routing to single-worker dynos is independent M/M/1 queues', async (t) => {
  const runs = await mm1Replications();
  const q = mm1(8, 10);
  within(t, 'mean queue time (ms)', pick(runs, (s) => s.queue.meanMs), q.meanWaitS * 1000, 0.03);
  within(t, 'fraction queued', pick(runs, (s) => s.queue.fractionQueued), q.fractionQueued, 0.01);
  within(t, 'mean response time (ms)', pick(runs, (s) => s.latency.meanMs), q.meanResponseS * 1000, 0.03);
  within(t, 'busy fraction', pick(runs, (s) => s.dynos['web']!.busyFraction), q.rho, 0.01);
  const arrived = runs.reduce((a, s) => a + s.requests.arrived, 0);
  t.true(arrived > 9.5e5 && arrived < 1.05e6, `about 10^6 requests in all, got ${arrived}`);
});

test('M/M/1 response-time quantiles: p50 and p99 of the exponential with rate μ − λ', async (t) => {
  const runs = await mm1Replications();
  const q = mm1(8, 10);
  within(t, 'p50 (ms)', pick(runs, (s) => s.latency.p50Ms), q.responseQuantileS(0.5) * 1000, 0.02, HISTOGRAM_REL);
  within(t, 'p99 (ms)', pick(runs, (s) => s.latency.p99Ms), q.responseQuantileS(0.99) * 1000, 0.04, HISTOGRAM_REL);
});

test('shared-queue routing is M/M/c: Erlang C probability of waiting and mean wait', async (t) => {
  const runs = await replicate({ ...MM1_BASE, router: { policy: 'shared-queue' } }, 10);
  const q = mmc(80, 10, 10);
  within(t, 'P(wait > 0)', pick(runs, (s) => s.queue.fractionQueued), q.probWait, 0.02);
  within(t, 'mean queue time (ms)', pick(runs, (s) => s.queue.meanMs), q.meanWaitS * 1000, 0.03);
  within(t, 'mean response time (ms)', pick(runs, (s) => s.latency.meanMs), q.meanResponseS * 1000, 0.01);
});

test('constant service is M/D/1: half the M/M/1 wait', async (t) => {
  const runs = await replicate({ ...MM1_BASE, traffic: { rate: '80/s', service: { distribution: 'constant', value: '100ms' } } }, 10);
  const q = md1(8, 0.1);
  within(t, 'mean queue time (ms)', pick(runs, (s) => s.queue.meanMs), q.meanWaitS * 1000, 0.02);
  within(t, 'fraction queued', pick(runs, (s) => s.queue.fractionQueued), q.fractionQueued, 0.01);
});

test('lognormal service matches the Pollaczek–Khinchine M/G/1 mean wait', async (t) => {
  // σ = 1: Var[S] = (e − 1)·E[S]², so E[S²] is 1.36 times the exponential's. ρ = 0.7.
  // A heavier tail gives noisier replications, hence 20 of them (1.75·10^6 requests).
  const obj = { ...MM1_BASE, traffic: { rate: '70/s', service: { distribution: 'lognormal', mean: '100ms', sigma: 1 } } };
  const dist = (await scenarioFromObject(obj)).traffic.classes[0]!.service!;
  t.true(Math.abs(dist.varianceUs2 / dist.meanUs ** 2 - Math.expm1(1)) < 1e-9); // the σ asked for
  const q = mg1(7, dist.meanUs / 1e6, dist.varianceUs2 / 1e12);
  const runs = await replicate(obj, 20);
  within(t, 'mean queue time (ms)', pick(runs, (s) => s.queue.meanMs), q.meanWaitS * 1000, 0.03);
  within(t, 'fraction queued', pick(runs, (s) => s.queue.fractionQueued), q.fractionQueued, 0.01);
});

test('shared queue beats random routing at the same load and on the same traffic', async (t) => {
  const random = (await mm1Replications()).slice(0, 3);
  const shared = await replicate({ ...MM1_BASE, router: { policy: 'shared-queue' } }, 3);
  for (let k = 0; k < 3; k++) {
    t.is(shared[k]!.requests.arrived, random[k]!.requests.arrived);
    t.true(shared[k]!.queue.meanMs! < random[k]!.queue.meanMs!, `seed ${1000 + k}: shared ${shared[k]!.queue.meanMs} ms, random ${random[k]!.queue.meanMs} ms`);
    t.true(shared[k]!.queue.fractionQueued! < random[k]!.queue.fractionQueued!);
  }
});

test('concurrency 2 with half the dynos is M/M/2 per dyno under random routing', async (t) => {
  const runs = await replicate({ ...MM1_BASE, formation: { web: { count: 5, size: 'standard-1x', concurrency: 2 } } }, 10);
  const q = mmc(16, 10, 2);
  within(t, 'P(wait > 0)', pick(runs, (s) => s.queue.fractionQueued), q.probWait, 0.01);
  within(t, 'mean queue time (ms)', pick(runs, (s) => s.queue.meanMs), q.meanWaitS * 1000, 0.03);
  within(t, 'busy fraction', pick(runs, (s) => s.dynos['web']!.busyFraction), q.rho, 0.01);
});

test('a constant rate gives Poisson arrivals: count within 4 sd of rate × duration', async (t) => {
  const s = await scenarioFromObject({
    name: 'arrivals',
    seed: 7,
    duration: '1000s',
    formation: { web: { count: 5, size: 'standard-1x' } },
    traffic: { rate: '1000/s', service: { distribution: 'exponential', mean: '1ms' } },
  });
  const r = simulate(s);
  const expected = 1000 * 1000;
  const tol = Z * Math.sqrt(expected); // Poisson: sd = √mean
  t.true(Math.abs(r.summary.requests.arrived - expected) <= tol, `arrived ${r.summary.requests.arrived}, expected ${expected} ± ${tol}`);
  t.is(r.timeseries.reduce((a, m) => a + m.arrivals, 0), r.summary.requests.arrived);
});

test('a rate expression gives arrivals matching its integral, in total and minute by minute', async (t) => {
  const durationS = 2100; // 3.5 periods, so the sine term adds to the total
  const s = await scenarioFromObject({
    name: 'arrivals',
    seed: 7,
    duration: `${durationS}s`,
    formation: { web: { count: 2, size: 'standard-1x' } },
    traffic: { rate: '100 + 50*sin(2*pi*t/600)', service: { distribution: 'exponential', mean: '1ms' } },
  });
  const r = simulate(s);
  const w = (2 * Math.PI) / 600;
  const integral = (a: number, b: number): number => 100 * (b - a) + (50 / w) * (Math.cos(w * a) - Math.cos(w * b));
  const expected = integral(0, durationS);
  const tol = Z * Math.sqrt(expected); // non-homogeneous Poisson: the count is Poisson with mean ∫rate
  t.log(`arrived ${r.summary.requests.arrived}, expected ${expected.toFixed(1)} ± ${tol.toFixed(1)}`);
  t.true(Math.abs(r.summary.requests.arrived - expected) <= tol, `arrived ${r.summary.requests.arrived}, expected ${expected} ± ${tol}`);
  // Minute counts are independent Poisson: chi-square over the 35 minutes.
  const minutes = durationS / 60;
  let chi2 = 0;
  for (let m = 0; m < minutes; m++) {
    const e = integral(60 * m, 60 * (m + 1));
    chi2 += (r.timeseries[m]!.arrivals - e) ** 2 / e;
  }
  const bound = chiSquare999(minutes);
  t.log(`chi-square ${chi2.toFixed(1)} on ${minutes} df, bound ${bound.toFixed(1)}`);
  t.true(chi2 <= bound, `chi-square ${chi2} above ${bound}`);
});
