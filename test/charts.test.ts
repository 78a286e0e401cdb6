/**
 * The charts: the figures they are drawn from (the bill over the month, dynos by state,
 * marks, bins, the frontier) checked against hand-worked values, and every chart of a real
 * run, compare, sweep and plan compiled by vega-lite without a warning and drawn with marks.
 */
import test from 'ava';
import { loadScenario } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { RunSeries } from '../src/output/charts/run/RunSeries.ts';
import { runCharts } from '../src/output/charts/run/runCharts.ts';
import { costCurve } from '../src/output/charts/run/costCurve.ts';
import { dynoStates, eventMarks } from '../src/output/charts/run/states.ts';
import { frontier, sweepCharts } from '../src/output/charts/studies.ts';
import { renderPng, renderSvg } from '../src/output/charts/render.ts';
import { binSeconds } from '../src/output/charts/time.ts';
import { Histogram } from '../src/engine/Histogram.ts';
import { heroku2013 as HEROKU_2013 } from '../src/model/platform/heroku2013.ts';
import type { LifecycleEvent } from '../src/model/dynos/contracts.ts';
import type { Chart } from '../src/output/charts/chart.ts';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.ts';

const DAY_US = 86_400e6;

test('bins: at most 720 of a round length', (t) => {
  t.is(binSeconds(3600), 60);
  t.is(binSeconds(86_400), 120);
  t.is(binSeconds(30 * 86_400), 3600);
  t.is(binSeconds(365 * 86_400), 86_400);
});

test('the bill over a month: 2 × 1X on the 2013 book is free until the 750 hours run out at 375 h, then $0.10 an hour', (t) => {
  const usages = [
    { processType: 'web', dyno: 'web.1', size: '1X', startUs: 0, endUs: 30 * DAY_US },
    { processType: 'web', dyno: 'web.2', size: '1X', startUs: 0, endUs: 30 * DAY_US },
  ];
  const c = costCurve(usages, HEROKU_2013, 30 * DAY_US, 30);
  t.is(c.freeHours, 750);
  t.true(Math.abs(c.freeRunOutS! - 375 * 3600) <= 1, `${c.freeRunOutS}`);
  t.is(c.points.at(-1)!.usd, 34.5);
  t.is(c.points.at(-1)!.weightedHours, 1440);
  // Day 15 (360 h: 720 weighted hours) is still free; day 20 (960 weighted) pays for 210 h.
  t.is(c.points.find((p) => p.tS === 15 * 86_400)!.usd, 0);
  t.is(c.points.find((p) => p.tS === 20 * 86_400)!.usd, 10.5);
  for (let i = 1; i < c.points.length; i++) t.true(c.points[i]!.usd >= c.points[i - 1]!.usd);
  t.true(c.points.every((p) => p.simulated));
});

test('a one-day run is repeated to the month\'s end as a projection, and the day is priced as the run was', (t) => {
  const usages = [{ processType: 'web', dyno: 'web.1', size: '2X', startUs: 0, endUs: DAY_US }];
  const c = costCurve(usages, HEROKU_2013, DAY_US, 30);
  t.is(c.spanS, 30 * 86_400);
  const day = c.points.filter((p) => p.simulated).at(-1)!;
  t.is(day.tS, 86_400);
  t.is(day.usd, 0); // 48 weighted hours of 750
  t.is(c.points.at(-1)!.weightedHours, 1440);
  t.true(c.points.some((p) => !p.simulated));
  // 2X weighs 2: the 750 hours run out after 375 wall-clock hours.
  t.true(Math.abs(c.freeRunOutS! - 375 * 3600) <= 1);
  t.is(c.points.at(-1)!.usd, 34.5); // (720 − 375) h × $0.10
});

function ev(tS: number, dyno: string, from: string, to: string, reason: string, host = 'host-1'): LifecycleEvent {
  return { timeUs: tS * 1e6, dyno, host, zone: 'us-east-1a', from, to, reason };
}

test('dynos by state: means over each bin; down counts only while waiting for a host, not once scaled away', (t) => {
  const events = [
    ev(0, 'web.1', 'down', 'up', 'formation'),
    ev(0, 'web.2', 'down', 'up', 'formation'),
    ev(30, '', 'up', 'down', 'host failure'),
    ev(30, 'web.1', 'up', 'down', 'host failure (not yet detected)'),
    ev(90, 'web.1', 'down', 'starting', 'relocation', 'host-2'),
    ev(100, 'web.1', 'starting', 'up', 'booted', 'host-2'),
    ev(60, 'web.2', 'up', 'down', 'scale'),
  ].sort((a, b) => a.timeUs - b.timeUs);
  const bins = dynoStates(events, 60, 120);
  const at = (startS: number, state: string): number => bins.find((b) => b.startS === startS && b.state === state && b.group === 'web')?.dynos ?? 0;
  t.is(at(0, 'up'), 1.5); // web.1 half the bin, web.2 all of it
  t.is(at(0, 'down, waiting for a host'), 0.5);
  t.is(at(60, 'down, waiting for a host'), 0.5);
  t.is(at(60, 'starting'), round3(10 / 60));
  t.is(at(60, 'up'), round3(20 / 60)); // web.2 was scaled away at 60 s
  t.false(bins.some((b) => b.group === ''), 'a host is not a dyno');
  const marks = eventMarks(events, [], 60);
  t.is(marks.filter((m) => m.kind === 'host failure').length, 1);
  t.is(marks[0]!.count, 1);
});

