/**
 * The conformance suite every service-time distribution runs (in the manner of Ciw's
 * distribution tests): for a few parameter sets of each, the moments it publishes
 * (meanUs, varianceUs2) against the textbook formulas, and a large seeded sample's mean
 * and variance against those moments within five standard errors; every draw positive
 * and finite; one seed, one sequence, however the buffer is cut; one uniform per draw,
 * so that switching distributions keeps the service stream aligned. The cases are keyed
 * by the scenario schema's list of distributions, so a new one fails the suite until it
 * has cases here.
 */
import test from 'ava';
import { Streams, type Uniform } from '../src/engine/streams.ts';
import { SERVICE_DISTRIBUTIONS } from '../src/scenario/schema.ts';
import type { ServiceDistribution } from '../src/model/traffic/service/ServiceDistribution.ts';
import { constant } from '../src/model/traffic/service/constant.ts';
import { empirical } from '../src/model/traffic/service/empirical.ts';
import { exponential } from '../src/model/traffic/service/exponential.ts';
import { lognormal } from '../src/model/traffic/service/lognormal.ts';
import { weibull } from '../src/model/traffic/service/weibull.ts';

type DistributionName = (typeof SERVICE_DISTRIBUTIONS)[number];

interface Case {
  readonly label: string;
  readonly make: () => ServiceDistribution;
  /** Raw moment E[X^k] (µs^k), k = 1..4, from the textbook formula for the parameters. */
  readonly rawMoment: (k: number) => number;
}

/**
 * Γ(x) for x a positive integer or half-integer, exactly as far as floats allow:
 * Γ(1) = 1, Γ(1/2) = √π, Γ(x + 1) = x Γ(x). Independent of src/traffic/service/gamma.ts.
 */
