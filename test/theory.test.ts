/**
 * Checks the closed forms in src/theory against values computed here by other routes:
 * textbook numbers, the direct Erlang C sum (in log space), numerical convolution, and
 * brute-force searches.
 */

import test from 'ava';
import {
  erlangB,
  erlangC,
  lognormalMean,
  lognormalVariance,
  md1,
  mg1,
  minServersForMeanWait,
  minServersForWaitQuantile,
  mm1,
  mmc,
} from '../src/stats/theory/index.ts';

function near(actual: number, expected: number, relTol: number): boolean {
  return Math.abs(actual - expected) <= relTol * Math.max(Math.abs(expected), 1e-300);
}

/** Erlang C by its defining sum, with terms kept as logs so large c does not overflow. */
function erlangCDirect(c: number, a: number): number {
  const logTerms: number[] = [];
  let logTerm = 0; // log(a^k / k!)
  for (let k = 0; k < c; k++) {
    logTerms.push(logTerm);
    logTerm += Math.log(a) - Math.log(k + 1);
  }
  const logTop = logTerm + Math.log(c / (c - a));
  const maxLog = Math.max(logTop, ...logTerms);
  const top = Math.exp(logTop - maxLog);
  let bottom = top;
  for (const l of logTerms) bottom += Math.exp(l - maxLog);
  return top / bottom;
}

/** M/M/c mean wait from the direct sum, for brute-force server searches. */
function mmcMeanWaitDirect(lambda: number, mu: number, c: number): number {
  if (lambda >= c * mu) return Infinity;
  return erlangCDirect(c, lambda / mu) / (c * mu - lambda);
}

test('M/M/1 at the canonical benchmark load (λ=8/s, μ=10/s)', (t) => {
  const q = mm1(8, 10);
  t.true(near(q.rho, 0.8, 1e-15));
  t.true(near(q.meanResponseS, 0.5, 1e-12));
  t.true(near(q.meanWaitS, 0.4, 1e-12));
  t.true(near(q.fractionQueued, 0.8, 1e-15));
  t.true(near(q.responseQuantileS(0.5), 0.34657359, 1e-7)); // ln 2 / 2
  t.true(near(q.responseQuantileS(0.99), 2.30258509, 1e-7)); // ln 100 / 2
  t.is(q.waitQuantileS(0.2), 0); // 20 % never wait
  t.true(near(q.waitQuantileS(0.99), Math.log(80) / 2, 1e-12));
  t.is(q.responseQuantileS(0), 0);
  t.is(q.responseQuantileS(1), Infinity);
});

test('unstable queues give Infinity, never negative waits', (t) => {
  for (const q of [mm1(10, 10), mm1(12, 10)]) {
    t.is(q.meanWaitS, Infinity);
    t.is(q.meanResponseS, Infinity);
    t.is(q.fractionQueued, 1);
    t.is(q.responseQuantileS(0.5), Infinity);
    t.is(q.waitQuantileS(0.5), Infinity);
  }
  const c = mmc(25, 10, 2);
  t.is(c.probWait, 1);
  t.is(c.meanWaitS, Infinity);
  t.is(c.responseQuantileS(0.5), Infinity);
  t.is(c.waitQuantileS(0.5), Infinity);
  t.is(md1(2, 0.5).meanWaitS, Infinity);
  t.is(mg1(3, 0.5, 0.1).meanResponseS, Infinity);
  t.is(erlangC(3, 3), 1);
  t.is(erlangC(3, 4.5), 1);
});

test('bad arguments throw RangeError', (t) => {
  t.throws(() => mm1(-1, 10), { instanceOf: RangeError });
  t.throws(() => mm1(1, 0), { instanceOf: RangeError });
  t.throws(() => mm1(1, 10).responseQuantileS(1.5), { instanceOf: RangeError });
  t.throws(() => mmc(1, 10, 0), { instanceOf: RangeError });
  t.throws(() => mmc(1, 10, 2.5), { instanceOf: RangeError });
  t.throws(() => erlangC(2, Number.NaN), { instanceOf: RangeError });
  t.throws(() => minServersForMeanWait(8, 10, 0), { instanceOf: RangeError });
  t.throws(() => minServersForWaitQuantile(8, 10, 1, 0.1), { instanceOf: RangeError });
});