test('a bin\'s percentiles come from its minutes\' histograms merged, not from their percentiles', (t) => {
  const s = new RunSeries(86_400); // 2-minute bins
  const a = new Histogram(7);
  const b = new Histogram(7);
  for (let i = 0; i < 90; i++) a.record(10_000);
  for (let i = 0; i < 10; i++) b.record(1_000_000);
  const row = (minute: number) => ({ minute, arrivals: 50, completed: 50, errors: { H10: 0, H11: 0, H12: minute, H13: 0, H14: 0, H19: 0, H20: 0, H21: 0, H99: 0, H82: 0 }, latencyP50Ms: 0, latencyP95Ms: 0, latencyP99Ms: 0, queueMean: 0.5, busyDynos: 1, dynosUp: 2 });
  s.minuteLatency(0, a);
  s.minute(row(0));
  s.minuteLatency(1, b);
  s.minute(row(1));
  t.is(s.bins.length, 1);
  const bin = s.bins[0]!;
  t.is(bin.arrivals, 100);
  t.is(bin.errors.H12, 1);
  t.is(bin.queueS, 60);
  t.true(Math.abs(bin.p50Ms! - 10) < 0.5);
  t.true(Math.abs(bin.p95Ms! - 1000) < 10, `${bin.p95Ms}`);
});

test('the frontier keeps the points no other beats on both cost and p95', (t) => {
  const pts = [
    { usd: 10, ms: 500 },
    { usd: 20, ms: 300 },
    { usd: 25, ms: 400 }, // beaten by 20/300
    { usd: 30, ms: 300 }, // beaten by 20/300 (same p95, dearer)
    { usd: 40, ms: 100 },
  ];
  const f = frontier(pts);
  t.deepEqual(pts.filter((p) => f.has(p)), [pts[0], pts[1], pts[4]]);
});

async function drawn(t: import('ava').ExecutionContext, charts: readonly Chart[]): Promise<void> {
  for (const c of charts) {
    const warnings: string[] = [];
    const svg = await renderSvg(c.spec, warnings);
    t.deepEqual(warnings, [], `${c.name}: vega-lite warnings: ${warnings.join("; ")}`);
    t.regex(svg, /class="mark-[a-z]+ role-mark/, `${c.name} draws marks`);
    t.regex(c.name, /^[a-z0-9-]+$/);
    t.true(c.caption.length > 40, `${c.name} has a caption`);
  }
}

test('every chart of a run with a scaling strategy compiles without a warning and draws marks', async (t) => {
  const s = await loadScenario(join(ROOT, 'scenarios/black-friday.yaml'), { variant: 'queue-time', set: ['duration=3h'] });
  const series = new RunSeries(s.durationUs / 1e6);
  const result = simulate(s, { onMinute: (r) => series.minute(r), onMinuteLatency: (m, h) => series.minuteLatency(m, h), onMetrics: (m) => series.metrics(m), onAutoscaleTick: (p, tUs, v) => series.autoscaleTick(p, tUs, v) });
  const charts = runCharts({ scenario: s, result, series });
  t.deepEqual(charts.map((c) => c.name), ['latency', 'errors', 'dynos', 'dyno-balance', 'cost-month', 'cost-breakdown', 'autoscaler-web']);
  await drawn(t, charts);
  // The bill curve ends at the run's bill.
  const month = charts.find((c) => c.name === 'cost-month')!;
  t.true(JSON.stringify(month.spec).includes(`"usd":${result.cost.totalUsd},`));
});

test('every chart of the memory-leak and host-failure scenarios draws', async (t) => {
  for (const f of ['memory-leak.yaml', 'host-failure-at-peak.yaml']) {
    const s = await loadScenario(join(ROOT, 'scenarios', f), { set: ['duration=3h'] });
    const series = new RunSeries(s.durationUs / 1e6);
    const result = simulate(s, { onMinute: (r) => series.minute(r), onMinuteLatency: (m, h) => series.minuteLatency(m, h), onMetrics: (m) => series.metrics(m) });
    const charts = runCharts({ scenario: s, result, series });
    if (f === 'memory-leak.yaml') t.true(charts.some((c) => c.name === 'memory'));
    await drawn(t, charts);
  }
});

test('a sweep along one field draws its frontier and its metrics', async (t) => {
  const interval = (mean: number) => ({ n: 2, mean, sd: 1, lo: mean - 1, hi: mean + 1 });
  const points = [1, 2, 3].map((k, i) => ({
    point: i,
    cells: [String(k)],
    metrics: { p50: interval(50), p95: interval(400 / k), p99: interval(900 / k), p999: null, mean: interval(100), 'queue.mean': interval(10), 'queue.p95': interval(20), errors: interval(0.01 / k), availability: interval(0.99), cost: interval(k), monthly: interval(25 * k), 'dyno-hours': interval(k), dynos: interval(k), scalings: interval(0) },
    pooled: { 'pooled.p50': 50, 'pooled.p95': 400 / k, 'pooled.p99': 900 / k, 'pooled.p999': null },
  }));
  const charts = sweepCharts({ axes: [{ path: 'formation.web.count', values: ['1', '2', '3'] }], replications: 2, seed: 1, set: [] }, points as never);
  t.deepEqual(charts.map((c) => c.name), ['sweep-frontier', 'sweep-metrics']);
  await drawn(t, charts);
});

test('PNGs are drawn with the bundled font: the same SVG gives the same bytes', async (t) => {
  const svg = await renderSvg({ width: 200, height: 100, data: { values: [{ a: 1, b: 2 }, { a: 2, b: 3 }] }, mark: 'line', encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } }, title: 'Ünïcode ≤ 30 s' });
  const a = await renderPng(svg);
  const b = await renderPng(svg);
  t.true(Buffer.from(a).equals(Buffer.from(b)));
  t.deepEqual([...a.slice(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
