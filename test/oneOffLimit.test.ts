/**
 * The one-off limit: a one-off or scheduler dyno still running `oneOffLimit` after its
 * start (boot included) is cycled: SIGTERM, exit 143, `complete`, billed to that instant
 * and counted in `oneOffs.stoppedAtLimit`; one that ends in time completes. Boots take a
 * constant 30 s so that every time is exact.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { ScenarioError } from '../src/scenario/problems.ts';
import { simulate } from '../src/model/run/simulate.ts';
import type { RunResult } from '../src/model/run/results.ts';
import type { Scenario } from '../src/model/Scenario.ts';
import { costSetup } from '../src/studies/cost/formations.ts';
import { costTable } from '../src/studies/cost/costTable.ts';

const BOOT = { boot: { distribution: 'constant', value: '30s' } };

function scenario(platform: Record<string, unknown>, over: Record<string, unknown>): Promise<Scenario> {
  return scenarioFromObject(
    { name: 'one-off-limit', duration: '2d', calendar: { start: '2026-11-23T00:00:00Z' }, platform, formation: { web: { count: 0, size: 'standard-1x' } }, ...over },
    { label: 'limit.yaml' },
  );
}

/** events.csv rows of one dyno, as "time from>to reason". */
function rows(r: RunResult, dyno: string): string[] {
  return r.lifecycle.filter((e) => e.dyno === dyno).map((e) => `${e.timeUs / 1e6} ${e.from}>${e.to} ${e.reason}`);
}

function billedHours(r: RunResult, dyno: string): number {
  return r.dynos.find((d) => d.dyno === dyno)!.billedHours;
}

test('2013: a 30 h one-off is stopped 24 h after its start, billed 24 h; a 23 h one completes', async (t) => {
  let log = '';
  const r = simulate(
    await scenario(
      { profile: 'heroku-2013', sizes: { '1X': BOOT } },
      {
        formation: { web: { count: 0, size: '1X' } },
        events: [
          { at: '1h', run: { command: 'rake reindex', for: '30h' } },
          { at: '2h', run: { command: 'rake backfill', for: '23h' } },
        ],
      },
    ),
    { log: { write: (text) => void (log += text), sampleRate: 1, format: 'plain' } },
  );
  t.deepEqual(rows(r, 'run.1'), ['3600 down>starting heroku run', '3630 starting>up booted', '90000 up>complete one-off limit']);
  t.deepEqual(rows(r, 'run.2'), ['7200 down>starting heroku run', '7230 starting>up booted', '90030 up>complete task done']);
  t.deepEqual(r.summary.oneOffs, { started: 2, completed: 1, interrupted: 0, missed: 0, stoppedAtLimit: 1, running: 0 });
  t.is(billedHours(r, 'run.1'), 24);
  t.is(billedHours(r, 'run.2'), Math.round((23 + 30 / 3600) * 1e6) / 1e6);
  const lines = log.split('\n').filter((l) => l.includes('heroku[run.1]'));
  t.deepEqual(lines, [
    '2026-11-23T01:00:00.000000+00:00 heroku[run.1]: Starting process with command `rake reindex`',
    '2026-11-23T01:00:30.000000+00:00 heroku[run.1]: State changed from starting to up',
    '2026-11-24T01:00:00.000000+00:00 heroku[run.1]: Cycling',
    '2026-11-24T01:00:00.000000+00:00 heroku[run.1]: Stopping all processes with SIGTERM',
    '2026-11-24T01:00:00.000000+00:00 heroku[run.1]: Process exited with status 143',
    '2026-11-24T01:00:00.000000+00:00 heroku[run.1]: State changed from up to complete',
  ]);
});

test('2025: the limit is 24 h + 216 min, the longest a dyno runs before it is cycled', async (t) => {
  const s = await scenario({ profile: 'heroku-2025', sizes: { 'standard-1x': BOOT } }, { events: [{ at: '0s', run: { command: 'rake reindex', for: '30h' } }] });
  t.is(s.platform.dynoManager.oneOffLimitUs, (24 * 60 + 216) * 60e6);
  const r = simulate(s);
  t.deepEqual(rows(r, 'run.1'), ['0 down>starting heroku run', '30 starting>up booted', '99360 up>complete one-off limit']);
  t.is(billedHours(r, 'run.1'), 27.6);
});