function gammaHalf(x: number): number {
  if (!Number.isInteger(2 * x) || x <= 0) throw new RangeError(`gammaHalf: ${x}`);
  let g = Number.isInteger(x) ? 1 : Math.sqrt(Math.PI);
  for (let y = Number.isInteger(x) ? 1 : 0.5; y < x; y++) g *= y;
  return g;
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

/** A fixed sample for the empirical distribution: skewed, with ties. */
const MEASURED = new Float64Array([12e3, 15e3, 15e3, 18e3, 22e3, 30e3, 41e3, 55e3, 80e3, 250e3, 1.2e6]);

const exponentialCase = (theta: number): Case => ({
  label: `mean ${theta} µs`,
  make: () => exponential(theta),
  // Exponential with mean θ: E[X^k] = k! θ^k.
  rawMoment: (k) => factorial(k) * theta ** k,
});

const lognormalCase = (median: number, sigma: number): Case => ({
  label: `median ${median} µs, sigma ${sigma}`,
  make: () => lognormal(Math.log(median), sigma),
  // Log-normal with μ = ln median: E[X^k] = exp(kμ + k²σ²/2).
  rawMoment: (k) => Math.exp(k * Math.log(median) + (k * k * sigma * sigma) / 2),
});

const weibullCase = (shape: number, scale: number, shapeLabel = String(shape)): Case => ({
  label: `shape ${shapeLabel}, scale ${scale} µs`,
  make: () => weibull(shape, scale),
  // Weibull(k, λ): E[X^n] = λ^n Γ(1 + n/k). The shapes are chosen so that 1 + n/k is an
  // integer or a half-integer, where Γ has a closed form.
  rawMoment: (n) => scale ** n * gammaHalf(1 + n / shape),
});

const CASES: Readonly<Record<DistributionName, readonly Case[]>> = {
  constant: [
    { label: '80 ms', make: () => constant(80_000), rawMoment: (k) => 80_000 ** k },
    { label: '1 µs', make: () => constant(1), rawMoment: () => 1 },
  ],
  exponential: [exponentialCase(1), exponentialCase(50_000), exponentialCase(2.5e6)],
  lognormal: [lognormalCase(50_000, 0.25), lognormalCase(100_000, 0.6), lognormalCase(20_000, 1)],
  // Shapes 2/3 (heavy tail), 1 (exponential), 2 (Rayleigh).
  weibull: [weibullCase(2 / 3, 40_000, '2/3'), weibullCase(1, 100_000), weibullCase(2, 250_000)],
  empirical: [
    {
      label: '11 measured times',
      make: () => empirical(MEASURED),
      // Resampling with replacement: the moments of the sample itself (population form).
      rawMoment: (k) => MEASURED.reduce((a, x) => a + x ** k, 0) / MEASURED.length,
    },
    { label: 'one time', make: () => empirical(new Float64Array([7_000])), rawMoment: (k) => 7_000 ** k },
  ],
};

const N = 200_000;

/** Draws `n` values from `d` with the stream of `seed`, filling a buffer of `chunk` at a time. */
function sample(d: ServiceDistribution, seed: number, n: number, chunk: number, u?: Uniform): Float64Array {
  const fill = d.filler(u ?? new Streams(seed).stream('service'));
  const out = new Float64Array(n);
  const buf = new Float64Array(chunk);
  for (let i = 0; i < n; i += chunk) {
    fill.fill(buf);
    out.set(i + chunk <= n ? buf : buf.subarray(0, n - i), i);
  }
  return out;
}

/** Mean, variance (divisor n) and the analytic moments of a case. */
function moments(c: Case): { mean: number; variance: number; mu4: number } {
  const [m1, m2, m3, m4] = [1, 2, 3, 4].map((k) => c.rawMoment(k)) as [number, number, number, number];
  return {
    mean: m1,
    variance: m2 - m1 * m1,
    // Fourth central moment from the raw ones.
    mu4: m4 - 4 * m3 * m1 + 6 * m2 * m1 * m1 - 3 * m1 ** 4,
  };
}

function close(a: number, b: number, rel: number): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

test('every distribution the scenario schema names has cases here', (t) => {
  t.deepEqual(Object.keys(CASES).sort(), [...SERVICE_DISTRIBUTIONS].sort());
});

for (const name of SERVICE_DISTRIBUTIONS) {
  for (const [i, c] of CASES[name].entries()) {
    const title = `${name} (${c.label})`;
    const seed = 1000 + i;

    test(`${title}: its name, and its published mean and variance are the textbook ones`, (t) => {
      const d = c.make();
      const m = moments(c);
      t.is(d.name, name);
      t.true(close(d.meanUs, m.mean, 1e-9), `mean ${d.meanUs} vs ${m.mean}`);
      // A variance that should be 0 may come out as float noise of the order of mean² × 1e-16.
      t.true(Math.abs(d.varianceUs2 - m.variance) <= 1e-9 * Math.max(m.variance, 1e-6 * m.mean * m.mean),
        `variance ${d.varianceUs2} vs ${m.variance}`);
    });

    test(`${title}: a seeded sample's mean and variance within 5 standard errors, every draw positive and finite`, (t) => {
      const d = c.make();
      const m = moments(c);
      const xs = sample(d, seed, N, 1000);
      let sum = 0;
      for (const x of xs) {
        if (!(Number.isFinite(x) && x > 0)) return t.fail(`draw ${x}`);
        sum += x;
      }
      const mean = sum / N;
      let ss = 0;
      for (const x of xs) ss += (x - mean) ** 2;
      const variance = ss / N;
      // Standard errors: of the mean, σ/√n; of the sample variance, √((μ4 − σ⁴)/n) (the
      // large-sample variance of s², with μ4 the fourth central moment). At 5 standard
      // errors a correct distribution fails with probability below 1e-6 per check; a
      // wrong moment (a missing σ²/2 in a log-normal mean, a wrong Γ) is tens of them off.
      const seMean = Math.sqrt(m.variance / N);
      const seVar = Math.sqrt(Math.max(0, m.mu4 - m.variance ** 2) / N);
      // Float slack for the degenerate cases (variance 0): a relative 1e-9.
      t.true(Math.abs(mean - d.meanUs) <= 5 * seMean + 1e-9 * d.meanUs, `sample mean ${mean} vs ${d.meanUs} (SE ${seMean})`);
      t.true(Math.abs(variance - d.varianceUs2) <= 5 * seVar + 1e-9 * d.meanUs ** 2,
        `sample variance ${variance} vs ${d.varianceUs2} (SE ${seVar})`);
    });

    test(`${title}: one seed gives one sequence, however the buffer is cut; another seed another`, (t) => {
      const d = c.make();
      const a = sample(d, seed, 10_000, 1000);
      t.deepEqual(sample(c.make(), seed, 10_000, 1000), a);
      // Odd chunks, so a Box–Muller pair straddles calls.
      t.deepEqual(sample(d, seed, 10_000, 7), a);
      t.deepEqual(sample(d, seed, 10_000, 1), a);
      const b = sample(d, seed + 1, 10_000, 1000);
      if (moments(c).variance > 0) t.notDeepEqual(b, a);
      else t.deepEqual(b, a);
    });

    test(`${title}: one uniform per draw, so the service stream stays aligned`, (t) => {
      const base = new Streams(seed).stream('service');
      let used = 0;
      const counted: Uniform = { next: () => (used++, base.next()) };
      sample(c.make(), seed, 10_000, 1000, counted);
      t.is(used, 10_000);
    });
  }
}
