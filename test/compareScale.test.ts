/**
 * Intervals that respect their scale: compare's percentage changes come from the ratio on
 * the log scale (Fieller's interval when a replication measured 0), so they never go below
 * −100%; and the compare charts never put a bounded quantity (a share, a latency, a cost)
 * below 0 on an axis, nor crowd a panel's tick labels.
 */
import test from 'ava';
import { fiellerInterval, logRatioInterval, pairedInterval, pairedRatio, studentTQuantile } from '../src/stats/intervals.ts';
import { Histogram } from '../src/engine/Histogram.ts';
import { METRICS, type MetricKey, type Outcome } from '../src/studies/parallel/outcome.ts';
import { compareOutcomes, type Alternative, type CompareSetup } from '../src/studies/compare/compare.ts';
import { compareCharts } from '../src/output/charts/studies.ts';
import type { Chart, VlSpec } from '../src/output/charts/chart.ts';

const near = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol;

test('the log-ratio interval by hand: ratios 0.5, 0.6, 0.45', (t) => {
  // logs −0.693147, −0.510826, −0.798508: mean −0.667494, sd 0.145547; t(0.975, 2) = 4.302653,
  // half-width 4.302653 × 0.145547 / √3 = 0.361558; e^−0.667494 = 0.512993, e^(−0.667494 ∓ 0.361558) = 0.357346, 0.736434.
  const r = logRatioInterval([100, 200, 400], [50, 120, 180]);
  t.is(r.method, 'log-ratio');
  t.is(r.n, 3);
  t.true(near(r.ratio, 0.512993), `${r.ratio}`);
  t.true(near(r.lo!, 0.357346), `${r.lo}`);
  t.true(near(r.hi!, 0.736434), `${r.hi}`);
  t.true(near(studentTQuantile(0.975, 2), 4.302653));
  // One pair: a ratio, no interval; a value of 0 has no log.
  t.deepEqual(logRatioInterval([2], [3]), { n: 1, ratio: 1.5, lo: null, hi: null, method: 'log-ratio' });
  t.throws(() => logRatioInterval([1, 2], [0, 1]), { instanceOf: RangeError });
});

test("Fieller's interval: the ratio of the means, bounded where the paired t test just rejects", (t) => {
  const xs = [10, 12, 14, 11];
  const ys = [5, 0, 7, 4];
  const f = fiellerInterval(xs, ys);
  t.is(f.method, 'fieller');
  t.true(near(f.ratio, 16 / 47, 1e-12));
  // At either bound, mean(y − ρx) is exactly t(0.975, 3) standard errors from 0.
  const tq = studentTQuantile(0.975, 3);
  for (const rho of [f.lo!, f.hi!]) {
    const d = pairedInterval(xs.map((x) => rho * x), ys);
    t.true(near(Math.abs(d.mean) / (d.sd / Math.sqrt(d.n)), tq, 1e-6), `ρ ${rho}`);
  }
  t.true(f.lo! < f.ratio && f.ratio < f.hi!);
  // A reference whose mean is not clearly away from 0: no bounded interval.
  const wide = fiellerInterval([0, 10, 0], [1, 2, 3]);
  t.deepEqual([wide.lo, wide.hi], [null, null]);
  // Non-negative values: the lower bound is never below 0.
  t.true(fiellerInterval([1, 1.2, 0.8], [0, 0.5, 0], 0.95, true).lo! >= 0);
  // pairedRatio picks: the log scale when every value is above 0, Fieller's otherwise, nothing for a reference of 0.
  t.is(pairedRatio([1, 2], [2, 3])!.method, 'log-ratio');
  t.is(pairedRatio([1, 2], [0, 3])!.method, 'fieller');
  t.is(pairedRatio([0, 0], [1, 3]), null);
});

function outcome(metrics: Partial<Record<MetricKey, number>>): Outcome {
  const full = {} as Record<MetricKey, number | null>;
  for (const m of METRICS) full[m.key] = metrics[m.key] ?? 1;
  const h = new Histogram();
  h.record(1000);
  return { metrics: full, latency: h.toJSON(), queue: h.toJSON(), requests: 1 };
}

