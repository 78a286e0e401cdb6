/**
 * Trace tests of today's dyno lifecycle: Eco sleeping, waking and its hour pool (H82),
 * preboot, and resizing in flight. Tiny scenarios with known event logs: boots take a
 * constant 10 s and requests come when a replayed CSV says, so every time is exact.
 */
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError, type Problem } from '../src/scenario/problems.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { RunResult } from '../src/model/run/results.ts';

const TEN_S = { boot: { distribution: 'constant', value: '10s' } };
const SIZES = Object.fromEntries(['eco', 'standard-1x', 'standard-2x', 'performance-m'].map((z) => [z, TEN_S]));

/** The runs start at heroku-2025's default start unless a test says otherwise. */
const START = '2025-06-02T00:00:00Z';

/** A folder with `requests.csv`: one request of 50 ms at each of `atS` (seconds after `start`). */
function replayAt(atS: readonly number[], start: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dynosim-lifecycle-'));
  const at = (s: number): string => new Date(Date.parse(start) + s * 1000).toISOString();
  writeFileSync(join(dir, 'requests.csv'), ['timestamp,path,service_ms', ...atS.map((s) => `${at(s)},GET /,50`)].join('\n') + '\n');
  return dir;
}

function base(over: Record<string, unknown>, platform: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'lifecycle',
    seed: 1,
    dynoAges: 'zero',
    duration: '2h',
    platform: { profile: 'heroku-2025', sizes: SIZES, dynoManager: { cycling: false }, start: START, ...platform },
    formation: { web: { count: 1, size: 'standard-1x' } },
    ...over,
  };
}

async function run(obj: Record<string, unknown>, atS: readonly number[] | null = null): Promise<RunResult> {
  if (atS === null) return simulate(await scenarioFromObject({ traffic: { rate: '1/s', service: { distribution: 'constant', value: '50ms' } }, ...obj }));
  const dir = replayAt(atS, (obj['platform'] as { start: string }).start);
  const s = await scenarioFromObject({ traffic: { replay: { file: 'requests.csv', format: 'csv' } }, ...obj }, { baseDir: dir, label: 'lifecycle.yaml' });
  return simulate(s);
}

/** events.csv rows after time zero, as "time dyno from>to reason". */
function trace(r: RunResult): string[] {
  return r.lifecycle.filter((e) => e.timeUs > 0).map((e) => `${e.timeUs / 1e6} ${e.dyno} ${e.from}>${e.to} ${e.reason}`);
}