test('Erlang C matches textbook values and the direct sum', (t) => {
  t.true(near(erlangC(2, 1), 1 / 3, 1e-14));
  t.true(near(erlangC(1, 0.8), 0.8, 1e-14)); // M/M/1: C = ρ
  t.true(near(erlangC(10, 8), 0.4092, 1e-4));
  t.true(near(erlangC(10, 8), erlangCDirect(10, 8), 1e-12));
  t.true(near(erlangB(2, 1), 0.2, 1e-14)); // (1/2) / (1 + 1 + 1/2)
  t.is(erlangC(5, 0), 0);
  for (const [c, a] of [[50, 40], [100, 95], [500, 480], [1000, 950], [1000, 999.5]] as const) {
    const value = erlangC(c, a);
    t.true(value > 0 && value < 1, `C(${c}, ${a}) = ${value}`);
    t.true(near(value, erlangCDirect(c, a), 1e-9), `C(${c}, ${a}) = ${value} vs ${erlangCDirect(c, a)}`);
  }
});

test('M/M/c reduces to M/M/1 at c = 1 and has the Erlang C mean wait', (t) => {
  const one = mmc(8, 10, 1);
  const ref = mm1(8, 10);
  t.true(near(one.meanWaitS, ref.meanWaitS, 1e-12));
  t.true(near(one.meanResponseS, ref.meanResponseS, 1e-12));
  for (const p of [0.1, 0.5, 0.9, 0.99, 0.999]) {
    t.true(near(one.responseQuantileS(p), ref.responseQuantileS(p), 1e-9), `p=${p}`);
    t.true(near(one.waitQuantileS(p), ref.waitQuantileS(p), 1e-12), `p=${p}`);
  }
  // 50 dynos behind one queue at the benchmark load: λ = 400/s, μ = 10/s.
  const pool = mmc(400, 10, 50);
  t.true(near(pool.rho, 0.8, 1e-15));
  const c = erlangCDirect(50, 40);
  t.true(near(pool.probWait, c, 1e-9));
  t.true(near(pool.meanWaitS, c / 100, 1e-9));
  t.true(near(pool.meanResponseS, c / 100 + 0.1, 1e-9));
  t.true(near(pool.waitQuantileS(0.99), Math.log(c / 0.01) / 100, 1e-9));
  t.is(pool.waitQuantileS(1 - c), 0);
});

test('M/M/c response quantiles match a numerical convolution of wait and service', (t) => {
  // Includes θ = cμ − λ equal to μ (λ=10, μ=10, c=2) and θ < μ (λ=18, μ=10, c=2).
  for (const [lambda, mu, c] of [[8, 10, 2], [10, 10, 2], [18, 10, 2], [35, 10, 4]] as const) {
    const q = mmc(lambda, mu, c);
    const probWait = erlangCDirect(c, lambda / mu);
    const theta = c * mu - lambda;
    // P(R ≤ t) = (1 − C)(1 − e^{−μt}) + C ∫_0^t θe^{−θx}(1 − e^{−μ(t−x)}) dx, Simpson's rule.
    const cdf = (tS: number): number => {
      const n = 2000;
      const h = tS / n;
      let sum = 0;
      for (let i = 0; i <= n; i++) {
        const x = i * h;
        const f = theta * Math.exp(-theta * x) * (1 - Math.exp(-mu * (tS - x)));
        sum += (i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2) * f;
      }
      return (1 - probWait) * (1 - Math.exp(-mu * tS)) + (probWait * sum * h) / 3;
    };
    for (const p of [0.05, 0.5, 0.9, 0.99, 0.9999]) {
      const x = q.responseQuantileS(p);
      t.true(Math.abs(cdf(x) - p) < 1e-9, `λ=${lambda} μ=${mu} c=${c} p=${p}: F(${x}) = ${cdf(x)}`);
    }
    // The mean of the distribution agrees with W: ∫ P(R > t) dt via many quantiles.
    const k = 20000;
    let mean = 0;
    for (let i = 0; i < k; i++) mean += q.responseQuantileS((i + 0.5) / k);
    t.true(near(mean / k, q.meanResponseS, 2e-3), `mean ${mean / k} vs ${q.meanResponseS}`);
  }
});