const ALTS: Alternative[] = [
  { name: 'fixed', file: 'a.yaml', variant: null, scenario: 'a' },
  { name: 'autoscaled', file: 'b.yaml', variant: null, scenario: 'b' },
];

function setup(n: number): CompareSetup {
  const seeds = Array.from({ length: n }, (_, i) => i + 1);
  return { version: 'test', files: ['a.yaml', 'b.yaml'], variants: null, base: false, replications: n, seeds, set: [], level: 0.95 };
}

/**
 * Three replications as noisy as a 12-hour black-friday at 3 replications: the reference's
 * p95 from 1 s to 9 s, the alternative's a tenth of it or so; error rates whose intervals
 * reach below 0; mean web dynos between 1 and 1.6.
 */
function noisy() {
  const a = [
    { p95: 1000, errors: 0.02, dynos: 1, monthly: 25, mean: 100 },
    { p95: 5000, errors: 0.001, dynos: 1, monthly: 25, mean: 300 },
    { p95: 9000, errors: 0.05, dynos: 1, monthly: 25, mean: 900 },
  ];
  const b = [
    { p95: 100, errors: 0.0, dynos: 1.1, monthly: 27, mean: 20 },
    { p95: 120, errors: 0.0001, dynos: 1.6, monthly: 40, mean: 30 },
    { p95: 800, errors: 0.001, dynos: 1.2, monthly: 30, mean: 200 },
  ];
  return compareOutcomes(setup(3), ALTS, [a.map(outcome), b.map(outcome)]);
}

test('a change whose linear interval crosses −100% stays above it on the log scale', (t) => {
  const c = noisy();
  const p95 = c.metrics.find((m) => m.metric.key === 'p95')!;
  const d = p95.differences[1]!;
  // The old way, the paired difference over the reference's mean: −93.2% [−274.8%, +88.4%].
  const lin = pairedInterval([1000, 5000, 9000], [100, 120, 800]);
  t.true((100 * lin.lo) / 5000 < -100);
  // On the log scale: −94.0% [−99.2%, −57.2%].
  t.is(d.pctMethod, 'log-ratio');
  t.true(near(d.pct!, -94.0248, 1e-3), `${d.pct}`);
  t.true(near(d.pctLo!, -99.1649, 1e-3), `${d.pctLo}`);
  t.true(near(d.pctHi!, -57.2488, 1e-3), `${d.pctHi}`);
  for (const mc of c.metrics) {
    const x = mc.differences[1]!;
    if (x.pctLo !== null) t.true(x.pctLo > -100 || (x.pctMethod === 'fieller' && x.pctLo === -100), `${mc.metric.key}: ${x.pctLo}`);
    if (x.pct !== null) t.true(x.pct >= -100, mc.metric.key);
  }
  // Errors measured 0 once: Fieller's interval for the ratio of the means.
  t.is(c.metrics.find((m) => m.metric.key === 'errors')!.differences[1]!.pctMethod, 'fieller');
});

/** Every layer's data rows of a spec (nested concat, layer and facet specs included), with the x and y fields they are charted on. */
function layers(spec: VlSpec, data: unknown[] = []): Array<{ values: Array<Record<string, number | string | null>>; encoding: Record<string, VlSpec> }> {
  const own = (spec['data'] as { values?: unknown[] } | undefined)?.values ?? data;
  const out: Array<{ values: Array<Record<string, number | string | null>>; encoding: Record<string, VlSpec> }> = [];
  if (spec['encoding'] !== undefined) out.push({ values: own as never, encoding: spec['encoding'] as never });
  for (const k of ['layer', 'concat', 'hconcat', 'vconcat']) for (const s of (spec[k] as VlSpec[] | undefined) ?? []) out.push(...layers(s, own));
  if (spec['spec'] !== undefined) out.push(...layers(spec['spec'] as VlSpec, own));
  return out;
}

