/**
 * One-off dynos (run.N) and Heroku Scheduler (scheduler.N): when they start, that they
 * exit and are billed by the second, that a missed run is counted, and that a one-off on
 * a failed host is lost, never restarted.
 */
import test from 'ava';
import { scenarioFromObject } from '../src/scenario/load.ts';
import { simulate } from '../src/model/run/simulate.ts';

const BASE = {
  name: 'one-offs',
  platform: { profile: 'heroku-2025', dynoManager: { cycling: false } },
  duration: '2h',
  calendar: { start: '2026-11-23T00:00:00Z' },
  formation: { web: { count: 0, size: 'standard-1x' } },
};

test('a scripted one-off at 01:00 boots, runs its 20 minutes, exits and is billed for exactly that', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      ...BASE,
      platform: { ...BASE.platform, sizes: { 'standard-2x': { boot: { distribution: 'constant', value: '30s' } } } },
      events: [{ at: '01:00', run: { command: 'rake db:migrate', size: 'standard-2x', for: '20m' } }],
    }),
  );
  t.deepEqual(r.summary.oneOffs, { started: 1, completed: 1, interrupted: 0, missed: 0, stoppedAtLimit: 0, running: 0 });
  const rows = r.lifecycle.filter((e) => e.dyno === 'run.1').map((e) => [e.timeUs / 1e6, e.from, e.to]);
  t.deepEqual(rows, [[3600, 'down', 'starting'], [3630, 'starting', 'up'], [4830, 'up', 'complete']]);
  const line = r.cost.lines.find((l) => l.processType === 'run')!;
  t.is(line.size, 'standard-2x');
  t.is(line.dynoHours, Math.round((1230 / 3600) * 1e6) / 1e6);
  t.is(r.dynos.find((d) => d.dyno === 'run.1')!.billedHours, line.dynoHours);
});

test('the scheduler runs every 10 minutes from :00, hourly at :15 and daily at 01:30; miss: 1 skips every run', async (t) => {
  const run = { distribution: 'constant', value: '1m' };
  const r = simulate(
    await scenarioFromObject({
      ...BASE,
      scheduler: [
        { command: 'sweep', every: '10m', run },
        { command: 'report', every: '1h', at: ':15', run },
        { command: 'backup', every: '1d', at: '01:30', run },
        { command: 'never', every: '1h', miss: 1, run },
      ],
    }),
  );
  t.is(r.lifecycle.filter((e) => e.from === 'down' && e.to === 'starting').length, 12 + 2 + 1);
  t.deepEqual(r.summary.oneOffs, { started: 15, completed: 15, interrupted: 0, missed: 2, stoppedAtLimit: 0, running: 0 });
  const firsts = r.lifecycle.filter((e) => e.to === 'starting').slice(0, 4).map((e) => [e.dyno, e.timeUs / 1e6]);
  t.deepEqual(firsts, [['scheduler.1', 0], ['scheduler.2', 600], ['scheduler.3', 900], ['scheduler.4', 1200]]);
  t.true(r.lifecycle.some((e) => e.to === 'starting' && e.timeUs === 5400e6));
});

test('a one-off whose host fails is lost with its task and not restarted', async (t) => {
  const r = simulate(
    await scenarioFromObject({
      ...BASE,
      platform: { ...BASE.platform, hosts: { zones: ['a'], hostsPerZone: 1 } },
      events: [
        { at: '10m', run: { command: 'long task', for: '1h' } },
        { at: '30m', failHost: 1, for: '10m' },
      ],
    }),
  );
  t.deepEqual(r.summary.oneOffs, { started: 1, completed: 0, interrupted: 1, missed: 0, stoppedAtLimit: 0, running: 0 });
  const usage = r.cost.lines.find((l) => l.processType === 'run')!;
  t.is(usage.dynoHours, Math.round((20 / 60) * 1e6) / 1e6);
  t.false(r.lifecycle.some((e) => e.dyno === 'run.1' && e.to === 'up' && e.timeUs > 1800e6));
});
