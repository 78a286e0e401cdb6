/**
 * What fuzzing and misuse found, each pinned: the report's bytes do not depend on the
 * folder a command runs in; dynos.csv's billed hours add up to the bill's; a runaway
 * scenario is refused before time zero with an estimate (and runs with --force); a run
 * without requests says so instead of "100% available".
 */
import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dynosim, ROOT } from './helpers/cli.ts';
import { SMALL } from './helpers/small.ts';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';
import { estimateRun, runawayReasons } from '../src/model/run/estimate.ts';
import { roundToSum } from '../src/model/run/collect.ts';


test('report.html is the same bytes from whatever folder the command runs in', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-cwd-'));
  mkdirSync(join(dir, 'project', 'scenarios'), { recursive: true });
  mkdirSync(join(dir, 'elsewhere', 'deep', 'er'), { recursive: true });
  writeFileSync(join(dir, 'project', 'package.json'), '{}\n');
  const file = join(dir, 'project', 'scenarios', 'small.yaml');
  writeFileSync(file, SMALL);
  const a = dynosim(['run', file, '--out', join(dir, 'a'), '-q', '--no-png'], join(dir, 'project'));
  const b = dynosim(['run', file, '--out', join(dir, 'b'), '-q', '--no-png'], join(dir, 'elsewhere', 'deep', 'er'));
  t.is(a.status, 0, a.stderr);
  t.is(b.status, 0, b.stderr);
  const page = (d: string): string => readFileSync(join(dir, d, 'report.html'), 'utf8');
  t.is(page('a'), page('b'));
  // Named from the root of its project.
  t.true(page('a').includes('regenerate with: dynosim run scenarios/small.yaml'));
});

test('dynos.csv: the rows\' billed hours add up to the bill\'s dyno-hours, to the 1e-6 h', async (t) => {
  // Three dynos of 3 200 s each: 0.888889 h rounded apiece would add up to 2.666667 only by luck.
  for (const [count, minutes] of [
    [3, 53.3333],
    [6, 10],
    [7, 17.77],
  ] as const) {
    const s = await scenarioFromObject({
      name: 'rounding',
      seed: 1,
      duration: `${minutes}m`,
      platform: { profile: 'heroku-2013', dynoManager: { cycling: false } },
      formation: { web: { count, size: '1X' } },
      traffic: { rate: '1/s', service: { distribution: 'constant', value: '10ms' } },
    });
    const r = simulate(s);
    const sum = r.dynos.reduce((a, d) => a + Math.round(d.billedHours * 1e6), 0);
    t.is(sum, Math.round(r.cost.dynoHours * 1e6), `${count} dynos, ${minutes} min`);
  }
  t.deepEqual(roundToSum([1 / 3, 1 / 3, 1 / 3], 1e6), [0.333334, 0.333333, 0.333333]);
  t.deepEqual(roundToSum([0.5, 0.25, 0], 100), [0.5, 0.25, 0]);
});

test('a runaway scenario is refused before time zero with its estimate, and --force runs it anyway', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-runaway-'));
  const file = join(dir, 'small.yaml');
  writeFileSync(file, SMALL);
  const cases: Array<[string, RegExp]> = [
    ['duration=100000d', /about 1\.7e10 requests and jobs \(58 min at 5 M a second\); about 17 GB of timeseries\.csv/],
    ['traffic.rate=1e7/s', /about 6\.0e9 requests and jobs \(20 min at 5 M a second\)/],
    ['traffic.rate=sin(t)*1e12', /requests and jobs/],
    ['formation.web.concurrency=1000000000', /about 120 GB of memory for its dynos' tables/],
  ];
  for (const [set, message] of cases) {
    const r = dynosim(['run', file, '--set', set, '--out', join(dir, 'out'), '-q']);
    t.is(r.status, 2, set);
    t.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    t.regex(r.stderr, /^dynosim: small\.yaml: this run would take /);
    t.regex(r.stderr, message, set);
    t.regex(r.stderr, /pass --force to run it anyway/);
  }
  // A longer run that is still within reason runs.
  t.is(dynosim(['run', file, '--set', 'duration=3d', '--out', join(dir, 'ok'), '-q', '--no-charts']).status, 0);
});

test('--force lets a runaway scenario through the check', async (t) => {
  const { checkRunaway } = await import('../src/interfaces/cli/run.ts');
  const s = await scenarioFromObject({ ...base(), duration: '100000d' });
  t.throws(() => checkRunaway('big.yaml', s, false), { message: /^big\.yaml: this run would take about/ });
  t.notThrows(() => checkRunaway('big.yaml', s, true));
});

function base(): Record<string, unknown> {
  return {
    name: 'big',
    seed: 1,
    duration: '10m',
    platform: 'heroku-2013',
    formation: { web: { count: 3, size: '1X' } },
    traffic: { rate: '2/s', service: { distribution: 'exponential', mean: '50ms' } },
  };
}

test('estimateRun: the rate\'s integral, the dynos\' tables and the series, from the scenario alone', async (t) => {
  const s = await scenarioFromObject({
    name: 'estimate',
    seed: 1,
    duration: '2h',
    formation: { web: { count: 10, size: 'standard-1x', concurrency: 5 } },
    traffic: { rate: 'ramp(0, 100, 0, 2 h)', service: { distribution: 'constant', value: '10ms' } },
  });
  const e = estimateRun(s);
  t.true(Math.abs(e.requests - 360_000) < 100, `${e.requests}`);
  t.is(e.seriesBytes, 120 * 120);
  t.deepEqual(runawayReasons(e), []);
  t.is(runawayReasons({ ...e, memoryBytes: 1e10 }, 4e9).length, 1);
});

test('a run without requests says so: no availability of requests, and its events instead of 0.00 M requests', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-jobs-only-'));
  const file = join(dir, 'jobs.yaml');
  writeFileSync(
    file,
    `name: jobs-only
platform: heroku-2025
seed: 1
duration: 1h
formation:
  web: { count: 0, size: standard-1x }
  worker: { count: 2, size: standard-1x }
jobs:
  - { queue: default, rate: 2/s, run: { distribution: exponential, mean: 200ms } }
`,
  );
  const r = dynosim(['run', file, '--out', join(dir, 'out'), '--no-charts']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /availability\s+no requests arrived, so none to answer/);
  t.notRegex(r.stdout, /100\.000% of requests/);
  t.regex(r.stdout, /no requests; [\d,]+ events in [\d.]+ s/);
  t.notRegex(r.stdout, /0\.00 M requests/);
});

test('the shipped scenarios are all within reason (none needs --force)', async (t) => {
  const { shippedScenarios } = await import('../scripts/results.ts');
  const { loadScenario } = await import('../src/scenario/load.ts');
  for (const f of shippedScenarios()) {
    const s = await loadScenario(join(ROOT, f));
    t.deepEqual(runawayReasons(estimateRun(s)), [], f);
  }
});

test('compare checks every alternative as run does, before any replication starts', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-runaway-compare-'));
  writeFileSync(join(dir, 'a.yaml'), SMALL);
  writeFileSync(join(dir, 'b.yaml'), SMALL.replace('duration: 10m', 'duration: 100000d'));
  const r = dynosim(['compare', join(dir, 'a.yaml'), join(dir, 'b.yaml'), '--replications', '2', '--out', join(dir, 'out'), '-q']);
  t.is(r.status, 2);
  t.regex(r.stderr, /^dynosim: b\.yaml: this run would take about 1\.7e10 requests/);
  t.deepEqual(readdirSync(dir).sort(), ['a.yaml', 'b.yaml']);
});