test('oneOffLimit: 2h stops scheduler runs too, and a one-off still waiting for a host', async (t) => {
  let log = '';
  const r = simulate(
    await scenario(
      // One host with one slot, held by the web dyno: the scripted one-off never gets a place.
      { profile: 'heroku-2025', sizes: { 'standard-1x': BOOT }, hosts: { zones: ['a'], hostsPerZone: 1, slots: 1 }, dynoManager: { oneOffLimit: '2h', cycling: false } },
      {
        duration: '1d',
        formation: { web: { count: 1, size: 'standard-1x' } },
        traffic: { rate: '1/min', service: { distribution: 'constant', value: '10ms' } },
        events: [{ at: '1h', run: { command: 'rake reindex', for: '30m' } }],
      },
    ),
    { log: { write: (text) => void (log += text), sampleRate: 1, format: 'plain' } },
  );
  t.deepEqual(rows(r, 'run.1'), ['3600 down>starting heroku run; no host has room', '10800 starting>complete one-off limit']);
  t.is(billedHours(r, 'run.1'), 2);
  t.deepEqual(
    log.split('\n').filter((l) => l.includes('heroku[run.1]')).map((l) => l.slice(33)),
    ['heroku[run.1]: Cycling', 'heroku[run.1]: State changed from starting to complete'],
    'no process to stop',
  );
  t.deepEqual(r.summary.oneOffs, { started: 1, completed: 0, interrupted: 0, missed: 0, stoppedAtLimit: 1, running: 0 });

  const daily = simulate(
    await scenario(
      { profile: 'heroku-2025', sizes: { 'standard-1x': BOOT }, dynoManager: { oneOffLimit: '2h' } },
      { scheduler: [{ command: 'rake nightly', every: '1d', at: '02:00', run: { distribution: 'constant', value: '3h' } }] },
    ),
  );
  t.deepEqual(rows(daily, 'scheduler.1'), ['7200 down>starting scheduler', '7230 starting>up booted', '14400 up>complete one-off limit']);
  t.deepEqual(daily.summary.oneOffs, { started: 2, completed: 0, interrupted: 0, missed: 0, stoppedAtLimit: 2, running: 0 });
  t.is(billedHours(daily, 'scheduler.1'), 2);
});

test('a task that ends at the limit itself completes', async (t) => {
  const r = simulate(
    await scenario(
      { profile: 'heroku-2025', sizes: { 'standard-1x': BOOT }, dynoManager: { oneOffLimit: '2h' } },
      { events: [{ at: '0s', run: { command: 'rake exact', for: '1h59m30s' } }] },
    ),
  );
  t.deepEqual(rows(r, 'run.1'), ['0 down>starting heroku run', '30 starting>up booted', '7200 up>complete task done']);
  t.is(r.summary.oneOffs!.stoppedAtLimit, 0);
});

test('dynosim cost bills a one-off at most the limit', async (t) => {
  const s = await scenario({ profile: 'heroku-2025', sizes: { 'standard-1x': BOOT } }, { events: [{ at: '0s', run: { command: 'rake reindex', for: '30h' } }] });
  const setup = costSetup(s, { process: 'web', sizes: null, counts: null, hours: null });
  const row = costTable(setup.books, setup.alternatives).rows.find((x) => x.book === 'heroku-2025' && x.kind === 'as-written')!;
  t.is(row.lines.find((l) => l.processType === 'run')!.dynoHours, 27.6);
  t.true(setup.notes.some((n) => n.includes('at most the one-off limit')));
});

const BAD: ReadonlyArray<[string, string]> = [
  ['-1h', 'expected a duration with a unit (250ms, 30s, 10m, 2h, 30d), got "-1h"'],
  ['0s', 'expected a duration above zero, got "0s"'],
];

for (const [bad, message] of BAD) {
  test(`bad input: oneOffLimit: ${bad} is one line naming the field`, async (t) => {
    const e = await t.throwsAsync(scenario({ profile: 'heroku-2025', dynoManager: { oneOffLimit: bad } }, {}));
    t.true(e instanceof ScenarioError);
    t.deepEqual((e as ScenarioError).lines(), [`limit.yaml: platform.dynoManager.oneOffLimit: ${message}`]);
  });
}