async function problemsOf(obj: Record<string, unknown>): Promise<readonly Problem[]> {
  try {
    await scenarioFromObject({ traffic: { rate: '1/s', service: { distribution: 'constant', value: '50ms' } }, ...obj }, { label: 'app.yaml' });
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

// ---- Eco ----

const ECO = { web: { count: 1, size: 'eco' } };

test('eco: the web dyno sleeps exactly 30 min after the last request; the next request wakes it and waits for the boot', async (t) => {
  const r = await run(base({ formation: ECO }), [0, 60, 3000]);
  t.deepEqual(trace(r), [
    '1860 web.1 up>down idling',
    '3000 web.1 down>starting unidling',
    '3010 web.1 starting>up booted',
    '4800 web.1 up>down idling',
  ]);
  t.like(r.summary.eco, { sleeps: 2, wakes: 1, meanWakeMs: 10_000, poolsUsedUp: 0 });
  // The request that woke the app waited for the boot, then was served.
  t.is(r.summary.requests.completed, 3);
  t.is(r.summary.latency.maxMs, 10_050);
  // Awake 0–1860 s and 3000–4800 s: that is the pool hours and the dyno hours billed.
  t.is(r.summary.eco!.appPoolHours, Math.round(((1860 + 1800) / 3600) * 1e6) / 1e6);
  t.is(r.cost.dynoHours, Math.round(((1860 + 1800) / 3600) * 1e6) / 1e6);
});

test('eco: a worker of the app sleeps and wakes with its web dyno; an app of workers only never sleeps', async (t) => {
  const both = await run(base({ formation: { ...ECO, worker: { count: 1, size: 'eco' } } }), [0, 3000]);
  t.deepEqual(trace(both), [
    '1800 web.1 up>down idling',
    '1800 worker.1 up>down idling',
    '3000 web.1 down>starting unidling',
    '3000 worker.1 down>starting unidling',
    '3010 web.1 starting>up booted',
    '3010 worker.1 starting>up booted',
    '4800 web.1 up>down idling',
    '4800 worker.1 up>down idling',
  ]);
  const workers = await run(base({ formation: { web: { count: 0, size: 'eco' }, worker: { count: 1, size: 'eco' } } }));
  t.deepEqual(trace(workers), []);
  t.is(workers.summary.eco!.sleeps, 0);
  t.is(workers.summary.eco!.appPoolHours, 2);
});

test('eco: H82 from the instant the pool runs out, until the next calendar month; then a request wakes the app', async (t) => {
  // 999.5 h used by the account's other apps: 30 min left. The month ends 1 h into the run.
  const atS = [0, 600, 1200, 1799, 1801, 2400, 3000, 3599, 3601, 4200];
  const r = await run(base({ formation: ECO }, { eco: { poolUsedHours: 999.5 }, start: '2025-06-30T23:00:00Z' }), atS);
  t.deepEqual(trace(r), [
    '1800 web.1 up>down Eco dyno hours used up',
    '3601 web.1 down>starting unidling',
    '3611 web.1 starting>up booted',
    '6000 web.1 up>down idling',
  ]);
  t.deepEqual(r.summary.requests.errors, { H82: 4 });
  t.like(r.summary.eco, { poolsUsedUp: 1, wakes: 1 });
  // The new month's pool: the app's hours since 3601 s, from 3601 to the end (sleeping at 4200 + 30 min = 6000 s).
  t.is(r.summary.eco!.poolUsedHours, Math.round(((6000 - 3601) / 3600) * 1e6) / 1e6);
});

test('eco: the bill is the flat Eco price for the month, whatever the hours', async (t) => {
  const r = await run(base({ formation: ECO }), [0, 3000]);
  t.is(r.cost.totalUsd, 5);
  t.is(r.cost.lines[0]!.size, 'eco');
});

test('eco: timeseries has an H82 column only for apps that run Eco dynos', async (t) => {
  const { seriesCodes } = await import('../src/model/run/seriesCodes.ts');
  t.true(seriesCodes(await scenarioFromObject(base({ formation: ECO, traffic: { rate: '1/s', service: { distribution: 'constant', value: '50ms' } } }))).includes('H82'));
  t.false(seriesCodes(await scenarioFromObject(base({ traffic: { rate: '1/s', service: { distribution: 'constant', value: '50ms' } } }))).includes('H82'));
});

// ---- Preboot ----

test('preboot: the new process boots beside the old one, takes traffic at the switch (boot timeout + 2 min), and the overlap is billed to the second', async (t) => {
  const formation = { web: { count: 1, size: 'standard-1x', preboot: true } };
  const r = await run(base({ formation, duration: '1h', events: [{ at: '600s', release: {} }] }));
  t.deepEqual(trace(r), ['600 web.1 up>starting release', '610 web.1 starting>up booted']);
  t.is(r.summary.dynos['web']!.preboots, 1);
  // The old process serves until 600 + 60 + 120 s: 180 s billed beside the slot's hour.
  t.is(r.cost.dynoHours, Math.round(((3600 + 180) / 3600) * 1e6) / 1e6);
  // No request waits for the boot.
  t.deepEqual(r.summary.requests.errors, {});
  t.true(r.summary.latency.maxMs! < 1000);

  const plain = await run(base({ duration: '1h', events: [{ at: '600s', release: {} }] }));
  t.is(plain.cost.dynoHours, 1);
  // Without preboot the requests of the boot wait for it.
  t.true(plain.summary.latency.maxMs! > 9000);
});

test('preboot: the switch delay is a parameter; without preboot the run is as before', async (t) => {
  const formation = { web: { count: 1, size: 'standard-1x', preboot: true } };
  const r = await run(base({ formation, duration: '1h', events: [{ at: '600s', restart: 'web' }] }, { dynoManager: { cycling: false, prebootSwitch: '5m' } }));
  t.is(r.cost.dynoHours, Math.round(((3600 + 360) / 3600) * 1e6) / 1e6);
  const off = await run(base({ formation: { web: { count: 1, size: 'standard-1x', preboot: false } }, duration: '1h', events: [{ at: '600s', restart: 'web' }] }));
  const none = await run(base({ duration: '1h', events: [{ at: '600s', restart: 'web' }] }));
  t.deepEqual(off.summary, none.summary);
  t.deepEqual(off.lifecycle, none.lifecycle);
});

// ---- Resizing ----

test('resize: every dyno of the type restarts as the new size, and the bill splits at the instant of change', async (t) => {
  const r = await run(base({ formation: { web: { count: 1, size: 'standard-2x' } }, duration: '1h', events: [{ at: '1800s', resize: { web: 'performance-m' } }] }));
  t.deepEqual(trace(r), ['1800 web.1 up>starting resize', '1810 web.1 starting>up booted']);
  t.deepEqual(
    r.cost.lines.map((l) => [l.size, l.dynoHours]),
    [
      ['performance-m', 0.5],
      ['standard-2x', 0.5],
    ],
  );
  t.like(r.summary.dynos['web'], { size: 'performance-m', sizes: ['standard-2x', 'performance-m'], resizes: 1 });
  t.is(r.summary.platform.restarts, 1);
});

test('resize: as heroku ps:scale takes it, a scale event can resize too; a schedule entry with a size resizes at its time', async (t) => {
  const r = await run(base({ formation: { web: { count: 1, size: 'standard-2x' } }, duration: '1h', events: [{ at: '1800s', scale: 'web=2:performance-m' }] }));
  t.deepEqual(trace(r), ['1800 web.1 up>starting resize', '1800 web.2 down>starting scale', '1810 web.1 starting>up booted', '1810 web.2 starting>up booted']);
  t.deepEqual(
    r.cost.lines.map((l) => [l.size, l.dynos, l.dynoHours]),
    [
      ['performance-m', 2, 1],
      ['standard-2x', 1, 0.5],
    ],
  );
  const scheduled = await run(
    base({
      formation: { web: { count: 1, size: 'standard-2x' } },
      duration: '1h',
      scaling: {
        web: {
          strategy: 'schedule',
          schedule: [
            { at: '00:00', count: 1, size: 'standard-2x' },
            { at: '00:30', count: 1, size: 'performance-m' },
          ],
        },
      },
    }),
  );
  t.deepEqual(trace(scheduled), ['1800 web.1 up>starting resize', '1810 web.1 starting>up booted']);
  t.is(scheduled.scaling[0]!.reason, 'scheduled, as performance-m');
});

test('resize: memory limits follow the size (R14 on the small size, none on the large one)', async (t) => {
  const memory = { base: '600MB' };
  const r = await run(
    base({
      formation: { web: { count: 1, size: 'standard-1x', memory } },
      duration: '1h',
      events: [{ at: '1800s', resize: { web: 'standard-2x' } }],
    }),
  );
  const small = await run(base({ formation: { web: { count: 1, size: 'standard-1x', memory } }, duration: '1h' }));
  t.true(r.summary.platform.r14 > 0);
  t.true(r.summary.platform.r14 < small.summary.platform.r14);
});

// ---- Bad input ----

test('bad input: one line each, naming the field', async (t) => {
  const cases: Array<[Record<string, unknown>, Problem]> = [
    [base({ formation: { web: { count: 1, size: 'eco', preboot: true } } }), { path: 'formation.web.preboot', message: 'preboot is for Standard and Performance dynos only, not eco' }],
    [base({ formation: { web: { count: 1, size: 'basic', preboot: true } } }), { path: 'formation.web.preboot', message: 'preboot is for Standard and Performance dynos only, not basic' }],
    [base({ formation: { web: { count: 1, size: 'standard-1x' }, worker: { count: 1, size: 'standard-1x', preboot: true } } }), { path: 'formation.worker.preboot', message: 'preboot changes how web dynos start: it is for web only' }],
    [
      base({ events: [{ at: '10m', resize: { web: '2X' } }] }),
      {
        path: 'events.0.resize.web',
        message: 'expected a size of heroku-2025 (eco, basic, standard-1x, standard-2x, performance-m, performance-l, performance-l-ram, performance-xl, performance-2xl), got "2X" (a size of heroku-2013)',
      },
    ],
    [base({}, { eco: { poolHours: -1 } }), { path: 'platform.eco.poolHours', message: 'expected a number of at least 0, got -1' }],
    [base({}, { eco: { poolUsedHours: -5 } }), { path: 'platform.eco.poolUsedHours', message: 'expected a number of at least 0, got -5' }],
    [{ ...base({ formation: { web: { count: 1, size: '1X' } } }), platform: { profile: 'heroku-2013', eco: { poolHours: 10 } } }, { path: 'platform.eco', message: 'heroku-2013 has no Eco dynos' }],
    [base({ events: [{ at: '10m', scale: 'web=four' }] }), { path: 'events.0.scale', message: 'expected type=count[:size] such as web=4:standard-2x, got "web=four"' }],
    [base({ events: [{ at: '10m', resize: 'web=2:huge' }] }), { path: 'events.0.resize', message: 'expected type=size such as web=performance-m, got "web=2:huge"' }],
    [
      base({ formation: { web: { count: 1, size: 'eco' }, worker: { count: 1, size: 'standard-1x' } } }),
      { path: 'formation.worker', message: "an app's Eco dynos cannot run beside other sizes (web is eco, worker runs standard-1x): Eco draws on the account's pool and sleeps as one app" },
    ],
    [
      base({ formation: ECO, events: [{ at: '10m', resize: { web: 'basic' } }] }),
      { path: 'formation.web.size', message: "a resize into or out of eco is not modelled (web runs eco and basic): Eco's pool and sleeping hold for a whole run, so run each part as a scenario of its own" },
    ],
  ];
  for (const [obj, problem] of cases) {
    const problems = await problemsOf(obj);
    t.deepEqual(problems, [problem], JSON.stringify(obj));
  }
  const huge = await problemsOf(base({ events: [{ at: '10m', scale: 'web=2:huge' }] }));
  t.is(huge[0]!.path, 'events.0.scale.web');
});

test('R10 is for web processes only: a worker that takes longer than the boot timeout to start still comes up', async (t) => {
  const slow = { boot: { distribution: 'constant', value: '90s' } };
  const r = await run(
    base({
      formation: { web: { count: 1, size: 'standard-1x' }, worker: { count: 1, size: 'standard-2x' } },
      platform: { profile: 'heroku-2025', sizes: { ...SIZES, 'standard-1x': slow, 'standard-2x': slow }, dynoManager: { cycling: false }, start: START },
      duration: '1h',
      events: [{ at: '600s', restart: 'worker' }, { at: '600s', restart: 'web' }],
    }),
  );
  // The worker is up 90 s after its restart; the web process is killed at 60 s, each time.
  t.deepEqual(
    trace(r).filter((l) => l.includes('worker.1')),
    ['600 worker.1 up>starting restart', '690 worker.1 starting>up booted'],
  );
  t.deepEqual(trace(r).slice(0, 4), ['600 worker.1 up>starting restart', '600 web.1 up>starting restart', '660 web.1 starting>crashed R10 boot timeout', '660 web.1 crashed>starting restart']);
  t.true(r.summary.platform.r10 >= 2);
});
