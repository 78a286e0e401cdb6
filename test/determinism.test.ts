/**
 * Determinism: one scenario and seed give the same results to the byte; another seed gives
 * other numbers; and because every part of the model draws from its own named stream,
 * changing the formation or the router leaves the traffic exactly as it was.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import type { RunResult } from '../src/model/run/results.ts';
import { simulate } from '../src/model/run/simulate.ts';

const SCENARIO = {
  name: 'determinism',
  seed: 42,
  duration: '30m',
  warmup: '2m',
  formation: { web: { count: 6, size: 'standard-1x', concurrency: 2 } },
  traffic: { rate: '100 + 40*sin(2*pi*t/900)', service: { distribution: 'lognormal', median: '80ms', p99: '1500ms' } },
} as const;

async function run(obj: object): Promise<RunResult> {
  return simulate(await scenarioFromObject(obj));
}

/** What a run writes out (summary.json, dynos.csv, timeseries.csv), as text. */
function outputs(r: RunResult): string {
  return JSON.stringify({ summary: r.summary, dynos: r.dynos, timeseries: r.timeseries, cost: r.cost, endUs: r.endUs });
}

test('two runs of one scenario give identical results, byte for byte', async (t) => {
  const a = await run(SCENARIO);
  const b = await run(SCENARIO);
  t.deepEqual(a.summary, b.summary);
  t.deepEqual(a.dynos, b.dynos);
  t.deepEqual(a.timeseries, b.timeseries);
  t.is(outputs(a), outputs(b));
  // The same resolved scenario run twice: a run keeps no state in the scenario.
  const s = await scenarioFromObject(SCENARIO);
  t.is(outputs(simulate(s)), outputs(simulate(s)));
  t.is(outputs(simulate(s)), outputs(a));
});

test('another seed gives different numbers', async (t) => {
  const a = await run(SCENARIO);
  const b = await run({ ...SCENARIO, seed: 43 });
  t.not(a.summary.requests.arrived, b.summary.requests.arrived);
  t.not(a.summary.latency.meanMs, b.summary.latency.meanMs);
  t.notDeepEqual(a.timeseries.map((m) => m.arrivals), b.timeseries.map((m) => m.arrivals));
  t.notDeepEqual(a.dynos.map((d) => d.requests), b.dynos.map((d) => d.requests));
});

test('one more dyno leaves the traffic unchanged (named streams)', async (t) => {
  const a = await run(SCENARIO);
  const b = await run({ ...SCENARIO, formation: { web: { ...SCENARIO.formation.web, count: 7 } } });
  t.is(b.dynos.length, 7);
  t.is(b.summary.requests.arrived, a.summary.requests.arrived);
  t.deepEqual(b.timeseries.map((m) => m.arrivals), a.timeseries.map((m) => m.arrivals));
  // More capacity for the same requests: less waiting (same draws, so no noise in the comparison).
  t.true(b.summary.queue.meanMs! < a.summary.queue.meanMs!);
});

test('switching the router policy keeps the same arrivals', async (t) => {
  const a = await run(SCENARIO);
  for (const policy of ['round-robin', 'least-connections', 'power-of-two', 'shared-queue'] as const) {
    const b = await run({ ...SCENARIO, router: { policy } });
    t.is(b.summary.requests.arrived, a.summary.requests.arrived, policy);
    t.deepEqual(b.timeseries.map((m) => m.arrivals), a.timeseries.map((m) => m.arrivals), policy);
    t.is(b.summary.scenario.routerPolicy, policy);
  }
});

test('a different service distribution keeps the same arrivals', async (t) => {
  const a = await run(SCENARIO);
  const b = await run({ ...SCENARIO, traffic: { ...SCENARIO.traffic, service: { distribution: 'constant', value: '50ms' } } });
  t.is(b.summary.requests.arrived, a.summary.requests.arrived);
  t.deepEqual(b.timeseries.map((m) => m.arrivals), a.timeseries.map((m) => m.arrivals));
});