test('M/D/1 and M/G/1 (Pollaczek–Khinchine)', (t) => {
  // Exponential service (Var = E[S]²) gives M/M/1.
  const g = mg1(8, 0.1, 0.01);
  t.true(near(g.meanWaitS, 0.4, 1e-12));
  t.true(near(g.meanResponseS, 0.5, 1e-12));
  t.true(near(g.fractionQueued, 0.8, 1e-15));
  // Constant service: half the M/M/1 wait; M/D/1 equals M/G/1 with zero variance.
  const d = md1(8, 0.1);
  t.true(near(d.meanWaitS, 0.2, 1e-12)); // 0.8·0.1 / (2·0.2)
  t.true(near(d.meanResponseS, 0.3, 1e-12));
  t.true(near(d.rho, 0.8, 1e-15));
  const g0 = mg1(8, 0.1, 0);
  t.true(near(g0.meanWaitS, d.meanWaitS, 1e-12));
  t.is(md1(0, 0.1).meanWaitS, 0);
  // Lognormal service: E[S²] = e^{2μ + 2σ²}.
  const [mu, sigma] = [Math.log(0.05), 1];
  const mean = lognormalMean(mu, sigma);
  const variance = lognormalVariance(mu, sigma);
  const lambda = 10;
  const expected = (lambda * Math.exp(2 * mu + 2 * sigma * sigma)) / (2 * (1 - lambda * mean));
  t.true(near(mg1(lambda, mean, variance).meanWaitS, expected, 1e-12));
});

test('lognormal moments', (t) => {
  t.true(near(lognormalMean(0, 1), Math.sqrt(Math.E), 1e-14));
  t.true(near(lognormalVariance(0, 1), (Math.E - 1) * Math.E, 1e-14));
  t.true(near(lognormalMean(2, 0), Math.exp(2), 1e-14));
  t.is(lognormalVariance(2, 0), 0);
  // Small σ: Var ≈ σ² e^{2μ}, where a naive e^{σ²} − 1 would lose digits.
  t.true(near(lognormalVariance(0, 1e-6), 1e-12, 1e-6));
});

test('minServersForMeanWait is exact on small cases and monotone', (t) => {
  // λ=8, μ=10: Wq(1) = 0.4 s, Wq(2) = C(2, 0.8)/12 = (0.32/1.4)/12 ≈ 0.019048 s.
  t.true(near(mmcMeanWaitDirect(8, 10, 2), 0.32 / 1.4 / 12, 1e-12));
  t.is(minServersForMeanWait(8, 10, 0.4), 1);
  t.is(minServersForMeanWait(8, 10, 0.39), 2);
  t.is(minServersForMeanWait(8, 10, 0.0191), 2);
  t.is(minServersForMeanWait(8, 10, 0.019), 3);
  t.is(minServersForMeanWait(0, 10, 0.001), 1);
  t.is(minServersForMeanWait(25, 10, 100), 3); // the first stable c
  // Against a brute-force search over the direct sum.
  for (const lambda of [5, 40, 400, 2000]) {
    for (const target of [1, 0.1, 0.01, 0.001]) {
      let c = 1;
      while (mmcMeanWaitDirect(lambda, 10, c) > target) c++;
      t.is(minServersForMeanWait(lambda, 10, target), c, `λ=${lambda} target=${target}`);
    }
  }
  // Monotone: more traffic never needs fewer servers; a looser target never needs more.
  let previous = 0;
  for (let lambda = 0; lambda <= 1000; lambda += 25) {
    const c = minServersForMeanWait(lambda, 10, 0.01);
    t.true(c >= previous, `λ=${lambda}`);
    previous = c;
  }
  previous = Infinity;
  for (const target of [1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1]) {
    const c = minServersForMeanWait(400, 10, target);
    t.true(c <= previous, `target=${target}`);
    previous = c;
  }
});

test('minServersForWaitQuantile agrees with mmc().waitQuantileS', (t) => {
  for (const lambda of [8, 40, 400]) {
    for (const [p, maxWaitS] of [[0.99, 0.1], [0.95, 0], [0.999, 0.5], [0.5, 0]] as const) {
      const c = minServersForWaitQuantile(lambda, 10, p, maxWaitS);
      t.true(mmc(lambda, 10, c).waitQuantileS(p) <= maxWaitS, `λ=${lambda} p=${p} c=${c}`);
      if (c > 1) t.true(mmc(lambda, 10, c - 1).waitQuantileS(p) > maxWaitS, `λ=${lambda} p=${p} c-1`);
    }
  }
  // λ=8, μ=10, p=0.5, t=0: need C ≤ 0.5; C(1) = 0.8, C(2) = 0.2286.
  t.is(minServersForWaitQuantile(8, 10, 0.5, 0), 2);
  t.is(minServersForWaitQuantile(8, 10, 0.1, 0), 1);
});