/** The smallest value any positional channel of a chart's layers draws. */
function lowest(chart: Chart, panelTitle?: string): number {
  let spec = chart.spec;
  if (panelTitle !== undefined) spec = (spec['concat'] as VlSpec[]).find((p) => (p['title'] as { text: string }).text === panelTitle)!;
  let min = Infinity;
  for (const l of layers(spec)) {
    for (const ch of ['x', 'x2', 'y', 'y2']) {
      const field = l.encoding[ch]?.['field'] as string | undefined;
      if (field === undefined) continue;
      for (const row of l.values) if (typeof row[field] === 'number') min = Math.min(min, row[field] as number);
    }
  }
  return min;
}

async function scaleDomains(spec: VlSpec): Promise<Record<string, number[]>> {
  const vl = await import('vega-lite');
  const vega = await import('vega');
  const compiled = vl.compile(spec as never).spec as { scales?: Array<{ name: string }>; marks?: unknown[] };
  const names: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (Array.isArray(o['scales'])) for (const s of o['scales'] as Array<{ name: string; type?: string }>) if (s.type !== 'band' && s.type !== 'ordinal' && s.type !== 'point') names.push(s.name);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(compiled);
  const view = new vega.View(vega.parse(compiled as never), { renderer: 'none' });
  await view.runAsync();
  const out: Record<string, number[]> = {};
  for (const n of new Set(names)) {
    try {
      const d = (view.scale(n) as { domain: () => unknown[] }).domain();
      if (d.every((v) => typeof v === 'number')) out[n] = d as number[];
    } catch {
      // a scale of a nested view: not reachable by name from the top
    }
  }
  view.finalize();
  return out;
}

test('compare charts: shares, latencies and costs never below 0 (shares never above 100%), changes never below −100%, ticks not crowded', async (t) => {
  const c = noisy();
  const charts = compareCharts(c);
  const chart = (name: string): Chart => charts.find((x) => x.name === name)!;
  const metrics = chart('compare-metrics');
  // The error rate's interval for the reference (mean 2.37%, half-width 6.0%) is cut at 0, and so is its axis.
  t.true(c.metrics.find((m) => m.metric.key === 'errors')!.estimates[0]!.lo! < 0);
  t.is(lowest(metrics, 'error rate (%)'), 0);
  const errorsPanel = (metrics.spec['concat'] as VlSpec[]).find((p) => (p['title'] as { text: string }).text === 'error rate (%)')!;
  const errorsX = (errorsPanel['layer'] as VlSpec[])[0]!['encoding'] as Record<string, VlSpec>;
  t.deepEqual(errorsX['x']!['scale'], { zero: true, domainMin: 0 });
  for (const panel of ['p95 latency (ms)', 'mean queue time (ms)', 'monthly cost (USD)', 'mean web dynos']) t.true(lowest(metrics, panel) >= 0, panel);
  // Every panel's axis: five ticks at most, no trailing zeros, touching labels dropped ("1.01.5" no more).
  for (const p of metrics.spec['concat'] as VlSpec[]) {
    const x = ((p['layer'] as VlSpec[])[0]!['encoding'] as Record<string, VlSpec>)['x']!;
    t.like(x['axis'] as object, { tickCount: 5, format: ',.4~r', labelOverlap: 'greedy' });
  }
  // The change chart: the log-scale interval, above −100%.
  const diffs = chart('compare-differences');
  t.true(lowest(diffs) > -100, `${lowest(diffs)}`);
  // Cost against p95: the reference's p95 interval (5000 ± 9937 ms) is cut at 0, and the axis does not start below it.
  t.true(c.metrics.find((m) => m.metric.key === 'p95')!.estimates[0]!.lo! < 0);
  const cost = chart('compare-cost-latency');
  t.is(lowest(cost), 0);
  const domains = await scaleDomains(cost.spec);
  t.true(Object.keys(domains).length >= 2, JSON.stringify(domains));
  for (const [name, d] of Object.entries(domains)) t.true(d[0]! >= 0, `${name}: ${d}`);
  // The drawn metrics panels: every numeric domain of the error-rate panel starts at 0 or above.
  const panelDomains = await scaleDomains({ ...errorsPanel, $schema: metrics.spec['$schema'] });
  t.true(Object.values(panelDomains).some((d) => d[0] === 0), JSON.stringify(panelDomains));
  for (const d of Object.values(panelDomains)) t.true(d[0]! >= 0);
});
